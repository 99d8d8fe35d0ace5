"""Filter der Auswertung Anliegen (GET, in der URL)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.forms import DeutschesDatumFeld, KernFormMixin
from quartier.models import Bezirk, Fachbereich, Quartier, Sozialraum

from ..models import Bedarf, Thema


class AnliegenAuswertungForm(KernFormMixin, forms.Form):
    """Zeitraum (Jahr oder von–bis, Vorgabe: die letzten zwölf Monate), Ort (Bezirk,
    Sozialraum, Quartier), Thema, Bedarf und Fachbereich."""

    jahr = forms.IntegerField(
        label=_("Jahr"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Ein ganzes Jahr; oder Zeitraum von–bis."),
        error_messages={"invalid": _("Bitte ein Jahr als Zahl eingeben, z. B. 2025.")},
    )
    von = DeutschesDatumFeld(
        label=_("erfasst von"), required=False, help_text=_("TT.MM.JJJJ; leer: vor 12 Monaten")
    )
    bis = DeutschesDatumFeld(
        label=_("erfasst bis"), required=False, help_text=_("TT.MM.JJJJ; leer: heute")
    )
    bezirk = forms.ModelChoiceField(
        label=_("Bezirk"),
        queryset=Bezirk.objects.order_by("name"),
        required=False,
        empty_label=_("alle Bezirke"),
    )
    sozialraum = forms.ModelChoiceField(
        label=_("Sozialraum"),
        queryset=Sozialraum.objects.order_by("nummer"),
        required=False,
        empty_label=_("alle Sozialräume"),
    )
    quartier = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=Quartier.objects.order_by("name"),
        required=False,
        empty_label=_("alle Quartiere"),
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Thema.objects.order_by("name"),
        required=False,
        empty_label=_("alle Themen"),
    )
    bedarf = forms.ModelChoiceField(
        label=_("Bedarf"),
        queryset=Bedarf.objects.order_by("name"),
        required=False,
        empty_label=_("alle Bedarfe"),
    )
    fachbereich = forms.ModelChoiceField(
        label=_("Fachbereich"),
        queryset=Fachbereich.objects.order_by("kuerzel"),
        required=False,
        empty_label=_("alle Fachbereiche"),
        help_text=_("Nur Anliegen, die an ihn weitergeleitet wurden."),
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
