"""Suche der Anliegen-Liste (anliegen/suche.py): Fallnummer exakt zuerst, sonst Teilwort in
Nummer, Titel, Beschreibung und Ort, auf PostgreSQL dazu Volltext (deutsch) mit GIN-Indizes;
Sonderzeichen, zu lange Eingaben, Rechte je Rolle und die Masken der Personendaten."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anliegen import workflow
from anliegen.filters import AnliegenFilter
from anliegen.models import Anliegen
from anliegen.suche import HOECHSTENS_ZEICHEN, fallnummer

from .conftest import Lotse

URL = "/anliegen/"
POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Volltext und Indizes nur auf PostgreSQL"
)


def _treffer(client, begriff: str, **weitere) -> list[str]:
    """Die Nummern der Trefferliste (aus dem HTML, in Reihenfolge), alle Status."""
    antwort = client.get(URL, {"q": begriff, "status": "", **weitere})
    assert antwort.status_code == 200
    return re.findall(
        r'<th scope="row"[^>]*><a class="kern-link" href="/anliegen/([^/]+)/"',
        antwort.content.decode(),
    )


@pytest.fixture
def faelle(lotse, stadt):
    """Anliegen ohne meldende Person (keine Maske), je mit eigenen Wörtern in einem Feld."""

    def neu(titel, beschreibung="Gemeldet in der Sprechstunde.", ort="", **kw):
        return lotse.erfassen(meldende=None, titel=titel, beschreibung=beschreibung, ort=ort, **kw)

    f = {
        "loch": neu("Schlagloch vor der Kita", ort="Kirchgasse 3"),
        "laterne": neu("Laterne aus", beschreibung="Die Straßenlaterne flackert seit Montag."),
        "bank": neu("Bank kaputt", ort="Spielplatz Lindenweg"),
        "rabatt": neu("Aushang", beschreibung="50% der Fläche ist beklebt."),
        "unterstrich": neu("Datei", beschreibung="Foto heißt bank_ecke.jpg."),
        "schraeg": neu("Pfad", beschreibung=r"Schild C:\Weg zeigt falsch."),
        "zitat": neu("Zitat", beschreibung='Auf dem Schild steht "Betreten verboten".'),
        "apostroph": neu("Apostroph", beschreibung="Im Rosi's Eck fehlt ein Mülleimer."),
        "sued": neu("Laterne im Süden", quartier=stadt.sued, durch=stadt.qm2),
    }
    # Erwähnt die Nummer eines anderen Anliegens in der Beschreibung.
    f["verweis"] = neu("Hinweis", beschreibung=f"Wie {f['loch'].nummer}, nur größer.")
    workflow.weiterleiten(
        f["loch"], an=[lotse.stadtbetrieb], nachricht="Bitte prüfen.", durch=stadt.qm
    )
    return f


def _fb2(lotse) -> Client:
    client = Client()
    client.force_login(lotse.fb2)
    return client


def _nummern(faelle, *namen) -> set[str]:
    return {faelle[n].nummer for n in namen}


# --- Felder -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("begriff", "erwartet"),
    [
        ("Schlagloch", {"loch"}),  # Titel
        ("flackert", {"laterne"}),  # Beschreibung
        ("Kirchgasse", {"loch"}),  # Ort
        ("lindenweg", {"bank"}),  # Ort, klein geschrieben
        ("SCHLAGLOCH VOR", {"loch"}),  # Teil des Titels, groß geschrieben
        ("straßenlaterne", {"laterne"}),  # Umlaut/ß, klein
        ("chlagl", {"loch"}),  # Teilwort mitten im Wort
        ("Laterne", {"laterne", "sued"}),
        ("Fahrradständer", set()),  # nirgends
    ],
)
def test_suche_je_feld(faelle, client_fuer, begriff, erwartet):
    assert set(_treffer(client_fuer("planung"), begriff)) == _nummern(faelle, *erwartet)


def test_suche_findet_teil_der_nummer(faelle, client_fuer):
    nummer = faelle["laterne"].nummer
    assert nummer[:4] + "-" in nummer
    # Ein Teil einer Nummer ist keine Fallnummer: Teilwortsuche über alle Nummern.
    teil = nummer[-3:]
    assert faelle["laterne"].nummer in _treffer(client_fuer("planung"), teil)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite vergleicht ohne Groß/klein nur ASCII (LIKE), Umlaute nur gleich geschrieben",
)
def test_grossschreibung_mit_umlauten(faelle, client_fuer):
    # ß und SS: UPPER lässt ß stehen, aber der Volltext (deutsch) schreibt beides als ss
    assert _treffer(client_fuer("planung"), "STRASSENLATERNE") == [faelle["laterne"].nummer]
    assert _treffer(client_fuer("planung"), "STRAßENLATERNE") == [faelle["laterne"].nummer]
    assert _treffer(client_fuer("planung"), "SÜDEN") == [faelle["sued"].nummer]


@POSTGRES
def test_volltext_findet_wortformen(faelle, client_fuer):
    c = client_fuer("planung")
    assert _treffer(c, "Schlaglöcher") == [faelle["loch"].nummer]
    assert _treffer(c, "Straßenlaternen") == [faelle["laterne"].nummer]
    assert _treffer(c, "kaputte") == [faelle["bank"].nummer]
    # Mehrere Wörter sucht nur die Teilwortsuche, als Wortfolge (siehe anliegen/suche.py).
    assert _treffer(c, "Schlaglöcher vor") == []
    assert _treffer(c, "Schlagloch vor") == [faelle["loch"].nummer]


# --- Fallnummer ---------------------------------------------------------------------------


def test_fallnummer_schreibweisen():
    assert fallnummer("2026-00042") == "2026-00042"
    assert fallnummer(" 2026-42 ") == "2026-00042"
    assert fallnummer("2026/42") == "2026-00042"
    assert fallnummer("2026-123456") == "2026-123456"
    for kein in ("2026", "42", "2026-", "x2026-42", "2026-42a", "Straße 2026-42"):
        assert fallnummer(kein) is None, kein


def test_nummer_exakt_ist_der_einzige_treffer(faelle, client_fuer):
    # Die Beschreibung von „verweis“ nennt die Nummer; wer sie eintippt, will den Fall selbst.
    loch = faelle["loch"].nummer
    assert _treffer(client_fuer("planung"), loch) == [loch]
    kurz = f"{loch[:4]}-{int(loch[5:])}"
    assert _treffer(client_fuer("planung"), kurz) == [loch]


def test_unbekannte_nummer_sucht_im_text(faelle, client_fuer):
    # Die Nummer gibt es nicht: dann zählt der Text (die Teilwortsuche findet nichts, was
    # die Nummer nicht enthält).
    assert _treffer(client_fuer("planung"), "1999-00001") == []


def test_fremde_nummer_verraet_nichts(faelle, client_fuer):
    # Der Fachbereich sieht nur „loch“ (an ihn weitergeleitet); die Nummer eines anderen
    # Anliegens bleibt ohne Treffer, auch über den Verweis in einer Beschreibung.
    fb = client_fuer("fb")
    assert _treffer(fb, faelle["loch"].nummer) == [faelle["loch"].nummer]
    assert _treffer(fb, faelle["laterne"].nummer) == []
    assert _treffer(fb, faelle["verweis"].nummer) == []


def test_nummer_gilt_zusammen_mit_den_anderen_filtern(faelle, client_fuer, stadt):
    # Die Nummer eines Anliegens in Süd mit dem Filter auf Quartier Nord: kein Treffer.
    c = client_fuer("planung")
    sued = faelle["sued"].nummer
    assert _treffer(c, sued, quartier=stadt.nord.pk) == []
    assert _treffer(c, sued, quartier=stadt.sued.pk) == [sued]


# --- Sonderzeichen und falsche Eingaben ----------------------------------------------------


@pytest.mark.parametrize(
    ("begriff", "erwartet"),
    [
        ("%", {"rabatt"}),  # kein Platzhalter
        ("50%", {"rabatt"}),
        ("_", {"unterstrich"}),  # kein Platzhalter
        ("bank_ecke", {"unterstrich"}),
        ("\\", {"schraeg"}),
        (r"C:\Weg", {"schraeg"}),
        ('"Betreten', {"zitat"}),
        ("Rosi's", {"apostroph"}),
        ("'", {"apostroph"}),
        ("' OR 1=1 --", set()),
        ("&|!:*", set()),  # Zeichen der tsquery-Syntax
    ],
)
def test_sonderzeichen_sind_zeichen(faelle, client_fuer, begriff, erwartet):
    assert set(_treffer(client_fuer("planung"), begriff)) == _nummern(faelle, *erwartet)


def test_zu_lange_eingabe_gibt_meldung_und_keine_treffer(faelle, client_fuer):
    c = client_fuer("planung")
    antwort = c.get(URL, {"q": "Laterne " * 100, "status": ""})
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert f"Bitte höchstens {HOECHSTENS_ZEICHEN} Zeichen eingeben." in inhalt
    assert "kern-form-input--error" in inhalt
    assert _treffer(c, "x" * (HOECHSTENS_ZEICHEN + 1)) == []
    # genau die Grenze ist erlaubt
    assert "Bitte höchstens" not in c.get(URL, {"q": "a" * HOECHSTENS_ZEICHEN}).content.decode()


def test_viele_woerter_kein_fehler(faelle, client_fuer):
    # Jedes Wort wird für die Maske einzeln geprüft: 60 Wörter bleiben eine gültige Abfrage.
    begriff = " ".join(f"wort{i}" for i in range(60))[:HOECHSTENS_ZEICHEN]
    assert _treffer(client_fuer("planung"), begriff) == []


def test_leere_suche_filtert_nicht(faelle, client_fuer):
    assert len(_treffer(client_fuer("planung"), "   ")) == len(faelle)


# --- Rechte und Masken ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [
        ("qm", {"laterne", "sued"}),
        ("qm2", {"laterne", "sued"}),
        ("planung", {"laterne", "sued"}),
        ("admin", {"laterne", "sued"}),
        ("fb", set()),  # keins davon an den Stadtbetrieb weitergeleitet
    ],
)
def test_suche_nur_im_sichtbaren(faelle, client_fuer, persona, erwartet):
    assert set(_treffer(client_fuer(persona), "Laterne")) == _nummern(faelle, *erwartet)


def test_fachbereich_findet_seine(faelle, lotse, client_fuer):
    assert _treffer(client_fuer("fb"), "Schlagloch") == [faelle["loch"].nummer]
    assert _treffer(_fb2(lotse), "Schlagloch") == []


@pytest.fixture
def genannt(lotse):
    """Titel und Ort nennen die meldende Person („Kanarie Bürgerin“, Kanarienweg 7f3a)."""
    return lotse.erfassen(
        titel=f"Schlagloch bei {Lotse.NAME}",
        beschreibung="Tiefes Loch vor dem Haus.",
        ort=Lotse.ANSCHRIFT,
    )


@pytest.mark.parametrize("persona", ["qm2", "planung", "admin"])
@pytest.mark.parametrize(
    "begriff",
    ["Kanarie", "bürgerin", "Kanarienweg", "Schlagloch bei Kanarie", "Kanarie Schlagloch"],
)
def test_ohne_personendaten_kein_treffer_ueber_die_person(genannt, client_fuer, persona, begriff):
    assert genannt.nummer not in _treffer(client_fuer(persona), begriff)


@pytest.mark.parametrize(
    "begriff", ["Kanarie", "bürgerin", "Kanarienweg", "Schlagloch bei Kanarie"]
)
def test_zustaendiges_qm_findet_ueber_die_person(genannt, client_fuer, begriff):
    assert genannt.nummer in _treffer(client_fuer("qm"), begriff)


def test_fachbereich_mit_geteiltem_kontakt_findet_ueber_die_person(genannt, lotse, client_fuer):
    fb = client_fuer("fb")
    workflow.weiterleiten(
        genannt, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm, kontakt_teilen=False
    )
    assert _treffer(fb, "Schlagloch") == [genannt.nummer]
    assert _treffer(fb, "Kanarie") == []
    workflow.weiterleiten(
        genannt, an=[lotse.gruen], nachricht="x", durch=lotse.stadt.qm, kontakt_teilen=True
    )
    assert _treffer(_fb2(lotse), "Kanarie") == [genannt.nummer]
    assert _treffer(fb, "Kanarie") == []


@POSTGRES
@pytest.mark.parametrize("persona", ["qm2", "planung"])
def test_volltext_verraet_die_person_nicht_ueber_wortformen(genannt, client_fuer, persona):
    # „Kanaries“ steht nirgends wörtlich, trifft im Volltext aber „Kanarie“ im Titel.
    assert genannt.nummer in _treffer(client_fuer("qm"), "Kanaries")
    assert genannt.nummer in _treffer(client_fuer("qm"), "Kanarienwegs")
    assert genannt.nummer not in _treffer(client_fuer(persona), "Kanaries")
    assert genannt.nummer not in _treffer(client_fuer(persona), "Kanarienwegs")
    # ohne Wort der Person bleibt der Treffer
    assert genannt.nummer in _treffer(client_fuer(persona), "Schlaglöcher")


# --- Abfragen und Indizes -------------------------------------------------------------------


def _abfragen(client, begriff: str) -> int:
    with CaptureQueriesContext(connection) as erfasst:
        client.get(URL, {"q": begriff, "status": ""})
    return len(erfasst)


def test_suche_kostet_keine_zusaetzliche_abfrage_ausser_der_nummernprobe(faelle, client_fuer):
    # (jeweils mit Treffern: ohne Treffer entfällt der Prefetch der Weiterleitungen)
    c = client_fuer("planung")
    ohne = _abfragen(c, "")
    assert _abfragen(c, "Laterne") == ohne
    assert _abfragen(c, "in der Sprechstunde") == _abfragen(c, "Schlagloch") == ohne
    # eine Nummer: die Probe über den eindeutigen Index (exists), dann die Liste wie sonst
    assert _abfragen(c, faelle["loch"].nummer) == ohne + 1
    assert _abfragen(c, faelle["sued"].nummer[:4] + "/" + faelle["sued"].nummer[5:]) == ohne + 1


def _plan(rf, stadt, begriff: str) -> str:
    anfrage = rf.get(URL, {"q": begriff})
    anfrage.user = stadt.planung
    qs = AnliegenFilter(anfrage.GET, queryset=Anliegen.objects.all(), request=anfrage).qs
    sql, parameter = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        # Auf wenigen Zeilen wählt PostgreSQL sonst zu Recht den Seq Scan; hier zählt nur,
        # ob die Indizes zu den Ausdrücken passen.
        # Ohne Seq Scan und Index Scan bleibt nur der Bitmap-Scan, und den gibt es nur über
        # Indizes, deren Ausdruck zur Bedingung passt.
        for art in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{art} = off")
        cursor.execute(f"EXPLAIN {sql}", parameter)
        return "\n".join(zeile[0] for zeile in cursor.fetchall())


@POSTGRES
def test_indizes_passen_zu_den_ausdruecken_des_orm(faelle, rf, stadt):
    plan = _plan(rf, stadt, "Schlagloch")
    for index in (
        "anliegen_nummer_trgm",
        "anliegen_titel_trgm",
        "anliegen_beschreibung_trgm",
        "anliegen_ort_trgm",
        "anliegen_volltext_gin",
    ):
        assert index in plan, plan
    assert "Seq Scan on anliegen_anliegen" not in plan
    plan = _plan(rf, stadt, faelle["loch"].nummer)
    assert f"Index Cond: ((nummer)::text = '{faelle['loch'].nummer}'" in plan, plan
