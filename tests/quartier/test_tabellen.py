"""quartier.tabellen: eine Tabelle, drei Ausgaben (HTML, CSV, XLSX), dazu Diagrammdaten."""

import datetime
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from openpyxl import load_workbook

from quartier import tabellen
from quartier.tabellen import ANTEIL, DATUM, DEZIMAL, ZAHL, Diagramm, Spalte, Tabelle
from quartier.templatetags.tabellen import zelle


def _tabelle(zeilen=None) -> Tabelle:
    return Tabelle(
        "Anliegen je Quartier",
        [
            Spalte("quartier", "Quartier"),
            Spalte("anzahl", "Anliegen", ZAHL),
            Spalte("anteil", "Anteil weitergeleitet", ANTEIL),
            Spalte("je_1000", "je 1.000 Einwohner:innen", DEZIMAL),
            Spalte("seit", "seit", DATUM),
        ],
        zeilen
        if zeilen is not None
        else [
            {
                "quartier": "Ost/Rothe Erde",
                "anzahl": 1234,
                "anteil": 0.125,
                "je_1000": Decimal("2.5"),
                "seit": datetime.date(2019, 1, 1),
            },
            {"quartier": '=HYPERLINK("x")', "anzahl": 0, "anteil": None, "je_1000": None},
        ],
    )


def _csv(antwort) -> str:
    assert isinstance(antwort, StreamingHttpResponse)
    return b"".join(antwort.streaming_content).decode("utf-8")


def test_csv_mit_bom_semikolon_und_deutschen_zahlen():
    antwort = tabellen.csv_antwort(_tabelle())
    assert antwort["Content-Type"] == "text/csv; charset=utf-8"
    assert antwort["Content-Disposition"].startswith('attachment; filename="anliegen-je-quartier-')
    text = _csv(antwort)
    assert text.startswith("\ufeffQuartier;Anliegen;Anteil weitergeleitet;")
    zeilen = text.lstrip("\ufeff").split("\r\n")
    assert zeilen[1] == "Ost/Rothe Erde;1234;12,5;2,50;01.01.2019"


def test_csv_schuetzt_vor_formeln():
    text = _csv(tabellen.csv_antwort(_tabelle()))
    assert "'=HYPERLINK" in text
    assert tabellen.schutz_vor_formeln("+49 241 432") == "+49 241 432"
    assert tabellen.schutz_vor_formeln("-cmd|x") == "'-cmd|x"
    assert tabellen.schutz_vor_formeln("@SUMME") == "'@SUMME"


def test_csv_streamt_zeilen_aus_einem_generator():
    erzeugt = []

    def zeilen():
        for i in range(3):
            erzeugt.append(i)
            yield {"quartier": f"Q{i}", "anzahl": i}

    antwort = tabellen.csv_antwort(_tabelle(zeilen()))
    assert erzeugt == []  # nichts vorab in den Speicher gelesen
    teile = iter(antwort.streaming_content)
    next(teile)  # Kopfzeile
    next(teile)
    assert erzeugt == [0]


def test_xlsx_oeffnet_sich_mit_zahlen_als_zahlen():
    antwort = tabellen.xlsx_antwort(_tabelle())
    assert antwort["Content-Type"] == tabellen.XLSX_TYP
    assert "anliegen-je-quartier-" in antwort["Content-Disposition"]
    mappe = load_workbook(io.BytesIO(b"".join(antwort.streaming_content)))
    blatt = mappe["Anliegen je Quartier"]
    assert [z.value for z in blatt[1]] == [
        "Quartier",
        "Anliegen",
        "Anteil weitergeleitet",
        "je 1.000 Einwohner:innen",
        "seit",
    ]
    zeile = [z.value for z in blatt[2]]
    assert zeile[:4] == ["Ost/Rothe Erde", 1234, 0.125, 2.5]
    assert zeile[4].date() == datetime.date(2019, 1, 1)
    assert blatt["C2"].number_format == "0.0%"
    assert blatt["A3"].value == '\'=HYPERLINK("x")'


def test_xlsx_mehrere_blaetter_mit_gueltigen_namen():
    eins = _tabelle()
    zwei = Tabelle("Antwortzeit: Median [Tage]/Fachbereich und mehr als 31 Zeichen", eins.spalten)
    ziel = io.BytesIO()
    tabellen.xlsx_datei([eins, zwei], ziel)
    namen = load_workbook(ziel).sheetnames
    assert namen[0] == "Anliegen je Quartier"
    assert len(namen[1]) <= 31 and not set("[]:*?/\\") & set(namen[1])


@pytest.mark.parametrize(
    ("wert", "art", "text"),
    [
        (1234567, ZAHL, "1.234.567"),
        (0.125, ANTEIL, "12,5\u00a0%"),
        (Decimal("2.5"), DEZIMAL, "2,50"),
        (1234.5, DEZIMAL, "1.234,50"),
        (datetime.date(2019, 1, 1), DATUM, "01.01.2019"),
        (None, ZAHL, "–"),
        (True, "text", "ja"),
        ("Kronenberg", "text", "Kronenberg"),
    ],
)
def test_zelle_deutsch(wert, art, text):
    assert zelle(wert, art) == text


def test_diagrammdaten_aus_der_tabelle():
    d = Diagramm("q", _tabelle(), reihen=["anzahl", "anteil"])
    daten = d.daten
    assert daten["beschriftungen"] == ["Ost/Rothe Erde", '=HYPERLINK("x")']
    assert daten["reihen"][0] == {"name": "Anliegen", "werte": [1234.0, 0.0]}
    assert daten["reihen"][1] == {"name": "Anteil weitergeleitet", "werte": [12.5, None]}
    assert daten["prozent"] is False
    nur_anteil = Diagramm("p", _tabelle(), reihen=["anteil"]).daten
    assert nur_anteil["prozent"] is True


def test_diagramm_baustein_mit_tabelle_und_json_ohne_inline_skript():
    d = Diagramm("anliegen-quartier", _tabelle(), exporte="/auswertung/?bezirk=1&")
    html = render_to_string("components/_diagramm.html", {"d": d})
    assert '<canvas data-ql-diagramm="anliegen-quartier-daten" role="img"' in html
    assert '<script id="anliegen-quartier-daten" type="application/json">' in html
    assert '<caption id="anliegen-quartier-titel"' in html
    assert '<th scope="row" class="kern-table__cell">Ost/Rothe Erde</th>' in html
    assert "1.234" in html and "12,5\u00a0%" in html
    assert 'href="/auswertung/?bezirk=1&amp;format=xlsx"' in html
    assert "style=" not in html
    # Formeln sind in HTML harmlos und bleiben Text (escaped).
    assert "=HYPERLINK(&quot;x&quot;)" in html


def test_leere_tabelle_sagt_das():
    html = render_to_string("components/_tabelle.html", {"tabelle": _tabelle([]), "id": "leer"})
    assert "Keine Daten für diese Auswahl." in html
