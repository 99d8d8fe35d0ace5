"""Formulare für Netzwerke, Mitgliedschaften und Sitzungen (mit Tagesordnung)."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartier.forms import KernFormMixin, auswahl
from quartier.models import Quartier, User
from quartier.permissions import eigene_quartiere

from ..models import Akteur, Mitgliedschaft, Netzwerk, Sitzung
from ..permissions import darf_in_quartieren_arbeiten, sichtbare_akteure, sichtbare_netzwerke

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def pruefe_eigene_quartiere(user: User, quartiere: Iterable[Quartier]) -> None:
    """Das Quartiersmanagement legt nur an, was es danach auch bearbeiten darf.

    Entscheidet mit `permissions.darf_in_quartieren_arbeiten`; hier steht nur die Meldung.
    """
    auswahl = Quartier.objects.filter(pk__in=[q.pk for q in quartiere])
    if darf_in_quartieren_arbeiten(user, auswahl):
        return
    eigene = list(eigene_quartiere(user).order_by("name"))
    if not eigene:
        raise ValidationError(
            _(
                "Ihnen ist derzeit kein Quartier zugeordnet. Die Administration kann Sie einer "
                "Stelle zuordnen."
            )
        )
    raise ValidationError(
        _(
            "Bitte wählen Sie mindestens eines Ihrer Quartiere aus (%(namen)s); sonst können "
            "Sie den Eintrag danach nicht mehr bearbeiten."
        ),
        params={"namen": ", ".join(q.name for q in eigene)},
    )


# --- Formularbausteine -------------------------------------------------------------------

DATUM_FORMATE = ["%Y-%m-%d", "%d.%m.%Y"]
ZEITPUNKT_FORMATE = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


def datumsfeld(
    label: "StrOrPromise", *, required: bool = True, help_text: "StrOrPromise" = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATUM_FORMATE,
        error_messages={
            "required": gettext_lazy("Bitte ein Datum eingeben."),
            "invalid": gettext_lazy("Bitte ein gültiges Datum eingeben, z. B. 31.12.2018."),
        },
    )


def zeitpunktfeld(label: "StrOrPromise", *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=ZEITPUNKT_FORMATE,
        error_messages={
            "required": gettext_lazy("Bitte Datum und Uhrzeit eingeben."),
            "invalid": gettext_lazy("Bitte Datum und Uhrzeit eingeben, z. B. 14.03.2026 18:30."),
        },
    )


class VersionMixin:
    """Bestehende Objekte tragen im Formular die Version beim Laden (`quartier.sperren`).

    Gespeichert wird mit `netzwerke.views.mit_sperre_speichern`: nur, wenn die Version noch
    gilt; sonst `Konflikt`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instanz = self.instance  # type: ignore[attr-defined]
        if instanz.pk:
            self.fields["version"] = forms.IntegerField(  # type: ignore[attr-defined]
                widget=forms.HiddenInput, min_value=0, initial=instanz.version
            )


class AkteurAuswahl(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Akteur) -> str:
        return obj.name


class NetzwerkForm(VersionMixin, KernFormMixin, forms.ModelForm):
    class Meta:
        model = Netzwerk
        fields = ["name", "art", "uebergeordnet", "quartiere", "beschreibung", "aktiv"]
        widgets = {
            "quartiere": forms.CheckboxSelectMultiple,
            "beschreibung": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"unique": gettext_lazy("Ein Netzwerk mit diesem Namen gibt es schon.")}
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Eine Ebene: Arbeitsgruppen hängen unter einem Netzwerk, das selbst keines über sich hat.
        obere = sichtbare_netzwerke(user).filter(uebergeordnet__isnull=True).order_by("name")
        if self.instance.pk:
            obere = obere.exclude(pk=self.instance.pk)
        auswahl(self.fields["uebergeordnet"]).queryset = obere
        auswahl(self.fields["uebergeordnet"]).empty_label = _(
            "– keines (eigenständiges Netzwerk) –"
        )
        auswahl(self.fields["quartiere"]).queryset = Quartier.objects.order_by("name")

    def clean_quartiere(self) -> QuerySet[Quartier]:
        quartiere: QuerySet[Quartier] = self.cleaned_data["quartiere"]
        pruefe_eigene_quartiere(self.user, quartiere)
        return quartiere

    def clean_uebergeordnet(self) -> Netzwerk | None:
        oben: Netzwerk | None = self.cleaned_data["uebergeordnet"]
        if oben and self.instance.pk and self.instance.arbeitsgruppen.exists():
            raise ValidationError(
                _(
                    "Dieses Netzwerk hat eigene Arbeitsgruppen und kann deshalb nicht selbst "
                    "einem anderen Netzwerk untergeordnet werden."
                )
            )
        return oben


