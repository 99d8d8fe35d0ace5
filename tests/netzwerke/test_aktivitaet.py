"""Auswertung Netzwerkaktivität: Sitzungen je Netzwerk und Jahr, Stadtteilfonds in Euro,
Anträge je Status; Filter, Exporte, Zugriff, keine Personendaten, Abfragezahlen."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from netzwerke import auswertung
from netzwerke.models import Antrag, Netzwerk, Sitzung, Stadtteilfonds

URL = "/auswertung/netzwerke/"


def _zeit(jahr, monat, tag):
    return datetime.datetime(jahr, monat, tag, 18, 0, tzinfo=datetime.UTC)


def _csv(antwort) -> str:
    return b"".join(antwort.streaming_content).decode("utf-8")


@pytest.fixture
def daten(netz):
    """Nord: 2 Sitzungen 2024, 1 in 2025; Süd: 1 in 2025. Fonds Nord 2026 (5.000 €):
    eingereicht 1.500, bewilligt 1.000 von 1.200, ausgezahlt 400 von 400; Süd 2026 (3.000 €):
    eingereicht 800. Dazu die Sitzungen des Fixtures (2026 bzw. um heute)."""
    for beginn in (_zeit(2024, 3, 1), _zeit(2024, 6, 1), _zeit(2025, 2, 1)):
        Sitzung.objects.create(netzwerk=netz.konferenz_nord, beginn=beginn, ort="Büro")
    Sitzung.objects.create(netzwerk=netz.konferenz_sued, beginn=_zeit(2025, 5, 1), ort="Saal")
    Antrag.objects.create(
        fonds=netz.fonds_nord,
        antragsteller=netz.jugendtreff,
        vorhaben="Fahrradwerkstatt",
        beschreibung="Werkzeug",
        beantragt=Decimal("1200"),
        status="bewilligt",
        bewilligt_betrag=Decimal("1000"),
    )
    Antrag.objects.create(
        fonds=netz.fonds_nord,
        antragsteller=netz.caritas,
        vorhaben="Kochaktion",
        beschreibung="Zutaten",
        beantragt=Decimal("400"),
        status="ausgezahlt",
        bewilligt_betrag=Decimal("400"),
    )
    return netz


def test_sitzungen_je_netzwerk_und_jahr(daten):
    tabelle = auswertung.tabelle_sitzungen_je_netzwerk(
        auswertung.Auswahl(von=datetime.date(2024, 1, 1), bis=datetime.date(2025, 12, 31))
    )
    zeilen = {z["netzwerk"]: z for z in tabelle.zeilen}
    assert [s.titel for s in tabelle.spalten][2:] == ["2024", "2025", "Summe"]
    assert (
        zeilen["Stadtteilkonferenz Nord"]["j2024"],
        zeilen["Stadtteilkonferenz Nord"]["j2025"],
    ) == (2, 1)
    assert zeilen["Stadtteilkonferenz Süd"]["summe"] == 1
    assert zeilen["AK Jugend Nord"]["summe"] == 0


def test_sitzungen_je_jahr(daten):
    zeilen = list(
        auswertung.sitzungen_je_jahr(
            auswertung.Auswahl(von=datetime.date(2024, 1, 1), bis=datetime.date(2025, 12, 31))
        )
    )
    assert zeilen == [
        {"jahr": 2024, "sitzungen": 2, "netzwerke": 1},
        {"jahr": 2025, "sitzungen": 2, "netzwerke": 2},
    ]


def test_fonds_budget_beantragt_bewilligt_ausgezahlt_offen(daten):
    zeilen = {z["netzwerk__name"]: z for z in auswertung.fonds_mit_summen(auswertung.Auswahl())}
    nord = zeilen["Stadtteilkonferenz Nord"]
    assert (nord["budget"], nord["beantragt"], nord["bewilligt"]) == (5000, 3100, 1400)
    assert (nord["ausgezahlt"], nord["offen"], nord["anzahl_antraege"]) == (400, 3600, 3)
    sued = zeilen["Stadtteilkonferenz Süd"]
    assert (sued["bewilligt"], sued["offen"], sued["anzahl_antraege"]) == (0, 3000, 1)
    je_jahr = auswertung.fonds_je_jahr(auswertung.Auswahl())
    assert je_jahr == [
        {
            "jahr": "2026",
            "budget": 8000,
            "beantragt": 3900,
            "bewilligt": 1400,
            "ausgezahlt": 400,
            "offen": 6600,
            "anzahl_antraege": 4,
        }
    ]


def test_antraege_je_status(daten):
    zeilen = {
        z["status"]: z["anzahl"]
        for z in auswertung.tabelle_antraege_je_status(auswertung.Auswahl()).zeilen
    }
    assert zeilen["eingereicht"] == 2
    assert zeilen["bewilligt"] == 1
    assert zeilen["ausgezahlt"] == 1
    assert zeilen["abgelehnt"] == 0


def test_netzwerk_mit_mehreren_quartieren_zaehlt_einmal(daten, stadt):
    daten.konferenz_nord.quartiere.add(stadt.sued)
    stadt.sued.bezirk = stadt.nord.bezirk
    stadt.sued.save()
    auswahl = auswertung.Auswahl(bezirk=stadt.nord.bezirk)
    assert auswertung.fonds_je_jahr(auswahl)[0]["budget"] == 8000
    zeilen = {z["netzwerk__name"]: z for z in auswertung.fonds_mit_summen(auswahl)}
    assert zeilen["Stadtteilkonferenz Nord"]["budget"] == 5000


def test_filter_quartier_und_art(daten, stadt):
    nur_sued = auswertung.fonds_je_jahr(auswertung.Auswahl(quartier=stadt.sued))
    assert nur_sued[0]["budget"] == 3000 and nur_sued[0]["bewilligt"] == 0
    arbeitskreise = auswertung.Auswahl(art="arbeitskreis")
    assert auswertung.fonds_je_jahr(arbeitskreise) == []
    assert [
        z["netzwerk"] for z in auswertung.tabelle_sitzungen_je_netzwerk(arbeitskreise).zeilen
    ] == ["AK Jugend Nord"]


def test_zeitraum_schraenkt_fonds_nach_jahr_ein(daten):
    auswahl = auswertung.Auswahl(von=datetime.date(2024, 1, 1), bis=datetime.date(2025, 12, 31))
    assert auswertung.fonds_je_jahr(auswahl) == []


# --- Seite -------------------------------------------------------------------------------


def test_seite_mit_diagrammen_und_tabellen(daten, client_fuer):
    inhalt = client_fuer("planung").get(URL, {"jahr": "2026"}).content.decode()
    for d in ("sitzungen-jahr-daten", "fonds-jahr-daten", "antraege-status-daten"):
        assert f'data-ql-diagramm="{d}"' in inhalt
    assert "Stadtteilfonds je Konferenz und Jahr" in inhalt
    assert "3.600,00" in inhalt  # offen Nord
    assert "jahr=2026&amp;tabelle=fonds&amp;format=csv" in inhalt


@pytest.mark.parametrize(
    "parameter",
    [
        {"jahr": "abc"},
        {"jahr": "1800"},
        {"von": "31.12.2025", "bis": "01.01.2025"},
        {"jahr": "2025", "von": "01.01.2025"},
        {"von": "32.01.2025"},
        {"bezirk": "x"},
        {"art": "unbekannt"},
    ],
)
def test_falsche_filter_deutsche_meldung(daten, client_fuer, parameter):
    antwort = client_fuer("planung").get(URL, parameter)
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in antwort.content.decode()


def test_csv_export_mit_bom_und_semikolon(daten, client_fuer):
    text = _csv(client_fuer("planung").get(URL, {"tabelle": "fonds", "format": "csv"}))
    assert text.startswith("\ufeffStadtteilkonferenz;Jahr;Budget (€);")
    assert "Stadtteilkonferenz Nord;2026;5000,00;3100,00;1400,00;400,00;3600,00;3" in text


def test_xlsx_export_mit_bekannter_zahl(daten, client_fuer):
    antwort = client_fuer("planung").get(URL, {"tabelle": "fonds_jahr", "format": "xlsx"})
    blatt = load_workbook(io.BytesIO(b"".join(antwort.streaming_content))).worksheets[0]
    zeilen = list(blatt.iter_rows(values_only=True))
    assert zeilen[1][0] == "2026" and zeilen[1][zeilen[0].index("offen (€)")] == 6600


@pytest.mark.parametrize(
    ("persona", "status"), [("planung", 200), ("admin", 200), ("qm", 200), ("fb", 403)]
)
def test_zugriff_je_rolle(stadt, client_fuer, persona, status):
    assert client_fuer(persona).get(URL).status_code == status
    assert client_fuer(persona).get(URL, {"format": "xlsx"}).status_code == status


def test_abgemeldet_zur_anmeldung(client, db):
    antwort = client.get(URL)
    assert antwort.status_code == 302 and antwort["Location"].startswith(reverse("login"))


def test_keine_personendaten(daten, client_fuer):
    client = client_fuer("planung")
    ausgaben = [client.get(URL).content.decode()] + [
        _csv(client.get(URL, {"tabelle": t, "format": "csv"})) for t in auswertung.TABELLEN
    ]
    for inhalt in ausgaben:
        for kanarie in (daten.KANARIE_NAME, daten.KANARIE_EMAIL, daten.KANARIE_TELEFON):
            assert kanarie not in inhalt


def _abfragen(client) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        assert client.get(URL, {"von": "01.01.2020", "bis": "31.12.2030"}).status_code == 200
    return len(abfragen.captured_queries)


def test_abfragezahl_unabhaengig_von_datenmenge(daten, client_fuer, stadt):
    client = client_fuer("planung")
    # Sitzung, Benutzer:in; Sitzungen je Jahr, Netzwerke, Sitzungen je Netzwerk und Jahr;
    # Budgets je Jahr, Anträge je Jahr; Fonds; Anträge je Status; Bezirke und Quartiere
    # fürs Formular; Sitzung speichern.
    vorher = _abfragen(client)
    assert vorher <= 14
    for i in range(4):
        netzwerk = Netzwerk.objects.create(name=f"Konferenz {i}", art="stadtteilkonferenz")
        netzwerk.quartiere.set([stadt.nord, stadt.sued])
        for jahr in (2021, 2022, 2023):
            Sitzung.objects.create(netzwerk=netzwerk, beginn=_zeit(jahr, 4, 1), ort="Ort")
            fonds = Stadtteilfonds.objects.create(netzwerk=netzwerk, jahr=jahr, budget=100)
            Antrag.objects.create(
                fonds=fonds,
                antragsteller=daten.verein_sued,
                vorhaben="x",
                beschreibung="y",
                beantragt=Decimal("10"),
            )
    assert _abfragen(client) == vorher
