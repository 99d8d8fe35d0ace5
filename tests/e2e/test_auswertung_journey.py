"""Journey der Sozialplanung (Issue „Dashboards“): Auswertung öffnen, nach Bezirk filtern,
Diagramm und Tabelle sehen, XLSX laden und prüfen, Versorgung am 01.01.2019, Quartiersbericht
drucken."""

import re

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import anmelden


def test_planung_wertet_aus_und_druckt_den_quartiersbericht(seite, tmp_path):
    anmelden(seite, "planung")
    haupt = seite.get_by_role("navigation", name=re.compile("Haupt"))
    haupt.get_by_role("link", name="Auswertung").click()
    expect(seite.get_by_role("heading", level=1)).to_contain_text("Anliegen")

    # Nach Bezirk filtern: die Auswahl steht in der URL (teilbar, als Lesezeichen).
    seite.get_by_label("Bezirk").select_option(label="Aachen-Mitte")
    seite.get_by_role("button", name="Anzeigen").click()
    expect(seite).to_have_url(re.compile(r"bezirk=\d+"))

    # Diagramm (gezeichnet) und seine Tabelle darunter.
    leinwand = seite.locator('canvas[data-ql-diagramm="quartiere-daten"]')
    expect(leinwand).to_be_visible()
    expect(leinwand).to_have_attribute("data-ql-gezeichnet", "")
    tabelle = seite.locator("table#quartiere")
    expect(tabelle.locator("caption")).to_have_text("Anliegen je Quartier")
    zeile = tabelle.locator("tr", has=seite.locator("th", has_text="Ost/Rothe Erde"))
    anzahl_auf_der_seite = int(zeile.locator("td").first.inner_text().replace(".", ""))
    assert anzahl_auf_der_seite > 0
    # Nur Quartiere des Bezirks Aachen-Mitte (Eilendorf liegt im Bezirk Eilendorf).
    expect(tabelle).not_to_contain_text("Eilendorf")
    expect(tabelle).to_contain_text("Preuswald")

    # XLSX laden und dieselbe Zahl darin finden.
    with seite.expect_download() as laden:
        seite.get_by_role("link", name="„Anliegen je Quartier“ als Excel (XLSX)").click()
    datei = tmp_path / laden.value.suggested_filename
    laden.value.save_as(datei)
    assert datei.suffix == ".xlsx"
    blatt = load_workbook(datei).active
    werte = {zeile[0]: zeile[1] for zeile in blatt.iter_rows(min_row=2, values_only=True)}
    assert werte["Ost/Rothe Erde"] == anzahl_auf_der_seite

    # Versorgung am 01.01.2019: Kronenberg ohne Quartiersmanagement, Kullen an der Schwelle.
    seite.get_by_role("navigation", name=re.compile("Seiten im Bereich")).get_by_role(
        "link", name="Versorgung"
    ).click()
    seite.get_by_label("Stichtag").fill("01.01.2019")
    seite.get_by_role("button", name="Anzeigen").click()
    expect(seite.get_by_role("heading", level=1)).to_have_text("Versorgung am 01.01.2019")
    expect(
        seite.get_by_role("region", name=re.compile("besonderen Herausforderungen ohne"))
    ).to_contain_text("Kronenberg")
    expect(seite.get_by_role("region", name=re.compile("an der Schwelle"))).to_contain_text(
        "Kullen"
    )

    # Quartiersbericht wählen und drucken.
    seite.get_by_role("navigation", name=re.compile("Seiten im Bereich")).get_by_role(
        "link", name="Quartiersbericht"
    ).click()
    seite.get_by_label(re.compile(r"^Quartier")).select_option(label="Ost/Rothe Erde")
    jahr = seite.get_by_label(re.compile(r"^Jahr"))
    jahr.fill("")
    jahr.fill(str(timezone.localdate().year))
    seite.get_by_role("button", name="Bericht zeigen").click()
    bericht = seite.get_by_test_id("bericht")
    expect(bericht).to_contain_text("1. Bevölkerung, Kennzahlen und Versorgung")
    expect(bericht).to_contain_text("Anliegen erfasst")
    expect(seite.get_by_test_id("drucken")).to_be_visible()
    seite.emulate_media(media="print")
    expect(haupt).to_be_hidden()
    expect(seite.get_by_role("button", name="Bericht zeigen")).to_be_hidden()
    expect(bericht.get_by_role("heading", level=1)).to_contain_text(
        "Quartiersbericht Ost/Rothe Erde"
    )
    expect(bericht.locator("table#b-stellen")).to_be_visible()
    assert not seite.fehler, seite.fehler


