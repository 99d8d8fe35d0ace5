"""Formulare des Stadtteilfonds. Sie prüfen die Eingabe; die Regeln des Ablaufs (Zustand,
Budget, Befangenheit) prüft netzwerke/fonds.py und meldet sie auf die Felder zurück."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.forms import DeutscheDezimalzahlFeld, KernFormMixin, auswahl
from quartier.models import Rolle, User
from quartier.permissions import eigene_quartiere

from ..fonds import fehlende_befangene
from ..models import Akteur, Antrag, Mitgliedschaft, Netzwerkart, Projekt, Sitzung, Stadtteilfonds
from ..permissions import sichtbare_projekte

BETRAG = {
    "max_digits": 10,
    "decimal_places": 2,
    "error_messages": {
        "invalid": _("Bitte einen Betrag in Euro eingeben, z. B. 1.250,50."),
        "max_decimal_places": _("Bitte höchstens zwei Nachkommastellen (Cent) angeben."),
        "max_digits": _("Der Betrag ist zu groß."),
        "max_whole_digits": _("Der Betrag ist zu groß."),
    },
}


class _MitVersion(forms.Form):
    """Die Version, auf der die Eingabe beruht (optimistisches Sperren)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class FondsForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Stadtteilfonds
        fields = ["netzwerk", "jahr", "budget"]
        field_classes = {"budget": DeutscheDezimalzahlFeld}
        error_messages = {
            "budget": {"invalid": _("Bitte einen Betrag in Euro eingeben, z. B. 5.000.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        netzwerk = auswahl(self.fields["netzwerk"])
        assert netzwerk.queryset is not None  # aus dem Modellfeld, also immer gesetzt
        netzwerk.queryset = netzwerk.queryset.filter(art=Netzwerkart.STADTTEILKONFERENZ, aktiv=True)
        self.fields["jahr"].initial = timezone.localdate().year

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error(
                "jahr",
                _("Für diese Stadtteilkonferenz gibt es in diesem Jahr schon einen Fonds."),
            )


class AntragForm(KernFormMixin, forms.Form):
    antragsteller = forms.ModelChoiceField(
        label=_("Antragsteller"), queryset=Akteur.objects.filter(aktiv=True)
    )
    vorhaben = forms.CharField(label=_("Vorhaben"), max_length=200)
    beschreibung = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Was ist geplant, wer macht mit, wie profitiert das Quartier?"),
    )
    beantragt = DeutscheDezimalzahlFeld(label=_("Beantragter Betrag (€)"), **BETRAG)
    projekt = forms.ModelChoiceField(
        label=_("finanziert das Projekt"),
        queryset=Projekt.objects.none(),
        required=False,
        empty_label=_("– kein Projekt –"),
        help_text=_("Nur Projekte Ihrer Quartiere, die noch durch keinen Antrag gefördert werden."),
        error_messages={
            "invalid_choice": _(
                "Bitte ein Projekt Ihrer Quartiere wählen, das noch durch keinen Antrag "
                "gefördert wird."
            )
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Die Auswahl ist zugleich die Prüfung: ein Projekt, das die Person bearbeiten darf
        # (`darf_projekt_bearbeiten`: eigene Quartiere, die Administration alle) und das noch
        # frei ist. Dass es beim Speichern noch frei ist, prüft die View unter Sperre.
        projekte = sichtbare_projekte(user).filter(antrag__isnull=True)
        if user.rolle != Rolle.ADMINISTRATION:
            projekte = projekte.filter(quartiere__in=eigene_quartiere(user)).distinct()
        auswahl(self.fields["projekt"]).queryset = projekte.order_by("titel", "pk")


class AbstimmenForm(KernFormMixin, _MitVersion):
    sitzung: "forms.ModelChoiceField[Sitzung]" = forms.ModelChoiceField(
        label=_("Sitzung der Stadtteilkonferenz"), queryset=None
    )
    quartiersbezug = forms.BooleanField(
        label=_("Das Vorhaben hat Bezug zum Quartier"), required=False
    )
    beteiligung = forms.BooleanField(
        label=_("Das Vorhaben ist beteiligungsorientiert"), required=False
    )
    eigeninitiative = forms.BooleanField(
        label=_("Das Vorhaben beruht auf Eigeninitiative"), required=False
    )
    ja = forms.IntegerField(label=_("Ja-Stimmen"), min_value=0, max_value=500)
    nein = forms.IntegerField(label=_("Nein-Stimmen"), min_value=0, max_value=500)
    enthaltung = forms.IntegerField(label=_("Enthaltungen"), min_value=0, max_value=500)
    befangene: "forms.ModelMultipleChoiceField[Akteur]" = forms.ModelMultipleChoiceField(
        label=_("Befangene Mitglieder (stimmen nicht mit)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Anwesende Mitglieder, die zum Antragsteller gehören (er selbst, sein Träger, seine "
            "Einrichtungen), sind befangen und müssen markiert sein."
        ),
    )

    def __init__(self, *args: Any, antrag: Antrag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        netzwerk = antrag.fonds.netzwerk
        auswahl(self.fields["sitzung"]).queryset = Sitzung.objects.filter(
            netzwerk=netzwerk, beginn__lte=timezone.now() + datetime.timedelta(hours=12)
        ).order_by("-beginn")
        mitglieder = Mitgliedschaft.objects.aktiv().filter(netzwerk=netzwerk).values("akteur")
        auswahl(self.fields["befangene"]).queryset = Akteur.objects.filter(pk__in=mitglieder)
        self.antrag = antrag

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        sitzung, befangene = daten.get("sitzung"), daten.get("befangene")
        if sitzung is not None and befangene is not None:
            meldung = fehlende_befangene(self.antrag, sitzung, befangene)
            if meldung:
                self.add_error("befangene", meldung)
        return daten


class EntscheidenForm(KernFormMixin, _MitVersion):
    BEWILLIGEN, ABLEHNEN = "bewilligen", "ablehnen"
    entscheidung = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[(BEWILLIGEN, _("bewilligen (ganz oder teilweise)")), (ABLEHNEN, _("ablehnen"))],
        widget=forms.RadioSelect,
    )
    bewilligt_betrag = DeutscheDezimalzahlFeld(
        label=_("Bewilligter Betrag (€)"), required=False, **BETRAG
    )
    begruendung = forms.CharField(
        label=_("Begründung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pflicht bei Ablehnung; geht an den Antragsteller."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        if daten.get("entscheidung") == self.BEWILLIGEN and daten.get("bewilligt_betrag") is None:
            self.add_error("bewilligt_betrag", _("Bitte den bewilligten Betrag angeben."))
        if daten.get("entscheidung") == self.ABLEHNEN:
            daten["bewilligt_betrag"] = None
        return daten


class AuszahlenForm(KernFormMixin, _MitVersion):
    am = forms.DateField(
        label=_("Ausgezahlt am"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Bitte ein gültiges Datum eingeben, z. B. 31.05.2026.")},
    )

    def clean_am(self) -> datetime.date:
        am: datetime.date = self.cleaned_data["am"]
        if am > timezone.localdate():
            raise forms.ValidationError(_("Die Auszahlung kann nicht in der Zukunft liegen."))
        return am


class NachweisForm(KernFormMixin, _MitVersion):
    verausgabt = DeutscheDezimalzahlFeld(label=_("Verausgabter Betrag (€)"), **BETRAG)
    bericht = forms.CharField(
        label=_("Kurzbericht"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wofür wurde das Geld verwendet, wie viele haben teilgenommen?"),
    )


class AbschliessenForm(KernFormMixin, _MitVersion):
    pass


class ZurueckziehenForm(KernFormMixin, _MitVersion):
    grund = forms.CharField(label=_("Grund"), widget=forms.Textarea(attrs={"rows": 3}))
