"""Misst die Seiten aus Issue 11 mit gunicorn (2 Worker) gegen die Daten von bench/daten.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ql_bench_10k .venv/bin/python bench/last.py

Meldet `qm`, `fachbereich` und `planung` über Sitzungszeilen an (kein Passwort, keine
Anmeldeseite), startet `gunicorn config.wsgi` mit zwei Workern (Produktionseinstellungen ohne
HTTPS-Zwang, DEBUG=0, Zeitgrenze 30 s) und ruft jede Seite abwechselnd mit der trivialen Seite
`/gesundheit/` (der Boden) auf: erst Aufwärmrunden, dann `--wiederholungen` Runden, in jeder
Runde je Seite einmal Boden, einmal Seite. Ausgabe: p50, p95, p95 im Verhältnis zum p95 des
Bodens und die Zahl der Abfragen je Seite (einmal im Prozess mit dem Test-Client gezählt,
gegen dieselbe Datenbank) als Markdown-Tabelle und als JSON-Datei (`--json`). Exporte:
Zeit bis zum ersten Byte, Gesamtzeit, Größe, Zeilen und der Zuwachs des Speichers (RSS,
Spitze) des gunicorn-Workers.

Die Seiten werden robust gefunden: Blättern über `rel="next"`/`rel="last"` (oder die Texte
„Nächste Seite“/„Letzte Seite“); nummerierte Seiten (`page=`) direkt, sonst den Links folgend.
Exporte nur, wenn ihre URL existiert (Export der Anliegen-Liste: Link auf der Liste).
"""

import argparse
import datetime
import html
import http.client
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

WURZEL = Path(__file__).resolve().parent.parent
if str(WURZEL) not in sys.path:
    sys.path.insert(0, str(WURZEL))

if __name__ == "__main__":
    for _name, _wert in {
        "DEBUG": "0",
        "SECRET_KEY": "nur-fuer-die-messung-kein-geheimnis-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",
        "QL_BASIS_URL": "http://127.0.0.1:8000",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }.items():
        os.environ.setdefault(_name, _wert)
    # whitenoise sucht STATIC_ROOT, das es ohne collectstatic nicht gibt (wie in den Tests)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.http import HttpResponseBase, StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from anliegen.models import Anliegen, Thema  # noqa: E402
from bench.daten import LANGER_TITEL  # noqa: E402
from bench.texte import SUCHWORT  # noqa: E402
from quartier.models import User  # noqa: E402

KONTEN = ("qm", "fachbereich", "planung")
BODEN = "/gesundheit/"
TIEFE_SEITE = 500


# --- Links finden ------------------------------------------------------------------------


@dataclass
class Link:
    href: str
    rel: set[str]
    text: str


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[Link] = []
        self._offen: Link | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            werte = dict(attrs)
            if werte.get("href"):
                self._offen = Link(werte["href"] or "", set((werte.get("rel") or "").split()), "")
                self.links.append(self._offen)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._offen = None

    def handle_data(self, data: str) -> None:
        if self._offen is not None:
            self._offen.text += data


def links(seite: str) -> list[Link]:
    parser = _Links()
    parser.feed(seite)
    return parser.links


def link_finden(basis: str, seite: str, rel: str, texte: Iterable[str]) -> str | None:
    """Absolute URL (Pfad mit Abfrage) des Links mit `rel` oder, falls keiner, mit einem der
    Texte; None, wenn es keinen gibt."""
    alle = links(seite)
    treffer = [a for a in alle if rel in a.rel]
    if not treffer:
        texte = list(texte)
        treffer = [a for a in alle if any(t in " ".join(a.text.split()) for t in texte)]
    return urljoin(basis, html.unescape(treffer[0].href)) if treffer else None


def mit_parameter(url: str, **werte: str) -> str:
    teile = urlsplit(url)
    parameter = [
        (k, v) for k, v in parse_qsl(teile.query, keep_blank_values=True) if k not in werte
    ]
    parameter += list(werte.items())
    return urlunsplit(teile._replace(query=urlencode(parameter)))


