"""Blättern ohne OFFSET („Keyset“ oder „seek“) und eine begrenzte Anzahl für große Listen.

Eine Seite beginnt nicht bei „Zeile 25.000“, sondern hinter (oder vor) den Schlüsselwerten der
Grenzzeile der vorigen Seite: `WHERE (erstellt_am, id) < (…, …) ORDER BY erstellt_am DESC, id
DESC LIMIT 51`. Mit einem Index auf genau diese Spalten liest die Datenbank dann 51 Zeilen, ganz
gleich wie tief die Seite liegt. Die letzte Seite ist die umgekehrte Sortierung, von vorn
gelesen und wieder umgedreht.

Der Zeiger (`blatt` im URL) ist undurchsichtig: base64 eines kleinen JSON mit der Kennung der
Sortierung, der Richtung und den Schlüsselwerten. Wer ihn verändert, bekommt eine Meldung und
die erste Seite (`Blatt.fehler`), nie einen Fehler 500: jeder Wert wird gegen das Feld geprüft
(Typ, Zahlenbereich der Datenbank, Länge), bevor er in eine Abfrage geht.

Die Schlüssel müssen zusammen eindeutig sein (zuletzt der Primärschlüssel) und dürfen nicht
NULL sein. Gleich gerichtete Schlüssel nacheinander werden als Zeilenvergleich `(a, b) < (x, y)`
geschrieben, den PostgreSQL (und SQLite ≥ 3.15) als Bereich eines Index liest; wechselt die
Richtung, entsteht ein `OR` der Stufen mit einer Schranke der ersten Stufe davor, damit der Index
trotzdem den Einstieg findet.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import (
    BooleanField,
    Expression,
    F,
    Field,
    GeneratedField,
    Model,
    OrderBy,
    Q,
    QuerySet,
    Value,
)
from django.db.models.sql.compiler import SQLCompiler
from django.http import QueryDict
from django.utils.translation import gettext as _

# Höchstens so viele Treffer werden gezählt; darüber heißt es „mehr als 10.000“.
ZAEHLGRENZE = 10_000
# Der GET-Parameter des Zeigers
BLATT = "blatt"
# Der Wert des Parameters für die letzte Seite (lesbar, kein Zeiger nötig).
LETZTE = "letzte"
# Ein Zeiger ist kurz; alles Längere ist sicher manipuliert (und wird gar nicht erst dekodiert).
_HOECHSTLAENGE = 2000

Richtung = Literal["nach", "vor"]
M = TypeVar("M", bound=Model)


class UngueltigerZeiger(ValueError):
    pass


@dataclass(frozen=True)
class Schluessel:
    """Ein Sortierschlüssel: ORM-Pfad (`erstellt_am`, `quartier__name`, `pk`) und Richtung."""

    pfad: str
    absteigend: bool = False

    def ordnung(self, *, umgekehrt: bool = False) -> OrderBy:
        if self.absteigend != umgekehrt:
            return F(self.pfad).desc()
        return F(self.pfad).asc()


def absteigend(pfad: str) -> Schluessel:
    return Schluessel(pfad, absteigend=True)


def aufsteigend(pfad: str) -> Schluessel:
    return Schluessel(pfad)


@dataclass
class Blatt(Generic[M]):
    """Eine Seite: ihre Zeilen und die Zeiger der Nachbarseiten (None: keine solche Seite)."""

    zeilen: list[M]
    vorige: str | None = None
    naechste: str | None = None
    # Es gibt Seiten davor (dann auch „Erste Seite“) bzw. danach (dann auch „Letzte Seite“).
    hat_vorige: bool = False
    hat_naechste: bool = False
    fehler: str | None = None


class _Zeilenvergleich(Expression):
    """`(a, b, …) <op> (x, y, …)` als Bedingung für `filter()`."""

    conditional = True

    def __init__(self, links: Sequence[Any], op: str, rechts: Sequence[Any]) -> None:
        super().__init__(output_field=BooleanField())
        self.links = list(links)
        self.op = op
        self.rechts = list(rechts)

    def get_source_expressions(self) -> list[Any]:
        return [*self.links, *self.rechts]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        n = len(self.links)
        self.links, self.rechts = list(exprs[:n]), list(exprs[n:])

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        teile: list[str] = []
        params: list[Any] = []
        for seite in (self.links, self.rechts):
            sqls = []
            for ausdruck in seite:
                sql, p = compiler.compile(ausdruck)
                sqls.append(sql)
                params.extend(p)
            teile.append(f"({', '.join(sqls)})")
        return f"{teile[0]} {self.op} {teile[1]}", params


def _feld(modell: type[Model], pfad: str) -> Field:
    """Das Feld am Ende eines ORM-Pfads; bei einem Fremdschlüssel das Zielfeld (sein Wert)."""
    teile = pfad.split("__")
    for teil in teile[:-1]:
        ziel = modell._meta.get_field(teil).related_model
        if not (isinstance(ziel, type) and issubclass(ziel, Model)):
            raise TypeError(f"{pfad}: {teil} ist keine Beziehung")
        modell = ziel
    letzt: object = modell._meta.pk if teile[-1] == "pk" else modell._meta.get_field(teile[-1])
    if isinstance(letzt, Field) and letzt.is_relation:
        letzt = getattr(letzt, "target_field", None)
    if isinstance(letzt, GeneratedField):
        letzt = letzt.output_field
    if not isinstance(letzt, Field):
        raise TypeError(f"{pfad} ist kein Feld")
    return letzt


def _wert(objekt: Model, pfad: str) -> Any:
    wert: Any = objekt
    for teil in pfad.split("__"):
        wert = getattr(wert, teil)
    return wert


def _kodieren(wert: Any) -> Any:
    if isinstance(wert, datetime.datetime | datetime.date):
        return wert.isoformat()
    return wert


def _dekodieren(feld: Field, roh: Any) -> Any:
    """Prüft einen Wert aus dem Zeiger gegen das Feld; alles Unpassende ist ungültig."""
    typ = feld.get_internal_type()
    if typ == "DateTimeField":
        if not isinstance(roh, str):
            raise UngueltigerZeiger
        wert = datetime.datetime.fromisoformat(roh)
        if wert.tzinfo is None:
            raise UngueltigerZeiger
        return wert
    if typ == "DateField":
        if not isinstance(roh, str):
            raise UngueltigerZeiger
        return datetime.date.fromisoformat(roh)
    if typ == "BooleanField":
        if not isinstance(roh, bool):
            raise UngueltigerZeiger
        return roh
    if typ.endswith("IntegerField") or typ.endswith("AutoField"):
        if not isinstance(roh, int) or isinstance(roh, bool):
            raise UngueltigerZeiger
        # Die Bereiche der Felder (wie PostgreSQL sie prüft; SQLite prüft keine, dort wäre
        # eine Zahl über 64 Bit ein OverflowError des Treibers).
        unten, oben = BaseDatabaseOperations.integer_field_ranges[typ]
        if not unten <= roh <= oben:
            raise UngueltigerZeiger
        return roh
    if typ in ("CharField", "TextField", "SlugField"):
        if not isinstance(roh, str) or len(roh) > (feld.max_length or 1000) or "\x00" in roh:
            raise UngueltigerZeiger
        return roh
    raise UngueltigerZeiger  # ein Feldtyp, für den hier keine Prüfung steht


def zeiger(
    kennung: str, richtung: Richtung, schluessel: Sequence[Schluessel], objekt: Model
) -> str:
    """Der Zeiger auf die Seite nach (oder vor) `objekt`."""
    daten = {
        "k": kennung,
        "r": richtung,
        "w": [_kodieren(_wert(objekt, s.pfad)) for s in schluessel],
    }
    roh = json.dumps(daten, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(roh).decode().rstrip("=")


def zeiger_lesen(
    modell: type[Model], kennung: str, schluessel: Sequence[Schluessel], text: str
) -> tuple[Richtung, list[Any]]:
    """Richtung und Schlüsselwerte aus einem Zeiger; `UngueltigerZeiger` bei allem Unpassenden
    (kaputtes base64 oder JSON, andere Sortierung, falsche Zahl oder Art der Werte)."""
    if len(text) > _HOECHSTLAENGE:
        raise UngueltigerZeiger
    try:
        roh = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        daten = json.loads(roh.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as fehler:
        raise UngueltigerZeiger from fehler
    if not isinstance(daten, dict) or daten.get("k") != kennung:
        raise UngueltigerZeiger
    richtung = daten.get("r")
    werte = daten.get("w")
    if richtung not in ("nach", "vor") or not isinstance(werte, list):
        raise UngueltigerZeiger
    if len(werte) != len(schluessel):
        raise UngueltigerZeiger
    try:
        paare = zip(schluessel, werte, strict=True)
        geprueft = [_dekodieren(_feld(modell, s.pfad), w) for s, w in paare]
    except (ValueError, TypeError, OverflowError) as fehler:
        raise UngueltigerZeiger from fehler
    return richtung, geprueft


def _hinter(
    modell: type[Model], schluessel: Sequence[Schluessel], werte: Sequence[Any], umgekehrt: bool
) -> Q:
    """Die Bedingung „kommt in der (ggf. umgekehrten) Sortierung nach diesen Werten“."""
    # Stufen gleicher Richtung: [(absteigend, [(pfad, wert), …]), …]
    stufen: list[tuple[bool, list[tuple[str, Any]]]] = []
    for s, w in zip(schluessel, werte, strict=True):
        ab = s.absteigend != umgekehrt
        if stufen and stufen[-1][0] == ab:
            stufen[-1][1].append((s.pfad, w))
        else:
            stufen.append((ab, [(s.pfad, w)]))

    def vergleich(ab: bool, paare: list[tuple[str, Any]], gleich: bool = False) -> Q:
        op = ("<" if ab else ">") + ("=" if gleich else "")
        if len(paare) == 1:
            lookup = {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}[op]
            pfad, wert = paare[0]
            return Q(**{f"{pfad}__{lookup}": wert})
        return Q(
            _Zeilenvergleich(
                [F(p) for p, _w in paare],
                op,
                [Value(w, output_field=_feld(modell, p)) for p, w in paare],
            )
        )

    bedingung = Q()
    gleich_davor = Q()
    for ab, paare in stufen:
        bedingung |= gleich_davor & vergleich(ab, paare)
        gleich_davor &= Q(**dict(paare))
    if len(stufen) > 1:
        # Schranke der ersten Stufe: gibt dem Index den Einstieg (das OR allein liest er nicht).
        ab, paare = stufen[0]
        bedingung = vergleich(ab, paare, gleich=True) & bedingung
    return bedingung


def blaettern(
    qs: QuerySet[M],
    schluessel: Sequence[Schluessel],
    parameter: str | None,
    *,
    kennung: str,
    groesse: int = 50,
    zweistufig: bool = False,
) -> Blatt[M]:
    """Eine Seite von `qs` in der Sortierung `schluessel`; `parameter`: der Wert von `blatt`
    (leer: erste Seite, `LETZTE`: letzte Seite, sonst ein Zeiger aus `zeiger`). Eine Abfrage
    (bei einem Zeiger hinter das Ende: eine zweite für die erste Seite).

    `zweistufig`: erst nur die Primärschlüssel der Seite, dann die Zeilen mit allem, was `qs`
    dazu lädt (als Unterabfrage, keine Abfrage mehr). Für Sortierungen, die die Datenbank
    gruppenweise nachsortiert (Schlüssel aus einer anderen Tabelle, z. B. der Quartiername):
    dann sortiert sie nur Schlüssel aus dem Index, statt jede Zeile der Gruppe mit allen Joins
    zu lesen."""
    modell = qs.model
    fehler = None
    modus: Literal["erste", "nach", "vor", "letzte"] = "erste"
    werte: list[Any] = []
    if parameter == LETZTE:
        modus = "letzte"
    elif parameter:
        try:
            modus, werte = zeiger_lesen(modell, kennung, schluessel, parameter)
        except UngueltigerZeiger:
            fehler = _(
                "Der Link zu dieser Seite der Liste ist ungültig oder veraltet. "
                "Angezeigt wird die erste Seite."
            )
    umgekehrt = modus in ("vor", "letzte")
    auswahl = qs.order_by(*(s.ordnung(umgekehrt=umgekehrt) for s in schluessel))
    if werte:
        auswahl = auswahl.filter(_hinter(modell, schluessel, werte, umgekehrt))
    if zweistufig:
        # in einer Abfrage: WHERE id IN (SELECT id … ORDER BY … LIMIT n), außen nur n Zeilen
        # sortiert
        seite = auswahl.values("pk")[: groesse + 1]
        zeilen = list(
            qs.filter(pk__in=seite).order_by(*(s.ordnung(umgekehrt=umgekehrt) for s in schluessel))
        )
    else:
        zeilen = list(auswahl[: groesse + 1])
    if not zeilen and modus in ("nach", "vor"):
        # Hinter dem Ende (die Zeilen dazwischen sind weg): wieder von vorn.
        return blaettern(
            qs, schluessel, None, kennung=kennung, groesse=groesse, zweistufig=zweistufig
        )
    mehr = len(zeilen) > groesse
    zeilen = zeilen[:groesse]
    if umgekehrt:
        zeilen.reverse()
    hat_vorige = mehr if umgekehrt else modus == "nach"
    hat_naechste = modus == "vor" or (mehr and not umgekehrt)
    blatt = Blatt(zeilen=zeilen, hat_vorige=hat_vorige, hat_naechste=hat_naechste, fehler=fehler)
    if zeilen and hat_vorige:
        blatt.vorige = zeiger(kennung, "vor", schluessel, zeilen[0])
    if zeilen and hat_naechste:
        blatt.naechste = zeiger(kennung, "nach", schluessel, zeilen[-1])
    return blatt


def begrenzt_zaehlen(qs: QuerySet[Any], grenze: int) -> tuple[int, bool]:
    """Zählt höchstens `grenze + 1` Treffer (`SELECT COUNT(*) FROM (… LIMIT grenze + 1)`,
    üblich `grenze=ZAEHLGRENZE`): die Zahl und ob es mehr als `grenze` sind. Ohne Sortierung
    und nur mit dem Primärschlüssel, damit die Datenbank nichts sortiert und keine Spalten
    liest."""
    anzahl = qs.order_by().values("pk")[: grenze + 1].count()
    return min(anzahl, grenze), anzahl > grenze


def blaetterlinks(daten: QueryDict, blatt: Blatt[Any]) -> dict[str, str | None]:
    """Die Links der Blätterleiste (`daten`: alle Filter und die Sortierung); None: kein Link
    (am Anfang keine erste und vorige, am Ende keine nächste und letzte Seite)."""
    parameter = daten.copy()
    parameter.pop(BLATT, None)

    def link(wert: str | None) -> str:
        p = parameter.copy()
        if wert:
            p[BLATT] = wert
        kodiert = p.urlencode()
        return f"?{kodiert}" if kodiert else "?"

    return {
        "erste": link(None) if blatt.hat_vorige else None,
        "vorige": link(blatt.vorige) if blatt.vorige else None,
        "naechste": link(blatt.naechste) if blatt.naechste else None,
        "letzte": link(LETZTE) if blatt.hat_naechste else None,
    }
