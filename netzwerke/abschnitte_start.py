"""Abschnitt für „Mein Überblick“ des Quartiersmanagements: nächste Sitzungen, eigene Projekte.

`registrieren()` wird in `NetzwerkeConfig.ready()` aufgerufen (siehe `quartier.erweiterungen`).
"""

from django.db.models import F

from quartier.erweiterungen import Abschnitt, start_abschnitt
from quartier.models import Rolle
from quartier.permissions import eigene_quartiere, hat_rolle
from quartier.typen import Anfrage

from .models import Netzwerk, Projektstatus
from .permissions import sichtbare_projekte, sichtbare_sitzungen

ANZAHL_SITZUNGEN = 5


def sitzungen_und_projekte(request: Anfrage) -> Abschnitt | None:
    """Die nächsten Sitzungen der Netzwerke in meinen Quartieren und meine laufenden Projekte."""
    user = request.user
    if not hat_rolle(user) or user.rolle != Rolle.QUARTIERSMANAGEMENT:
        return None
    netzwerke_im_quartier = Netzwerk.objects.filter(quartiere__in=eigene_quartiere(user))
    sitzungen = (
        sichtbare_sitzungen(user)
        .kommende()
        .filter(netzwerk__in=netzwerke_im_quartier)
        .select_related("netzwerk")[:ANZAHL_SITZUNGEN]
    )
    projekte = (
        sichtbare_projekte(user)
        .filter(verantwortlich=user)
        .exclude(status=Projektstatus.ABGESCHLOSSEN)
        .order_by(F("ende").asc(nulls_last=True), "titel")
    )
    return Abschnitt(
        vorlage="netzwerke/_start_netzwerke.html",
        kontext={"sitzungen": list(sitzungen), "projekte": list(projekte)},
    )


def registrieren() -> None:
    start_abschnitt(sitzungen_und_projekte)
