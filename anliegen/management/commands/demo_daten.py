from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from anliegen import demo as anliegen_demo
from netzwerke import demo as netzwerke_demo
from quartier import demo as quartier_demo


class Command(BaseCommand):
    help = (
        "Lädt die Aachener Demodaten mit den Demo-Konten qm, qm2, qm.forst, fachbereich, "
        "fb.verkehr, fb.jugend, fb.soziales, planung und admin (Passwort „demo“) und rund 80 "
        "Anliegen aus 18 Monaten. Mehrfach ausführbar: ein zweiter Lauf ändert nichts."
    )

    # Liegt in der obersten App, weil er die Demodaten aller Apps der Reihe nach lädt;
    # jede App kennt nur ihre eigenen und die darunterliegenden.
    def handle(self, *args, **options) -> None:
        # Die Operationen des Kreislaufs und des Stadtteilfonds schicken Mails (an Adressen
        # wie stadtbetrieb@aachen.example); beim Laden der Demodaten soll keine davon im
        # Postausgang landen oder gar zugestellt werden.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for lade in (quartier_demo.lade, netzwerke_demo.lade, anliegen_demo.lade):
                for art, n in lade().items():
                    self.stdout.write(f"{art}: {n}")
        self.stdout.write(self.style.SUCCESS("Demodaten geladen. Anmeldung z. B. mit qm / demo."))
