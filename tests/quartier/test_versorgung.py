"""Auswertung Versorgung: Zahlen auf kleinen Daten mit bekannten Ergebnissen, das Beispiel
aus dem Konzept (01.01.2019), Filter, Exporte, Zugriff, keine Personendaten, Abfragezahlen."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from quartier.auswertung import (
    lebensraeume_mit_versorgung,
    plus_monate,
    versorgung,
    versorgung_je_bezirk,
)
from quartier.models import Kategorie, Kennzahl, User
from tests.factories import (
    BezirkFactory,
    LebensraumFactory,
    QuartierFactory,
    SozialraumFactory,
    StelleFactory,
)

URL = "/auswertung/versorgung/"
STICHTAG = datetime.date(2025, 3, 15)


def _text(antwort) -> str:
    return antwort.content.decode()


def _csv(antwort) -> str:
    return b"".join(antwort.streaming_content).decode("utf-8")


@pytest.fixture
def welt(db):
    """Bezirk West: Quartier A (a1 3.000, a2 1.000) und Quartier B (b 5.000) teilen sich eine
    Stelle mit 1,0 VZÄ; Bezirk Ost: c (2.000, besondere Herausforderungen) ohne Stelle,
    d (4.000, an der Schwelle) mit 0,5 VZÄ bis in 11 Monaten, e (1.000) mit 0,5 VZÄ bis in
    13 Monaten."""
    west = BezirkFactory(name="West")
    ost = BezirkFactory(name="Ost")
    sr_west = SozialraumFactory(bezirk=west, name="West 1")
    sr_ost = SozialraumFactory(bezirk=ost, name="Ost 1")
    lr = {
        "a1": LebensraumFactory(name="A eins", sozialraum=sr_west, einwohner=3000),
        "a2": LebensraumFactory(name="A zwei", sozialraum=sr_west, einwohner=1000),
        "b": LebensraumFactory(name="B", sozialraum=sr_west, einwohner=5000),
        "c": LebensraumFactory(
            name="Cdorf",
            sozialraum=sr_ost,
            einwohner=2000,
            kategorie=Kategorie.BESONDERE_HERAUSFORDERUNGEN,
        ),
        "d": LebensraumFactory(
            name="Dheim", sozialraum=sr_ost, einwohner=4000, kategorie=Kategorie.AN_DER_SCHWELLE
        ),
        "e": LebensraumFactory(name="Ehausen", sozialraum=sr_ost, einwohner=1000),
    }
    qa = QuartierFactory(bezirk=west, lebensraeume=[lr["a1"], lr["a2"]])
    qb = QuartierFactory(bezirk=west, lebensraeume=[lr["b"]])
    qd = QuartierFactory(bezirk=ost, lebensraeume=[lr["d"]])
    qe = QuartierFactory(bezirk=ost, lebensraeume=[lr["e"]])
    StelleFactory(bezeichnung="Gemeinsam AB", quartiere=[qa, qb], stellenanteil=Decimal("1.0"))
    StelleFactory(
        bezeichnung="Stelle D",
        quartiere=[qd],
        stellenanteil=Decimal("0.5"),
        ende=plus_monate(STICHTAG, 11),
        traeger="Caritas",
        foerderprogramm="Landesprogramm",
    )
    StelleFactory(
        bezeichnung="Stelle E",
        quartiere=[qe],
        stellenanteil=Decimal("0.5"),
        ende=plus_monate(STICHTAG, 13),
    )
    # Beendet und nur beantragt: zählen beide nicht.
    StelleFactory(bezeichnung="Alt C", quartiere=[qd], ende=datetime.date(2024, 12, 31))
    StelleFactory(bezeichnung="Beantragt", quartiere=[qd], status="beantragt")
    Kennzahl.objects.create(lebensraum=lr["c"], jahr=2020, art="sgb2_quote", wert="20.0")
    Kennzahl.objects.create(lebensraum=lr["c"], jahr=2024, art="sgb2_quote", wert="22.5")
    Kennzahl.objects.create(lebensraum=lr["c"], jahr=2026, art="sgb2_quote", wert="99.0")
    return {"west": west, "ost": ost, "lr": lr}


# --- Zahlen ------------------------------------------------------------------------------


def test_plus_monate():
    assert plus_monate(datetime.date(2025, 3, 15), 12) == datetime.date(2026, 3, 15)
    assert plus_monate(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert plus_monate(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert plus_monate(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)


def test_vzae_je_lebensraum_verteilt_stelle_auf_quartiere_und_einwohner(welt):
    zeilen = {lr.name: lr for lr in lebensraeume_mit_versorgung(STICHTAG)}
    # 1,0 VZÄ für zwei Quartiere: je 0,5; in A nach Einwohner:innen 3:1.
    assert zeilen["A eins"].vzae == pytest.approx(0.375)
    assert zeilen["A zwei"].vzae == pytest.approx(0.125)
    assert zeilen["B"].vzae == pytest.approx(0.5)
    assert zeilen["A eins"].vzae_je_10000 == pytest.approx(1.25)
    assert zeilen["A zwei"].vzae_je_10000 == pytest.approx(1.25)
    assert zeilen["B"].vzae_je_10000 == pytest.approx(1.0)
    assert zeilen["Dheim"].vzae_je_10000 == pytest.approx(1.25)
    assert zeilen["Cdorf"].vzae == 0 and not zeilen["Cdorf"].qm_aktiv
    assert zeilen["Dheim"].qm_aktiv and zeilen["Dheim"].foerderende == plus_monate(STICHTAG, 11)
    assert zeilen["A eins"].foerderende is None


def test_kennzahl_ist_juengster_wert_bis_zum_jahr_des_stichtags(welt):
    from quartier.models import KennzahlArt

    zeilen = {
        lr.name: lr for lr in lebensraeume_mit_versorgung(STICHTAG, arten=[KennzahlArt.SGB2_QUOTE])
    }
    assert zeilen["Cdorf"].kz_sgb2_quote == Decimal("22.5")
    assert zeilen["Cdorf"].kennzahl_jahr == 2024
    assert zeilen["Dheim"].kz_sgb2_quote is None


def test_vzae_je_bezirk_und_gesamt(welt):
    je_bezirk = {z["sozialraum__bezirk__name"]: z for z in versorgung_je_bezirk(STICHTAG)}
    assert je_bezirk["West"]["einwohner"] == 9000
    assert je_bezirk["West"]["vzae"] == pytest.approx(1.0)
    assert je_bezirk["West"]["vzae_je_10000"] == pytest.approx(10000 / 9000)
    assert je_bezirk["Ost"]["vzae"] == pytest.approx(1.0)
    assert je_bezirk["Ost"]["vzae_je_10000"] == pytest.approx(10000 / 7000)
    stand = versorgung(STICHTAG)
    assert stand["anzahl_stellen"] == 3
    assert stand["einwohner"] == 16000
    assert stand["vzae"] == pytest.approx(2.0)
    assert stand["vzae_je_10000"] == pytest.approx(1.25)


def test_warnungen_mit_grenze_von_zwoelf_monaten(welt):
    stand = versorgung(STICHTAG)
    assert [lr.name for lr in stand["ohne_qm"]] == ["Cdorf"]
    assert [lr.name for lr in stand["an_der_schwelle_ohne_qm"]] == []
    # Stelle D endet in 11 Monaten, Stelle E in 13: nur D ist eine Warnung.
    assert [s.bezeichnung for s in stand["endende_stellen"]] == ["Stelle D"]
    # Genau zwölf Monate zählen noch mit.
    genau = versorgung(plus_monate(STICHTAG, 1))
    assert [s.bezeichnung for s in genau["endende_stellen"]] == ["Stelle D", "Stelle E"]


def test_filter_bezirk_schraenkt_alles_ein(welt):
    stand = versorgung(
        STICHTAG, welt["lr"]["a1"].__class__.objects.filter(sozialraum__bezirk=welt["west"])
    )
    assert stand["anzahl_stellen"] == 1
    assert stand["vzae"] == pytest.approx(1.0)
    assert not list(stand["ohne_qm"]) and not list(stand["endende_stellen"])


# --- Seite -------------------------------------------------------------------------------


@pytest.fixture
def planung(welt):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="planung-v", rolle="sozialplanung"))
    return client


def test_seite_zeigt_tabelle_warnungen_und_diagramm(planung, welt):
    inhalt = _text(planung.get(URL, {"stichtag": "15.03.2025"}))
    assert "Versorgung am 15.03.2025" in inhalt
    warnungen = inhalt.split('id="h-warnungen"')[1].split('id="h-bezirke"')[0]
    assert "Cdorf" in warnungen and "Stelle D" in warnungen and "Stelle E" not in warnungen
    assert f"Förderung endet am {plus_monate(STICHTAG, 11):%d.%m.%Y}" in warnungen
    assert "1,25" in inhalt  # VZÄ je 10.000 gesamt und in A
    assert 'data-ql-diagramm="vzae-bezirk-daten"' in inhalt
    assert "chart.umd.min.js" in inhalt and "<caption" in inhalt
    assert "Caritas – Landesprogramm" in inhalt
    assert (
        "tabelle=lebensraeume&amp;format=csv" in inhalt
        or "tabelle=lebensraeume&format=csv" in inhalt
    )


def test_filter_bleibt_in_exportlinks(planung, welt):
    inhalt = _text(planung.get(URL, {"stichtag": "15.03.2025", "bezirk": welt["ost"].pk}))
    assert f"bezirk={welt['ost'].pk}" in inhalt.split("als CSV")[0].rsplit("href=", 1)[1]
    tabelle = inhalt.split('id="versorgung-lebensraeume"')[1]
    assert "Cdorf" in tabelle and "A eins" not in tabelle


@pytest.mark.parametrize(
    "parameter",
    [
        {"stichtag": "31.02.2019"},
        {"stichtag": "gestern"},
        {"stichtag": "01.01.1800"},
        {"bezirk": "abc"},
        {"sozialraum": "999999"},
        {"format": "pdf"},
    ],
)
def test_falsche_filter_deutsche_meldung_kein_fehler(planung, welt, parameter):
    antwort = planung.get(URL, parameter)
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    if "format" not in parameter:
        assert "Bitte prüfen Sie Ihre Eingaben" in inhalt or "Bitte" in inhalt


def test_csv_export_mit_bom_semikolon_und_filter(planung, welt):
    antwort = planung.get(
        URL, {"stichtag": "15.03.2025", "bezirk": welt["ost"].pk, "format": "csv"}
    )
    assert antwort["Content-Type"].startswith("text/csv")
    text = _csv(antwort)
    assert text.startswith("\ufeffLebensraum;Bezirk;Sozialraum;Kategorie;Einwohner:innen;")
    zeile = next(z for z in text.splitlines() if "Dheim" in z)
    assert ";ja;" in zeile and zeile.endswith(";0,50;1,25")
    assert "A eins" not in text


def test_xlsx_export_oeffnet_mit_openpyxl(planung, welt):
    antwort = planung.get(URL, {"stichtag": "15.03.2025", "format": "xlsx"})
    mappe = load_workbook(io.BytesIO(b"".join(antwort.streaming_content)))
    blatt = mappe.worksheets[0]
    zeilen = list(blatt.iter_rows(values_only=True))
    kopf = zeilen[0]
    b = next(z for z in zeilen if z[0].endswith(" B"))
    assert b[kopf.index("VZÄ je 10.000 Einwohner:innen")] == pytest.approx(1.0)


def test_bezirkstabelle_exportiert(planung, welt):
    text = _csv(planung.get(URL, {"stichtag": "15.03.2025", "tabelle": "bezirke", "format": "csv"}))
    assert "Ost;7000;1,00;1,43" in text


# --- Zugriff, Datenschutz, Abfragen ------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("planung", 200), ("admin", 200), ("qm", 200), ("fb", 403)]
)
def test_zugriff_je_rolle(stadt, client_fuer, persona, status):
    assert client_fuer(persona).get(URL).status_code == status
    assert client_fuer(persona).get(URL, {"format": "csv"}).status_code == status


def test_abgemeldet_zur_anmeldung(client, db):
    antwort = client.get(URL)
    assert antwort.status_code == 302 and antwort["Location"].startswith(reverse("login"))


def test_nur_get(stadt, client_fuer):
    assert client_fuer("planung").post(URL).status_code == 405


def test_keine_personendaten_in_seite_und_export(netz, client_fuer):
    client = client_fuer("planung")
    ausgaben = [
        _text(client.get(URL)),
        _csv(client.get(URL, {"format": "csv"})),
        _csv(client.get(URL, {"format": "csv", "tabelle": "bezirke"})),
    ]
    for inhalt in ausgaben:
        for kanarie in (netz.KANARIE_NAME, netz.KANARIE_EMAIL, netz.KANARIE_TELEFON):
            assert kanarie not in inhalt
        # auch keine Namen der Mitarbeitenden
        assert "Lena" not in inhalt and "Murat" not in inhalt


def _abfragen(client, parameter=None) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        assert client.get(URL, parameter or {}).status_code == 200
    return len(abfragen.captured_queries)


def test_abfragezahl_unabhaengig_von_datenmenge(planung, welt):
    # Sitzung, Benutzer:in, gewählter Bezirk, Bezirkstabelle, Summen, Anzahl Stellen,
    # Kennzahlarten, Bezirke und Sozialräume fürs Formular, ohne QM (2), endende Stellen
    # (+ Quartiere), für die Tabelle: laufende Stellen, Stellen je Quartier, Lebensräume (ein
    # Block) mit ihren Quartieren und Kennzahlen, Sitzung speichern (3).
    vorher = _abfragen(planung, {"stichtag": "15.03.2025", "bezirk": welt["ost"].pk})
    assert vorher <= 21
    for i in range(5):
        sr = SozialraumFactory(bezirk=welt["ost"])
        lr = LebensraumFactory(sozialraum=sr, kategorie=Kategorie.BESONDERE_HERAUSFORDERUNGEN)
        Kennzahl.objects.create(lebensraum=lr, jahr=2024, art="kinderarmut", wert="10")
        q = QuartierFactory(bezirk=welt["ost"], lebensraeume=[lr])
        StelleFactory(quartiere=[q], ende=plus_monate(STICHTAG, 2 + i))
    assert _abfragen(planung, {"stichtag": "15.03.2025", "bezirk": welt["ost"].pk}) == vorher


# --- Demodaten: das Beispiel aus dem Konzept ---------------------------------------------


@pytest.fixture
def demo(db):
    call_command("demo_daten", stdout=io.StringIO())


def test_demo_am_1_januar_2019_wie_im_konzept(demo):
    client = Client()
    client.force_login(User.objects.get(username="planung"))
    stand = versorgung(datetime.date(2019, 1, 1))
    assert [lr.name for lr in stand["ohne_qm"]] == ["Kronenberg"]
    assert "Kullen" in [lr.name for lr in stand["an_der_schwelle_ohne_qm"]]
    inhalt = _text(client.get(URL, {"stichtag": "01.01.2019"}))
    warnung = inhalt.split('id="w-ohne-qm"')[1].split('id="w-schwelle"')[0]
    assert "Kronenberg" in warnung and "Aachen-Nord" not in warnung
    schwelle = inhalt.split('id="w-schwelle"')[1].split('id="w-foerderende"')[0]
    assert "Kullen" in schwelle
    # Soziale Stadt Aachen-Nord endet am 31.12.2019, also innerhalb von zwölf Monaten.
    assert "31.12.2019" in inhalt.split('id="w-foerderende"')[1].split('id="h-bezirke"')[0]
    # Am Tag davor lief das QFI noch: niemand mit besonderen Herausforderungen ohne QM.
    assert not list(versorgung(datetime.date(2018, 12, 31))["ohne_qm"])


def test_startseite_verlinkt_die_versorgung(stadt, client_fuer):
    inhalt = _text(client_fuer("planung").get(reverse("quartier:start")))
    assert reverse("quartier:versorgung") + "?stichtag=" in inhalt


def test_zeilen_rechnen_wie_die_unterabfragen(welt):
    """Die Zeilen rechnen in Python, die Summen mit `_vzae_je_einwohner` in SQL: gleiche
    Werte, auch für einen Lebensraum in zwei Quartieren und ein Quartier ohne Einwohner:innen."""
    from django.db.models import FloatField, Value
    from django.db.models.functions import Cast, Coalesce

    from quartier.auswertung import _vzae_je_einwohner
    from quartier.models import Lebensraum

    doppelt = LebensraumFactory(
        name="Doppelt", sozialraum=welt["lr"]["b"].sozialraum, einwohner=700
    )
    leer = LebensraumFactory(name="Leer", sozialraum=welt["lr"]["b"].sozialraum, einwohner=0)
    q1 = QuartierFactory(bezirk=welt["west"], lebensraeume=[doppelt, welt["lr"]["a1"]])
    q2 = QuartierFactory(bezirk=welt["west"], lebensraeume=[doppelt])
    q3 = QuartierFactory(bezirk=welt["west"], lebensraeume=[leer])
    StelleFactory(bezeichnung="Drei", quartiere=[q1, q2, q3], stellenanteil=Decimal("0.75"))
    erwartet = dict(
        Lebensraum.objects.annotate(
            v=Coalesce(_vzae_je_einwohner(STICHTAG), Value(0.0)) * Cast("einwohner", FloatField())
        ).values_list("name", "v")
    )
    zeilen = {lr.name: lr for lr in lebensraeume_mit_versorgung(STICHTAG, blockgroesse=2)}
    assert set(zeilen) == set(erwartet)
    for name, wert in erwartet.items():
        assert zeilen[name].vzae == pytest.approx(wert), name
    assert zeilen["Doppelt"].vzae > 0 and zeilen["Leer"].vzae == 0
    assert zeilen["Leer"].vzae_je_10000 is None
    assert {s.bezeichnung for s in zeilen["A eins"].stellen} == {"Drei", "Gemeinsam AB"}


def test_export_abfragen_wachsen_nicht_mit_den_lebensraeumen(planung, welt):
    def zaehlen() -> int:
        with CaptureQueriesContext(connection) as abfragen:
            _csv(planung.get(URL, {"stichtag": "15.03.2025", "format": "csv"}))
        return len(abfragen.captured_queries)

    vorher = zaehlen()
    sr = SozialraumFactory(bezirk=welt["ost"])
    for _ in range(30):
        lr = LebensraumFactory(sozialraum=sr)
        Kennzahl.objects.create(lebensraum=lr, jahr=2024, art="kinderarmut", wert="10")
        QuartierFactory(bezirk=welt["ost"], lebensraeume=[lr])
    assert zaehlen() == vorher
