import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KernFormMixin:
    """Setzt an jedem Widget die KERN-Klassen und verknüpft Hinweis und Fehler barrierefrei.

    `templates/components/_feld.html` rendert Hinweise mit der id `<auto_id>_hinweis` und
    Fehler mit `<auto_id>_fehler`; hier zeigen `aria-describedby` und `aria-invalid` darauf.
    """

    KLASSEN = {
        forms.CheckboxInput: "kern-form-check__checkbox",
        forms.RadioSelect: "kern-form-check__radio",
        forms.CheckboxSelectMultiple: "kern-form-check__checkbox",
        forms.Select: "kern-form-input__select",
        forms.SelectMultiple: "kern-form-input__select",
        forms.Textarea: "kern-form-input__input",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for feld in self.fields.values():
            widget = feld.widget
            klasse = next(
                (k for typ, k in self.KLASSEN.items() if isinstance(widget, typ)),
                "kern-form-input__input",
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {klasse}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def __getitem__(self, name: str):
        gebunden = super().__getitem__(name)
        widget = gebunden.field.widget
        beschrieben = []
        if gebunden.help_text:
            beschrieben.append(f"{gebunden.auto_id}_hinweis")
        if self.is_bound and gebunden.errors:
            beschrieben.append(f"{gebunden.auto_id}_fehler")
        if beschrieben:
            widget.attrs["aria-describedby"] = " ".join(beschrieben)
        else:
            widget.attrs.pop("aria-describedby", None)
        return gebunden


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