def test_tabellen_unter_den_diagrammen_bei_1280_px_ganz_sichtbar(seite):
    """Neben einem Diagramm versteckten breite Tabellen Spalten hinter einer Scrollleiste;
    jetzt stehen sie darunter und passen bei 1280 px ganz auf den Bildschirm."""
    seite.set_viewport_size({"width": 1280, "height": 900})
    anmelden(seite, "planung")
    jahr = timezone.localdate().year
    for pfad in (
        "/auswertung/anliegen/",
        f"/auswertung/anliegen/?jahr={jahr}",
        "/auswertung/netzwerke/",
        "/auswertung/versorgung/?stichtag=01.01.2019",
    ):
        seite.goto(pfad)
        bereiche = seite.locator(".ql-auswertung__tabelle .kern-table-responsive")
        expect(bereiche.first).to_be_visible()
        breiten = bereiche.evaluate_all(
            "els => els.map(e => [e.querySelector('caption').textContent.trim(),"
            " e.scrollWidth, e.clientWidth])"
        )
        assert breiten, pfad
        zu_breit = [(titel, s, c) for titel, s, c in breiten if s > c]
        assert not zu_breit, (pfad, zu_breit)

    # Das Diagramm „Anliegen je Quartier“ sagt auf der Achse, was es zeigt.
    seite.goto("/auswertung/anliegen/")
    leinwand = seite.locator('canvas[data-ql-diagramm="quartiere-daten"]')
    expect(leinwand).to_have_attribute("data-ql-gezeichnet", "")
    titel = leinwand.evaluate("c => window.Chart.getChart(c).options.scales.x.title")
    assert titel["display"] and titel["text"] == "Anliegen je 1.000 Einwohner:innen"
    expect(seite.locator("#quartiere-ueberschrift")).to_contain_text("je 1.000 Einwohner:innen")
    assert not seite.fehler, seite.fehler


# A4 hochkant mit 15 mm Rand (static/css/app.css, @page): 180 mm Druckbreite bei 96 dpi.
DRUCKBREITE_PX = round(180 / 25.4 * 96)  # 680


def _pdf_seiten(pdf: bytes) -> int:
    # Chromium schreibt je Seite ein Objekt „/Type /Page“ (ohne „s“: „/Pages“ ist der Baum).
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_quartiersbericht_druckt_vollstaendig_auf_a4(seite):
    """Keine Tabelle breiter als die Druckbreite (abgeschnittene Spalten), keine Seite nur mit
    der Fußzeile."""
    anmelden(seite, "planung")
    jahr = timezone.localdate().year
    seite.goto("/auswertung/quartiersbericht/")
    seite.get_by_label(re.compile(r"^Quartier")).select_option(label="Ost/Rothe Erde")
    feld = seite.get_by_label(re.compile(r"^Jahr"))
    feld.fill(str(jahr))
    seite.get_by_role("button", name="Bericht zeigen").click()
    bericht = seite.get_by_test_id("bericht")
    expect(bericht).to_contain_text("1. Bevölkerung")

    seite.set_viewport_size({"width": DRUCKBREITE_PX, "height": 1000})
    seite.emulate_media(media="print")
    breite = bericht.evaluate("b => b.clientWidth")
    assert breite <= DRUCKBREITE_PX
    tabellen = bericht.locator("table").evaluate_all(
        "ts => ts.map(t => [t.id, t.scrollWidth, t.parentElement.clientWidth])"
    )
    assert len(tabellen) >= 8
    zu_breit = [(i, s, c) for i, s, c in tabellen if s > min(c, breite)]
    assert not zu_breit, zu_breit

    pdf = seite.pdf(prefer_css_page_size=True, print_background=False)
    seiten = _pdf_seiten(pdf)
    assert seiten >= 2
    # Ohne die Fußzeile der Anwendung darf das PDF nicht kürzer werden: sie allein füllt keine
    # Seite (sie wird im Bericht gar nicht gedruckt).
    seite.evaluate("document.querySelectorAll('.ql-fuss').forEach(f => f.remove())")
    assert _pdf_seiten(seite.pdf(prefer_css_page_size=True)) == seiten
    assert not seite.fehler, seite.fehler
