"""Misst die Exporte mit 100.000 Zeilen hinter gunicorn (2 Worker) auf PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ql_bench_export \\
        .venv/bin/python bench/exporte.py --anzahl 100000

Legt die Datenbank aus DATABASE_URL neu an (DROP/CREATE; `--behalten` nutzt vorhandene Daten),
migriert und schreibt je `--anzahl` Lebensräume (mit Quartieren, Stellen, Kennzahlen), Akteure
(mit Quartier und Zielgruppe) und Anliegen (70 % mit meldender Person, die Hälfte
weitergeleitet). Dann startet es gunicorn mit 2 Sync-Workern (Timeout 30 s, wie die Vorgabe)
und misst je Export, angemeldet als Sozialplanung (sie sieht keine Personendaten: Titel und
Ort laufen durch die Maske; jeder zwanzigste Titel nennt die Person):

- Zeit bis zum ersten Byte und Gesamtzeit der Antwort,
- Zuwachs des Arbeitsspeichers (VmRSS aus /proc) des gunicorn-Workers, der antwortet
  (höchster Stand während der Anfrage minus Stand davor; alle 10 ms gelesen),
- für die Exporte im Hintergrund: Zeit und höchster Arbeitsspeicher (ru_maxrss) von
  `manage.py db_worker --batch`.

Vor der Messung wärmt je Export eine kleine Auswahl beide Worker auf (Importe wie openpyxl
zählen nicht als Zuwachs).
"""

import argparse
import datetime
import http.client
import os
import random
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlparse

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))
UMGEBUNG = {
    "DEBUG": "0",
    "SECRET_KEY": "nur-fuer-die-messung-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}
for name, wert in UMGEBUNG.items():
    os.environ.setdefault(name, wert)


def argumente() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anzahl", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--behalten", action="store_true", help="vorhandene Daten messen")
    parser.add_argument(
        "--ohne-hintergrund", action="store_true", help="Exporte im Hintergrund nicht messen"
    )
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn-Workerklasse (sync, gthread)"
    )
    return parser.parse_args()


ARGS = argumente()
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Bitte DATABASE_URL=postgres://… setzen (die Messung gilt PostgreSQL).")
if not ARGS.behalten:
    import psycopg

    teile = urlparse(os.environ["DATABASE_URL"])
    wartung = teile._replace(path="/postgres").geturl()
    with psycopg.connect(wartung, autocommit=True) as verbindung:
        verbindung.execute(f'DROP DATABASE IF EXISTS "{teile.path.lstrip("/")}"')
        verbindung.execute(f'CREATE DATABASE "{teile.path.lstrip("/")}"')

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from anliegen.models import Anliegen, Meldende, Thema, Weiterleitung  # noqa: E402
from netzwerke.models import Akteur, Zielgruppe  # noqa: E402
from quartier.models import (  # noqa: E402
    Bezirk,
    Fachbereich,
    Kennzahl,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Rolle,
    Sozialraum,
    User,
)

ZUFALL = random.Random(20261204)
BATCH = 5000
VORNAMEN = ["Erika", "Max", "Aylin", "Jonas", "Fatma", "Lukas", "Mia", "Emre", "Lea", "Paul"]


def _in_bloecken(modell, objekte) -> None:
    puffer = []
    for objekt in objekte:
        puffer.append(objekt)
        if len(puffer) >= BATCH:
            modell.objects.bulk_create(puffer)
            puffer = []
    if puffer:
        modell.objects.bulk_create(puffer)


