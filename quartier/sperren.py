"""Eine Art zu sperren für alles, was mehrere Personen gleichzeitig bearbeiten.

Jedes solche Modell hat ein Feld `version` (PositiveIntegerField, Vorgabe 0). Ein Schritt:

    with transaction.atomic():
        obj = sperren(Modell.objects, pk, version)   # Zeile sperren, Stand prüfen
        ...                                          # prüfen und ändern
        speichern(obj, ["feld", ...])                # version + 1, nur diese Felder

`sperren` sperrt die Zeile (`select_for_update`; SQLite serialisiert Schreibtransaktionen
über `transaction_mode=IMMEDIATE`) und vergleicht die Version, die das Formular beim Laden
gesehen hat. Wer auf einem veralteten Stand handelt, bekommt `Konflikt` mit einer klaren
Meldung statt still zu überschreiben; die Seite behält die Eingaben und rückt die Version auf
den aktuellen Stand (`aktuelle_version`), damit erneutes Senden nach dem Prüfen geht.

`version=None` heißt: ohne Stand aus einem Formular (Befehle, Ablauf im Hintergrund) – dann
sperrt `sperren` nur.
"""

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

M = TypeVar("M", bound=models.Model)

KONFLIKT_TEXT = _(
    "Das wurde inzwischen von jemand anderem geändert. Ihre Eingaben sind nicht "
    "gespeichert; bitte prüfen Sie den aktuellen Stand und versuchen Sie es erneut."
)


class Konflikt(ValidationError):
    """Jemand anderes hat inzwischen geändert (optimistisches Sperren)."""

    def __init__(self, message: "str | StrPromise | None" = None) -> None:
        super().__init__(message or KONFLIKT_TEXT, code="konflikt")


def sperren(
    queryset: "models.QuerySet[M] | models.Manager[M]", pk: object, version: int | None
) -> M:
    """Die Zeile `pk` gesperrt holen; mit `version` muss der Stand noch derselbe sein."""
    gesperrt = queryset.select_for_update(of=("self",)).get(pk=pk)
    if version is not None and gesperrt.version != version:  # type: ignore[attr-defined]
        raise Konflikt
    return gesperrt


def speichern(obj: models.Model, felder: list[str]) -> None:
    """Version hochzählen und nur die genannten Felder schreiben (in der Transaktion von
    `sperren`)."""
    obj.version += 1  # type: ignore[attr-defined]
    obj.save(update_fields=[*felder, "version"])


def aktuelle_version(queryset: "models.QuerySet[M] | models.Manager[M]", pk: object) -> int | None:
    """Die Version jetzt – für das Formular nach einem Konflikt."""
    return queryset.filter(pk=pk).values_list("version", flat=True).first()
