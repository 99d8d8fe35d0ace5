"""Datenbankausfall: jede Anfrage bekommt 503 mit Retry-After und die deutsche Seite, nie 500.

Teil 1 (hier, in-process): die Datenbank fällt an jeder Stelle der Kette aus – beim Lesen
von `request.user` (Middleware), beim Laden und Speichern der Sitzung (SessionMiddleware,
nach der View), in der View und beim Rendern der Vorlage.
Teil 2 (unten): ein echter PostgreSQL-Cluster wird mitten im Betrieb angehalten.
"""

import glob
import http.client
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

FEHLER = [OperationalError("server closed the connection"), InterfaceError("connection closed")]


def _client(stadt, persona: str | None = "qm") -> Client:
    # raise_request_exception=False: wie ein Browser nur die Antwort sehen, nicht die Ausnahme.
    client = Client(raise_request_exception=False)
    if persona:
        client.force_login(stadt.persona(persona))
    return client


def _ist_503(antwort) -> None:
    assert antwort.status_code == 503
    assert antwort["Retry-After"] == "30"
    assert "Dienst nicht erreichbar" in antwort.content.decode()


@pytest.mark.parametrize("fehler", FEHLER)
def test_ausfall_beim_lesen_des_benutzers_gibt_503(stadt, fehler):
    client = _client(stadt)
    with mock.patch("django.contrib.auth.get_user", side_effect=fehler):
        _ist_503(client.get(reverse("quartier:start")))


@pytest.mark.parametrize("fehler", FEHLER)
def test_ausfall_beim_speichern_der_sitzung_gibt_503(stadt, fehler):
    client = _client(stadt)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=fehler):
        _ist_503(client.get(reverse("quartier:start")))


@pytest.mark.parametrize("fehler", FEHLER)
def test_ausfall_beim_laden_der_sitzung_gibt_503(stadt, fehler):
    client = _client(stadt)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=fehler):
        _ist_503(client.get(reverse("quartier:start")))


def test_ausfall_beim_rendern_der_vorlage_gibt_503(stadt):
    client = _client(stadt)
    with mock.patch("config.context_processors.hat_rolle", side_effect=FEHLER[0]):
        _ist_503(client.get(reverse("quartier:start")))


def test_ausfall_bei_der_anmeldung_gibt_503(stadt):
    client = _client(stadt, None)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=FEHLER[0]):
        antwort = client.post(
            reverse("login"), {"username": "qm", "password": "geheim-passwort-123"}
        )
    _ist_503(antwort)


def test_ausfall_anonym_ohne_sitzung_gibt_503(stadt):
    client = _client(stadt, None)
    with mock.patch("django.contrib.auth.get_user", side_effect=FEHLER[1]):
        _ist_503(client.get(reverse("quartier:start")))


def test_andere_fehler_bleiben_500(stadt):
    client = _client(stadt)
    with mock.patch("config.context_processors.hat_rolle", side_effect=ValueError("kaputt")):
        antwort = client.get(reverse("quartier:start"))
    assert antwort.status_code == 500
    assert "Retry-After" not in antwort


# --- Teil 2: echter PostgreSQL-Cluster, mitten im Betrieb angehalten ------------------------

WELT_ANLEGEN = """
from tests.conftest import Stadt
from tests.anliegen.conftest import Lotse
lotse = Lotse(Stadt())
print("NUMMER=" + lotse.erfassen().nummer)
"""


class _OhneWeiterleitung(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Antwort:
    status: int  # 0: Verbindung abgebrochen
    retry_after: str | None = None
    text: str = ""
    fehler: str = ""


class Browser:
    """Ein Browser mit Cookies, der Weiterleitungen nicht folgt."""

    def __init__(self, basis: str) -> None:
        self.basis = basis
        self.cookies = http.cookiejar.CookieJar()
        self.oeffner = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _OhneWeiterleitung
        )

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def anfrage(self, pfad: str, daten: dict | None = None) -> Antwort:
        kodiert = None
        if daten is not None:
            kodiert = urllib.parse.urlencode({**daten, "csrfmiddlewaretoken": self.csrf()})
            kodiert = kodiert.encode()
        try:
            with self.oeffner.open(self.basis + pfad, data=kodiert, timeout=30) as a:
                return Antwort(a.status, a.headers.get("Retry-After"), a.read().decode())
        except urllib.error.HTTPError as a:
            return Antwort(a.code, a.headers.get("Retry-After"), a.read().decode())
        except (OSError, http.client.HTTPException) as fehler:
            return Antwort(0, fehler=repr(fehler))

    def anmelden(self, benutzer: str, passwort: str) -> None:
        assert self.anfrage("/anmelden/").status == 200
        antwort = self.anfrage("/anmelden/", {"username": benutzer, "password": passwort})
        assert antwort.status == 302, antwort


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _warten_bis(bedingung, sekunden: float, was: str) -> None:
    """Pollt `bedingung` bis sie gilt; nach `sekunden` ist das ein Fehler (keine festen sleeps)."""
    ende = time.monotonic() + sekunden
    while not bedingung():
        if time.monotonic() > ende:
            raise AssertionError(f"Zeitgrenze überschritten: {was}")
        time.sleep(0.05)


