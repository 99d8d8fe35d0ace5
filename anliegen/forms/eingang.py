"""Formulare des Posteingangs eines Fachbereichs: Filter der Liste und je Schritt ein Formular.

Die Formulare prüfen nur die Form der Eingabe (Datum, Auswahl). Die Regeln (wer zuständig ist,
Antwort in Klartext, Grund bei „nicht möglich“, Datum bei „wird umgesetzt“) prüft
anliegen/workflow.py; die View meldet seine Fehler auf die Felder zurück.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netzwerke.forms.netzwerke import datumsfeld
from quartier.filters import KernFilterForm
from quartier.forms import KernFormMixin, auswahl
from quartier.models import Fachbereich

from ..datenschutz import ohne_maskierte_treffer
from ..models import (
    OFFENE_WSTATUS,
    OFFENE_ZSTATUS,
    Ablehnungsgrund,
    Entscheidung,
    Textbaustein,
    Weiterleitung,
    WStatus,
    Zweck,
)
from ..permissions import personendaten_ausdruck
from ..suche import HOECHSTENS_ZEICHEN, fallnummer
from ..textbausteine import werte as baustein_werte
from .anliegen import einreichungsfeld
from .textbausteine import TextbausteinMixin

ZU_ERLEDIGEN = "zu_erledigen"
ANTWORT_FEHLT = _(
    "Bitte die Antwort in verständlichen Worten schreiben; das Quartiersmanagement gibt "
    "sie an die Bürgerin oder den Bürger weiter."
)
UEBERFAELLIG = "ueberfaellig"
ZUSAGE_FAELLIG = "zusage_faellig"

STATUS_AUSWAHL = [
    (ZU_ERLEDIGEN, _("zu erledigen (offen und in Bearbeitung)")),
    (WStatus.OFFEN, _("offen")),
    (WStatus.IN_BEARBEITUNG, _("in Bearbeitung")),
    (UEBERFAELLIG, _("überfällig")),
    (ZUSAGE_FAELLIG, _("Zusage fällig")),
    (WStatus.BEANTWORTET, _("beantwortet")),
    (WStatus.NICHT_ZUSTAENDIG, _("nicht zuständig")),
]


class EingangFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"), method="suche", help_text=_("Nummer oder Titel des Anliegens")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_AUSWAHL, empty_label=_("alle"), method="nach_status"
    )

    class Meta:
        model = Weiterleitung
        fields: list[str] = []
        form = KernFilterForm

    def suche(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        # Wie die Suche der Anliegen-Liste (anliegen/suche.py): eine Fallnummer zuerst exakt
        # über den eindeutigen Index, sonst Teilwort (auf PostgreSQL über die Trigramm-Indizes
        # der Anliegen); eine überlange Eingabe ist eine Meldung, kein 500.
        value = value.strip()
        if not value:
            return qs
        if len(value) > HOECHSTENS_ZEICHEN:
            fehler = _("Bitte höchstens %(anzahl)d Zeichen eingeben.") % {
                "anzahl": HOECHSTENS_ZEICHEN
            }
            self.form.errors.setdefault(name, self.form.error_class()).append(fehler)
            return qs.none()
        if (nummer := fallnummer(value)) is not None:
            exakt = qs.filter(anliegen__nummer=nummer)
            if exakt.exists():
                return exakt
        treffer = qs.filter(
            Q(anliegen__nummer__icontains=value) | Q(anliegen__titel__icontains=value)
        )
        # Wer die Person nicht sehen darf, findet sie auch nicht über die Suche.
        if "personendaten_sichtbar" not in treffer.query.annotations:
            treffer = treffer.annotate(
                personendaten_sichtbar=personendaten_ausdruck(self.request.user, ueber="anliegen__")
            )
        return ohne_maskierte_treffer(treffer, value, ueber="anliegen__")

    def nach_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == ZU_ERLEDIGEN:
            return qs.filter(status__in=OFFENE_WSTATUS)
        if value == UEBERFAELLIG:
            return qs.filter(status__in=OFFENE_WSTATUS, frist__lt=timezone.localdate())
        if value == ZUSAGE_FAELLIG:
            return qs.filter(
                zusage__status__in=OFFENE_ZSTATUS, zusage__faellig_am__lte=timezone.localdate()
            )
        return qs.filter(status=value)


class _MitWeiterleitung(forms.Form):
    """Jedes Formular eines Schritts bekommt seine Weiterleitung (anliegen/views/schritte.py)."""

    def __init__(self, *args, weiterleitung: Weiterleitung | None = None, **kwargs) -> None:
        self.weiterleitung = weiterleitung
        super().__init__(*args, **kwargs)


class _MitVersion(_MitWeiterleitung):
    """Die Version der Weiterleitung, auf der die Eingabe beruht (optimistisches Sperren)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AnnehmenForm(KernFormMixin, _MitVersion):
    """Nur die Bestätigung; die Seite erklärt, was Annehmen bedeutet."""


