"""Journey des ganzen Lotsen-Kreises (Issue 5): erfassen mit Blick auf ähnliche Anliegen,
weiterleiten, Antwort per Link ohne Anmeldung, Rückmeldung per Brief mit Textbaustein.

qm erfasst ein Anliegen für eine Person mit Anschrift, aber ohne E-Mail; an derselben Adresse
gibt es schon ein offenes Anliegen, das htmx beim Tippen als „ähnlich“ zeigt – qm erfasst
trotzdem neu und leitet weiter. Eine Mitarbeiterin des Stadtbetriebs öffnet den Link aus dem
Postausgang in einem frischen Browser ohne Anmeldung, nimmt an und antwortet. qm sieht „Antwort
liegt vor“, schreibt den Brief mit einem Textbaustein, druckt (Druckansicht: Anschriftfeld
sichtbar, Navigation nicht), hält ihn als gedruckt fest und schließt ab.
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from .conftest import anmelden
from .test_anliegen_journeys import _abmelden
from .test_antwortlink_journey import _link_aus_dem_postausgang

BAUSTEIN = "Rückmeldung: Antwort des Fachbereichs weitergeben"


@pytest.fixture(autouse=True)
def _postausgang(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    cache.clear()


@pytest.fixture
def adresse_mit_offenem_anliegen(demo) -> tuple[str, str]:
    """Ein offenes Anliegen im Quartier von qm (aus den Demodaten) an einer festen Adresse."""
    from anliegen.models import Anliegen
    from quartier.models import User
    from quartier.permissions import eigene_quartiere

    qm = User.objects.get(username="qm")
    vorhanden = (
        Anliegen.objects.offen()
        .filter(quartier__in=eigene_quartiere(qm), uebergeordnet__isnull=True)
        .order_by("-erstellt_am")
        .first()
    )
    Anliegen.objects.filter(pk=vorhanden.pk).update(ort="Elsassstraße 12")
    return vorhanden.nummer, "Elsassstr. 12"


def test_lotsenkreis_mit_link_antwort_und_brief(
    seite, browser, live_server, adresse_mit_offenem_anliegen
):
    from anliegen.models import Anliegen, Rueckmeldung

    aehnlich, ort = adresse_mit_offenem_anliegen

    # 1. Erfassen: die ähnlichen offenen Anliegen erscheinen (htmx, Live-Region).
    anmelden(seite, "qm")
    seite.goto("/anliegen/neu/")
    seite.get_by_label(re.compile(r"^Titel")).fill("Sperrmüll im Hinterhof")
    seite.get_by_label(re.compile(r"^Beschreibung")).fill("Alte Matratzen im Hof.")
    seite.get_by_label(re.compile(r"^Ort")).fill(ort)
    seite.get_by_label(re.compile(r"^Thema")).select_option(label="Wilder Müll")
    liste = seite.get_by_test_id("aehnliche-liste")
    expect(liste).to_be_visible()
    expect(liste).to_contain_text(aehnlich)
    expect(liste).to_contain_text("gleiche Adresse")
    expect(seite.get_by_test_id("aehnliche")).to_have_attribute("aria-live", "polite")
    expect(seite.get_by_label("Trotzdem neu erfassen")).to_be_checked()
    seite.get_by_label("Beschwerde/Mangel").check()
    seite.get_by_label("Sprechstunde", exact=True).check()
    seite.get_by_role("textbox", name=re.compile(r"^Name")).fill("Briefa Lotsenkreis")
    seite.get_by_role("textbox", name=re.compile(r"^Anschrift")).fill(
        "Beispielweg 12, 52062 Aachen"
    )
    seite.get_by_label(re.compile("einverstanden")).check()
    seite.get_by_label(re.compile("bevorzugter Weg")).select_option(label="Brief")
    seite.get_by_role("button", name="Anliegen speichern").click()
    expect(seite.get_by_role("heading", level=1)).to_have_text("Sperrmüll im Hinterhof")
    nummer = re.search(r"/anliegen/([0-9-]+)/", seite.url).group(1)
    assert Anliegen.objects.get(nummer=nummer).uebergeordnet is None

    # 2. Weiterleiten an den Stadtbetrieb (Vorschlag nach dem Thema).
    seite.get_by_test_id("aktion-weiterleiten").click()
    expect(seite.get_by_label(re.compile("Aachener Stadtbetrieb"))).to_be_checked()
    seite.get_by_label(re.compile("Nachricht an den Fachbereich")).fill("Bitte abholen.")
    seite.get_by_role("button", name="Weiterleiten").click()
    expect(seite.get_by_role("main")).to_contain_text("weitergeleitet")
    _abmelden(seite)

    # 3. Der Fachbereich antwortet über den Link aus der Mail, ohne Anmeldung.
    pfad = _link_aus_dem_postausgang("stadtbetrieb@aachen.example")
    kontext = browser.new_context(base_url=live_server.url, locale="de-DE")
    try:
        amt = kontext.new_page()
        fehler: list[str] = []
        amt.on("console", lambda m: m.type == "error" and fehler.append(m.text))
        amt.on("response", lambda r: r.status >= 400 and fehler.append(f"{r.status} {r.url}"))
        amt.goto(pfad)
        haupt = amt.get_by_role("main")
        expect(amt.get_by_role("heading", level=1)).to_have_text("Sperrmüll im Hinterhof")
        expect(haupt).not_to_contain_text("Briefa Lotsenkreis")
        expect(haupt).not_to_contain_text("Beispielweg")
        amt.get_by_test_id("aktion-annehmen").click()
        amt.get_by_label("Ihr Name").fill("Petra Amt")
        amt.get_by_test_id("absenden").click()
        expect(haupt).to_contain_text("Angenommen")
        amt.get_by_test_id("aktion-beantworten").click()
        amt.get_by_label("wird umgesetzt").check()
        amt.get_by_label(re.compile(r"^Antwort")).fill("Wir holen die Matratzen am Freitag ab.")
        amt.get_by_label(re.compile("Umsetzung erwartet")).fill("2099-12-31")
        amt.get_by_test_id("absenden").click()
        expect(haupt).to_contain_text("Die Antwort ist gespeichert")
        assert not fehler, fehler
    finally:
        kontext.close()

    # 4. qm gibt die Antwort per Brief weiter: Textbaustein, Druck, festhalten, abschließen.
    anmelden(seite, "qm")
    seite.goto(f"/anliegen/{nummer}/")
    expect(seite.get_by_role("main")).to_contain_text("Antwort liegt vor")
    expect(seite.get_by_test_id("verlauf")).to_contain_text("Petra Amt")
    seite.get_by_test_id("aktion-brief").click()
    expect(seite.get_by_role("heading", level=1)).to_have_text("Brief an die meldende Person")
    seite.get_by_label("Textbaustein einfügen").select_option(label=BAUSTEIN)
    seite.get_by_test_id("baustein-einfuegen").click()
    brieftext = seite.get_by_label(re.compile(r"^Text des Briefs"))
    expect(brieftext).to_have_value(re.compile(rf"^Sie haben uns Ihr Anliegen {nummer}"))
    expect(brieftext).to_have_value(re.compile("Matratzen am Freitag"))
    seite.get_by_test_id("brief-vorschau").click()

    brief = seite.get_by_test_id("brief")
    expect(brief.get_by_test_id("brief-empfaenger")).to_contain_text("Briefa Lotsenkreis")
    expect(brief.get_by_test_id("brief-empfaenger")).to_contain_text("52062 Aachen")
    expect(seite.get_by_test_id("drucken")).to_be_visible()
    seite.emulate_media(media="print")
    expect(seite.locator(".ql-nav")).to_be_hidden()
    expect(seite.get_by_test_id("brief-steuerung")).to_be_hidden()
    expect(seite.locator(".ql-brief__anschriftfeld")).to_be_visible()
    expect(brief.get_by_test_id("brief-empfaenger")).to_be_visible()
    seite.emulate_media(media="screen")

    seite.get_by_test_id("festhalten").click()
    expect(seite.get_by_role("main")).to_contain_text("als Rückmeldung (Weg: Brief) festgehalten")
    assert Rueckmeldung.objects.get(anliegen__nummer=nummer).kanal == "brief"
    seite.get_by_test_id("aktion-abschliessen").click()
    seite.get_by_label("erledigt", exact=True).check()
    seite.get_by_role("button", name="Anliegen abschließen").click()
    expect(seite.get_by_role("main")).to_contain_text("Das Anliegen ist abgeschlossen.")
    assert Anliegen.objects.get(nummer=nummer).status == "abgeschlossen"
    assert not seite.fehler, seite.fehler
