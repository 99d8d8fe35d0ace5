"""Lesereplikat (config/router.py) gegen einen echten PostgreSQL-Hot-Standby.

`scripts/standby.sh start ORDNER` startet den Standby; dann laufen diese Tests mit
DATABASE_URL=<Primärserver>/… und DATABASE_REPLICA_URL=<Standby>/… (so macht es `.ci/run`).
pytest-django legt die Test-Datenbank nur auf dem Primärserver an (`replica` ist in den Tests
ein MIRROR von `default`); der Standby bekommt sie per physischer Replikation. Die Fixture
`replikat` zeigt den Alias dann auf den echten Standby – gelesen wird also wirklich dort.

Ohne Standby werden diese Tests mit Grund übersprungen; mit QL_REPLIKAT_PFLICHT=1 (CI)
schlagen sie fehl. Die Einstellungs-Tests am Ende laufen überall.
"""

import contextlib
import csv
import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anliegen.models import Anliegen, Thema
from config import router
from config.router import REPLIKAT, vom_replikat
from quartier.models import User
from tests.anliegen.conftest import Lotse

WURZEL = Path(__file__).resolve().parent.parent
PFLICHT = os.environ.get("QL_REPLIKAT_PFLICHT") == "1"


def _standby_fehlt() -> str | None:
    if REPLIKAT not in settings.DATABASES:
        return "kein Lesereplikat: DATABASE_REPLICA_URL fehlt (scripts/standby.sh start …)"
    if settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"] != "django.db.backends.postgresql":
        return "Lesereplikat braucht PostgreSQL als DATABASE_URL"
    return None


GRUND = _standby_fehlt()


def am_standby(test):
    """Markiert einen Test, der den echten Standby braucht (festgeschriebene Daten)."""
    test = pytest.mark.django_db(
        transaction=True, databases=[DEFAULT_DB_ALIAS, REPLIKAT] if GRUND is None else "__all__"
    )(test)
    # hält den gemeinsamen Standby an oder friert ihn ein: nie parallel zu seinesgleichen
    test = pytest.mark.xdist_group("standby")(test)
    if GRUND is not None and not PFLICHT:
        test = pytest.mark.skip(reason=GRUND)(test)
    return test


AUSWERTUNG = "/auswertung/anliegen/"
THEMEN_CSV = AUSWERTUNG + "?format=csv&tabelle=themen"


def _warten_bis(bedingung, sekunden: float, was: str) -> None:
    """Pollt `bedingung`, bis sie gilt (keine festen sleeps); nach `sekunden` ein Fehler."""
    ende = time.monotonic() + sekunden
    while not bedingung():
        if time.monotonic() > ende:
            raise AssertionError(f"Zeitgrenze überschritten: {was}")
        time.sleep(0.05)


def _wert(alias: str, sql: str, parameter: list | None = None):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, parameter or [])
        return cursor.fetchone()[0]


def _verbindet() -> bool:
    try:
        connections[REPLIKAT].close()
        connections[REPLIKAT].ensure_connection()
    except Exception:
        return False
    return True


def aufholen() -> None:
    """Wartet, bis der Standby alles eingespielt hat, was der Primärserver bis jetzt schrieb."""
    lsn = _wert(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_insert_lsn()::text")
    _warten_bis(
        lambda: _wert(REPLIKAT, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]),
        30,
        f"Standby spielt WAL bis {lsn} ein",
    )


@contextlib.contextmanager
def eingefroren():
    """Hält das Einspielen auf dem Standby an: er zeigt den Stand von jetzt, bis zum Ende."""
    aufholen()
    _wert(REPLIKAT, "SELECT pg_wal_replay_pause()")
    _warten_bis(
        lambda: _wert(REPLIKAT, "SELECT pg_get_wal_replay_pause_state()") == "paused",
        30,
        "Einspielen angehalten",
    )
    try:
        yield
    finally:
        _wert(REPLIKAT, "SELECT pg_wal_replay_resume()")


