"""Die Seite einer Sitzung und ihr Protokoll zeigen die Anliegen, die dort eingebracht wurden
(Erweiterungspunkt `netzwerke.erweiterungen`). Keine Personendaten: Nummer, Titel (maskiert für
wer die Person nicht sehen darf), Status; nur Anliegen, die die Person sehen darf
(`sichtbare_anliegen`)."""

from netzwerke.erweiterungen import sitzung_abschnitt
from quartier.erweiterungen import Abschnitt
from quartier.typen import Anfrage

from .datenschutz import maske_fuer
from .permissions import personendaten_ausdruck, sichtbare_anliegen


def anliegen_der_sitzung(request: Anfrage, sitzung: object) -> Abschnitt | None:
    user = request.user
    anliegen = list(
        sichtbare_anliegen(user)
        .filter(sitzung=sitzung)  # type: ignore[misc]
        .select_related("meldende")
        .annotate(personendaten=personendaten_ausdruck(user))
        .order_by("nummer")
    )
    if not anliegen:
        return None
    for a in anliegen:
        a.maske = maske_fuer(a.personendaten, a.meldende)  # type: ignore[attr-defined]
    return Abschnitt("anliegen/_sitzung_anliegen.html", {"anliegen": anliegen})


def registrieren() -> None:
    sitzung_abschnitt(anliegen_der_sitzung)
