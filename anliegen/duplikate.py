"""Ähnliche offene Anliegen finden, damit Doppeltes gebündelt statt doppelt bearbeitet wird.

Ähnlich ist ein offenes (nicht abgeschlossenes) Anliegen im selben Quartier, das nicht selbst
unter einem anderen gebündelt ist, und

- dasselbe Thema hat und in den letzten `QL_DUPLIKAT_TAGE` Tagen erfasst wurde, oder
- eine nahe Adresse hat: Straße und Hausnummer stimmen nach dem Vereinheitlichen überein
  („Hauptstr. 5“ = „Hauptstraße 5“ = „hauptstrasse 5“), oder beide haben Koordinaten und
  liegen höchstens `QL_DUPLIKAT_METER` Meter auseinander.

Eine Abfrage: die Datenbank grenzt grob ein (Thema und Zeitraum, Anfang der Adresse, ein
Rechteck um die Koordinaten), Python prüft die wenigen Kandidaten genau (Adresse, Entfernung
nach Haversine) und ordnet nach Relevanz. Nur im selben Quartier, weil nur dort gebündelt
werden kann. Die Vorschläge tragen keine Daten der meldenden Person: Nummer, Titel, Ort,
Status, Datum und warum sie passen.
"""

import datetime
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.models import Quartier

from .models import Anliegen, Thema

ANZAHL = 5
KANDIDATEN = 200  # Obergrenze der grob eingegrenzten Zeilen, die Python genau prüft
ERDRADIUS_M = 6_371_000
METER_JE_GRAD = 111_320


def adresse_normalisieren(ort: str) -> str:
    """Kleinbuchstaben, „Straße/Strasse/Str.“ als „str“, Satzzeichen und Leerraum vereinheitlicht,
    „5 a“ als „5a“. Leer bleibt leer."""
    s = (ort or "").casefold()  # casefold macht aus „ß“ „ss“
    s = re.sub(r"strasse\b|str\.", "str", s)
    s = re.sub(r"[.,;:/()]", " ", s)
    s = re.sub(r"[\s-]+str\b", "str", s)  # „Haupt-Straße“, „Haupt Straße“
    s = re.sub(r"([^\W\d])(\d)", r"\1 \2", s)  # „Hauptstr.5“
    s = re.sub(r"(\d+)\s+([a-z])\b", r"\1\2", s)
    return " ".join(s.split())


def entfernung_m(breite1, laenge1, breite2, laenge2) -> float:
    """Entfernung zweier Punkte auf der Erdkugel in Metern (Haversine)."""
    p1, p2 = math.radians(float(breite1)), math.radians(float(breite2))
    dp = p2 - p1
    dl = math.radians(float(laenge2) - float(laenge1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * ERDRADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Vorschlag:
    """Ein ähnliches Anliegen, ohne Personendaten."""

    nummer: str
    titel: str
    ort: str
    status: str
    status_text: str
    erstellt_am: datetime.datetime
    gruende: list[str] = field(default_factory=list)
    punkte: int = 0
    meter: float | None = None


def aehnliche_anliegen(
    *,
    quartier: Quartier | int | None,
    thema: Thema | int | None,
    ort: str = "",
    breite: Decimal | float | None = None,
    laenge: Decimal | float | None = None,
    ausser: Anliegen | None = None,
) -> list[Vorschlag]:
    """Höchstens fünf ähnliche offene Anliegen, das relevanteste zuerst (siehe Modul)."""
    if not quartier:
        return []
    thema_id = getattr(thema, "pk", thema)
    schluessel = adresse_normalisieren(ort)
    radius = settings.QL_DUPLIKAT_METER
    mit_punkt = breite is not None and laenge is not None

    bedingung = Q()
    if thema_id:
        seit = timezone.now() - datetime.timedelta(days=settings.QL_DUPLIKAT_TAGE)
        bedingung |= Q(thema_id=thema_id, erstellt_am__gte=seit)
    if schluessel:
        # Grob: gleicher Anfang (vier Zeichen der Eingabe); genau vergleicht Python.
        bedingung |= Q(ort__istartswith=ort.strip()[:4])
    if breite is not None and laenge is not None:
        b, lg = float(breite), float(laenge)
        db = radius / METER_JE_GRAD
        dl = radius / (METER_JE_GRAD * max(math.cos(math.radians(b)), 0.01))
        bedingung |= Q(
            breite__gte=b - db, breite__lte=b + db, laenge__gte=lg - dl, laenge__lte=lg + dl
        )
    if not bedingung:
        return []
    kandidaten = (
        Anliegen.objects.offen()
        .filter(quartier=quartier, uebergeordnet__isnull=True)
        .filter(bedingung)
        .only("nummer", "titel", "ort", "status", "erstellt_am", "thema_id", "breite", "laenge")
        .order_by("-erstellt_am", "-pk")
    )
    if ausser is not None:
        kandidaten = kandidaten.exclude(pk=ausser.pk)

    seit = timezone.now() - datetime.timedelta(days=settings.QL_DUPLIKAT_TAGE)
    vorschlaege = []
    for a in kandidaten[:KANDIDATEN]:
        v = Vorschlag(
            nummer=a.nummer,
            titel=a.titel,
            ort=a.ort,
            status=a.status,
            status_text=str(a.get_status_display()),
            erstellt_am=a.erstellt_am,
        )
        if schluessel and adresse_normalisieren(a.ort) == schluessel:
            v.punkte += 4
            v.gruende.append(_("gleiche Adresse"))
        if mit_punkt and a.breite is not None and a.laenge is not None:
            meter = entfernung_m(breite, laenge, a.breite, a.laenge)
            if meter <= radius:
                v.meter = meter
                v.punkte += 3
                v.gruende.append(_("%(m)s m entfernt") % {"m": round(meter)})
        if thema_id and a.thema_id == thema_id and a.erstellt_am >= seit:
            v.punkte += 2
            v.gruende.append(_("gleiches Thema"))
        if v.punkte:
            vorschlaege.append(v)
    # Stabil sortiert: bei gleichen Punkten erst das nähere, dann das neuere (Abfrage-Ordnung).
    vorschlaege.sort(key=lambda v: (-v.punkte, v.meter if v.meter is not None else math.inf))
    return vorschlaege[:ANZAHL]
