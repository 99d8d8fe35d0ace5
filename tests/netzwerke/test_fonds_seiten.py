"""Seiten des Stadtteilfonds: Zugriff, Eingaben mit deutschen Meldungen, Abfragezahlen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from netzwerke import fonds as ablauf
from netzwerke.models import Antrag, Antragsstatus, Stadtteilfonds

ALLE = ["qm", "qm2", "fb", "planung", "admin"]


def _empfehlen(netz, stadt):
    return ablauf.abstimmen(
        netz.antrag_nord,
        sitzung=netz.sitzung_nord,
        quartiersbezug=True,
        beteiligung=True,
        eigeninitiative=True,
        ja=1,
        nein=0,
        enthaltung=0,
        befangene=[netz.familienzentrum, netz.caritas],
        durch=stadt.qm,
    )


# --- Zugriff -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALLE)
def test_lesen_fuer_alle_rollen(netz, client_fuer, persona):
    client = client_fuer(persona)
    for url in (
        reverse("netzwerke:fonds_liste"),
        netz.fonds_nord.get_absolute_url(),
        netz.antrag_nord.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_anonym_zur_anmeldung(netz, client):
    for url in (reverse("netzwerke:fonds_liste"), netz.antrag_nord.get_absolute_url()):
        assert client.get(url)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [
        ("qm", 200),
        ("qm2", 403),
        ("fb", 403),
        ("planung", 403),
        ("admin", 200),
    ],
)
def test_antrag_erfassen_nur_im_eigenen_quartier(netz, client_fuer, persona, erwartet):
    url = reverse("netzwerke:antrag_neu", args=[netz.fonds_nord.pk])
    assert client_fuer(persona).get(url).status_code == erwartet


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [
        ("qm", 200),
        ("qm2", 403),
        ("fb", 403),
        ("planung", 403),
        ("admin", 200),
    ],
)
def test_abstimmen_nur_im_eigenen_quartier(netz, client_fuer, persona, erwartet):
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "abstimmen"])
    assert client_fuer(persona).get(url).status_code == erwartet


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [
        ("qm", 403),
        ("qm2", 403),
        ("fb", 403),
        ("planung", 403),
        ("admin", 200),
    ],
)
def test_entscheiden_und_fonds_anlegen_nur_administration(
    netz, stadt, client_fuer, persona, erwartet
):
    _empfehlen(netz, stadt)
    client = client_fuer(persona)
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "entscheiden"])
    assert client.get(url).status_code == erwartet
    assert client.get(reverse("netzwerke:fonds_neu")).status_code == erwartet


def test_unbekannte_objekte_und_aktionen_sind_404(netz, client_fuer):
    client = client_fuer("admin")
    assert client.get(reverse("netzwerke:fonds_detail", args=[99999])).status_code == 404
    assert client.get(reverse("netzwerke:antrag_detail", args=[99999])).status_code == 404
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "loeschen"])
    assert client.get(url).status_code == 404


def test_lesende_seiten_lehnen_post_ab(netz, client_fuer):
    client = client_fuer("admin")
    for url in (reverse("netzwerke:fonds_liste"), netz.antrag_nord.get_absolute_url()):
        assert client.post(url).status_code == 405


def test_schritt_im_falschen_zustand_leitet_mit_hinweis_zurueck(netz, client_fuer):
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "auszahlen"])
    antwort = client_fuer("admin").post(url, {"am": "2026-01-01", "version": 0}, follow=True)
    assert "Das geht im Status „eingereicht“ nicht." in antwort.content.decode()
    netz.antrag_nord.refresh_from_db()
    assert netz.antrag_nord.status == Antragsstatus.EINGEREICHT


# --- Eingaben ----------------------------------------------------------------------------


def test_antrag_erfassen(netz, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:antrag_neu", args=[netz.fonds_nord.pk]),
        {
            "antragsteller": netz.jugendtreff.pk,
            "vorhaben": "Filmabend",
            "beschreibung": "Open Air",
            "beantragt": "250,50",
        },
    )
    antrag = Antrag.objects.get(vorhaben="Filmabend")
    assert antwort["Location"] == antrag.get_absolute_url()
    assert antrag.beantragt == Decimal("250.50")


@pytest.mark.parametrize(
    ("betrag", "meldung"),
    [
        ("-10", "Der Betrag muss größer als 0 € sein."),
        ("0", "Der Betrag muss größer als 0 € sein."),
        ("6.000", "übersteigt das Jahresbudget"),
        ("zehn", "Bitte einen Betrag in Euro eingeben"),
        ("1,234", "höchstens zwei Nachkommastellen"),
    ],
)
def test_antrag_mit_falschem_betrag_behaelt_eingaben(netz, client_fuer, betrag, meldung):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:antrag_neu", args=[netz.fonds_nord.pk]),
        {
            "antragsteller": netz.jugendtreff.pk,
            "vorhaben": "Filmabend unterm Sternenhimmel",
            "beschreibung": "Open Air",
            "beantragt": betrag,
        },
    )
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert meldung in inhalt
    assert 'value="Filmabend unterm Sternenhimmel"' in inhalt
    assert not Antrag.objects.filter(vorhaben__startswith="Filmabend").exists()


def test_votum_mit_zu_vielen_stimmen(netz, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "abstimmen"]),
        {
            "version": 0,
            "sitzung": netz.sitzung_nord.pk,
            "quartiersbezug": "on",
            "beteiligung": "on",
            "eigeninitiative": "on",
            "ja": "3",
            "nein": "0",
            "enthaltung": "0",
            "befangene": [netz.familienzentrum.pk, netz.caritas.pk],
        },
    )
    assert antwort.status_code == 200
    assert "nur 1 anwesende Akteure sind stimmberechtigt" in antwort.content.decode()
    assert 'value="3"' in antwort.content.decode()


def test_bewilligung_ueber_dem_restbudget(netz, stadt, client_fuer):
    _empfehlen(netz, stadt)
    netz.fonds_nord.budget = Decimal("1000")
    netz.fonds_nord.save()
    antwort = client_fuer("admin").post(
        reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "entscheiden"]),
        {
            "version": 1,
            "entscheidung": "bewilligen",
            "bewilligt_betrag": "1.200,00",
            "begruendung": "Gern",
        },
    )
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Im Stadtteilfonds sind nur noch 1.000,00 € frei" in inhalt
    assert 'value="1200,00"' in inhalt or 'value="1.200,00"' in inhalt
    assert "Gern" in inhalt


def test_bewilligen_ohne_betrag_und_ablehnen_ohne_grund(netz, stadt, client_fuer):
    _empfehlen(netz, stadt)
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "entscheiden"])
    client = client_fuer("admin")
    antwort = client.post(url, {"version": 1, "entscheidung": "bewilligen", "bewilligt_betrag": ""})
    assert "Bitte den bewilligten Betrag angeben." in antwort.content.decode()
    antwort = client.post(url, {"version": 1, "entscheidung": "ablehnen", "begruendung": ""})
    assert "Bitte begründen Sie die Ablehnung" in antwort.content.decode()


def test_veralteter_stand_gibt_konfliktmeldung(netz, stadt, client_fuer):
    _empfehlen(netz, stadt)  # Version 1
    antwort = client_fuer("qm").post(
        reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "zurueckziehen"]),
        {"version": 0, "grund": "Fest fällt aus"},
    )
    assert antwort.status_code == 200
    assert "inzwischen von jemand anderem geändert" in antwort.content.decode()
    assert "Fest fällt aus" in antwort.content.decode()


def test_fonds_doppelt_im_jahr_und_negativ(netz, client_fuer):
    client = client_fuer("admin")
    antwort = client.post(
        reverse("netzwerke:fonds_neu"),
        {"netzwerk": netz.konferenz_nord.pk, "jahr": "2026", "budget": "1.000"},
    )
    assert "in diesem Jahr schon einen Fonds" in antwort.content.decode()
    antwort = client.post(
        reverse("netzwerke:fonds_neu"),
        {"netzwerk": netz.konferenz_nord.pk, "jahr": "2027", "budget": "-5"},
    )
    assert "Das Budget darf nicht negativ sein." in antwort.content.decode()
    antwort = client.post(
        reverse("netzwerke:fonds_neu"),
        {"netzwerk": netz.konferenz_nord.pk, "jahr": "2027", "budget": "2.500,00"},
    )
    assert Stadtteilfonds.objects.get(jahr=2027).budget == Decimal("2500")
    assert antwort.status_code == 302


def test_arbeitskreis_hat_keinen_fonds(netz, client_fuer):
    antwort = client_fuer("admin").post(
        reverse("netzwerke:fonds_neu"),
        {"netzwerk": netz.ak_jugend.pk, "jahr": "2027", "budget": "100"},
    )
    assert antwort.status_code == 200
    assert not Stadtteilfonds.objects.filter(jahr=2027).exists()


# --- Abfragezahlen -----------------------------------------------------------------------


def test_fondsliste_abfragen_konstant(netz, stadt, client_fuer, django_assert_max_num_queries):
    client = client_fuer("planung")
    url = reverse("netzwerke:fonds_liste")
    client.get(url)
    # Sitzung, Benutzer, Fonds mit Summen und Netzwerk; Sitzung speichern (3)
    with django_assert_max_num_queries(6) as vorher:
        client.get(url)
    for jahr in range(2010, 2020):
        Stadtteilfonds.objects.create(netzwerk=netz.konferenz_nord, jahr=jahr, budget=100)
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        client.get(url)


def test_fondsseite_abfragen_konstant(netz, stadt, client_fuer, django_assert_max_num_queries):
    client = client_fuer("qm")
    url = netz.fonds_nord.get_absolute_url()
    client.get(url)
    # Sitzung, Benutzer, Fonds mit Summen, Anträge mit Antragsteller, Recht (eigene
    # Quartiere); Sitzung speichern (3)
    with django_assert_max_num_queries(9) as vorher:
        client.get(url)
    for i in range(10):
        Antrag.objects.create(
            fonds=netz.fonds_nord,
            antragsteller=netz.jugendtreff,
            vorhaben=f"V{i}",
            beschreibung="x",
            beantragt=10,
        )
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        client.get(url)


def test_antragsseite_abfragen_konstant(netz, stadt, client_fuer, django_assert_max_num_queries):
    antrag = _empfehlen(netz, stadt)
    client = client_fuer("qm")
    client.get(antrag.get_absolute_url())
    with django_assert_max_num_queries(14) as vorher:
        client.get(antrag.get_absolute_url())
    for _ in range(5):
        antrag.ereignisse.create(art="eingereicht", daten={"beantragt": "1"}, von=stadt.qm)
    antrag.befangene.add(netz.jugendtreff, netz.caritas)
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        client.get(antrag.get_absolute_url())


# --- Befangenheit im Formular ------------------------------------------------------------


def _votum(netz, **felder) -> dict:
    return {
        "version": 0,
        "sitzung": netz.sitzung_nord.pk,
        "quartiersbezug": "on",
        "beteiligung": "on",
        "eigeninitiative": "on",
        "ja": "1",
        "nein": "0",
        "enthaltung": "0",
        **felder,
    }


def test_alle_befangen_haekchen_abwaehlen_wird_abgelehnt(netz, client_fuer):
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "abstimmen"])
    antwort = client_fuer("qm").post(url, _votum(netz))
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Bitte als befangen markieren: Caritas Test, Familienzentrum Nord." in inhalt
    antrag = Antrag.objects.get(pk=netz.antrag_nord.pk)
    assert antrag.status == "eingereicht" and antrag.version == 0
    assert not antrag.befangene.exists()


def test_votum_mit_befangenem_antragsteller_und_traeger_wird_gespeichert(netz, client_fuer):
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "abstimmen"])
    daten = _votum(netz, befangene=[netz.familienzentrum.pk, netz.caritas.pk])
    assert client_fuer("qm").post(url, daten).status_code == 302
    antrag = Antrag.objects.get(pk=netz.antrag_nord.pk)
    assert set(antrag.befangene.all()) == {netz.familienzentrum, netz.caritas}


def test_vorschlag_hakt_abwesende_nicht_vor(netz, client_fuer):
    netz.sitzung_nord.teilnehmende.remove(netz.caritas)
    url = reverse("netzwerke:antrag_aktion", args=[netz.antrag_nord.pk, "abstimmen"])
    form = client_fuer("qm").get(url).context["form"]
    assert list(form["befangene"].value()) in (
        [netz.familienzentrum],
        [netz.familienzentrum.pk],
    )
    # Der Vorschlag, so abgeschickt, speichert.
    daten = _votum(netz, befangene=[netz.familienzentrum.pk], ja="1")
    assert client_fuer("qm").post(url, daten).status_code == 302


# --- Antrag über dem Restbudget ----------------------------------------------------------


def test_antrag_ueber_dem_restbudget_wird_mit_warnung_eingereicht(netz, stadt, client_fuer):
    fonds = netz.fonds_nord
    ablauf.einreichen(
        fonds=fonds,
        antragsteller=netz.jugendtreff,
        vorhaben="Großes Fest",
        beschreibung="x",
        beantragt=Decimal("4500"),
        durch=stadt.qm,
    )
    Antrag.objects.filter(vorhaben="Großes Fest").update(
        status="bewilligt", bewilligt_betrag=Decimal("4500")
    )  # Rest: 500 €
    client = client_fuer("qm")
    antwort = client.post(
        reverse("netzwerke:antrag_neu", args=[fonds.pk]),
        {
            "antragsteller": netz.jugendtreff.pk,
            "vorhaben": "Zu teures Fest",
            "beschreibung": "y",
            "beantragt": "800",
        },
        follow=True,
    )
    assert antwort.status_code == 200
    antrag = Antrag.objects.get(vorhaben="Zu teures Fest")
    assert antrag.status == "eingereicht"  # eingereicht, nicht verboten
    inhalt = antwort.content.decode()
    warnung = "Beantragt sind 800,00 €, im Stadtteilfonds sind aber nur noch 500,00 € frei."
    assert warnung in inhalt  # als Meldung nach dem Einreichen
    assert "Der Antrag übersteigt das Restbudget" in inhalt  # und auf der Antragsseite
    seite = client.get(antrag.get_absolute_url()).content.decode()
    assert warnung in seite


def test_antrag_im_restbudget_ohne_warnung(netz, client_fuer):
    inhalt = client_fuer("qm").get(netz.antrag_nord.get_absolute_url()).content.decode()
    assert "übersteigt das Restbudget" not in inhalt