class ZurueckgebenForm(KernFormMixin, _MitVersion):
    zustaendig_fachbereich = forms.ModelChoiceField(
        label=_("Zuständig ist der Fachbereich"),
        queryset=Fachbereich.objects.none(),
        required=False,
        empty_label=_("– keiner aus der Liste –"),
        error_messages={
            "invalid_choice": _("Bitte einen anderen Fachbereich aus der Liste wählen.")
        },
    )
    hinweis = forms.CharField(
        label=_("Hinweis, wer zuständig ist"),
        max_length=250,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Wenn niemand aus der Liste zuständig ist: wer dann, z. B. eine andere Stelle "
            "mit Ansprechperson."
        ),
        error_messages={"max_length": _("Bitte höchstens 250 Zeichen.")},
    )

    def __init__(self, *args, weiterleitung: Weiterleitung, **kwargs) -> None:
        super().__init__(*args, weiterleitung=weiterleitung, **kwargs)
        auswahl(self.fields["zustaendig_fachbereich"]).queryset = (
            Fachbereich.objects.filter(aktiv=True)
            .exclude(pk=weiterleitung.fachbereich_id)
            .order_by("name")
        )


class BeantwortenForm(TextbausteinMixin, KernFormMixin, _MitVersion):
    baustein_ziel = "antwort"

    entscheidung = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=Entscheidung.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte eine Entscheidung wählen."),
            "invalid_choice": _("Bitte eine Entscheidung wählen."),
        },
    )
    antwort = forms.CharField(
        label=_("Antwort"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In verständlichen Worten – das Quartiersmanagement gibt sie weiter."),
        error_messages={"required": ANTWORT_FEHLT},
    )
    erwartet_am = datumsfeld(
        _("Umsetzung erwartet am"),
        required=False,
        help_text=_("Pflicht bei „wird umgesetzt“."),
    )
    ablehnungsgrund = forms.ModelChoiceField(
        label=_("Grund"),
        queryset=Ablehnungsgrund.objects.none(),
        required=False,
        empty_label=_("– bitte wählen –"),
        help_text=_("Pflicht bei „nicht möglich“; erklären Sie ihn in der Antwort."),
        error_messages={"invalid_choice": _("Bitte einen Grund aus der Liste wählen.")},
    )

    def __init__(self, *args, weiterleitung: Weiterleitung, **kwargs) -> None:
        super().__init__(*args, weiterleitung=weiterleitung, **kwargs)
        auswahl(self.fields["ablehnungsgrund"]).queryset = Ablehnungsgrund.objects.filter(
            aktiv=True
        )
        # Bausteine zum Thema; ist schon eine Entscheidung gewählt (Einfügen ohne JavaScript),
        # nur die dazu passenden. Keine Daten der meldenden Person (fuer_person=False).
        anliegen = weiterleitung.anliegen
        if self.is_bound:
            entscheidung = self.data.get(self.add_prefix("entscheidung")) or ""
        else:
            entscheidung = self.initial.get("entscheidung") or ""
        bausteine = Textbaustein.objects.passend(
            Zweck.ANTWORT,
            thema_id=anliegen.thema_id,
            entscheidung=entscheidung if entscheidung in Entscheidung.values else "",
        )
        self.bausteine_anbieten(
            list(bausteine),
            baustein_werte(anliegen, weiterleitung=weiterleitung, fuer_person=False),
        )

    def clean(self) -> dict[str, Any]:
        """Meldet alle fehlenden Angaben auf einmal; die Regeln selbst prüft der Workflow
        noch einmal (mit denselben Meldungen)."""
        super().clean()
        daten = self.cleaned_data
        entscheidung = daten.get("entscheidung")
        if (
            entscheidung == Entscheidung.WIRD_UMGESETZT
            and not daten.get("erwartet_am")
            and "erwartet_am" not in self.errors
        ):
            self.add_error("erwartet_am", _("Bitte angeben, bis wann es umgesetzt wird."))
        if (
            entscheidung == Entscheidung.NICHT_MOEGLICH
            and not daten.get("ablehnungsgrund")
            and "ablehnungsgrund" not in self.errors
        ):
            self.add_error("ablehnungsgrund", _("Bitte einen Grund aus der Liste wählen."))
        return daten


class NotizForm(KernFormMixin, _MitWeiterleitung):
    einreichung = einreichungsfeld()
    text = forms.CharField(
        label=_("Notiz"),
        error_messages={"required": _("Die Notiz ist leer.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Erscheint im Verlauf des Anliegens für das Quartiersmanagement, nie in Texten für "
            "die meldende Person."
        ),
    )


# --- Dieselben Schritte über den Antwortlink (ohne Konto) --------------------------------


class _PerLink(forms.Form):
    """Wer ohne Konto antwortet, nennt sich – das Quartiersmanagement weiß so, wen es fragen
    kann. Dienstliche Angaben, keine Daten der meldenden Person."""

    name = forms.CharField(
        label=_("Ihr Name"),
        max_length=150,
        help_text=_("Erscheint beim Quartiersmanagement im Verlauf des Anliegens."),
        error_messages={
            "required": _("Bitte geben Sie Ihren Namen an."),
            "max_length": _("Bitte höchstens 150 Zeichen."),
        },
    )
    kontakt = forms.CharField(
        label=_("Telefon oder E-Mail für Rückfragen (freiwillig)"),
        max_length=150,
        required=False,
        error_messages={"max_length": _("Bitte höchstens 150 Zeichen.")},
    )


class LinkAnnehmenForm(AnnehmenForm, _PerLink):
    pass


class LinkZurueckgebenForm(ZurueckgebenForm, _PerLink):
    # erst die Sache, dann wer antwortet
    field_order = ["version", "zustaendig_fachbereich", "hinweis"]


class LinkBeantwortenForm(BeantwortenForm, _PerLink):
    field_order = ["version", "entscheidung", "antwort", "erwartet_am", "ablehnungsgrund"]


class _ZusageForm(KernFormMixin, _MitWeiterleitung):
    """Version der Zusage (nicht der Weiterleitung), auf der die Eingabe beruht."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ZusageEingehaltenForm(_ZusageForm):
    text = forms.CharField(
        label=_("Was wurde umgesetzt? (freiwillig)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Das Quartiersmanagement gibt es an die Person weiter."),
    )


class ZusageVerschiebenForm(_ZusageForm):
    neues_datum = datumsfeld(_("Neues Datum"), required=False)
    grund = forms.CharField(
        label=_("Grund"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In verständlichen Worten – die Person erfährt ihn."),
    )


class ZusageEntfallenForm(_ZusageForm):
    grund = forms.CharField(
        label=_("Grund"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In verständlichen Worten – die Person erfährt ihn."),
    )