# --- Abrufen: im Prozess (Abfragen zählen, Seiten finden) -------------------------------


@dataclass
class Antwort:
    status: int
    inhalt: bytes
    typ: str


class ImProzess:
    """Ruft Seiten mit dem Test-Client ab, angemeldet über die Sitzungen aus `sitzungen`."""

    def __init__(self, sitzungen: dict[str, str]) -> None:
        self.clients: dict[str, Client] = {}
        for konto, schluessel in sitzungen.items():
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = schluessel
            self.clients[konto] = client

    def holen(self, konto: str, url: str) -> Antwort:
        antwort: HttpResponseBase = self.clients[konto].get(url)
        if isinstance(antwort, StreamingHttpResponse) or getattr(antwort, "streaming", False):
            inhalt = b"".join(antwort.streaming_content)  # type: ignore[attr-defined]
        else:
            inhalt = antwort.content  # type: ignore[attr-defined]
        return Antwort(antwort.status_code, inhalt, antwort.get("Content-Type", ""))

    def abfragen(self, konto: str, url: str) -> tuple[int, int]:
        """Status und Zahl der Abfragen eines Aufrufs (Streaming-Inhalt eingeschlossen)."""
        with CaptureQueriesContext(connection) as erfasst:
            antwort = self.holen(konto, url)
        return antwort.status, len(erfasst.captured_queries)


