"""Browser-Journeys mit Playwright in Debians Chromium (kein Browser-Download).

Ohne Chromium werden die Journeys mit Begründung übersprungen; mit E2E_REQUIRED=1 (CI)
ist ein fehlender Browser ein Fehler.
"""

import io
import os
import shutil

import pytest

# Playwrights synchrone API betreibt eine asyncio-Schleife im Hauptthread; die ORM-Aufrufe
# der Fixtures sind trotzdem synchron und sicher. Nur hier, nie in Produktion.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(
                f"E2E_REQUIRED=1, aber kein Chromium unter {CHROMIUM} (apt install chromium)"
            )
        pytest.skip(f"Kein Chromium unter {CHROMIUM}: Browser-Journeys übersprungen")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("demo_daten", stdout=io.StringIO())


@pytest.fixture
def seite(browser, live_server, demo):
    """Eine frische Browserseite; sammelt Konsolenfehler (z. B. CSP-Verstöße) und 4xx/5xx."""
    kontext = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport={"width": 1024, "height": 768}
    )
    page = kontext.new_page()
    page.fehler = []
    page.on("console", lambda m: m.type == "error" and page.fehler.append(m.text))
    page.on(
        "response",
        lambda r: r.status >= 400 and page.fehler.append(f"{r.status} {r.url}"),
    )
    yield page
    kontext.close()


def anmelden(page, name: str, passwort: str = "demo") -> None:
    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort", exact=False).first.fill(passwort)
    page.get_by_role("button", name="Anmelden").click()
