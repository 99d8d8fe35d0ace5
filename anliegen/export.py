"""Export der gefilterten Anliegen-Liste (CSV und XLSX), sofort oder im Hintergrund.

Dieselbe Auswahl wie die Liste: `permissions.sichtbare_anliegen`, dieselben Filter und
Sortierungen (`filters.AnliegenFilter`). Personendaten der meldenden Person gehören nicht in
einen Export (DESIGN.md: Planende sehen sie nie; eine Datei verlässt die Anwendung und ihre
Rechteprüfung): keine Spalte nennt sie, für jede Rolle. Freitexte (Titel, Ort) sind maskiert wie
in der Liste, für alle, die die Person nicht sehen dürfen (`datenschutz.maske_fuer`).

Die Zeilen kommen als Iterator in Blöcken von `BLOCK` Anliegen (eine Abfrage je Block für die
Weiterleitungen, als Werte statt Modellobjekte): der Speicher bleibt auch bei 100.000 Zeilen flach.
"""

import datetime
import re
from collections.abc import Iterator
from types import SimpleNamespace

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartier.exporte import Quelle
from quartier.models import User
from quartier.permissions import hat_rolle
from quartier.tabellen import DATUM, TEXT, Spalte, Tabelle, bloecke

from .datenschutz import _STRASSE, maske_fuer
from .filters import AnliegenFilter
from .models import (
    OFFENE_WSTATUS,
    Abschlussgrund,
    Anliegen,
    Meldende,
    Status,
    Weiterleitung,
    rueckmeldung_stichtag,
)
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


def _koennte_nennen(text: str, meldende: Meldende) -> bool:
    """Kann die Maske dieser Person in `text` etwas finden? Eine billige, großzügige Vorprüfung
    (Teilzeichenketten ohne Groß/klein, Ziffern der Telefonnummer), damit der reguläre Ausdruck
    je Person nur für Texte entsteht, die sie nennen könnten: bei 100.000 Zeilen mit ebenso vielen
    Personen kostet das Übersetzen der Ausdrücke sonst Minuten. Nie „nein“, wo die Maske träfe:
    jeder Treffer der Maske enthält einen ganzen Wert, einen Namensteil, den Straßennamen der
    Anschrift oder die Ziffern der Telefonnummer."""
    klein = text.casefold()
    # ganze Werte und Straßennamen (ohne „straße“/„str.“) in jeder Länge, Namensteile ab 3
    werte = [meldende.name, meldende.email, meldende.telefon, meldende.anschrift]
    for teil in re.split(r"[,\n]+", meldende.anschrift):
        if treffer := re.fullmatch(r"\s*(\D*[^\W\d_]\.?)\s*(\d+\s*[a-zA-Z]?)\s*", teil):
            strasse = treffer.group(1).strip()
            endung = _STRASSE.search(strasse)
            werte.append(strasse[: endung.start()] if endung else strasse)
    namensteile = [t.strip(".-") for t in re.split(r"[\s,\-]+", meldende.name)]
    if any(w.strip() and w.strip().casefold() in klein for w in werte) or any(
        len(t) >= 3 and t.casefold() in klein for t in namensteile
    ):
        return True
    # Telefon in jeder Schreibweise: die letzten fünf Ziffern stehen in jeder.
    ziffern = "".join(z for z in meldende.telefon if z.isdigit())
    return len(ziffern) >= 5 and ziffern[-5:] in "".join(z for z in text if z.isdigit())


def _maskiert(text: str, personendaten: bool, meldende: Meldende | None) -> str:
    """Wie `maske_fuer(...)(text)` in der Liste, nur ohne Ausdruck für Texte, die die Person
    nicht nennen können (`_koennte_nennen`)."""
    if personendaten or meldende is None or not text or not _koennte_nennen(text, meldende):
        return text
    maske = maske_fuer(personendaten, meldende)
    return maske(text) if maske else text


def _zeilen(anliegen: QuerySet[Anliegen]) -> Iterator[dict[str, object]]:
    heute = timezone.localdate()
    # Einmal übersetzt statt je Zeile (get_…_display übersetzt und hasht bei jedem Aufruf).
    status = {wert: str(text) for wert, text in Status.choices}
    gruende = {wert: str(text) for wert, text in Abschlussgrund.choices}
    rueckmeldung_bis = rueckmeldung_stichtag(heute)
    # Weiterleitungen je Block als Werte (ohne Modellobjekte und Manager je Zeile).
    qs = anliegen.select_related("quartier", "thema", "meldende").prefetch_related(None)
    for block in bloecke(qs.iterator(chunk_size=BLOCK), BLOCK):
        weiterleitungen: dict[int, list[tuple[str, datetime.date, bool]]] = {}
        for anliegen_id, kuerzel, frist, w_status in (
            Weiterleitung.objects.filter(anliegen_id__in=[a.pk for a in block])
            .order_by("fachbereich__kuerzel", "pk")
            .values_list("anliegen_id", "fachbereich__kuerzel", "frist", "status")
        ):
            weiterleitungen.setdefault(anliegen_id, []).append(
                (kuerzel, frist, w_status in OFFENE_WSTATUS)
            )
        for a in block:
            yield _zeile(a, weiterleitungen.get(a.pk, []), heute, rueckmeldung_bis, status, gruende)


def _zeile(
    a: Anliegen,
    weiterleitungen: list[tuple[str, datetime.date, bool]],
    heute: datetime.date,
    rueckmeldung_bis: datetime.date,
    status: dict[str, str],
    gruende: dict[str, str],
) -> dict[str, object]:
    sichtbar = bool(a.personendaten_sichtbar)  # type: ignore[attr-defined]
    offene = [frist for _k, frist, offen in weiterleitungen if offen]
    offen_seit = a.rueckmeldung_offen_seit
    return {
        "nummer": a.nummer,
        "erfasst": timezone.localdate(a.erstellt_am),
        "quartier": a.quartier.name,
        "thema": a.thema.name,
        "status": status.get(a.status, a.status),
        "titel": _maskiert(a.titel, sichtbar, a.meldende),
        "ort": _maskiert(a.ort, sichtbar, a.meldende),
        "fachbereiche": ", ".join(dict.fromkeys(k for k, _f, _o in weiterleitungen)),
        "frist": min(offene, default=None),
        "antwort_ueberfaellig": any(frist < heute for frist in offene),
        "rueckmeldung_ueberfaellig": bool(
            offen_seit and timezone.localdate(offen_seit) < rueckmeldung_bis
        ),
        "abgeschlossen": (timezone.localdate(a.abgeschlossen_am) if a.abgeschlossen_am else None),
        "abschlussgrund": gruende.get(a.abschlussgrund, a.abschlussgrund),
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
