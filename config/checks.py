"""Eigene Systemprüfungen für den Betrieb (`manage.py check --deploy`)."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register("quartierslotse", deploy=True)
def basis_url_pruefen(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """QL_BASIS_URL steht in jedem Link einer Mail: ohne sie zeigen die Links ins Leere.

    In der Entwicklung genügt die Vorgabe (`make demo` setzt sie nach PORT); in Produktion
    gibt es keine Vorgabe, die Adresse muss gesetzt sein.
    """
    url = settings.QL_BASIS_URL
    if not url:
        if settings.DEBUG:
            return []
        return [
            Error(
                "QL_BASIS_URL ist nicht gesetzt.",
                hint="Öffentliche Adresse der App setzen, z. B. QL_BASIS_URL="
                "https://quartierslotse.aachen.de – sonst zeigen Links in Mails ins Leere.",
                id="quartierslotse.E001",
            )
        ]
    teile = urlsplit(url)
    if teile.scheme not in {"http", "https"} or not teile.netloc:
        return [
            Error(
                f"QL_BASIS_URL „{url}“ ist keine vollständige Adresse.",
                hint="Mit Schema und Host angeben, z. B. https://quartierslotse.aachen.de",
                id="quartierslotse.E002",
            )
        ]
    if teile.scheme != "https" and not settings.DEBUG:
        return [
            Warning(
                f"QL_BASIS_URL „{url}“ nutzt kein HTTPS.",
                hint="Links in Mails sollten auf https:// zeigen; ohne DEBUG gilt HTTPS.",
                id="quartierslotse.W003",
            )
        ]
    return []
