"""Journey: der Fachbereich antwortet ohne Konto über den Link aus der Weiterleitungs-Mail.

qm erfasst und leitet weiter; der Link kommt aus dem Postausgang (django-mailer); eine
Mitarbeiterin des Stadtbetriebs öffnet ihn in einem frischen Browser ohne Anmeldung, nimmt an
und antwortet „wird umgesetzt“; danach sieht qm „Antwort liegt vor“ mit ihrem Namen im Verlauf.
(Das Weitergeben der Antwort mit Textbaustein und der Brief folgen in einer eigenen Journey.)
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from .conftest import anmelden
from .test_anliegen_journeys import _abmelden, _erfassen_und_weiterleiten


@pytest.fixture(autouse=True)
def _postausgang(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    cache.clear()


def _link_aus_dem_postausgang(an: str) -> str:
    from mailer.models import Message

    for mail in Message.objects.order_by("-pk"):
        if an in mail.to_addresses:
            treffer = re.search(r"https?://\S+/antwort/[A-Za-z0-9_-]+/", mail.email.body)
            assert treffer, mail.email.body
            # Die Mail verlinkt QL_BASIS_URL; im Test läuft die App unter live_server.
            return urlsplit(treffer.group(0)).path
    raise AssertionError(f"keine Mail an {an}")


def test_fachbereich_antwortet_ueber_den_link_ohne_anmeldung(seite, browser, live_server):
    nummer = _erfassen_und_weiterleiten(seite)
    _abmelden(seite)
    pfad = _link_aus_dem_postausgang("stadtbetrieb@aachen.example")

    kontext = browser.new_context(base_url=live_server.url, locale="de-DE")
    try:
        amt = kontext.new_page()
        fehler: list[str] = []
        amt.on("console", lambda m: m.type == "error" and fehler.append(m.text))
        amt.on("response", lambda r: r.status >= 400 and fehler.append(f"{r.status} {r.url}"))
        amt.goto(pfad)
        haupt = amt.get_by_role("main")
        expect(amt.get_by_role("heading", level=1)).to_have_text("Sperrmüll vor der Kita")
        expect(haupt).to_contain_text("Bitte abholen.")
        expect(haupt).not_to_contain_text("Journey Bürgerin")
        expect(haupt).not_to_contain_text("journey@example.invalid")
        # Ohne Anmeldung: keine Navigation, kein Abmelden.
        expect(amt.get_by_role("button", name="Abmelden")).to_have_count(0)

        amt.get_by_test_id("aktion-annehmen").click()
        amt.get_by_label("Ihr Name").fill("Petra Amt")
        amt.get_by_label(re.compile("Rückfragen")).fill("0241 432-18")
        amt.get_by_test_id("absenden").click()
        expect(haupt).to_contain_text("Angenommen")

        amt.get_by_test_id("aktion-beantworten").click()
        amt.get_by_label("wird umgesetzt").check()
        amt.get_by_label(re.compile(r"^Antwort")).fill("Wir holen den Sperrmüll am Freitag ab.")
        amt.get_by_label(re.compile("Umsetzung erwartet")).fill("2099-12-31")
        # Der Name aus dem Annehmen ist vorbelegt.
        expect(amt.get_by_label("Ihr Name")).to_have_value("Petra Amt")
        amt.get_by_test_id("absenden").click()
        expect(haupt).to_contain_text("Die Antwort ist gespeichert")
        expect(haupt).to_contain_text("Diese Weiterleitung ist erledigt")
        expect(amt.get_by_test_id("antwort")).to_contain_text("wird umgesetzt")
        assert not fehler, fehler
    finally:
        kontext.close()

    anmelden(seite, "qm")
    seite.goto(f"/anliegen/{nummer}/")
    haupt = seite.get_by_role("main")
    expect(haupt).to_contain_text("Antwort liegt vor")
    expect(haupt).to_contain_text("Wir holen den Sperrmüll am Freitag ab.")
    expect(seite.get_by_test_id("verlauf")).to_contain_text("Petra Amt")
    expect(seite.get_by_test_id("verlauf")).to_contain_text("per Antwortlink")
    assert not seite.fehler, seite.fehler
