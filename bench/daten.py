"""Erzeugt N synthetische Anliegen für die Messungen (bench/last.py, bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ql_bench_10k \\
        .venv/bin/python bench/daten.py --anzahl 10000

Legt die Datenbank aus DATABASE_URL neu an (DROP/CREATE; nur Namen mit „bench“), migriert und
schreibt über `--jahre` Jahre (Vorgabe 3) N Anliegen in 60 Quartieren mit 14 Themen, 12
Fachbereichen, Bedarfen, meldenden Personen (70 %), Weiterleitungen, Antworten, Zusagen,
Rückmeldungen und rund fünf Verlaufseinträgen je Anliegen; dazu ein Anliegen mit 400
Einträgen (Detailseite), Akteure und Lebensräume mit Kennzahlen für die Exporte
(`--export-zeilen`, Vorgabe N/10, höchstens 100.000) und die Konten `qm`, `qm2`,
`fachbereich`, `planung` (ohne Passwort; bench/last.py meldet sie über Sitzungen an).

Die Daten folgen dem Kreislauf (anliegen/workflow.py): eindeutige Nummern je Jahr (und der
Zähler dazu), Status passend zu Weg, Weiterleitungen und Rückmeldungen, Fristen und Dauern in
Arbeitstagen, Verlauf mit den Daten, die die Darstellung (anliegen/verlauf.py) liest; gültig
gegen alle Constraints. Geschrieben wird auf PostgreSQL per COPY in Blöcken (Sekundärindizes
und Fremdschlüssel der großen Tabellen erst danach, dann VACUUM ANALYZE), auf SQLite per
`bulk_create` (für kleine N, z. B. im Test tests/test_bench.py). Gibt es den Befehl
`fakten_aufbauen`, läuft er am Ende.
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

WURZEL = Path(__file__).resolve().parent.parent
if str(WURZEL) not in sys.path:
    sys.path.insert(0, str(WURZEL))

# Produktionseinstellungen ohne HTTPS-Zwang; setdefault: was gesetzt ist, gilt.
UMGEBUNG = {
    "DEBUG": "0",
    "SECRET_KEY": "nur-fuer-die-messung-kein-geheimnis-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATIC_MANIFEST": "0",
    "QL_BASIS_URL": "http://127.0.0.1:8000",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def umgebung_setzen() -> None:
    for name, wert in UMGEBUNG.items():
        os.environ.setdefault(name, wert)


def datenbank_neu(url: str) -> None:
    """DROP/CREATE der Datenbank aus `url` – nur, wenn ihr Name „bench“ enthält."""
    import psycopg

    teile = urlparse(url)
    name = teile.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Datenbank {name!r}: nur Namen mit „bench“ werden neu angelegt.")
    wartung = teile._replace(path="/postgres").geturl()
    with psycopg.connect(wartung, autocommit=True) as verbindung:
        verbindung.execute(f'DROP DATABASE IF EXISTS "{name}"')
        verbindung.execute(f'CREATE DATABASE "{name}"')


def argumente(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--anzahl", type=int, default=10_000, help="Anliegen (Vorgabe 10.000)")
    parser.add_argument("--jahre", type=int, default=3, help="über so viele Jahre (Vorgabe 3)")
    parser.add_argument(
        "--export-zeilen",
        type=int,
        default=None,
        help="Akteure und Lebensräume für die Exporte (Vorgabe N/10, höchstens 100.000)",
    )
    parser.add_argument("--saat", type=int, default=20261204, help="Startwert des Zufalls")
    return parser.parse_args(argv)


ARGS = None
if __name__ == "__main__":
    umgebung_setzen()
    ARGS = argumente()
    if not os.environ.get("DATABASE_URL"):
        datei = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{datei}"
        print(f"Ohne DATABASE_URL: SQLite in {datei}")
    elif os.environ["DATABASE_URL"].startswith("postgres"):
        datenbank_neu(os.environ["DATABASE_URL"])
    import django

    django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

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
    Zaehler,
    Zusage,
)
from bench import texte  # noqa: E402
from netzwerke.models import Akteur, Zielgruppe  # noqa: E402
from quartier.models import (  # noqa: E402
    Bezirk,
    Fachbereich,
    Kategorie,
    Kennzahl,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Rolle,
    Sozialraum,
    User,
)

# Das Anliegen mit langem Verlauf (Detailseite): erkennbar am Titel.
LANGER_TITEL = "Langer Verlauf: Spielplatz am Marktplatz seit Jahren Thema"
LANGER_VERLAUF = 400
BLOCK = 10_000  # Anliegen je COPY-Block
EIGENE_QUARTIERE = 6  # so viele Quartiere betreut `qm`

BEZIRKE = [
    "Aachen-Mitte", "Brand", "Eilendorf", "Haaren", "Kornelimünster/Walheim", "Laurensberg",
    "Richterich",
]  # fmt: skip
ZIELGRUPPEN = [
    "Familien", "Kinder", "Jugendliche", "Seniorinnen und Senioren", "Zugewanderte",
    "Alleinerziehende", "Menschen mit Behinderung", "Nachbarschaft",
]  # fmt: skip
AKTEURSARTEN = [
    "jugendarbeit", "schule", "kita", "familienzentrum", "begegnungszentrum", "beratung",
    "wohlfahrtsverband", "kirche", "verein", "initiative",
]  # fmt: skip


# --- Arbeitstage schnell: laufende Nummer je Tag statt Schleife je Zeile ----------------------


class Kalender:
    """Arbeitstage wie anliegen.fristen, aber nachgeschlagen statt gezählt."""

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
        """Wie `fristen.arbeitstage_zwischen` für von <= bis."""
        return max(0, self.nummer[bis] - self.nummer[von])

    def plus(self, tag: datetime.date, n: int) -> datetime.date:
        """Wie `fristen.arbeitstage_addieren` (n >= 0)."""
        if n == 0:
            return tag
        return self.tage[min(self.nummer[tag] + n - 1, len(self.tage) - 1)]


# --- Tabellen und Schreiben --------------------------------------------------------------


class Tabelle:
    """Zeilen eines Modells (Werte in der Reihenfolge von `felder`), blockweise geschrieben."""

    def __init__(self, modell: type[models.Model], felder: list[str]) -> None:
        self.modell = modell
        self.felder = [cast("models.Field[Any, Any]", modell._meta.get_field(f)) for f in felder]
        self.json = [i for i, f in enumerate(self.felder) if isinstance(f, models.JSONField)]
        self.zeilen: list[tuple[Any, ...]] = []
        self.geschrieben = 0
        # Pflichtfelder, die hier niemand nennt (z. B. später hinzugekommene mit Vorgabe in
        # Python): COPY kennt nur Vorgaben der Datenbank, also die Vorgabe des Felds mitgeben.
        # Ohne Vorgabe scheitert COPY laut (NOT NULL) – dann gehört das Feld in `felder`.
        genannt = {f.name for f in self.felder}
        self.vorgaben: list[tuple[models.Field[Any, Any], Any]] = []
        for f in modell._meta.concrete_fields:
            if (
                f.name in genannt
                or f.null
                or f.primary_key
                or getattr(f, "generated", False)
                or f.db_default is not models.NOT_PROVIDED
            ):
                continue
            wert: Any
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                wert = timezone.now()
            else:
                wert = f.get_default()
            if wert is None:
                continue
            if isinstance(f, models.JSONField):
                wert = json.dumps(wert, ensure_ascii=False)
            self.vorgaben.append((f, wert))

    @property
    def name(self) -> str:
        return self.modell._meta.db_table

    def add(self, *werte: Any) -> None:
        self.zeilen.append(werte)

    def schreiben(self) -> None:
        if connection.vendor == "postgresql":
            self._kopieren()
        else:
            self._bulk()
        self.geschrieben += len(self.zeilen)
        self.zeilen = []

    def _kopieren(self) -> None:
        qn = connection.ops.quote_name
        felder = self.felder + [f for f, _wert in self.vorgaben]
        spalten = ", ".join(qn(f.column) for f in felder)
        anhang = tuple(wert for _f, wert in self.vorgaben)
        with connection.cursor() as cursor:
            roh = cursor.cursor  # psycopg 3
            with roh.copy(f"COPY {qn(self.name)} ({spalten}) FROM STDIN") as kopie:
                if not self.json and not anhang:
                    for zeile in self.zeilen:
                        kopie.write_row(zeile)
                    return
                for zeile in self.zeilen:
                    werte = list(zeile)
                    for j in self.json:
                        werte[j] = json.dumps(werte[j], ensure_ascii=False)
                    kopie.write_row((*werte, *anhang))

    def _bulk(self) -> None:
        namen = [f.attname for f in self.felder]
        objekte = [self.modell(**dict(zip(namen, z, strict=True))) for z in self.zeilen]
        self.modell._default_manager.bulk_create(objekte, batch_size=500)

    def sequenz_nachziehen(self) -> None:
        """Nach COPY mit eigenen ids: die nächste id kommt hinter die größte."""
        if connection.vendor != "postgresql":
            return
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {qn(self.name)}), 1))",
                [qn(self.name)],
            )


def indizes_weglassen(tabellen: list[str]) -> list[str]:
    """Entfernt die Sekundärindizes (ohne Primärschlüssel und Constraints) der Tabellen und gibt
    ihre Definitionen zurück: COPY ohne Indexpflege, danach einmal sortiert aufgebaut."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass)
            """,
            [tabellen],
        )
        indizes = cursor.fetchall()
        for name, _definition in indizes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in indizes]


def fremdschluessel_weglassen(tabellen: list[str]) -> list[str]:
    """Entfernt die Fremdschlüssel der Tabellen (COPY prüft sonst je Zeile per Trigger) und
    gibt die Befehle zurück, die sie wieder anlegen; dabei prüft PostgreSQL alle Zeilen auf
    einmal."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            [tabellen],
        )
        fremd = cursor.fetchall()
        for tabelle, name, _definition in fremd:
            cursor.execute(f"ALTER TABLE {tabelle} DROP CONSTRAINT {qn(name)}")
    return [f"ALTER TABLE {t} ADD CONSTRAINT {qn(n)} {d}" for t, n, d in fremd]


