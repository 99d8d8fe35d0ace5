"""Auswertung „Versorgung“: welche Lebensräume am Stichtag ein Quartiersmanagement haben.

Alle Zahlen rechnet die Datenbank (Unterabfragen und Aggregate), damit die Anzahl der
Abfragen nicht mit der Zahl der Lebensräume wächst.

Wie die Vollzeitäquivalente (VZÄ) auf Lebensräume verteilt werden: eine Stelle verteilt sich
gleich auf ihre Quartiere (wie `Quartiersmanagement.anteil_je_quartier`, eine Stelle für
Kronenberg und Kullen zählt je 0,5), der Anteil eines Quartiers nach Einwohner:innen auf
seine Lebensräume. So haben alle Lebensräume eines Quartiers dieselben VZÄ je 10.000
Einwohner:innen, und die Summe über alle Lebensräume ergibt die Summe der Stellen.
"""

import calendar
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _

from .models import (
    Kategorie,
    Kennzahl,
    KennzahlArt,
    Lebensraum,
    LebensraumQuerySet,
    Quartier,
    Quartiersmanagement,
)
from .tabellen import DATUM, DEZIMAL, ZAHL, Spalte, Tabelle, bloecke

QM_QUARTIER = Quartiersmanagement.quartiere.through
QUARTIER_LEBENSRAUM = Quartier.lebensraeume.through

WARNFRIST_MONATE = 12


def plus_monate(tag: datetime.date, monate: int) -> datetime.date:
    """Derselbe Tag `monate` Monate später (31.01. + 1 → 28./29.02.)."""
    jahr, monat = divmod(tag.month - 1 + monate, 12)
    jahr, monat = tag.year + jahr, monat + 1
    return tag.replace(
        year=jahr, month=monat, day=min(tag.day, calendar.monthrange(jahr, monat)[1])
    )


def _kommazahl(ausdruck) -> Cast:
    # Als Gleitkommazahl rechnen: SQLite teilt ganzzahlig gespeicherte Dezimalwerte sonst
    # ganzzahlig (1 / 2 = 0).
    return Cast(ausdruck, FloatField())


