"""Tabellen für Seiten und Exporte: eine Beschreibung, drei Ausgaben (HTML, CSV, XLSX).

Jede Zahl, die eine Auswertung zeigt, steht in einer `Tabelle`; die Seite zeigt sie (neben
dem Diagramm), der Export schreibt sie als CSV (Semikolon, UTF-8 mit BOM, für ein deutsches
Excel) oder XLSX. Beide Exporte streamen: CSV Zeile für Zeile als `StreamingHttpResponse`,
XLSX mit openpyxl im Nur-Schreiben-Modus, das Zeilen sofort in eine temporäre Datei schreibt.
So bleibt der Speicher auch bei großen Exporten flach.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import TypeVar

from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

T = TypeVar("T")

TEXT = "text"
ZAHL = "zahl"
DEZIMAL = "dezimal"
ANTEIL = "anteil"  # 0..1, als Prozent angezeigt
DATUM = "datum"

ZAHLENARTEN = (ZAHL, DEZIMAL, ANTEIL)

XLSX_TYP = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Spalte:
    schluessel: str
    titel: str
    art: str = TEXT


@dataclass
class Tabelle:
    """Titel, Spalten und Zeilen (Dicts mit den Schlüsseln der Spalten oder Folgen)."""

    titel: str
    spalten: list[Spalte]
    zeilen: Iterable = field(default_factory=list)

    def werte(self, zeile) -> list:
        if isinstance(zeile, dict):
            return [zeile.get(s.schluessel) for s in self.spalten]
        return list(zeile)


@dataclass
class Diagramm:
    """Ein Diagramm über einer Tabelle: Beschriftung aus der ersten Spalte, je Reihe eine
    Zahlenspalte. Die Tabelle steht immer daneben (components/_diagramm.html)."""

    id: str
    tabelle: Tabelle
    typ: str = "bar"  # bar | line
    reihen: list[str] | None = None  # Schlüssel der Zahlenspalten; None: alle Zahlenspalten
    waagerecht: bool = False
    exporte: str = ""
    # Was die Werteachse zeigt, wenn es nicht die Tabelle als Ganzes ist (z. B. „Anliegen je
    # 1.000 Einwohner:innen“ neben einer Tabelle mit Anzahlen): Überschrift, Bildtext, Achse.
    achse: str = ""

    @property
    def daten_id(self) -> str:
        return f"{self.id}-daten"

    @property
    def daten(self) -> dict:
        zeilen = list(self.tabelle.zeilen)
        self.tabelle.zeilen = zeilen
        reihen = [
            s
            for s in self.tabelle.spalten[1:]
            if (s.schluessel in self.reihen if self.reihen is not None else s.art in ZAHLENARTEN)
        ]

        def zahl(wert, art):
            if wert is None:
                return None
            wert = float(wert)
            return round(wert * 100, 1) if art == ANTEIL else wert

        return {
            "typ": self.typ,
            "waagerecht": self.waagerecht,
            "achse": str(self.achse),
            "prozent": bool(reihen) and all(s.art == ANTEIL for s in reihen),
            "beschriftungen": [
                str(self.tabelle.werte(z)[0]) if self.tabelle.werte(z)[0] is not None else "–"
                for z in zeilen
            ],
            "reihen": [
                {
                    "name": str(s.titel),
                    "werte": [
                        zahl(self.tabelle.werte(z)[self.tabelle.spalten.index(s)], s.art)
                        for z in zeilen
                    ],
                }
                for s in reihen
            ],
        }


def schutz_vor_formeln(wert: str) -> str:
    """Schutz vor Formeln in Tabellenprogrammen (CSV-Injection): ein Apostroph vor Zellen,
    die mit = oder @ beginnen, oder mit + oder -, wenn Buchstaben folgen („=HYPERLINK(…)“,
    „-cmd|…“). Telefonnummern wie „+49 241 …“ und negative Zahlen bleiben unverändert."""
    if wert[:1] in ("=", "@", "\t", "\r") or (
        wert[:1] in ("+", "-") and any(z.isalpha() for z in wert)
    ):
        return f"'{wert}"
    return wert


def deutsch(wert, art: str = TEXT) -> str:
    """Ein Wert, wie ihn ein deutsches Tabellenprogramm in CSV erwartet (Komma, TT.MM.JJJJ)."""
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if art == ANTEIL and isinstance(wert, int | float | Decimal):
        return f"{float(wert) * 100:.1f}".replace(".", ",")
    if isinstance(wert, float | Decimal):
        return f"{wert:.2f}".replace(".", ",") if art != ZAHL else f"{wert:.0f}"
    if isinstance(wert, datetime.datetime):
        return (
            timezone.localtime(wert).strftime("%d.%m.%Y %H:%M")
            if timezone.is_aware(wert)
            else wert.strftime("%d.%m.%Y %H:%M")
        )
    if isinstance(wert, datetime.date):
        return wert.strftime("%d.%m.%Y")
    return schutz_vor_formeln(str(wert))


def bloecke(zeilen: Iterable[T], groesse: int) -> Iterator[list[T]]:
    """Die Zeilen in Listen zu höchstens `groesse` (für eine Abfrage je Block statt je Zeile)."""
    iterator = iter(zeilen)
    while block := list(islice(iterator, groesse)):
        yield block


def dateiname(titel: str, endung: str, stand: datetime.date | None = None) -> str:
    stand = stand or timezone.localdate()
    return f"{slugify(titel) or 'tabelle'}-{stand:%Y-%m-%d}.{endung}"


class _Puffer:
    """csv.writer schreibt hierhin; der Generator gibt jede Zeile sofort weiter."""

    def write(self, wert: str) -> str:
        return wert


def csv_zeilen(tabelle: Tabelle) -> Iterator[str]:
    schreiber = csv.writer(_Puffer(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + schreiber.writerow([s.titel for s in tabelle.spalten])
    for zeile in tabelle.zeilen:
        werte = tabelle.werte(zeile)
        yield schreiber.writerow(
            [deutsch(w, s.art) for w, s in zip(werte, tabelle.spalten, strict=True)]
        )


def _csv_rohzeilen(kopf: Sequence[str], zeilen: Iterable[list[str]]) -> Iterator[str]:
    schreiber = csv.writer(_Puffer(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + schreiber.writerow(kopf)
    for zeile in zeilen:
        yield schreiber.writerow([schutz_vor_formeln(wert) for wert in zeile])


def csv_zeilen_antwort(
    kopf: Sequence[str], zeilen: Iterable[list[str]], dateiname: str
) -> StreamingHttpResponse:
    """CSV aus fertigen Textzeilen (z. B. im Format eines Imports), gestreamt, mit Schutz vor
    Formeln in jeder Zelle."""
    antwort = StreamingHttpResponse(
        _csv_rohzeilen(kopf, zeilen), content_type="text/csv; charset=utf-8"
    )
    antwort["Content-Disposition"] = f'attachment; filename="{dateiname}"'
    return antwort


def csv_antwort(tabelle: Tabelle, name: str | None = None) -> StreamingHttpResponse:
    antwort = StreamingHttpResponse(csv_zeilen(tabelle), content_type="text/csv; charset=utf-8")
    antwort["Content-Disposition"] = (
        f'attachment; filename="{name or dateiname(tabelle.titel, "csv")}"'
    )
    return antwort


_XLSX_FORMAT: dict[str, str] = {
    DEZIMAL: "#,##0.00",
    ANTEIL: "0.0%",
    DATUM: "DD.MM.YYYY",
    ZAHL: "#,##0",
}


def _xlsx_wert(wert, art: str):
    if wert is None:
        return None
    if isinstance(wert, Decimal):
        return float(wert)
    if isinstance(wert, datetime.datetime):
        return timezone.localtime(wert).replace(tzinfo=None) if timezone.is_aware(wert) else wert
    if isinstance(wert, str):
        return schutz_vor_formeln(wert)
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    return wert


def xlsx_datei(tabellen: list[Tabelle], ziel) -> None:
    """Schreibt jede Tabelle als Blatt in `ziel` (Datei oder Pfad), im Nur-Schreiben-Modus."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    mappe = Workbook(write_only=True)
    fett = Font(bold=True)
    for tabelle in tabellen:
        # Blattnamen: höchstens 31 Zeichen, ohne []:*?/\
        name = "".join(z for z in tabelle.titel if z not in "[]:*?/\\")[:31] or "Tabelle"
        blatt = mappe.create_sheet(name)
        kopf = []
        for spalte in tabelle.spalten:
            zelle = WriteOnlyCell(blatt, value=spalte.titel)
            zelle.font = fett
            kopf.append(zelle)
        blatt.append(kopf)
        for zeile in tabelle.zeilen:
            reihe = []
            for wert, spalte in zip(tabelle.werte(zeile), tabelle.spalten, strict=True):
                zelle = WriteOnlyCell(blatt, value=_xlsx_wert(wert, spalte.art))
                if spalte.art in _XLSX_FORMAT and wert is not None:
                    zelle.number_format = _XLSX_FORMAT[spalte.art]
                reihe.append(zelle)
            blatt.append(reihe)
    mappe.save(ziel)