def indizes_anlegen(definitionen: list[str]) -> None:
    """Legt Indizes (CREATE INDEX) und Fremdschlüssel (ALTER TABLE) wieder an."""
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitionen:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


# --- Stammdaten --------------------------------------------------------------------------


@dataclass
class Stamm:
    quartiere: list[int] = field(default_factory=list)
    quartier_gewichte: list[int] = field(default_factory=list)
    sozialraeume: list[int] = field(default_factory=list)
    fachbereiche: list[tuple[int, str]] = field(default_factory=list)  # (pk, Kürzel)
    themen: list[tuple[int, int]] = field(default_factory=list)  # (pk, Index des Fachbereichs)
    bedarfe: list[int] = field(default_factory=list)
    gruende: list[tuple[int, str]] = field(default_factory=list)
    zielgruppen: list[int] = field(default_factory=list)
    qm: int = 0
    qm2: int = 0
    fb_konto: int = 0
    planung: int = 0


def _konto(username: str, rolle: str, fachbereich: Fachbereich | None = None) -> User:
    user, _neu = User.objects.update_or_create(
        username=username,
        defaults={"rolle": rolle, "fachbereich": fachbereich, "first_name": username.title()},
    )
    if _neu:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def stammdaten(zufall: random.Random) -> Stamm:
    s = Stamm()
    bezirke = [Bezirk.objects.create(name=n, slug=slugify(n)) for n in BEZIRKE]
    namen = [f"{a}viertel" for a in texte._STRASSEN_ANFANG]
    namen += [f"{a}-Nord" for a in texte._STRASSEN_ANFANG][: 60 - len(namen)]
    fachbereiche = [
        Fachbereich.objects.create(kuerzel=k, name=n, extern=k.startswith("EXT"))
        for k, n in texte.FACHBEREICHE
    ]
    s.fachbereiche = [(f.pk, f.kuerzel) for f in fachbereiche]
    qm = _konto("qm", Rolle.QUARTIERSMANAGEMENT)
    qm2 = _konto("qm2", Rolle.QUARTIERSMANAGEMENT)
    fb = _konto("fachbereich", Rolle.FACHBEREICH, fachbereiche[0])
    planung = _konto("planung", Rolle.SOZIALPLANUNG)
    s.qm, s.qm2, s.fb_konto, s.planung = qm.pk, qm2.pk, fb.pk, planung.pk
    for i, name in enumerate(namen):
        bezirk = bezirke[i % len(bezirke)]
        raum = Sozialraum.objects.create(nummer=100 + i, name=f"Sozialraum {name}", bezirk=bezirk)
        lr = Lebensraum.objects.create(
            nummer=f"{100 + i}",
            name=name,
            sozialraum=raum,
            einwohner=2000 + 150 * i,
            kategorie=list(Kategorie)[i % 3],
        )
        q = Quartier.objects.create(name=name, slug=slugify(name), bezirk=bezirk)
        q.lebensraeume.set([lr])
        stelle = Quartiersmanagement.objects.create(
            bezeichnung=f"QM {name}",
            art="allgemein",
            traeger="Stadt Aachen, FB 56",
            stellenanteil="0.5",
            beginn=datetime.date(2015, 1, 1),
        )
        stelle.quartiere.set([q])
        stelle.mitarbeitende.set([qm if i < EIGENE_QUARTIERE else qm2])
        s.quartiere.append(q.pk)
        s.quartier_gewichte.append(1 + (i % 7))
        s.sozialraeume.append(raum.pk)
    for i, name in enumerate(texte.THEMEN):
        thema = Thema.objects.create(name=name, fachbereich=fachbereiche[i % len(fachbereiche)])
        s.themen.append((thema.pk, i % len(fachbereiche)))
    s.bedarfe = [Bedarf.objects.create(name=n).pk for n in texte.BEDARFE]
    s.gruende = [(Ablehnungsgrund.objects.create(name=n).pk, n) for n in texte.ABLEHNUNGSGRUENDE]
    s.zielgruppen = [Zielgruppe.objects.create(name=n).pk for n in ZIELGRUPPEN]
    return s


