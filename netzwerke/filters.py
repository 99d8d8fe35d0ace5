"""Filter für die Listen der Netzwerke (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from quartier.filters import KernFilterForm, bezirk_filter, quartier_filter

from .models import (
    Akteur,
    Akteursart,
    Netzwerk,
    Netzwerkart,
    Projekt,
    Projektart,
    Projektstatus,
    Sitzung,
    Zielgruppe,
)


class AkteurFilter(django_filters.FilterSet):
    """Verzeichnis der Akteure. „nur aktive“ gilt, solange niemand das Formular abschickt
    (siehe `views.akteure._akteur_filter`)."""

    q = django_filters.CharFilter(
        label=_("Suche"), method="suche", help_text=_("Name oder Angebot, z. B. „Elterncafé“")
    )
    art = django_filters.ChoiceFilter(
        label=_("Art"), choices=Akteursart.choices, empty_label=_("alle Arten")
    )
    quartier = quartier_filter()
    bezirk = bezirk_filter()
    zielgruppe = django_filters.ModelChoiceFilter(
        label=_("Zielgruppe"),
        field_name="zielgruppen",
        queryset=Zielgruppe.objects.all(),
        empty_label=_("alle Zielgruppen"),
        distinct=True,
    )
    nur_aktive = django_filters.BooleanFilter(
        label=_("nur aktive Akteure"), method="nur_aktiv", widget=forms.CheckboxInput
    )

    class Meta:
        model = Akteur
        fields: list[str] = []
        form = KernFilterForm

    def suche(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__icontains=value) | Q(angebote__icontains=value))

    def nur_aktiv(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(aktiv=True) if value else qs


class NetzwerkFilter(django_filters.FilterSet):
    art = django_filters.ChoiceFilter(
        label=gettext_lazy("Art"), choices=Netzwerkart.choices, empty_label=gettext_lazy("alle")
    )
    quartier = quartier_filter()
    bezirk = bezirk_filter()

    class Meta:
        model = Netzwerk
        fields: list[str] = []
        form = KernFilterForm


class SitzungFilter(django_filters.FilterSet):
    quartier = quartier_filter("netzwerk__quartiere")
    netzwerk = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Netzwerk"),
        queryset=Netzwerk.objects.order_by("name"),
        empty_label=gettext_lazy("alle Netzwerke"),
    )

    class Meta:
        model = Sitzung
        fields: list[str] = []
        form = KernFilterForm


class ProjektFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Suche"), method="suche", help_text=gettext_lazy("Titel des Projekts")
    )
    art = django_filters.ChoiceFilter(
        label=gettext_lazy("Art"), choices=Projektart.choices, empty_label=gettext_lazy("alle")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Projektstatus.choices,
        empty_label=gettext_lazy("alle"),
    )
    quartier = quartier_filter()
    oeffentlich = django_filters.ChoiceFilter(
        label=gettext_lazy("Öffentlichkeitsarbeit"),
        choices=[("ja", gettext_lazy("öffentlich")), ("nein", gettext_lazy("nicht öffentlich"))],
        empty_label=gettext_lazy("alle"),
        method="nach_oeffentlich",
    )

    class Meta:
        model = Projekt
        fields: list[str] = []
        form = KernFilterForm

    def suche(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(titel__icontains=value)

    def nach_oeffentlich(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(oeffentlich=value == "ja") if value in ("ja", "nein") else qs
