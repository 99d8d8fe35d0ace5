"""Bürogemeinschaft: die Seite eines Stadtteilbüros zeigt die Angebote der Akteure dort."""

import datetime

import pytest

from netzwerke.models import Akteur, Angebotszeit
from tests.factories import StadtteilbueroFactory

ALLE = ["qm", "qm2", "fb", "planung", "admin"]


def _zeit(akteur, buero, angebot, wochentag, beginn, ende, hinweis=""):
    return Angebotszeit.objects.create(
        akteur=akteur,
        buero=buero,
        angebot=angebot,
        wochentag=wochentag,
        beginn=datetime.time(*beginn),
        ende=datetime.time(*ende),
        hinweis=hinweis,
    )


@pytest.mark.parametrize("persona", ALLE)
def test_bueroseite_listet_jedes_angebot_der_buerogemeinschaft(netz, stadt, client_fuer, persona):
    _zeit(netz.jugendtreff, stadt.buero, "Sprechstunde ASD", 3, (14, 0), (16, 0), "ohne Termin")
    _zeit(netz.familienzentrum, stadt.buero, "Elternberatung", 0, (9, 30), (11, 0))
    _zeit(netz.verein_sued, StadtteilbueroFactory(), "Im anderen Büro", 1, (9, 0), (10, 0))
    antwort = client_fuer(persona).get(stadt.buero.get_absolute_url())
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Bürogemeinschaft" in inhalt
    assert "Montag, 09:30–11:00 Uhr" in inhalt and "Elternberatung" in inhalt
    assert "Donnerstag, 14:00–16:00 Uhr" in inhalt and "ohne Termin" in inhalt
    assert inhalt.index("Elternberatung") < inhalt.index("Sprechstunde ASD")  # nach Wochentag
    assert netz.jugendtreff.get_absolute_url() in inhalt
    assert "Im anderen Büro" not in inhalt
    assert netz.KANARIE_EMAIL not in inhalt


def test_ohne_angebote_kein_abschnitt(netz, stadt, client_fuer):
    inhalt = client_fuer("qm").get(stadt.buero.get_absolute_url()).content.decode()
    assert "Bürogemeinschaft" not in inhalt


def test_abschnitt_braucht_eine_abfrage_gleich_wie_viele_angebote(
    netz, stadt, client_fuer, django_assert_max_num_queries
):
    _zeit(netz.jugendtreff, stadt.buero, "Offene Tür", 2, (15, 0), (18, 0))
    client = client_fuer("planung")
    url = stadt.buero.get_absolute_url()
    client.get(url)
    # Seite des Büros (Sitzung, Benutzer, Büro, Sprechzeiten, Stellen mit zwei Prefetches,
    # Quartiere; Sitzung speichern: 3) und genau eine Abfrage für die Bürogemeinschaft:
    # Angebotszeiten mit Akteur.
    with django_assert_max_num_queries(12) as vorher:
        client.get(url)
    for i in range(15):
        akteur = Akteur.objects.create(name=f"Beratung {i}", art="beratung")
        _zeit(akteur, stadt.buero, f"Beratung {i}", i % 7, (8, 0), (9, 0))
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = client.get(url).content.decode()
    assert "Beratung 14" in inhalt
