"""Lesereplikat: Auswertungen und Exporte lesen von einem PostgreSQL-Hot-Standby.

Drei Teile (README, Abschnitt „Lesereplikat“):

- `vom_replikat` markiert eine View (Auswertung, Export). Nur während sie läuft – und während
  ihre gestreamte Antwort erzeugt wird – liest `LesereplikatRouter` vom Alias `replica`.
- `LesereplikatRouter`: außerhalb markierter Bereiche, in Transaktionen, für Sitzung und
  Anmeldung und für jedes Schreiben gilt `default`. Migriert wird nur `default`.
- `LesenNachSchreibenMiddleware`: nach einer erfolgreichen Änderung (POST, PUT, PATCH, DELETE)
  bekommt der Browser ein signiertes Cookie mit der WAL-Position des Primärservers. Solange der
  Standby diese Position nicht eingespielt hat (`pg_last_wal_replay_lsn()`), höchstens
  QL_REPLIKAT_SCHONFRIST_SEKUNDEN lang, liest dieselbe Person auch Auswertungen vom
  Primärserver und sieht ihre eigene Änderung. Die Sitzung wird dafür nicht geschrieben.

Fällt das Replikat aus (Verbindungsfehler), liest die markierte View vom Primärserver und das
Replikat bleibt QL_REPLIKAT_PAUSE_SEKUNDEN lang (je Prozess) außen vor.

Ohne DATABASE_REPLICA_URL gibt es den Alias nicht: kein Router, keine Middleware, die Markierung
ruft die View unverändert auf.
"""

import contextlib
import functools
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)
from django.db.models import Model
from django.db.transaction import TransactionManagementError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)

logger = logging.getLogger(__name__)

REPLIKAT = "replica"
# Sitzung, Anmeldung und Anmeldesperre lesen immer vom Primärserver: eine gerade angelegte
# Sitzung oder geänderte Rolle darf nicht am Verzug des Standbys hängen.
_NUR_PRIMAER = frozenset({"sessions", "auth", "axes"})
_SCHREIBEND = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SALZ = "config.router.lesen-nach-schreiben"
_LSN = re.compile(r"[0-9A-F]{1,8}/[0-9A-F]{1,8}")
_VERBINDUNGSFEHLER = (OperationalError, InterfaceError)


@dataclass
class _Bereich:
    """Ein markierter Bereich, der vom Replikat liest; `benutzt`: der Router hat es gewählt."""

    benutzt: bool = False


_bereich: ContextVar[_Bereich | None] = ContextVar("ql_replikat_bereich", default=None)
# Nach einem Ausfall bis zu diesem Zeitpunkt (time.monotonic) nur vom Primärserver lesen.
_pause_bis = 0.0


def replikat_konfiguriert() -> bool:
    return REPLIKAT in settings.DATABASES


def _aktiv() -> bool:
    return replikat_konfiguriert() and bool(settings.QL_REPLIKAT_LESEN)


def cookie_name() -> str:
    # Wie das Sitzungscookie: mit HTTPS das Präfix __Host- (nur diese Herkunft, Pfad /).
    return "__Host-ql_geschrieben" if settings.SESSION_COOKIE_SECURE else "ql_geschrieben"


class LesereplikatRouter:
    """Liest nur in markierten Bereichen vom Replikat, sonst immer vom Primärserver."""

    def db_for_read(self, model: type[Model], **hints: object) -> str:
        bereich = _bereich.get()
        if (
            bereich is None
            or model._meta.app_label in _NUR_PRIMAER
            or model._meta.label == settings.AUTH_USER_MODEL
            # In einer Transaktion gehört jedes Lesen zu ihr (Sperren, eigene Änderungen).
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            # Ausdrücklich `default`, nicht None: sonst nähme Django für Objekte, die aus dem
            # Replikat kamen, wieder dessen Alias (instance._state.db).
            return DEFAULT_DB_ALIAS
        bereich.benutzt = True
        return REPLIKAT

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        # Beide Aliasse sind dieselbe Datenbank (physische Replikation).
        beide = {DEFAULT_DB_ALIAS, REPLIKAT}
        if obj1._state.db in beide and obj2._state.db in beide:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: object
    ) -> bool:
        return db == DEFAULT_DB_ALIAS


def _pausieren(fehler: BaseException) -> None:
    """Nach einem Verbindungsfehler: Verbindung verwerfen, eine Weile nur Primärserver."""
    global _pause_bis
    _pause_bis = time.monotonic() + settings.QL_REPLIKAT_PAUSE_SEKUNDEN
    logger.warning(
        "Lesereplikat nicht erreichbar, %s s lang liest alles vom Primärserver: %s",
        settings.QL_REPLIKAT_PAUSE_SEKUNDEN,
        fehler,
    )
    with contextlib.suppress(DatabaseError):
        connections[REPLIKAT].close()


def _erreichbar() -> bool:
    """Verbindet (oder prüft die bestehende Verbindung wie CONN_HEALTH_CHECKS) – einmal je
    Anfrage, wie Django es ohnehin beim ersten Cursor täte, nur vor dem ersten Byte."""
    verbindung = connections[REPLIKAT]
    try:
        verbindung.close_if_health_check_failed()
        verbindung.ensure_connection()
    except _VERBINDUNGSFEHLER as fehler:
        _pausieren(fehler)
        return False
    return True


