"""Quartiersbericht (anliegen:quartiersbericht): ein Quartier, ein Jahr, zum Drucken.

Für Sozialplanung, Administration und Quartiersmanagement (wie alle Auswertungen); ohne
Personendaten. Die Zahlen rechnet anliegen/bericht.py aus den Auswertungen der drei Apps.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from quartier.forms import KernFormMixin
from quartier.models import Quartier
from quartier.permissions import auswertung_erforderlich
from quartier.tabellen import Diagramm
from quartier.typen import Anfrage

from .. import bericht

ERSTES_JAHR = 2010


class BerichtForm(KernFormMixin, forms.Form):
    quartier = forms.ModelChoiceField(
        label=gettext_lazy("Quartier"),
        queryset=Quartier.objects.select_related("bezirk").order_by("name"),
        empty_label=gettext_lazy("bitte wählen"),
        error_messages={
            "required": gettext_lazy("Bitte ein Quartier wählen."),
            "invalid_choice": gettext_lazy("Dieses Quartier gibt es nicht."),
        },
    )
    jahr = forms.IntegerField(
        label=gettext_lazy("Jahr"),
        help_text=gettext_lazy("Kalenderjahr, z. B. 2025"),
        error_messages={
            "required": gettext_lazy("Bitte ein Jahr angeben."),
            "invalid": gettext_lazy("Bitte ein Jahr als Zahl eingeben, z. B. 2025."),
        },
    )

    def clean_jahr(self) -> int:
        jahr: int = self.cleaned_data["jahr"]
        heute = timezone.localdate().year
        if not ERSTES_JAHR <= jahr <= heute:
            raise forms.ValidationError(
                _("Bitte ein Jahr zwischen %(von)s und %(bis)s angeben.")
                % {"von": ERSTES_JAHR, "bis": heute}
            )
        return jahr


@require_GET
@auswertung_erforderlich
def quartiersbericht(request: Anfrage) -> HttpResponse:
    daten = request.GET if request.GET else None
    form = BerichtForm(daten, initial={"jahr": timezone.localdate().year - 1})
    inhalt = None
    if form.is_bound and form.is_valid():
        inhalt = bericht.bericht(form.cleaned_data["quartier"], form.cleaned_data["jahr"])
        inhalt["diagramm_monate"] = Diagramm(
            "bericht-monate", inhalt["anliegen"]["monate"], typ="line"
        )
    return render(
        request,
        "anliegen/quartiersbericht.html",
        {
            "form": form,
            "b": inhalt,
            "erstellt": timezone.localdate(),
        },
    )


urls = [path("auswertung/quartiersbericht/", quartiersbericht, name="quartiersbericht")]
