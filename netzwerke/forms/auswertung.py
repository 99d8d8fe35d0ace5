"""Filter der Auswertung Netzwerkaktivität (GET, in der URL)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.forms import ZeitraumForm, bezirk_feld, quartier_feld

from ..models import Netzwerkart


class AktivitaetForm(ZeitraumForm):
    bezirk = bezirk_feld()
    quartier = quartier_feld()
    art = forms.ChoiceField(
        label=_("Art des Netzwerks"),
        choices=[("", _("alle Arten")), *Netzwerkart.choices],
        required=False,
    )