def _vzae_je_einwohner(stichtag: datetime.date) -> Subquery:
    """Unterabfrage je Lebensraum (OuterRef „pk“): Summe über die laufenden Stellen seiner
    Quartiere von Stellenanteil / Anzahl Quartiere der Stelle / Einwohner:innen des Quartiers."""
    # django-stubs 5.2.9 verliert nach values().annotate() die Namen (typeddjango/django-stubs#3471)
    anzahl_quartiere = (
        QM_QUARTIER.objects.filter(quartiersmanagement=OuterRef("quartiersmanagement"))  # type: ignore[misc]
        .order_by()
        .values("quartiersmanagement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    einwohner_quartier = (
        QUARTIER_LEBENSRAUM.objects.filter(quartier=OuterRef("quartier"))  # type: ignore[misc]
        .order_by()
        .values("quartier")
        .annotate(s=Sum("lebensraum__einwohner"))
        .values("s")
    )
    anteile = (
        QM_QUARTIER.objects.filter(  # type: ignore[misc]
            quartiersmanagement__in=Quartiersmanagement.objects.aktiv_am(stichtag).values("pk"),
            quartier__lebensraeume=OuterRef("pk"),
        )
        .annotate(
            anteil=_kommazahl("quartiersmanagement__stellenanteil")
            / _kommazahl(Subquery(anzahl_quartiere))
            / NullIf(_kommazahl(Subquery(einwohner_quartier)), Value(0.0))
        )
        .order_by()
        .values("quartier__lebensraeume")
        .annotate(summe=Sum("anteil"))
        .values("summe")
    )
    return Subquery(anteile, output_field=FloatField())


def kennzahl_arten(stichtag: datetime.date) -> list[KennzahlArt]:
    """Die Kennzahlen, für die es bis zum Jahr des Stichtags Werte gibt (eine Abfrage)."""
    vorhanden = set(
        Kennzahl.objects.filter(jahr__lte=stichtag.year)
        .order_by()
        .values_list("art", flat=True)
        .distinct()
    )
    return [art for art in KennzahlArt if art.value in vorhanden]


@dataclass
class _Stelle:
    """Eine laufende Stelle mit ihrem Anteil je Quartier (für die Zeilen der Lebensräume)."""

    stelle: Quartiersmanagement
    anteil_je_quartier: float


@dataclass
class _QuartierStellen:
    name: str
    einwohner: float | None  # Summe über seine Lebensräume; None, wenn 0 (nichts zu verteilen)
    stellen: list[_Stelle]


def _quartiere_mit_stellen(stichtag: datetime.date) -> dict[int, _QuartierStellen]:
    """Je Quartier mit laufender Stelle: Name, Einwohner:innen und die Stellen (nach
    Bezeichnung). Zwei Abfragen, unabhängig von der Zahl der Lebensräume: Stellen gibt es
    Dutzende, Lebensräume viele."""
    stellen = {
        s.pk: s
        for s in Quartiersmanagement.objects.aktiv_am(stichtag)
        .mit_anzahl_quartiere()
        .order_by("bezeichnung", "pk")
    }
    einwohner_quartier = (
        QUARTIER_LEBENSRAUM.objects.filter(quartier=OuterRef("quartier"))  # type: ignore[misc]
        .order_by()
        .values("quartier")
        .annotate(s=Sum("lebensraum__einwohner"))
        .values("s")
    )
    paare = (
        QM_QUARTIER.objects.filter(quartiersmanagement__in=list(stellen))  # type: ignore[misc]
        .annotate(einwohner=Subquery(einwohner_quartier))
        .order_by("quartier__name", "quartier_id")
        .values_list("quartier_id", "quartier__name", "einwohner", "quartiersmanagement_id")
    )
    reihenfolge = {pk: i for i, pk in enumerate(stellen)}
    ergebnis: dict[int, _QuartierStellen] = {}
    for quartier_id, name, einwohner, stelle_id in paare:
        q = ergebnis.setdefault(
            quartier_id, _QuartierStellen(name, float(einwohner) if einwohner else None, [])
        )
        s = stellen[stelle_id]
        q.stellen.append(_Stelle(s, float(s.stellenanteil) / s.anzahl_quartiere))
    for q in ergebnis.values():
        q.stellen.sort(key=lambda s: reihenfolge[s.stelle.pk])
    return ergebnis


def lebensraeume_mit_versorgung(
    stichtag: datetime.date,
    lebensraeume: LebensraumQuerySet | None = None,
    arten: Iterable[KennzahlArt] = (),
    *,
    blockgroesse: int = 1000,
) -> Iterator[Lebensraum]:
    """Lebensräume (sortiert nach Bezirk, Sozialraum, Nummer) mit `vzae`, `vzae_je_10000`,
    `qm_aktiv`, `foerderende`, `stellen` (laufende Stellen seiner Quartiere: Quartiere nach
    Name, Stellen nach Bezeichnung), je Kennzahl `kz_<art>` (jüngster Wert bis zum Jahr des
    Stichtags) und `kennzahl_jahr`.

    Gerechnet in Python aus wenigen Abfragen statt mit Unterabfragen je Zeile: die Stellen
    und Einwohner:innen je Quartier einmal (`_quartiere_mit_stellen`), dann je Block von
    `blockgroesse` Lebensräumen die Zuordnung zu Quartieren und die Kennzahlen. Die Zeilen
    kommen als Iterator (`QuerySet.iterator`), der Speicher bleibt auch für 100.000
    Lebensräume flach. Dieselbe Rechnung wie `_vzae_je_einwohner` (Summen und Warnungen)."""
    lebensraeume = Lebensraum.objects.all() if lebensraeume is None else lebensraeume
    arten = list(arten)
    quartiere = _quartiere_mit_stellen(stichtag)
    qs = lebensraeume.select_related("sozialraum__bezirk").order_by(
        "sozialraum__bezirk__name", "sozialraum__nummer", "nummer"
    )
    zeilen: Iterator[Lebensraum] = qs.iterator(chunk_size=blockgroesse)
    for block in bloecke(zeilen, blockgroesse):
        ids = [lr.pk for lr in block]
        zuordnung: dict[int, list[int]] = {}
        for lr_id, q_id in QUARTIER_LEBENSRAUM.objects.filter(lebensraum_id__in=ids).values_list(
            "lebensraum_id", "quartier_id"
        ):
            if q_id in quartiere:
                zuordnung.setdefault(lr_id, []).append(q_id)
        werte: dict[int, dict[str, Any]] = {}
        for lr_id, art, jahr, wert in (
            Kennzahl.objects.filter(lebensraum_id__in=ids, jahr__lte=stichtag.year)
            .order_by("lebensraum_id", "art", "-jahr")
            .values_list("lebensraum_id", "art", "jahr", "wert")
        ):
            eintrag = werte.setdefault(lr_id, {"jahr": jahr})
            eintrag["jahr"] = max(eintrag["jahr"], jahr)
            eintrag.setdefault(art, wert)  # der erste je Art ist der jüngste
        for lr in block:
            eigene = sorted((quartiere[q] for q in zuordnung.get(lr.pk, [])), key=lambda q: q.name)
            stellen = list({s.stelle.pk: s.stelle for q in eigene for s in q.stellen}.values())
            je_einwohner = sum(
                s.anteil_je_quartier / q.einwohner for q in eigene if q.einwohner for s in q.stellen
            )
            kennzahlen = werte.get(lr.pk, {})
            lr.stellen = stellen  # type: ignore[attr-defined]
            lr.vzae = je_einwohner * float(lr.einwohner)  # type: ignore[attr-defined]
            lr.vzae_je_10000 = (  # type: ignore[attr-defined]
                lr.vzae * 10000.0 / float(lr.einwohner)  # type: ignore[attr-defined]
                if lr.einwohner
                else None
            )
            lr.qm_aktiv = bool(stellen)  # type: ignore[attr-defined]
            lr.foerderende = min(  # type: ignore[attr-defined]
                (s.ende for s in stellen if s.ende is not None), default=None
            )
            lr.kennzahl_jahr = kennzahlen.get("jahr")  # type: ignore[attr-defined]
            for art in arten:
                setattr(lr, f"kz_{art.value}", kennzahlen.get(art.value))
            yield lr


def versorgung(stichtag: datetime.date, lebensraeume: LebensraumQuerySet | None = None) -> dict:
    """Versorgung am Stichtag: laufende Stellen, VZÄ je 10.000 Einwohner:innen,
    Lebensräume mit besonderen Herausforderungen und an der Schwelle ohne QM, Stellen, deren
    Förderung in den nächsten zwölf Monaten endet. `lebensraeume` schränkt alles auf eine
    Auswahl ein (Filter Bezirk, Sozialraum)."""
    lebensraeume = Lebensraum.objects.all() if lebensraeume is None else lebensraeume
    summen = lebensraeume.annotate(
        vzae_lr=Coalesce(_vzae_je_einwohner(stichtag), Value(0.0)) * _kommazahl("einwohner")
    ).aggregate(einwohner=Sum("einwohner"), vzae=Sum("vzae_lr"))
    einwohner = summen["einwohner"] or 0
    vzae = summen["vzae"] or 0.0
    aktive = Quartiersmanagement.objects.aktiv_am(stichtag).filter(
        pk__in=Quartiersmanagement.objects.filter(
            quartiere__lebensraeume__in=lebensraeume.values("pk")
        ).values("pk")
    )
    bis = plus_monate(stichtag, WARNFRIST_MONATE)
    ohne = lebensraeume.ohne_aktives_qm(stichtag).select_related("sozialraum__bezirk")
    return {
        "stichtag": stichtag,
        "anzahl_stellen": aktive.count(),
        "einwohner": einwohner,
        "vzae": vzae,
        "vzae_je_10000": (vzae * 10000 / einwohner) if einwohner else None,
        "ohne_qm": ohne.filter(kategorie=Kategorie.BESONDERE_HERAUSFORDERUNGEN),
        "an_der_schwelle_ohne_qm": ohne.filter(kategorie=Kategorie.AN_DER_SCHWELLE),
        "warnfrist_bis": bis,
        "endende_stellen": aktive.filter(ende__isnull=False, ende__lte=bis)
        .prefetch_related("quartiere")
        .order_by("ende", "bezeichnung"),
    }


def versorgung_je_bezirk(
    stichtag: datetime.date, lebensraeume: LebensraumQuerySet | None = None
) -> QuerySet:
    """Je Bezirk: Einwohner:innen, VZÄ und VZÄ je 10.000 (eine gruppierte Abfrage)."""
    lebensraeume = Lebensraum.objects.all() if lebensraeume is None else lebensraeume
    return (
        lebensraeume.annotate(
            vzae_lr=Coalesce(_vzae_je_einwohner(stichtag), Value(0.0)) * _kommazahl("einwohner")
        )
        .order_by()
        .values("sozialraum__bezirk__name")
        .annotate(einwohner=Sum("einwohner"), vzae=Sum("vzae_lr"))
        .annotate(
            vzae_je_10000=F("vzae") * Value(10000.0) / NullIf(_kommazahl("einwohner"), Value(0.0))
        )
        .order_by("sozialraum__bezirk__name")
    )


# --- Tabellen für Seite und Export -------------------------------------------------------


@dataclass
class Auswahl:
    stichtag: datetime.date
    lebensraeume: LebensraumQuerySet


def _stellen_text(stellen: list[Quartiersmanagement]) -> dict:
    if not stellen:
        return {"stellen": "", "art": "", "traeger": ""}
    return {
        "stellen": "; ".join(
            _("%(stelle)s (%(vzae)s VZÄ)")
            % {"stelle": s.bezeichnung, "vzae": f"{s.stellenanteil:.2f}".replace(".", ",")}
            for s in stellen
        ),
        "art": "; ".join(dict.fromkeys(s.get_art_display() for s in stellen)),
        "traeger": "; ".join(
            dict.fromkeys(
                " – ".join(t for t in (s.traeger, s.foerderprogramm) if t) for s in stellen
            )
        ),
    }


def _zeilen_lebensraeume(
    qs: Iterable[Any], arten: list[KennzahlArt]
) -> Iterator[dict[str, object]]:
    # Zeilen aus `lebensraeume_mit_versorgung`: Lebensräume mit den dort gesetzten Werten.
    # Übersetzt wird einmal je Kategorie und je Kombination von Stellen, nicht je Zeile
    # (get_…_display übersetzt und hasht bei jedem Aufruf; bei 100.000 Zeilen Sekunden).
    kategorien = {wert: str(text) for wert, text in Kategorie.choices}
    texte: dict[tuple[int, ...], dict] = {}
    for lr in qs:
        stellen = lr.stellen
        schluessel = tuple(s.pk for s in stellen)
        if schluessel not in texte:
            texte[schluessel] = _stellen_text(stellen)
        yield {
            "lebensraum": str(lr),
            "bezirk": lr.sozialraum.bezirk.name,
            "sozialraum": str(lr.sozialraum),
            "kategorie": kategorien.get(lr.kategorie, lr.kategorie),
            "einwohner": lr.einwohner,
            **{f"kz_{a.value}": getattr(lr, f"kz_{a.value}") for a in arten},
            "kennzahl_jahr": str(lr.kennzahl_jahr) if lr.kennzahl_jahr else None,
            "qm_aktiv": lr.qm_aktiv,
            **texte[schluessel],
            "foerderende": lr.foerderende,
            "vzae": lr.vzae,
            "vzae_je_10000": lr.vzae_je_10000,
        }


def tabelle_lebensraeume(auswahl: Auswahl, *, streamen: bool = False) -> Tabelle:
    arten = kennzahl_arten(auswahl.stichtag)
    # Für Exporte ein Generator (flacher Speicher), für Seiten eine Liste (mehrfach lesbar).
    zeilen: Iterable[dict[str, object]] = _zeilen_lebensraeume(
        lebensraeume_mit_versorgung(auswahl.stichtag, auswahl.lebensraeume, arten), arten
    )
    if not streamen:
        zeilen = list(zeilen)
    spalten = [
        Spalte("lebensraum", _("Lebensraum")),
        Spalte("bezirk", _("Bezirk")),
        Spalte("sozialraum", _("Sozialraum")),
        Spalte("kategorie", _("Kategorie")),
        Spalte("einwohner", _("Einwohner:innen"), ZAHL),
        *[Spalte(f"kz_{a.value}", str(a.label), DEZIMAL) for a in arten],
        Spalte("kennzahl_jahr", _("Kennzahlen aus")),
        Spalte("qm_aktiv", _("Quartiersmanagement aktiv")),
        Spalte("stellen", _("Stellen")),
        Spalte("art", _("Art")),
        Spalte("traeger", _("Träger und Förderung")),
        Spalte("foerderende", _("Förderende (nächstes)"), DATUM),
        Spalte("vzae", _("VZÄ"), DEZIMAL),
        Spalte("vzae_je_10000", _("VZÄ je 10.000 Einwohner:innen"), DEZIMAL),
    ]
    return Tabelle(
        _("Versorgung der Lebensräume am %(tag)s") % {"tag": auswahl.stichtag.strftime("%d.%m.%Y")},
        spalten,
        zeilen,
    )


def tabelle_bezirke(auswahl: Auswahl, *, streamen: bool = False) -> Tabelle:
    zeilen = [
        {
            "bezirk": z["sozialraum__bezirk__name"],
            "einwohner": z["einwohner"],
            "vzae": z["vzae"],
            "vzae_je_10000": z["vzae_je_10000"],
        }
        for z in versorgung_je_bezirk(auswahl.stichtag, auswahl.lebensraeume)
    ]
    return Tabelle(
        _("VZÄ je 10.000 Einwohner:innen nach Bezirk"),
        [
            Spalte("bezirk", _("Bezirk")),
            Spalte("einwohner", _("Einwohner:innen"), ZAHL),
            Spalte("vzae", _("VZÄ"), DEZIMAL),
            Spalte("vzae_je_10000", _("VZÄ je 10.000 Einwohner:innen"), DEZIMAL),
        ],
        zeilen,
    )


TABELLEN = {"lebensraeume": tabelle_lebensraeume, "bezirke": tabelle_bezirke}
