from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import models
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from .forms import DeutscheDezimalzahlFeld
from .models import (
    Bezirk,
    Fachbereich,
    Kennzahl,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Rolle,
    Sozialraum,
    Sprechzeit,
    Stadtteilbuero,
    User,
)

# Dezimalzahlen deutsch eingeben („0,5“ VZÄ, „1.250,50“ €): Djangos Formularfeld nimmt
# sonst nur den Punkt als Dezimaltrenner an und meldet „Bitte eine Zahl eingeben“.
DEUTSCHE_ZAHLEN: "Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]" = {
    models.DecimalField: {"form_class": DeutscheDezimalzahlFeld}
}

if TYPE_CHECKING:
    _Formular = forms.BaseForm
else:
    _Formular = object


class _RolleFachbereichPruefung(_Formular):
    """Prüft im Formular, was die Datenbank ohnehin erzwingt, mit einer klaren Meldung."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        rolle, fachbereich = daten.get("rolle"), daten.get("fachbereich")
        if rolle == Rolle.FACHBEREICH and not fachbereich:
            self.add_error(
                "fachbereich", _("Für die Rolle Fachbereich bitte einen Fachbereich wählen.")
            )
        if rolle and rolle != Rolle.FACHBEREICH and fachbereich:
            self.add_error(
                "fachbereich", _("Ein Fachbereich gehört nur zur Rolle Fachbereich. Bitte leeren.")
            )
        return daten


class BenutzerAnlegenForm(_RolleFachbereichPruefung, UserCreationForm):
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # fehlt in django-stubs
        model = User
        fields = ("username", "first_name", "last_name", "email", "rolle", "fachbereich")


class BenutzerAendernForm(_RolleFachbereichPruefung, UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # fehlt in django-stubs
        model = User


@admin.register(User)
class BenutzerAdmin(UserAdmin):
    form = BenutzerAendernForm
    add_form = BenutzerAnlegenForm
    list_display = ("username", "last_name", "first_name", "rolle", "fachbereich", "is_active")
    list_filter = ("rolle", "fachbereich", "is_active", "is_staff")
    list_select_related = ("fachbereich",)
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        *(UserAdmin.fieldsets or ())[:2],
        (_("Rolle"), {"fields": ("rolle", "fachbereich", "telefon")}),
        *(UserAdmin.fieldsets or ())[2:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "rolle",
                    "fachbereich",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Fachbereich)
class FachbereichAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("kuerzel", "name", "email", "antwortfrist_tage", "extern", "aktiv")
    list_filter = ("extern", "aktiv")
    search_fields = ("kuerzel", "name", "email")


@admin.register(Bezirk)
class BezirkAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("name", "einwohner", "bezirksamt")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Sozialraum)
class SozialraumAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("nummer", "name", "bezirk")
    list_filter = ("bezirk",)
    list_select_related = ("bezirk",)
    search_fields = ("name", "nummer")


class KennzahlInline(admin.TabularInline):
    formfield_overrides = DEUTSCHE_ZAHLEN
    model = Kennzahl
    extra = 0


@admin.register(Lebensraum)
class LebensraumAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("nummer", "name", "sozialraum", "einwohner", "kategorie")
    list_filter = ("kategorie", "sozialraum__bezirk", "sozialraum")
    list_select_related = ("sozialraum",)
    search_fields = ("nummer", "name")
    inlines = [KennzahlInline]


@admin.register(Kennzahl)
class KennzahlAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("lebensraum", "art", "jahr", "wert", "quelle")
    list_filter = ("art", "jahr", "lebensraum__sozialraum__bezirk")
    list_select_related = ("lebensraum",)
    search_fields = ("lebensraum__name", "lebensraum__nummer")


@admin.register(Quartier)
class QuartierAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("name", "bezirk", "einwohner", "anzahl_lebensraeume")
    list_filter = ("bezirk", "lebensraeume__kategorie")
    search_fields = ("name", "lebensraeume__name")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("lebensraeume",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("bezirk")
            .annotate(_einwohner=Sum("lebensraeume__einwohner"), _anzahl=Count("lebensraeume"))
        )

    @admin.display(description=_("Einwohner:innen"), ordering="_einwohner")
    def einwohner(self, obj: Any) -> int | None:  # Quartier mit Annotationen (get_queryset)
        return obj._einwohner

    @admin.display(description=_("Lebensräume"), ordering="_anzahl")
    def anzahl_lebensraeume(self, obj: Any) -> int:  # Quartier mit Annotationen
        return obj._anzahl


class SprechzeitInline(admin.TabularInline):
    formfield_overrides = DEUTSCHE_ZAHLEN
    model = Sprechzeit
    extra = 1


@admin.register(Stadtteilbuero)
class StadtteilbueroAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("name", "strasse", "plz", "telefon", "barrierefrei")
    list_filter = ("barrierefrei", "quartiere__bezirk")
    search_fields = ("name", "strasse")
    filter_horizontal = ("quartiere",)
    inlines = [SprechzeitInline]


class StelleForm(forms.ModelForm):
    class Meta:
        model = Quartiersmanagement
        fields = [
            "bezeichnung",
            "art",
            "status",
            "quartiere",
            "traeger",
            "foerderprogramm",
            "stellenanteil",
            "beginn",
            "ende",
            "buero",
            "mitarbeitende",
            "bemerkung",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        beginn, ende = daten.get("beginn"), daten.get("ende")
        if beginn and ende and ende < beginn:
            self.add_error("ende", _("Das Ende darf nicht vor dem Beginn liegen."))
        return daten


@admin.register(Quartiersmanagement)
class QuartiersmanagementAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    form = StelleForm
    list_display = ("bezeichnung", "art", "status", "stellenanteil", "beginn", "ende", "traeger")
    list_filter = ("art", "status", "quartiere__bezirk", "foerderprogramm")
    search_fields = ("bezeichnung", "traeger", "foerderprogramm", "quartiere__name")
    date_hierarchy = "beginn"
    filter_horizontal = ("quartiere", "mitarbeitende")
    list_select_related = ("buero",)
