"""Löscht abgelaufene Exportaufträge und ihre Dateien (täglich per Cron oder systemd-Timer)."""

from typing import Any

from django.core.management.base import BaseCommand

from quartier.exporte import aufraeumen


class Command(BaseCommand):
    help = "Löscht abgelaufene Exporte (Aufträge und Dateien) nach QL_EXPORT_AUFBEWAHRUNG_STUNDEN."

    def handle(self, *args: Any, **options: Any) -> None:
        anzahl = aufraeumen()
        self.stdout.write(f"{anzahl} abgelaufene Exporte gelöscht.")
