"""Exporte im Hintergrund: Auftrag anlegen, im Worker ausführen, Fortschritt, Aufräumen.

Große Tabellen (XLSX über `QL_EXPORT_SOFORT_ZEILEN` Zeilen, CSV auf Wunsch) entstehen nicht in
der Anfrage, sondern als `Exportauftrag` im Hintergrund: die Seite legt den Auftrag an und
stellt eine Aufgabe (django-tasks) in die Warteschlange der Datenbank; `manage.py db_worker`
führt sie aus, schreibt die Datei zeilenweise (CSV) bzw. im Nur-Schreiben-Modus (XLSX) und
hält den Fortschritt fest. „Meine Exporte“ zeigt ihn; herunterladen darf nur, wer den Export
angestoßen hat.

Welche Tabellen es gibt, registrieren die Apps als `Quelle` (in `AppConfig.ready`):
`quartier` darf `anliegen` nicht importieren. Eine Quelle rechnet ihre Tabelle immer aus den
Rechten der Person zur Zeit der Ausführung (Rolle, Sichtbarkeit, Personendaten), nicht aus
denen beim Anlegen: wer seine Rolle inzwischen verloren hat, bekommt keine Datei.
"""

import datetime
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Exportauftrag, Exportformat, Exportstatus, User
from .permissions import hat_rolle
from .tabellen import Tabelle, csv_zeilen, dateiname, xlsx_datei

logger = logging.getLogger(__name__)

# Fortschritt höchstens alle so viele Zeilen in die Datenbank schreiben.
FORTSCHRITT_ALLE = 2000


class KeineBerechtigung(Exception):
    """Die Person darf diese Tabelle (nicht mehr) exportieren."""


@dataclass(frozen=True)
class Quelle:
    """Eine exportierbare Tabelle. `darf(person)`: die Rolle darf sie exportieren;
    `tabelle(person, parameter)`: die Tabelle mit den Filtern der Seite, Zeilen als Iterator;
    `zeilen(person, parameter, hoechstens)`: wie viele Zeilen (höchstens `hoechstens`, damit
    die Seite nicht alle zählt; None: alle)."""

    name: str
    titel: str | Promise
    darf: Callable[[User], bool]
    tabelle: Callable[[User, QueryDict], Tabelle]
    zeilen: Callable[[User, QueryDict, int | None], int]


QUELLEN: dict[str, Quelle] = {}


def quelle_registrieren(quelle: Quelle) -> Quelle:
    QUELLEN[quelle.name] = quelle
    return quelle


def sofort_zeilen() -> int:
    return int(getattr(settings, "QL_EXPORT_SOFORT_ZEILEN", 5000))


def zu_gross_fuer_sofort(quelle: Quelle, person: User, parameter: QueryDict) -> bool:
    """Mehr Zeilen als `QL_EXPORT_SOFORT_ZEILEN` (gezählt wird nur bis dorthin)?"""
    grenze = sofort_zeilen()
    return quelle.zeilen(person, parameter, grenze + 1) > grenze


# --- Auftrag anlegen -----------------------------------------------------------------------


def auftrag_anlegen(
    *, person: User, quelle: Quelle, format_: str, parameter: QueryDict
) -> Exportauftrag:
    """Legt den Auftrag an und stellt ihn in die Warteschlange, in einer Transaktion: mit dem
    Datenbank-Backend entsteht die Aufgabe in derselben Transaktion wie der Auftrag, es gibt
    also nie einen Auftrag ohne Aufgabe oder umgekehrt."""
    if format_ not in Exportformat.values:
        raise ValueError(format_)
    if not (hat_rolle(person) and quelle.darf(person)):
        raise KeineBerechtigung
    daten = {k: parameter.getlist(k) for k in parameter if k not in ("format", "page")}
    jetzt = timezone.now()
    with transaction.atomic():
        auftrag = Exportauftrag.objects.create(
            person=person,
            quelle=quelle.name,
            titel=str(quelle.titel),
            format=format_,
            parameter=daten,
            erstellt_am=jetzt,
            ablauf_am=jetzt + aufbewahrung(),
        )
        export_ausfuehren.enqueue(auftrag.pk)
    return auftrag


def aufbewahrung() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "QL_EXPORT_AUFBEWAHRUNG_STUNDEN", 72)))


def als_querydict(parameter: dict[str, list[str]]) -> QueryDict:
    daten = QueryDict(mutable=True)
    for schluessel, werte in parameter.items():
        daten.setlist(schluessel, [str(w) for w in werte])
    return daten


# --- Ausführen (im Worker) -----------------------------------------------------------------


class _Fortschritt:
    """Reicht die Zeilen durch, zählt sie und schreibt alle `FORTSCHRITT_ALLE` Zeilen den
    Stand (ein UPDATE; der Worker läuft ohne umgebende Transaktion, die Seite sieht ihn
    sofort)."""

    def __init__(self, zeilen: Iterable[object], auftrag_id: int) -> None:
        self.zeilen = zeilen
        self.auftrag_id = auftrag_id
        self.anzahl = 0

    def __iter__(self) -> Iterator[object]:
        for zeile in self.zeilen:
            yield zeile
            self.anzahl += 1
            if self.anzahl % FORTSCHRITT_ALLE == 0:
                Exportauftrag.objects.filter(pk=self.auftrag_id).update(zeilen_bisher=self.anzahl)


