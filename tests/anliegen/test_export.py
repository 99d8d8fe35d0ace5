"""Export der gefilterten Anliegen-Liste: gleiche Auswahl wie die Liste, keine Personendaten
(auch nicht in Freitexten) für jede Rolle, CSV gestreamt, XLSX, große Exporte im Hintergrund,
feste Abfragezahl."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from anliegen import workflow
from anliegen.datenschutz import maskieren
from anliegen.export import _maskiert
from anliegen.models import Anliegen, Meldende
from quartier.models import Exportauftrag, Exportstatus

from .conftest import Lotse

URL = reverse("anliegen:export")
LISTE = reverse("anliegen:liste")
NACHNAME = "Bürgerin"
ALLE = ["qm", "qm2", "fb", "planung", "admin"]
LECKS = (Lotse.NAME, NACHNAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT, "7f3a")


@pytest.fixture(autouse=True)
def _ablage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _csv(antwort) -> list[dict]:
    assert antwort.streaming
    text = antwort.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def welt(lotse):
    """Nord: eines nennt die Person in Titel und Ort und ist an den Stadtbetrieb
    weitergeleitet (Frist gestern: überfällig); eines ohne Person. Süd: ein abgeschlossenes."""
    stadt = lotse.stadt
    genannt = lotse.erfassen(
        titel=f"Sperrmüll bei Frau {NACHNAME}", ort=f"vor {Lotse.ANSCHRIFT}, Tel. {Lotse.TELEFON}"
    )
    workflow.weiterleiten(genannt, an=[lotse.stadtbetrieb], nachricht="abholen", durch=stadt.qm)
    # die Frist ist inzwischen verstrichen
    genannt.weiterleitungen.update(frist=timezone.localdate() - datetime.timedelta(days=1))
    ohne = lotse.erfassen(meldende=None, titel="Bank kaputt", ort="Spielplatz")
    sued = lotse.erfassen(
        meldende=None, titel="Laterne aus", quartier=stadt.sued, durch=stadt.qm2, ort=""
    )
    workflow.abschliessen(sued, grund="erledigt", durch=stadt.qm2)
    return {"genannt": genannt, "ohne": ohne, "sued": sued}


# --- Personendaten: je Rolle ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_keine_personendaten_je_rolle(welt, client_fuer, persona, format_):
    antwort = client_fuer(persona).get(URL, {"q": "", "format": format_})
    assert antwort.status_code == 200
    if format_ == "csv":
        inhalt = antwort.getvalue().decode("utf-8")
    else:
        blatt = load_workbook(io.BytesIO(antwort.getvalue())).worksheets[0]
        inhalt = "\n".join(
            ";".join("" if z is None else str(z) for z in zeile)
            for zeile in blatt.iter_rows(values_only=True)
        )
    if persona != "qm":  # nur das zuständige QM darf die Person sehen (wie in der Liste)
        assert [w for w in LECKS if w in inhalt] == []
    # Keine Spalte für Personendaten, für keine Rolle – auch nicht für das zuständige QM.
    kopf = inhalt.lstrip("\ufeff").splitlines()[0]
    for spalte in ("Name", "E-Mail", "Telefon", "Anschrift", "Meldende"):
        assert spalte not in kopf.split(";")
    assert Lotse.EMAIL not in inhalt  # steht nur in der Person, in keinem Freitext


@pytest.mark.parametrize("persona", ["qm2", "fb", "planung", "admin"])
def test_freitexte_maskiert_wie_in_der_liste(welt, client_fuer, persona):
    zeilen = {z["Nummer"]: z for z in _csv(client_fuer(persona).get(URL, {"q": ""}))}
    genannt = zeilen[welt["genannt"].nummer]
    assert genannt["Titel"] == "Sperrmüll bei Frau [Name]"
    assert genannt["Ort"] == "vor [Adresse], Tel. [Telefon]"


def test_zustaendiges_qm_sieht_titel_unveraendert_wie_in_der_liste(welt, client_fuer):
    zeilen = {z["Nummer"]: z for z in _csv(client_fuer("qm").get(URL, {"q": ""}))}
    assert zeilen[welt["genannt"].nummer]["Titel"] == f"Sperrmüll bei Frau {NACHNAME}"


def test_fachbereich_mit_geteiltem_kontakt_sieht_den_titel(lotse, client_fuer):
    a = lotse.erfassen(titel=f"Frau {NACHNAME} fragt")
    workflow.weiterleiten(
        a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm, kontakt_teilen=True
    )
    zeilen = _csv(client_fuer("fb").get(URL, {"q": ""}))
    assert [z["Titel"] for z in zeilen] == [f"Frau {NACHNAME} fragt"]


# --- Auswahl wie die Liste -----------------------------------------------------------------


def test_spalten_und_werte(welt, client_fuer):
    antwort = client_fuer("planung").get(URL, {"q": ""})
    assert antwort["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f'filename="anliegen-{timezone.localdate():%Y-%m-%d}.csv"' in antwort["Content-Disposition"]
    )
    zeilen = {z["Nummer"]: z for z in _csv(antwort)}
    g = zeilen[welt["genannt"].nummer]
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    assert g["Quartier"] == "Quartier Nord" and g["Thema"] == "Wilder Müll"
    assert g["Status"] == "weitergeleitet" and g["Fachbereiche"] == "E 18"
    assert g["Nächste Frist"] == f"{gestern:%d.%m.%Y}" and g["Antwort überfällig"] == "ja"
    assert g["Erfasst am"] == f"{timezone.localdate():%d.%m.%Y}"
    s = zeilen[welt["sued"].nummer]
    assert s["Status"] == "abgeschlossen" and s["Abschlussgrund"] == "erledigt"
    assert s["Abgeschlossen am"] == f"{timezone.localdate():%d.%m.%Y}"
    assert s["Antwort überfällig"] == "nein" and s["Nächste Frist"] == ""


def test_vorgaben_wie_die_liste_nur_offene_und_eigene_quartiere(welt, client_fuer):
    nummern = {z["Nummer"] for z in _csv(client_fuer("qm").get(URL))}
    assert nummern == {welt["genannt"].nummer, welt["ohne"].nummer}
    planung = {z["Nummer"] for z in _csv(client_fuer("planung").get(URL))}
    assert planung == {welt["genannt"].nummer, welt["ohne"].nummer}  # nur offene


@pytest.mark.parametrize(
    "filter_",
    [
        {"q": "Bank"},
        {"q": "", "status": "abgeschlossen"},
        {"q": "", "sortierung": "nummer"},
        {"q": "", "sortierung": "-quartier"},
        {"q": "", "ueberfaellig": "on"},
        {"q": "", "quartier": "sued"},
    ],
)
def test_gleiche_auswahl_und_reihenfolge_wie_die_liste(welt, client_fuer, filter_):
    client = client_fuer("planung")
    liste = client.get(LISTE, filter_).content.decode()
    export = [z["Nummer"] for z in _csv(client.get(URL, {**filter_, "format": "csv"}))]
    in_der_liste = [
        a.nummer
        for a in sorted(Anliegen.objects.all(), key=lambda a: liste.find(f">{a.nummer}<"))
        if f">{a.nummer}<" in liste
    ]
    assert export == in_der_liste


def test_fachbereich_exportiert_nur_was_er_sieht(welt, client_fuer, lotse):
    nummern = [z["Nummer"] for z in _csv(client_fuer("fb").get(URL, {"q": ""}))]
    assert nummern == [welt["genannt"].nummer]
    from django.test import Client

    fb2 = Client()
    fb2.force_login(lotse.fb2)
    assert _csv(fb2.get(URL, {"q": ""})) == []


def test_falsches_format_und_filter_ohne_fehler(welt, client_fuer):
    client = client_fuer("planung")
    assert client.get(URL, {"format": "pdf"}).streaming  # CSV statt eines Fehlers
    for falsch in ({"status": "gibtsnicht"}, {"quartier": "999"}, {"sortierung": "x"}):
        assert client.get(URL, {**falsch, "format": "csv"}).status_code == 200


def test_abgemeldet_zur_anmeldung_und_nur_get(client, welt, client_fuer):
    antwort = client.get(URL)
    assert antwort.status_code == 302 and antwort["Location"].startswith(reverse("login"))
    assert client_fuer("planung").post(URL).status_code == 405


def test_liste_verlinkt_den_export_mit_ihren_filtern(welt, client_fuer):
    inhalt = client_fuer("planung").get(LISTE, {"q": "Bank", "status": ""}).content.decode()
    assert f'href="{URL}?q=Bank&amp;status=&amp;format=csv"' in inhalt
    assert f'href="{URL}?q=Bank&amp;status=&amp;format=xlsx"' in inhalt
    ohne = client_fuer("planung").get(LISTE).content.decode()
    assert f'href="{URL}?format=csv"' in ohne


# --- Abfragen, Streaming, Hintergrund -------------------------------------------------------


def _abfragen(client, **parameter) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        _csv(client.get(URL, {"q": "", **parameter}))
    return len(abfragen.captured_queries)


@pytest.mark.parametrize("persona", ["planung", "fb", "qm"])
def test_abfragen_wachsen_nicht_mit_den_zeilen(welt, lotse, client_fuer, persona):
    client = client_fuer(persona)
    vorher = _abfragen(client)
    for i in range(15):
        a = lotse.erfassen(titel=f"Noch eins {i}")
        workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    assert _abfragen(client) == vorher


def test_ueber_mehrere_bloecke_vollstaendig(welt, lotse, client_fuer, monkeypatch):
    from anliegen import export

    monkeypatch.setattr(export, "BLOCK", 2)
    for i in range(5):
        lotse.erfassen(meldende=None, titel=f"Block {i}")
    zeilen = _csv(client_fuer("planung").get(URL, {"q": ""}))
    assert len(zeilen) == Anliegen.objects.count() == 8
    assert {z["Fachbereiche"] for z in zeilen if z["Nummer"] == welt["genannt"].nummer} == {"E 18"}


def test_grosses_xlsx_im_hintergrund_mit_rechten_der_person(
    welt, client_fuer, settings, stadt, db_worker
):
    settings.QL_EXPORT_SOFORT_ZEILEN = 1
    client = client_fuer("planung")
    hinweis = client.get(URL, {"q": "", "format": "xlsx"}).content.decode()
    assert "Im Hintergrund erstellen" in hinweis
    antwort = client.post(
        reverse("quartier:export_anlegen"),
        {"quelle": "anliegen_liste", "format": "xlsx", "parameter": "q="},
    )
    assert antwort.status_code == 302
    db_worker()
    auftrag = Exportauftrag.objects.get()
    assert auftrag.status == Exportstatus.FERTIG, auftrag.meldung
    assert auftrag.zeilen_gesamt == 3
    datei = client.get(reverse("quartier:export_datei", args=[auftrag.pk])).getvalue()
    blatt = load_workbook(io.BytesIO(datei)).worksheets[0]
    text = "\n".join(str(z) for zeile in blatt.iter_rows(values_only=True) for z in zeile)
    assert "Sperrmüll bei Frau [Name]" in text
    assert [w for w in LECKS if w in text] == []


# --- Vorprüfung der Maske: nie „nennt nicht“, wo die Maske träfe ----------------------------

ERIKA = Meldende(
    name="Erika Zwackelmann-Li",
    email="erika.z@example.invalid",
    telefon="+49 241 12 34 56",
    anschrift="Kanarienstraße 7a, 52062 Aachen",
)
BAUSTEINE = [
    "Frau ", "Zwackelmann", "ZWACKELMANN", "li", "Li ", "Erika", "erika.z@example.invalid",
    "Tel. ", "0241", "/12-34-56", "123456", " +49 (0)241 ", "Kanarienstr.", "Kanarienstraße",
    " 7a", " 7", "71", ", 52062 Aachen", "Ecke ", "Sperrmüll", " ", "-", "ß", "SS",
]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Frau Zwackelmann kam.",
        "Mail: ERIKA.Z@example.invalid",
        "Tel. 0241/12-34-56",
        "Tel. 0049-241-123456",
        "wohnt Kanarienstr. 7a",
        "Ecke Kanarienstraße",
        "Anliegen 90241123456789",
        "Bank kaputt",
    ],
)
def test_vorpruefung_aendert_nichts_an_der_maske(text):
    assert _maskiert(text, False, ERIKA) == maskieren(text, ERIKA)
    assert _maskiert(text, True, ERIKA) == text  # wer die Person sehen darf: unverändert


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BAUSTEINE), max_size=8))
def test_vorpruefung_wie_die_maske_fuer_beliebige_texte(teile):
    text = "".join(teile)
    assert _maskiert(text, False, ERIKA) == maskieren(text, ERIKA)
