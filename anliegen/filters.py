"""Filter für die Liste der Anliegen (django-filter).

Vorgaben beim ersten Aufruf (nichts abgeschickt, höchstens geblättert): nur offene Anliegen,
für das Quartiersmanagement dazu „nur meine Quartiere“; siehe `views.liste._filterdaten`.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.blaettern import Schluessel, absteigend, aufsteigend
from quartier.filters import KernFilterForm, quartier_filter
from quartier.models import Fachbereich, Rolle
from quartier.permissions import eigene_quartiere

from .models import (
    OFFENE_WSTATUS,
    Anliegen,
    AnliegenQuerySet,
    Bedarf,
    Status,
    Thema,
    Weiterleitung,
    rueckmeldung_stichtag,
)
from .suche import HOECHSTENS_ZEICHEN, SucheZuLang, anliegen_suchen

OFFEN = "offen"

# Erlaubte Werte für `sortierung` → Sortierschlüssel (zusammen eindeutig, zuletzt der
# Primärschlüssel; sie tragen auch das Blättern, siehe quartier/blaettern.py). Jede Sortierung
# hat ihren Index in `Anliegen.Meta.indexes`. Alles andere wird ignoriert.
SORTIERUNGEN: dict[str, tuple[Schluessel, ...]] = {
    "nummer": (aufsteigend("jahr"), aufsteigend("laufnummer")),
    "-nummer": (absteigend("jahr"), absteigend("laufnummer")),
    "erfasst": (aufsteigend("erstellt_am"), aufsteigend("pk")),
    "-erfasst": (absteigend("erstellt_am"), absteigend("pk")),
    # neu zuerst, darin neueste zuerst: der umgekehrte Rang absteigend (eine Richtung)
    "status": (
        absteigend("status_rang_umgekehrt"),
        absteigend("erstellt_am"),
        absteigend("pk"),
    ),
    "-status": (absteigend("status_rang"), absteigend("erstellt_am"), absteigend("pk")),
    # Der Name ist eindeutig; quartier_id danach lässt je Quartier den Index
    # (quartier, erstellt_am, id) lesen.
    "quartier": (
        aufsteigend("quartier__name"),
        aufsteigend("quartier_id"),
        absteigend("erstellt_am"),
        absteigend("pk"),
    ),
    "-quartier": (
        absteigend("quartier__name"),
        absteigend("quartier_id"),
        absteigend("erstellt_am"),
        absteigend("pk"),
    ),
}
# ohne gewählte Sortierung (wie `Anliegen.Meta.ordering`)
VORGABE_SORTIERUNG = "-erfasst"

SORTIER_AUSWAHL = [
    ("-erfasst", _("neueste zuerst")),
    ("erfasst", _("älteste zuerst")),
    ("nummer", _("Nummer aufsteigend")),
    ("-nummer", _("Nummer absteigend")),
    ("status", _("Status (neu zuerst)")),
    ("-status", _("Status (abgeschlossen zuerst)")),
    ("quartier", _("Quartier A–Z")),
    ("-quartier", _("Quartier Z–A")),
]


def offene_ueberfaellige_weiterleitung() -> Exists:
    """Gibt es zum Anliegen eine offene Weiterleitung, deren Frist verstrichen ist?"""
    return Exists(
        Weiterleitung.objects.filter(
            anliegen=OuterRef("pk"),
            status__in=OFFENE_WSTATUS,
            frist__lt=timezone.localdate(),
        )
    )


class AnliegenFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"), method="suche", help_text=_("Nummer, Titel, Beschreibung oder Ort")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OFFEN, _("alle offenen")), *Status.choices],
        empty_label=_("alle"),
        method="nach_status",
    )
    quartier = quartier_filter("quartier")
    thema = django_filters.ModelChoiceFilter(
        label=_("Thema"), queryset=Thema.objects.all(), empty_label=_("alle Themen")
    )
    bedarf = django_filters.ModelChoiceFilter(
        label=_("Bedarf"),
        field_name="bedarfe",
        queryset=Bedarf.objects.all(),
        empty_label=_("alle Bedarfe"),
    )
    fachbereich = django_filters.ModelChoiceFilter(
        label=_("Fachbereich"),
        queryset=Fachbereich.objects.order_by("name"),
        empty_label=_("alle Fachbereiche"),
        method="nach_fachbereich",
        help_text=_("an ihn weitergeleitet"),
    )
    ueberfaellig = django_filters.BooleanFilter(
        label=_("nur überfällige"),
        method="nur_ueberfaellige",
        widget=forms.CheckboxInput,
        help_text=_(
            "eine offene Weiterleitung hat ihre Frist überschritten, oder eine Antwort wartet "
            "zu lange auf Rückmeldung an die Person"
        ),
    )
    nur_meine = django_filters.BooleanFilter(
        label=_("nur meine Quartiere"), method="nur_eigene_quartiere", widget=forms.CheckboxInput
    )
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortierung"),
        choices=SORTIER_AUSWAHL,
        empty_label=_("neueste zuerst"),
        method="sortieren",
    )

    class Meta:
        model = Anliegen
        fields: list[str] = []
        form = KernFilterForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if not (user and getattr(user, "rolle", None) == Rolle.QUARTIERSMANAGEMENT):
            # Nur wer eigene Quartiere hat, bekommt den Haken.
            self.filters.pop("nur_meine")
            self.form.fields.pop("nur_meine", None)

    def suche(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        # Nummer exakt zuerst, sonst Teilwort und (PostgreSQL) Volltext; siehe anliegen/suche.py.
        try:
            return anliegen_suchen(qs, value, user=self.request.user)
        except SucheZuLang:
            # Meldung am Feld statt 500 und kein Treffer statt der ungefilterten Liste.
            # (add_error ginge nicht: filter_queryset läuft gerade über cleaned_data.)
            fehler = _("Bitte höchstens %(anzahl)d Zeichen eingeben.") % {
                "anzahl": HOECHSTENS_ZEICHEN
            }
            self.form.errors.setdefault(name, self.form.error_class()).append(fehler)
            return qs.none()

    def nach_status(self, qs: AnliegenQuerySet, name: str, value: str) -> QuerySet[Anliegen]:
        if value == OFFEN:
            return qs.offen()
        return qs.filter(status=value)

    def nach_fachbereich(self, qs: QuerySet, name: str, value: Fachbereich) -> QuerySet:
        return qs.filter(
            Exists(Weiterleitung.objects.filter(anliegen=OuterRef("pk"), fachbereich=value))
        )

    def nur_ueberfaellige(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return qs
        return qs.filter(
            Q(offene_ueberfaellige_weiterleitung())
            | Q(rueckmeldung_offen_seit__date__lt=rueckmeldung_stichtag())
        )

    def nur_eigene_quartiere(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return qs
        return qs.filter(quartier__in=eigene_quartiere(self.request.user))

    def sortieren(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value not in SORTIERUNGEN:
            return qs
        return qs.order_by(*(s.ordnung() for s in SORTIERUNGEN[value]))
