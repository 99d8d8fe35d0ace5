"""Die Suche der Anliegen-Liste (Feld „Suche“, `filters.AnliegenFilter.suche`).

1. Eine Fallnummer („2026-00042“, auch „2026-42“ oder „2026/42“) wird zuerst exakt gesucht
   (eindeutiger Index auf `nummer`). Trifft sie ein Anliegen, das die Person sehen darf, ist
   es der einzige Treffer: wer eine Nummer eintippt, will diesen Fall, nicht die Anliegen, die
   ihn in der Beschreibung erwähnen. Eine fremde oder unbekannte Nummer verrät nichts: es geht
   weiter mit 2.
2. Sonst Teilwort ohne Groß/klein in Nummer, Titel, Beschreibung und Ort (`icontains`, wie
   bisher; „seit tagen“ findet „Seit Tagen“). Auf PostgreSQL bedienen das GIN-Indizes mit
   `gin_trgm_ops` auf genau den Ausdrücken, die das ORM erzeugt (`UPPER(spalte::text)`,
   Migration `0012_suche_indizes`). Dazu auf PostgreSQL der Volltext mit deutscher
   Konfiguration über Titel, Beschreibung und Ort (ebenfalls ein GIN-Index), für Eingaben aus
   einem Wort: „Schlaglöcher“ findet „Schlagloch“. SQLite kennt nur die Teilwortsuche, ohne
   Index (richtig, nur langsamer).
3. Wer die Personendaten nicht sehen darf, findet ein Anliegen nicht über Werte der meldenden
   Person (`datenschutz.ohne_maskierte_treffer`), auch nicht über eine Wortform im Volltext.
"""

import functools
import operator
import re

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connections
from django.db.models import Q, QuerySet

from quartier.models import User

from .datenschutz import ohne_maskierte_treffer
from .permissions import personendaten_ausdruck

# Länger sucht niemand von Hand; eine längere Eingabe ist eine Meldung, kein 500.
HOECHSTENS_ZEICHEN = 200

# Die Felder der Textsuche (Teilwort) und des Volltexts.
TEXTFELDER = ("nummer", "titel", "beschreibung", "ort")
VOLLTEXTFELDER = ("titel", "beschreibung", "ort")
VOLLTEXT_KONFIGURATION = "german"

_NUMMER = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,9})")


class SucheZuLang(ValueError):
    """Der Suchbegriff ist länger als `HOECHSTENS_ZEICHEN`."""


def fallnummer(begriff: str) -> str | None:
    """Die Fallnummer in der Schreibweise von `workflow.erfassen` (`{jahr}-{laufnummer:05d}`),
    wenn der Begriff eine ist; sonst None."""
    treffer = _NUMMER.fullmatch(begriff.strip())
    if not treffer:
        return None
    jahr, laufnummer = treffer.groups()
    return f"{jahr}-{int(laufnummer):05d}"


def volltext_vektor(*felder: str) -> SearchVector:
    """Der Ausdruck des Volltextindexes. Nicht ändern, ohne den Index (Migration
    `0012_suche_indizes`) mitzuändern: PostgreSQL nutzt ihn nur für genau diesen Ausdruck."""
    return SearchVector(*(felder or VOLLTEXTFELDER), config=VOLLTEXT_KONFIGURATION)


def _volltext(qs: QuerySet) -> bool:
    return connections[qs.db].vendor == "postgresql"


def anliegen_suchen(qs: QuerySet, begriff: str, *, user: User) -> QuerySet:
    """Die Treffer für `begriff` in `qs` (schon auf das Sichtbare beschränkt). Ein leerer
    Begriff lässt `qs` unverändert; ein zu langer wirft `SucheZuLang`."""
    begriff = begriff.strip()
    if not begriff:
        return qs
    if len(begriff) > HOECHSTENS_ZEICHEN:
        raise SucheZuLang(begriff)
    if (nummer := fallnummer(begriff)) is not None:
        exakt = qs.filter(nummer=nummer)
        # Eine Abfrage über den eindeutigen Index; nur was `qs` zeigt, zählt.
        if exakt.exists():
            return exakt
    bedingung = functools.reduce(
        operator.or_, (Q(**{f"{feld}__icontains": begriff}) for feld in TEXTFELDER)
    )
    # Volltext nur für ein einzelnes Wort: dessen Häufigkeit kennt PostgreSQL aus der Statistik
    # des Indexes. Bei mehreren Wörtern multipliziert der Planer ihre Häufigkeiten („Kirchgasse“
    # 10 %, „17“ 5 %), überschätzt seltene Kombinationen und läuft dann den Index der Sortierung
    # entlang, mit to_tsvector je Zeile (300.000 Zeilen: 7 s statt 40 ms). Mehrere Wörter
    # sucht deshalb nur die Teilwortsuche, als Wortfolge.
    einzelwort = len(re.findall(r"\w+", begriff)) == 1
    volltext = VOLLTEXT_KONFIGURATION if einzelwort and _volltext(qs) else ""
    if volltext:
        anfrage = SearchQuery(begriff, config=VOLLTEXT_KONFIGURATION)
        bedingung |= Q(SearchVectorExact(volltext_vektor(), anfrage))
    treffer = qs.filter(bedingung)
    if "personendaten_sichtbar" not in treffer.query.annotations:
        treffer = treffer.annotate(personendaten_sichtbar=personendaten_ausdruck(user))
    return ohne_maskierte_treffer(treffer, begriff, volltext=volltext)
