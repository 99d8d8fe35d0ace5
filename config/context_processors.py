"""Kontext für jede Seite: die Hauptnavigation je Rolle, in Bereiche gegliedert.

Die Hauptnavigation hat wenige Bereiche (Mein Überblick, Anliegen, Quartiere, Akteure,
Netzwerke, Stammdaten); ein Bereich mit mehreren Seiten zeigt darunter eine zweite Leiste mit
seinen Seiten. So bleibt die Kopfzeile auf dem Tablet einzeilig.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from quartier.models import Rolle, User
from quartier.permissions import darf_auswertungen_sehen, darf_stammdaten_pflegen, hat_rolle

# Die Seiten des Bereichs „Auswertung“ (Label, URL-Name), in dieser Reihenfolge. Eine neue
# Auswertung ist eine Zeile; wer sie sieht, regelt `darf_auswertungen_sehen`.
AUSWERTUNGEN = [
    (_lazy("Anliegen"), "anliegen:auswertung"),
    (_lazy("Versorgung"), "quartier:versorgung"),
    (_lazy("Netzwerke"), "netzwerke:aktivitaet"),
    (_lazy("Quartiersbericht"), "anliegen:quartiersbericht"),
]


@dataclass
class Punkt:
    label: str
    url: str
    aktiv: bool = False


@dataclass
class Bereich:
    label: str
    seiten: list[Punkt]
    aktiv: bool = False
    unterpunkte: list[Punkt] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.seiten[0].url


def _bereiche(user: User) -> list[Bereich]:
    anliegen = [
        Punkt(_("Anliegen"), reverse("anliegen:liste")),
        Punkt(_("Posteingang"), reverse("anliegen:eingang")),
    ]
    if user.rolle == Rolle.FACHBEREICH:
        # Für den Fachbereich ist der Posteingang die Arbeitsliste.
        anliegen = anliegen[::-1]
    # Exporte im Hintergrund (aus der Liste und den Auswertungen) holt man hier ab.
    anliegen.append(Punkt(_("Meine Exporte"), reverse("quartier:exporte")))
    if user.rolle == Rolle.FACHBEREICH:
        anliegen_bereich = Bereich(_("Posteingang"), anliegen)
    else:
        anliegen_bereich = Bereich(_("Anliegen"), anliegen)
    bereiche = [
        Bereich(_("Mein Überblick"), [Punkt(_("Mein Überblick"), reverse("quartier:start"))]),
        anliegen_bereich,
        Bereich(
            _("Quartiere"),
            [
                Punkt(_("Quartiere"), reverse("quartier:quartier_liste")),
                Punkt(_("Lebensräume"), reverse("quartier:lebensraum_liste")),
                Punkt(_("Stadtteilbüros"), reverse("quartier:buero_liste")),
            ],
        ),
        Bereich(_("Akteure"), [Punkt(_("Akteure"), reverse("netzwerke:akteur_liste"))]),
        Bereich(
            _("Netzwerke"),
            [
                Punkt(_("Netzwerke"), reverse("netzwerke:netzwerk_liste")),
                Punkt(_("Sitzungen"), reverse("netzwerke:sitzung_liste")),
                Punkt(_("Projekte"), reverse("netzwerke:projekt_liste")),
                Punkt(_("Stadtteilfonds"), reverse("netzwerke:fonds_liste")),
            ],
        ),
    ]
    if darf_auswertungen_sehen(user):
        bereiche.append(
            Bereich(
                _("Auswertung"),
                [Punkt(str(label), reverse(name)) for label, name in AUSWERTUNGEN],
            )
        )
    if darf_stammdaten_pflegen(user):
        bereiche.append(Bereich(_("Stammdaten"), [Punkt(_("Stammdaten"), reverse("admin:index"))]))
    return bereiche


def _markieren(bereiche: list[Bereich], pfad: str) -> Bereich | None:
    """Die Seite mit dem längsten passenden Pfadanfang ist aktiv (die Startseite nur genau)."""
    start = reverse("quartier:start")
    bester: tuple[int, Bereich, Punkt] | None = None
    for bereich in bereiche:
        for punkt in bereich.seiten:
            passt = pfad == punkt.url if punkt.url == start else pfad.startswith(punkt.url)
            if passt and (bester is None or len(punkt.url) > bester[0]):
                bester = (len(punkt.url), bereich, punkt)
    if bester is None:
        return None
    _laenge, bereich, punkt = bester
    bereich.aktiv = punkt.aktiv = True
    return bereich


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    nav: list[Bereich] = []
    unternav: Bereich | None = None
    rolle_label = ""
    if user is not None and hat_rolle(user):
        rolle_label = user.get_rolle_display()
        nav = _bereiche(user)
        aktiv = _markieren(nav, request.path)
        if aktiv is not None and len(aktiv.seiten) > 1:
            unternav = aktiv
    return {
        "nav": nav,
        "unternav": unternav,
        "stadt": settings.QL_STADT,
        "rolle_label": rolle_label,
    }
