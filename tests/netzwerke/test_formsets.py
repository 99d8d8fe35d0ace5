"""Listen im Formular (Formsets) halten ungewöhnliche und manipulierte Eingaben aus:
nie ein 500, immer das Formular mit einer deutschen Meldung; eine riesige Angabe
`…-TOTAL_FORMS` erzeugt nur eine begrenzte Zahl an Formularen."""

import pytest
from django.urls import reverse

from netzwerke.forms.akteure import HOECHSTENS_EINTRAEGE
from netzwerke.forms.netzwerke import HOECHSTENS_PUNKTE
from netzwerke.models import Akteur, Sitzung
from tests.netzwerke.test_akteure import _neu as _akteur_daten
from tests.netzwerke.test_sitzungen import _bearbeiten, _daten, _neu


def _ohne(daten: dict, *schluessel: str) -> dict:
    return {k: v for k, v in daten.items() if k not in schluessel}


# Jede Zeile: was an den POST-Daten der Sitzung anders ist als im Formular.
UNGEWOEHNLICH = {
    "ohne_verwaltungsangaben": lambda d: _ohne(
        d, "top-TOTAL_FORMS", "top-INITIAL_FORMS", "top-MIN_NUM_FORMS", "top-MAX_NUM_FORMS"
    ),
    "ohne_initial_forms": lambda d: _ohne(d, "top-INITIAL_FORMS"),
    "initial_groesser_als_total": lambda d: {**d, "top-INITIAL_FORMS": "5"},
    "total_kein_zahl": lambda d: {**d, "top-TOTAL_FORMS": "abc"},
    "total_negativ": lambda d: {**d, "top-TOTAL_FORMS": "-3"},
    "geloeschte_zeile_ungueltig": lambda d: {**d, "top-0-nummer": "x", "top-0-DELETE": "on"},
    # Das war der 500er (`KeyError: 'nummer'`): unvollständige Verwaltungsangabe und eine
    # ungültige Zeile, die gelöscht werden soll.
    "geloeschte_zeile_ungueltig_ohne_initial": lambda d: _ohne(
        {**d, "top-0-nummer": "x", "top-0-DELETE": "on"}, "top-INITIAL_FORMS"
    ),
    "geloeschte_zeile_ohne_nummer_ohne_total": lambda d: _ohne(
        {**d, "top-0-nummer": "", "top-0-DELETE": "on"}, "top-MIN_NUM_FORMS", "top-INITIAL_FORMS"
    ),
    "leere_nummer_in_bestehender_zeile": lambda d: {
        **d,
        "top-INITIAL_FORMS": "2",
        "top-0-nummer": "",
    },
    "max_num_manipuliert": lambda d: {**d, "top-MAX_NUM_FORMS": "0"},
    "min_num_manipuliert": lambda d: {**d, "top-MIN_NUM_FORMS": "50"},
}


@pytest.mark.parametrize("fall", list(UNGEWOEHNLICH))
def test_ungewoehnliche_tagesordnung_gibt_nie_500(netz, client_fuer, fall):
    daten = UNGEWOEHNLICH[fall](_daten(netz, version="0", protokoll="Neuer Stand"))
    antwort = client_fuer("qm").post(_bearbeiten(netz), daten)
    assert antwort.status_code in (200, 302)
    if antwort.status_code == 200:
        assert "Bitte prüfen Sie" in antwort.content.decode()
        assert Sitzung.objects.get(pk=netz.sitzung_nord.pk).protokoll != "Neuer Stand"


def test_geloeschte_ungueltige_zeile_ohne_verwaltungsangabe_meldet_deutsch(netz, client_fuer):
    daten = _ohne(
        _daten(netz, version="0", protokoll="Neuer Stand", **{"top-0-nummer": "x"}),
        "top-INITIAL_FORMS",
    )
    daten["top-0-DELETE"] = "on"
    antwort = client_fuer("qm").post(_bearbeiten(netz), daten)
    assert antwort.status_code == 200
    assert "Die Tagesordnung wurde unvollständig übertragen" in antwort.content.decode()
    sitzung = Sitzung.objects.get(pk=netz.sitzung_nord.pk)
    assert sitzung.version == 0 and sitzung.protokoll != "Neuer Stand"


