"""Ähnliche Anliegen und Bündeln (Regeln in anliegen/workflow.py, Suche in anliegen/duplikate.py).

anliegen:aehnliche    anliegen/neu/aehnliche/            Vorschläge beim Erfassen (htmx-Fragment)
anliegen:buendeln     anliegen/<nummer>/buendeln/        unter einem Hauptanliegen bündeln
anliegen:entbuendeln  anliegen/<nummer>/entbuendeln/     Bündelung lösen

Rechte: wie beim Erfassen und Bearbeiten das QM des Quartiers; wer das Anliegen nicht sieht,
bekommt 404, wer es nur sieht 403. Die Vorschläge tragen keine Personendaten.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.models import Quartier, User
from quartier.permissions import eigene_quartiere, rolle_erforderlich
from quartier.typen import Anfrage

from .. import permissions, workflow
from ..duplikate import aehnliche_anliegen
from ..forms.anliegen import BuendelnForm, EntbuendelnForm, _koordinate
from ..models import Anliegen, Thema


class _AehnlicheSuche(forms.Form):
    """Die Angaben aus dem Erfassen-Formular, die für die Suche zählen; Ungültiges zählt nicht."""

    quartier = forms.ModelChoiceField(queryset=Quartier.objects.none(), required=False)
    thema = forms.ModelChoiceField(queryset=Thema.objects.filter(aktiv=True), required=False)
    ort = forms.CharField(max_length=250, required=False)
    breite = _koordinate("", 90, "")
    laenge = _koordinate("", 180, "")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        feld = self.fields["quartier"]
        assert isinstance(feld, forms.ModelChoiceField)
        feld.queryset = eigene_quartiere(user)


@require_GET
@rolle_erforderlich
def aehnliche(request: Anfrage) -> HttpResponse:
    """Fragment mit ähnlichen offenen Anliegen für das Erfassen-Formular (mit JavaScript)."""
    if not permissions.darf_erfassen(request.user):
        raise PermissionDenied
    suche = _AehnlicheSuche(request.GET, user=request.user)
    vorschlaege = []
    if suche.is_valid():
        d = suche.cleaned_data
        if d["breite"] is None or d["laenge"] is None:
            d["breite"] = d["laenge"] = None
        vorschlaege = aehnliche_anliegen(**d)
    antwort = render(
        request,
        "anliegen/_aehnliche.html",
        {"vorschlaege": vorschlaege, "zuordnen": request.GET.get("zuordnen", "neu")},
    )
    antwort["Cache-Control"] = "private, no-store"
    return antwort


def _holen(request: Anfrage, nummer: str) -> Anliegen:
    anliegen = get_object_or_404(
        permissions.sichtbare_anliegen(request.user).select_related(
            "quartier", "thema", "uebergeordnet", "meldende"
        ),
        nummer=nummer,
    )
    if not permissions.darf_bearbeiten(request.user, anliegen):
        raise PermissionDenied
    return anliegen


def _pfad(anliegen: Anliegen, titel: str) -> list:
    return [
        (_("Anliegen"), reverse("anliegen:liste")),
        (anliegen.nummer, reverse("anliegen:detail", args=[anliegen.nummer])),
        (titel, None),
    ]


def _fehler(form: forms.Form, fehler: ValidationError) -> None:
    if hasattr(fehler, "error_dict"):
        for feld, liste in fehler.error_dict.items():
            form.add_error("nummer" if feld == "unter" else None, liste)
    else:
        form.add_error(None, fehler)


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def buendeln(request: Anfrage, nummer: str) -> HttpResponse:
    anliegen = _holen(request, nummer)
    detail = reverse("anliegen:detail", args=[anliegen.nummer])
    if anliegen.uebergeordnet_id or anliegen.status not in workflow.BUENDELBAR:
        messages.warning(request, _("Dieses Anliegen lässt sich jetzt nicht bündeln."))
        return redirect(detail)
    vorschlaege = aehnliche_anliegen(
        quartier=anliegen.quartier_id,
        thema=anliegen.thema_id,
        ort=anliegen.ort,
        breite=anliegen.breite,
        laenge=anliegen.laenge,
        ausser=anliegen,
    )
    daten = request.POST if request.method == "POST" else None
    form = BuendelnForm(
        daten, anliegen=anliegen, vorschlaege=vorschlaege, initial={"version": anliegen.version}
    )
    if daten is not None and form.is_valid():
        gewaehlt = form.cleaned_data["gewaehlt"]
        haupt = permissions.sichtbare_anliegen(request.user).filter(nummer=gewaehlt).first()
        try:
            if haupt is None:
                raise ValidationError(
                    {"unter": _("Ein Anliegen %(nummer)s gibt es nicht.") % {"nummer": gewaehlt}}
                )
            workflow.buendeln(
                anliegen, unter=haupt, durch=request.user, version=form.cleaned_data["version"]
            )
        except workflow.UngueltigerUebergang as fehler:
            messages.warning(request, " ".join(fehler.messages))
            return redirect(detail)
        except ValidationError as fehler:
            _fehler(form, fehler)
        else:
            messages.success(
                request,
                _("Das Anliegen ist unter %(nummer)s gebündelt.") % {"nummer": haupt.nummer},
            )
            return redirect(detail)
    titel = _("Bündeln unter einem Hauptanliegen")
    return render(
        request,
        "anliegen/buendeln.html",
        {
            "anliegen": anliegen,
            "form": form,
            "titel": titel,
            "vorschlaege": vorschlaege,
            "pfad": _pfad(anliegen, titel),
        },
    )


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def entbuendeln(request: Anfrage, nummer: str) -> HttpResponse:
    anliegen = _holen(request, nummer)
    detail = reverse("anliegen:detail", args=[anliegen.nummer])
    if not anliegen.uebergeordnet_id:
        messages.warning(request, _("Dieses Anliegen ist nicht gebündelt."))
        return redirect(detail)
    daten = request.POST if request.method == "POST" else None
    form = EntbuendelnForm(daten, anliegen=anliegen, initial={"version": anliegen.version})
    if daten is not None and form.is_valid():
        try:
            workflow.entbuendeln(anliegen, durch=request.user, version=form.cleaned_data["version"])
        except workflow.UngueltigerUebergang as fehler:
            messages.warning(request, " ".join(fehler.messages))
            return redirect(detail)
        except ValidationError as fehler:
            form.add_error(None, fehler)
        else:
            messages.success(request, _("Die Bündelung ist gelöst."))
            return redirect(detail)
    titel = _("Bündelung lösen")
    return render(
        request,
        "anliegen/entbuendeln.html",
        {"anliegen": anliegen, "form": form, "titel": titel, "pfad": _pfad(anliegen, titel)},
    )


urls = [
    path("anliegen/neu/aehnliche/", aehnliche, name="aehnliche"),
    path("anliegen/<str:nummer>/buendeln/", buendeln, name="buendeln"),
    path("anliegen/<str:nummer>/entbuendeln/", entbuendeln, name="entbuendeln"),
]
