"""Formulare für Akteure: Stammdaten, Ansprechpersonen und Angebotszeiten (Bürogemeinschaft)."""

from typing import Any, TypedDict

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from quartier.forms import KernFormMixin, auswahl
from quartier.models import Quartier, User
from quartier.permissions import eigene_quartiere, sichtbare_bueros, sichtbare_quartiere

from ..models import Akteur, Angebotszeit, Ansprechperson
from ..permissions import sichtbare_akteure
from .netzwerke import VersionMixin, pruefe_eigene_quartiere

PLZ = RegexValidator(r"^[0-9]{5}$", _("Die PLZ hat fünf Ziffern, z. B. 52062."))
EMAIL_FEHLER = {"invalid": _("Bitte eine gültige E-Mail-Adresse eingeben, z. B. info@example.de.")}
UHRZEIT_FEHLER = {"invalid": _("Bitte eine Uhrzeit eingeben, z. B. 14:30.")}


class AkteurForm(VersionMixin, KernFormMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": _("Bitte eine gültige Internetadresse eingeben, z. B. https://example.de.")
        },
    )

    class Meta:
        model = Akteur
        fields = [
            "name",
            "art",
            "traeger",
            "quartiere",
            "zielgruppen",
            "strasse",
            "plz",
            "ort",
            "telefon",
            "email",
            "website",
            "angebote",
            "aktiv",
        ]
        widgets = {
            "quartiere": forms.CheckboxSelectMultiple,
            "zielgruppen": forms.CheckboxSelectMultiple,
            "angebote": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"unique": _("Einen Akteur mit diesem Namen gibt es schon.")},
            "email": EMAIL_FEHLER,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        traeger = sichtbare_akteure(user)
        if self.instance.pk:
            traeger = traeger.exclude(pk=self.instance.pk)
        auswahl(self.fields["traeger"]).queryset = traeger
        auswahl(self.fields["traeger"]).empty_label = _("kein Träger")
        auswahl(self.fields["quartiere"]).queryset = sichtbare_quartiere(user).order_by("name")
        self.fields["plz"].validators.append(PLZ)
        self.eigene = list(eigene_quartiere(user).order_by("name"))
        if not self.instance.pk and not self.is_bound and not self.initial.get("quartiere"):
            self.initial["quartiere"] = [q.pk for q in self.eigene]

    def clean_quartiere(self) -> QuerySet[Quartier]:
        """Mindestens eines der eigenen Quartiere, sonst wäre der Akteur danach gesperrt."""
        quartiere: QuerySet[Quartier] = self.cleaned_data["quartiere"]
        pruefe_eigene_quartiere(self.user, quartiere)
        return quartiere
        if not self.eigene:
            raise forms.ValidationError(
                _(
                    "Ihnen ist derzeit kein Quartier zugeordnet. Bitte wenden Sie sich an die "
                    "Administration."
                )
            )
        if not {q.pk for q in quartiere} & {q.pk for q in self.eigene}:
            raise forms.ValidationError(
                _(
                    "Bitte wählen Sie mindestens eines Ihrer Quartiere aus (%(quartiere)s), "
                    "sonst können Sie den Akteur danach nicht mehr bearbeiten."
                )
                % {"quartiere": ", ".join(q.name for q in self.eigene)}
            )
        return quartiere

    def clean_traeger(self) -> Akteur | None:
        traeger: Akteur | None = self.cleaned_data["traeger"]
        if traeger is None or not self.instance.pk:
            return traeger
        # Kein Kreis: der neue Träger darf nicht selbst (mittelbar) zu diesem Akteur gehören.
        oben = dict(Akteur.objects.values_list("pk", "traeger_id"))
        schritt: int | None = traeger.pk
        gesehen: set[int] = set()
        while schritt is not None and schritt not in gesehen:
            if schritt == self.instance.pk:
                raise forms.ValidationError(
                    _(
                        "„%(traeger)s“ gehört selbst zu diesem Akteur und kann nicht sein "
                        "Träger sein."
                    )
                    % {"traeger": traeger}
                )
            gesehen.add(schritt)
            schritt = oben.get(schritt)
        return traeger


class AnsprechpersonForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Ansprechperson
        fields = ["name", "funktion", "email", "telefon"]
        error_messages = {"email": EMAIL_FEHLER}


class AngebotszeitForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Angebotszeit
        fields = ["buero", "angebot", "wochentag", "beginn", "ende", "hinweis"]
        widgets = {
            "beginn": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ende": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {"beginn": UHRZEIT_FEHLER, "ende": UHRZEIT_FEHLER}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        auswahl(self.fields["buero"]).queryset = sichtbare_bueros(user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        beginn, ende = daten.get("beginn"), daten.get("ende")
        if beginn and ende and ende <= beginn:
            self.add_error("ende", _("Das Ende muss nach dem Beginn liegen."))
        return daten


class _KernInlineFormSet(BaseInlineFormSet):
    """Das Feld „entfernen“ kommt erst nach dem Formular dazu; es braucht die KERN-Klasse."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("entfernen")
            form.fields["DELETE"].widget.attrs["class"] = "kern-form-check__checkbox"


# Je Liste höchstens so viele Einträge. `absolute_max` begrenzt auch, wie viele Formulare eine
# manipulierte Angabe `…-TOTAL_FORMS` erzeugt: ohne Grenze baut Django bis zu 2.000 je Liste,
# prüft und zeigt sie (eine Anfrage hielt einen Worker 10–20 s beschäftigt).
HOECHSTENS_EINTRAEGE = 50


class _Grenzen(TypedDict):
    max_num: int
    absolute_max: int
    validate_max: bool


GRENZEN: _Grenzen = {
    "max_num": HOECHSTENS_EINTRAEGE,
    "absolute_max": HOECHSTENS_EINTRAEGE,
    "validate_max": True,
}
UNVOLLSTAENDIG = _("Das Formular wurde unvollständig übertragen. Bitte laden Sie die Seite neu.")


class _AnsprechpersonFormSet(_KernInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte höchstens %(num)d Ansprechpersonen auf einmal eintragen."),
        "missing_management_form": UNVOLLSTAENDIG,
    }


class _AngebotszeitFormSet(_KernInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte höchstens %(num)d Angebotszeiten auf einmal eintragen."),
        "missing_management_form": UNVOLLSTAENDIG,
    }


AnsprechpersonFormSet = inlineformset_factory(
    Akteur,
    Ansprechperson,
    form=AnsprechpersonForm,
    formset=_AnsprechpersonFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    **GRENZEN,
)

AngebotszeitFormSet = inlineformset_factory(
    Akteur,
    Angebotszeit,
    form=AngebotszeitForm,
    formset=_AngebotszeitFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    **GRENZEN,
)
