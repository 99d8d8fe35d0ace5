"""Ganzzahl-Vergleiche mit Werten außerhalb des Bereichs der Datenbank: leer statt Absturz.

SQLite speichert höchstens 64-Bit-Ganzzahlen; eine id wie 2**64 in einer Abfrage wirft dort
`OverflowError` (PostgreSQL vergleicht sie als numeric). Django fängt das selbst nur für
`exact`, `gt`, `lt` … auf Ganzzahlfeldern ab (`IntegerFieldOverflow`), nicht für `in` und
nicht für Fremdschlüssel. Weil jede Auswahl in Formularen, Filtern (django-filter) und der
Verwaltung über diese Lookups prüft, ob die id existiert, wird aus einer solchen id so überall
„ungültige Auswahl“ – ohne dass ein Formular etwas davon wissen muss.

`registrieren()` läuft einmal in `QuartierConfig.ready()`.
"""

import copy
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldError
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In, Lookup


def _bereich(lookup: Lookup, connection: Any) -> tuple[int | None, int | None] | None:
    """(kleinster, größter) Wert der Spalte links, None bei Nicht-Ganzzahlspalten."""
    feld = lookup.lhs.output_field
    try:
        feld = getattr(feld, "target_field", None) or feld  # Fremdschlüssel → Zielspalte
    except FieldError:  # Beziehung über mehrere Spalten: nicht unser Fall
        return None
    if not isinstance(feld, IntegerField):
        return None
    try:
        return connection.ops.integer_field_range(feld.get_internal_type())
    except KeyError:  # pragma: no cover – eigene Feldtypen ohne bekannte Spaltenbreite
        return None


def _im_bereich(wert: object, bereich: tuple[int | None, int | None]) -> bool:
    if not isinstance(wert, int) or isinstance(wert, bool):
        return True
    kleinster, groesster = bereich
    return (kleinster is None or wert >= kleinster) and (groesster is None or wert <= groesster)


class GanzzahlIn(In):
    """`in`: Werte außerhalb des Bereichs fallen weg (sie können nie gleich sein)."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and not isinstance(self.rhs, str):
            bereich = _bereich(self, connection)
            if bereich is not None:
                werte = list(self.rhs)
                passend = [w for w in werte if _im_bereich(w, bereich)]
                if len(passend) != len(werte):
                    # Kopie statt Änderung: derselbe Lookup kann mehrmals übersetzt werden.
                    kopie = copy.copy(self)
                    kopie.rhs = passend
                    return super(GanzzahlIn, kopie).process_rhs(compiler, connection)
        return super().process_rhs(compiler, connection)


class FremdschluesselIn(GanzzahlIn, RelatedIn):
    """Dasselbe für Fremdschlüssel (`quartier__in=[…]`, `quartier_id__in=[…]`)."""


class FremdschluesselExact(RelatedExact):
    """`fremdschluessel=2**64`: findet nichts (wie Djangos `exact` auf Ganzzahlfeldern)."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            bereich = _bereich(self, connection)
            if bereich is not None and not _im_bereich(self.rhs, bereich):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def registrieren() -> None:
    IntegerField.register_lookup(GanzzahlIn)
    ForeignObject.register_lookup(FremdschluesselIn)
    ForeignObject.register_lookup(FremdschluesselExact)
