"""Typen, die alle Apps teilen.

`Anfrage` ist die Anfrage hinter `@login_required` / `rolle_erforderlich`: `request.user` ist
dort immer ein angemeldeter `User`, nie `AnonymousUser`. Views, die eine Anmeldung verlangen,
nehmen `request: Anfrage` statt `HttpRequest`; mypy prüft dann die Rechte-Prädikate
(`darf_…(user: User, …)`) ohne `User | AnonymousUser`.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class Anfrage(HttpRequest):
    user: User
    htmx: HtmxDetails


# Brotkrumen einer Seite: (Bezeichnung, URL); die aktuelle Seite ohne URL.
Pfad = list[tuple[str, str | None]]