class Cluster:
    """Ein wegwerfbarer PostgreSQL-Cluster in einem Temp-Verzeichnis (als `postgres`, falls
    der Test als root läuft – initdb und postgres verweigern root)."""

    def __init__(self, bin_dir: Path, ordner: Path) -> None:
        self.bin, self.ordner = bin_dir, ordner
        self.daten = ordner / "daten"
        self.port = _freier_port()
        self.als_root = os.geteuid() == 0
        if self.als_root:
            shutil.chown(ordner, "postgres", "postgres")

    def _ausfuehren(self, *befehl: str, pruefen: bool = True) -> subprocess.CompletedProcess:
        voll = [str(self.bin / befehl[0]), *befehl[1:]]
        if self.als_root:
            voll = ["runuser", "-u", "postgres", "--", *voll]
        return subprocess.run(voll, check=pruefen, capture_output=True, text=True, timeout=120)

    def anlegen(self) -> None:
        self._ausfuehren(
            "initdb",
            "-D",
            str(self.daten),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C",
        )

    def starten(self) -> None:
        optionen = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.ordner}"
        )
        self._ausfuehren(
            "pg_ctl",
            "-D",
            str(self.daten),
            "-o",
            optionen,
            "-l",
            str(self.ordner / "postgres.log"),
            "start",
        )
        _warten_bis(self.bereit, 60, "PostgreSQL nimmt Verbindungen an")

    def bereit(self) -> bool:
        ergebnis = self._ausfuehren(
            "pg_isready", "-h", "127.0.0.1", "-p", str(self.port), pruefen=False
        )
        return ergebnis.returncode == 0

    def sofort_anhalten(self) -> None:
        self._ausfuehren("pg_ctl", "-D", str(self.daten), "stop", "-m", "immediate")

    def laeuft(self) -> bool:
        return (
            self._ausfuehren("pg_ctl", "-D", str(self.daten), "status", pruefen=False).returncode
            == 0
        )

    def url(self, datenbank: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{datenbank}"


def _initdb() -> Path | None:
    gefunden = sorted(Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return gefunden[-1] if gefunden else None


@pytest.fixture
def cluster():
    bin_dir = _initdb()
    if bin_dir is None:
        if os.environ.get("E2E_REQUIRED") == "1" or os.environ.get("QL_AUSFALL_PFLICHT") == "1":
            pytest.fail("PostgreSQL-Server fehlt (/usr/lib/postgresql/*/bin/initdb)")
        pytest.skip("PostgreSQL-Server fehlt (/usr/lib/postgresql/*/bin/initdb)")
    ordner = Path(tempfile.mkdtemp(prefix="ql_ausfall_"))
    c = Cluster(bin_dir, ordner)
    try:
        c.anlegen()
        c.starten()
        yield c
    finally:
        if c.laeuft():
            c.sofort_anhalten()
        shutil.rmtree(ordner, ignore_errors=True)


def _umgebung(cluster: Cluster) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": cluster.url("ql_ausfall"),
        "DEBUG": "0",
        "SECRET_KEY": "ausfalltest-nur-fuer-tests-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",
        "EMAIL_URL": "consolemail://",
    }


@pytest.fixture
def app(cluster):
    """Migrierte Datenbank, Testwelt, Gunicorn als eigener Prozess; gibt (Basis-URL, Nummer)."""
    wurzel = Path(__file__).resolve().parent.parent
    python = sys.executable
    umgebung = _umgebung(cluster)
    cluster._ausfuehren(
        "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "ql_ausfall"
    )

    def manage(*args: str) -> str:
        ergebnis = subprocess.run(
            [python, "manage.py", *args],
            cwd=wurzel,
            env=umgebung,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert ergebnis.returncode == 0, ergebnis.stderr[-3000:]
        return ergebnis.stdout

    manage("migrate", "--noinput")
    nummer = manage("shell", "-c", WELT_ANLEGEN).split("NUMMER=")[1].split()[0]
    port = _freier_port()
    protokoll = open(cluster.ordner / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
        ],
        cwd=wurzel,
        env=umgebung,
        stdout=protokoll,
        stderr=subprocess.STDOUT,
    )
    basis = f"http://127.0.0.1:{port}"
    try:
        _warten_bis(
            lambda: Browser(basis).anfrage("/gesundheit/").status == 200,
            60,
            "Gunicorn antwortet auf /gesundheit/",
        )
        yield basis, nummer
    finally:
        server.terminate()
        server.wait(timeout=30)
        protokoll.close()
        print((cluster.ordner / "gunicorn.log").read_text()[-5000:])


def _erlaubt(antwort: Antwort) -> bool:
    if antwort.status in (200, 302, 303):
        return True
    return antwort.status == 503 and antwort.retry_after is not None


def test_datenbank_faellt_mitten_im_betrieb_aus_und_kommt_wieder(cluster, app):
    basis, nummer = app
    notiz_url = f"/anliegen/{nummer}/notiz/"
    ergebnisse: list[tuple[str, Antwort, str | None]] = []  # (Phase, Antwort, Einreichung)
    bedingung = threading.Condition()
    phase = ["vorher"]
    halt = threading.Event()

    def arbeiten(nr: int) -> None:
        browser = Browser(basis)
        browser.anmelden("qm", "geheim-passwort-123")
        seite = browser.anfrage(notiz_url)
        version = re.search(r'name="version" value="(\d+)"', seite.text).group(1)
        i = 0
        while not halt.is_set():
            i += 1
            schluessel = None
            if i % 2:
                schluessel = str(uuid.uuid4())
                antwort = browser.anfrage(
                    notiz_url,
                    {
                        "version": version,
                        "einreichung": schluessel,
                        "text": f"Notiz {nr}-{i}",
                        "intern": "on",
                    },
                )
            else:
                antwort = browser.anfrage(["/", "/anliegen/", f"/anliegen/{nummer}/"][i % 3])
            with bedingung:
                ergebnisse.append((phase[0], antwort, schluessel))
                bedingung.notify_all()

    def zaehlen(ph: str, pruefe) -> int:
        return sum(1 for p, a, _s in ergebnisse if p == ph and pruefe(a))

    def warten(pruefe, was: str) -> None:
        with bedingung:
            assert bedingung.wait_for(pruefe, timeout=90), f"Zeitgrenze: {was}"

    faeden = [threading.Thread(target=arbeiten, args=(n,), daemon=True) for n in range(2)]
    for f in faeden:
        f.start()
    try:
        warten(lambda: zaehlen("vorher", lambda a: a.status == 302) >= 6, "erste Notizen")
        phase[0] = "waehrend"
        cluster.sofort_anhalten()
        phase[0] = "aus"
        warten(lambda: zaehlen("aus", lambda a: True) >= 10, "Antworten während Ausfall")
        phase[0] = "wieder"
        cluster.starten()
        phase[0] = "danach"
        # Erholung ohne Neustart der App: wieder bestätigte Schreibvorgänge.
        warten(lambda: zaehlen("danach", lambda a: a.status == 302) >= 6, "Erholung")
    finally:
        halt.set()
        for f in faeden:
            f.join(timeout=60)

    falsch = [(p, a.status, a.fehler, a.text[:200]) for p, a, _s in ergebnisse if not _erlaubt(a)]
    assert not falsch, falsch
    assert zaehlen("aus", lambda a: a.status == 503) >= 10

    # Jeder bestätigte Schreibvorgang ist da, genau einmal; abgelehnte kommen beim erneuten
    # Senden mit demselben Schlüssel genau einmal an.
    from anliegen.models import Ereignis

    bestaetigt = [s for _p, a, s in ergebnisse if s and a.status == 302]
    abgelehnt = [s for _p, a, s in ergebnisse if s and a.status == 503]
    browser = Browser(basis)
    browser.anmelden("qm", "geheim-passwort-123")
    seite = browser.anfrage(notiz_url)
    version = re.search(r'name="version" value="(\d+)"', seite.text).group(1)
    for schluessel in abgelehnt:
        antwort = browser.anfrage(
            notiz_url, {"version": version, "einreichung": schluessel, "text": "nochmal"}
        )
        assert antwort.status == 302, antwort
    with psycopg.connect(cluster.url("ql_ausfall").replace("postgres://", "postgresql://")) as v:
        zeilen = v.execute(
            f"SELECT daten->>'einreichung', count(*) FROM {Ereignis._meta.db_table} "  # noqa: S608
            "WHERE art = 'notiz' GROUP BY 1"
        ).fetchall()
    anzahl = dict(zeilen)
    fehlen = [s for s in bestaetigt + abgelehnt if anzahl.get(s) != 1]
    assert not fehlen, f"{len(fehlen)} Schreibvorgänge fehlen oder doppelt: {fehlen[:5]}"
    assert len(bestaetigt) >= 12
