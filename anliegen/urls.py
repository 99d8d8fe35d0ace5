"""URLs der Anliegen.

liste.py:    anliegen:liste (anliegen/), anliegen:detail (anliegen/<nummer>/)
aktionen.py: anliegen:erfassen (anliegen/neu/), anliegen:aktion (anliegen/<nummer>/<aktion>/)
anhaenge.py: anliegen:anhang_hinzufuegen (anliegen/<nummer>/anhaenge/neu/),
             anliegen:anhang (anliegen/<nummer>/anhaenge/<pk>/),
             anliegen:anhang_freigabe (anliegen/<nummer>/anhaenge/<pk>/freigabe/)
eingang.py:  anliegen:eingang (eingang/), anliegen:eingang_detail (eingang/<pk>/),
             anliegen:eingang_aktion (eingang/<pk>/<aktion>/)
antwortlink.py: anliegen:antwortlink (antwort/<schluessel>/), anliegen:antwortlink_aktion
             (antwort/<schluessel>/<aktion>/) – ohne Anmeldung; anliegen:antwortlink_verwalten
             (anliegen/<nummer>/weiterleitung/<pk>/antwortlink/<aktion>/) für das QM
"""

from .views import aktionen, anhaenge, antwortlink, eingang, liste

app_name = "anliegen"

# anhaenge zuerst: „anliegen/<nummer>/anhaenge/…“ ist keine Aktion.
urlpatterns = [*anhaenge.urls, *aktionen.urls, *liste.urls, *eingang.urls, *antwortlink.urls]
