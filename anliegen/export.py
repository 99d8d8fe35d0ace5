"""Export der gefilterten Anliegen-Liste (CSV und XLSX), sofort oder im Hintergrund.

Dieselbe Auswahl wie die Liste: `permissions.sichtbare_anliegen`, dieselben Filter und
Sortierungen (`filters.AnliegenFilter`). Personendaten der meldenden Person gehören nicht in
einen Export (DESIGN.md: Planende sehen sie nie; eine Datei verlässt die Anwendung und ihre
Rechteprüfung): keine Spalte nennt sie, für jede Rolle. Freitexte (Titel, Ort) sind maskiert wie
in der Liste, für alle, die die Person nicht sehen dürfen (`datenschutz.maske_fuer`).

Die Zeilen kommen als Iterator in Blöcken von `BLOCK` Anliegen (eine Abfrage je Block für die
Weiterleitungen): der Speicher bleibt auch bei 100.000 Zeilen flach.
"""

from collections.abc import Iterator
from types import SimpleNamespace

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartier.exporte import Quelle
from quartier.models import User
from quartier.permissions import hat_rolle
from quartier.tabellen import DATUM, TEXT, Spalte, Tabelle

from .datenschutz import maske_fuer
from .filters import AnliegenFilter
from .models import Anliegen, Weiterleitung, rueckmeldung_stichtag
from .permissions import personendaten_ausdruck, sichtbare_anliegen

BLOCK = 1000


def auswahl(person: User, daten: QueryDict) -> QuerySet[Anliegen]:
    """Die Anliegen der Liste mit diesen Filtern (GET-Parameter mit den Vorgaben der Liste),
    mit dem Recht auf Personendaten je Zeile (für die Maske)."""
    basis = sichtbare_anliegen(person).annotate(
        personendaten_sichtbar=personendaten_ausdruck(person)
    )
    filter_ = AnliegenFilter(daten, queryset=basis, request=SimpleNamespace(user=person))
    qs: QuerySet[Anliegen] = filter_.qs
    return qs


def spalten() -> list[Spalte]:
    return [
        Spalte("nummer", _("Nummer")),
        Spalte("erfasst", _("Erfasst am"), DATUM),
        Spalte("quartier", _("Quartier")),
        Spalte("thema", _("Thema")),
        Spalte("status", _("Status")),
        Spalte("titel", _("Titel")),
        Spalte("ort", _("Ort")),
        Spalte("fachbereiche", _("Fachbereiche")),
        Spalte("frist", _("Nächste Frist"), DATUM),
        Spalte("antwort_ueberfaellig", _("Antwort überfällig"), TEXT),
        Spalte("rueckmeldung_ueberfaellig", _("Rückmeldung überfällig"), TEXT),
        Spalte("abgeschlossen", _("Abgeschlossen am"), DATUM),
        Spalte("abschlussgrund", _("Abschlussgrund")),
    ]


def _zeilen(anliegen: QuerySet[Anliegen]) -> Iterator[dict[str, object]]:
    heute = timezone.localdate()
    rueckmeldung_bis = rueckmeldung_stichtag(heute)
    qs = anliegen.select_related("quartier", "thema", "meldende").prefetch_related(
        Prefetch(
            "weiterleitungen",
            queryset=Weiterleitung.objects.select_related("fachbereich").order_by(
                "fachbereich__kuerzel", "pk"
            ),
        )
    )
    for a in qs.iterator(chunk_size=BLOCK):
        maske = maske_fuer(a.personendaten_sichtbar, a.meldende)  # type: ignore[attr-defined]
        weiterleitungen = list(a.weiterleitungen.all())
        offene = [w for w in weiterleitungen if w.ist_offen]
        offen_seit = a.rueckmeldung_offen_seit
        yield {
            "nummer": a.nummer,
            "erfasst": timezone.localdate(a.erstellt_am),
            "quartier": a.quartier.name,
            "thema": a.thema.name,
            "status": a.get_status_display(),
            "titel": maske(a.titel) if maske else a.titel,
            "ort": maske(a.ort) if maske else a.ort,
            "fachbereiche": ", ".join(
                dict.fromkeys(w.fachbereich.kuerzel for w in weiterleitungen)
            ),
            "frist": min((w.frist for w in offene), default=None),
            "antwort_ueberfaellig": any(w.frist < heute for w in offene),
            "rueckmeldung_ueberfaellig": bool(
                offen_seit and timezone.localdate(offen_seit) < rueckmeldung_bis
            ),
            "abgeschlossen": (
                timezone.localdate(a.abgeschlossen_am) if a.abgeschlossen_am else None
            ),
            "abschlussgrund": a.get_abschlussgrund_display() if a.abschlussgrund else "",
        }


def tabelle(person: User, daten: QueryDict) -> Tabelle:
    return Tabelle(_("Anliegen"), spalten(), _zeilen(auswahl(person, daten)))


def zeilen(person: User, daten: QueryDict, hoechstens: int | None) -> int:
    qs = auswahl(person, daten).order_by()
    return (qs[:hoechstens] if hoechstens else qs).count()


ANLIEGEN_EXPORT = Quelle(
    name="anliegen_liste",
    titel=gettext_lazy("Anliegen (gefilterte Liste)"),
    darf=hat_rolle,
    tabelle=tabelle,
    zeilen=zeilen,
)
