"""Filter der Auswertung Netzwerkaktivität (GET, in der URL)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.forms import DeutschesDatumFeld, KernFormMixin
from quartier.models import Bezirk, Quartier

from ..models import Netzwerkart


class AktivitaetForm(KernFormMixin, forms.Form):
    jahr = forms.IntegerField(
        label=_("Jahr"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Ein ganzes Jahr; oder Zeitraum von–bis."),
        error_messages={"invalid": _("Bitte ein Jahr als Zahl eingeben, z. B. 2025.")},
    )
    von = DeutschesDatumFeld(label=_("von"), required=False, help_text=_("TT.MM.JJJJ"))
    bis = DeutschesDatumFeld(label=_("bis"), required=False, help_text=_("TT.MM.JJJJ"))
    bezirk = forms.ModelChoiceField(
        label=_("Bezirk"),
        queryset=Bezirk.objects.order_by("name"),
        required=False,
        empty_label=_("alle Bezirke"),
    )
    quartier = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=Quartier.objects.order_by("name"),
        required=False,
        empty_label=_("alle Quartiere"),
    )
    art = forms.ChoiceField(
        label=_("Art des Netzwerks"),
        choices=[("", _("alle Arten")), *Netzwerkart.choices],
        required=False,
    )

    def clean(self) -> dict:
        daten = super().clean()
        jahr, von, bis = daten.get("jahr"), daten.get("von"), daten.get("bis")
        if jahr and (von or bis):
            raise forms.ValidationError(
                _("Bitte entweder ein Jahr oder einen Zeitraum von–bis angeben, nicht beides.")
            )
        if jahr:
            daten["von"], daten["bis"] = datetime.date(jahr, 1, 1), datetime.date(jahr, 12, 31)
        elif von and bis and von > bis:
            self.add_error("bis", _("Das Ende des Zeitraums liegt vor seinem Anfang."))
        return daten
