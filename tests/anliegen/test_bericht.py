"""Quartiersbericht: ein Quartier, ein Jahr, druckbar; Zahlen aus den Auswertungen der drei
Apps, keine Personendaten, feste Zahl von Abfragen."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anliegen import bericht, workflow
from netzwerke.models import Projekt, Sitzung
from tests.anliegen.conftest import Lotse

URL = "/auswertung/quartiersbericht/"


def _bericht(client, quartier, jahr):
    return client.get(URL, {"quartier": quartier.pk, "jahr": jahr})


def _inhalt(antwort) -> str:
    return antwort.content.decode()


def test_url_name():
    assert reverse("anliegen:quartiersbericht") == URL


@pytest.mark.parametrize(
    ("persona", "status"), [("qm", 200), ("planung", 200), ("admin", 200), ("fb", 403)]
)
def test_rechte(lotse, client_fuer, persona, status):
    assert client_fuer(persona).get(URL).status_code == status


def test_anonym_zur_anmeldung(client):
    antwort = client.get(URL)
    assert antwort.status_code == 302 and "next=" in antwort["Location"]


def test_ohne_auswahl_nur_das_formular(lotse, client_fuer):
    inhalt = _inhalt(client_fuer("planung").get(URL))
    assert 'data-testid="bericht"' not in inhalt
    assert 'name="quartier"' in inhalt and 'name="jahr"' in inhalt
    assert "Bitte ein Quartier wählen." not in inhalt  # ungebunden: noch keine Fehler


@pytest.mark.parametrize(
    ("daten", "meldung"),
    [
        ({"jahr": "2025"}, "Bitte ein Quartier wählen."),
        ({"quartier": "999999", "jahr": "2025"}, "Dieses Quartier gibt es nicht."),
        ({"quartier": "x", "jahr": "2025"}, "Dieses Quartier gibt es nicht."),
        ({"jahr": "zwanzig"}, "Bitte ein Jahr als Zahl eingeben, z. B. 2025."),
        ({"jahr": "1999"}, "Bitte ein Jahr zwischen 2010 und"),
        ({"jahr": "2999"}, "Bitte ein Jahr zwischen 2010 und"),
    ],
)
def test_falsche_eingaben_mit_deutscher_meldung(lotse, client_fuer, daten, meldung):
    antwort = client_fuer("planung").get(URL, daten)
    assert antwort.status_code == 200
    inhalt = _inhalt(antwort)
    assert meldung in inhalt
    assert 'data-testid="bericht"' not in inhalt
    if daten.get("jahr") == "zwanzig":
        assert 'value="zwanzig"' in inhalt  # Eingabe bleibt stehen


def test_bericht_enthaelt_alle_teile(lotse, netz, client_fuer):
    stadt = lotse.stadt
    jahr = timezone.localdate().year
    a = lotse.erfassen(titel="Sperrmüll Bericht")
    lotse.erfassen(titel="Zweites Anliegen")
    lotse.erfassen(titel="Im Süden", quartier=stadt.sued, durch=stadt.qm2)
    workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="Bitte abholen.", durch=stadt.qm)
    projekt = Projekt.objects.create(
        titel="Fahrradwerkstatt Nord",
        art="fahrradwerkstatt",
        beginn=datetime.date(jahr, 3, 1),
        teilnehmende=12,
    )
    projekt.quartiere.set([stadt.nord])
    Sitzung.objects.create(
        netzwerk=netz.konferenz_nord,
        beginn=datetime.datetime(jahr, 2, 3, 18, tzinfo=datetime.UTC),
        ort="Saal",
    )
    inhalt = _inhalt(_bericht(client_fuer("planung"), stadt.nord, jahr))
    assert f"Quartiersbericht Quartier Nord {jahr}" in inhalt
    for teil in (
        "1. Bevölkerung, Kennzahlen und Versorgung",
        "2. Quartiersmanagement",
        "3. Anliegen: Themen und Bedarfe",
        "4. Antwort- und Rückmeldezeiten",
        "5. Projekte, Stadtteilfonds und Netzwerke",
    ):
        assert teil in inhalt
    assert "Im Jahr wurden 2 Anliegen erfasst." in inhalt  # Süd zählt nicht
    assert "Nordviertel" in inhalt and "6.000" in inhalt  # Lebensraum, Einwohner:innen
    assert "QM Nord" in inhalt
    assert "QM Süd" not in inhalt
    assert "Fahrradwerkstatt Nord" in inhalt
    assert netz.konferenz_nord.name in inhalt
    assert "Wilder Müll" in inhalt  # Thema
    assert "data-ql-drucken" in inhalt
    assert "style=" not in inhalt


def test_stellen_und_projekte_nur_im_jahr(lotse):
    stadt = lotse.stadt
    stadt.stelle_nord.ende = datetime.date(2019, 12, 31)
    stadt.stelle_nord.save()
    zeilen = list(bericht.tabelle_stellen(stadt.nord, 2019).zeilen)
    assert [z["bezeichnung"] for z in zeilen] == ["QM Nord"]
    assert list(bericht.tabelle_stellen(stadt.nord, 2020).zeilen) == []
    alt = Projekt.objects.create(
        titel="Altes Fest",
        art="stadtteilfest",
        beginn=datetime.date(2018, 6, 1),
        ende=datetime.date(2018, 6, 2),
    )
    alt.quartiere.set([stadt.nord])
    assert [z["titel"] for z in bericht.tabelle_projekte(stadt.nord, 2018).zeilen] == ["Altes Fest"]
    assert list(bericht.tabelle_projekte(stadt.nord, 2019).zeilen) == []


def test_stichtag_im_laufenden_jahr_heute():
    heute = datetime.date(2026, 12, 1)
    assert bericht.stichtag(2026, heute) == heute
    assert bericht.stichtag(2025, heute) == datetime.date(2025, 12, 31)


@pytest.mark.parametrize("persona", ["qm", "planung", "admin"])
def test_keine_personendaten(lotse, netz, client_fuer, persona):
    a = lotse.erfassen()
    workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    inhalt = _inhalt(_bericht(client_fuer(persona), lotse.stadt.nord, timezone.localdate().year))
    for geheim in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert geheim not in inhalt


def test_abfragen_wachsen_nicht(lotse, netz, client_fuer, django_assert_max_num_queries):
    client = client_fuer("planung")
    jahr = timezone.localdate().year
    lotse.erfassen()
    _bericht(client, lotse.stadt.nord, jahr)  # Sitzung aufwärmen
    with CaptureQueriesContext(connection) as vorher:
        _bericht(client, lotse.stadt.nord, jahr)
    anzahl = len(vorher)  # sofort: jede Anfrage leert das Abfrageprotokoll
    for i in range(6):
        a = lotse.erfassen(titel=f"Anliegen {i}")
        workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
        p = Projekt.objects.create(titel=f"P{i}", art="kochaktion", beginn=timezone.localdate())
        p.quartiere.set([lotse.stadt.nord])
    with django_assert_max_num_queries(anzahl):
        _bericht(client, lotse.stadt.nord, jahr)