def sitzung(user: User) -> str:
    """Eine angemeldete Sitzung als Zeile in der Sitzungstabelle; gibt den Schlüssel zurück."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["ql_angemeldet_seit"] = time.time()  # config.middleware: Beginn der Sitzung
    store.create()
    return str(store.session_key)


def sitzungen() -> dict[str, str]:
    ergebnis = {}
    for name in KONTEN:
        user = User.objects.filter(username=name).first()
        if user is None:
            sys.exit(f"Konto {name!r} fehlt: erst bench/daten.py laufen lassen.")
        ergebnis[name] = sitzung(user)
    return ergebnis


# --- Die Seiten --------------------------------------------------------------------------


@dataclass
class Seite:
    name: str
    konto: str
    url: str
    hinweis: str = ""
    export: bool = False


Holen = Callable[[str, str], Antwort]


def _text(antwort: Antwort) -> str:
    return antwort.inhalt.decode("utf-8", "replace")


def tiefe_seite(holen: Holen, konto: str, start: str, ziel: int) -> tuple[str, str]:
    """URL der Seite `ziel` einer Liste (oder der letzten, wenn es weniger gibt) und ein
    Hinweis, wie sie gefunden wurde. Nummerierte Seiten direkt, sonst `rel="next"` folgend."""
    erste = _text(holen(konto, start))
    weiter = link_finden(start, erste, "next", ["Nächste Seite", "Weiter"])
    if weiter is None:
        return start, "nur eine Seite"
    if re.search(r"[?&]page=\d+", weiter):
        letzte = link_finden(start, erste, "last", ["Letzte Seite"])
        anzahl = int(m.group(1)) if letzte and (m := re.search(r"[?&]page=(\d+)", letzte)) else 0
        seite = min(ziel, anzahl) if anzahl else ziel
        return mit_parameter(weiter, page=str(seite)), f"Seite {seite} von {anzahl}, page="
    url, nummer = start, 1
    while nummer < ziel and weiter is not None:
        url, nummer = weiter, nummer + 1
        weiter = link_finden(url, _text(holen(konto, url)), "next", ["Nächste Seite", "Weiter"])
    return url, f"Seite {nummer}, über rel=next"


def letzte_seite(holen: Holen, konto: str, start: str) -> tuple[str, str]:
    erste = _text(holen(konto, start))
    letzte = link_finden(start, erste, "last", ["Letzte Seite"])
    if letzte is None:
        return start, "nur eine Seite"
    weg = "rel=last" if any("last" in a.rel for a in links(erste)) else "Link „Letzte Seite“"
    if m := re.search(r"[?&]page=(\d+)", letzte):
        return letzte, f"Seite {m.group(1)}, {weg}"
    return letzte, f"über {weg}"


def _umkehrbar(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def anliegen_export(holen: Holen, konto: str, liste: str) -> str | None:
    """Der Export der gefilterten Liste: ein Link auf der Liste (CSV/Export), sonst übliche
    Namen; nur, wenn er wirklich CSV oder XLSX liefert."""
    seite = _text(holen(konto, liste))
    kandidaten = [
        urljoin(liste, html.unescape(a.href))
        for a in links(seite)
        if re.search(r"csv|export|xlsx", a.href, re.IGNORECASE) and "akteure" not in a.href
    ]
    abfrage = urlsplit(liste).query
    for name in ("anliegen:export", "anliegen:liste_export", "anliegen:export_csv"):
        if pfad := _umkehrbar(name):
            kandidaten.append(f"{pfad}?{abfrage}")
    kandidaten.append(mit_parameter(liste, format="csv"))
    for url in kandidaten:
        antwort = holen(konto, url)
        if antwort.status == 200 and ("csv" in antwort.typ or "spreadsheet" in antwort.typ):
            return url
    return None


def seiten_finden(holen: Holen, *, wort: str = SUCHWORT) -> tuple[list[Seite], list[Seite]]:
    """Die gemessenen Seiten und Exporte mit ihren URLs, gefunden über `holen`."""
    liste = reverse("anliegen:liste")
    alle = f"{liste}?status="  # abgeschickt: ohne Vorgaben, alle Anliegen
    thema = Thema.objects.order_by("pk").values_list("pk", flat=True).first()
    grenzen = Anliegen.objects.aggregate(von=Min("id"), bis=Max("id"), erste=Min("erstellt_am"))
    mitte = Anliegen.objects.filter(pk__gte=(grenzen["von"] + grenzen["bis"]) // 2)
    nummer = str(mitte.order_by("pk").values_list("nummer", flat=True).first())
    lang = str(
        Anliegen.objects.filter(titel=LANGER_TITEL)
        .order_by("pk")
        .values_list("nummer", flat=True)
        .first()
        or nummer
    )
    heute = timezone.localdate()
    von = timezone.localtime(grenzen["erste"]).date().replace(day=1, month=1)
    auswertung = reverse("anliegen:auswertung")
    tief, tief_hinweis = tiefe_seite(holen, "qm", alle, TIEFE_SEITE)
    letzte, letzte_hinweis = letzte_seite(holen, "qm", alle)
    seiten = [
        Seite("Liste Vorgabe (QM)", "qm", liste),
        Seite(
            "Liste gefiltert (Thema + Status)", "qm", f"{liste}?thema={thema}&status=weitergeleitet"
        ),
        Seite(f"Liste Seite {TIEFE_SEITE} (alle)", "qm", tief, tief_hinweis),
        Seite("Liste letzte Seite (alle)", "qm", letzte, letzte_hinweis),
        Seite("Suche Fallnummer", "qm", f"{liste}?q={nummer}", str(nummer)),
        Seite("Suche Wort", "qm", f"{liste}?{urlencode({'q': wort})}", wort),
        Seite("Liste als Fachbereich", "fachbereich", liste),
        Seite("Posteingang alle, Seite 1", "fachbereich", f"{reverse('anliegen:eingang')}?status="),
        Seite("Detail mit ~400 Ereignissen", "qm", reverse("anliegen:detail", args=[lang]), lang),
        Seite("Auswertung Vorgabezeitraum", "planung", auswertung),
        Seite(
            "Auswertung ganzer Zeitraum",
            "planung",
            f"{auswertung}?von={von:%d.%m.%Y}&bis={heute:%d.%m.%Y}",
        ),
    ]
    exporte = []
    if url := anliegen_export(holen, "qm", f"{liste}?thema={thema}&status="):
        exporte.append(Seite("Anliegen-Liste CSV (ein Thema, alle Status)", "qm", url, export=True))
    if pfad := _umkehrbar("quartier:versorgung"):
        url = f"{pfad}?tabelle=lebensraeume&format=xlsx"
        exporte.append(Seite("Lebensräume XLSX (Versorgung)", "planung", url, export=True))
    if pfad := _umkehrbar("netzwerke:akteur_export"):
        exporte.append(Seite("Akteure CSV", "planung", pfad, export=True))
    return seiten, exporte


# --- Abrufen über HTTP (gunicorn) ---------------------------------------------------------


@dataclass
class Messung:
    status: int
    erstes_byte_ms: float
    gesamt_ms: float
    bytes: int
    zeilen: int
    typ: str = ""


def http_abrufen(port: int, url: str, sitzung: str) -> Messung:
    verbindung = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    kopf = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={sitzung}", "Host": "127.0.0.1"}
    start = time.perf_counter()
    try:
        verbindung.request("GET", url, headers=kopf)
        antwort = verbindung.getresponse()
        teil = antwort.read(1)
        erstes = time.perf_counter()
        groesse, zeilen = len(teil), teil.count(b"\n")
        while block := antwort.read(65536):
            groesse += len(block)
            zeilen += block.count(b"\n")
        ende = time.perf_counter()
        status, typ = antwort.status, antwort.getheader("Content-Type", "")
    except (OSError, http.client.HTTPException):
        erstes = ende = time.perf_counter()
        status, groesse, zeilen, typ = 0, 0, 0, ""
    finally:
        verbindung.close()
    return Messung(status, (erstes - start) * 1000, (ende - start) * 1000, groesse, zeilen, typ)


class Gunicorn:
    """gunicorn config.wsgi mit zwei Workern auf einem freien Port, Protokoll in einer Datei."""

    def __init__(self, protokoll: Path, worker: int = 2) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.protokoll = protokoll.open("w")
        self.prozess = subprocess.Popen(  # noqa: S603 – feste Befehlszeile
            [
                sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(worker),
                "--bind", f"127.0.0.1:{self.port}", "--timeout", "30", "--log-level", "warning",
            ],
            cwd=WURZEL,
            env=os.environ.copy(),
            stdout=self.protokoll,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def bereit(self, sitzung: str, sekunden: float = 60) -> None:
        ende = time.monotonic() + sekunden
        while time.monotonic() < ende:
            if http_abrufen(self.port, BODEN, sitzung).status == 200 and len(self.worker()) >= 2:
                return
            time.sleep(0.3)
        raise RuntimeError("gunicorn antwortet nicht; siehe Protokoll")

    def worker(self) -> list[int]:
        pfad = Path(f"/proc/{self.prozess.pid}/task/{self.prozess.pid}/children")
        try:
            return [int(p) for p in pfad.read_text().split()]
        except OSError:
            return []

    def beenden(self) -> None:
        self.prozess.terminate()
        try:
            self.prozess.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.prozess.kill()
        self.protokoll.close()


def _speicher(pid: int) -> dict[str, int]:
    """VmRSS und VmHWM (Spitze) eines Prozesses in KiB."""
    werte = {}
    try:
        for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
            if zeile.startswith(("VmRSS:", "VmHWM:")):
                name, wert = zeile.split(":")
                werte[name] = int(wert.split()[0])
    except OSError:
        pass
    return werte


def _spitze_zuruecksetzen(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # setzt VmHWM auf VmRSS zurück
        return True
    except OSError:
        return False


# --- Auswerten ---------------------------------------------------------------------------


def p95(werte: list[float]) -> float:
    """Nächster Rang: der kleinste Wert, unter dem mindestens 95 % liegen."""
    geordnet = sorted(werte)
    return geordnet[max(0, -(-95 * len(geordnet) // 100) - 1)]


@dataclass
class Zeile:
    name: str
    url: str
    hinweis: str
    p50_ms: float
    p95_ms: float
    verhaeltnis: float
    abfragen: int
    status: list[int] = field(default_factory=list)


@dataclass
class Exportzeile:
    name: str
    url: str
    status: list[int]
    zeilen: int | None  # Datenzeilen einer CSV (ohne Kopf); XLSX: None
    mib: float
    erstes_byte_ms: float
    gesamt_ms: float
    rss_zuwachs_mib: float
    abfragen: int


def _z(wert: float, stellen: int = 0) -> str:
    """Deutsche Zahl: 1.234 oder 3,6."""
    text = f"{wert:,.{stellen}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _ms(wert: float) -> str:
    return _z(wert, 1 if wert < 100 else 0)


def markdown(kopf: str, zeilen: list[Zeile], exporte: list[Exportzeile]) -> str:
    aus = [
        kopf,
        "",
        "| Seite | p50 ms | p95 ms | p95 × Boden | Abfragen |",
        "|---|---:|---:|---:|---:|",
    ]
    for z in zeilen:
        name = z.name if not z.hinweis else f"{z.name} · {z.hinweis}"
        fehler = sorted({s for s in z.status if s != 200})
        if fehler:
            name += f" – HTTP {', '.join(map(str, fehler))}"
        werte = [_ms(z.p50_ms), _ms(z.p95_ms), _z(z.verhaeltnis, 1), str(z.abfragen)]
        aus.append(f"| {name} | {' | '.join(werte)} |")
    if exporte:
        aus += [
            "",
            "| Export | HTTP | Zeilen | MiB | erstes Byte ms | gesamt ms | RSS-Zuwachs MiB "
            "| Abfragen |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for e in exporte:
            status = "/".join(str(s) for s in sorted(set(e.status)))
            aus.append(
                f"| {e.name} | {status} | {'–' if e.zeilen is None else _z(e.zeilen)} | "
                f"{_z(e.mib, 1)} | "
                f"{_ms(e.erstes_byte_ms)} | {_ms(e.gesamt_ms)} | {_z(e.rss_zuwachs_mib, 1)} | "
                f"{e.abfragen} |"
            )
    return "\n".join(aus)


def messen(args: argparse.Namespace) -> dict[str, Any]:
    schluessel = sitzungen()
    im_prozess = ImProzess(schluessel)
    seiten, exporte = seiten_finden(im_prozess.holen, wort=args.wort)
    if args.ohne_exporte:
        exporte = []
    print("Abfragen zählen (im Prozess) …", flush=True)
    abfragen: list[int] = []
    for seite in seiten + exporte:
        status, n = im_prozess.abfragen(seite.konto, seite.url)
        abfragen.append(n)
        print(f"  {seite.name}: HTTP {status}, {n} Abfragen – {seite.url}", flush=True)
    boden_abfragen = im_prozess.abfragen("qm", BODEN)[1]

    lastmittel = os.getloadavg()[0]  # andere Prozesse auf der Maschine verzerren die Zeiten
    server = Gunicorn(Path(args.protokoll))
    try:
        server.bereit(schluessel["qm"])
        boden: list[float] = []
        zeiten: list[list[Messung]] = [[] for _ in seiten]

        def paar(seite: Seite) -> Messung:
            boden.append(http_abrufen(server.port, BODEN, schluessel["qm"]).gesamt_ms)
            return http_abrufen(server.port, seite.url, schluessel[seite.konto])

        print(f"Messen: {args.aufwaermen} Aufwärm- und {args.wiederholungen} Runden …", flush=True)
        for _ in range(args.aufwaermen):
            for seite in seiten:
                paar(seite)
        boden.clear()
        for runde in range(args.wiederholungen):
            for i, seite in enumerate(seiten):
                zeiten[i].append(paar(seite))
            print(f"  Runde {runde + 1}/{args.wiederholungen}", flush=True)
        boden_p95 = p95(boden)
        zeilen = [
            Zeile(f"Boden ({BODEN})", BODEN, "", statistics.median(boden), boden_p95, 1.0,
                  boden_abfragen, [200])
        ]  # fmt: skip
        for i, seite in enumerate(seiten):
            werte = [m.gesamt_ms for m in zeiten[i]]
            zeilen.append(
                Zeile(
                    seite.name, seite.url, seite.hinweis, statistics.median(werte), p95(werte),
                    p95(werte) / boden_p95, abfragen[i], [m.status for m in zeiten[i]],
                )
            )  # fmt: skip

        export_zeilen = []
        for i, seite in enumerate(exporte, len(seiten)):
            messungen, zuwachs = [], 0.0
            for _ in range(args.export_wiederholungen):
                boden.append(http_abrufen(server.port, BODEN, schluessel["qm"]).gesamt_ms)
                pids = server.worker()
                zurueckgesetzt = all(_spitze_zuruecksetzen(p) for p in pids)
                vorher = {p: _speicher(p) for p in pids}
                m = http_abrufen(server.port, seite.url, schluessel[seite.konto])
                messungen.append(m)
                for p in pids:
                    nachher = _speicher(p).get("VmHWM" if zurueckgesetzt else "VmRSS", 0)
                    zuwachs = max(zuwachs, (nachher - vorher[p].get("VmRSS", 0)) / 1024)
            export_zeilen.append(
                Exportzeile(
                    seite.name, seite.url, [m.status for m in messungen],
                    max(0, messungen[-1].zeilen - 1) if "csv" in messungen[-1].typ else None,
                    messungen[-1].bytes / 2**20,
                    statistics.median(m.erstes_byte_ms for m in messungen),
                    statistics.median(m.gesamt_ms for m in messungen), zuwachs, abfragen[i],
                )
            )  # fmt: skip
            print(f"  {seite.name}: fertig", flush=True)
    finally:
        server.beenden()

    anzahl = Anliegen.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        zeile = cursor.fetchone()
        version = str(zeile[0] if zeile else "").split(",")[0]
    jetzt = datetime.datetime.now(datetime.UTC)
    last_vorher, last_nachher = lastmittel, os.getloadavg()[0]
    kopf = (
        f"Gemessen am {jetzt:%d.%m.%Y %H:%M} UTC mit {_z(anzahl)} Anliegen ({version}; "
        f"{os.cpu_count()} Kerne, Python {platform.python_version()}), gunicorn 2 Worker, "
        f"{args.wiederholungen} Runden, Boden `{BODEN}` im Wechsel (p95 {_ms(boden_p95)} ms); "
        f"Systemlast (1 min) vorher {_z(last_vorher, 1)}, nachher {_z(last_nachher, 1)}."
    )
    return {
        "kopf": kopf,
        "zeitpunkt": jetzt.isoformat(),
        "anliegen": anzahl,
        "datenbank": version,
        "wiederholungen": args.wiederholungen,
        "boden_p95_ms": boden_p95,
        "systemlast": [last_vorher, last_nachher],
        "seiten": [asdict(z) for z in zeilen],
        "exporte": [asdict(e) for e in export_zeilen],
        "markdown": markdown(kopf, zeilen, export_zeilen),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--wiederholungen", type=int, default=30, help="Runden (Vorgabe 30)")
    parser.add_argument("--aufwaermen", type=int, default=3, help="Aufwärmrunden (Vorgabe 3)")
    parser.add_argument("--export-wiederholungen", type=int, default=3)
    parser.add_argument("--ohne-exporte", action="store_true")
    parser.add_argument("--wort", default=SUCHWORT, help=f"Suchwort (Vorgabe {SUCHWORT})")
    name = settings.DATABASES["default"]["NAME"]
    stamm = Path(str(name)).stem
    parser.add_argument("--json", default=f"/tmp/bench-{stamm}.json")  # noqa: S108
    parser.add_argument("--protokoll", default=f"/tmp/bench-{stamm}-gunicorn.log")  # noqa: S108
    args = parser.parse_args()
    ergebnis = messen(args)
    Path(args.json).write_text(json.dumps(ergebnis, indent=2, ensure_ascii=False))
    print()
    print(ergebnis["markdown"])
    print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    main()
