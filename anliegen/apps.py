from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnliegenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "anliegen"
    verbose_name = _("Anliegen")
