"""Täglicher Lauf: Erinnerungen, Eskalationen und Nachfragen (siehe anliegen/erinnerungen.py).

    python manage.py erinnerungen                      # heute
    python manage.py erinnerungen --datum 2026-12-07   # nachholen oder testen
    python manage.py erinnerungen --probelauf          # nur zeigen, nichts verschicken

Beliebig oft ausführbar: jede Erinnerung geht nur einmal. An Wochenenden und Feiertagen
verschickt der Lauf nichts (der nächste Arbeitstag holt es nach), außer mit --auch-an-freien-tagen.
"""

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from anliegen.erinnerungen import faellige, verschicken
from anliegen.fristen import ist_arbeitstag
from anliegen.models import ErinnerungsArt


class Command(BaseCommand):
    help = "Verschickt fällige Erinnerungen zu Fristen, Rückmeldungen und Zusagen (täglich)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datum", help="Stichtag JJJJ-MM-TT (Vorgabe: heute)")
        parser.add_argument(
            "--probelauf", action="store_true", help="nur anzeigen, nichts verschicken"
        )
        parser.add_argument(
            "--auch-an-freien-tagen",
            action="store_true",
            help="auch an Wochenenden und Feiertagen verschicken",
        )

    def handle(self, *args, **optionen) -> None:
        if optionen["datum"]:
            try:
                heute = datetime.date.fromisoformat(optionen["datum"])
            except ValueError as fehler:
                raise CommandError("--datum bitte als JJJJ-MM-TT angeben.") from fehler
        else:
            heute = timezone.localdate()
        tag = heute.strftime("%d.%m.%Y")
        if not ist_arbeitstag(heute) and not optionen["auch_an_freien_tagen"]:
            self.stdout.write(f"{tag} ist kein Arbeitstag: keine Erinnerungen.")
            return
        probelauf = optionen["probelauf"]
        verschickt: Counter[str] = Counter()
        schon = 0
        ohne_empfaenger = 0
        for faellig in faellige(heute):
            if probelauf:
                if faellig.schon_verschickt():
                    schon += 1
                else:
                    verschickt[faellig.art] += 1
                    self.stdout.write(
                        f"  würde verschicken: {ErinnerungsArt(faellig.art).label} – "
                        f"{faellig.anliegen.nummer} an {', '.join(faellig.empfaenger) or '–'}"
                    )
                continue
            if verschicken(faellig, heute):
                verschickt[faellig.art] += 1
                if not faellig.empfaenger:
                    ohne_empfaenger += 1
            else:
                schon += 1
        summe = sum(verschickt.values())
        einzeln = ", ".join(
            f"{ErinnerungsArt(art).label}: {anzahl}" for art, anzahl in sorted(verschickt.items())
        )
        kopf = "Probelauf – würde verschicken" if probelauf else "Verschickt"
        self.stdout.write(
            f"Erinnerungen für {tag}: {kopf}: {summe}"
            + (f" ({einzeln})" if einzeln else "")
            + f"; schon früher verschickt: {schon}."
        )
        if ohne_empfaenger:
            self.stdout.write(
                self.style.WARNING(
                    f"{ohne_empfaenger} ohne Empfänger (Fachbereich ohne Postfach oder QM ohne "
                    "E-Mail): nur im Verlauf vermerkt."
                )
            )