@pytest.fixture
def replikat(settings, monkeypatch):
    """Der Alias `replica` zeigt auf den echten Standby, mit der Test-Datenbank von `default`."""
    if GRUND is not None:
        pytest.fail(f"QL_REPLIKAT_PFLICHT=1, aber {GRUND}")
    settings.QL_REPLIKAT_LESEN = True
    monkeypatch.setattr(router, "_pause_bis", 0.0)
    verbindung = connections[REPLIKAT]
    spiegel = verbindung.settings_dict  # nach setup_databases: das von `default` (Test-DB)
    echt = settings.DATABASES[REPLIKAT]
    verbindung.close()
    verbindung.settings_dict = {
        **spiegel,
        **{k: echt[k] for k in ("HOST", "PORT", "USER", "PASSWORD", "OPTIONS")},
    }
    try:
        _warten_bis(_verbindet, 30, "Test-Datenbank auf dem Standby")
        assert _wert(REPLIKAT, "SELECT pg_is_in_recovery()") is True
        kennung = "SELECT system_identifier::text FROM pg_control_system()"
        assert _wert(REPLIKAT, kennung) == _wert(DEFAULT_DB_ALIAS, kennung), (
            "DATABASE_REPLICA_URL ist kein Standby des Servers von DATABASE_URL"
        )
        yield verbindung
    finally:
        verbindung.close()
        verbindung.settings_dict = spiegel


@pytest.fixture
def lotse(stadt) -> Lotse:
    return Lotse(stadt)


def _angemeldet(benutzer: User) -> Client:
    client = Client()
    client.force_login(benutzer)
    return client


def _tabellen(abfragen: CaptureQueriesContext, praefix: str = '"anliegen_') -> list[str]:
    return [q["sql"] for q in abfragen.captured_queries if praefix in q["sql"]]


class Mitschnitt(CaptureQueriesContext):
    """Wie CaptureQueriesContext, aber ohne vorab zu verbinden: der Standby darf weg sein."""

    def __enter__(self):
        with mock.patch.object(self.connection, "ensure_connection"):
            return super().__enter__()


def _lesen(client: Client, url: str):
    """GET mit mitgeschnittenen Abfragen auf beiden Servern, gestreamte Antworten vollständig."""
    with (
        Mitschnitt(connections[REPLIKAT]) as vom_standby,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as vom_primaer,
    ):
        antwort = client.get(url)
        inhalt = b"".join(antwort.streaming_content) if antwort.streaming else antwort.content
    assert antwort.status_code == 200, inhalt[:500]
    return inhalt, vom_standby, vom_primaer


def _anzahl_muell(inhalt: bytes) -> int:
    """„Wilder Müll“ in der CSV-Tabelle „Anliegen je Thema“."""
    text = inhalt.decode("utf-8-sig")
    zeilen = {z[0]: z for z in csv.reader(io.StringIO(text), delimiter=";") if z}
    return int(zeilen["Wilder Müll"][1]) if "Wilder Müll" in zeilen else 0


def _erfassen_daten(lotse: Lotse, titel: str) -> dict:
    return {
        "einreichung": str(uuid.uuid4()),
        "quartier": lotse.stadt.nord.pk,
        "titel": titel,
        "beschreibung": "Tiefes Loch, Kinder stolpern.",
        "ort": "Schulstraße 3",
        "breite": "",
        "laenge": "",
        "sitzung": "",
        "akteur": "",
        "telefon": "",
        "anschrift": "",
        "thema": lotse.muell.pk,
        "bedarfe": [lotse.sauberkeit.pk],
        "art": "beschwerde",
        "kanal": "sprechstunde",
        "name": "Erika Muster",
        "email": "erika@example.invalid",
        "einwilligung": "on",
        "rueckmeldung_gewuenscht": "on",
        "bevorzugter_kanal": "email",
        "zuordnen": "neu",  # nicht einem ähnlichen Anliegen zuordnen
    }


