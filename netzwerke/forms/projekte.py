"""Formular für Projekte im Quartier."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartier.forms import KernFormMixin, auswahl
from quartier.models import Quartier, Rolle, User
from quartier.permissions import sichtbare_quartiere

from ..models import Antrag, Projekt
from ..permissions import sichtbare_akteure, sichtbare_antraege
from .netzwerke import AkteurAuswahl, VersionMixin, datumsfeld, pruefe_eigene_quartiere


class AntragAuswahl(forms.ModelChoiceField):
    def label_from_instance(self, obj: Antrag) -> str:
        return f"{obj.vorhaben} – {obj.antragsteller} ({obj.fonds.netzwerk}, {obj.fonds.jahr})"


class VerantwortlichAuswahl(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class ProjektForm(VersionMixin, KernFormMixin, forms.ModelForm):
    fortschritt = forms.IntegerField(
        label=gettext_lazy("Fortschritt (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Bitte den Fortschritt in Prozent (0 bis 100) angeben."),
            "invalid": gettext_lazy("Bitte eine ganze Zahl zwischen 0 und 100 eingeben."),
            "min_value": gettext_lazy("Der Fortschritt muss zwischen 0 und 100 Prozent liegen."),
            "max_value": gettext_lazy("Der Fortschritt muss zwischen 0 und 100 Prozent liegen."),
        },
    )
    partner = AkteurAuswahl(
        label=gettext_lazy("Partner"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Mehrere mit Strg (Mac: Cmd) oder durch Antippen auswählen."),
    )
    verantwortlich = VerantwortlichAuswahl(
        label=gettext_lazy("verantwortlich"), queryset=None, required=False
    )
    beginn = datumsfeld(gettext_lazy("Beginn"), required=False)
    ende = datumsfeld(gettext_lazy("Ende"), required=False)
    antrag = AntragAuswahl(
        label=gettext_lazy("gefördert durch Antrag an den Stadtteilfonds"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Nur Anträge, die noch keinem Projekt zugeordnet sind."),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Bitte einen Antrag an den Stadtteilfonds wählen, der noch keinem anderen "
                "Projekt zugeordnet ist."
            )
        },
    )

    class Meta:
        model = Projekt
        fields = [
            "titel",
            "art",
            "status",
            "fortschritt",
            "quartiere",
            "partner",
            "verantwortlich",
            "beginn",
            "ende",
            "teilnehmende",
            "beschreibung",
            "oeffentlich",
            "oeffentlicher_text",
            "antrag",
        ]
        widgets = {
            "quartiere": forms.CheckboxSelectMultiple,
            "beschreibung": forms.Textarea(attrs={"rows": 5}),
            "oeffentlicher_text": forms.Textarea(attrs={"rows": 4, "maxlength": 600}),
            "teilnehmende": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        help_texts = {
            "oeffentlicher_text": gettext_lazy(
                "Kurz und positiv, höchstens 600 Zeichen; Pflicht, wenn das Projekt öffentlich ist."
            ),
            "teilnehmende": gettext_lazy("Anzahl, geschätzt genügt."),
        }
        error_messages = {
            "titel": {"required": gettext_lazy("Bitte einen Titel eingeben.")},
            "quartiere": {"required": gettext_lazy("Bitte mindestens ein Quartier wählen.")},
            "teilnehmende": {
                "min_value": gettext_lazy("Bitte eine Anzahl ab 0 eingeben."),
                "invalid": gettext_lazy("Bitte eine ganze Zahl eingeben."),
            },
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        projekt: Projekt = self.instance
        auswahl(self.fields["quartiere"]).queryset = sichtbare_quartiere(user).order_by("name")
        partner = projekt.partner.values("pk") if projekt.pk else []
        auswahl(self.fields["partner"]).queryset = (
            sichtbare_akteure(user).filter(Q(aktiv=True) | Q(pk__in=partner)).order_by("name")
        )
        auswahl(self.fields["verantwortlich"]).queryset = User.objects.filter(
            Q(rolle=Rolle.QUARTIERSMANAGEMENT, is_active=True) | Q(pk=projekt.verantwortlich_id)
        ).order_by("last_name", "first_name", "username")
        auswahl(self.fields["verantwortlich"]).empty_label = _("– niemand –")
        auswahl(self.fields["antrag"]).queryset = (
            sichtbare_antraege(user)
            .filter(Q(projekt__isnull=True) | Q(pk=projekt.antrag_id))
            .select_related("antragsteller", "fonds__netzwerk")
            .order_by("-fonds__jahr", "vorhaben")
        )
        auswahl(self.fields["antrag"]).empty_label = _("– kein Antrag –")
        if not projekt.pk and user.rolle == Rolle.QUARTIERSMANAGEMENT:
            self.fields["verantwortlich"].initial = user.pk

    def clean_quartiere(self) -> QuerySet[Quartier]:
        quartiere: QuerySet[Quartier] = self.cleaned_data["quartiere"]
        pruefe_eigene_quartiere(self.user, quartiere)
        return quartiere

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        beginn, ende = daten.get("beginn"), daten.get("ende")
        if beginn and ende and ende < beginn:
            self.add_error("ende", _("Das Ende darf nicht vor dem Beginn liegen."))
        if daten.get("oeffentlich") and not (daten.get("oeffentlicher_text") or "").strip():
            self.add_error(
                "oeffentlicher_text",
                ValidationError(
                    _(
                        "Ein öffentliches Projekt braucht einen Text für die "
                        "Öffentlichkeitsarbeit. Bitte einen kurzen Text eingeben oder "
                        "„öffentlich“ abwählen."
                    )
                ),
            )
        return daten
