"""Stadtteilfonds: Budgets, Anträge und ihr Weg von der Konferenz bis zum Abschluss."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.erweiterungen import abschnitte
from quartier.models import User
from quartier.permissions import rolle_erforderlich
from quartier.sperren import aktuelle_version, speichern, sperren
from quartier.typen import Anfrage

from .. import fonds as ablauf
from .. import permissions
from ..erweiterungen import ANTRAG_ABSCHNITTE
from ..forms.fonds import (
    AbschliessenForm,
    AbstimmenForm,
    AntragForm,
    AuszahlenForm,
    EntscheidenForm,
    FondsForm,
    NachweisForm,
    ZurueckziehenForm,
)
from ..models import BELASTENDE_STATUS, Antrag, Projekt, Stadtteilfonds


def _mit_summen(qs: QuerySet[Stadtteilfonds]) -> QuerySet[Any]:  # Fonds mit Summen
    """Annotiert je Fonds `bewilligt` (belastende Anträge) und `anzahl_antraege`."""
    null = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))
    return qs.annotate(
        bewilligt=Coalesce(
            Sum("antraege__bewilligt_betrag", filter=Q(antraege__status__in=BELASTENDE_STATUS)),
            null,
        ),
        anzahl_antraege=Count("antraege"),
    )


@require_GET
@rolle_erforderlich
def fonds_liste(request: Anfrage) -> HttpResponse:
    fonds = list(
        _mit_summen(permissions.sichtbare_fonds(request.user))
        .select_related("netzwerk")
        .order_by("-jahr", "netzwerk__name")
    )
    for f in fonds:
        f.rest = f.budget - f.bewilligt
    return render(
        request,
        "netzwerke/fonds_liste.html",
        {"fonds": fonds, "darf_anlegen": permissions.darf_fonds_verwalten(request.user)},
    )


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def fonds_neu(request: Anfrage) -> HttpResponse:
    if not permissions.darf_fonds_verwalten(request.user):
        raise PermissionDenied
    form = FondsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fonds = form.save()
        messages.success(request, _("Der Stadtteilfonds ist angelegt."))
        return redirect(fonds)
    return render(
        request,
        "netzwerke/fonds_form.html",
        {
            "form": form,
            "pfad": [(_("Stadtteilfonds"), reverse("netzwerke:fonds_liste")), (_("Neu"), None)],
        },
    )


@require_GET
@rolle_erforderlich
def fonds_detail(request: Anfrage, pk: int) -> HttpResponse:
    fonds = get_object_or_404(
        _mit_summen(permissions.sichtbare_fonds(request.user)).select_related("netzwerk"), pk=pk
    )
    fonds.rest = fonds.budget - fonds.bewilligt
    antraege = fonds.antraege.select_related("antragsteller").order_by("-eingereicht_am", "-pk")
    return render(
        request,
        "netzwerke/fonds_detail.html",
        {
            "fonds": fonds,
            "antraege": antraege,
            "darf_antrag_erfassen": permissions.darf_netzwerk_bearbeiten(
                request.user, fonds.netzwerk
            ),
            "pfad": [(_("Stadtteilfonds"), reverse("netzwerke:fonds_liste")), (str(fonds), None)],
        },
    )


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def antrag_neu(request: Anfrage, pk: int) -> HttpResponse:
    fonds = get_object_or_404(
        permissions.sichtbare_fonds(request.user).select_related("netzwerk"), pk=pk
    )
    if not permissions.darf_netzwerk_bearbeiten(request.user, fonds.netzwerk):
        raise PermissionDenied
    form = AntragForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        daten = dict(form.cleaned_data)
        projekt = daten.pop("projekt")
        try:
            # Antrag und Zuordnung zum Projekt gemeinsam oder gar nicht.
            with transaction.atomic():
                antrag = ablauf.einreichen(fonds=fonds, durch=request.user, **daten)
                if projekt is not None:
                    _projekt_zuordnen(projekt, antrag)
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            messages.success(request, _("Der Antrag ist erfasst."))
            if warnung := ablauf.ueber_restbudget(antrag, fonds.restbudget()):
                messages.warning(request, warnung)
            return redirect(antrag)
    return render(
        request,
        "netzwerke/antrag_neu.html",
        {
            "form": form,
            "fonds": fonds,
            "pfad": [
                (_("Stadtteilfonds"), reverse("netzwerke:fonds_liste")),
                (str(fonds), fonds.get_absolute_url()),
                (_("Antrag erfassen"), None),
            ],
        },
    )


def _projekt_zuordnen(projekt: Projekt, antrag: Antrag) -> None:
    """Das Projekt als gefördert durch `antrag` markieren (`Projekt.antrag`).

    Unter Sperre und mit neuer Version (`quartier.sperren`): wer das Projekt gerade im
    Formular offen hat, bekommt beim Speichern einen Konflikt, statt die Zuordnung still mit
    seinem alten Stand zu überschreiben; und zwei Anträge greifen nicht zugleich dasselbe Projekt.
    """
    gesperrt = sperren(Projekt.objects, projekt.pk, None)
    if gesperrt.antrag_id is not None:
        raise ValidationError(
            {"projekt": _("Dieses Projekt wird inzwischen durch einen anderen Antrag gefördert.")}
        )
    gesperrt.antrag = antrag
    speichern(gesperrt, ["antrag"])


def _antrag_holen(request: Anfrage, pk: int) -> Antrag:
    return get_object_or_404(
        permissions.sichtbare_antraege(request.user).select_related(
            "fonds__netzwerk", "antragsteller", "sitzung__netzwerk"
        ),
        pk=pk,
    )


@require_GET
@rolle_erforderlich
def antrag_detail(request: Anfrage, pk: int) -> HttpResponse:
    # Abfragen (fest, gleich wie viele Anliegen): Antrag mit Fonds, Netzwerk, Antragsteller,
    # Sitzung; Restbudget; Projekt; Befangene; Verlauf; die Rechte der Operationen; die
    # Anliegen, aus denen er kam (eine Abfrage, Abschnitt aus `anliegen`).
    antrag = _antrag_holen(request, pk)
    rest = antrag.fonds.restbudget()
    return render(
        request,
        "netzwerke/antrag_detail.html",
        {
            "antrag": antrag,
            # Das Projekt, das der Antrag fördert, über die Liste, die die Person sehen darf.
            "projekt": permissions.sichtbare_projekte(request.user).filter(antrag=antrag).first(),
            "abschnitte": abschnitte(ANTRAG_ABSCHNITTE, request, antrag),
            "ueber_restbudget": ablauf.ueber_restbudget(antrag, rest),
            "befangene": antrag.befangene.all(),
            "ereignisse": antrag.ereignisse.select_related("von"),
            "operationen": ablauf.moegliche_operationen(request.user, antrag),
            "rest": rest,
            "pfad": [
                (_("Stadtteilfonds"), reverse("netzwerke:fonds_liste")),
                (str(antrag.fonds), antrag.fonds.get_absolute_url()),
                (antrag.vorhaben, None),
            ],
        },
    )


# --- Operationen: ein Formular und eine Funktion aus netzwerke/fonds.py je Schritt ---------


def _abstimmen(antrag: Antrag, daten: dict[str, Any], user: User) -> Antrag:
    return ablauf.abstimmen(
        antrag,
        sitzung=daten["sitzung"],
        quartiersbezug=daten["quartiersbezug"],
        beteiligung=daten["beteiligung"],
        eigeninitiative=daten["eigeninitiative"],
        ja=daten["ja"],
        nein=daten["nein"],
        enthaltung=daten["enthaltung"],
        befangene=daten["befangene"],
        durch=user,
        version=daten["version"],
    )


AKTIONEN = {
    "abstimmen": (
        AbstimmenForm,
        _abstimmen,
        _("Votum der Stadtteilkonferenz erfassen"),
        _("Das Votum ist erfasst."),
    ),
    "entscheiden": (
        EntscheidenForm,
        lambda a, d, u: ablauf.entscheiden(
            a,
            bewilligt_betrag=d["bewilligt_betrag"],
            begruendung=d["begruendung"],
            durch=u,
            version=d["version"],
        ),
        _("Über den Antrag entscheiden"),
        _("Die Entscheidung ist gespeichert; der Antragsteller wird benachrichtigt."),
    ),
    "auszahlen": (
        AuszahlenForm,
        lambda a, d, u: ablauf.auszahlen(a, am=d["am"], durch=u, version=d["version"]),
        _("Auszahlung erfassen"),
        _("Die Auszahlung ist erfasst."),
    ),
    "nachweis": (
        NachweisForm,
        lambda a, d, u: ablauf.nachweis_erfassen(
            a, verausgabt=d["verausgabt"], bericht=d["bericht"], durch=u, version=d["version"]
        ),
        _("Verwendungsnachweis erfassen"),
        _("Der Verwendungsnachweis ist erfasst."),
    ),
    "abschliessen": (
        AbschliessenForm,
        lambda a, d, u: ablauf.abschliessen(a, durch=u, version=d["version"]),
        _("Antrag abschließen"),
        _("Der Antrag ist abgeschlossen."),
    ),
    "zurueckziehen": (
        ZurueckziehenForm,
        lambda a, d, u: ablauf.zurueckziehen(a, grund=d["grund"], durch=u, version=d["version"]),
        _("Antrag zurückziehen"),
        _("Der Antrag ist zurückgezogen."),
    ),
}


def _formular(aktion: str, antrag: Antrag, daten: QueryDict | None = None) -> forms.Form:
    form_klasse = AKTIONEN[aktion][0]
    kwargs = {"antrag": antrag} if form_klasse is AbstimmenForm else {}
    initial: dict[str, Any] = {"version": antrag.version}
    if aktion == "abstimmen":
        sitzung = (
            kwargs["antrag"].fonds.netzwerk.sitzungen.filter(beginn__lte=timezone.now()).first()
        )
        if sitzung:
            initial["sitzung"] = sitzung
            initial["befangene"] = ablauf.befangene_vorschlagen(antrag, sitzung)
        initial.update(quartiersbezug=True, beteiligung=True, eigeninitiative=True)
    if aktion == "entscheiden":
        initial["bewilligt_betrag"] = antrag.beantragt
    form: forms.Form = form_klasse(daten, initial=initial, **kwargs)
    return form


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def antrag_aktion(request: Anfrage, pk: int, aktion: str) -> HttpResponse:
    antrag = _antrag_holen(request, pk)
    if aktion not in AKTIONEN:
        raise Http404
    erlaubte_status, darf = ablauf.OPERATIONEN[aktion]
    if not darf(request.user, antrag):
        raise PermissionDenied
    if antrag.status not in erlaubte_status:
        # Recht, aber falscher Zustand (z. B. zweiter Klick): zurück zur Seite mit Hinweis.
        messages.warning(
            request,
            _("Das geht im Status „%(status)s“ nicht.") % {"status": antrag.get_status_display()},
        )
        return redirect(antrag)
    _klasse, ausfuehren, titel, erfolg = AKTIONEN[aktion]
    form = _formular(aktion, antrag, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ausfuehren(antrag, form.cleaned_data, request.user)
        except ablauf.Konflikt as fehler:
            # Eingaben behalten, Version nachrücken: nach dem Prüfen geht erneutes Senden.
            frisch = request.POST.copy()
            frisch["version"] = str(aktuelle_version(Antrag.objects, antrag.pk))
            form = _formular(aktion, antrag, frisch)
            form.is_valid()
            form.add_error(None, fehler)
        except ValidationError as fehler:
            if hasattr(fehler, "error_dict"):
                for feld, liste in fehler.error_dict.items():
                    form.add_error(feld if feld in form.fields else None, liste)
            else:
                form.add_error(None, fehler)
        else:
            messages.success(request, erfolg)
            return redirect(antrag)
    return render(
        request,
        "netzwerke/antrag_aktion.html",
        {
            "antrag": antrag,
            "form": form,
            "titel": titel,
            "aktion": aktion,
            "rest": antrag.fonds.restbudget(),
            "pfad": [
                (_("Stadtteilfonds"), reverse("netzwerke:fonds_liste")),
                (str(antrag.fonds), antrag.fonds.get_absolute_url()),
                (antrag.vorhaben, antrag.get_absolute_url()),
                (titel, None),
            ],
        },
    )


urls = [
    path("stadtteilfonds/", fonds_liste, name="fonds_liste"),
    path("stadtteilfonds/neu/", fonds_neu, name="fonds_neu"),
    path("stadtteilfonds/<int:pk>/", fonds_detail, name="fonds_detail"),
    path("stadtteilfonds/<int:pk>/antraege/neu/", antrag_neu, name="antrag_neu"),
    path("antraege/<int:pk>/", antrag_detail, name="antrag_detail"),
    path(
        "antraege/<int:pk>/<slug:aktion>/",
        antrag_aktion,
        name="antrag_aktion",
    ),
]
