"""Auswertung „Netzwerkaktivität“: Sitzungen je Netzwerk und Jahr, Geld der Stadtteilfonds.

Nur Aggregate in der Datenbank (Count/Sum mit `filter=`); Filter über die Quartiere eines
Netzwerks (M2M) als Unterabfrage `pk__in`, damit ein Netzwerk mit mehreren Quartieren nicht
mehrfach gezählt wird. Keine personenbezogenen Daten: nur Netzwerknamen, Anzahlen, Beträge.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from quartier.models import Bezirk, Quartier
from quartier.tabellen import DEZIMAL, ZAHL, Spalte, Tabelle

from .models import BELASTENDE_STATUS, Antrag, Antragsstatus, Netzwerk, Sitzung, Stadtteilfonds

AUSGEZAHLTE_STATUS = ("ausgezahlt", "nachweis_liegt_vor", "abgeschlossen")

_NULL = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass
class Auswahl:
    von: datetime.date | None = None
    bis: datetime.date | None = None
    bezirk: Bezirk | None = None
    quartier: Quartier | None = None
    art: str = ""

    def netzwerke(self) -> QuerySet[Netzwerk]:
        qs = Netzwerk.objects.all()
        if self.art:
            qs = qs.filter(art=self.art)
        if self.bezirk:
            qs = qs.filter(
                pk__in=Netzwerk.objects.filter(quartiere__bezirk=self.bezirk).values("pk")
            )
        if self.quartier:
            qs = qs.filter(pk__in=Netzwerk.objects.filter(quartiere=self.quartier).values("pk"))
        return qs

    def sitzungen(self) -> QuerySet[Sitzung]:
        qs = Sitzung.objects.filter(netzwerk__in=self.netzwerke().values("pk"))
        if self.von:
            qs = qs.filter(beginn__date__gte=self.von)
        if self.bis:
            qs = qs.filter(beginn__date__lte=self.bis)
        return qs

    def fonds(self) -> QuerySet[Stadtteilfonds]:
        qs = Stadtteilfonds.objects.filter(netzwerk__in=self.netzwerke().values("pk"))
        if self.von:
            qs = qs.filter(jahr__gte=self.von.year)
        if self.bis:
            qs = qs.filter(jahr__lte=self.bis.year)
        return qs


def _summen(praefix: str = "") -> dict:
    """Beantragt, bewilligt (belastende Status), ausgezahlt und Anzahl der Anträge."""
    p = praefix
    return {
        "beantragt": Coalesce(Sum(f"{p}beantragt"), _NULL),
        "bewilligt": Coalesce(
            Sum(f"{p}bewilligt_betrag", filter=Q(**{f"{p}status__in": BELASTENDE_STATUS})), _NULL
        ),
        "ausgezahlt": Coalesce(
            Sum(f"{p}bewilligt_betrag", filter=Q(**{f"{p}status__in": AUSGEZAHLTE_STATUS})), _NULL
        ),
        "anzahl_antraege": Count(f"{p}pk" if p else "pk"),
    }


# --- Sitzungen ---------------------------------------------------------------------------


def sitzungen_je_jahr(auswahl: Auswahl) -> QuerySet:
    """Je Jahr: Anzahl Sitzungen und Anzahl Netzwerke, die getagt haben (eine Abfrage)."""
    return (
        auswahl.sitzungen()
        .annotate(jahr=ExtractYear("beginn"))
        .order_by()
        .values("jahr")
        .annotate(sitzungen=Count("pk"), netzwerke=Count("netzwerk", distinct=True))
        .order_by("jahr")
    )


def tabelle_sitzungen_je_jahr(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Sitzungen je Jahr"),
        [
            Spalte("jahr", _("Jahr")),
            Spalte("sitzungen", _("Sitzungen"), ZAHL),
            Spalte("netzwerke", _("Netzwerke mit Sitzung"), ZAHL),
        ],
        [{**z, "jahr": str(z["jahr"])} for z in sitzungen_je_jahr(auswahl)],
    )


def tabelle_sitzungen_je_netzwerk(auswahl: Auswahl) -> Tabelle:
    """Netzwerke × Jahre: eine Abfrage für die Netzwerke, eine gruppierte für die Anzahlen;
    zusammengesetzt werden nur die fertigen Summen."""
    anzahlen = {
        (z["netzwerk"], z["jahr"]): z["n"]
        for z in auswahl.sitzungen()
        .annotate(jahr=ExtractYear("beginn"))
        .order_by()
        .values("netzwerk", "jahr")
        .annotate(n=Count("pk"))
    }
    jahre = sorted({jahr for _netzwerk, jahr in anzahlen})
    zeilen = []
    for netzwerk in auswahl.netzwerke().order_by("name").only("pk", "name", "art"):
        werte = {f"j{jahr}": anzahlen.get((netzwerk.pk, jahr), 0) for jahr in jahre}
        zeilen.append(
            {
                "netzwerk": netzwerk.name,
                "art": netzwerk.get_art_display(),
                **werte,
                "summe": sum(werte.values()),
            }
        )
    return Tabelle(
        _("Sitzungen je Netzwerk und Jahr"),
        [
            Spalte("netzwerk", _("Netzwerk")),
            Spalte("art", _("Art")),
            *[Spalte(f"j{jahr}", str(jahr), ZAHL) for jahr in jahre],
            Spalte("summe", _("Summe"), ZAHL),
        ],
        zeilen,
    )


# --- Stadtteilfonds ----------------------------------------------------------------------


def fonds_mit_summen(auswahl: Auswahl) -> QuerySet[Stadtteilfonds, dict[str, Any]]:
    """Je Fonds: Budget, beantragt, bewilligt, ausgezahlt, offen (= Budget − bewilligt),
    Anzahl Anträge. Nur eine mehrwertige Verknüpfung (antraege), also keine Vervielfachung."""
    return (
        auswahl.fonds()
        .annotate(**_summen("antraege__"))
        .annotate(offen=F("budget") - F("bewilligt"))
        .values(
            "netzwerk__name",
            "jahr",
            "budget",
            "beantragt",
            "bewilligt",
            "ausgezahlt",
            "offen",
            "anzahl_antraege",
        )
        .order_by("-jahr", "netzwerk__name")
    )


def _geldspalten() -> list[Spalte]:
    # Beschriftungen erst beim Aufruf übersetzen (aktive Sprache der Anfrage).
    titel = {
        "budget": _("Budget (€)"),
        "beantragt": _("beantragt (€)"),
        "bewilligt": _("bewilligt (€)"),
        "ausgezahlt": _("ausgezahlt (€)"),
        "offen": _("offen (€)"),
    }
    return [Spalte(schluessel, text, DEZIMAL) for schluessel, text in titel.items()]


def tabelle_fonds(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Stadtteilfonds je Konferenz und Jahr"),
        [
            Spalte("netzwerk__name", _("Stadtteilkonferenz")),
            Spalte("jahr_text", _("Jahr")),
            *_geldspalten(),
            Spalte("anzahl_antraege", _("Anträge"), ZAHL),
        ],
        ({**z, "jahr_text": str(z["jahr"])} for z in fonds_mit_summen(auswahl)),
    )


def fonds_je_jahr(auswahl: Auswahl) -> list[dict]:
    """Je Jahr: Summe der Budgets (eigene Abfrage, sonst vervielfachte der Join mit den
    Anträgen das Budget) und die Summen der Anträge (zweite Abfrage)."""
    fonds = auswahl.fonds()
    budgets = dict(
        fonds.order_by().values("jahr").annotate(s=Sum("budget")).values_list("jahr", "s")
    )
    antraege = {
        z["fonds__jahr"]: z
        for z in Antrag.objects.filter(fonds__in=fonds.values("pk"))
        .order_by()
        .values("fonds__jahr")
        .annotate(**_summen())
    }
    zeilen = []
    for jahr in sorted(budgets):
        summen = antraege.get(jahr, {})
        bewilligt = summen.get("bewilligt", Decimal("0"))
        zeilen.append(
            {
                "jahr": str(jahr),
                "budget": budgets[jahr],
                "beantragt": summen.get("beantragt", Decimal("0")),
                "bewilligt": bewilligt,
                "ausgezahlt": summen.get("ausgezahlt", Decimal("0")),
                "offen": budgets[jahr] - bewilligt,
                "anzahl_antraege": summen.get("anzahl_antraege", 0),
            }
        )
    return zeilen


def tabelle_fonds_je_jahr(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Stadtteilfonds je Jahr"),
        [Spalte("jahr", _("Jahr")), *_geldspalten(), Spalte("anzahl_antraege", _("Anträge"), ZAHL)],
        fonds_je_jahr(auswahl),
    )


def tabelle_antraege_je_status(auswahl: Auswahl) -> Tabelle:
    """Anzahl und Beträge der Anträge je Status, jeder Status eine Zeile (auch mit 0)."""
    je_status = {
        z["status"]: z
        for z in Antrag.objects.filter(fonds__in=auswahl.fonds().values("pk"))
        .order_by()
        .values("status")
        .annotate(anzahl=Count("pk"), beantragt=Sum("beantragt"))
    }
    return Tabelle(
        _("Anträge je Status"),
        [
            Spalte("status", _("Status")),
            Spalte("anzahl", _("Anträge"), ZAHL),
            Spalte("beantragt", _("beantragt (€)"), DEZIMAL),
        ],
        [
            {
                "status": str(status.label),
                "anzahl": je_status.get(status.value, {}).get("anzahl", 0),
                "beantragt": je_status.get(status.value, {}).get("beantragt") or Decimal("0"),
            }
            for status in Antragsstatus
        ],
    )


TABELLEN = {
    "sitzungen_jahr": tabelle_sitzungen_je_jahr,
    "sitzungen": tabelle_sitzungen_je_netzwerk,
    "fonds_jahr": tabelle_fonds_je_jahr,
    "fonds": tabelle_fonds,
    "status": tabelle_antraege_je_status,
}
