"""Erweiterungspunkte für Seiten von `netzwerke`, an die höhere Apps Abschnitte hängen.

Wie `quartier.erweiterungen`: `netzwerke` darf `anliegen` nicht importieren. Die App
`anliegen` registriert in `AppConfig.ready()` eine Funktion, die für die Seite eines Akteurs
einen Abschnitt liefert (z. B. „Anliegen dieses Akteurs“) oder `None`.
"""

from collections.abc import Callable

from django.http import HttpRequest

from quartier.erweiterungen import Abschnitt

AkteurAbschnitt = Callable[[HttpRequest, object], Abschnitt | None]

AKTEUR_ABSCHNITTE: list[AkteurAbschnitt] = []


def akteur_abschnitt(funktion: AkteurAbschnitt) -> AkteurAbschnitt:
    """Registriert einen Abschnitt für die Seite eines Akteurs."""
    if funktion not in AKTEUR_ABSCHNITTE:
        AKTEUR_ABSCHNITTE.append(funktion)
    return funktion
