"""Journey: das QM gibt eine Antwort mit einem Textbaustein weiter und druckt einen Brief.

Ausgangslage über den Workflow (Demodaten plus ein Anliegen einer Person ohne E-Mail, aber mit
Anschrift): weitergeleitet an den Stadtbetrieb, angenommen und beantwortet – „Antwort liegt
vor“. Die Textbausteine kommen aus den Demodaten.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import anmelden

MM = 96 / 25.4  # CSS-Pixel je Millimeter


@pytest.fixture(autouse=True)
def _postausgang(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"


@pytest.fixture
def antwort_liegt_vor(demo):
    from anliegen import workflow
    from anliegen.models import Thema
    from quartier.models import User
    from quartier.permissions import eigene_quartiere

    qm = User.objects.get(username="qm")
    fb = User.objects.get(username="fachbereich")
    anliegen = workflow.erfassen(
        daten={
            "titel": "Sperrmüll am Spielplatz",
            "beschreibung": "Alte Möbel neben dem Sandkasten.",
            "quartier": eigene_quartiere(qm).first(),
            "thema": Thema.objects.get(name="Wilder Müll"),
            "art": "beschwerde",
            "kanal": "sprechstunde",
            "ort": "Spielplatz Elsassstraße",
        },
        neue_meldende={
            "name": "Briefa Bürgerin",
            "anschrift": "Beispielweg 12, 52062 Aachen",
            "einwilligung": True,
            "bevorzugter_kanal": "brief",
        },
        durch=qm,
    )
    workflow.weiterleiten(anliegen, an=[fb.fachbereich], nachricht="Bitte abholen.", durch=qm)
    w = anliegen.weiterleitungen.get()
    workflow.annehmen(w, durch=fb)
    w.refresh_from_db()
    workflow.beantworten(
        w,
        entscheidung="wird_umgesetzt",
        antwort="Wir holen die Möbel am Freitag ab.",
        erwartet_am=timezone.localdate() + datetime.timedelta(days=7),
        durch=fb,
    )
    return anliegen.nummer


def test_qm_gibt_antwort_mit_baustein_weiter_und_druckt_brief(seite, antwort_liegt_vor):
    from anliegen.models import Rueckmeldung

    nummer = antwort_liegt_vor
    anmelden(seite, "qm")
    seite.goto(f"/anliegen/{nummer}/")
    expect(seite.get_by_role("main")).to_contain_text("Antwort liegt vor")

    # Rückmeldeformular: Baustein einfügen, der eigene Text bleibt stehen.
    seite.get_by_test_id("aktion-rueckmelden").click()
    text = seite.get_by_label(re.compile(r"^Text für die meldende Person"))
    text.fill("Vorab: Danke für Ihren Hinweis.")
    seite.get_by_label("Textbaustein einfügen").select_option(
        label="Rückmeldung: Antwort des Fachbereichs weitergeben"
    )
    seite.get_by_test_id("baustein-einfuegen").click()
    expect(text).to_have_value(re.compile(r"^Vorab: Danke für Ihren Hinweis\.\n\nSie haben uns"))
    expect(text).to_have_value(re.compile("Wir holen die Möbel am Freitag ab"))
    assert f"/anliegen/{nummer}/rueckmelden/" in seite.url  # mit JavaScript kein Absenden

    # Keine E-Mail: Brief schreiben.
    seite.get_by_test_id("brief-link").click()
    expect(seite.get_by_role("heading", level=1)).to_have_text("Brief an die meldende Person")
    expect(seite.get_by_label(re.compile("^Anrede"))).to_have_value("Guten Tag Briefa Bürgerin,")
    seite.get_by_label("Textbaustein einfügen").select_option(
        label="Rückmeldung: Antwort des Fachbereichs weitergeben"
    )
    seite.get_by_test_id("baustein-einfuegen").click()
    brieftext = seite.get_by_label(re.compile(r"^Text des Briefs"))
    expect(brieftext).to_have_value(re.compile(rf"^Sie haben uns Ihr Anliegen {nummer}"))
    brieftext.press("Control+End")
    brieftext.type("\n\nHerzliche Grüße aus dem Stadtteilbüro.")
    seite.get_by_test_id("brief-vorschau").click()

    # Druckansicht am Bildschirm: Knöpfe da, Brief mit allen Teilen.
    expect(seite.get_by_test_id("drucken")).to_be_visible()
    brief = seite.get_by_test_id("brief")
    expect(brief.get_by_test_id("brief-empfaenger")).to_contain_text("Briefa Bürgerin")
    expect(brief.get_by_test_id("brief-empfaenger")).to_contain_text("52062 Aachen")
    expect(brief.get_by_test_id("brief-aktenzeichen")).to_have_text(nummer)
    expect(brief.get_by_test_id("brief-text")).to_contain_text("Wir holen die Möbel")
    expect(brief.get_by_test_id("brief-text")).to_contain_text("aus dem Stadtteilbüro")
    expect(brief.get_by_test_id("brief-ruecksendung")).to_contain_text("Stadt Aachen")

    # Druck: nur das Blatt; Anschriftfeld nach DIN 5008 Form B 45 mm von oben, 20 mm links.
    seite.emulate_media(media="print")
    expect(seite.locator(".ql-nav")).to_be_hidden()
    expect(seite.locator(".ql-kopf")).to_be_hidden()
    expect(seite.get_by_test_id("brief-steuerung")).to_be_hidden()
    for teil in ("brief-absender", "brief-empfaenger", "brief-info", "brief-betreff", "brief-fuss"):
        expect(brief.get_by_test_id(teil)).to_be_visible()
    feld = seite.locator(".ql-brief__anschriftfeld").bounding_box()
    assert abs(feld["y"] - 45 * MM) < 2, feld
    assert abs(feld["x"] - 20 * MM) < 2, feld
    assert abs(feld["width"] - 85 * MM) < 2, feld
    info = seite.locator(".ql-brief__info").bounding_box()
    assert abs(info["x"] - 125 * MM) < 2, info
    seite.emulate_media(media="screen")

    # Festhalten (ausdrücklich), dann lässt sich abschließen.
    seite.get_by_test_id("festhalten").click()
    expect(seite.get_by_role("main")).to_contain_text("als Rückmeldung (Weg: Brief) festgehalten")
    r = Rueckmeldung.objects.get(anliegen__nummer=nummer)
    assert r.kanal == "brief"
    assert "aus dem Stadtteilbüro" in r.text
    seite.get_by_test_id("aktion-abschliessen").click()
    seite.get_by_label("erledigt", exact=True).check()
    seite.get_by_role("button", name="Anliegen abschließen").click()
    expect(seite.get_by_role("main")).to_contain_text("Das Anliegen ist abgeschlossen.")
    assert not seite.fehler, seite.fehler