def xlsx_antwort(tabellen: Tabelle | list[Tabelle], name: str | None = None) -> FileResponse:
    tabellen = tabellen if isinstance(tabellen, list) else [tabellen]
    # Bis 8 MB im Speicher, darüber auf der Platte; FileResponse liest in Blöcken.
    # FileResponse schließt die Datei nach dem Senden; ein with-Block schlösse sie zu früh.
    datei = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    xlsx_datei(tabellen, datei)
    datei.seek(0)
    return FileResponse(
        datei,
        as_attachment=True,
        filename=name or dateiname(tabellen[0].titel, "xlsx"),
        content_type=XLSX_TYP,
    )


def export_basis(request: HttpRequest, tabelle: str) -> str:
    """URL der Seite mit ihren Filtern, ohne `format`/`tabelle`, für die Exportlinks
    (`_tabelle.html` hängt `format=csv|xlsx` an)."""
    parameter = request.GET.copy()
    for name in ("format", "tabelle", "page"):
        parameter.pop(name, None)
    parameter["tabelle"] = tabelle
    return f"{request.path}?{parameter.urlencode()}&"


EXPORTE: dict[str, Callable[[Tabelle], HttpResponseBase]] = {
    "csv": csv_antwort,
    "xlsx": xlsx_antwort,
}
