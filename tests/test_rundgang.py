"""Rundgang mit den Demodaten: jede Rolle folgt jedem Link, kein Link führt ins Leere.

Das ist die automatisierte Form von „jedes Demokonto klickt jeden Link“.
"""

import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

LINK = re.compile(r'href="([^"#]+)"')
HOECHSTENS = 400


@pytest.fixture
def demo(db):
    call_command("demo_daten", stdout=io.StringIO())


def _rundgang(client: Client, start: str, inhalte: dict | None = None) -> dict[str, int]:
    besucht: dict[str, int] = {}
    offen = [start]
    while offen and len(besucht) < HOECHSTENS:
        url = offen.pop()
        if url in besucht:
            continue
        antwort = client.get(url)
        besucht[url] = antwort.status_code
        if inhalte is not None:
            # Exporte (CSV, XLSX) streamen; auch sie dürfen keine Personendaten enthalten.
            roh = b"".join(antwort.streaming_content) if antwort.streaming else antwort.content
            inhalte[url] = roh.decode(errors="replace")
        if antwort.status_code != 200 or "text/html" not in antwort.get("Content-Type", ""):
            continue
        for href in LINK.findall(antwort.content.decode()):
            href = href.replace("&amp;", "&")
            ziel = urljoin(url, href)
            teile = urlsplit(ziel)
            if teile.scheme in ("mailto", "tel") or teile.netloc not in ("", "testserver"):
                continue
            pfad = teile.path + (f"?{teile.query}" if teile.query else "")
            if pfad.startswith("/static/") or pfad.startswith("/abmelden/"):
                continue
            offen.append(pfad)
    return besucht


@pytest.mark.parametrize(
    "name", ["qm", "qm2", "qm.forst", "fachbereich", "fb.verkehr", "planung", "admin"]
)
def test_jeder_link_funktioniert(demo, name):
    from quartier.models import User

    client = Client()
    client.force_login(User.objects.get(username=name))
    besucht = _rundgang(client, "/")
    kaputt = {url: status for url, status in besucht.items() if status >= 400}
    assert not kaputt, kaputt
    assert len(besucht) > 5


def test_statische_dateien_der_seiten_existieren(demo, client):
    """Jede eingebundene CSS/JS-Datei ist ausgeliefert (offline, kein CDN)."""
    from django.contrib.staticfiles import finders

    from quartier.models import User

    client.force_login(User.objects.get(username="qm"))
    inhalt = client.get("/").content.decode()
    dateien = re.findall(r'(?:href|src)="/static/([^"]+)"', inhalt)
    assert dateien
    for datei in dateien:
        assert finders.find(datei), datei
    assert "http://" not in re.sub(r'xmlns="http://[^"]+"', "", inhalt.split("<body")[0])
    assert "https://" not in inhalt.split("<body")[0]


def test_sozialplanung_sieht_nirgends_ansprechpersonen(demo):
    """Kontaktdaten von Ansprechpersonen erscheinen auf keiner Seite der Sozialplanung."""
    from netzwerke.models import Ansprechperson
    from quartier.models import User

    client = Client()
    client.force_login(User.objects.get(username="planung"))
    inhalte: dict[str, str] = {}
    _rundgang(client, "/", inhalte)
    personen = list(Ansprechperson.objects.values_list("name", "email"))
    assert personen
    for url, inhalt in inhalte.items():
        for name, email in personen:
            assert name not in inhalt, (url, name)
            assert email not in inhalt, (url, email)


@pytest.mark.parametrize("name", ["fachbereich", "planung", "qm2"])
def test_keine_daten_meldender_personen_ausser_fuer_das_zustaendige_qm(demo, name):
    """Fachbereich (ohne geteilten Kontakt), Sozialplanung und das QM eines anderen Quartiers
    sehen auf keiner erreichbaren Seite Name, E-Mail, Telefon oder Anschrift von Meldenden
    aus Ost/Rothe Erde."""
    from anliegen.models import Meldende
    from quartier.models import User

    client = Client()
    client.force_login(User.objects.get(username=name))
    inhalte: dict[str, str] = {}
    _rundgang(client, "/", inhalte)
    werte = [
        w
        for m in Meldende.objects.filter(anliegen__quartier__slug="ost-rothe-erde")
        for w in (m.name, m.email, m.telefon, m.anschrift)
        if w
    ]
    assert werte
    for url, inhalt in inhalte.items():
        for wert in werte:
            assert wert not in inhalt, (url, wert)
