"""Täglicher Lauf: Daten meldender Personen nach Ablauf der Aufbewahrungsfrist anonymisieren."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from anliegen import datenschutz

# Personen je Transaktion: kurze Sperren, und der Postausgang wird je Gruppe nur einmal gelesen.
GRUPPE = 200


class Command(BaseCommand):
    help = _(
        "Anonymisiert meldende Personen, deren Anliegen alle länger als "
        "QL_ANONYMISIEREN_NACH_TAGEN Tage abgeschlossen sind. Mehrfach ausführbar: ein zweiter "
        "Lauf ändert nichts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--probelauf",
            action="store_true",
            help=_("Nur zählen, nichts ändern."),
        )
        parser.add_argument(
            "--tage",
            type=int,
            default=None,
            help=_("Frist in Tagen (Vorgabe: QL_ANONYMISIEREN_NACH_TAGEN)."),
        )

    def handle(self, *args, probelauf: bool = False, tage: int | None = None, **options) -> None:
        tage = settings.QL_ANONYMISIEREN_NACH_TAGEN if tage is None else tage
        if tage < 1:
            raise CommandError(_("Die Frist muss mindestens einen Tag betragen."))
        kandidaten = datenschutz.anonymisierbare_meldende(datenschutz.stichtag(tage))
        ids = list(kandidaten.values_list("pk", flat=True))
        if probelauf:
            self.stdout.write(
                _("Probelauf: %(n)d Personen würden anonymisiert (Frist %(tage)d Tage).")
                % {"n": len(ids), "tage": tage}
            )
            return
        anonymisiert = 0
        for start in range(0, len(ids), GRUPPE):
            teil = datenschutz.anonymisierbare_meldende(datenschutz.stichtag(tage)).filter(
                pk__in=ids[start : start + GRUPPE]
            )
            anonymisiert += datenschutz.anonymisieren(teil, grund=datenschutz.FRIST)
        self.stdout.write(
            _("%(n)d Personen anonymisiert (Frist %(tage)d Tage).")
            % {"n": anonymisiert, "tage": tage}
        )
