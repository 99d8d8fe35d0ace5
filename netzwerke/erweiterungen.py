"""Erweiterungspunkte für Seiten von `netzwerke`, an die höhere Apps Abschnitte hängen.

Wie `quartier.erweiterungen`: `netzwerke` darf `anliegen` nicht importieren. Die App
`anliegen` registriert in `AppConfig.ready()` Funktionen, die für die Seite eines Akteurs
(z. B. „Anliegen dieses Akteurs“), einer Sitzung (die dort eingebrachten Anliegen, auch im
Protokoll) oder eines Antrags an den Stadtteilfonds (die Anliegen, aus denen er kam) einen
Abschnitt liefern oder `None`.
"""

from collections.abc import Callable

from quartier.erweiterungen import Abschnitt
from quartier.typen import Anfrage

AkteurAbschnitt = Callable[[Anfrage, object], Abschnitt | None]

AKTEUR_ABSCHNITTE: list[AkteurAbschnitt] = []


def akteur_abschnitt(funktion: AkteurAbschnitt) -> AkteurAbschnitt:
    """Registriert einen Abschnitt für die Seite eines Akteurs."""
    if funktion not in AKTEUR_ABSCHNITTE:
        AKTEUR_ABSCHNITTE.append(funktion)
    return funktion


SitzungAbschnitt = Callable[[Anfrage, object], Abschnitt | None]

SITZUNG_ABSCHNITTE: list[SitzungAbschnitt] = []


def sitzung_abschnitt(funktion: SitzungAbschnitt) -> SitzungAbschnitt:
    """Registriert einen Abschnitt für die Seite (und das Protokoll) einer Sitzung."""
    if funktion not in SITZUNG_ABSCHNITTE:
        SITZUNG_ABSCHNITTE.append(funktion)
    return funktion


AntragAbschnitt = Callable[[Anfrage, object], Abschnitt | None]

ANTRAG_ABSCHNITTE: list[AntragAbschnitt] = []


def antrag_abschnitt(funktion: AntragAbschnitt) -> AntragAbschnitt:
    """Registriert einen Abschnitt für die Seite eines Antrags an den Stadtteilfonds (z. B. die
    Anliegen, aus denen er kam)."""
    if funktion not in ANTRAG_ABSCHNITTE:
        ANTRAG_ABSCHNITTE.append(funktion)
    return funktion
