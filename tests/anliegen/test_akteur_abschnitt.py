"""Die Seite eines Akteurs zeigt seine Anliegen (eingebracht oder hierher vermittelt), über den
Erweiterungspunkt `netzwerke.erweiterungen`: nur sichtbare Anliegen, nie Personendaten."""

import pytest
from django.urls import reverse

from anliegen import workflow
from netzwerke.models import Akteur
from tests.anliegen.conftest import Lotse


@pytest.fixture
def verein(stadt):
    verein = Akteur.objects.create(name="Bürgerverein Nord", art="verein")
    verein.quartiere.set([stadt.nord])
    return verein


def _seite(client, akteur) -> str:
    antwort = client.get(reverse("netzwerke:akteur_detail", args=[akteur.pk]))
    assert antwort.status_code == 200
    return antwort.content.decode()


def test_eingebrachte_und_vermittelte_anliegen(lotse, verein, client_fuer):
    eingebracht = lotse.erfassen(titel="Bank am Spielplatz fehlt", akteur=verein)
    vermittelt = lotse.erfassen(titel="Hilfe beim Antrag gesucht", thema=lotse.beratung)
    workflow.weg_festlegen(vermittelt, weg="kontakt", vermittelt_an=verein, durch=lotse.stadt.qm)
    fremd = lotse.erfassen(titel="Ohne Bezug zum Verein")
    inhalt = _seite(client_fuer("qm"), verein)
    assert 'id="h-akteur-anliegen"' in inhalt
    assert "2 Anliegen, die dieser Akteur eingebracht hat" in inhalt
    assert eingebracht.get_absolute_url() in inhalt
    assert vermittelt.get_absolute_url() in inhalt
    assert "eingebracht" in inhalt and "hierher vermittelt" in inhalt
    assert fremd.nummer not in inhalt


def test_ohne_anliegen_ein_satz(verein, client_fuer):
    assert "Keine Anliegen, die Sie sehen dürfen." in _seite(client_fuer("qm"), verein)


@pytest.mark.parametrize("persona", ["qm2", "planung", "admin"])
def test_lesende_sehen_anliegen_ohne_personendaten(lotse, verein, client_fuer, persona):
    anliegen = lotse.erfassen(akteur=verein)
    inhalt = _seite(client_fuer(persona), verein)
    assert anliegen.nummer in inhalt
    for geheim in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert geheim not in inhalt


def test_fachbereich_sieht_nur_an_ihn_weitergeleitete(lotse, verein, client_fuer):
    weitergeleitet = lotse.erfassen(titel="Müll am Vereinsheim", akteur=verein)
    workflow.weiterleiten(
        weitergeleitet, an=[lotse.stadtbetrieb], nachricht="Bitte abholen.", durch=lotse.stadt.qm
    )
    nicht = lotse.erfassen(titel="Nur beim QM", akteur=verein)
    inhalt = _seite(client_fuer("fb"), verein)
    assert weitergeleitet.nummer in inhalt
    assert nicht.nummer not in inhalt
    assert Lotse.NAME not in inhalt


def test_abfragen_wachsen_nicht_mit_der_zahl_der_anliegen(
    lotse, verein, client_fuer, django_assert_max_num_queries
):
    client = client_fuer("qm")
    lotse.erfassen(akteur=verein)
    _seite(client, verein)  # Sitzung und Caches warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as eins:
        _seite(client, verein)
    anzahl = len(eins)  # sofort: jede Anfrage leert das Abfrageprotokoll
    for _ in range(5):
        lotse.erfassen(akteur=verein)
    with django_assert_max_num_queries(anzahl):
        _seite(client, verein)


def test_get_absolute_url(lotse):
    anliegen = lotse.erfassen()
    assert anliegen.get_absolute_url() == reverse("anliegen:detail", args=[anliegen.nummer])


@pytest.mark.parametrize("persona", ["qm2", "planung"])
def test_titel_mit_namen_der_person_maskiert(lotse, verein, client_fuer, persona):
    """Ein Titel, der die meldende Person nennt, erscheint ohne ihren Namen – nur das eigene
    QM sieht ihn."""
    anliegen = lotse.erfassen(akteur=verein, titel="Kanarie Bürgerin fragt nach der Bank")
    inhalt = _seite(client_fuer(persona), verein)
    assert anliegen.nummer in inhalt
    assert "Kanarie" not in inhalt and "[Name] fragt nach der Bank" in inhalt
    assert "Kanarie Bürgerin fragt" in _seite(client_fuer("qm"), verein)
