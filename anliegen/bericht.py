"""Der Quartiersbericht: ein Quartier, ein Kalenderjahr, druckbar für den Ausschuss für
Soziales, Integration und Demographie.

Setzt zusammen, was die Apps schon rechnen – keine eigenen Zahlen: Bevölkerung und Kennzahlen
der Lebensräume (`quartier.auswertung`), Stellen des Quartiersmanagements, Themen, Bedarfe,
Antwort- und Rückmeldezeiten und die Zahlen des Lotsen (`anliegen.auswertung`), Projekte,
Stadtteilfonds und Sitzungen der Netzwerke (`netzwerke.auswertung`). Keine Personendaten.
Feste Zahl von Abfragen, gleich wie viele Anliegen das Quartier hat.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netzwerke import auswertung as netzwerk_auswertung
from netzwerke.models import Projekt
from quartier import auswertung as quartier_auswertung
from quartier.models import Quartier, Quartiersmanagement
from quartier.tabellen import DATUM, DEZIMAL, ZAHL, Spalte, Tabelle

from . import auswertung


def stichtag(jahr: int, heute: datetime.date | None = None) -> datetime.date:
    """Ende des Jahres; im laufenden Jahr heute (die Zukunft kennt noch niemand)."""
    heute = heute or timezone.localdate()
    return min(datetime.date(jahr, 12, 31), heute)


def tabelle_stellen(quartier: Quartier, jahr: int) -> Tabelle:
    """Stellen des Quartiersmanagements, die im Jahr liefen (auch nur einen Teil davon)."""
    anfang, ende = datetime.date(jahr, 1, 1), datetime.date(jahr, 12, 31)
    stellen = (
        Quartiersmanagement.objects.filter(quartiere=quartier, beginn__lte=ende)
        .filter(Q(ende__isnull=True) | Q(ende__gte=anfang))
        .annotate(anzahl_quartiere=Count("quartiere"))
        .order_by("beginn", "bezeichnung")
    )
    return Tabelle(
        _("Stellen des Quartiersmanagements %(jahr)s") % {"jahr": jahr},
        [
            Spalte("bezeichnung", _("Stelle")),
            Spalte("art", _("Art")),
            Spalte("traeger", _("Träger")),
            Spalte("foerderung", _("Förderung")),
            Spalte("vzae", _("VZÄ der Stelle"), DEZIMAL),
            Spalte("quartiere", _("Quartiere der Stelle"), ZAHL),
            Spalte("beginn", _("Beginn"), DATUM),
            Spalte("ende", _("Ende"), DATUM),
        ],
        [
            {
                "bezeichnung": s.bezeichnung,
                "art": s.get_art_display(),
                "traeger": s.traeger,
                "foerderung": s.foerderprogramm,
                "vzae": s.stellenanteil,
                "quartiere": s.anzahl_quartiere,
                "beginn": s.beginn,
                "ende": s.ende,
            }
            for s in stellen
        ],
    )


def tabelle_projekte(quartier: Quartier, jahr: int) -> Tabelle:
    """Projekte im Quartier, die im Jahr liefen (ohne Datum: nach Anlage nicht einzuordnen,
    daher nicht gezählt)."""
    anfang, ende = datetime.date(jahr, 1, 1), datetime.date(jahr, 12, 31)
    projekte = (
        Projekt.objects.filter(quartiere=quartier, beginn__lte=ende)
        .filter(Q(ende__isnull=True) | Q(ende__gte=anfang))
        .annotate(anzahl_partner=Count("partner", distinct=True))
        .order_by("beginn", "titel")
    )
    return Tabelle(
        _("Projekte %(jahr)s") % {"jahr": jahr},
        [
            Spalte("titel", _("Projekt")),
            Spalte("art", _("Art")),
            Spalte("status", _("Stand")),
            Spalte("beginn", _("Beginn"), DATUM),
            Spalte("ende", _("Ende"), DATUM),
            Spalte("partner", _("Partner"), ZAHL),
            Spalte("teilnehmende", _("Teilnehmende"), ZAHL),
        ],
        [
            {
                "titel": p.titel,
                "art": p.get_art_display(),
                "status": p.get_status_display(),
                "beginn": p.beginn,
                "ende": p.ende,
                "partner": p.anzahl_partner,
                "teilnehmende": p.teilnehmende,
            }
            for p in projekte
        ],
    )


# Im Bericht ohne Bezirk, Sozialraum und Stellentexte (stehen schon im Kopf bzw. in Teil 2):
# so passt die Tabelle auf eine A4-Seite.
_OHNE_IM_BERICHT = {"bezirk", "sozialraum", "stellen", "art", "traeger", "foerderende", "vzae"}


def _schmal(tabelle: Tabelle) -> Tabelle:
    return Tabelle(
        tabelle.titel,
        [s for s in tabelle.spalten if s.schluessel not in _OHNE_IM_BERICHT],
        tabelle.zeilen,
    )


def bericht(quartier: Quartier, jahr: int, heute: datetime.date | None = None) -> dict:
    tag = stichtag(jahr, heute)
    lebensraeume = quartier.lebensraeume.all()
    netze = netzwerk_auswertung.Auswahl(
        von=datetime.date(jahr, 1, 1), bis=datetime.date(jahr, 12, 31), quartier=quartier
    )
    versorgung = quartier_auswertung.versorgung(tag, lebensraeume)
    return {
        "quartier": quartier,
        "jahr": jahr,
        "stichtag": tag,
        "versorgung": versorgung,
        "lebensraeume": _schmal(
            quartier_auswertung.tabelle_lebensraeume(quartier_auswertung.Auswahl(tag, lebensraeume))
        ),
        "stellen": tabelle_stellen(quartier, jahr),
        "anliegen": auswertung.quartiersbericht(quartier, jahr),
        "projekte": tabelle_projekte(quartier, jahr),
        "fonds": netzwerk_auswertung.tabelle_fonds(netze),
        "sitzungen": netzwerk_auswertung.tabelle_sitzungen_je_netzwerk(netze),
    }
