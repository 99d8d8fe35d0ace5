"""Kennzahlen des Kreislaufs, die Dashboards und Berichte brauchen.

Erfüllungsquote der Zusagen: Anteil der eingehaltenen an den erledigten Zusagen
(eingehalten + entfallen). Offene zählen nicht mit, sie sind noch nicht entschieden; wie
viele davon fällig sind und wie viele erst nach einer Verschiebung eingehalten wurden, steht
daneben. Eine Abfrage je Gruppierung, gleich wie viele Zusagen es gibt.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import OFFENE_ZSTATUS, ZStatus, Zusage

_GRUPPEN = {
    "fachbereich": ("weiterleitung__fachbereich", "weiterleitung__fachbereich__kuerzel"),
    "quartier": ("weiterleitung__anliegen__quartier", "weiterleitung__anliegen__quartier__name"),
}


def erfuellungsquote(
    gruppe: str, zusagen: QuerySet[Zusage] | None = None, heute: datetime.date | None = None
) -> list[dict]:
    """Je Fachbereich oder Quartier: Zahl der Zusagen, eingehalten (davon ohne Verschiebung),
    entfallen, offen, fällig und die Quote (None, solange nichts erledigt ist)."""
    schluessel, name = _GRUPPEN[gruppe]
    heute = heute or timezone.localdate()
    offen = Q(status__in=OFFENE_ZSTATUS)
    zeilen = (
        (zusagen if zusagen is not None else Zusage.objects.all())
        .values(schluessel, name)
        .annotate(
            anzahl=Count("pk"),
            eingehalten=Count("pk", filter=Q(status=ZStatus.EINGEHALTEN)),
            ohne_verschiebung=Count("pk", filter=Q(status=ZStatus.EINGEHALTEN, verschiebungen=0)),
            entfallen=Count("pk", filter=Q(status=ZStatus.ENTFALLEN)),
            offen=Count("pk", filter=offen),
            faellig=Count("pk", filter=offen & Q(faellig_am__lte=heute)),
        )
        .order_by(name)
    )
    ergebnis = []
    for zeile in zeilen:
        erledigt = zeile["eingehalten"] + zeile["entfallen"]
        quote = (
            (Decimal(zeile["eingehalten"]) / erledigt).quantize(Decimal("0.001"))
            if erledigt
            else None
        )
        ergebnis.append(
            {
                "id": zeile[schluessel],
                "name": zeile[name],
                **{k: zeile[k] for k in ("anzahl", "eingehalten", "ohne_verschiebung")},
                **{k: zeile[k] for k in ("entfallen", "offen", "faellig")},
                "quote": quote,
            }
        )
    return ergebnis
