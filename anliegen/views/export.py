"""Export der gefilterten Anliegen-Liste: anliegen:export (anliegen/export/?…&format=csv|xlsx).

Gleiche Filter, Vorgaben und Sichtbarkeit wie die Liste (`liste._filterdaten`); große XLSX
(und auf Wunsch CSV, `hintergrund=1`) entstehen im Hintergrund (quartier/exporte.py).
"""

import copy

from django.http import HttpResponseBase
from django.urls import path
from django.views.decorators.http import require_GET

from config.router import vom_replikat
from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage
from quartier.views import export_oder_hinweis, ohne_exportparameter

from ..export import ANLIEGEN_EXPORT, tabelle
from .liste import _filterdaten


@require_GET
@rolle_erforderlich
@vom_replikat
def anliegen_export(request: Anfrage) -> HttpResponseBase:
    format_ = request.GET.get("format", "")
    if format_ not in ("csv", "xlsx"):
        format_ = "csv"  # unbekanntes Format: die Liste als CSV statt eines Fehlers
    # Die Vorgaben der Liste (nur offene, nur meine Quartiere) gelten, wenn außer Format und
    # Seite nichts übergeben wurde – wie beim ersten Aufruf der Liste.
    anfrage = copy.copy(request)
    anfrage.GET = ohne_exportparameter(request.GET)  # type: ignore[assignment]
    daten = _filterdaten(anfrage)
    return export_oder_hinweis(
        request,
        ANLIEGEN_EXPORT,
        format_,
        lambda: tabelle(request.user, daten),
        parameter=daten,
    )


urls = [
    path("anliegen/export/", anliegen_export, name="export"),
]
