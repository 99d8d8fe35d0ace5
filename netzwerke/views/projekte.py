"""Projekte im Quartier: Liste mit Filtern, Detailseite, Anlegen und Bearbeiten."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage
from quartier.views import seitenparameter

from ..filters import ProjektFilter
from ..forms.projekte import ProjektForm
from ..models import Projekt, Projektstatus
from ..permissions import (
    darf_anlegen,
    darf_projekt_bearbeiten,
    sichtbare_projekte,
)
from . import formularseite

SEITENGROESSE = 25

STATUS_BADGE: dict[str, str] = {
    Projektstatus.IDEE: "info",
    Projektstatus.IN_PLANUNG: "info",
    Projektstatus.LAUFEND: "warning",
    Projektstatus.ABGESCHLOSSEN: "success",
}


# --- Filter ------------------------------------------------------------------------------


# --- Views -------------------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def projekt_liste(request: Anfrage) -> HttpResponse:
    basis = (
        sichtbare_projekte(request.user)
        .select_related("verantwortlich")
        .prefetch_related("quartiere")
        .order_by(F("beginn").desc(nulls_last=True), "titel", "pk")
    )
    filter_ = ProjektFilter(request.GET or None, queryset=basis)
    seite = Paginator(filter_.qs, SEITENGROESSE).get_page(request.GET.get("page"))
    vorlage = "netzwerke/projekt_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {
            "filter": filter_,
            "seite": seite,
            "zeilen": [{"projekt": p, "badge": STATUS_BADGE.get(p.status)} for p in seite],
            "seiten_parameter": seitenparameter(request),
            "darf_anlegen": darf_anlegen(request.user),
        },
    )


@require_GET
@rolle_erforderlich
def projekt_detail(request: Anfrage, pk: int) -> HttpResponse:
    user = request.user
    projekt = get_object_or_404(
        sichtbare_projekte(user).select_related(
            "verantwortlich", "antrag__antragsteller", "antrag__fonds__netzwerk"
        ),
        pk=pk,
    )
    return render(
        request,
        "netzwerke/projekt_detail.html",
        {
            "projekt": projekt,
            "badge": STATUS_BADGE.get(projekt.status),
            "quartiere": projekt.quartiere.order_by("name"),
            "partner": projekt.partner.order_by("name"),
            "darf_bearbeiten": darf_anlegen(user) and darf_projekt_bearbeiten(user, projekt),
            "pfad": [(_("Projekte"), reverse("netzwerke:projekt_liste")), (projekt.titel, None)],
        },
    )


def _projekt_formular(request: Anfrage, projekt: Projekt | None) -> HttpResponse:
    return formularseite(
        request,
        form_klasse=ProjektForm,
        objekt=projekt,
        liste=(_("Projekte"), reverse("netzwerke:projekt_liste")),
        titel_neu=_("Neues Projekt"),
        vorlage="netzwerke/projekt_form.html",
    )


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def projekt_neu(request: Anfrage) -> HttpResponse:
    if not darf_anlegen(request.user):
        raise PermissionDenied
    return _projekt_formular(request, None)


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def projekt_bearbeiten(request: Anfrage, pk: int) -> HttpResponse:
    user = request.user
    projekt = get_object_or_404(sichtbare_projekte(user), pk=pk)
    if not darf_anlegen(user) or not darf_projekt_bearbeiten(user, projekt):
        raise PermissionDenied
    return _projekt_formular(request, projekt)


urls = [
    path("projekte/", projekt_liste, name="projekt_liste"),
    path("projekte/neu/", projekt_neu, name="projekt_neu"),
    path("projekte/<int:pk>/", projekt_detail, name="projekt_detail"),
    path("projekte/<int:pk>/bearbeiten/", projekt_bearbeiten, name="projekt_bearbeiten"),
]
