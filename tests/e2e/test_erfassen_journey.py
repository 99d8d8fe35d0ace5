"""Erfassen: die Wahl eines Themas zeigt sofort, an welchen Fachbereich es geht (mit
JavaScript; ohne steht unter dem Feld die Routing-Tabelle, siehe test_erfassen.py)."""

import re

from playwright.sync_api import expect

from .conftest import anmelden


def test_themenwahl_nennt_den_fachbereich(seite):
    anmelden(seite, "qm")
    seite.goto("/anliegen/neu/")
    hinweis = seite.get_by_test_id("thema-ziel")
    expect(hinweis).to_have_text(re.compile("Nach der Wahl eines Themas"))
    thema = seite.get_by_label(re.compile(r"^Thema"))

    def waehlen(name: str) -> None:
        # Jede Wahl lädt auch die ähnlichen Anliegen (htmx); abwarten, sonst bricht htmx ab.
        with seite.expect_response(re.compile("/anliegen/neu/aehnliche/")):
            thema.select_option(label=name)

    waehlen("Wilder Müll")
    expect(hinweis).to_have_text("Wird an E 18 Aachener Stadtbetrieb weitergeleitet.")
    waehlen("Beratung gesucht")
    expect(hinweis).to_have_text(re.compile("^Ohne Fachbereich"))
    waehlen("Schlaglöcher und Gehwege")
    expect(hinweis).to_contain_text("FB 61")
    # die Tabelle ohne JavaScript ist da, aber zugeklappt
    expect(seite.get_by_test_id("thema-routing")).not_to_have_attribute("open", "")
    assert not seite.fehler, seite.fehler  # keine CSP-Verstöße, keine Fehlerantworten
