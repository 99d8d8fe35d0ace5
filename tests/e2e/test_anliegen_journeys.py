"""Journeys des Lotsen-Kreislaufs in Chromium, jede als eigener Test (Demodaten)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import anmelden


@pytest.fixture(autouse=True)
def _postausgang(settings):
    # Wie in Produktion: Mails landen im Postausgang der Datenbank (django-mailer).
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"


def _abmelden(seite) -> None:
    seite.get_by_role("button", name="Abmelden").click()
    expect(seite).to_have_url(re.compile(r"/anmelden/"))


def _erfassen_und_weiterleiten(seite) -> str:
    """qm erfasst ein Anliegen mit E-Mail-Wunsch und leitet es an den Stadtbetrieb weiter."""
    anmelden(seite, "qm")
    seite.get_by_role("navigation", name=re.compile("Haupt")).get_by_role(
        "link", name="Anliegen", exact=True
    ).click()
    seite.get_by_role("link", name="Anliegen erfassen").click()
    seite.get_by_label(re.compile(r"^Titel")).fill("Sperrmüll vor der Kita")
    seite.get_by_label(re.compile(r"^Beschreibung")).fill("Seit einer Woche liegt dort Sperrmüll.")
    seite.get_by_label(re.compile(r"^Ort")).fill("Düppelstraße 3")
    seite.get_by_label(re.compile(r"^Thema")).select_option(label="Wilder Müll")
    seite.get_by_label("Beschwerde/Mangel").check()
    seite.get_by_label("Sprechstunde", exact=True).check()
    seite.get_by_role("textbox", name=re.compile(r"^Name")).fill("Journey Bürgerin")
    seite.get_by_role("textbox", name=re.compile(r"^E-Mail")).fill("journey@example.invalid")
    seite.get_by_label(re.compile("einverstanden")).check()
    seite.get_by_label(re.compile("bevorzugter Weg")).select_option(label="E-Mail")
    seite.get_by_role("button", name="Anliegen speichern").click()
    expect(seite.get_by_role("heading", level=1)).to_contain_text("Sperrmüll vor der Kita")
    nummer = re.search(r"/anliegen/([0-9-]+)/", seite.url).group(1)

    seite.get_by_role("link", name="Weiterleiten").click()
    # Der übliche Fachbereich des Themas ist vorausgewählt.
    expect(seite.get_by_label(re.compile("Aachener Stadtbetrieb"))).to_be_checked()
    seite.get_by_label(re.compile("Nachricht an den Fachbereich")).fill("Bitte abholen.")
    seite.get_by_role("button", name="Weiterleiten").click()
    expect(seite.get_by_role("main")).to_contain_text("weitergeleitet")
    return nummer


def test_1_qm_erfasst_und_leitet_weiter(seite):
    from mailer.models import Message

    nummer = _erfassen_und_weiterleiten(seite)
    assert any("stadtbetrieb@aachen.example" in m.to_addresses for m in Message.objects.all())
    assert nummer.count("-") == 1
    assert not seite.fehler, seite.fehler


def _fachbereich_beantwortet(seite, titel: str) -> None:
    anmelden(seite, "fachbereich")
    seite.get_by_role("navigation", name=re.compile("Haupt")).get_by_role(
        "link", name="Posteingang"
    ).click()
    seite.get_by_role("link", name=re.compile(titel)).first.click()
    expect(seite.get_by_role("main")).not_to_contain_text("Journey Bürgerin")
    seite.get_by_test_id("aktion-annehmen").click()
    seite.get_by_test_id("absenden").click()
    seite.get_by_test_id("aktion-beantworten").click()
    seite.get_by_label("wird umgesetzt").check()
    seite.get_by_label(re.compile(r"^Antwort")).fill("Wir holen den Sperrmüll am Freitag ab.")
    seite.get_by_label(re.compile("erwartet|bis wann|Umsetzung", re.I)).fill("2099-12-31")
    seite.get_by_test_id("absenden").click()
    expect(seite.get_by_role("main")).to_contain_text("beantwortet")


def test_2_fachbereich_nimmt_an_und_antwortet(seite):
    _erfassen_und_weiterleiten(seite)
    _abmelden(seite)
    _fachbereich_beantwortet(seite, "Sperrmüll vor der Kita")
    assert not seite.fehler, seite.fehler


def test_3_qm_gibt_die_antwort_weiter_und_schliesst(seite):
    from mailer.models import Message

    nummer = _erfassen_und_weiterleiten(seite)
    _abmelden(seite)
    _fachbereich_beantwortet(seite, "Sperrmüll vor der Kita")
    _abmelden(seite)
    anmelden(seite, "qm")
    seite.goto(f"/anliegen/{nummer}/")
    expect(seite.get_by_role("main")).to_contain_text("Antwort liegt vor")
    # Abschließen geht noch nicht: erst die Rückmeldung – die Seite bietet es gar nicht an
    # und sagt, was fehlt.
    expect(seite.get_by_test_id("aktion-abschliessen")).to_have_count(0)
    expect(seite.get_by_role("main")).to_contain_text("wartet auf Rückmeldung")
    seite.get_by_role("link", name="Rückmeldung festhalten").click()
    # Der bevorzugte Weg (E-Mail) und der Text aus der Antwort sind vorausgefüllt.
    expect(seite.get_by_role("radio", name="E-Mail")).to_be_checked()
    seite.get_by_role("button", name="Rückmeldung festhalten").click()
    assert any("journey@example.invalid" in m.to_addresses for m in Message.objects.all())
    seite.get_by_role("link", name="Abschließen").click()
    seite.get_by_label("erledigt", exact=True).check()
    seite.get_by_role("button", name="Anliegen abschließen").click()
    expect(seite.get_by_role("main")).to_contain_text("abgeschlossen")
    assert not seite.fehler, seite.fehler


def test_4_nicht_zustaendig_und_neu_weiterleiten(seite):
    nummer = _erfassen_und_weiterleiten(seite)
    _abmelden(seite)
    anmelden(seite, "fachbereich")
    seite.goto("/eingang/")
    seite.get_by_role("link", name=re.compile("Sperrmüll vor der Kita")).first.click()
    seite.get_by_test_id("aktion-zurueckgeben").click()
    seite.get_by_label(re.compile("Zuständig ist der Fachbereich")).select_option(
        label="FB 61 Stadtentwicklung und Verkehrsanlagen"
    )
    seite.get_by_test_id("absenden").click()
    expect(seite.get_by_role("main")).to_contain_text("nicht zuständig")
    _abmelden(seite)
    anmelden(seite, "qm")
    seite.goto(f"/anliegen/{nummer}/")
    expect(seite.get_by_role("main")).to_contain_text("nicht zuständig")
    seite.get_by_role("link", name="Weiterleiten").click()
    seite.get_by_label(re.compile("Aachener Stadtbetrieb")).uncheck()
    seite.get_by_label(re.compile("Stadtentwicklung")).check()
    seite.get_by_label(re.compile("Nachricht an den Fachbereich")).fill("Bitte übernehmen.")
    seite.get_by_role("button", name="Weiterleiten").click()
    expect(seite.get_by_role("main")).to_contain_text("FB 61")
    assert not seite.fehler, seite.fehler