def _status(auftrag_id: int, von: tuple[str, ...], **felder: object) -> bool:
    """Der eine Ort, an dem der Status eines Auftrags wechselt: nur aus einem der Zustände
    `von` (ein bedingtes UPDATE, also ohne Wettlauf zwischen zwei Workern)."""
    return bool(Exportauftrag.objects.filter(pk=auftrag_id, status__in=von).update(**felder))


def ausfuehren(auftrag_id: int) -> None:
    """Erstellt die Datei eines wartenden Auftrags. Rechte werden jetzt geprüft, nicht beim
    Anlegen. Jeder Fehler endet in „fehlgeschlagen“ mit einer deutschen Meldung; die Aufgabe
    selbst scheitert nicht (sonst stünde dieselbe Geschichte doppelt in DBTaskResult)."""
    jetzt = timezone.now()
    if not _status(
        auftrag_id, (Exportstatus.WARTET,), status=Exportstatus.LAEUFT, begonnen_am=jetzt
    ):
        return  # schon gelaufen, gelöscht oder abgelaufen
    auftrag = Exportauftrag.objects.select_related("person").get(pk=auftrag_id)
    try:
        quelle = QUELLEN.get(auftrag.quelle)
        if quelle is None:
            raise KeineBerechtigung
        person = auftrag.person
        if not (hat_rolle(person) and quelle.darf(person)):
            raise KeineBerechtigung
        parameter = als_querydict(auftrag.parameter)
        Exportauftrag.objects.filter(pk=auftrag_id).update(
            zeilen_gesamt=quelle.zeilen(person, parameter, None)
        )
        tabelle = quelle.tabelle(person, parameter)
        fortschritt = _Fortschritt(tabelle.zeilen, auftrag_id)
        tabelle.zeilen = fortschritt
        name = dateiname(tabelle.titel, auftrag.format)
        with tempfile.TemporaryFile() as tmp:
            _schreiben(tabelle, auftrag.format, tmp)
            tmp.seek(0)
            auftrag.datei.save(name, File(tmp), save=False)
    except KeineBerechtigung:
        _fehlgeschlagen(auftrag_id, _("Sie haben keine Berechtigung (mehr) für diesen Export."))
        return
    except Exception:
        logger.exception("Export %s fehlgeschlagen", auftrag_id)
        if auftrag.datei:
            auftrag.datei.delete(save=False)
        _fehlgeschlagen(
            auftrag_id,
            _(
                "Der Export ist fehlgeschlagen. Bitte versuchen Sie es später noch einmal; "
                "bleibt der Fehler, wenden Sie sich an die Administration."
            ),
        )
        return
    if not _status(
        auftrag_id,
        (Exportstatus.LAEUFT,),
        status=Exportstatus.FERTIG,
        datei=auftrag.datei.name,
        dateiname=name,
        zeilen_bisher=fortschritt.anzahl,
        zeilen_gesamt=fortschritt.anzahl,
        fertig_am=timezone.now(),
    ):
        # Inzwischen aufgeräumt: die Datei gehört zu keinem Auftrag mehr.
        auftrag.datei.delete(save=False)


def _schreiben(tabelle: Tabelle, format_: str, ziel: IO[bytes]) -> None:
    if format_ == Exportformat.XLSX:
        xlsx_datei([tabelle], ziel)
    else:
        for teil in csv_zeilen(tabelle):
            ziel.write(teil.encode("utf-8"))


def _fehlgeschlagen(auftrag_id: int, meldung: str) -> None:
    _status(
        auftrag_id,
        (Exportstatus.WARTET, Exportstatus.LAEUFT),
        status=Exportstatus.FEHLGESCHLAGEN,
        meldung=meldung[:300],
        fertig_am=timezone.now(),
    )


@task()
def export_ausfuehren(auftrag_id: int) -> None:
    """Die Aufgabe im Worker (`manage.py db_worker`)."""
    ausfuehren(auftrag_id)


# --- Aufräumen -----------------------------------------------------------------------------


def aufraeumen(jetzt: datetime.datetime | None = None) -> int:
    """Löscht abgelaufene Aufträge mit ihren Dateien; gibt die Zahl zurück. Sicher mehrfach
    aufzurufen (Cron, systemd-Timer). Ein Auftrag, der gerade läuft, wird auch gelöscht: der
    Worker merkt es am Ende (bedingtes UPDATE) und löscht seine Datei selbst."""
    jetzt = jetzt or timezone.now()
    anzahl = 0
    for auftrag in Exportauftrag.objects.filter(ablauf_am__lt=jetzt).order_by("pk").iterator():
        if auftrag.datei:
            auftrag.datei.delete(save=False)
        auftrag.delete()
        anzahl += 1
    return anzahl
