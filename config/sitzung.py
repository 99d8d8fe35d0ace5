"""Sitzungen in der Datenbank – ein Ausfall der Datenbank bleibt ein Ausfall.

Djangos Datenbank-Sitzung macht aus jedem Datenbankfehler beim Aktualisieren ein `UpdateError`
und die SessionMiddleware daraus `SessionInterrupted` (400 „Bad Request“). Ist die Datenbank
aber gerade weg, ist das kein fehlerhafter Request: der Fehler geht weiter als Datenbankfehler,
und die Seite antwortet wie jede andere während eines Ausfalls mit 503 und Retry-After
(config/middleware.py, tests/test_ausfall.py).
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatenbankSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DatenbankSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as fehler:
            ursache = fehler.__context__
            if isinstance(ursache, OperationalError | InterfaceError):
                raise ursache from None
            raise