# --- Lesen vom Standby --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        AUSWERTUNG,
        THEMEN_CSV,
        AUSWERTUNG + "?format=xlsx&tabelle=themen",
        "/auswertung/versorgung/",
        "/auswertung/versorgung/?format=csv",
        "/auswertung/netzwerke/",
        "/auswertung/netzwerke/?format=csv&tabelle=sitzungen",
        "/akteure/export.csv",
    ],
)
@am_standby
def test_auswertungen_und_exporte_lesen_vom_standby(replikat, lotse, url):
    lotse.erfassen()
    aufholen()
    _inhalt, vom_standby, vom_primaer = _lesen(_angemeldet(lotse.stadt.planung), url)
    fachtabellen = ('"anliegen_', '"quartier_lebensraum"', '"netzwerke_')
    assert any(t in q["sql"] for q in vom_standby.captured_queries for t in fachtabellen)
    # Vom Primärserver nur Sitzung und Benutzer:in, keine Fachdaten.
    assert not [
        q["sql"] for q in vom_primaer.captured_queries if any(t in q["sql"] for t in fachtabellen)
    ]


@am_standby
def test_standby_ist_wirklich_der_standby(replikat):
    # Der Beweis, dass `replica` nicht (mehr) der Primärserver ist: er ist in Wiederherstellung
    # und lehnt Schreiben ab.
    assert _wert(REPLIKAT, "SELECT pg_is_in_recovery()") is True
    assert _wert(DEFAULT_DB_ALIAS, "SELECT pg_is_in_recovery()") is False
    with pytest.raises(Exception, match="read-only transaction"):
        _wert(REPLIKAT, "CREATE TABLE verboten (x int)")


@am_standby
def test_unmarkierte_seiten_lesen_vom_primaer(replikat, lotse):
    anliegen = lotse.erfassen()
    aufholen()
    client = _angemeldet(lotse.stadt.qm)
    for url in ["/", "/anliegen/", f"/anliegen/{anliegen.nummer}/"]:
        _inhalt, vom_standby, vom_primaer = _lesen(client, url)
        assert vom_standby.captured_queries == [], url
        assert _tabellen(vom_primaer), url


@am_standby
def test_schreiben_landet_auf_dem_primaer_und_erscheint_auf_dem_standby(replikat, lotse):
    client = _angemeldet(lotse.stadt.qm)
    with CaptureQueriesContext(connections[REPLIKAT]) as vom_standby:
        antwort = client.post(reverse("anliegen:erfassen"), _erfassen_daten(lotse, "Schlagloch"))
    assert antwort.status_code == 302
    assert vom_standby.captured_queries == []
    assert Anliegen.objects.using(DEFAULT_DB_ALIAS).filter(titel="Schlagloch").exists()
    _warten_bis(
        lambda: Anliegen.objects.using(REPLIKAT).filter(titel="Schlagloch").exists(),
        30,
        "das neue Anliegen erscheint auf dem Standby",
    )


# --- Lesen nach Schreiben -----------------------------------------------------------------


@am_standby
def test_wer_gerade_geaendert_hat_liest_vom_primaer_andere_vom_standby(replikat, lotse):
    lotse.erfassen()
    lena, planung = _angemeldet(lotse.stadt.qm), _angemeldet(lotse.stadt.planung)
    with eingefroren():
        antwort = lena.post(reverse("anliegen:erfassen"), _erfassen_daten(lotse, "Neu"))
        assert antwort.status_code == 302
        assert router.cookie_name() in antwort.cookies

        # Lena sieht ihr neues Anliegen sofort; gelesen vom Primärserver, der Standby wird
        # nur gefragt, wie weit er ist.
        inhalt, vom_standby, vom_primaer = _lesen(lena, THEMEN_CSV)
        assert _anzahl_muell(inhalt) == 2
        assert _tabellen(vom_primaer)
        assert not _tabellen(vom_standby)
        assert any("pg_last_wal_replay_lsn" in q["sql"] for q in vom_standby.captured_queries)

        # Die Sozialplanung hat nichts geändert: sie liest vom (eingefrorenen) Standby.
        inhalt, vom_standby, vom_primaer = _lesen(planung, THEMEN_CSV)
        assert _anzahl_muell(inhalt) == 1
        assert _tabellen(vom_standby)
        assert not _tabellen(vom_primaer)

    # Hat der Standby Lenas Commit eingespielt, liest auch sie wieder von ihm – genau, ohne
    # die Schonfrist abzuwarten.
    aufholen()
    inhalt, vom_standby, vom_primaer = _lesen(lena, THEMEN_CSV)
    assert _anzahl_muell(inhalt) == 2
    assert _tabellen(vom_standby)
    assert not _tabellen(vom_primaer)


