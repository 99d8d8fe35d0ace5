import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KernFormMixin:
    """Setzt an jedem Widget die CSS-Klasse von KERN, bei Fehlern dazu die Fehlerklasse.

    `aria-describedby` (auf `<id>_helptext` und `<id>_error`) und `aria-invalid` setzt
    Django 5.2 selbst; `templates/components/_feld.html` rendert Hinweis und Fehler mit
    genau diesen ids.
    """

    KLASSEN = {
        forms.CheckboxInput: "kern-form-check__checkbox",
        forms.RadioSelect: "kern-form-check__radio",
        forms.CheckboxSelectMultiple: "kern-form-check__checkbox",
        forms.Select: "kern-form-input__select",
        forms.SelectMultiple: "kern-form-input__select",
    }
    STANDARD = "kern-form-input__input"

    def _klasse(self, widget: forms.Widget) -> str:
        return next(
            (k for typ, k in self.KLASSEN.items() if isinstance(widget, typ)), self.STANDARD
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for feld in self.fields.values():
            if feld.widget.is_hidden:
                continue
            klasse = self._klasse(feld.widget)
            feld.widget.attrs["class"] = f"{feld.widget.attrs.get('class', '')} {klasse}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            feld = self.fields.get(name)
            if feld is None or feld.widget.is_hidden:
                continue
            fehlerklasse = f"{self._klasse(feld.widget)}--error"
            if fehlerklasse not in feld.widget.attrs.get("class", ""):
                feld.widget.attrs["class"] += f" {fehlerklasse}"


class StichtagForm(KernFormMixin, forms.Form):
    """Stichtag für die Versorgungsübersicht; leer bedeutet heute."""

    stichtag = forms.DateField(
        label=_("Stichtag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Welche Stellen an diesem Tag laufen (leer = heute)."),
        error_messages={"invalid": _("Bitte ein gültiges Datum eingeben, z. B. 31.12.2018.")},
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def clean_stichtag(self) -> datetime.date:
        tag = self.cleaned_data.get("stichtag") or timezone.localdate()
        if not datetime.date(1990, 1, 1) <= tag <= datetime.date(2100, 12, 31):
            raise forms.ValidationError(_("Bitte ein Datum zwischen 1990 und 2100 wählen."))
        return tag
