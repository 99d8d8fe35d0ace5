from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from quartier.admin import DEUTSCHE_ZAHLEN

from .models import (
    Akteur,
    Angebotszeit,
    Ansprechperson,
    Antrag,
    AntragEreignis,
    Mitgliedschaft,
    Netzwerk,
    Projekt,
    Sitzung,
    Stadtteilfonds,
    Tagesordnungspunkt,
    Zielgruppe,
)


@admin.register(Zielgruppe)
class ZielgruppeAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class AnsprechpersonInline(admin.TabularInline):
    model = Ansprechperson
    extra = 0


class AngebotszeitInline(admin.TabularInline):
    model = Angebotszeit
    extra = 0


@admin.register(Akteur)
class AkteurAdmin(admin.ModelAdmin):
    list_display = ("name", "art", "traeger", "aktiv")
    list_filter = ("art", "aktiv", "quartiere", "zielgruppen")
    list_select_related = ("traeger",)
    search_fields = ("name", "angebote")
    autocomplete_fields = ("traeger",)
    filter_horizontal = ("quartiere", "zielgruppen")
    inlines = [AnsprechpersonInline, AngebotszeitInline]


class MitgliedschaftInline(admin.TabularInline):
    model = Mitgliedschaft
    extra = 0
    autocomplete_fields = ("akteur",)


@admin.register(Netzwerk)
class NetzwerkAdmin(admin.ModelAdmin):
    list_display = ("name", "art", "uebergeordnet", "aktiv")
    list_filter = ("art", "aktiv", "quartiere")
    list_select_related = ("uebergeordnet",)
    search_fields = ("name",)
    filter_horizontal = ("quartiere",)
    inlines = [MitgliedschaftInline]


class TagesordnungspunktInline(admin.TabularInline):
    model = Tagesordnungspunkt
    extra = 0


@admin.register(Sitzung)
class SitzungAdmin(admin.ModelAdmin):
    list_display = ("netzwerk", "beginn", "ort")
    list_filter = ("netzwerk",)
    list_select_related = ("netzwerk",)
    search_fields = ("netzwerk__name", "ort", "protokoll")
    date_hierarchy = "beginn"
    filter_horizontal = ("teilnehmende",)
    inlines = [TagesordnungspunktInline]

    def save_model(
        self, request: HttpRequest, obj: Sitzung, form: forms.ModelForm, change: bool
    ) -> None:
        # Auch Änderungen hier erhöhen die Version, damit ein offenes Tablet-Formular
        # sie nicht still überschreibt (optimistisches Sperren der Sitzungsseite).
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Projekt)
class ProjektAdmin(admin.ModelAdmin):
    list_display = ("titel", "art", "status", "beginn", "oeffentlich")
    list_filter = ("art", "status", "oeffentlich", "quartiere")
    search_fields = ("titel", "beschreibung")
    filter_horizontal = ("quartiere", "partner")


@admin.register(Stadtteilfonds)
class StadtteilfondsAdmin(admin.ModelAdmin):
    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("netzwerk", "jahr", "budget")
    list_filter = ("jahr",)
    list_select_related = ("netzwerk",)
    search_fields = ("netzwerk__name",)


class AntragEreignisInline(admin.TabularInline):
    """Der Verlauf ist nur lesbar: Ereignisse werden angehängt, nie geändert."""

    model = AntragEreignis
    extra = 0
    can_delete = False
    readonly_fields = ("art", "daten", "von", "zeitpunkt")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Antrag)
class AntragAdmin(admin.ModelAdmin):
    """Anträge ändern ihren Status nur über die Antragsseite (netzwerke/fonds.py)."""

    formfield_overrides = DEUTSCHE_ZAHLEN
    list_display = ("vorhaben", "antragsteller", "fonds", "beantragt", "bewilligt_betrag", "status")
    list_filter = ("status", "fonds__jahr", "fonds__netzwerk")
    list_select_related = ("antragsteller", "fonds__netzwerk")
    search_fields = ("vorhaben", "antragsteller__name")
    readonly_fields = (
        "status",
        "sitzung",
        "stimmen_ja",
        "stimmen_nein",
        "stimmen_enthaltung",
        "bewilligt_betrag",
        "begruendung",
        "entschieden_am",
        "ausgezahlt_am",
        "verausgabt",
        "bericht",
    )
    fields = ("fonds", "antragsteller", "vorhaben", "beschreibung", "beantragt", *readonly_fields)
    inlines = [AntragEreignisInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
