from django.core.management.base import BaseCommand

from quartier import demo


class Command(BaseCommand):
    help = (
        "Lädt die Aachener Demodaten mit den Demo-Konten qm, qm2, fachbereich, planung und "
        "admin (Passwort „demo“). Mehrfach ausführbar: ein zweiter Lauf ändert nichts."
    )

    def handle(self, *args, **options) -> None:
        anzahl = demo.lade()
        for art, n in anzahl.items():
            self.stdout.write(f"{art}: {n}")
        self.stdout.write(self.style.SUCCESS("Demodaten geladen. Anmeldung z. B. mit qm / demo."))
