from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartierConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quartier"
    verbose_name = _("Stadtstruktur")

    def ready(self) -> None:
        from . import lookups

        lookups.registrieren()
