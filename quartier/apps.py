from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartierConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quartier"
    verbose_name = _("Stadtstruktur")

    def ready(self) -> None:
        from . import exporte, lookups, views

        lookups.registrieren()
        # Die Versorgung der Lebensräume lässt sich im Hintergrund exportieren.
        exporte.quelle_registrieren(views.VERSORGUNG_EXPORT)
