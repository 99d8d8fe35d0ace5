"""Die Seite eines Akteurs zeigt die Anliegen, die er eingebracht hat oder an die er vermittelt
wurde (Erweiterungspunkt `netzwerke.erweiterungen`). Keine Personendaten: nur Nummer, Titel,
Quartier, Status."""

from django.db.models import Q

from netzwerke.erweiterungen import akteur_abschnitt
from quartier.erweiterungen import Abschnitt
from quartier.typen import Anfrage

from .datenschutz import maske_fuer
from .permissions import personendaten_ausdruck, sichtbare_anliegen

HOECHSTENS = 20


def anliegen_des_akteurs(request: Anfrage, akteur: object) -> Abschnitt | None:
    sichtbar = sichtbare_anliegen(request.user)
    bezug = sichtbar.filter(Q(akteur=akteur) | Q(vermittelt_an=akteur))
    anzahl = bezug.count()
    zeilen = (
        list(
            bezug.select_related("quartier", "meldende")
            .annotate(personendaten=personendaten_ausdruck(request.user))
            .order_by("-erstellt_am")[:HOECHSTENS]
        )
        if anzahl
        else []
    )
    for a in zeilen:
        # Titel können die meldende Person nennen: maskiert für wer sie nicht sehen darf.
        a.maske = maske_fuer(a.personendaten, a.meldende)  # type: ignore[attr-defined]
    return Abschnitt(
        "anliegen/_akteur_anliegen.html",
        {"akteur": akteur, "anzahl": anzahl, "hoechstens": HOECHSTENS, "anliegen": zeilen},
    )


def registrieren() -> None:
    akteur_abschnitt(anliegen_des_akteurs)
