"""Vorlagenfilter für `quartier.tabellen.Tabelle`: Werte deutsch formatiert je Spaltenart."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from quartier import tabellen

register = template.Library()


def _tausender(text: str) -> str:
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


@register.filter
def zelle(wert, art: str = tabellen.TEXT) -> str:
    """12345 → „12.345“, 0,125 (Anteil) → „12,5 %“, 2,5 → „2,50“, Datum → „01.01.2019“."""
    if wert is None or wert == "":
        return "–"
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if art == tabellen.ANTEIL and isinstance(wert, int | float | Decimal):
        return _tausender(f"{float(wert) * 100:,.1f}") + "\u00a0%"
    if art == tabellen.ZAHL and isinstance(wert, int | float | Decimal):
        return _tausender(f"{float(wert):,.0f}")
    if isinstance(wert, float | Decimal) or art == tabellen.DEZIMAL:
        try:
            return _tausender(f"{float(wert):,.2f}")
        except (TypeError, ValueError):
            return str(wert)
    if isinstance(wert, int):
        return _tausender(f"{wert:,}")
    if isinstance(wert, datetime.datetime):
        return timezone.localtime(wert).strftime("%d.%m.%Y %H:%M")
    if isinstance(wert, datetime.date):
        return wert.strftime("%d.%m.%Y")
    return str(wert)


@register.filter
def zellen(zeile, tabelle: tabellen.Tabelle) -> list[tuple]:
    """(Wert, Spalte) je Zelle einer Zeile."""
    return list(zip(tabelle.werte(zeile), tabelle.spalten, strict=True))
