"""Fuzz-Test: jedes Formular und jede Seite der App, als jede Persona, mit feindlichen Werten –
nie ein Serverfehler (5xx).

Die Ziele kommen aus der URL-Konfiguration (tests/fuzz_welt.py), die Platzhalter werden mit
echten ids einer kleinen Testwelt gefüllt (eigene, fremde und unbekannte Objekte). Die Felder
jedes Formulars liest der Test aus dem HTML der Seite; Hypothesis setzt dann je Beispiel eine
Persona und Werte ein: gültige, riesige und negative ids, Nicht-ASCII, NUL-Bytes, sehr lange
Texte, Listen statt Einzelwerten, fehlende Felder, manipulierte Formset-Zähler, kaputte Daten
und Dezimalzahlen. Deterministisch (derandomize) und ohne Zeitgrenze je Beispiel.

Ein gefundener Fehler erscheint als Ausnahme der View (der Test-Client reicht sie durch) oder
als Antwort ≥ 500, jeweils mit dem kleinsten gefundenen Beispiel.
"""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.anliegen.conftest import Lotse
from tests.fuzz_welt import (
    BEKANNTE_PLATZHALTER,
    Feld,
    Muster,
    Welt,
    adresse,
    aktionen,
    alle_muster,
    formularfelder,
    platzhalter_werte,
)

PERSONAS = ["qm", "qm2", "fb", "planung", "admin", None]  # None: anonym
# Wer die Seite typischerweise bedienen darf: bekommt mehr Beispiele (tiefer ins Formular).
BESITZER = {"anliegen:eingang": "fb", "anliegen:eingang_detail": "fb"}
BEISPIELE_POST = 24
BEISPIELE_GET = 10

RIESIG = [
    str(2**64),
    str(2**63),
    str(-(2**63) - 1),
    "1" + "0" * 30,
    "9" * 5000,
]
ZAHLEN = ["-1", "0", "1,5", "1.5", "1.2.3", "1,2,3", "1e400", "NaN", "Infinity", "-0"]
ZAHLEN += ["1.234,5", "12.5", "1_000", "0x10", " 7 ", "٣", "1.000.000.000.000.000,99"]
DATEN = ["31.02.2025", "2025-13-01", "99999-01-01", "0001-01-01", "1.1.1", "00.00.0000"]
DATEN += ["2025-02-30", "32.12.2025", "9999-12-31", "01.01.10000", "heute", "2025-1-1T25:61"]
TEXTE = ["\x00", "a\x00b", "x" * 20_000, "😀", "\u202eevil", "ä" * 300, "' OR 1=1 --"]
TEXTE += ["<script>alert(1)</script>", "%00", "\r\nBcc: x@example.invalid", "   ", ""]
ZAEHLER = ["1000000", "-1", "abc", "1001", "0", "3", "", str(2**64)]

# Felder, in denen ids oder Zahlen stehen (Auswahl, Häkchen, versteckte Versionen, Zahlen).
ID_ARTEN = ("select", "select-multiple", "radio", "checkbox", "hidden", "number")

ZEICHEN = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


def feindlich(feld: Feld | None, zaehler: list[str] = ZAEHLER) -> st.SearchStrategy[str]:
    """Ein feindlicher Einzelwert, passend zur Art des Felds (aber nie nur passend)."""
    allgemein = st.sampled_from(RIESIG + ZAHLEN + DATEN + TEXTE) | ZEICHEN
    if feld is None:
        return allgemein
    if feld.name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")):
        return st.sampled_from(zaehler)
    if feld.art in ID_ARTEN:
        return st.sampled_from(RIESIG * 2 + ZAHLEN[:4]) | allgemein
    if feld.art == "date" or "datum" in feld.name or feld.name in ("von", "bis", "stichtag"):
        return st.sampled_from(DATEN) | allgemein
    return allgemein


