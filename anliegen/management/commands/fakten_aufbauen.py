"""Baut die verdichteten Fakten der Auswertung Anliegen neu aus den Quelldaten auf.

    python manage.py fakten_aufbauen            # alles neu (nach Massenimport, COPY, Restore)
    python manage.py fakten_aufbauen --pruefen  # nur vergleichen; Rückgabewert 1 bei Abweichung

Nötig nur, wo Daten an den Signalen vorbei geschrieben wurden (siehe anliegen/fakten.py); im
Betrieb folgen die Fakten jeder Änderung von selbst.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anliegen import fakten


class Command(BaseCommand):
    help = "Baut die verdichteten Fakten der Auswertung Anliegen neu auf (oder prüft sie)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pruefen", action="store_true", help="nur vergleichen, nichts schreiben"
        )

    def handle(self, *args: Any, **optionen: Any) -> None:
        if optionen["pruefen"]:
            falsch = fakten.abweichungen()
            if falsch:
                raise CommandError(f"{falsch} Zeilen der Fakten weichen von den Quelldaten ab.")
            self.stdout.write("Die Fakten stimmen mit den Quelldaten überein.")
            return
        ausgabe = self.stdout.write if optionen["verbosity"] > 1 else None
        zeilen = fakten.aufbauen(ausgabe)
        self.stdout.write(f"Fakten neu aufgebaut: {zeilen} Zeilen.")
