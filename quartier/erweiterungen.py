"""Erweiterungspunkte, über die höhere Apps Abschnitte in Seiten von `quartier` einhängen.

`quartier` darf `netzwerke` und `anliegen` nicht importieren. Statt dessen registrieren
diese Apps in `AppConfig.ready()` eine Funktion, die für eine Seite einen Abschnitt
(Vorlage + Kontext) liefert oder `None`. So zeigt die Seite eines Stadtteilbüros z. B. die
Angebote der Bürogemeinschaft, ohne dass die Abhängigkeit umgedreht wird.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Stadtteilbuero
from .typen import Anfrage


@dataclass(frozen=True)
class Abschnitt:
    vorlage: str
    kontext: dict


BueroAbschnitt = Callable[[Anfrage, Stadtteilbuero], Abschnitt | None]
StartAbschnitt = Callable[[Anfrage], Abschnitt | None]

BUERO_ABSCHNITTE: list[BueroAbschnitt] = []
START_ABSCHNITTE: list[StartAbschnitt] = []


def buero_abschnitt(funktion: BueroAbschnitt) -> BueroAbschnitt:
    """Registriert einen Abschnitt für die Seite eines Stadtteilbüros."""
    if funktion not in BUERO_ABSCHNITTE:
        BUERO_ABSCHNITTE.append(funktion)
    return funktion


def start_abschnitt(funktion: StartAbschnitt) -> StartAbschnitt:
    """Registriert einen Abschnitt für „Mein Überblick“."""
    if funktion not in START_ABSCHNITTE:
        START_ABSCHNITTE.append(funktion)
    return funktion


def abschnitte(funktionen: list[Callable[..., Abschnitt | None]], *args: object) -> list[Abschnitt]:
    return [a for a in (f(*args) for f in funktionen) if a is not None]
