"""Die Seite eines Antrags an den Stadtteilfonds zeigt die Anliegen, aus denen er kam
(`Anliegen.fondsantrag`, Erweiterungspunkt `netzwerke.erweiterungen`). Keine Personendaten:
Nummer, Titel (maskiert für wer die Person nicht sehen darf), Quartier, Status; nur Anliegen, die
die Person sehen darf (`sichtbare_anliegen`; der Fachbereich nur an ihn weitergeleitete)."""

from netzwerke.erweiterungen import antrag_abschnitt
from quartier.erweiterungen import Abschnitt
from quartier.typen import Anfrage

from .datenschutz import maske_fuer
from .permissions import personendaten_ausdruck, sichtbare_anliegen


def anliegen_des_antrags(request: Anfrage, antrag: object) -> Abschnitt | None:
    user = request.user
    # Eine Abfrage, gleich wie viele: Quartier und Person per Join, das Recht auf die
    # Personendaten als Ausdruck je Zeile.
    anliegen = list(
        sichtbare_anliegen(user)
        .filter(fondsantrag=antrag)  # type: ignore[misc]
        .select_related("quartier", "meldende")
        .annotate(personendaten=personendaten_ausdruck(user))
        .order_by("nummer")
    )
    if not anliegen:
        return None
    for a in anliegen:
        a.maske = maske_fuer(a.personendaten, a.meldende)  # type: ignore[attr-defined]
    return Abschnitt("anliegen/_antrag_anliegen.html", {"anliegen": anliegen})


def registrieren() -> None:
    antrag_abschnitt(anliegen_des_antrags)
