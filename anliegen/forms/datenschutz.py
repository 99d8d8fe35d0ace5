"""Formulare der Datenschutz-Seiten in der Verwaltung (Auskunft und Löschung)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Meldende

MINDESTLAENGE = 3


class SucheForm(forms.Form):
    suchbegriff = forms.CharField(
        label=_("Name, E-Mail-Adresse oder Telefonnummer"),
        min_length=MINDESTLAENGE,
        max_length=150,
        error_messages={
            "required": _("Bitte einen Namen, eine E-Mail-Adresse oder Telefonnummer eingeben."),
            "min_length": _(
                "Bitte mindestens %(limit_value)d Zeichen eingeben, damit nicht zu viele "
                "Personen gefunden werden."
            ),
            "max_length": _("Bitte höchstens %(limit_value)d Zeichen eingeben."),
        },
    )

    def clean_suchbegriff(self) -> str:
        begriff = self.cleaned_data["suchbegriff"].strip()
        if len(begriff) < MINDESTLAENGE:
            raise forms.ValidationError(
                _("Bitte mindestens %(n)d Zeichen eingeben (ohne Leerzeichen am Rand).")
                % {"n": MINDESTLAENGE}
            )
        return begriff


class AuswahlForm(forms.Form):
    """Die Personen aus der Trefferliste, um die es geht."""

    suchbegriff = forms.CharField(max_length=150, required=False, widget=forms.HiddenInput)
    meldende = forms.ModelMultipleChoiceField(
        queryset=Meldende.objects.all(),
        error_messages={
            "required": _("Bitte mindestens eine Person auswählen."),
            "invalid_choice": _("Diese Person gibt es nicht (mehr)."),
            "invalid_pk_value": _("Diese Person gibt es nicht (mehr)."),
        },
    )


class LoeschenForm(AuswahlForm):
    begruendung = forms.CharField(
        label=_("Begründung der Löschung"),
        help_text=_(
            "Zum Beispiel: „Antrag nach Art. 17 DSGVO per Brief vom 3.11.“. Wird im Verlauf der "
            "Anliegen vermerkt; Name und Kontaktdaten der Person werden daraus entfernt."
        ),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Bitte begründen Sie die Löschung."),
            "min_length": _(
                "Bitte begründen Sie die Löschung (mindestens %(limit_value)d Zeichen)."
            ),
        },
    )