def gueltig(feld: Feld) -> st.SearchStrategy:
    """Ein plausibler Wert, damit Formulare auch einmal bis zum Speichern kommen."""
    if feld.art == "select-multiple" and feld.werte:
        return st.lists(st.sampled_from(feld.werte), min_size=1, max_size=2, unique=True)
    if feld.werte:
        return st.sampled_from(feld.werte)
    if feld.art == "date" or feld.name in ("von", "bis", "stichtag", "beginn", "ende"):
        return st.sampled_from(["2026-05-01", "01.05.2026"])
    if feld.art == "number":
        return st.sampled_from(["3", "0"])
    if feld.art == "email":
        return st.just("person@example.invalid")
    if feld.art == "file":
        return st.just(SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0kein-bild"))
    return st.sampled_from(["Test", "Sperrmüll an der Ecke", "1"])


@st.composite
def formulardaten(draw, felder: dict[str, Feld], pool: list[str], zaehler: list[str]) -> dict:
    daten: dict[str, object] = {}
    for name, feld in felder.items():
        wahl = draw(st.sampled_from(["gueltig", "gueltig", "feindlich", "feindlich", "fehlt"]))
        if wahl == "fehlt":
            continue
        if wahl == "gueltig":
            daten[name] = draw(gueltig(feld))
        elif draw(st.booleans()):
            daten[name] = draw(feindlich(feld, zaehler))
        else:  # Liste statt Einzelwert (oder mehrere feindliche ids in der Mehrfachauswahl)
            daten[name] = draw(st.lists(feindlich(feld, zaehler), min_size=2, max_size=3))
    # Dazu Felder anderer Formulare der App (oder ganz erfundene) mit feindlichen Werten.
    for name in draw(st.lists(st.sampled_from(pool), max_size=2)):
        daten[name] = draw(feindlich(None))
    return daten


# --- Ziele -------------------------------------------------------------------------------


def _faelle() -> list[tuple[Muster, str | None]]:
    faelle = []
    for muster in alle_muster():
        if "aktion" in muster.platzhalter:
            faelle += [(muster, a) for a in aktionen(muster)]
        else:
            faelle.append((muster, None))
    return faelle


FAELLE = _faelle()


def _fall_id(fall) -> str:
    muster, aktion = fall
    return f"{muster.name}[{aktion}]" if aktion else muster.name


def test_jedes_url_muster_hat_eine_regel():
    """Neue Platzhalter brauchen eine Regel in tests/fuzz_welt.py, sonst fuzzt niemand."""
    unbekannt = {
        (m.name, p) for m, _a in FAELLE for p in m.platzhalter if p not in BEKANNTE_PLATZHALTER
    }
    assert not unbekannt
    assert len(FAELLE) > 60


@pytest.fixture
def welt(stadt, netz, settings, tmp_path) -> Welt:
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    # Die Anmeldesperre (django-axes) soll feindliche Anmeldungen nicht ausbremsen.
    settings.AXES_ENABLED = False
    cache.clear()
    return Welt(stadt, netz, Lotse(stadt))


def _clients(welt: Welt) -> dict[str | None, Client]:
    clients: dict[str | None, Client] = {}
    for persona in PERSONAS:
        client = Client()
        if persona:
            client.force_login(welt.stadt.persona(persona))
        clients[persona] = client
    return clients


def _adressen(welt: Welt, muster: Muster, aktion: str | None) -> list[str]:
    """Erste Adresse: eigene Objekte; danach fremde und unbekannte (je Platzhalter einzeln)."""
    kandidaten = {
        p: platzhalter_werte(welt, muster, p) for p in muster.platzhalter if p != "aktion"
    }
    erste = {p: werte[0] for p, werte in kandidaten.items()}
    if aktion:
        erste["aktion"] = aktion
    liste = [adresse(muster.route, erste)]
    for p, werte in kandidaten.items():
        for wert in werte[1:]:
            liste.append(adresse(muster.route, {**erste, p: wert}))
    return liste


def _felder(clients, url: str, methode: str) -> tuple[dict[str, Feld], str | None]:
    """Felder der Formulare auf der Seite, gelesen als erste Persona, die sie sehen darf."""
    for persona in PERSONAS:
        antwort = clients[persona].get(url)
        if antwort.status_code == 200 and "html" in antwort.get("Content-Type", ""):
            felder = formularfelder(antwort.content.decode())[methode]
            felder.pop("csrfmiddlewaretoken", None)
            return felder, persona
    return {}, None


POOL = ["version", "text", "nachricht", "an", "quartiere", "teilnehmende", "partner"]
POOL += ["bedarfe", "page", "sortierung", "form-TOTAL_FORMS", "form-0-nummer", "einreichung"]
GET_PARAMETER = ["page", "sortierung", "q", "jahr", "von", "bis", "stichtag", "status"]


def _pruefen(antwort, methode: str, url: str, persona, daten) -> None:
    assert antwort.status_code < 500, (methode, url, persona, daten)


def _senden(client: Client, methode: str, url: str, daten: dict):
    if methode == "post":
        return client.post(url, daten)
    return client.get(url, {k: v for k, v in daten.items() if not hasattr(v, "read")})


def _grenzwerte(client: Client, url: str, methode: str, felder: dict[str, Feld]) -> None:
    """Vor dem Zufall systematisch: jedes id-Feld einzeln mit ids jenseits von 64 Bit, im
    sonst gültigen Formular, als Persona, die das Formular bedienen darf."""
    basis = {
        n: (f.werte[:1] if f.art == "select-multiple" else f.werte[0])
        for n, f in felder.items()
        if f.werte and f.art != "submit"
    }
    for name, feld in felder.items():
        # Formsets: das erste Formular genügt (die weiteren haben dieselben Felder).
        # Die Zähler der Formsets (…-TOTAL_FORMS) variiert der Zufallsteil mit ZAEHLER.
        if feld.art not in ID_ARTEN or re.search(r"-[1-9]\d*-", name) or name.endswith("_FORMS"):
            continue
        gueltige = feld.werte[:1]
        for wert in (str(2**64), [*gueltige, str(2**63)], str(-(2**63) - 1)):
            daten = {**basis, name: wert}
            _pruefen(_senden(client, methode, url, daten), methode, url, "darf", daten)


def _fuzz(welt: Welt, muster: Muster, aktion: str | None, methode: str) -> None:
    clients = _clients(welt)
    adressen = _adressen(welt, muster, aktion)
    felder, darf = _felder(clients, adressen[0], methode)
    if methode == "get":
        for name in GET_PARAMETER:
            felder.setdefault(name, Feld(name, "text"))
    darf = BESITZER.get(muster.name, darf)
    personas = [*PERSONAS, *[darf] * 6]
    beispiele = BEISPIELE_POST if methode == "post" else BEISPIELE_GET
    _grenzwerte(clients[darf], adressen[0], methode, felder)

    @settings(
        max_examples=beispiele,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        persona=st.sampled_from(personas),
        url=st.sampled_from(adressen),
        daten=formulardaten(felder, POOL, ZAEHLER),
    )
    def lauf(persona, url, daten):
        _pruefen(_senden(clients[persona], methode, url, daten), methode, url, persona, daten)

    lauf()


@pytest.mark.parametrize("fall", FAELLE, ids=_fall_id)
def test_post_mit_feindlichen_werten_nie_5xx(welt, fall):
    muster, aktion = fall
    _fuzz(welt, muster, aktion, "post")


@pytest.mark.parametrize("fall", [f for f in FAELLE if f[1] is None], ids=_fall_id)
def test_get_mit_feindlichen_parametern_nie_5xx(welt, fall):
    muster, aktion = fall
    _fuzz(welt, muster, aktion, "get")


VERWALTUNG = ["quartier_quartier", "quartier_user", "anliegen_anliegen", "netzwerke_akteur"]


@pytest.mark.parametrize("modell", VERWALTUNG)
def test_verwaltung_mit_feindlichen_filtern_nie_5xx(welt, modell):
    client = _clients(welt)["admin"]
    url = f"/verwaltung/{modell.replace('_', '/', 1)}/"

    @settings(max_examples=BEISPIELE_GET, derandomize=True, database=None, deadline=None)
    @given(
        schluessel=st.sampled_from(["id__in", "id", "q", "o", "p", "pk__gt", "e"]),
        wert=feindlich(None),
    )
    def lauf(schluessel, wert):
        antwort = client.get(url, {schluessel: wert})
        _pruefen(antwort, "get", url, "admin", {schluessel: wert})

    lauf()


def test_fuzz_welt_ist_vollstaendig(welt):
    """Die Testwelt selbst: Anhang und Antwortlink existieren, sonst fuzzt der Test ins Leere."""
    assert welt.anhang is not None
    assert welt.schluessel
    assert welt.anliegen.nummer
