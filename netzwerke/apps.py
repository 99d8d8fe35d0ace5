from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetzwerkeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "netzwerke"
    verbose_name = _("Netzwerke")

    def ready(self) -> None:
        # Erst hier importieren: die Views brauchen die fertig geladenen Modelle.
        from quartier.erweiterungen import buero_abschnitt

        from .abschnitte_start import registrieren as start_abschnitt_registrieren
        from .views.akteure import buerogemeinschaft

        # Die Seite eines Stadtteilbüros zeigt die Angebote der Bürogemeinschaft.
        buero_abschnitt(buerogemeinschaft)
        # „Mein Überblick“ zeigt nächste Sitzungen und eigene Projekte.
        start_abschnitt_registrieren()
