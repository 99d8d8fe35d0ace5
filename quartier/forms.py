import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Bezirk, Quartier, Sozialraum

# Deutsches Zahlenformat: 12,5 oder 1.234,5 (Punkt nur als Tausendertrenner).
_DEUTSCHE_ZAHL = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def deutsche_zahl(text: str) -> Decimal | None:
    """„1.234,50“ → Decimal("1234.50"); None, wenn es keine Zahl im deutschen Format ist.

    Ein Punkt gilt nur als Tausendertrenner („6.000“ sind sechstausend), wie Menschen in
    deutschen Formularen und Tabellen schreiben; „12.5“ ist deshalb keine gültige Zahl.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("€")
    if not _DEUTSCHE_ZAHL.match(text):
        return None
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover – vom regulären Ausdruck ausgeschlossen
        return None


class DeutscheDezimalzahlFeld(forms.DecimalField):
    """DecimalField, das Eingaben wie „1.250,50“ oder „6.000 €“ versteht und so anzeigt."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    # DecimalField erbt in Django von IntegerField; die Stubs tragen denselben Konflikt.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str) and value.strip():
            zahl = deutsche_zahl(value)
            if zahl is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = str(zahl)
        return super().to_python(value)


# Bereich einer 64-Bit-Ganzzahl (SQLite, bigint): größere Zahlen wirft SQLite als
# OverflowError, schon beim Vergleichen (Eindeutigkeit, Bedingungen), nicht erst beim Speichern.
GANZZAHL_MIN = -(2**63)
GANZZAHL_MAX = 2**63 - 1


def ganzzahl_begrenzen(feld: forms.Field) -> None:
    """Gibt einem Ganzzahlfeld ohne eigene Grenzen die Grenzen von 64 Bit (Formularfehler
    „kleiner oder gleich …“ statt Serverfehler). Dezimal- und Kommazahlen bleiben unberührt."""
    if not isinstance(feld, forms.IntegerField) or isinstance(
        feld, forms.FloatField | forms.DecimalField
    ):
        return
    if feld.max_value is None:
        feld.max_value = GANZZAHL_MAX
        feld.validators.append(MaxValueValidator(GANZZAHL_MAX))
    if feld.min_value is None:
        feld.min_value = GANZZAHL_MIN
        feld.validators.append(MinValueValidator(GANZZAHL_MIN))


def auswahl(feld: forms.Field) -> "forms.ModelChoiceField[Any]":
    """Ein Auswahlfeld aus `self.fields[…]`, um `queryset` oder `empty_label` zu setzen.

    `BaseForm.fields` ist in den Stubs ein `dict[str, Field]`; hier wird es wieder das
    `ModelChoiceField` (oder `ModelMultipleChoiceField`), das das Feld ohnehin ist.
    """
    assert isinstance(feld, forms.ModelChoiceField)
    return feld


if TYPE_CHECKING:
    _Formular = forms.BaseForm
else:
    _Formular = object


class KernFormMixin(_Formular):
    """Setzt an jedem Widget die CSS-Klasse von KERN, bei Fehlern dazu die Fehlerklasse.

    Nebenbei begrenzt es Ganzzahlfelder auf 64 Bit (`ganzzahl_begrenzen`); ids in Auswahlen
    außerhalb dieses Bereichs erledigt quartier/lookups.py für alle Formulare.

    `aria-describedby` (auf `<id>_helptext` und `<id>_error`) und `aria-invalid` setzt
    Django 5.2 selbst; `templates/components/_feld.html` rendert Hinweis und Fehler mit
    genau diesen ids.
    """

    KLASSEN = {
        forms.CheckboxInput: "kern-form-check__checkbox",
        # CheckboxSelectMultiple erbt von RadioSelect: muss davor stehen.
        forms.CheckboxSelectMultiple: "kern-form-check__checkbox",
        forms.RadioSelect: "kern-form-check__radio",
        forms.Select: "kern-form-input__select",
        forms.SelectMultiple: "kern-form-input__select",
    }
    STANDARD = "kern-form-input__input"

    def _klasse(self, widget: forms.Widget) -> str:
        return next(
            (k for typ, k in self.KLASSEN.items() if isinstance(widget, typ)), self.STANDARD
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for feld in self.fields.values():
            ganzzahl_begrenzen(feld)
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


class DeutschesDatumFeld(forms.DateField):
    """Datum als Text im deutschen Format (TT.MM.JJJJ), so wie es auch in der URL steht
    (`?stichtag=01.01.2019`); ISO-Daten (2019-01-01) werden ebenfalls verstanden."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d.%m.%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
        )
        kwargs.setdefault("input_formats", ["%d.%m.%Y", "%Y-%m-%d"])
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _(
                    "Bitte ein gültiges Datum im Format TT.MM.JJJJ eingeben, z. B. 01.01.2019."
                )
            },
        )
        super().__init__(*args, **kwargs)


# --- Bausteine der Auswertungsfilter (GET, in der URL) -----------------------------------


def bezirk_feld() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Bezirk"),
        queryset=Bezirk.objects.order_by("name"),
        required=False,
        empty_label=_("alle Bezirke"),
    )


def sozialraum_feld() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Sozialraum"),
        queryset=Sozialraum.objects.order_by("nummer"),
        required=False,
        empty_label=_("alle Sozialräume"),
    )


def quartier_feld() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=Quartier.objects.order_by("name"),
        required=False,
        empty_label=_("alle Quartiere"),
    )


class ZeitraumForm(KernFormMixin, forms.Form):
    """Jahr oder Zeitraum von–bis; ein Jahr wird in `clean` zu von = 1.1., bis = 31.12."""

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

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
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


class VersorgungForm(StichtagForm):
    """Filter der Versorgungsauswertung: Stichtag, Bezirk, Sozialraum (GET, in der URL)."""

    stichtag = DeutschesDatumFeld(
        label=_("Stichtag"),
        required=False,
        help_text=_("TT.MM.JJJJ; welche Stellen an diesem Tag laufen (leer = heute)."),
    )
    bezirk = bezirk_feld()
    sozialraum = sozialraum_feld()