def _eingespielt(lsn: str) -> bool:
    """Hat der Standby den Commit an dieser WAL-Position schon eingespielt?"""
    if not _LSN.fullmatch(lsn) or connections[REPLIKAT].vendor != "postgresql":
        return False
    try:
        with connections[REPLIKAT].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            zeile = cursor.fetchone()
    except _VERBINDUNGSFEHLER as fehler:
        _pausieren(fehler)
        return False
    # NULL, wenn `replica` gar kein Standby ist: dann lieber vom Primärserver.
    return bool(zeile and zeile[0])


def _vom_replikat_lesen(request: HttpRequest) -> bool:
    if time.monotonic() < _pause_bis or not _erreichbar():
        return False
    marke = request.get_signed_cookie(
        cookie_name(),
        default=None,
        salt=_SALZ,
        max_age=settings.QL_REPLIKAT_SCHONFRIST_SEKUNDEN,
    )
    if marke is None:
        return True
    # Gerade selbst geändert: Replikat erst, wenn es den Commit eingespielt hat.
    return _eingespielt(marke)


def _gestreamt(
    teile: Iterator[bytes], bereich: _Bereich, neu: Callable[[], HttpResponseBase]
) -> Iterator[bytes]:
    """Erzeugt die gestreamte Antwort im markierten Bereich (die Abfragen eines CSV-Exports
    laufen erst hier, nach der View). Scheitert das Replikat vor dem ersten Teil, kommt die
    Antwort neu vom Primärserver; danach lässt sich ein halber Download nicht mehr retten."""
    gesendet = False
    while True:
        marke = _bereich.set(bereich)
        try:
            teil = next(teile)
        except StopIteration:
            return
        except _VERBINDUNGSFEHLER as fehler:
            if not bereich.benutzt:
                raise
            _pausieren(fehler)
            if gesendet:
                raise
            break
        finally:
            _bereich.reset(marke)
        gesendet = True
        yield teil
    ersatz = neu()
    try:
        if isinstance(ersatz, StreamingHttpResponse):
            yield from ersatz.streaming_content  # type: ignore[misc]
        elif isinstance(ersatz, HttpResponse):
            yield ersatz.content
    finally:
        ersatz.close()


A = TypeVar("A", bound=HttpRequest)
P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def vom_replikat(view: Callable[Concatenate[A, P], R]) -> Callable[Concatenate[A, P], R]:
    """Markiert eine lesende View (Auswertung, Export): ihre Abfragen dürfen vom Replikat
    kommen. Gehört unter die Rechteprüfung (`@auswertung_erforderlich`), direkt über `def`."""

    @functools.wraps(view)
    def markiert(request: A, *args: P.args, **kwargs: P.kwargs) -> R:
        if not _aktiv() or not _vom_replikat_lesen(request):
            return view(request, *args, **kwargs)
        bereich = _Bereich()
        ausfall: BaseException | None = None
        marke = _bereich.set(bereich)
        try:
            antwort = view(request, *args, **kwargs)
        except _VERBINDUNGSFEHLER as fehler:
            if not bereich.benutzt:
                raise
            ausfall = fehler
        finally:
            _bereich.reset(marke)
        if ausfall is not None:
            _pausieren(ausfall)
            # Eine lesende GET-View darf einfach noch einmal laufen, jetzt vom Primärserver.
            return view(request, *args, **kwargs)
        if (
            isinstance(antwort, StreamingHttpResponse)
            # Eine Datei (XLSX) ist beim Zurückgeben schon fertig geschrieben.
            and not isinstance(antwort, FileResponse)
            and not antwort.is_async
        ):
            antwort.streaming_content = _gestreamt(
                iter(antwort.streaming_content),  # type: ignore[arg-type]
                bereich,
                lambda: view(request, *args, **kwargs),
            )
        return antwort

    return markiert


def _wal_position() -> str:
    """Die aktuelle WAL-Position des Primärservers (nach dem Commit der Anfrage), sonst ""."""
    verbindung = connections[DEFAULT_DB_ALIAS]
    if verbindung.vendor != "postgresql":
        return ""
    try:
        with verbindung.cursor() as cursor:
            # insert_lsn, nicht pg_current_wal_lsn(): mit synchronous_commit=off steht der
            # Commit eventuell noch nicht in der geschriebenen WAL (tests/test_replikat.py).
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            zeile = cursor.fetchone()
    except (DatabaseError, TransactionManagementError):
        return ""  # dann gilt die Schonfrist als Ganzes
    return str(zeile[0]) if zeile else ""


class LesenNachSchreibenMiddleware:
    """Setzt nach einer erfolgreichen Änderung das Cookie für „Lesen nach Schreiben“.

    Erfolgreich heißt: Methode POST, PUT, PATCH oder DELETE und keine Fehlerantwort (< 400).
    Änderungen laufen in diesem Projekt nur über solche Anfragen (`@require_POST`); Anfragen,
    die nur die Sitzung auffrischen, zählen nicht.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not replikat_konfiguriert():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        antwort = self.get_response(request)
        if request.method in _SCHREIBEND and antwort.status_code < 400 and _aktiv():
            antwort.set_signed_cookie(
                cookie_name(),
                _wal_position(),
                salt=_SALZ,
                max_age=settings.QL_REPLIKAT_SCHONFRIST_SEKUNDEN,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return antwort
