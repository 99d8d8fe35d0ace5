"""Querschnittliche Middleware: absolute Sitzungsdauer und Datenbankausfall."""

import logging
import sys
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

_ANGEMELDET_SEIT = "ql_angemeldet_seit"
_AUFGEFRISCHT = "ql_aufgefrischt"


class AbsoluteSessionTimeoutMiddleware:
    """Beendet eine Sitzung spätestens SESSION_ABSOLUTE_SECONDS nach der Anmeldung und hält
    die Untätigkeitsgrenze (SESSION_COOKIE_AGE), ohne die Sitzung bei jeder Anfrage zu
    schreiben: höchstens alle QL_SITZUNG_AUFFRISCHEN_SEKUNDEN (60) wird sie gespeichert und
    ihre Ablaufzeit damit nach hinten geschoben. Untätig abgemeldet wird so zwischen 29 und 30
    Minuten nach der letzten Anfrage – und keine Seite zahlt ein UPDATE der Sitzung.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            seit = request.session.get(_ANGEMELDET_SEIT)
            jetzt = time.time()
            if seit is None:
                request.session[_ANGEMELDET_SEIT] = jetzt
            elif jetzt - seit > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?abgelaufen=1")
            zuletzt = request.session.get(_AUFGEFRISCHT, 0)
            if jetzt - zuletzt >= settings.QL_SITZUNG_AUFFRISCHEN_SEKUNDEN:
                # Geändert heißt gespeichert: neue Ablaufzeit (jetzt + SESSION_COOKIE_AGE).
                request.session[_AUFGEFRISCHT] = jetzt
        return self.get_response(request)


_DATENBANKFEHLER = (OperationalError, InterfaceError)
_GEMERKT = "_ql_datenbankfehler"


def _datenbankfehler(fehler: BaseException | None) -> BaseException | None:
    """Der Datenbankfehler in `fehler` oder seinen Ursachen (__cause__/__context__)."""
    gesehen: set[int] = set()
    while fehler is not None and id(fehler) not in gesehen:
        if isinstance(fehler, _DATENBANKFEHLER):
            return fehler
        gesehen.add(id(fehler))
        fehler = fehler.__cause__ or fehler.__context__
    return None


@receiver(got_request_exception, dispatch_uid="ql_datenbankfehler_merken")
def _datenbankfehler_merken(
    sender: object, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """Merkt sich an der Anfrage, dass eine Ausnahme aus der Datenbank kam.

    Django macht aus einer Ausnahme in einer Middleware (Sitzung speichern, `request.user`
    lesen …) sofort an Ort und Stelle eine 500-Antwort; vorher sendet es dieses Signal.
    Die äußere `DatenbankNichtErreichbarMiddleware` ersetzt die 500 dann durch 503.
    """
    fehler = _datenbankfehler(sys.exc_info()[1])
    if request is not None and fehler is not None:
        setattr(request, _GEMERKT, fehler)


def _nicht_erreichbar() -> HttpResponse:
    inhalt = render_to_string("503.html", request=None)
    antwort = HttpResponse(inhalt, status=503)
    antwort["Retry-After"] = "30"
    antwort["Cache-Control"] = "no-store"
    return antwort


class DatenbankNichtErreichbarMiddleware:
    """Antwortet bei einem Datenbankausfall mit 503 und einer verständlichen Seite.

    Ein kurzer Neustart von PostgreSQL soll keine 500er erzeugen: der Browser bekommt
    „bitte gleich noch einmal versuchen“, und das Formular bleibt im Browser erhalten.

    Steht weit außen (gleich nach SecurityMiddleware): Fehler in Views und Vorlagen fängt
    `process_exception`; Fehler in den inneren Middlewares (Anmeldung, Sitzung laden und
    speichern) kommen als 500 mit gemerktem Datenbankfehler an und werden hier zu 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        antwort = self.get_response(request)
        fehler = getattr(request, _GEMERKT, None)
        if fehler is not None and antwort.status_code == 500:
            logger.error("Datenbank nicht erreichbar (503 statt 500): %s", fehler)
            return _nicht_erreichbar()
        return antwort

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        fehler = _datenbankfehler(exception)
        if fehler is None:
            return None
        logger.error("Datenbank nicht erreichbar: %s", fehler, exc_info=exception)
        return _nicht_erreichbar()
