"""Die Stammdatenverwaltung: Django-Admin, nur für die Rolle Administration."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class QuartierslotseAdminSite(admin.AdminSite):
    site_header = _("Quartierslotse – Stammdaten")
    site_title = _("Quartierslotse")
    index_title = _("Stammdaten pflegen")

    def has_permission(self, request: HttpRequest) -> bool:
        from quartier.models import User
        from quartier.permissions import darf_stammdaten_pflegen

        # Die Verwaltung fragt auch ohne Anmeldung (Anmeldeseite); dann ist es AnonymousUser.
        return isinstance(request.user, User) and darf_stammdaten_pflegen(request.user)


class QuartierslotseAdminConfig(AdminConfig):
    default_site = "config.admin.QuartierslotseAdminSite"

    def ready(self) -> None:
        super().ready()
        # config ist keine eigene App; die Prüfungen des Betriebs registriert diese hier.
        from . import checks  # noqa: F401
