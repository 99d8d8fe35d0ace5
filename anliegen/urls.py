"""URLs der Anliegen.

liste.py:    anliegen:liste (anliegen/), anliegen:detail (anliegen/<nummer>/)
aktionen.py: anliegen:erfassen (anliegen/neu/)
schritte.py: je Operation der Spezifikation (anliegen/workflow.py) eine feste Adresse:
             anliegen:<name> (anliegen/<nummer>/<name>/), anliegen:eingang_<name>
             (eingang/<pk>/<name>/); antwortlink.py: anliegen:antwortlink_<name>
anhaenge.py: anliegen:anhang_hinzufuegen (anliegen/<nummer>/anhaenge/neu/),
             anliegen:anhang (anliegen/<nummer>/anhaenge/<pk>/),
             anliegen:anhang_freigabe (anliegen/<nummer>/anhaenge/<pk>/freigabe/)
brief.py:    anliegen:brief (anliegen/<nummer>/brief/), anliegen:brief_festhalten (…/festhalten/)
eingang.py:  anliegen:eingang (eingang/), anliegen:eingang_detail (eingang/<pk>/)
buendeln.py: anliegen:aehnliche (anliegen/neu/aehnliche/)
antwortlink.py: anliegen:antwortlink (antwort/<schluessel>/) und seine Schritte – ohne
             Anmeldung; anliegen:antwortlink_verwalten
             (anliegen/<nummer>/weiterleitung/<pk>/antwortlink/<aktion>/) für das QM
export.py:   anliegen:export (anliegen/export/) – die gefilterte Liste als CSV/XLSX
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
    export,
    liste,
    schritte,
)

app_name = "anliegen"

# Jede Adresse ist fest; die Reihenfolge zählt nur für „anliegen/neu/“ vor der Detailseite.
urlpatterns = [
    *aktionen.urls,
    *buendeln.urls,
    *schritte.urls(),
    *anhaenge.urls,
    *brief.urls,
    *export.urls,  # vor der Detailseite (anliegen/<nummer>/)
    *liste.urls,
    *eingang.urls,
    *antwortlink.urls,
    *auswertung.urls,
    *bericht.urls,
]
