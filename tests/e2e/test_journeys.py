"""Wie Menschen die App benutzen: anmelden, Überblick, Quartier ansehen, filtern."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import anmelden

ROLLEN = {
    "qm": "Meine Quartiere",
    "qm2": "Meine Quartiere",
    "fachbereich": "Aachener Stadtbetrieb",
    "planung": "Versorgung am",
    "admin": "Lücken in den Stammdaten",
}


@pytest.mark.parametrize(("name", "erkennung"), ROLLEN.items())
def test_jede_demorolle_meldet_sich_an_und_sieht_ihren_ueberblick(seite, name, erkennung):
    seite.goto("/")
    expect(seite).to_have_url(re.compile(r"/anmelden/"))
    anmelden(seite, name)
    expect(seite.get_by_role("heading", level=1)).to_contain_text("Guten Tag")
    expect(seite.get_by_role("main")).to_contain_text(erkennung)
    navigation = seite.get_by_role("navigation", name=re.compile("Haupt"))
    expect(navigation.get_by_role("link", name="Mein Überblick")).to_have_attribute(
        "aria-current", "page"
    )
    assert not seite.fehler, seite.fehler


def test_qm_oeffnet_ihr_quartier(seite):
    anmelden(seite, "qm")
    seite.get_by_role("main").get_by_role("link", name="Ost/Rothe Erde").first.click()
    expect(seite.get_by_role("heading", level=1)).to_have_text("Ost/Rothe Erde")
    expect(seite.get_by_role("heading", name="Lebensräume und Kennzahlen")).to_be_visible()
    expect(seite.get_by_role("main")).to_contain_text("Rothe Erde")
    expect(seite.get_by_role("main")).to_contain_text("Nadelfabrik")
    expect(seite.get_by_role("main")).to_contain_text("Dienstag, 10:00–12:00 Uhr")
    assert not seite.fehler, seite.fehler


def test_quartiere_filtern_ohne_neuladen(seite):
    anmelden(seite, "planung")
    seite.get_by_role("navigation", name=re.compile("Haupt")).get_by_role(
        "link", name="Quartiere"
    ).click()
    expect(seite.get_by_role("main")).to_contain_text("10 Quartiere")
    seite.evaluate("window.__ohneNeuladen = true")
    seite.get_by_label("Quartiersmanagement").select_option("ohne")
    expect(seite.get_by_role("main")).to_contain_text("Kronenberg")
    expect(seite.get_by_role("main")).not_to_contain_text("10 Quartiere")
    assert seite.evaluate("window.__ohneNeuladen") is True  # htmx hat nur das Ergebnis getauscht
    expect(seite).to_have_url(re.compile(r"qm=ohne"))
    assert not seite.fehler, seite.fehler


def test_falsches_passwort_deutsche_meldung_und_eingabe_bleibt(seite):
    anmelden(seite, "qm", passwort="falsch")
    expect(seite.get_by_role("alert")).to_contain_text("Benutzername oder Passwort stimmen nicht")
    expect(seite.get_by_label("Benutzername")).to_have_value("qm")


def test_tastatur_erreicht_zuerst_den_sprunglink(seite):
    anmelden(seite, "qm")
    seite.goto("/quartiere/")
    seite.keyboard.press("Tab")
    fokus = seite.evaluate("document.activeElement.textContent.trim()")
    assert fokus == "Zum Inhalt springen"
    seite.keyboard.press("Enter")
    assert seite.evaluate("document.activeElement.id") == "inhalt"


def test_abmelden(seite):
    anmelden(seite, "qm2")
    seite.get_by_role("button", name="Abmelden").click()
    expect(seite).to_have_url(re.compile(r"/anmelden/"))
    seite.goto("/")
    expect(seite).to_have_url(re.compile(r"/anmelden/"))


def test_tablet_hochformat_zeigt_navigation(browser, live_server, demo):
    kontext = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    page = kontext.new_page()
    anmelden(page, "qm")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")
    breite = page.evaluate("document.documentElement.scrollWidth")
    assert breite <= 768, "kein waagerechtes Scrollen auf dem Tablet"
    kontext.close()
