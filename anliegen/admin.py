from django.contrib import admin

from .forms.textbausteine import TextbausteinAdminForm
from .models import (
    Ablehnungsgrund,
    Anliegen,
    Antwortlink,
    Bedarf,
    Ereignis,
    Erinnerung,
    Meldende,
    Textbaustein,
    Thema,
    Weiterleitung,
    Zusage,
)


@admin.register(Thema)
class ThemaAdmin(admin.ModelAdmin):
    """Die Routing-Tabelle: welches Thema üblicherweise an welchen Fachbereich geht."""

    list_display = ("name", "fachbereich", "aktiv")
    list_filter = ("aktiv", "fachbereich")
    list_select_related = ("fachbereich",)
    search_fields = ("name",)


@admin.register(Bedarf)
class BedarfAdmin(admin.ModelAdmin):
    list_display = ("name", "aktiv")
    search_fields = ("name",)


@admin.register(Ablehnungsgrund)
class AblehnungsgrundAdmin(admin.ModelAdmin):
    list_display = ("name", "aktiv")
    search_fields = ("name",)


@admin.register(Textbaustein)
class TextbausteinAdmin(admin.ModelAdmin):
    """Vorlagen für Antworten, Rückmeldungen und Telefonnotizen; Platzhalter werden geprüft."""

    form = TextbausteinAdminForm
    list_display = ("titel", "zweck", "thema", "entscheidung", "aktiv", "reihenfolge")
    list_filter = ("zweck", "thema", "entscheidung", "aktiv")
    list_select_related = ("thema",)
    list_editable = ("aktiv", "reihenfolge")
    search_fields = ("titel", "text")


class WeiterleitungInline(admin.TabularInline):
    model = Weiterleitung
    extra = 0
    can_delete = False
    fields = ("fachbereich", "status", "frist", "entscheidung", "beantwortet_am")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EreignisInline(admin.TabularInline):
    """Der Verlauf ist nur lesbar: Ereignisse werden angehängt, nie geändert."""

    model = Ereignis
    extra = 0
    can_delete = False
    fields = ("zeitpunkt", "art", "intern", "von", "daten")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Anliegen)
class AnliegenAdmin(admin.ModelAdmin):
    """Nur zum Nachsehen; Anliegen ändern sich über die Anliegen-Seiten (workflow.py)."""

    list_display = ("nummer", "titel", "quartier", "thema", "status", "erstellt_am")
    list_filter = ("status", "quartier", "thema", "art", "kanal")
    list_select_related = ("quartier", "thema")
    search_fields = ("nummer", "titel")
    date_hierarchy = "erstellt_am"
    exclude = ("meldende",)
    inlines = [WeiterleitungInline, EreignisInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meldende)
class MeldendeAdmin(admin.ModelAdmin):
    """Personenbezogene Daten: Berichtigung auf Anfrage (DSGVO Art. 16). Auskunft und Löschung
    (Art. 15/17) über Verwaltung → Datenschutz, weil Löschen hier nur die Zeile entfernte, nicht
    die Kopien in Texten, Verlauf und Mails."""

    list_display = ("__str__", "name", "email", "erstellt_am", "anonymisiert_am")
    search_fields = ("name", "email", "telefon")
    readonly_fields = ("erstellt_am", "anonymisiert_am")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _NurLesen(admin.ModelAdmin):
    """Nur zum Nachsehen: Zusagen ändern sich über den Posteingang (workflow.py), Erinnerungen
    entstehen nur in `manage.py erinnerungen`, Antwortlinks nur in workflow.py."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Antwortlink)
class AntwortlinkAdmin(_NurLesen):
    """Widerrufen und neu senden geht auf der Seite des Anliegens (QM). Der Hash des
    Schlüssels erscheint nicht (er ist kein Zugang, aber auch keine Auskunft)."""

    list_display = ("weiterleitung", "erstellt_am", "gueltig_bis", "widerrufen_am", "nutzungen")
    list_select_related = ("weiterleitung__anliegen", "weiterleitung__fachbereich")
    exclude = ("schluessel_hash",)


@admin.register(Zusage)
class ZusageAdmin(_NurLesen):
    list_display = ("weiterleitung", "zugesagt_fuer", "faellig_am", "status", "verschiebungen")
    list_filter = ("status", "weiterleitung__fachbereich")
    list_select_related = ("weiterleitung__anliegen", "weiterleitung__fachbereich")
    search_fields = ("weiterleitung__anliegen__nummer",)


@admin.register(Erinnerung)
class ErinnerungAdmin(_NurLesen):
    list_display = ("anliegen", "art", "bezug", "datum", "empfaenger", "erstellt_am")
    list_filter = ("art", "datum")
    list_select_related = ("anliegen",)
    search_fields = ("anliegen__nummer",)
    date_hierarchy = "datum"
