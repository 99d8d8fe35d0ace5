"""Ereignis.art nur noch aus EreignisArt (benannter CheckConstraint) und Ereignis.anliegen mit
PROTECT. Vorher wird geprüft, dass der Bestand nur bekannte Codes enthält; sonst bricht die
Migration mit der Liste der unbekannten Codes ab, statt am Constraint zu scheitern."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Eingefroren: die Codes zum Zeitpunkt dieser Migration (nicht aus models importieren).
ARTEN = (
    "erfasst",
    "weg",
    "weitergeleitet",
    "angenommen",
    "zurueckgegeben",
    "beantwortet",
    "zwischenbescheid",
    "rueckmeldung",
    "abgeschlossen",
    "wiedereroeffnet",
    "anhang",
    "anhang_freigabe",
    "notiz",
    "anonymisiert",
    "auskunft",
    "antwortlink_widerrufen",
    "antwortlink_gesendet",
    "erinnerung",
    "zusage_eingehalten",
    "zusage_verschoben",
    "zusage_entfallen",
    "gebuendelt",
    "entbuendelt",
    "buendel_aufgenommen",
    "buendel_geloest",
    "antwort_ueber_hauptanliegen",
    "rueckmeldung_gebuendelte",
)


def codes_pruefen(apps, schema_editor):
    Ereignis = apps.get_model("anliegen", "Ereignis")
    unbekannt = sorted(
        Ereignis.objects.exclude(art__in=ARTEN).order_by().values_list("art", flat=True).distinct()
    )
    if unbekannt:
        liste = ", ".join(unbekannt)
        raise RuntimeError(
            f"Ereignisse mit unbekannter Art: {liste}. Bitte bereinigen oder EreignisArt ergänzen."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("anliegen", "0008_auswertung"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(codes_pruefen, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ereignis",
            name="anliegen",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ereignisse",
                to="anliegen.anliegen",
                verbose_name="Anliegen",
            ),
        ),
        migrations.AlterField(
            model_name="ereignis",
            name="art",
            field=models.CharField(
                choices=[
                    ("erfasst", "erfasst"),
                    ("weg", "Weg festgelegt"),
                    ("weitergeleitet", "weitergeleitet"),
                    ("angenommen", "angenommen"),
                    ("zurueckgegeben", "zurückgegeben"),
                    ("beantwortet", "beantwortet"),
                    ("zwischenbescheid", "Zwischenbescheid"),
                    ("rueckmeldung", "Rückmeldung"),
                    ("abgeschlossen", "abgeschlossen"),
                    ("wiedereroeffnet", "wieder geöffnet"),
                    ("anhang", "Anhang hinzugefügt"),
                    ("anhang_freigabe", "Freigabe eines Anhangs geändert"),
                    ("notiz", "Notiz"),
                    ("anonymisiert", "Daten anonymisiert oder gelöscht"),
                    ("auskunft", "Auskunft erteilt"),
                    ("antwortlink_widerrufen", "Antwortlink widerrufen"),
                    ("antwortlink_gesendet", "Antwortlink gesendet"),
                    ("erinnerung", "Erinnerung"),
                    ("zusage_eingehalten", "Zusage eingehalten"),
                    ("zusage_verschoben", "Zusage verschoben"),
                    ("zusage_entfallen", "Zusage entfallen"),
                    ("gebuendelt", "gebündelt"),
                    ("entbuendelt", "Bündelung gelöst"),
                    ("buendel_aufgenommen", "Anliegen hierunter gebündelt"),
                    ("buendel_geloest", "gebündeltes Anliegen gelöst"),
                    ("antwort_ueber_hauptanliegen", "Antwort über Hauptanliegen"),
                    ("rueckmeldung_gebuendelte", "Rückmeldung an gebündelte Anliegen"),
                ],
                max_length=30,
                verbose_name="Art",
            ),
        ),
        migrations.AddConstraint(
            model_name="ereignis",
            constraint=models.CheckConstraint(
                condition=models.Q(art__in=list(ARTEN)),
                name="ereignis_art_gueltig",
            ),
        ),
    ]
