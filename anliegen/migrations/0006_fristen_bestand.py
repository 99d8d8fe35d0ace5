"""Bestand nachtragen: Lebenszeichen angenommener Weiterleitungen, Zusagen zu „wird
umgesetzt“, Beginn der Rückmeldefrist bei Antworten, die die Person noch nicht kennt."""

from django.db import migrations
from django.db.models import Max, Q


def nachtragen(apps, schema_editor):
    Anliegen = apps.get_model("anliegen", "Anliegen")
    Weiterleitung = apps.get_model("anliegen", "Weiterleitung")
    Zusage = apps.get_model("anliegen", "Zusage")

    for w in Weiterleitung.objects.filter(status="in_bearbeitung", lebenszeichen_am__isnull=True):
        w.lebenszeichen_am = w.angenommen_am or w.erstellt_am
        w.save(update_fields=["lebenszeichen_am"])

    for w in Weiterleitung.objects.filter(
        status="beantwortet",
        entscheidung="wird_umgesetzt",
        erwartet_am__isnull=False,
        zusage__isnull=True,
    ):
        Zusage.objects.create(
            weiterleitung=w,
            zugesagt_fuer=w.erwartet_am,
            faellig_am=w.erwartet_am,
            erstellt_am=w.beantwortet_am or w.erstellt_am,
        )

    # Rückmeldung möglich und gewünscht: Person mit Wunsch, oder nur ein Akteur.
    gewuenscht = Q(meldende__rueckmeldung_gewuenscht=True) | Q(
        meldende__isnull=True, akteur__isnull=False
    )
    kandidaten = (
        Anliegen.objects.exclude(status="abgeschlossen")
        .filter(gewuenscht, rueckmeldung_offen_seit__isnull=True)
        .annotate(
            letzte_antwort=Max(
                "weiterleitungen__beantwortet_am",
                filter=Q(weiterleitungen__status="beantwortet"),
            )
        )
        .filter(letzte_antwort__isnull=False)
    )
    for anliegen in kandidaten:
        erfahren = anliegen.rueckmeldungen.filter(
            erreicht=True, zeitpunkt__gte=anliegen.letzte_antwort
        ).exists()
        if not erfahren:
            Anliegen.objects.filter(pk=anliegen.pk).update(
                rueckmeldung_offen_seit=anliegen.letzte_antwort
            )


class Migration(migrations.Migration):
    dependencies = [("anliegen", "0005_fristen")]

    operations = [migrations.RunPython(nachtragen, migrations.RunPython.noop)]
