"""URLs der Anliegen.

liste.py:    anliegen:liste (anliegen/), anliegen:detail (anliegen/<nummer>/)
aktionen.py: anliegen:erfassen (anliegen/neu/), anliegen:aktion (anliegen/<nummer>/<aktion>/)
anhaenge.py: anliegen:anhang_hinzufuegen (anliegen/<nummer>/anhaenge/neu/),
             anliegen:anhang (anliegen/<nummer>/anhaenge/<pk>/),
             anliegen:anhang_freigabe (anliegen/<nummer>/anhaenge/<pk>/freigabe/)
brief.py:    anliegen:brief (anliegen/<nummer>/brief/), anliegen:brief_festhalten (…/festhalten/)
eingang.py:  anliegen:eingang (eingang/), anliegen:eingang_detail (eingang/<pk>/),
             anliegen:eingang_aktion (eingang/<pk>/<aktion>/)
buendeln.py: anliegen:aehnliche (anliegen/neu/aehnliche/), anliegen:buendeln
             (anliegen/<nummer>/buendeln/), anliegen:entbuendeln (…/entbuendeln/)
antwortlink.py: anliegen:antwortlink (antwort/<schluessel>/), anliegen:antwortlink_aktion
             (antwort/<schluessel>/<aktion>/) – ohne Anmeldung; anliegen:antwortlink_verwalten
             (anliegen/<nummer>/weiterleitung/<pk>/antwortlink/<aktion>/) für das QM
auswertung.py: anliegen:auswertung (auswertung/anliegen/) – Auswertung für die Sozialplanung
"""

from .views import (
    aktionen,
    anhaenge,
    antwortlink,
    auswertung,
    bericht,
    brief,
    buendeln,
    eingang,
    liste,
)

app_name = "anliegen"

# buendeln, anhaenge und brief vor aktionen: „…/buendeln/“, „anliegen/<nummer>/anhaenge/…“ und
# „…/brief/“ sind keine Aktionen aus workflow.ANLIEGEN_OPERATIONEN.
urlpatterns = [
    *buendeln.urls,
    *anhaenge.urls,
    *brief.urls,
    *aktionen.urls,
    *liste.urls,
    *eingang.urls,
    *antwortlink.urls,
    *auswertung.urls,
    *bericht.urls,
]
