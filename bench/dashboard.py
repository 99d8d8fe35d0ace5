"""Misst die Auswertung Anliegen (/auswertung/anliegen/) mit vielen Anliegen auf PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ql_bench \\
        .venv/bin/python bench/dashboard.py --anzahl 200000

Legt die Datenbank aus DATABASE_URL neu an (DROP/CREATE; `--behalten` nutzt vorhandene Daten),
migriert, schreibt synthetische Anliegen über drei Jahre mit Bedarfen, Meldenden,
Weiterleitungen, Antworten, Zusagen, Rückmeldungen und Verlauf per COPY, baut die verdichteten
Fakten der Auswertung auf (COPY läuft an den Signalen vorbei, wie jeder Massenimport: danach
`fakten_aufbauen`), führt VACUUM ANALYZE aus und misst dann mit dem Test-Client (angemeldet
als Sozialplanung) die Serverzeit – ohne `setup_test_environment`, das jedes Template
zusätzlich instrumentieren würde:

- die Auswertung mit den Vorgaben (letzte zwölf Monate) und über den ganzen Zeitraum,
- eine triviale Seite mit einer Abfrage (`/gesundheit/`: SELECT 1) im selben Lauf.

Ausgabe: Median (p50) und p95 je Seite, Zahl der Abfragen; mit `--quelltabellen` dieselben
Seiten direkt aus den Quelltabellen (der Stand vor den Fakten); mit `--explain` die Pläne
(EXPLAIN ANALYZE) der Abfragen der Auswertung mit den benutzten Indizes.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
for name, wert in {
    "DEBUG": "0",
    "SECRET_KEY": "nur-fuer-die-messung",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATIC_MANIFEST": "0",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}.items():
    os.environ.setdefault(name, wert)


def datenbank_neu(url: str) -> None:
    import psycopg

    teile = urlparse(url)
    name = teile.path.lstrip("/")
    wartung = teile._replace(path="/postgres").geturl()
    with psycopg.connect(wartung, autocommit=True) as verbindung:
        verbindung.execute(f'DROP DATABASE IF EXISTS "{name}"')
        verbindung.execute(f'CREATE DATABASE "{name}"')


def argumente() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anzahl", type=int, default=200_000, help="Anliegen (Vorgabe 200.000)")
    parser.add_argument("--wiederholungen", type=int, default=30)
    parser.add_argument("--behalten", action="store_true", help="vorhandene Daten messen")
    parser.add_argument("--explain", action="store_true", help="Abfragepläne ausgeben")
    parser.add_argument(
        "--quelltabellen",
        action="store_true",
        help="zum Vergleich: die Auswertung direkt aus den Quelltabellen (ohne Fakten)",
    )
    return parser.parse_args()


ARGS = argumente() if __name__ == "__main__" else None
if ARGS is not None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Bitte DATABASE_URL=postgres://… setzen (die Messung gilt PostgreSQL).")
    if not ARGS.behalten:
        datenbank_neu(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from anliegen import auswertung, fakten  # noqa: E402
from anliegen.fristen import arbeitstage_zwischen, ist_arbeitstag  # noqa: E402
from anliegen.models import (  # noqa: E402
    Ablehnungsgrund,
    Anliegen,
    Bedarf,
    Ereignis,
    Meldende,
    Rueckmeldung,
    Thema,
    Weiterleitung,
    Zusage,
)
from quartier.models import (  # noqa: E402
    Bezirk,
    Fachbereich,
    Kategorie,
    Lebensraum,
    Quartier,
    Rolle,
    Sozialraum,
    User,
)

JAHRE = 3
ZUFALL = random.Random(20261201)


# --- Arbeitstage schnell: laufende Nummer je Tag statt Schleife je Zeile ----------------------


class Kalender:
    def __init__(self, von: datetime.date, bis: datetime.date) -> None:
        self.nummer: dict[datetime.date, int] = {}
        self.tage: list[datetime.date] = []
        tag, n = von, 0
        while tag <= bis:
            if ist_arbeitstag(tag):
                n += 1
                self.tage.append(tag)
            self.nummer[tag] = n
            tag += datetime.timedelta(days=1)

    def zwischen(self, von: datetime.date, bis: datetime.date) -> int:
        return max(0, self.nummer[bis] - self.nummer[von])

    def plus(self, tag: datetime.date, n: int) -> datetime.date:
        index = self.nummer[tag] + n - 1
        return self.tage[min(index, len(self.tage) - 1)]


def _zeit(tag: datetime.date, stunde: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        tag, datetime.time(stunde, minute), timezone.get_current_timezone()
    )


# --- Stammdaten --------------------------------------------------------------------------


def stammdaten() -> dict:
    bezirke = [
        Bezirk.objects.create(name=f"Messbezirk {i}", slug=f"messbezirk-{i}") for i in range(7)
    ]
    quartiere = []
    for i in range(60):
        bezirk = bezirke[i % len(bezirke)]
        sozialraum = Sozialraum.objects.create(nummer=900 + i, name=f"Messraum {i}", bezirk=bezirk)
        lr = Lebensraum.objects.create(
            nummer=f"M{i:03d}",
            name=f"Mess-LR {i}",
            sozialraum=sozialraum,
            einwohner=2000 + 150 * i,
            kategorie=list(Kategorie)[i % 3],
        )
        q = Quartier.objects.create(name=f"Messquartier {i:02d}", slug=f"mess-{i}", bezirk=bezirk)
        q.lebensraeume.set([lr])
        quartiere.append(q)
    fachbereiche = [
        Fachbereich.objects.create(kuerzel=f"MB {i}", name=f"Messbereich {i}") for i in range(12)
    ]
    themen = [
        Thema.objects.create(name=f"Messthema {i}", fachbereich=fachbereiche[i % 12])
        for i in range(14)
    ]
    bedarfe = [Bedarf.objects.create(name=f"Messbedarf {i}") for i in range(16)]
    gruende = [Ablehnungsgrund.objects.create(name=f"Messgrund {i}") for i in range(5)]
    qm = User.objects.create_user("mess-qm", rolle=Rolle.QUARTIERSMANAGEMENT)
    User.objects.create_user("mess-planung", rolle=Rolle.SOZIALPLANUNG)
    return {
        "quartiere": [q.pk for q in quartiere],
        "fachbereiche": [f.pk for f in fachbereiche],
        "themen": [t.pk for t in themen],
        "bedarfe": [b.pk for b in bedarfe],
        "gruende": [g.pk for g in gruende],
        "qm": qm.pk,
    }


# --- Bewegungsdaten per COPY ---------------------------------------------------------------


class Kopierer:
    """Sammelt Zeilen je Modell und schreibt sie per COPY (psycopg 3)."""

    def __init__(self, modell, felder: list[str]) -> None:
        self.modell = modell
        self.spalten = [modell._meta.get_field(f).column for f in felder]
        self.zeilen: list[tuple] = []

    def add(self, *werte) -> None:
        self.zeilen.append(werte)

    def schreiben(self) -> int:
        tabelle = self.modell._meta.db_table
        spalten = ", ".join(f'"{s}"' for s in self.spalten)
        with connection.cursor() as cursor:
            roh = cursor.cursor
            with roh.copy(f'COPY "{tabelle}" ({spalten}) FROM STDIN') as kopie:
                for zeile in self.zeilen:
                    kopie.write_row(zeile)
            if "id" in self.spalten:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{tabelle}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{tabelle}"))'
                )
        anzahl = len(self.zeilen)
        self.zeilen = []
        return anzahl


def _waehle(gewichte: dict):
    return ZUFALL.choices(list(gewichte), weights=list(gewichte.values()))[0]


def bewegungsdaten(anzahl: int, s: dict) -> dict[str, int]:
    heute = timezone.localdate()
    beginn = heute - datetime.timedelta(days=365 * JAHRE)
    kalender = Kalender(beginn - datetime.timedelta(days=10), heute + datetime.timedelta(days=400))
    # Stichprobe: die schnelle Rechnung stimmt mit anliegen.fristen überein.
    for _ in range(200):
        a = beginn + datetime.timedelta(days=ZUFALL.randrange(365 * JAHRE))
        b = a + datetime.timedelta(days=ZUFALL.randrange(60))
        if b <= heute:
            assert kalender.zwischen(a, b) == arbeitstage_zwischen(a, b), (a, b)

    anliegen = Kopierer(
        Anliegen,
        [
            "id", "jahr", "laufnummer", "nummer", "titel", "beschreibung", "quartier", "ort",
            "thema", "art", "kanal", "meldende", "zustaendig", "status", "weg",
            "vermittelt_an_text", "abschlussgrund", "ohne_rueckmeldung_grund", "erstellt_am",
            "abgeschlossen_am", "rueckmeldung_offen_seit", "version",
        ],
    )  # fmt: skip
    zuordnung = Kopierer(Anliegen.bedarfe.through, ["anliegen", "bedarf"])
    meldende = Kopierer(
        Meldende,
        [
            "id", "name", "email", "telefon", "anschrift", "einwilligung",
            "rueckmeldung_gewuenscht", "bevorzugter_kanal", "erstellt_am",
        ],
    )  # fmt: skip
    weiterleitungen = Kopierer(
        Weiterleitung,
        [
            "id", "anliegen", "fachbereich", "nachricht", "frist", "kontakt_geteilt", "status",
            "entscheidung", "antwort", "erwartet_am", "ablehnungsgrund", "zustaendig_hinweis",
            "erstellt_von", "erstellt_am", "angenommen_am", "lebenszeichen_am",
            "beantwortet_am", "antwort_arbeitstage", "beantwortet_name", "version",
        ],
    )  # fmt: skip
    zusagen = Kopierer(
        Zusage,
        [
            "weiterleitung", "zugesagt_fuer", "faellig_am", "status", "verschiebungen", "grund",
            "erstellt_am", "erledigt_am", "version",
        ],
    )  # fmt: skip
    rueckmeldungen = Kopierer(
        Rueckmeldung,
        ["anliegen", "text", "kanal", "erreicht", "zeitpunkt", "von", "wartezeit_arbeitstage"],
    )
    ereignisse = Kopierer(Ereignis, ["anliegen", "art", "daten", "intern", "von", "zeitpunkt"])

    from psycopg.types.json import Jsonb

    leer = Jsonb({})
    qm = s["qm"]
    quartier_gewichte = {q: 1 + (i % 7) for i, q in enumerate(s["quartiere"])}
    w_id = m_id = 0
    laufnummern: dict[int, int] = {}
    geschrieben: dict[str, int] = {}

    def ereignis(a_id, art, zeit):
        ereignisse.add(a_id, art, leer, False, qm, zeit)

    for a_id in range(1, anzahl + 1):
        tag = beginn + datetime.timedelta(days=ZUFALL.randrange(365 * JAHRE))
        if not ist_arbeitstag(tag):
            tag = kalender.plus(tag, 1)
        tag = min(tag, heute)
        erstellt = _zeit(tag, ZUFALL.randrange(8, 17), ZUFALL.randrange(60))
        jahr = tag.year
        laufnummern[jahr] = laufnummern.get(jahr, 0) + 1
        alter = (heute - tag).days
        if alter < 14 and ZUFALL.random() < 0.4:
            weg = ""
        else:
            weg = _waehle({"selbst": 25, "kontakt": 20, "bedarf": 10, "weiterleiten": 45})
        m = None
        erwartet = False
        if ZUFALL.random() < 0.7:
            m_id += 1
            m = m_id
            erwartet = ZUFALL.random() < 0.85
            meldende.add(m, "", "", "", "", True, erwartet, "telefon", erstellt)
        for b in ZUFALL.sample(s["bedarfe"], _waehle({0: 30, 1: 50, 2: 20})):
            zuordnung.add(a_id, b)
        ereignis(a_id, "erfasst", erstellt)

        status, grund, abgeschlossen, offen_seit = "neu", "", None, None
        if weg and weg != "weiterleiten":
            ereignis(a_id, "weg", erstellt)
            if alter > 10 and ZUFALL.random() < 0.85:
                status = "abgeschlossen"
                grund = {
                    "selbst": "erledigt",
                    "kontakt": "kontakt_vermittelt",
                    "bedarf": "als_bedarf_erfasst",
                }[weg]
                abgeschlossen = _zeit(kalender.plus(tag, ZUFALL.randrange(1, 10)), 15)
            else:
                status = "in_bearbeitung"
        elif weg == "weiterleiten":
            fbs = ZUFALL.sample(s["fachbereiche"], 2 if ZUFALL.random() < 0.15 else 1)
            letzte_antwort, offen = None, False
            for fb in fbs:
                w_id += 1
                w_tag = kalender.plus(tag, ZUFALL.randrange(0, 3)) if alter > 3 else tag
                w_erstellt = _zeit(min(w_tag, heute), 10)
                frist = kalender.plus(w_tag, 10)
                dauer = min(int(ZUFALL.expovariate(1 / 7)), 60)
                antwort_tag = kalender.plus(w_tag, dauer) if dauer else w_tag
                ergebnis = "offen"
                if antwort_tag <= heute:
                    ergebnis = _waehle({"beantwortet": 80, "nicht_zustaendig": 12, "offen": 8})
                beantwortet = _zeit(antwort_tag, 14) if ergebnis != "offen" else None
                entscheidung = erwartet_am = ablehnung = None
                if ergebnis == "beantwortet":
                    entscheidung = _waehle(
                        {"umgesetzt": 40, "wird_umgesetzt": 25, "nicht_moeglich": 25}
                    )
                    if entscheidung == "wird_umgesetzt":
                        erwartet_am = antwort_tag + datetime.timedelta(
                            days=ZUFALL.randrange(20, 120)
                        )
                    if entscheidung == "nicht_moeglich":
                        ablehnung = ZUFALL.choice(s["gruende"])
                    letzte_antwort = max(letzte_antwort or beantwortet, beantwortet)
                offen = offen or ergebnis == "offen"
                weiterleitungen.add(
                    w_id, a_id, fb, "Bitte prüfen.", frist, False, ergebnis, entscheidung or "",
                    "Antwort." if entscheidung else "", erwartet_am, ablehnung,
                    "anderer Bereich" if ergebnis == "nicht_zustaendig" else "", qm, w_erstellt,
                    beantwortet if ergebnis == "beantwortet" else None, None, beantwortet,
                    kalender.zwischen(w_tag, antwort_tag) if beantwortet else None,
                    "Sachbearbeitung" if beantwortet else "", 0,
                )  # fmt: skip
                ereignis(a_id, "weitergeleitet", w_erstellt)
                if beantwortet:
                    ereignis(
                        a_id,
                        "beantwortet" if ergebnis == "beantwortet" else "zurueckgegeben",
                        beantwortet,
                    )
                if erwartet_am:
                    erledigt = erwartet_am < heute and ZUFALL.random() < 0.8
                    z_status = (
                        _waehle({"eingehalten": 80, "entfallen": 20}) if erledigt else "offen"
                    )
                    zusagen.add(
                        w_id, erwartet_am, erwartet_am, z_status, 0, "",
                        beantwortet, _zeit(erwartet_am, 12) if erledigt else None, 0,
                    )  # fmt: skip
            status = "weitergeleitet" if offen else "antwort_liegt_vor"
            if letzte_antwort and (m is None or erwartet):
                warte = min(int(ZUFALL.expovariate(1 / 5)), 40)
                r_tag = (
                    kalender.plus(letzte_antwort.date(), warte) if warte else letzte_antwort.date()
                )
                if r_tag <= heute and ZUFALL.random() < 0.85:
                    r_zeit = _zeit(r_tag, 16)
                    if ZUFALL.random() < 0.1:
                        rueckmeldungen.add(
                            a_id, "Nicht erreicht.", "telefon", False, r_zeit, qm, None
                        )
                    rueckmeldungen.add(
                        a_id, "Antwort mitgeteilt.", "telefon", True, r_zeit, qm,
                        kalender.zwischen(letzte_antwort.date(), r_tag),
                    )  # fmt: skip
                    ereignis(a_id, "rueckmeldung", r_zeit)
                    if not offen:
                        status, grund = "abgeschlossen", "erledigt"
                        abgeschlossen = _zeit(r_tag, 17)
                elif not offen and m is not None:
                    offen_seit = letzte_antwort
            elif letzte_antwort and not offen:
                status, grund, abgeschlossen = "abgeschlossen", "erledigt", _zeit(heute, 9)
                abgeschlossen = min(abgeschlossen, letzte_antwort + datetime.timedelta(days=2))
        if abgeschlossen:
            ereignis(a_id, "abgeschlossen", abgeschlossen)
        anliegen.add(
            a_id, jahr, laufnummern[jahr], f"{jahr}-{laufnummern[jahr]:06d}", "Messanliegen",
            "Beschreibung", _waehle(quartier_gewichte), "", ZUFALL.choice(s["themen"]),
            "beschwerde", "sprechstunde", m, qm, status, weg, "", grund, "", erstellt,
            abgeschlossen, offen_seit, 0,
        )  # fmt: skip

        if a_id % 20_000 == 0 or a_id == anzahl:
            # Reihenfolge wegen der Fremdschlüssel
            for name, k in (
                ("meldende", meldende),
                ("anliegen", anliegen),
                ("bedarfe", zuordnung),
                ("weiterleitungen", weiterleitungen),
                ("zusagen", zusagen),
                ("rueckmeldungen", rueckmeldungen),
                ("ereignisse", ereignisse),
            ):
                geschrieben[name] = geschrieben.get(name, 0) + k.schreiben()
            print(f"  … {a_id} Anliegen geschrieben", flush=True)
    return geschrieben


# --- Messen ------------------------------------------------------------------------------


def messen(client: Client, url: str, wiederholungen: int) -> tuple[float, float, int]:
    for _ in range(3):  # Aufwärmen
        assert client.get(url).status_code == 200, url
    zeiten = []
    for _ in range(wiederholungen):
        start = time.perf_counter()
        antwort = client.get(url)
        zeiten.append((time.perf_counter() - start) * 1000)
        assert antwort.status_code == 200, (url, antwort.status_code)
    with CaptureQueriesContext(connection) as abfragen:
        client.get(url)
    zeiten.sort()
    p95 = zeiten[max(0, -(-95 * len(zeiten) // 100) - 1)]  # nächster Rang
    return statistics.median(zeiten), p95, len(abfragen.captured_queries)


def plaene(client: Client, url: str) -> None:
    with CaptureQueriesContext(connection) as abfragen:
        client.get(url)
    with connection.cursor() as cursor:
        for nr, abfrage in enumerate(abfragen.captured_queries, 1):
            sql = abfrage["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql)
            zeilen = [z[0] for z in cursor.fetchall()]
            zeit = next((z for z in zeilen if z.startswith("Execution Time")), "")
            indizes = sorted(
                {
                    z.split(" using ")[1].split(" ")[0]
                    for z in zeilen
                    if " using " in z and "Index" in z
                }
            )
            print(f"{nr:>2}. {zeit:<28} {', '.join(indizes) or 'Seq Scan'}  | {sql[:110]}")


def main() -> None:
    args = ARGS
    if not args.behalten or not Anliegen.objects.exists():
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        zahlen = bewegungsdaten(args.anzahl, stammdaten())
        print(f"Daten in {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        zeilen = fakten.aufbauen()
        print(f"Fakten in {time.perf_counter() - start:.0f} s: {zeilen} Zeilen", flush=True)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM setzt die Sichtbarkeitskarte (wie autovacuum im Betrieb): Index Only Scans.
            cursor.execute("VACUUM ANALYZE")
        print(
            f"VACUUM ANALYZE in {time.perf_counter() - start:.0f} s: "
            + ", ".join(f"{n} {name}" for name, n in zahlen.items())
        )
    if args.quelltabellen:
        auswertung.Auswahl.mit_fakten = property(lambda self: False)  # type: ignore[assignment,method-assign]
    client = Client()
    client.force_login(User.objects.get(username="mess-planung"))
    heute = timezone.localdate()
    ganz = f"/auswertung/anliegen/?von=01.01.{heute.year - JAHRE}&bis={heute:%d.%m.%Y}"
    print(f"Anliegen: {Anliegen.objects.count()}, Wiederholungen: {args.wiederholungen}")
    print(f"{'Seite':<62} {'p50 ms':>8} {'p95 ms':>8} {'Abfragen':>9}")
    for titel, url in [
        ("triviale Seite (/gesundheit/, SELECT 1)", "/gesundheit/"),
        ("Auswertung Anliegen, letzte 12 Monate (Vorgabe)", "/auswertung/anliegen/"),
        ("Auswertung Anliegen, ganzer Zeitraum (3 Jahre)", ganz),
        ("Auswertung Anliegen, ein Quartier, ganzer Zeitraum", ganz + "&quartier="
         + str(Quartier.objects.order_by("name").values_list("pk", flat=True)[3])),
        ("Export Fachbereiche (CSV), letzte 12 Monate",
         "/auswertung/anliegen/?tabelle=fachbereiche&format=csv"),
    ]:  # fmt: skip
        p50, p95, n = messen(client, url, args.wiederholungen)
        print(f"{titel:<62} {p50:>8.1f} {p95:>8.1f} {n:>9}", flush=True)
    if args.explain:
        print("\nAbfragepläne der Auswertung (letzte 12 Monate):")
        plaene(client, "/auswertung/anliegen/")


if __name__ == "__main__":
    main()
