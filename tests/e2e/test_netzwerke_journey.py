"""Journey der Netzwerke: Sitzung mit Anwesenheit erfassen, Votum mit Befangenheit,
Teilbewilligung durch die Verwaltung, Restbudget zeigt die Differenz."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import anmelden


def _abmelden(seite) -> None:
    seite.get_by_role("button", name="Abmelden").click()
    expect(seite).to_have_url(re.compile(r"/anmelden/"))


def test_sitzung_votum_und_teilbewilligung(seite):
    from netzwerke.models import Netzwerk, Stadtteilfonds

    konferenz = Netzwerk.objects.get(name="Stadtteilkonferenz Ost/Rothe Erde")
    fonds = Stadtteilfonds.objects.get(netzwerk=konferenz)
    rest_vorher = fonds.restbudget()
    beginn = timezone.localtime() - datetime.timedelta(hours=1)

    # 1. Die Quartiersmanagerin erfasst die Sitzung mit Anwesenheit auf dem Tablet.
    anmelden(seite, "qm")
    seite.goto(konferenz.get_absolute_url())
    seite.get_by_role("link", name="Sitzung anlegen").click()
    seite.get_by_label("Beginn").fill(beginn.strftime("%Y-%m-%dT%H:%M"))
    seite.get_by_label(re.compile(r"^Ort")).fill("Nadelfabrik, großer Saal")
    anwesenheit = seite.get_by_role("group", name="Anwesende Mitglieder")
    for name in (
        "Initiative Grünes Ostviertel",
        "Familienzentrum Rothe Erde",
        "Jugendtreff Ostviertel",
    ):
        anwesenheit.get_by_label(name).check()
    seite.get_by_label("Titel").first.fill("Anträge an den Stadtteilfonds")
    seite.get_by_role("button", name="Speichern", exact=True).click()
    expect(seite.get_by_role("main")).to_contain_text("Nadelfabrik, großer Saal")
    expect(seite.get_by_role("main")).to_contain_text("Initiative Grünes Ostviertel")

    # 2. Ein Antrag der Initiative kommt in den Fonds.
    seite.goto(fonds.get_absolute_url())
    seite.get_by_role("link", name="Antrag erfassen").click()
    seite.get_by_label("Antragsteller").select_option(label="Initiative Grünes Ostviertel")
    seite.get_by_label("Vorhaben").fill("Hochbeete am Elsassplatz")
    seite.get_by_label("Beschreibung").fill("Nachbar:innen bauen und pflegen Hochbeete.")
    seite.get_by_label("Beantragter Betrag (€)").fill("1.000")
    seite.get_by_role("button", name="Antrag speichern").click()
    expect(seite.get_by_role("heading", level=1)).to_have_text("Hochbeete am Elsassplatz")

    # 3. Die Konferenz stimmt ab; die Initiative ist befangen und stimmt nicht mit.
    seite.get_by_role("link", name="Votum der Stadtteilkonferenz erfassen").click()
    befangen = seite.get_by_role("group", name=re.compile("Befangene Mitglieder"))
    expect(befangen.get_by_label("Initiative Grünes Ostviertel")).to_be_checked()
    seite.get_by_label("Ja-Stimmen").fill("2")
    seite.get_by_label("Nein-Stimmen").fill("0")
    seite.get_by_label("Enthaltungen").fill("0")
    seite.get_by_role("button", name="Speichern").click()
    expect(seite.get_by_role("main")).to_contain_text("von der Konferenz empfohlen")
    expect(seite.get_by_role("main")).to_contain_text("befangen")
    _abmelden(seite)

    # 4. Die Verwaltung bewilligt einen Teil.
    anmelden(seite, "admin")
    seite.goto(fonds.get_absolute_url())
    seite.get_by_role("link", name="Hochbeete am Elsassplatz").click()
    seite.get_by_role("link", name="Entscheiden").click()
    seite.get_by_label(re.compile("bewilligen")).check()
    seite.get_by_label("Bewilligter Betrag (€)").fill("700")
    seite.get_by_label("Begründung").fill("Erdreich stellt der Stadtbetrieb.")
    seite.get_by_role("button", name="Speichern").click()
    expect(seite.get_by_role("main")).to_contain_text("bewilligt")

    # 5. Das Restbudget zeigt die Differenz.
    rest_nachher = rest_vorher - 700
    erwartet = f"{rest_nachher:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    expect(seite.get_by_test_id("restbudget")).to_contain_text(erwartet)
    seite.goto(fonds.get_absolute_url())
    expect(seite.get_by_test_id("restbudget")).to_contain_text(erwartet)
    assert not seite.fehler, seite.fehler