@pytest.mark.parametrize("url", ["bearbeiten", "neu"])
def test_riesige_zahl_an_tagesordnungspunkten_wird_sofort_abgelehnt(netz, client_fuer, url):
    daten = _daten(netz, version="0", protokoll="Neuer Stand")
    daten["top-TOTAL_FORMS"] = "100000000"
    ziel = _bearbeiten(netz) if url == "bearbeiten" else _neu(netz)
    anzahl_vorher = Sitzung.objects.count()
    antwort = client_fuer("qm").post(ziel, daten)
    assert antwort.status_code == 200
    # Die Zeitgrenze: es entstehen höchstens so viele Formulare, wie Punkte erlaubt sind.
    assert len(antwort.context["tagesordnung"].forms) <= HOECHSTENS_PUNKTE
    assert f"höchstens {HOECHSTENS_PUNKTE} Punkte" in antwort.content.decode()
    assert Sitzung.objects.count() == anzahl_vorher
    assert Sitzung.objects.get(pk=netz.sitzung_nord.pk).protokoll != "Neuer Stand"


def test_hundert_tagesordnungspunkte_sind_zu_viele(netz, client_fuer):
    punkte = [(str(i), f"Punkt {i}", "") for i in range(1, 100)] + [("1", "noch einer", "")]
    antwort = client_fuer("qm").post(_bearbeiten(netz), _daten(netz, punkte, version="0"))
    assert antwort.status_code == 200
    assert f"höchstens {HOECHSTENS_PUNKTE} Punkte" in antwort.content.decode()


@pytest.mark.parametrize(
    ("prefix", "meldung"),
    [("ansprechpersonen", "Ansprechpersonen"), ("angebotszeiten", "Angebotszeiten")],
)
@pytest.mark.parametrize("url", ["neu", "bearbeiten"])
def test_riesige_zahl_an_listeneintraegen_beim_akteur_wird_sofort_abgelehnt(
    netz, stadt, client_fuer, prefix, meldung, url
):
    daten = _akteur_daten(stadt, netz)
    daten[f"{prefix}-TOTAL_FORMS"] = "100000000"
    if url == "neu":
        ziel = reverse("netzwerke:akteur_neu")
    else:
        ziel = reverse("netzwerke:akteur_bearbeiten", args=[netz.familienzentrum.pk])
        daten["name"] = "Familienzentrum Nord"
    anzahl_vorher = Akteur.objects.count()
    antwort = client_fuer("qm").post(ziel, daten)
    assert antwort.status_code == 200
    assert len(antwort.context[prefix].forms) <= HOECHSTENS_EINTRAEGE
    assert f"Bitte höchstens {HOECHSTENS_EINTRAEGE} {meldung}" in antwort.content.decode()
    assert Akteur.objects.count() == anzahl_vorher
    assert not Akteur.objects.filter(name="Stadtteilcafé Nord").exists()


@pytest.mark.parametrize("fall", ["ohne_verwaltung", "initial_ohne_id", "fremde_id", "id_text"])
def test_ungewoehnliche_ansprechpersonen_geben_nie_500(netz, stadt, client_fuer, fall):
    daten = _akteur_daten(stadt, netz, name="Familienzentrum Nord")
    if fall == "ohne_verwaltung":
        daten = _ohne(daten, "ansprechpersonen-TOTAL_FORMS", "ansprechpersonen-INITIAL_FORMS")
    else:
        daten["ansprechpersonen-INITIAL_FORMS"] = "1"
        if fall == "fremde_id":
            daten["ansprechpersonen-0-id"] = "999999"
        if fall == "id_text":
            daten["ansprechpersonen-0-id"] = "abc"
    ziel = reverse("netzwerke:akteur_bearbeiten", args=[netz.familienzentrum.pk])
    antwort = client_fuer("qm").post(ziel, daten)
    assert antwort.status_code in (200, 302)
