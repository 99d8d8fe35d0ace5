"""Filter der Auswertung Anliegen (GET, in der URL)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.forms import (
    DeutschesDatumFeld,
    ZeitraumForm,
    bezirk_feld,
    quartier_feld,
    sozialraum_feld,
)
from quartier.models import Fachbereich

from ..auswertung import standardzeitraum
from ..models import Bedarf, Thema


class AnliegenAuswertungForm(ZeitraumForm):
    """Zeitraum (Jahr oder von–bis, Vorgabe: die letzten zwölf Kalendermonate einschließlich
    des laufenden, `auswertung.standardzeitraum`), Ort (Bezirk, Sozialraum, Quartier), Thema,
    Bedarf und Fachbereich. Ist nur eine Grenze gesetzt, ist die andere offen."""

    von = DeutschesDatumFeld(label=_("erfasst von"), required=False)
    bis = DeutschesDatumFeld(
        label=_("erfasst bis"), required=False, help_text=_("TT.MM.JJJJ; leer: bis heute")
    )
    bezirk = bezirk_feld()
    sozialraum = sozialraum_feld()
    quartier = quartier_feld()
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        von, _bis = standardzeitraum()
        # Der Hinweis sagt, was die Vorgabe wirklich ist (nicht „vor 12 Monaten“).
        self.fields["von"].help_text = _(
            "TT.MM.JJJJ; leer: ohne Anfang. Ohne Jahr und Zeitraum: die letzten zwölf "
            "Kalendermonate ab dem %(datum)s."
        ) % {"datum": f"{von:%d.%m.%Y}"}