class MitgliedschaftForm(KernFormMixin, forms.ModelForm):
    seit = datumsfeld(gettext_lazy("seit"))
    bis = datumsfeld(
        gettext_lazy("bis"),
        required=False,
        help_text=gettext_lazy("Leer lassen, solange die Mitgliedschaft läuft."),
    )

    class Meta:
        model = Mitgliedschaft
        fields = ["akteur", "rolle", "seit", "bis"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        auswahl(self.fields["akteur"]).queryset = sichtbare_akteure(user).filter(aktiv=True)
        auswahl(self.fields["akteur"]).empty_label = _("– bitte wählen –")
        self.fields["seit"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        seit, bis, akteur = daten.get("seit"), daten.get("bis"), daten.get("akteur")
        if seit and bis and bis < seit:
            self.add_error("bis", _("Das Ende (bis) darf nicht vor dem Beginn (seit) liegen."))
            return daten
        if seit and akteur:
            self._pruefe_ueberschneidung(akteur, seit, bis)
        return daten

    def _pruefe_ueberschneidung(
        self, akteur: Akteur, seit: datetime.date, bis: datetime.date | None
    ) -> None:
        # Die Datenbank verbietet nur zwei laufende Mitgliedschaften
        # (`mitgliedschaft_eine_laufende`); sich überschneidende Zeiträume fangen wir hier ab.
        andere = Mitgliedschaft.objects.filter(
            Q(bis__isnull=True) | Q(bis__gte=seit), netzwerk=self.instance.netzwerk, akteur=akteur
        )
        if bis:
            andere = andere.filter(seit__lte=bis)
        laufend = next((m for m in andere if m.bis is None), None)
        if laufend:
            self.add_error(
                "akteur",
                _(
                    "„%(akteur)s“ ist bereits Mitglied in diesem Netzwerk (seit %(seit)s). "
                    "Beenden Sie zuerst die laufende Mitgliedschaft."
                )
                % {"akteur": akteur, "seit": laufend.seit.strftime("%d.%m.%Y")},
            )
        elif andere:
            frueher = andere[0]
            self.add_error(
                "akteur",
                _(
                    "„%(akteur)s“ war in diesem Zeitraum schon Mitglied "
                    "(%(seit)s bis %(bis)s). Zeiträume dürfen sich nicht überschneiden."
                )
                % {
                    "akteur": akteur,
                    "seit": frueher.seit.strftime("%d.%m.%Y"),
                    "bis": frueher.bis.strftime("%d.%m.%Y"),
                },
            )


class BeendenForm(KernFormMixin, forms.Form):
    bis = datumsfeld(gettext_lazy("Mitglied bis"), required=False)


class SitzungForm(KernFormMixin, forms.ModelForm):
    """Eine Sitzung auf einen Blick: Zeit, Ort, Anwesenheit, Protokoll.

    Die Tagesordnung kommt als eigenes Formset dazu (`TagesordnungFormSet`). `version` ist der
    Stand beim Laden; gespeichert wird nur, wenn er noch gilt (siehe `_sitzung_speichern`).
    """

    beginn = zeitpunktfeld(gettext_lazy("Beginn"))
    ende = zeitpunktfeld(gettext_lazy("Ende"), required=False)
    teilnehmende = AkteurAuswahl(
        label=gettext_lazy("Anwesende Mitglieder"),
        queryset=Akteur.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weitere_akteure = AkteurAuswahl(
        label=gettext_lazy("Weitere anwesende Akteure"),
        queryset=Akteur.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Akteure, die nicht Mitglied sind, aber teilgenommen haben. Mehrere mit Strg "
            "(Mac: Cmd) oder durch Antippen auswählen."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Sitzung
        fields = ["beginn", "ende", "ort", "weitere_teilnehmende", "protokoll"]
        widgets = {
            "protokoll": forms.Textarea(attrs={"rows": 14}),
            "weitere_teilnehmende": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        error_messages = {
            "ort": {"required": gettext_lazy("Bitte den Ort der Sitzung eingeben.")},
            "weitere_teilnehmende": {
                "min_value": gettext_lazy("Bitte eine Anzahl ab 0 eingeben."),
                "max_value": gettext_lazy("Bitte eine kleinere Anzahl eingeben."),
                "invalid": gettext_lazy("Bitte eine ganze Zahl eingeben."),
            },
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitzung: Sitzung = self.instance
        stichtag = timezone.localdate(sitzung.beginn) if sitzung.beginn else timezone.localdate()
        mitglieder = Mitgliedschaft.objects.filter(netzwerk=sitzung.netzwerk).aktiv_am(stichtag)
        akteure = sichtbare_akteure(user).order_by("name")
        auswahl(self.fields["teilnehmende"]).queryset = akteure.filter(
            pk__in=mitglieder.values("akteur")
        )
        anwesend = sitzung.teilnehmende.values("pk") if sitzung.pk else Akteur.objects.none()
        auswahl(self.fields["weitere_akteure"]).queryset = akteure.filter(
            Q(aktiv=True) | Q(pk__in=anwesend)
        ).exclude(pk__in=mitglieder.values("akteur"))
        if not sitzung.pk:
            del self.fields["version"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        beginn, ende = daten.get("beginn"), daten.get("ende")
        if beginn and ende and ende <= beginn:
            self.add_error("ende", _("Das Ende muss nach dem Beginn der Sitzung liegen."))
        return daten

    def anwesende(self) -> list[Akteur]:
        return [*self.cleaned_data["teilnehmende"], *self.cleaned_data["weitere_akteure"]]


class TagesordnungspunktForm(KernFormMixin, forms.Form):
    nummer = forms.IntegerField(
        label=gettext_lazy("Nr."),
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Bitte eine Nummer eingeben."),
            "invalid": gettext_lazy("Bitte eine ganze Zahl eingeben."),
            "min_value": gettext_lazy("Bitte eine Nummer zwischen 1 und 99 eingeben."),
            "max_value": gettext_lazy("Bitte eine Nummer zwischen 1 und 99 eingeben."),
        },
    )
    titel = forms.CharField(
        label=gettext_lazy("Titel"),
        max_length=200,
        error_messages={"required": gettext_lazy("Bitte einen Titel eingeben.")},
    )
    ergebnis = forms.CharField(
        label=gettext_lazy("Ergebnis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def has_changed(self) -> bool:
        # Eine leere Zeile bleibt leer, auch mit vorgeschlagener Nummer: erst Titel oder
        # Ergebnis machen sie zu einem Tagesordnungspunkt.
        return any(self[name].value() for name in ("titel", "ergebnis"))


class BasisTagesordnungFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": gettext_lazy(
            "Eine Tagesordnung hat höchstens %(num)d Punkte. Bitte weniger Punkte eintragen."
        ),
        "missing_management_form": gettext_lazy(
            "Die Tagesordnung wurde unvollständig übertragen. Bitte laden Sie die Seite neu."
        ),
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # „Löschen“ kommt nach KernFormMixin.__init__ dazu und braucht die KERN-Klasse selbst.
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "kern-form-check__checkbox"

    def clean(self) -> None:
        if any(self.errors):
            return
        gesehen: set[int] = set()
        doppelt = False
        for form in self._gueltige_punkte():
            nummer = form.cleaned_data["nummer"]
            if nummer in gesehen:
                form.add_error(
                    "nummer",
                    _("Die Nummer %(nummer)s kommt mehrfach vor.") % {"nummer": nummer},
                )
                doppelt = True
            gesehen.add(nummer)
        if doppelt:
            raise ValidationError(
                _(
                    "Zwei Tagesordnungspunkte haben dieselbe Nummer. Bitte jede Nummer nur "
                    "einmal vergeben."
                )
            )

    def _gueltige_punkte(self) -> list[forms.Form]:
        """Ausgefüllte Zeilen, die nicht gelöscht werden sollen.

        Nicht über `deleted_forms`: das ist leer, sobald das Formset einen Fehler ohne
        Feldbezug hat (z. B. eine unvollständige Verwaltungsangabe), und dann kämen zum Löschen
        markierte, ungültige Zeilen ohne `nummer` hier an.
        """
        return [
            f
            for f in self.forms
            if f.cleaned_data
            and "nummer" in f.cleaned_data
            # private Methode von BaseFormSet, in django-stubs nicht beschrieben
            and not self._should_delete_form(f)  # type: ignore[attr-defined]
        ]

    def punkte(self) -> list[dict]:
        """Die ausgefüllten, nicht zum Löschen markierten Punkte, nach Nummer."""
        punkte = [f.cleaned_data for f in self._gueltige_punkte()]
        return sorted(punkte, key=lambda p: p["nummer"])


# Nummern gehen von 1 bis 99, also höchstens 99 Punkte. `absolute_max` begrenzt auch, wie viele
# Formulare eine manipulierte Angabe `top-TOTAL_FORMS` erzeugt (sonst bis zu 2.000 je Anfrage).
HOECHSTENS_PUNKTE = 99

# `formset_factory` gibt in den Stubs `type[BaseFormSet]` zurück, nicht die übergebene Klasse.
TagesordnungFormSet = cast(
    type[BasisTagesordnungFormSet],
    forms.formset_factory(
        TagesordnungspunktForm,
        formset=BasisTagesordnungFormSet,
        extra=3,
        can_delete=True,
        max_num=HOECHSTENS_PUNKTE,
        absolute_max=HOECHSTENS_PUNKTE,
        validate_max=True,
    ),
)


def tagesordnung_formset(
    daten: QueryDict | None, sitzung: Sitzung | None
) -> BasisTagesordnungFormSet:
    if daten is not None:
        return TagesordnungFormSet(daten, prefix="top")
    punkte: list[dict[str, Any]] = [
        {"nummer": p.nummer, "titel": p.titel, "ergebnis": p.ergebnis}
        for p in (sitzung.tagesordnung.all() if sitzung else [])
    ]
    formset = TagesordnungFormSet(initial=punkte, prefix="top")
    # Leere Zeilen schlagen die nächsten Nummern vor.
    naechste = max((p["nummer"] for p in punkte), default=0) + 1
    for i, form in enumerate(formset.extra_forms):
        if naechste + i <= 99:
            form.fields["nummer"].initial = naechste + i
    return formset
