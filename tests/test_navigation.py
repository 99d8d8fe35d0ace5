"""Die Hauptnavigation: wenige Bereiche je Rolle, die Unterseiten des aktiven Bereichs in einer
zweiten Leiste, aktuelle Seite mit aria-current (nicht nur über Farbe)."""

import re

import pytest
from django.urls import reverse


def _nav(inhalt: str, name: str) -> str:
    treffer = re.search(rf'<nav class="{name}"[^>]*>(.*?)</nav>', inhalt, re.S)
    return treffer.group(1) if treffer else ""


def _links(html: str) -> list[tuple[str, str, str | None]]:
    """(Text, Ziel, aria-current) je Link."""
    return [
        (text.strip(), ziel, aktuell or None)
        for ziel, aktuell, text in re.findall(
            r'<a [^>]*href="([^"]+)"(?: aria-current="([^"]+)")?>([^<]+)</a>', html
        )
    ]


@pytest.mark.parametrize(
    ("persona", "bereiche"),
    [
        ("qm", ["Mein Überblick", "Anliegen", "Quartiere", "Akteure", "Netzwerke", "Auswertung"]),
        ("fb", ["Mein Überblick", "Posteingang", "Quartiere", "Akteure", "Netzwerke"]),
        (
            "planung",
            ["Mein Überblick", "Anliegen", "Quartiere", "Akteure", "Netzwerke", "Auswertung"],
        ),
        (
            "admin",
            [
                "Mein Überblick",
                "Anliegen",
                "Quartiere",
                "Akteure",
                "Netzwerke",
                "Auswertung",
                "Stammdaten",
            ],
        ),
    ],
)
def test_bereiche_je_rolle(stadt, client_fuer, persona, bereiche):
    inhalt = client_fuer(persona).get(reverse("quartier:start")).content.decode()
    links = _links(_nav(inhalt, "ql-nav"))
    assert [text for text, _ziel, _akt in links] == bereiche
    assert links[0] == ("Mein Überblick", "/", "page")
    # Auf der Startseite gibt es keine zweite Leiste.
    assert 'class="ql-unternav"' not in inhalt


def test_fachbereich_landet_mit_posteingang_im_eingang(stadt, client_fuer):
    inhalt = client_fuer("fb").get(reverse("quartier:start")).content.decode()
    assert ("Posteingang", reverse("anliegen:eingang"), None) in _links(_nav(inhalt, "ql-nav"))


@pytest.mark.parametrize(
    ("url_name", "bereich", "seite"),
    [
        ("netzwerke:sitzung_liste", "Netzwerke", "Sitzungen"),
        ("netzwerke:fonds_liste", "Netzwerke", "Stadtteilfonds"),
        ("quartier:lebensraum_liste", "Quartiere", "Lebensräume"),
        ("anliegen:eingang", "Anliegen", "Posteingang"),
        ("quartier:exporte", "Anliegen", "Meine Exporte"),
        ("netzwerke:aktivitaet", "Auswertung", "Netzwerke"),
    ],
)
def test_unterseite_markiert_bereich_und_seite(stadt, client_fuer, url_name, bereich, seite):
    inhalt = client_fuer("qm").get(reverse(url_name)).content.decode()
    haupt = _links(_nav(inhalt, "ql-nav"))
    aktiv = [(text, akt) for text, _ziel, akt in haupt if akt]
    assert aktiv == [(bereich, "true")]
    unter = _links(_nav(inhalt, "ql-unternav"))
    assert [(text, akt) for text, _ziel, akt in unter if akt] == [(seite, "page")]
    assert f'aria-label="Seiten im Bereich {bereich}"' in inhalt


def test_erste_seite_des_bereichs_ist_page(stadt, client_fuer):
    inhalt = client_fuer("qm").get(reverse("netzwerke:netzwerk_liste")).content.decode()
    assert ("Netzwerke", reverse("netzwerke:netzwerk_liste"), "page") in _links(
        _nav(inhalt, "ql-nav")
    )


def test_detailseite_markiert_ihren_bereich(netz, client_fuer):
    url = reverse("netzwerke:netzwerk_detail", args=[netz.konferenz_nord.pk])
    inhalt = client_fuer("qm").get(url).content.decode()
    assert [(t, a) for t, _z, a in _links(_nav(inhalt, "ql-nav")) if a] == [("Netzwerke", "page")]
    unter = _links(_nav(inhalt, "ql-unternav"))
    assert ("Netzwerke", reverse("netzwerke:netzwerk_liste"), "page") in unter
    assert ("Sitzungen", reverse("netzwerke:sitzung_liste"), None) in unter


def test_abgemeldet_keine_navigation(client):
    inhalt = client.get(reverse("login")).content.decode()
    assert 'class="ql-nav"' not in inhalt


def test_fachbereich_sieht_keine_auswertung(stadt, client_fuer):
    inhalt = client_fuer("fb").get(reverse("quartier:start")).content.decode()
    assert "Auswertung" not in [t for t, _z, _a in _links(_nav(inhalt, "ql-nav"))]


def test_auswertung_zeigt_ihre_seiten(stadt, client_fuer):
    inhalt = client_fuer("planung").get(reverse("quartier:versorgung")).content.decode()
    unter = _links(_nav(inhalt, "ql-unternav"))
    assert ("Versorgung", reverse("quartier:versorgung"), "page") in unter
    assert ("Netzwerke", reverse("netzwerke:aktivitaet"), None) in unter
    assert [t for t, _z, _a in unter] == ["Anliegen", "Versorgung", "Netzwerke", "Quartiersbericht"]


@pytest.mark.parametrize(
    "url_name", ["anliegen:auswertung", "anliegen:quartiersbericht", "netzwerke:aktivitaet"]
)
def test_jede_auswertung_markiert_sich(stadt, client_fuer, url_name):
    inhalt = client_fuer("planung").get(reverse(url_name)).content.decode()
    assert [(t, a) for t, _z, a in _links(_nav(inhalt, "ql-nav")) if a][0][0] == "Auswertung"
    aktiv = [z for _t, z, a in _links(_nav(inhalt, "ql-unternav")) if a == "page"]
    assert aktiv == [reverse(url_name)]
