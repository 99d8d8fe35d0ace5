from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnliegenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "anliegen"
    verbose_name = _("Anliegen")

    def ready(self) -> None:
        from quartier.exporte import quelle_registrieren

        from .abschnitte import registrieren
        from .abschnitte_akteur import registrieren as akteur_registrieren
        from .abschnitte_antrag import registrieren as antrag_registrieren
        from .abschnitte_sitzung import registrieren as sitzung_registrieren

        # „Mein Überblick“ zeigt fällige Rückmeldungen (QM) und den Posteingang (Fachbereich).
        registrieren()
        # Die Seite eines Akteurs zeigt seine Anliegen.
        akteur_registrieren()
        # Die Seite einer Sitzung (und ihr Protokoll) zeigt die dort eingebrachten Anliegen.
        sitzung_registrieren()
        # Die Seite eines Antrags an den Stadtteilfonds zeigt die Anliegen, aus denen er kam.
        antrag_registrieren()
        # Die gefilterte Liste der Anliegen lässt sich (im Hintergrund) exportieren.
        from .export import ANLIEGEN_EXPORT

        quelle_registrieren(ANLIEGEN_EXPORT)
        # Die Auswertung liest verdichtete Fakten; sie folgen jeder Änderung der Quelldaten.
        from .fakten import verbinden

        verbinden()
