"""Ungültige und feindselige Eingaben in Filtern und Formularen: nie ein Serverfehler."""

import pytest
from django.urls import reverse

BOESE = [
    "\x00",
    "a\x00b",
    "x" * 5000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\u202eevil",
    "😀",
    "%",
    "_",
    "-1",
    "99999999999999999999",
]

ZIELE = [
    ("quartier:quartier_liste", ["q", "bezirk", "kategorie", "qm", "page"]),
    ("quartier:lebensraum_liste", ["q", "bezirk", "sozialraum", "kategorie", "qm", "page"]),
    ("quartier:start", ["stichtag"]),
]


@pytest.mark.parametrize(("name", "parameter"), ZIELE)
@pytest.mark.parametrize("wert", BOESE)
def test_keine_serverfehler_bei_boesen_filterwerten(stadt, client_fuer, name, parameter, wert):
    client = client_fuer("planung")
    for param in parameter:
        antwort = client.get(reverse(name), {param: wert})
        assert antwort.status_code == 200, (param, wert)
        assert "<script>alert(1)</script>" not in antwort.content.decode()


@pytest.mark.parametrize("wert", BOESE)
def test_keine_serverfehler_bei_der_anmeldung(stadt, client, wert):
    antwort = client.post(reverse("login"), {"username": wert, "password": wert})
    assert antwort.status_code in (200, 429)


@pytest.mark.parametrize(("name", "parameter"), ZIELE)
def test_kaputtes_utf8_in_der_adresse(stadt, client_fuer, name, parameter):
    client = client_fuer("planung")
    for param in parameter:
        antwort = client.get(f"{reverse(name)}?{param}=%ff%fe%00")
        assert antwort.status_code == 200, param


def test_ueberlanger_benutzername_wird_vor_der_anmeldung_abgewiesen(stadt, client):
    antwort = client.post(reverse("login"), {"username": "x" * 300, "password": "egal"})
    assert antwort.status_code == 200
    assert "höchstens 150 Zeichen" in antwort.content.decode()