def exportdaten(anzahl: int, s: Stamm, zufall: random.Random, jetzt: datetime.datetime) -> None:
    """Akteure und Lebensräume (mit Kennzahlen) für die Exporte, `anzahl` je Art."""
    start = (Akteur.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    akteure = Tabelle(
        Akteur,
        [
            "id", "name", "art", "strasse", "plz", "ort", "telefon", "email", "website",
            "angebote", "aktiv", "geaendert_am", "version",
        ],
    )  # fmt: skip
    aq = Tabelle(Akteur.quartiere.through, ["akteur", "quartier"])
    az = Tabelle(Akteur.zielgruppen.through, ["akteur", "zielgruppe"])
    for i in range(anzahl):
        a_id = start + i
        art = AKTEURSARTEN[i % len(AKTEURSARTEN)]
        strasse = zufall.choice(texte.STRASSEN)
        akteure.add(
            a_id, f"{art.title()} {strasse} {i + 1}", art, f"{strasse} {zufall.randrange(1, 99)}",
            f"520{zufall.randrange(10, 99)}", "Aachen", f"0241 {zufall.randrange(100000, 999999)}",
            f"kontakt{i + 1}@example.org", "", "Beratung, Treffpunkt, Ferienangebote",
            zufall.random() < 0.95, jetzt, 0,
        )  # fmt: skip
        aq.add(a_id, zufall.choice(s.quartiere))
        for z in zufall.sample(s.zielgruppen, zufall.randrange(1, 3)):
            az.add(a_id, z)
    for t in (akteure, aq, az):
        t.schreiben()
    akteure.sequenz_nachziehen()

    start = (Lebensraum.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    lebensraeume = Tabelle(
        Lebensraum, ["id", "nummer", "name", "sozialraum", "einwohner", "kategorie", "beschreibung"]
    )
    kennzahlen = Tabelle(Kennzahl, ["lebensraum", "jahr", "art", "wert", "quelle"])
    kategorien = [k.value for k in Kategorie]
    jahr = jetzt.year - 1
    for i in range(anzahl):
        lr_id = start + i
        lebensraeume.add(
            lr_id, f"X{i:07d}", f"Block {zufall.choice(texte.STRASSEN)} {i + 1}",
            zufall.choice(s.sozialraeume), zufall.randrange(300, 5000), zufall.choice(kategorien),
            "",
        )  # fmt: skip
        for art in ("sgb2_quote", "kinderarmut", "altersarmut"):
            for j in (jahr - 1, jahr):
                kennzahlen.add(lr_id, j, art, round(zufall.uniform(2, 40), 2), "Messdaten")
    lebensraeume.schreiben()
    kennzahlen.schreiben()
    lebensraeume.sequenz_nachziehen()


# --- Bewegungsdaten ----------------------------------------------------------------------


def _waehle(gewichte: dict[Any, int], zufall: random.Random) -> Any:
    return zufall.choices(list(gewichte), weights=list(gewichte.values()))[0]


class Erzeuger:
    """Erzeugt Anliegen samt Weiterleitungen, Zusagen, Rückmeldungen und Verlauf."""

    def __init__(self, s: Stamm, zufall: random.Random, jahre: int) -> None:
        self.s = s
        self.z = zufall
        self.zone = zoneinfo.ZoneInfo(str(timezone.get_current_timezone()))
        self.jetzt = timezone.localtime()
        self.heute = self.jetzt.date()
        self.beginn = self.heute - datetime.timedelta(days=365 * jahre)
        self.kalender = Kalender(
            self.beginn - datetime.timedelta(days=10), self.heute + datetime.timedelta(days=500)
        )
        self.texte = texte.Texte(zufall)
        self.eigene = set(s.quartiere[:EIGENE_QUARTIERE])
        self.fb0 = s.fachbereiche[0][0]
        # Stichprobe: die schnelle Rechnung stimmt mit anliegen.fristen überein.
        for _ in range(100):
            a = self.beginn + datetime.timedelta(days=zufall.randrange(365 * jahre))
            b = a + datetime.timedelta(days=zufall.randrange(60))
            assert self.kalender.zwischen(a, b) == arbeitstage_zwischen(a, b), (a, b)
        self.a_id = (Anliegen.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.m_id = (Meldende.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.w_id = (Weiterleitung.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.laufnummern = dict(Zaehler.objects.values_list("jahr", "letzte"))
        self.anliegen = Tabelle(
            Anliegen,
            [
                "id", "jahr", "laufnummer", "nummer", "titel", "beschreibung", "quartier", "ort",
                "breite", "laenge", "thema", "art", "kanal", "meldende", "akteur", "zustaendig",
                "status", "weg", "vermittelt_an_text", "abschlussgrund",
                "ohne_rueckmeldung_grund", "erstellt_am", "abgeschlossen_am",
                "rueckmeldung_offen_seit", "version",
            ],
        )  # fmt: skip
        self.bedarfe = Tabelle(Anliegen.bedarfe.through, ["anliegen", "bedarf"])
        self.meldende = Tabelle(
            Meldende,
            [
                "id", "name", "email", "telefon", "anschrift", "einwilligung",
                "rueckmeldung_gewuenscht", "bevorzugter_kanal", "erstellt_am",
            ],
        )  # fmt: skip
        self.weiterleitungen = Tabelle(
            Weiterleitung,
            [
                "id", "anliegen", "fachbereich", "nachricht", "frist", "kontakt_geteilt",
                "status", "entscheidung", "antwort", "erwartet_am", "ablehnungsgrund",
                "zustaendig_fachbereich", "zustaendig_hinweis", "erstellt_von", "erstellt_am",
                "angenommen_am", "lebenszeichen_am", "beantwortet_am", "antwort_arbeitstage",
                "beantwortet_von", "beantwortet_name", "version",
            ],
        )  # fmt: skip
        self.zusagen = Tabelle(
            Zusage,
            [
                "weiterleitung", "zugesagt_fuer", "faellig_am", "status", "verschiebungen",
                "grund", "erstellt_am", "erledigt_am", "version",
            ],
        )  # fmt: skip
        self.rueckmeldungen = Tabelle(
            Rueckmeldung,
            ["anliegen", "text", "kanal", "erreicht", "zeitpunkt", "von", "wartezeit_arbeitstage"],
        )
        self.ereignisse = Tabelle(
            Ereignis, ["anliegen", "art", "daten", "intern", "von", "zeitpunkt"]
        )
        # Reihenfolge wegen der Fremdschlüssel
        self.tabellen = [
            self.meldende, self.anliegen, self.bedarfe, self.weiterleitungen, self.zusagen,
            self.rueckmeldungen, self.ereignisse,
        ]  # fmt: skip

    # Zeitpunkte: nie in der Zukunft (heutige Anliegen am Nachmittag).
    def zeit(self, tag: datetime.date, stunde: int, minute: int = 0) -> datetime.datetime:
        t = datetime.datetime.combine(tag, datetime.time(stunde, minute), self.zone)
        return min(t, self.jetzt)

    def ereignis(
        self, a_id: int, art: str, von: int | None, zeit: datetime.datetime, /, **daten: Any
    ) -> None:
        self.ereignisse.add(a_id, art, daten, False, von, zeit)

    def fb_handelnd(self, fb: int) -> tuple[int | None, dict[str, Any]]:
        """Wer für den Fachbereich handelt: das Konto `fachbereich` oder jemand per Antwortlink."""
        if fb == self.fb0:
            return self.s.fb_konto, {}
        return None, {"per_link": True, "name": "Sachbearbeitung", "kontakt": ""}

    def zeitpunkte(self, anzahl: int) -> list[tuple[datetime.date, int]]:
        """`anzahl` Erfassungszeitpunkte (Arbeitstag, Minute des Tages), aufsteigend: die ids
        folgen der Zeit wie im Betrieb."""
        tage = [t for t in self.kalender.tage if self.beginn <= t <= self.heute]
        schluessel = sorted(
            self.z.randrange(len(tage)) * 1440 + self.z.randrange(8 * 60, 17 * 60)
            for _ in range(anzahl)
        )
        return [(tage[k // 1440], k % 1440) for k in schluessel]

    def schreiben(self) -> None:
        for tabelle in self.tabellen:
            tabelle.schreiben()

    def nummer(self, jahr: int) -> tuple[int, str]:
        lauf = self.laufnummern.get(jahr, 0) + 1
        self.laufnummern[jahr] = lauf
        return lauf, f"{jahr}-{lauf:05d}"

    def ein_anliegen(self, tag: datetime.date, minute: int, *, lang: bool = False) -> None:
        z, s, k = self.z, self.s, self.kalender
        a_id = self.a_id
        self.a_id += 1
        erstellt = self.zeit(tag, minute // 60, minute % 60)
        jahr = tag.year
        lauf, nummer = self.nummer(jahr)
        alter = (self.heute - tag).days
        if lang:
            quartier = s.quartiere[0]
        else:
            quartier = z.choices(s.quartiere, weights=s.quartier_gewichte)[0]
        qm = s.qm if quartier in self.eigene else s.qm2
        thema_index = z.randrange(len(s.themen))
        thema, thema_fb = s.themen[thema_index]
        titel, beschreibung, ort = self.texte.anliegen(thema_index)
        if lang:
            titel = LANGER_TITEL
        m_id = None
        gewuenscht = einwilligung = False
        if z.random() < 0.7:
            m_id = self.m_id
            self.m_id += 1
            einwilligung = z.random() < 0.9
            gewuenscht = z.random() < 0.85
            name, email, telefon, anschrift = self.texte.person(m_id)
            kanal = _waehle({"email": 4, "telefon": 4, "persoenlich": 2, "brief": 1}, z)
            self.meldende.add(
                m_id, name, email, telefon, anschrift, einwilligung, gewuenscht,
                kanal if email or kanal != "email" else "telefon", erstellt,
            )  # fmt: skip
        for b in z.sample(s.bedarfe, _waehle({0: 30, 1: 50, 2: 20}, z)):
            self.bedarfe.add(a_id, b)
        self.ereignis(a_id, "erfasst", qm, erstellt, nummer=nummer)

        status, grund, abgeschlossen, offen_seit = "neu", "", None, None
        vermittelt = ""
        if lang:
            weg = "weiterleiten"
        elif alter < 14 and z.random() < 0.4:
            weg = ""
        else:
            weg = _waehle({"selbst": 25, "kontakt": 20, "bedarf": 10, "weiterleiten": 45}, z)
        if weg and weg != "weiterleiten":
            status = "in_bearbeitung"
            if weg == "kontakt":
                vermittelt = f"Beratungsstelle {z.choice(texte.STRASSEN)}"
            self.ereignis(a_id, "weg", qm, erstellt, weg=weg, vermittelt_an=vermittelt)
            schluss = 0.97 if alter > 90 else 0.8 if alter > 10 else 0.3
            if z.random() < schluss:
                ende = self.zeit(k.plus(tag, z.randrange(1, 10)), 15)
                if ende > erstellt:
                    status, abgeschlossen = "abgeschlossen", ende
                    grund = {
                        "selbst": "erledigt",
                        "kontakt": "kontakt_vermittelt",
                        "bedarf": "als_bedarf_erfasst",
                    }[weg]
        elif weg == "weiterleiten":
            status, grund, abgeschlossen, offen_seit = self._weiterleiten(
                a_id, tag, erstellt, alter, thema_fb, qm, m_id, gewuenscht, einwilligung, lang
            )
        for tage, quote in ((1, 0.45), (3, 0.15)):
            if z.random() < quote and not lang:
                zeit = max(self.zeit(k.plus(tag, tage), 12), erstellt)
                self.ereignis(a_id, "notiz", qm, zeit, text=z.choice(texte.NOTIZEN))
        if abgeschlossen:
            self.ereignis(
                a_id, "abgeschlossen", qm, abgeschlossen, grund=grund, ohne_rueckmeldung="",
                zurueckgezogen=[],
            )  # fmt: skip
        koordinaten = z.random() < 0.3
        self.anliegen.add(
            a_id, jahr, lauf, nummer, titel, beschreibung, quartier, ort,
            round(50.70 + z.random() * 0.12, 6) if koordinaten else None,
            round(6.00 + z.random() * 0.2, 6) if koordinaten else None,
            thema, _waehle({"beschwerde": 5, "idee": 2, "anfrage": 2, "bedarf": 1}, z),
            _waehle({"sprechstunde": 4, "buergersteig": 2, "telefon": 3, "email": 3,
                     "stadtteilkonferenz": 1, "veranstaltung": 1}, z),
            m_id, None, qm, status, weg, vermittelt, grund, "", erstellt, abgeschlossen,
            offen_seit, 0,
        )  # fmt: skip

    def _weiterleiten(
        self,
        a_id: int,
        tag: datetime.date,
        erstellt: datetime.datetime,
        alter: int,
        thema_fb: int,
        qm: int,
        m_id: int | None,
        gewuenscht: bool,
        einwilligung: bool,
        lang: bool,
    ) -> tuple[str, str, datetime.datetime | None, datetime.datetime | None]:
        """Weiterleitungen mit Antworten und Zusagen, Rückmeldung und Abschluss; gibt Status,
        Abschlussgrund, Abschluss und „Rückmeldung offen seit“ zurück."""
        z, s, k = self.z, self.s, self.kalender
        fbs = list(range(len(s.fachbereiche)))
        erster = thema_fb if z.random() < 0.8 else z.choice(fbs)
        ziele = [erster]
        if lang:
            ziele = [0, 1, 2]
        elif z.random() < 0.15:
            ziele.append(z.choice([f for f in fbs if f != erster]))
        letzte_antwort: datetime.datetime | None = None
        offen = False
        zurueck = 0
        for fb_index in ziele:
            fb, kuerzel = s.fachbereiche[fb_index]
            w_id = self.w_id
            self.w_id += 1
            w_tag = k.plus(tag, z.randrange(0, 3)) if alter > 3 else tag
            w_erstellt = max(self.zeit(w_tag, 10), erstellt)
            frist = k.plus(w_tag, 10)
            geteilt = einwilligung and z.random() < 0.3
            self.ereignis(
                a_id, "weitergeleitet", qm, w_erstellt, fachbereich=kuerzel,
                frist=frist.isoformat(), kontakt_geteilt=geteilt,
            )  # fmt: skip
            dauer = min(int(z.expovariate(1 / 7)), 60)
            antwort_tag = k.plus(w_tag, dauer)
            if lang and fb_index == 2:
                antwort_tag = self.heute + datetime.timedelta(days=1)
            if antwort_tag > self.heute:
                ergebnis = "in_bearbeitung" if z.random() < 0.5 else "offen"
            else:
                ergebnis = _waehle({"beantwortet": 85, "nicht_zustaendig": 12, "haengt": 3}, z)
                if ergebnis == "haengt":
                    ergebnis = "in_bearbeitung"
            von, link = self.fb_handelnd(fb)
            angenommen = lebenszeichen = beantwortet = None
            if ergebnis == "in_bearbeitung" or (ergebnis == "beantwortet" and z.random() < 0.6):
                a_tag = min(k.plus(w_tag, 1), antwort_tag, self.heute)
                angenommen = max(self.zeit(a_tag, 9), w_erstellt)
                lebenszeichen = angenommen
                self.ereignis(a_id, "angenommen", von, angenommen, fachbereich=kuerzel, **link)
            if ergebnis == "in_bearbeitung" and z.random() < 0.3 and angenommen:
                lebenszeichen = angenommen
                self.ereignis(
                    a_id, "zwischenbescheid", von, angenommen, fachbereich=kuerzel,
                    antwort="Wir prüfen das und melden uns.", **link,
                )  # fmt: skip
            if frist < min(antwort_tag, self.heute) and z.random() < 0.7:
                self.ereignis(
                    a_id, "erinnerung", None, self.zeit(k.plus(frist, 1), 7), art="frist",
                    bezug=frist.isoformat(), fachbereich=kuerzel,
                )  # fmt: skip
            entscheidung = antwort = hinweis = ""
            erwartet_am = None
            grund: tuple[int, str] | None = None
            zustaendig = None
            if ergebnis in ("beantwortet", "nicht_zustaendig"):
                beantwortet = max(self.zeit(antwort_tag, 14), angenommen or w_erstellt)
            if ergebnis == "beantwortet":
                assert beantwortet is not None
                entscheidung = _waehle(
                    {"umgesetzt": 40, "wird_umgesetzt": 25, "nicht_moeglich": 25}, z
                )
                antwort = z.choice(texte.ANTWORTEN)
                if entscheidung == "wird_umgesetzt":
                    erwartet_am = antwort_tag + datetime.timedelta(days=z.randrange(20, 120))
                if entscheidung == "nicht_moeglich":
                    grund = z.choice(s.gruende)
                letzte_antwort = max(letzte_antwort or beantwortet, beantwortet)
                self.ereignis(
                    a_id, "beantwortet", von, beantwortet, fachbereich=kuerzel,
                    entscheidung=entscheidung, antwort=antwort,
                    erwartet_am=erwartet_am.isoformat() if erwartet_am else "",
                    grund=grund[1] if grund else "", **link,
                )  # fmt: skip
            elif ergebnis == "nicht_zustaendig":
                assert beantwortet is not None
                zurueck += 1
                zustaendig = z.choice(s.fachbereiche)
                hinweis = "anderer Bereich"
                self.ereignis(
                    a_id, "zurueckgegeben", von, beantwortet, fachbereich=kuerzel,
                    zustaendig=zustaendig[1], hinweis=hinweis, **link,
                )  # fmt: skip
            else:
                offen = True
            self.weiterleitungen.add(
                w_id, a_id, fb, "Bitte prüfen und antworten.", frist, geteilt, ergebnis,
                entscheidung, antwort, erwartet_am, grund[0] if grund else None,
                zustaendig[0] if zustaendig else None, hinweis, qm, w_erstellt, angenommen,
                lebenszeichen, beantwortet,
                k.zwischen(w_tag, antwort_tag) if beantwortet else None,
                von if beantwortet else None,
                "Sachbearbeitung" if beantwortet and von is None else "", 0,
            )  # fmt: skip
            if erwartet_am and beantwortet:
                self._zusage(a_id, w_id, kuerzel, von, link, erwartet_am, beantwortet)

        status = "weitergeleitet" if offen else "antwort_liegt_vor"
        grund_ab = ""
        abgeschlossen = offen_seit = None
        if lang:
            self._langer_verlauf(a_id, tag, qm)
        if letzte_antwort is None:
            # nur Rückgaben: das QM schließt meist ab (nicht umsetzbar)
            if not offen and zurueck and alter > 30 and z.random() < 0.9:
                ende = self.zeit(k.plus(tag, 15), 16)
                return "abgeschlossen", "nicht_umsetzbar", ende, None
            return status, "", None, None
        if m_id is not None and gewuenscht:
            warte = min(int(z.expovariate(1 / 5)), 40)
            r_tag = k.plus(letzte_antwort.date(), warte)
            quote = 0.97 if alter > 60 else 0.85
            if r_tag <= self.heute and z.random() < quote and not lang:
                r_zeit = max(self.zeit(r_tag, 16), letzte_antwort)
                kanal = _waehle({"telefon": 5, "email": 4, "persoenlich": 2, "brief": 1}, z)
                if z.random() < 0.1:
                    text = "Nicht erreicht, neuer Versuch."
                    self.rueckmeldungen.add(a_id, text, kanal, False, r_zeit, qm, None)
                    self.ereignis(
                        a_id, "rueckmeldung", qm, r_zeit, kanal=kanal, erreicht=False, text=text
                    )
                text = "Die Antwort des Fachbereichs mitgeteilt."
                self.rueckmeldungen.add(
                    a_id, text, kanal, True, r_zeit, qm, k.zwischen(letzte_antwort.date(), r_tag)
                )
                self.ereignis(
                    a_id, "rueckmeldung", qm, r_zeit, kanal=kanal, erreicht=True, text=text
                )
                if not offen:
                    status, grund_ab = "abgeschlossen", "erledigt"
                    abgeschlossen = max(self.zeit(r_tag, 17), r_zeit)
            else:
                offen_seit = letzte_antwort
        elif not offen and z.random() < (0.95 if alter > 30 else 0.5):
            # anonym oder ohne Wunsch: keine Rückmeldung nötig
            status, grund_ab = "abgeschlossen", "erledigt"
            abgeschlossen = min(letzte_antwort + datetime.timedelta(days=2), self.jetzt)
        return status, grund_ab, abgeschlossen, offen_seit

    def _zusage(
        self,
        a_id: int,
        w_id: int,
        kuerzel: str,
        von: int | None,
        link: dict[str, Any],
        erwartet_am: datetime.date,
        beantwortet: datetime.datetime,
    ) -> None:
        z = self.z
        status, erledigt, grund = "offen", None, ""
        if erwartet_am < self.heute and z.random() < 0.8:
            status = _waehle({"eingehalten": 80, "entfallen": 20}, z)
            erledigt = self.zeit(erwartet_am, 12)
            if status == "eingehalten":
                self.ereignis(
                    a_id, "zusage_eingehalten", von, erledigt, fachbereich=kuerzel, text="", **link
                )
            else:
                grund = "Mittel gestrichen."
                self.ereignis(
                    a_id, "zusage_entfallen", von, erledigt, fachbereich=kuerzel, grund=grund,
                    **link,
                )  # fmt: skip
        self.zusagen.add(w_id, erwartet_am, erwartet_am, status, 0, grund, beantwortet, erledigt, 0)

    def _langer_verlauf(self, a_id: int, tag: datetime.date, qm: int) -> None:
        """Bis LANGER_VERLAUF Einträge: Notizen, Zwischenbescheide, Erinnerungen über die Zeit."""
        z = self.z
        bisher = sum(1 for e in self.ereignisse.zeilen if e[0] == a_id)
        spanne = max(1, (self.heute - tag).days)
        for i in range(LANGER_VERLAUF - bisher - 1):  # -1: der Stand am Ende
            t = tag + datetime.timedelta(days=1 + i * spanne // LANGER_VERLAUF)
            zeit = self.zeit(t, 8 + i % 9, i % 60)
            wahl = i % 10
            if wahl < 7:
                self.ereignis(a_id, "notiz", qm, zeit, text=z.choice(texte.NOTIZEN))
            elif wahl < 9:
                self.ereignis(
                    a_id, "erinnerung", None, zeit, art="wachhund", bezug=t.isoformat(),
                    fachbereich=self.s.fachbereiche[2][1],
                )  # fmt: skip
            else:
                von, link = self.fb_handelnd(self.s.fachbereiche[2][0])
                self.ereignis(
                    a_id, "zwischenbescheid", von, zeit, fachbereich=self.s.fachbereiche[2][1],
                    antwort="Wir sind weiter dran.", **link,
                )  # fmt: skip
        self.ereignis(a_id, "notiz", qm, self.zeit(self.heute, 8), text="Stand festgehalten.")

    def zaehler_setzen(self) -> None:
        for jahr, letzte in self.laufnummern.items():
            Zaehler.objects.update_or_create(jahr=jahr, defaults={"letzte": letzte})


# --- Ablauf ------------------------------------------------------------------------------


@dataclass
class Ergebnis:
    zeilen: dict[str, int]
    sekunden: float
    fakten: bool


def erzeugen(
    anzahl: int,
    *,
    jahre: int = 3,
    export_zeilen: int | None = None,
    saat: int = 20261204,
    indizes_spaeter: bool = False,
    analysieren: bool = False,
    melden: Callable[[str], None] = print,
) -> Ergebnis:
    """Schreibt `anzahl` Anliegen (mindestens eins: das mit langem Verlauf) und alles, was
    dazugehört, in die Datenbank der Verbindung `default` (siehe Moduldokumentation).

    `indizes_spaeter`: auf PostgreSQL Sekundärindizes und Fremdschlüssel vorher entfernen und
    danach neu anlegen (schneller für große N; nur für eine Datenbank, die sonst niemand
    benutzt).
    `analysieren`: danach VACUUM ANALYZE (nur außerhalb einer Transaktion)."""
    start = time.perf_counter()
    zufall = random.Random(saat)
    if export_zeilen is None:
        export_zeilen = min(100_000, max(100, anzahl // 10))
    s = stammdaten(zufall)
    erzeuger = Erzeuger(s, zufall, jahre)
    pg = connection.vendor == "postgresql"
    definitionen: list[str] = []
    if pg and indizes_spaeter:
        grosse = [t.name for t in erzeuger.tabellen] + [
            m._meta.db_table
            for m in (Akteur, Akteur.quartiere.through, Akteur.zielgruppen.through)
            + (Lebensraum, Kennzahl)
        ]
        definitionen = indizes_weglassen(grosse)
        definitionen += fremdschluessel_weglassen(grosse)
    exportdaten(export_zeilen, s, zufall, erzeuger.jetzt)
    melden(f"  {export_zeilen} Akteure und Lebensräume ({time.perf_counter() - start:.0f} s)")

    zeitpunkte = erzeuger.zeitpunkte(max(1, anzahl))
    for i, (tag, minute) in enumerate(zeitpunkte):
        erzeuger.ein_anliegen(tag, minute, lang=i == 0)
        if (i + 1) % BLOCK == 0 or i + 1 == len(zeitpunkte):
            erzeuger.schreiben()
            melden(f"  … {i + 1} Anliegen ({time.perf_counter() - start:.0f} s)")
    for tabelle in (erzeuger.anliegen, erzeuger.meldende, erzeuger.weiterleitungen):
        tabelle.sequenz_nachziehen()
    erzeuger.zaehler_setzen()
    if definitionen:
        t = time.perf_counter()
        indizes_anlegen(definitionen)
        melden(
            f"  {len(definitionen)} Indizes und Fremdschlüssel angelegt "
            f"({time.perf_counter() - t:.0f} s)"
        )
    if pg and analysieren:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM setzt die Sichtbarkeitskarte (wie autovacuum im Betrieb): Index Only Scans.
            cursor.execute("VACUUM ANALYZE")
        melden(f"  VACUUM ANALYZE ({time.perf_counter() - t:.0f} s)")
    fakten = "fakten_aufbauen" in get_commands()
    if fakten:
        t = time.perf_counter()
        call_command("fakten_aufbauen")
        if pg and analysieren:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # auch die neuen Fakten
        melden(f"  fakten_aufbauen ({time.perf_counter() - t:.0f} s)")
    zeilen = {t.name: t.geschrieben for t in erzeuger.tabellen}
    return Ergebnis(zeilen, time.perf_counter() - start, fakten)


def main() -> None:
    assert ARGS is not None
    call_command("migrate", verbosity=0)
    print(f"Erzeuge {ARGS.anzahl} Anliegen über {ARGS.jahre} Jahre in {connection.vendor} …")
    ergebnis = erzeugen(
        ARGS.anzahl,
        jahre=ARGS.jahre,
        export_zeilen=ARGS.export_zeilen,
        saat=ARGS.saat,
        indizes_spaeter=True,
        analysieren=True,
    )
    print(
        f"Fertig in {ergebnis.sekunden:.0f} s: "
        + ", ".join(f"{n} {name}" for name, n in ergebnis.zeilen.items())
    )


if __name__ == "__main__":
    main()
