from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetzwerkeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "netzwerke"
    verbose_name = _("Netzwerke")
