"""URLs der Anliegen.

liste.py:    anliegen:liste (anliegen/), anliegen:detail (anliegen/<nummer>/)
aktionen.py: anliegen:erfassen (anliegen/neu/), anliegen:aktion (anliegen/<nummer>/<aktion>/)
eingang.py:  anliegen:eingang (eingang/), anliegen:eingang_detail (eingang/<pk>/),
             anliegen:eingang_aktion (eingang/<pk>/<aktion>/)
antwortlink.py: anliegen:antwortlink (antwort/<schluessel>/), anliegen:antwortlink_aktion
             (antwort/<schluessel>/<aktion>/) – ohne Anmeldung; anliegen:antwortlink_verwalten
             (anliegen/<nummer>/weiterleitung/<pk>/antwortlink/<aktion>/) für das QM
"""

from .views import aktionen, antwortlink, eingang, liste

app_name = "anliegen"

urlpatterns = [*aktionen.urls, *liste.urls, *eingang.urls, *antwortlink.urls]
