from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netzwerke.akteure_import import SPALTEN, importiere


class Command(BaseCommand):
    help = (
        "Importiert Akteure aus einer CSV-Datei (Semikolon, UTF-8; Spalten "
        f"{';'.join(SPALTEN)}; Pflicht sind name und art). Gleicher Name: der Akteur wird "
        "geändert. Alles oder nichts: bei einer fehlerhaften Zeile wird nichts übernommen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("datei", type=Path, help="Pfad zur CSV-Datei")
        parser.add_argument(
            "--probelauf",
            action="store_true",
            help="Nur prüfen und berichten, nichts speichern.",
        )

    def handle(self, *args: object, datei: Path, probelauf: bool, **options: object) -> None:
        try:
            rohdaten = datei.read_bytes()
        except OSError as e:
            raise CommandError(f"Die Datei {datei} lässt sich nicht lesen: {e.strerror}.") from e
        ergebnis = importiere(rohdaten, probelauf=probelauf)
        if not ergebnis.ok:
            for fehler in ergebnis.fehler:
                self.stderr.write(str(fehler))
            raise CommandError(
                f"{len(ergebnis.fehler)} fehlerhafte Zeile(n). Es wurde nichts importiert."
            )
        vorsatz = "Probelauf, nichts gespeichert: " if probelauf else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{vorsatz}{ergebnis.neu} neu, {ergebnis.geaendert} geändert, "
                f"{ergebnis.unveraendert} unverändert."
            )
        )
