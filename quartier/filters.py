"""Filter für die Listen des Registers (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import KernFormMixin
from .models import Bezirk, Kategorie, Lebensraum, Quartier, Quartiersmanagement, Sozialraum


class KernFilterForm(KernFormMixin, forms.Form):
    pass


def quartier_filter(field_name: str = "quartiere") -> django_filters.ModelChoiceFilter:
    """Auswahl „Quartier“ für Listen, deren Objekte über `field_name` an Quartieren hängen."""
    return django_filters.ModelChoiceFilter(
        label=_("Quartier"),
        field_name=field_name,
        queryset=Quartier.objects.order_by("name"),
        empty_label=_("alle Quartiere"),
        distinct=True,
    )


def bezirk_filter(field_name: str = "quartiere__bezirk") -> django_filters.ModelChoiceFilter:
    """Auswahl „Bezirk“ über den Weg `field_name` zum Bezirk."""
    return django_filters.ModelChoiceFilter(
        label=_("Bezirk"),
        field_name=field_name,
        queryset=Bezirk.objects.all(),
        empty_label=_("alle Bezirke"),
        distinct=True,
    )


class QmFilter(django_filters.ChoiceFilter):
    """„mit“ oder „ohne“ laufendes Quartiersmanagement (heute)."""

    def __init__(self, *args, pfad: str, **kwargs) -> None:
        self.pfad = pfad
        kwargs.setdefault(
            "choices", [("mit", _("mit laufendem QM")), ("ohne", _("ohne laufendes QM"))]
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value not in ("mit", "ohne"):
            return qs
        aktive = Quartiersmanagement.objects.aktiv_am(timezone.localdate())
        bedingung = Q(**{f"{self.pfad}__in": aktive})
        if value == "mit":
            return qs.filter(bedingung).distinct()
        return qs.exclude(bedingung)


class QuartierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"), method="suche", help_text=_("Name des Quartiers oder Lebensraums")
    )
    bezirk = django_filters.ModelChoiceFilter(
        label=_("Bezirk"), queryset=Bezirk.objects.all(), empty_label=_("alle Bezirke")
    )
    kategorie = django_filters.ChoiceFilter(
        label=_("Kategorie eines Lebensraums"),
        field_name="lebensraeume__kategorie",
        choices=Kategorie.choices,
        empty_label=_("alle Kategorien"),
        distinct=True,
    )
    qm = QmFilter(
        label=_("Quartiersmanagement"), pfad="quartiersmanagements", empty_label=_("alle")
    )

    class Meta:
        model = Quartier
        fields: list[str] = []
        form = KernFilterForm

    def suche(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(
            Q(name__icontains=value) | Q(lebensraeume__name__icontains=value)
        ).distinct()


class LebensraumFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Suche"), method="suche", help_text=_("Nummer oder Name"))
    bezirk = django_filters.ModelChoiceFilter(
        label=_("Bezirk"),
        field_name="sozialraum__bezirk",
        queryset=Bezirk.objects.all(),
        empty_label=_("alle Bezirke"),
    )
    sozialraum = django_filters.ModelChoiceFilter(
        label=_("Sozialraum"), queryset=Sozialraum.objects.all(), empty_label=_("alle Sozialräume")
    )
    kategorie = django_filters.ChoiceFilter(
        label=_("Kategorie"), choices=Kategorie.choices, empty_label=_("alle Kategorien")
    )
    qm = QmFilter(
        label=_("Quartiersmanagement"),
        pfad="quartiere__quartiersmanagements",
        empty_label=_("alle"),
    )

    class Meta:
        model = Lebensraum
        fields: list[str] = []
        form = KernFilterForm

    def suche(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__icontains=value) | Q(nummer__iexact=value))