@am_standby
def test_nach_der_schonfrist_liest_auch_wer_geaendert_hat_vom_standby(replikat, lotse, settings):
    lotse.erfassen()
    lena = _angemeldet(lotse.stadt.qm)
    with eingefroren():
        assert lena.post(reverse("anliegen:erfassen"), _erfassen_daten(lotse, "Neu")).status_code
        spaeter = time.time() + settings.QL_REPLIKAT_SCHONFRIST_SEKUNDEN + 1
        with mock.patch("django.core.signing.time.time", return_value=spaeter):
            inhalt, vom_standby, _ = _lesen(lena, THEMEN_CSV)
    assert _anzahl_muell(inhalt) == 1
    assert _tabellen(vom_standby)


@am_standby
def test_gefaelschtes_cookie_zaehlt_nicht(replikat, lotse):
    lotse.erfassen()
    aufholen()
    mallory = _angemeldet(lotse.stadt.planung)
    mallory.cookies[router.cookie_name()] = "FFFFFFFF/FFFFFFFF"
    _inhalt, vom_standby, vom_primaer = _lesen(mallory, THEMEN_CSV)
    assert _tabellen(vom_standby)
    assert not _tabellen(vom_primaer)


@am_standby
def test_fehlgeschlagene_aenderung_setzt_kein_cookie(replikat, lotse):
    client = _angemeldet(lotse.stadt.planung)  # darf nicht erfassen: 403
    antwort = client.post(reverse("anliegen:erfassen"), _erfassen_daten(lotse, "Nein"))
    assert antwort.status_code == 403
    assert router.cookie_name() not in antwort.cookies


# --- Transaktionen und Schreiben ----------------------------------------------------------


@vom_replikat
def _markierte_view(request: HttpRequest) -> HttpResponse:
    Thema.objects.count()  # Gegenprobe: das eine Lesen, das vom Standby kommen darf
    with transaction.atomic():
        Thema.objects.count()
        Thema.objects.select_for_update().filter(name="Wilder Müll").first()
        Thema.objects.create(name="In der Transaktion")
    Thema.objects.create(name="Ohne Transaktion")
    Thema.objects.filter(name="Ohne Transaktion").update(name="Geändert")
    Thema.objects.get_or_create(name="Geändert")
    User.objects.filter(username="qm").exists()
    from django.contrib.sessions.models import Session

    Session.objects.count()
    return HttpResponse("ok")


@am_standby
def test_transaktionen_schreiben_und_anmeldung_nie_auf_dem_standby(replikat, lotse):
    aufholen()
    anfrage = RequestFactory().get("/")
    with CaptureQueriesContext(connections[REPLIKAT]) as vom_standby:
        assert _markierte_view(anfrage).status_code == 200
    (einzige,) = vom_standby.captured_queries
    assert "COUNT(*)" in einzige["sql"] and '"anliegen_thema"' in einzige["sql"]
    assert Thema.objects.using(DEFAULT_DB_ALIAS).filter(name="Geändert").count() == 1


# --- Ausfall des Standbys -----------------------------------------------------------------


def _pg_ctl(*argumente: str) -> None:
    befehl = [str(Path(os.environ["QL_STANDBY_BIN"]) / "pg_ctl"), *argumente]
    if os.geteuid() == 0:
        befehl = ["runuser", "-u", "postgres", "--", *befehl]
    subprocess.run(befehl, check=True, capture_output=True, timeout=120)


@pytest.fixture
def standby_gestoppt(replikat):
    """Hält den Standby an (offene Verbindungen brechen ab) und startet ihn danach wieder."""
    if not os.environ.get("QL_STANDBY_DATEN") or not os.environ.get("QL_STANDBY_BIN"):
        grund = "QL_STANDBY_DATEN/QL_STANDBY_BIN fehlen (Ausgabe von scripts/standby.sh start)"
        if PFLICHT:
            pytest.fail(grund)
        pytest.skip(grund)
    daten = os.environ["QL_STANDBY_DATEN"]
    _pg_ctl("-D", daten, "stop", "-m", "fast")
    try:
        yield
    finally:
        replikat.close()
        # restart übernimmt die Startoptionen von scripts/standby.sh (postmaster.opts)
        _pg_ctl("-D", daten, "-l", f"{daten}.log", "restart")
        _warten_bis(_verbindet, 60, "Standby nimmt nach dem Neustart Verbindungen an")


