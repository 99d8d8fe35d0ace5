"""Querschnittliche Middleware: absolute Sitzungsdauer und Datenbankausfall."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

_ANGEMELDET_SEIT = "ql_angemeldet_seit"


class AbsoluteSessionTimeoutMiddleware:
    """Beendet eine Sitzung spätestens SESSION_ABSOLUTE_SECONDS nach der Anmeldung.

    Die Untätigkeitsgrenze erledigt SESSION_COOKIE_AGE mit SESSION_SAVE_EVERY_REQUEST;
    diese Middleware begrenzt zusätzlich die Gesamtdauer, auch bei ständiger Nutzung.
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
        return self.get_response(request)


class DatenbankNichtErreichbarMiddleware:
    """Antwortet bei einem Datenbankausfall mit 503 und einer verständlichen Seite.

    Ein kurzer Neustart von PostgreSQL soll keine 500er erzeugen: der Browser bekommt
    „bitte gleich noch einmal versuchen“, und das Formular bleibt im Browser erhalten.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Datenbank nicht erreichbar: %s", exception, exc_info=exception)
        inhalt = render_to_string("503.html", request=None)
        antwort = HttpResponse(inhalt, status=503)
        antwort["Retry-After"] = "30"
        return antwort
