"""Die Seite einer Sitzung und ihr Protokoll zeigen die dort eingebrachten Anliegen (über
`netzwerke.erweiterungen`): nur sichtbare, nur Nummer, Titel und Status. Erfasst wird ein
Anliegen nur zu einer Sitzung bis heute."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from anliegen import workflow
from anliegen.forms.anliegen import ErfassenForm
from anliegen.models import Anliegen
from netzwerke.models import Sitzung
from tests.anliegen.conftest import Lotse
from tests.anliegen.test_erfassen import URL, _daten


def _seite(client, sitzung, name="sitzung_detail") -> str:
    antwort = client.get(reverse(f"netzwerke:{name}", args=[sitzung.pk]))
    assert antwort.status_code == 200
    return antwort.content.decode()


@pytest.mark.parametrize("seite", ["sitzung_detail", "sitzung_protokoll"])
def test_sitzung_zeigt_ihre_anliegen(lotse, netz, client_fuer, seite):
    hier = lotse.erfassen(
        titel="Ampel an der Schule", kanal="stadtteilkonferenz", sitzung=netz.sitzung_nord
    )
    anderswo = lotse.erfassen(titel="Nicht in der Sitzung")
    inhalt = _seite(client_fuer("qm"), netz.sitzung_nord, seite)
    assert "In dieser Sitzung eingebrachte Anliegen" in inhalt
    assert hier.get_absolute_url() in inhalt and "Ampel an der Schule" in inhalt
    assert hier.get_status_display() in inhalt
    assert anderswo.nummer not in inhalt


@pytest.mark.parametrize("persona", ["qm2", "planung", "admin"])
def test_sitzung_zeigt_anliegen_ohne_personendaten(lotse, netz, client_fuer, persona):
    anliegen = lotse.erfassen(kanal="stadtteilkonferenz", sitzung=netz.sitzung_nord)
    inhalt = _seite(client_fuer(persona), netz.sitzung_nord)
    assert anliegen.nummer in inhalt
    for geheim in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert geheim not in inhalt


def test_fachbereich_sieht_nur_an_ihn_weitergeleitete(lotse, netz, client_fuer):
    weiter = lotse.erfassen(titel="Müll", kanal="stadtteilkonferenz", sitzung=netz.sitzung_nord)
    workflow.weiterleiten(weiter, an=[lotse.stadtbetrieb], nachricht="Bitte.", durch=lotse.stadt.qm)
    nicht = lotse.erfassen(titel="Nur QM", kanal="stadtteilkonferenz", sitzung=netz.sitzung_nord)
    inhalt = _seite(client_fuer("fb"), netz.sitzung_nord)
    assert weiter.nummer in inhalt
    assert nicht.nummer not in inhalt


def test_ohne_anliegen_kein_abschnitt(netz, client_fuer):
    assert "In dieser Sitzung eingebrachte Anliegen" not in _seite(
        client_fuer("qm"), netz.sitzung_nord
    )


# --- Erfassen: nur Sitzungen bis heute ---------------------------------------------------


@pytest.fixture
def kuenftige(netz) -> Sitzung:
    return Sitzung.objects.create(
        netzwerk=netz.konferenz_nord,
        beginn=timezone.now() + datetime.timedelta(days=3),
        ort="Saal",
    )


def test_auswahl_bietet_keine_kuenftigen_sitzungen(lotse, netz, kuenftige):
    form = ErfassenForm(user=lotse.stadt.qm)
    sitzungen = list(form.fields["sitzung"].queryset)
    assert netz.sitzung_nord in sitzungen
    assert kuenftige not in sitzungen


def test_kuenftige_sitzung_wird_abgelehnt(lotse, netz, kuenftige, client_fuer):
    daten = _daten(lotse, kanal="stadtteilkonferenz", sitzung=kuenftige.pk)
    antwort = client_fuer("qm").post(URL, daten)
    assert antwort.status_code == 200
    assert not Anliegen.objects.exists()


def test_sitzung_von_heute_ist_erlaubt(lotse, netz, client_fuer):
    heute = Sitzung.objects.create(
        netzwerk=netz.konferenz_nord,
        beginn=timezone.localtime().replace(hour=23, minute=30, second=0, microsecond=0),
        ort="Saal",
    )
    assert heute in ErfassenForm(user=lotse.stadt.qm).fields["sitzung"].queryset


@pytest.mark.parametrize("persona", ["qm2", "planung"])
def test_titel_mit_namen_der_person_maskiert(lotse, netz, client_fuer, persona):
    anliegen = lotse.erfassen(
        titel="Kanarie Bürgerin wünscht eine Ampel",
        kanal="stadtteilkonferenz",
        sitzung=netz.sitzung_nord,
    )
    inhalt = _seite(client_fuer(persona), netz.sitzung_nord)
    assert anliegen.nummer in inhalt
    assert "Kanarie" not in inhalt and "wünscht eine Ampel" in inhalt
    assert "Kanarie Bürgerin wünscht" in _seite(client_fuer("qm"), netz.sitzung_nord)