def daten(anzahl: int) -> None:
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    heute = timezone.localdate()
    bezirke = [Bezirk.objects.create(name=f"Bezirk {i}", slug=f"bezirk-{i}") for i in range(7)]
    sozialraeume = Sozialraum.objects.bulk_create(
        Sozialraum(nummer=i + 1, name=f"Sozialraum {i}", bezirk=bezirke[i % 7]) for i in range(700)
    )
    _in_bloecken(
        Lebensraum,
        (
            Lebensraum(
                nummer=f"L{i:06d}",
                name=f"Lebensraum {i}",
                sozialraum=sozialraeume[i % 700],
                einwohner=500 + ZUFALL.randrange(5000),
                kategorie=["besondere_herausforderungen", "an_der_schwelle", "stabil"][i % 3],
            )
            for i in range(anzahl)
        ),
    )
    lr_ids = list(Lebensraum.objects.order_by("pk").values_list("pk", flat=True))
    anzahl_quartiere = max(1, anzahl // 50)
    quartiere = Quartier.objects.bulk_create(
        Quartier(name=f"Quartier {i:05d}", slug=f"q-{i}", bezirk=bezirke[i % 7])
        for i in range(anzahl_quartiere)
    )
    _in_bloecken(
        Quartier.lebensraeume.through,
        (
            Quartier.lebensraeume.through(
                quartier_id=quartiere[i % anzahl_quartiere].pk, lebensraum_id=lr
            )
            for i, lr in enumerate(lr_ids)
        ),
    )
    stellen = Quartiersmanagement.objects.bulk_create(
        Quartiersmanagement(
            bezeichnung=f"Stelle {i}",
            art="allgemein",
            stellenanteil=Decimal("1.00"),
            beginn=datetime.date(2015, 1, 1),
            ende=heute + datetime.timedelta(days=30 + i) if i % 3 == 0 else None,
            traeger="Träger",
        )
        for i in range(max(1, anzahl_quartiere // 4))
    )
    Quartiersmanagement.quartiere.through.objects.bulk_create(
        Quartiersmanagement.quartiere.through(
            quartiersmanagement_id=s.pk, quartier_id=quartiere[(2 * i + k) % anzahl_quartiere].pk
        )
        for i, s in enumerate(stellen)
        for k in range(2)
    )
    _in_bloecken(
        Kennzahl,
        (
            Kennzahl(
                lebensraum_id=lr, jahr=jahr, art=art, wert=Decimal(ZUFALL.randrange(1000)) / 10
            )
            for lr in lr_ids
            for jahr in (heute.year - 2, heute.year - 1)
            for art in ("sgb2_quote", "kinderarmut")
        ),
    )
    print(f"Lebensräume: {time.perf_counter() - start:.0f} s", flush=True)

    zielgruppe = Zielgruppe.objects.create(name="Familien")
    _in_bloecken(
        Akteur,
        (
            Akteur(
                name=f"Akteur {i:06d}",
                art="verein",
                strasse=f"Musterweg {i % 200}",
                plz="52062",
                telefon="0241 123456",
                email=f"akteur{i}@example.invalid",
                angebote="Beratung, Treffpunkt, Hausaufgabenhilfe",
            )
            for i in range(anzahl)
        ),
    )
    ak_ids = list(Akteur.objects.order_by("pk").values_list("pk", flat=True))
    _in_bloecken(
        Akteur.quartiere.through,
        (
            Akteur.quartiere.through(akteur_id=a, quartier_id=quartiere[i % anzahl_quartiere].pk)
            for i, a in enumerate(ak_ids)
        ),
    )
    _in_bloecken(
        Akteur.zielgruppen.through,
        (Akteur.zielgruppen.through(akteur_id=a, zielgruppe_id=zielgruppe.pk) for a in ak_ids),
    )
    print(f"Akteure: {time.perf_counter() - start:.0f} s", flush=True)

    fachbereiche = [
        Fachbereich.objects.create(kuerzel=f"FB {i}", name=f"Fachbereich {i}") for i in range(12)
    ]
    themen = [
        Thema.objects.create(name=f"Thema {i}", fachbereich=fachbereiche[i % 12]) for i in range(14)
    ]
    qm = User.objects.create_user("mess-qm", rolle=Rolle.QUARTIERSMANAGEMENT)
    User.objects.create_user("mess-planung", rolle=Rolle.SOZIALPLANUNG)
    _in_bloecken(
        Meldende,
        (
            Meldende(
                name=f"{VORNAMEN[i % 10]} Nachname{i}",
                email=f"person{i}@example.invalid",
                telefon=f"0241 {100000 + i}",
                anschrift=f"Wohnweg {i % 300 + 1}, 52062 Aachen",
                einwilligung=True,
            )
            for i in range(anzahl * 7 // 10)
        ),
    )
    m_ids = list(Meldende.objects.order_by("pk").values_list("pk", flat=True))
    jetzt = timezone.now()

    def anliegen():
        for i in range(anzahl):
            erstellt = jetzt - datetime.timedelta(minutes=7 * (anzahl - i))
            meldende = m_ids[i * 7 // 10] if i % 10 < 7 else None
            abgeschlossen = i % 4 == 0
            yield Anliegen(
                jahr=2000 + i // 99999,
                laufnummer=i % 99999 + 1,
                nummer=f"{2000 + i // 99999}-{i % 99999 + 1:05d}",
                # jeder zwanzigste Titel nennt die meldende Person (dann greift die Maske)
                titel=(
                    f"Sperrmüll bei {VORNAMEN[i % 10]} Nachname{i * 7 // 10}"
                    if i % 20 == 0
                    else f"Sperrmüll an der Ecke {i % 97}"
                ),
                beschreibung="Seit Tagen liegt dort Sperrmüll.",
                quartier_id=quartiere[i % anzahl_quartiere].pk,
                ort=f"Marktplatz {i % 50 + 1}",
                thema_id=themen[i % 14].pk,
                art="beschwerde",
                kanal="sprechstunde",
                meldende_id=meldende,
                zustaendig_id=qm.pk,
                status="abgeschlossen" if abgeschlossen else ("weitergeleitet" if i % 2 else "neu"),
                abschlussgrund="erledigt" if abgeschlossen else "",
                erstellt_am=erstellt,
                abgeschlossen_am=erstellt + datetime.timedelta(days=3) if abgeschlossen else None,
            )

    _in_bloecken(Anliegen, anliegen())
    a_ids = list(Anliegen.objects.order_by("pk").values_list("pk", flat=True))
    _in_bloecken(
        Weiterleitung,
        (
            Weiterleitung(
                anliegen_id=a,
                fachbereich_id=fachbereiche[i % 12].pk,
                nachricht="Bitte prüfen.",
                frist=heute + datetime.timedelta(days=(i % 30) - 10),
                erstellt_von_id=qm.pk,
            )
            for i, a in enumerate(a_ids)
            if i % 2
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Anliegen: {time.perf_counter() - start:.0f} s", flush=True)


# --- Messung -------------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # Worker beendet (z. B. nach einem Timeout)
        return 0
    for zeile in status.splitlines():
        if zeile.startswith("VmRSS:"):
            return int(zeile.split()[1])
    return 0


def _worker_pids(master: int) -> list[int]:
    kinder = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(k) for k in kinder]


class Beobachter(threading.Thread):
    """Liest alle 10 ms VmRSS der Worker und merkt sich je Worker den höchsten Stand."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.vorher = {p: _rss_kib(p) for p in pids}
        self.hoechst = dict(self.vorher)
        self.laeuft = True

    def run(self) -> None:
        while self.laeuft:
            for p in self.hoechst:
                self.hoechst[p] = max(self.hoechst[p], _rss_kib(p))
            time.sleep(0.01)

    def zuwachs_mib(self) -> float:
        self.laeuft = False
        self.join()
        return max(self.hoechst[p] - self.vorher[p] for p in self.hoechst) / 1024


def abrufen(
    port: int, pfad: str, cookie: str, *, methode: str = "GET", body: str = ""
) -> tuple[int, float, float, int, str]:
    """Status, Sekunden bis zum ersten Byte des Inhalts, Gesamtsekunden, Bytes, Location."""
    verbindung = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    kopf = {"Cookie": cookie, "Host": "127.0.0.1"}
    if body:
        kopf["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    verbindung.request(methode, pfad, body=body or None, headers=kopf)
    antwort = verbindung.getresponse()
    erstes = antwort.read(1)
    ttfb = time.perf_counter() - start
    groesse = len(erstes)
    while teil := antwort.read(65536):
        groesse += len(teil)
    gesamt = time.perf_counter() - start
    verbindung.close()
    return antwort.status, ttfb, gesamt, groesse, antwort.getheader("Location", "")


def main() -> None:
    if not ARGS.behalten:
        daten(ARGS.anzahl)
    client = Client()
    client.force_login(User.objects.get(username="mess-planung"))
    sitzung = client.cookies["sessionid"].value
    csrf = "a" * 32
    cookie = f"sessionid={sitzung}; csrftoken={csrf}"
    umgebung = {**os.environ, **UMGEBUNG, "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{ARGS.port}"}
    gunicorn = subprocess.Popen(
        [
            str(WURZEL / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers", "2",
            "--worker-class", ARGS.worker_class,
            "--timeout", "30",
            "--bind", f"127.0.0.1:{ARGS.port}",
            "--log-level", "warning",
        ],
        cwd=WURZEL,
        env=umgebung,
    )  # fmt: skip
    try:
        time.sleep(4)
        pids = _worker_pids(gunicorn.pid)
        assert len(pids) == 2, pids
        messungen = [
            ("Versorgung Lebensräume CSV", "/auswertung/versorgung/?format=csv",
             "/auswertung/versorgung/?format=csv&sozialraum=1"),
            ("Versorgung Lebensräume XLSX (Hinweisseite)", "/auswertung/versorgung/?format=xlsx",
             "/auswertung/versorgung/?format=xlsx&sozialraum=1"),
            ("Akteure CSV", "/akteure/export.csv?q=", "/akteure/export.csv?q=Akteur+000001"),
            ("Anliegen CSV", "/anliegen/export/?q=&status=&format=csv",
             "/anliegen/export/?q=2000-00001&status=&format=csv"),
            ("Anliegen XLSX (Hinweisseite)", "/anliegen/export/?q=&status=&format=xlsx",
             "/anliegen/export/?q=2000-00001&status=&format=xlsx"),
        ]  # fmt: skip
        for _name, _pfad, klein in messungen:
            for _ in range(4):  # beide Worker aufwärmen
                abrufen(ARGS.port, klein, cookie)
        print()
        print("| Export | Status | erstes Byte s | gesamt s | MB | RSS-Zuwachs MiB |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, pfad, _klein in messungen:
            beobachter = Beobachter(pids)
            beobachter.start()
            try:
                status, ttfb, gesamt, groesse, _ort = abrufen(ARGS.port, pfad, cookie)
            except http.client.IncompleteRead:  # Worker nach 30 s abgebrochen (Timeout)
                status, ttfb, gesamt, groesse = 0, 0.0, 0.0, 0
                time.sleep(3)
                pids = _worker_pids(gunicorn.pid)
            zuwachs = beobachter.zuwachs_mib()
            print(
                f"| {name} | {status or 'Timeout'} | {ttfb:.2f} | {gesamt:.2f} "
                f"| {groesse / 1e6:.1f} "
                f"| {zuwachs:.1f} |",
                flush=True,
            )
        # Im Hintergrund: Aufträge anlegen (POST wie das Formular), dann den Worker messen.
        hintergrund = [
            ("versorgung_lebensraeume", "xlsx", ""),
            ("anliegen_liste", "xlsx", "q=&status="),
            ("anliegen_liste", "csv", "q=&status="),
        ]
        if ARGS.ohne_hintergrund:
            return
        print()
        print(
            "| Export im Hintergrund | Anlegen: erstes Byte s | Worker gesamt s "
            "| Worker max. RSS MiB | Datei MB |"
        )
        print("|---|---:|---:|---:|---:|")
        from quartier.models import Exportauftrag

        for quelle, format_, parameter in hintergrund:
            body = urlencode(
                {"quelle": quelle, "format": format_, "parameter": parameter,
                 "csrfmiddlewaretoken": csrf}
            )  # fmt: skip
            status, ttfb, _g, _b, _ort = abrufen(
                ARGS.port, "/exporte/neu/", cookie, methode="POST", body=body
            )
            assert status == 302, status
            start = time.perf_counter()
            worker = subprocess.Popen(
                [str(WURZEL / ".venv/bin/python"), "manage.py", "db_worker", "--batch",
                 "--no-startup-delay", "--no-reload", "--verbosity", "0"],
                cwd=WURZEL,
                env=umgebung,
            )  # fmt: skip
            _pid, _status, nutzung = os.wait4(worker.pid, 0)
            dauer = time.perf_counter() - start
            auftrag = Exportauftrag.objects.order_by("-pk").first()
            assert auftrag is not None and auftrag.status == "fertig", auftrag and auftrag.meldung
            print(
                f"| {auftrag.titel} ({format_.upper()}, {auftrag.zeilen_bisher} Zeilen) "
                f"| {ttfb:.2f} | {dauer:.1f} | {nutzung.ru_maxrss / 1024:.0f} "
                f"| {auftrag.datei.size / 1e6:.1f} |",
                flush=True,
            )
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()
