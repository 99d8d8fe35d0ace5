"""Eine Sperrart für alles, was mehrere gleichzeitig bearbeiten (`quartier.sperren`):
Akteure, Netzwerke, Projekte, Sitzungen, Anträge. Wer auf einem veralteten Stand speichert,
überschreibt nichts, behält seine Eingaben und bekommt die aktuelle Version ins Formular."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from netzwerke.models import Akteur, Ansprechperson, Antrag, Netzwerk, Projekt
from tests.netzwerke.test_akteure import _bearbeiten as _akteur_daten
from tests.netzwerke.test_projekte import _daten as _projekt_daten

KONFLIKT = "Das wurde inzwischen von jemand anderem geändert."


def _text(antwort) -> str:
    return antwort.content.decode()


def _netzwerk_daten(stadt, **felder) -> dict:
    return {
        "name": "Stadtteilkonferenz Nord",
        "art": "stadtteilkonferenz",
        "quartiere": [stadt.nord.pk],
        "beschreibung": "",
        "aktiv": "on",
        **felder,
    }


@pytest.fixture
def projekt(stadt) -> Projekt:
    p = Projekt.objects.create(titel="Kochaktion", art="kochaktion")
    p.quartiere.set([stadt.nord])
    return p


# --- Akteur ------------------------------------------------------------------------------


def test_akteur_mit_alter_version_ueberschreibt_nichts_und_behaelt_eingaben(
    netz, stadt, client_fuer
):
    fz = netz.familienzentrum
    url = reverse("netzwerke:akteur_bearbeiten", args=[fz.pk])
    erste = client_fuer("qm").post(url, _akteur_daten(stadt, netz, fz, telefon="0241 111"))
    assert erste.status_code == 302

    daten = _akteur_daten(stadt, netz, fz, telefon="0241 222", angebote="Veralteter Stand")
    daten["version"] = "0"
    daten["ansprechpersonen-0-name"] = "Neuer Name aus altem Stand"
    zweite = client_fuer("admin").post(url, daten)

    assert zweite.status_code == 409
    inhalt = _text(zweite)
    assert KONFLIKT in inhalt
    assert 'value="0241 222"' in inhalt and "Veralteter Stand" in inhalt
    assert 'value="Neuer Name aus altem Stand"' in inhalt
    assert 'name="version" value="1"' in inhalt
    fz.refresh_from_db()
    assert fz.telefon == "0241 111" and fz.version == 1
    assert not Ansprechperson.objects.filter(name="Neuer Name aus altem Stand").exists()

    # Mit der nachgerückten Version speichert, wer nach dem Prüfen erneut sendet.
    daten["version"] = "1"
    assert client_fuer("admin").post(url, daten).status_code == 302
    fz.refresh_from_db()
    assert fz.telefon == "0241 222" and fz.version == 2


def test_akteur_ohne_version_wird_nicht_gespeichert(netz, stadt, client_fuer):
    fz = netz.familienzentrum
    daten = _akteur_daten(stadt, netz, fz, telefon="0241 333")
    del daten["version"]
    antwort = client_fuer("qm").post(reverse("netzwerke:akteur_bearbeiten", args=[fz.pk]), daten)
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)
    fz.refresh_from_db()
    assert fz.telefon != "0241 333"


def test_neuer_akteur_braucht_keine_version(netz, stadt, client_fuer):
    from tests.netzwerke.test_akteure import _neu

    antwort = client_fuer("qm").post(reverse("netzwerke:akteur_neu"), _neu(stadt, netz))
    assert antwort.status_code == 302
    assert Akteur.objects.get(name="Stadtteilcafé Nord").version == 0


# --- Netzwerk und Projekt (formularseite) ------------------------------------------------


def test_netzwerk_mit_alter_version_ueberschreibt_nichts(netz, stadt, client_fuer):
    url = reverse("netzwerke:netzwerk_bearbeiten", args=[netz.konferenz_nord.pk])
    erste = client_fuer("qm").post(url, _netzwerk_daten(stadt, beschreibung="Lena", version="0"))
    assert erste.status_code == 302
    zweite = client_fuer("admin").post(
        url, _netzwerk_daten(stadt, beschreibung="Verwaltung", version="0")
    )
    assert zweite.status_code == 409
    inhalt = _text(zweite)
    assert KONFLIKT in inhalt and "Verwaltung" in inhalt
    assert 'name="version" value="1"' in inhalt
    netzwerk = Netzwerk.objects.get(pk=netz.konferenz_nord.pk)
    assert netzwerk.beschreibung == "Lena" and netzwerk.version == 1


def test_projekt_mit_alter_version_ueberschreibt_nichts(projekt, stadt, client_fuer):
    url = reverse("netzwerke:projekt_bearbeiten", args=[projekt.pk])
    erste = client_fuer("qm").post(url, _projekt_daten(stadt, titel="Stand A", version="0"))
    assert erste.status_code == 302
    zweite = client_fuer("admin").post(url, _projekt_daten(stadt, titel="Stand B", version="0"))
    assert zweite.status_code == 409
    inhalt = _text(zweite)
    assert KONFLIKT in inhalt and 'value="Stand B"' in inhalt
    assert 'name="version" value="1"' in inhalt
    projekt.refresh_from_db()
    assert projekt.titel == "Stand A" and projekt.version == 1


def test_projekt_speichern_zaehlt_version_und_behaelt_partner(projekt, netz, stadt, client_fuer):
    url = reverse("netzwerke:projekt_bearbeiten", args=[projekt.pk])
    daten = _projekt_daten(stadt, version="0", partner=[netz.jugendtreff.pk])
    assert client_fuer("qm").post(url, daten).status_code == 302
    projekt.refresh_from_db()
    assert projekt.version == 1
    assert list(projekt.partner.all()) == [netz.jugendtreff]


# --- Antrag: die Version rückt nach ------------------------------------------------------


def test_antrag_konflikt_rueckt_version_nach(netz, client_fuer):
    Antrag.objects.filter(pk=netz.antrag_nord.pk).update(version=3)
    antwort = client_fuer("qm").post(
        reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "zurueckziehen"]),
        {"version": 2, "grund": "Fest fällt aus"},
    )
    inhalt = _text(antwort)
    assert KONFLIKT in inhalt and "Fest fällt aus" in inhalt
    assert 'name="version" value="3"' in inhalt
    assert Antrag.objects.get(pk=netz.antrag_nord.pk).status == "eingereicht"


# --- Echte Nebenläufigkeit (PostgreSQL) --------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="echte parallele Transaktionen nur auf PostgreSQL"
)
def test_gleichzeitige_bearbeitungen_eines_akteurs_eine_gewinnt(netz, stadt):
    fz = netz.familienzentrum
    url = reverse("netzwerke:akteur_bearbeiten", args=[fz.pk])
    clients = []
    for user in (stadt.qm, stadt.admin):
        c = Client()
        c.force_login(user)
        clients.append(c)
    start = threading.Barrier(2)
    status: list[int] = []

    def speichern(c: Client, telefon: str) -> None:
        try:
            start.wait()
            status.append(c.post(url, _akteur_daten(stadt, netz, fz, telefon=telefon)).status_code)
        finally:
            connections.close_all()

    faeden = [
        threading.Thread(target=speichern, args=(c, f"0241 {i}")) for i, c in enumerate(clients)
    ]
    for f in faeden:
        f.start()
    for f in faeden:
        f.join(timeout=30)
    assert sorted(status) == [302, 409]
    fz.refresh_from_db()
    assert fz.version == 1


def test_import_zaehlt_die_version_geaenderter_akteure_hoch(netz):
    from netzwerke.akteure_import import importiere

    ergebnis = importiere(b"name;art;telefon\nJugendtreff Nord;jugendarbeit;0241 777\n")
    assert not ergebnis.fehler, ergebnis.fehler
    netz.jugendtreff.refresh_from_db()
    assert netz.jugendtreff.telefon == "0241 777" and netz.jugendtreff.version == 1
