"""Dateien hochladen: ein Feld für mehrere Dateien (beim Erfassen und auf der Anliegen-Seite).

Geprüft wird jede Datei in anliegen/anhaenge.py; `cleaned_data` enthält danach eine Liste von
`GepruefteDatei`. Browser können Dateien nach einem Fehler nicht wieder einsetzen: die Seite
bittet dann, sie erneut auszuwählen (die übrigen Eingaben bleiben).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from quartier.forms import KernFormMixin

from ..anhaenge import GepruefteDatei, pruefen

ANNEHMEN = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"


class MehrereDateienWidget(forms.ClearableFileInput):
    allow_multiple_selected = True


class MehrereDateienFeld(forms.FileField):
    """Mehrere Dateien in einem Feld (Django-Doku „Uploading multiple files“); jede wird
    geprüft, alle Fehler auf einmal gemeldet."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MehrereDateienWidget(attrs={"accept": ANNEHMEN}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[GepruefteDatei]:
        dateien = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not dateien:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        hoechstens = settings.QL_ANHANG_MAX_ANZAHL
        if len(dateien) > hoechstens:
            raise ValidationError(
                ngettext(
                    "Bitte höchstens %(anzahl)d Datei auf einmal hochladen.",
                    "Bitte höchstens %(anzahl)d Dateien auf einmal hochladen.",
                    hoechstens,
                )
                % {"anzahl": hoechstens},
                code="zu_viele",
            )
        geprueft, fehler = [], []
        for datei in dateien:
            try:
                geprueft.append(pruefen(datei))
            except ValidationError as f:
                fehler.extend(f.error_list)
        if fehler:
            raise ValidationError(fehler)
        return geprueft


def _hinweis() -> str:
    return gettext(
        "JPEG, PNG, WebP oder PDF, höchstens %(mb)s MB je Datei. Bei Fotos werden "
        "Standort und andere Metadaten entfernt."
    ) % {"mb": settings.QL_ANHANG_MAX_MB}


def dateien_feld(*, required: bool) -> MehrereDateienFeld:
    return MehrereDateienFeld(
        label=_("Fotos und Dokumente"),
        required=required,
        help_text=lazy(_hinweis, str)(),
        error_messages={"required": _("Bitte mindestens eine Datei auswählen.")},
    )


def freigeben_feld() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("für Fachbereiche und andere Quartiere freigeben"),
        required=False,
        help_text=_(
            "Nur ankreuzen, wenn die Dateien keine personenbezogenen Daten zeigen "
            "(keine Gesichter, Namen, Anschriften, Kennzeichen)."
        ),
    )


class AnhangForm(KernFormMixin, forms.Form):
    """„Anhang hinzufügen“ auf der Seite eines Anliegens."""

    dateien = dateien_feld(required=True)
    freigegeben = freigeben_feld()
