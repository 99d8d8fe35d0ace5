"""Die Seite einer Sitzung und ihr Protokoll zeigen die Anliegen, die dort eingebracht wurden
(Erweiterungspunkt `netzwerke.erweiterungen`). Keine Personendaten: nur Nummer, Titel, Status;
nur Anliegen, die die Person sehen darf (`sichtbare_anliegen`)."""

from django.http import HttpRequest

from netzwerke.erweiterungen import sitzung_abschnitt
from quartier.erweiterungen import Abschnitt

from .permissions import sichtbare_anliegen


def anliegen_der_sitzung(request: HttpRequest, sitzung: object) -> Abschnitt | None:
    anliegen = list(
        sichtbare_anliegen(request.user)  # type: ignore[arg-type]
        .filter(sitzung=sitzung)
        .only("pk", "nummer", "titel", "status")
        .order_by("nummer")
    )
    if not anliegen:
        return None
    return Abschnitt("anliegen/_sitzung_anliegen.html", {"anliegen": anliegen})


def registrieren() -> None:
    sitzung_abschnitt(anliegen_der_sitzung)