@am_standby
def test_gestoppter_standby_auswertung_und_export_vom_primaer(replikat, lotse, request):
    lotse.erfassen()
    aufholen()
    planung = _angemeldet(lotse.stadt.planung)
    _inhalt, vom_standby, _ = _lesen(planung, THEMEN_CSV)  # offene Verbindung zum Standby
    assert _tabellen(vom_standby)

    request.getfixturevalue("standby_gestoppt")
    # Die offene Verbindung bricht mitten in der View: die View läuft noch einmal, vom Primär.
    inhalt, _, vom_primaer = _lesen(planung, AUSWERTUNG)
    assert _tabellen(vom_primaer)
    # Während der Pause wird der Standby gar nicht erst versucht, auch nicht beim Export.
    inhalt, vom_standby, vom_primaer = _lesen(planung, THEMEN_CSV)
    assert _anzahl_muell(inhalt) == 1
    assert vom_standby.captured_queries == []
    assert _tabellen(vom_primaer)


@am_standby
def test_gestoppter_standby_neue_verbindung_scheitert_gestreamter_export_vom_primaer(
    replikat, lotse, standby_gestoppt, settings
):
    settings.QL_REPLIKAT_PAUSE_SEKUNDEN = 0  # jede Anfrage versucht es neu
    lotse.erfassen()
    planung = _angemeldet(lotse.stadt.planung)
    for _ in range(2):
        inhalt, _, vom_primaer = _lesen(planung, THEMEN_CSV)
        assert _anzahl_muell(inhalt) == 1
        assert _tabellen(vom_primaer)
    _inhalt, _, vom_primaer = _lesen(planung, "/auswertung/versorgung/?format=xlsx")
    assert _tabellen(vom_primaer, '"quartier_lebensraum"')


# --- Einstellungen (ohne Standby) ---------------------------------------------------------

_EINSTELLUNGEN = """
import json, django
django.setup()
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import router
from config.router import LesenNachSchreibenMiddleware
try:
    LesenNachSchreibenMiddleware(lambda r: None)
    middleware = True
except MiddlewareNotUsed:
    middleware = False
replica = settings.DATABASES.get("replica", {})
print(json.dumps({
    "aliasse": sorted(settings.DATABASES),
    "router": settings.DATABASE_ROUTERS,
    "middleware": middleware,
    "test": replica.get("TEST", {}).get("MIRROR"),
    "port": replica.get("PORT"),
    "timeout": replica.get("OPTIONS", {}).get("connect_timeout"),
    "migrieren": [router.allow_migrate(a, "anliegen") for a in sorted(settings.DATABASES)],
}))
"""


def _einstellungen(**umgebung: str) -> dict:
    import json

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", **umgebung)
    ergebnis = subprocess.run(
        [sys.executable, "-c", _EINSTELLUNGEN],
        cwd=WURZEL,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(ergebnis.stdout.strip().splitlines()[-1])


def test_ohne_replica_url_ein_alias_kein_router_keine_middleware():
    werte = _einstellungen()
    assert werte["aliasse"] == ["default"]
    assert werte["router"] == []
    assert werte["middleware"] is False


def test_mit_replica_url_alias_router_und_migration_nur_auf_default():
    werte = _einstellungen(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ql",
        DATABASE_REPLICA_URL="postgres://postgres@standby.invalid:6432/ql",
    )
    assert werte["aliasse"] == ["default", "replica"]
    assert werte["router"] == ["config.router.LesereplikatRouter"]
    assert werte["middleware"] is True
    assert werte["test"] == "default"  # Tests legen keine eigene Datenbank auf dem Standby an
    assert werte["port"] == 6432
    assert werte["timeout"] == 3
    assert werte["migrieren"] == [True, False]
