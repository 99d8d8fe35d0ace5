"""Fristen in Arbeitstagen: ohne Samstag, Sonntag und die gesetzlichen Feiertage des Landes.

Das Land steht in `QL_BUNDESLAND` (Vorgabe „NW“: Fronleichnam und Allerheiligen sind frei,
Rosenmontag nicht). Stadteigene Schließtage (Rosenmontag, Heiligabend, Silvester) kommen
über `QL_ZUSAETZLICHE_FREIE_TAGE` hinzu: „JJJJ-MM-TT“ für einen Tag, „MM-TT“ für jedes Jahr.

Konvention für alle Fristen: „X plus N Arbeitstage ist verstrichen“ heißt
`X < arbeitstage_addieren(heute, -N)`. So rechnet Python einen Stichtag aus, und die Datenbank
vergleicht nur noch Daten (Arbeitstage lassen sich nicht in SQL zählen).
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=32)
def _feiertage(jahr: int, land: str, zusaetzliche: tuple[str, ...]) -> frozenset[datetime.date]:
    tage = set(holidays.country_holidays("DE", subdiv=land or None, years=jahr))
    for eintrag in zusaetzliche:
        eintrag = eintrag.strip()
        if not eintrag:
            continue
        if len(eintrag) == 5:  # MM-TT: jedes Jahr
            eintrag = f"{jahr}-{eintrag}"
        tag = datetime.date.fromisoformat(eintrag)
        if tag.year == jahr:
            tage.add(tag)
    return frozenset(tage)


def freie_tage(jahr: int) -> frozenset[datetime.date]:
    """Feiertage und zusätzliche freie Tage eines Jahres (ohne Wochenenden)."""
    return _feiertage(
        jahr, settings.QL_BUNDESLAND, tuple(settings.QL_ZUSAETZLICHE_FREIE_TAGE or ())
    )


def ist_arbeitstag(tag: datetime.date) -> bool:
    return tag.weekday() < 5 and tag not in freie_tage(tag.year)


def arbeitstage_addieren(tag: datetime.date, anzahl: int) -> datetime.date:
    """Der `anzahl`-te Arbeitstag nach `tag` (negativ: davor); `tag` selbst zählt nie mit.

    Freitag + 1 ist Montag; ein Samstag + 1 ebenso. Mit 0 kommt `tag` unverändert zurück.
    """
    schritt = datetime.timedelta(days=1 if anzahl >= 0 else -1)
    rest = abs(anzahl)
    while rest:
        tag += schritt
        if ist_arbeitstag(tag):
            rest -= 1
    return tag


def arbeitstage_zwischen(von: datetime.date, bis: datetime.date) -> int:
    """Arbeitstage nach `von` bis einschließlich `bis`; negativ, wenn `bis` davor liegt.

    Umkehrung von `arbeitstage_addieren`: `arbeitstage_zwischen(t, arbeitstage_addieren(t, n))
    == n`.
    """
    if bis < von:
        return -arbeitstage_zwischen(bis, von)
    anzahl = 0
    tag = von
    while tag < bis:
        tag += datetime.timedelta(days=1)
        if ist_arbeitstag(tag):
            anzahl += 1
    return anzahl


def stichtag(heute: datetime.date, anzahl: int) -> datetime.date:
    """Was vor diesem Tag begann, hat `anzahl` Arbeitstage bis `heute` hinter sich gelassen.

    Beispiel (N = 1): Antwort am Montag, fällig Dienstag, überfällig ab Mittwoch; am Mittwoch
    ist der Stichtag Dienstag, und Montag < Dienstag.
    """
    return arbeitstage_addieren(heute, -anzahl)


def arbeitstage_dauer(von: datetime.datetime, bis: datetime.datetime) -> int:
    """Dauer zwischen zwei Zeitpunkten in Arbeitstagen nach dem Ortsdatum (nie negativ).

    Am selben Tag: 0; Freitag → Montag: 1; Gründonnerstag → Dienstag nach Ostern: 1.
    Grundlage der gespeicherten Dauern für die Auswertung (anliegen/dauern.py)."""
    return max(0, arbeitstage_zwischen(timezone.localdate(von), timezone.localdate(bis)))
