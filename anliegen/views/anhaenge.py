"""Anhänge eines Anliegens: hinzufügen (QM des Quartiers) und abrufen (nach Rechten).

Dateien liegen unter MEDIA_ROOT und sind nie öffentlich erreichbar: nur diese View liefert
sie, nachdem sie das Anliegen über `permissions.sichtbare_anliegen` und den Anhang über dieses
Anliegen geholt hat. Was die Person nicht sehen darf, ist ein 404 (verrät nicht, dass es ihn
gibt).
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.models import Rolle
from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage

from .. import permissions, workflow
from ..forms.anhaenge import AnhangForm
from ..models import Anhang, Anliegen

logger = logging.getLogger(__name__)


def _anliegen(request: Anfrage, nummer: str) -> Anliegen:
    return get_object_or_404(
        permissions.sichtbare_anliegen(request.user).select_related("quartier"), nummer=nummer
    )


@require_GET
@rolle_erforderlich
def anhang_abrufen(request: Anfrage, nummer: str, pk: int) -> FileResponse:
    anliegen = _anliegen(request, nummer)
    anhang: Anhang = get_object_or_404(Anhang.objects.filter(anliegen=anliegen), pk=pk)
    anhang.anliegen = anliegen
    if not permissions.darf_anhang_sehen(request.user, anhang):
        raise Http404
    if not anhang.freigegeben and request.user.rolle == Rolle.ADMINISTRATION:
        logger.info(
            "Administration %s ruft nicht freigegebenen Anhang %s von %s ab",
            request.user.pk,
            anhang.pk,
            anliegen.nummer,
        )
    try:
        datei = anhang.datei.open("rb")
    except FileNotFoundError:
        logger.error("Datei zu Anhang %s fehlt: %s", anhang.pk, anhang.datei.name)
        raise Http404 from None
    # PDFs immer herunterladen (sie können Skripte und Links enthalten); Bilder sind neu
    # kodiert und dürfen im Browser erscheinen. Der Typ kommt aus der geprüften Spalte.
    antwort = FileResponse(
        datei,
        as_attachment=not anhang.ist_bild,
        filename=anhang.dateiname,
        content_type=anhang.inhaltstyp,
    )
    antwort["X-Content-Type-Options"] = "nosniff"
    antwort["Cache-Control"] = "private, no-store"
    # Falls doch jemand die Datei als Seite öffnet: kein Skript, keine Formulare, kein Nachladen.
    antwort["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return antwort


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def anhang_hinzufuegen(request: Anfrage, nummer: str) -> HttpResponse:
    anliegen = _anliegen(request, nummer)
    if not permissions.darf_bearbeiten(request.user, anliegen):
        raise PermissionDenied
    if request.method == "POST":
        form = AnhangForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                angelegt = workflow.anhaenge_hinzufuegen(
                    anliegen,
                    dateien=form.cleaned_data["dateien"],
                    freigegeben=form.cleaned_data["freigegeben"],
                    durch=request.user,
                )
            except ValidationError as fehler:
                form.add_error(None, fehler)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(anzahl)d Anhang ist gespeichert.",
                        "%(anzahl)d Anhänge sind gespeichert.",
                        len(angelegt),
                    )
                    % {"anzahl": len(angelegt)},
                )
                return redirect(reverse("anliegen:detail", args=[anliegen.nummer]))
    else:
        form = AnhangForm()
    titel = _("Anhang hinzufügen")
    return render(
        request,
        "anliegen/anhang_form.html",
        {
            "anliegen": anliegen,
            "form": form,
            "titel": titel,
            "dateien_erneut": bool(request.FILES.getlist("dateien") and form.errors),
            "pfad": [
                (_("Anliegen"), reverse("anliegen:liste")),
                (anliegen.nummer, reverse("anliegen:detail", args=[anliegen.nummer])),
                (titel, None),
            ],
        },
    )


@require_POST
@rolle_erforderlich
def anhang_freigabe(request: Anfrage, nummer: str, pk: int) -> HttpResponse:
    """Freigabe erteilen (`freigegeben=1`) oder zurücknehmen (`freigegeben=0`)."""
    anliegen = _anliegen(request, nummer)
    anhang: Anhang = get_object_or_404(Anhang.objects.filter(anliegen=anliegen), pk=pk)
    anhang.anliegen = anliegen
    if not permissions.darf_anhang_sehen(request.user, anhang):
        raise Http404
    if not permissions.darf_bearbeiten(request.user, anliegen):
        raise PermissionDenied
    freigegeben = request.POST.get("freigegeben") == "1"
    workflow.anhang_freigeben(anhang, freigegeben=freigegeben, durch=request.user)
    if freigegeben:
        meldung = _("„%(name)s“ ist für Fachbereiche und andere Quartiere freigegeben.")
    else:
        meldung = _("Die Freigabe von „%(name)s“ ist zurückgenommen.")
    messages.success(request, meldung % {"name": anhang.dateiname})
    return redirect(reverse("anliegen:detail", args=[anliegen.nummer]))


urls = [
    path("anliegen/<str:nummer>/anhaenge/neu/", anhang_hinzufuegen, name="anhang_hinzufuegen"),
    path("anliegen/<str:nummer>/anhaenge/<int:pk>/", anhang_abrufen, name="anhang"),
    path(
        "anliegen/<str:nummer>/anhaenge/<int:pk>/freigabe/", anhang_freigabe, name="anhang_freigabe"
    ),
]
