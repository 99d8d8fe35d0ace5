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


def zusagen_zaehler(praefix: str = "", heute: datetime.date | None = None) -> dict:
    """Die Zählungen der Erfüllungsquote als Aggregate, für jede Abfrage verwendbar:
    `praefix` ist der Weg zur Zusage (leer von `Zusage` aus, „zusage__“ von einer
    Weiterleitung aus – eins zu eins, also ohne Vervielfachung). Schlüssel: anzahl,
    eingehalten, ohne_verschiebung, entfallen, offen, faellig."""
    p = praefix
    heute = heute or timezone.localdate()
    zusage = f"{p}pk"
    offen = Q(**{f"{p}status__in": OFFENE_ZSTATUS})
    eingehalten = Q(**{f"{p}status": ZStatus.EINGEHALTEN})
    return {
        "anzahl": Count(zusage),
        "eingehalten": Count(zusage, filter=eingehalten),
        "ohne_verschiebung": Count(zusage, filter=eingehalten & Q(**{f"{p}verschiebungen": 0})),
        "entfallen": Count(zusage, filter=Q(**{f"{p}status": ZStatus.ENTFALLEN})),
        "offen": Count(zusage, filter=offen),
        "faellig": Count(zusage, filter=offen & Q(**{f"{p}faellig_am__lte": heute})),
    }


def quote(eingehalten: int, entfallen: int) -> Decimal | None:
    """Eingehaltene an den erledigten Zusagen; None, solange nichts erledigt ist."""
    erledigt = eingehalten + entfallen
    return (Decimal(eingehalten) / erledigt).quantize(Decimal("0.001")) if erledigt else None


def erfuellungsquote(
    gruppe: str, zusagen: QuerySet[Zusage] | None = None, heute: datetime.date | None = None
) -> list[dict]:
    """Je Fachbereich oder Quartier: Zahl der Zusagen, eingehalten (davon ohne Verschiebung),
    entfallen, offen, fällig und die Quote (None, solange nichts erledigt ist)."""
    schluessel, name = _GRUPPEN[gruppe]
    zeilen = (
        (zusagen if zusagen is not None else Zusage.objects.all())
        .values(schluessel, name)
        .annotate(**zusagen_zaehler(heute=heute))
        .order_by(name)
    )
    return [
        {
            "id": zeile[schluessel],
            "name": zeile[name],
            **{k: zeile[k] for k in ("anzahl", "eingehalten", "ohne_verschiebung")},
            **{k: zeile[k] for k in ("entfallen", "offen", "faellig")},
            "quote": quote(zeile["eingehalten"], zeile["entfallen"]),
        }
        for zeile in zeilen
    ]
