"""Datenschutz: Anonymisieren nach Frist, Auskunft (Art. 15) und Löschung (Art. 17).

Die meldende Person trägt Kanarienwerte (`lotse`); nach dem Anonymisieren darf keiner davon
irgendwo mehr stehen: in keinem Text- oder JSON-Feld irgendeines Modells, nicht im
`dumpdata`, nicht in Postausgang und Mailprotokoll (dort base64-Pickle, also entpackt geprüft).
"""

import datetime
import io
import json
import logging

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from mailer.models import DontSendEntry, Message, MessageLog

from anliegen import datenschutz, workflow
from anliegen.models import Anliegen, Ereignis, Meldende, Rueckmeldung, Status
from tests.anliegen.conftest import Lotse

KANARIEN = [Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT, "Bürgerin", "Kanarie"]


def _kreislauf(lotse: Lotse, *, tage_her: int | None = 400, **kwargs) -> Anliegen:
    """Einmal ganz herum, mit den Kanarien in jedem Freitext, den Menschen füllen:
    Beschreibung, Ort, Nachricht an den Fachbereich (Kontakt geteilt), Antwort, Notiz,
    Rückmeldung per Mail (Postausgang), eine zugestellte Mail (Mailprotokoll). Danach
    abgeschlossen, `tage_her` Tage zurückdatiert."""
    qm, fb = lotse.stadt.qm, lotse.stadt.fb
    anliegen = lotse.erfassen(
        beschreibung=f"{Lotse.NAME} ({Lotse.TELEFON}) meldet Sperrmüll vor ihrem Haus.",
        ort=Lotse.ANSCHRIFT,
        **kwargs,
    )
    (w,) = workflow.weiterleiten(
        anliegen,
        an=[lotse.stadtbetrieb],
        nachricht=f"Bitte Frau Bürgerin unter {Lotse.EMAIL} zurückrufen.",
        durch=qm,
        kontakt_teilen=True,
    )
    workflow.annehmen(w, durch=fb)
    workflow.notiz(anliegen, text="Frau Bürgerin ruft oft an (0241/7f3a000).", durch=qm)
    workflow.beantworten(
        w,
        entscheidung="umgesetzt",
        antwort=f"Mit Frau {Lotse.NAME} gesprochen, Sperrmüll abgeholt.",
        durch=fb,
    )
    # Eine Mail zustellen, damit das Mailprotokoll eine Zeile mit Kanarien hat.
    from mailer.engine import send_all

    workflow.rueckmelden(
        anliegen,
        text=f"Guten Tag Frau {Lotse.NAME}, der Sperrmüll ist abgeholt.",
        kanal="email",
        durch=qm,
    )
    send_all()
    # … und eine zweite bleibt im Postausgang liegen.
    workflow.rueckmelden(anliegen, text="Nachtrag: danke!", kanal="email", durch=qm)
    anliegen.refresh_from_db()
    workflow.abschliessen(anliegen, grund="erledigt", durch=qm)
    if tage_her is not None:
        _zurueckdatieren(anliegen, tage_her)
    anliegen.refresh_from_db()
    return anliegen


def _zurueckdatieren(anliegen: Anliegen, tage: int) -> None:
    Anliegen.objects.filter(pk=anliegen.pk).update(
        abgeschlossen_am=timezone.now() - datetime.timedelta(days=tage)
    )


def _alle_texte() -> list[tuple[str, str]]:
    """(Ort, Text) aus jedem Text- und JSON-Feld jedes Modells, Mails entpackt."""
    texte = []
    for modell in apps.get_models():
        felder = [
            f
            for f in modell._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for obj in modell.objects.all():
            for f in felder:
                wert = getattr(obj, f.attname)
                if wert:
                    text = json.dumps(wert, default=str, ensure_ascii=False)
                    texte.append((f"{modell.__name__}.{f.name}", text))
            if modell in (Message, MessageLog) and obj.email is not None:
                mail = obj.email
                texte.append(
                    (
                        f"{modell.__name__}.email",
                        " ".join([mail.subject, mail.body, *mail.to, *mail.cc, *mail.bcc]),
                    )
                )
    return texte


def _funde(texte: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (ort, kanarie)
        for ort, text in texte
        for kanarie in KANARIEN
        if kanarie.lower() in text.lower()
    ]


def _dump() -> str:
    ausgabe = io.StringIO()
    call_command("dumpdata", stdout=ausgabe)
    # dumpdata schreibt Nicht-ASCII als \\u-Folgen; zurück in Klartext.
    return json.dumps(json.loads(ausgabe.getvalue()), ensure_ascii=False)


def _anonymisieren(**kwargs) -> str:
    ausgabe = io.StringIO()
    call_command("anonymisieren", stdout=ausgabe, **kwargs)
    return ausgabe.getvalue()


@pytest.fixture(autouse=True)
def _zustellung(settings):
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- Anonymisieren -------------------------------------------------------------------------


def test_kanarien_stehen_vorher_ueberall(lotse):
    """Gegenprobe: die Suche findet die Kanarien, solange sie da sind."""
    _kreislauf(lotse)
    orte = {ort for ort, _ in _funde(_alle_texte())}
    assert {
        "Meldende.name",
        "Meldende.email",
        "Anliegen.beschreibung",
        "Anliegen.ort",
        "Weiterleitung.nachricht",
        "Weiterleitung.antwort",
        "Rueckmeldung.text",
        "Ereignis.daten",
        "Message.email",
        "MessageLog.email",
    } <= orte
    assert Lotse.NAME in _dump()


def test_anonymisieren_entfernt_kanarien_ueberall(lotse, stadt):
    anliegen = _kreislauf(lotse)
    # Admin-Protokoll und Sperrliste von django-mailer mit Personenbezug
    LogEntry.objects.log_actions(
        stadt.admin.pk, [anliegen.meldende], CHANGE, change_message=f"{Lotse.NAME} geändert"
    )
    DontSendEntry.objects.create(to_address=Lotse.EMAIL, when_added=timezone.now())

    ausgabe = _anonymisieren()

    assert "1 Personen anonymisiert" in ausgabe
    assert _funde(_alle_texte()) == []
    dump = _dump().lower()
    assert [k for k in KANARIEN if k.lower() in dump] == []


def test_anonymisieren_behaelt_was_die_statistik_braucht(lotse):
    anliegen = _kreislauf(lotse)
    vorher = Rueckmeldung.objects.filter(anliegen=anliegen).values_list(
        "kanal", "zeitpunkt", "erreicht"
    )
    vorher = list(vorher)
    _anonymisieren()

    anliegen.refresh_from_db()
    m = anliegen.meldende
    assert (m.name, m.email, m.telefon, m.anschrift) == ("", "", "", "")
    assert m.anonymisiert_am is not None
    assert m.einwilligung and m.rueckmeldung_gewuenscht and m.bevorzugter_kanal == "email"
    assert anliegen.status == Status.ABGESCHLOSSEN
    assert anliegen.titel == "Sperrmüll an der Ecke"
    assert anliegen.beschreibung == (
        "[anonymisiert] ([anonymisiert]) meldet Sperrmüll vor ihrem Haus."
    )
    assert anliegen.ort == "[anonymisiert]"
    assert list(anliegen.bedarfe.all()) == [lotse.sauberkeit]
    nachher = list(
        Rueckmeldung.objects.filter(anliegen=anliegen).values_list("kanal", "zeitpunkt", "erreicht")
    )
    assert nachher == vorher
    assert set(anliegen.rueckmeldungen.values_list("text", flat=True)) == {"[anonymisiert]"}
    w = anliegen.weiterleitungen.get()
    assert w.kontakt_geteilt and w.entscheidung == "umgesetzt" and w.beantwortet_am
    assert w.nachricht == "Bitte Frau [anonymisiert] unter [anonymisiert] zurückrufen."


def test_anonymisieren_schreibt_verlauf_ohne_personendaten(lotse):
    anliegen = _kreislauf(lotse)
    arten_vorher = list(anliegen.ereignisse.values_list("art", flat=True))
    _anonymisieren()
    ereignisse = list(anliegen.ereignisse.all())
    assert [e.art for e in ereignisse] == [*arten_vorher, "anonymisiert"]
    letzter = ereignisse[-1]
    assert letzter.von is None and letzter.daten == {"anlass": "frist"}
    assert letzter.text() == (
        "Daten der meldenden Person anonymisiert (Aufbewahrungsfrist abgelaufen)."
    )
    notiz = next(e for e in ereignisse if e.art == "notiz")
    assert notiz.daten["text"] == "Frau [anonymisiert] ruft oft an ([anonymisiert])."


def test_anonymisierter_verlauf_zeigt_system(lotse, client_fuer):
    anliegen = _kreislauf(lotse)
    _anonymisieren()
    antwort = client_fuer("qm").get(f"/anliegen/{anliegen.nummer}/")
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "System" in inhalt and "Aufbewahrungsfrist abgelaufen" in inhalt
    assert Lotse.NAME not in inhalt


def test_zweiter_lauf_tut_nichts(lotse, django_assert_max_num_queries):
    _kreislauf(lotse)
    assert "1 Personen anonymisiert" in _anonymisieren()
    stand = _dump()
    ereignisse = Ereignis.objects.count()
    assert "0 Personen anonymisiert" in _anonymisieren()
    assert Ereignis.objects.count() == ereignisse
    assert _dump() == stand


def test_person_mit_offenem_anliegen_behaelt_ihre_daten(lotse):
    alt = _kreislauf(lotse)
    # Dieselbe Person meldet noch etwas, das offen ist.
    workflow.erfassen(
        daten={
            "titel": "Laterne defekt",
            "beschreibung": "Seit gestern dunkel.",
            "quartier": lotse.stadt.nord,
            "thema": lotse.muell,
            "art": "beschwerde",
            "kanal": "telefon",
        },
        meldende=alt.meldende,
        durch=lotse.stadt.qm,
    )
    assert "0 Personen anonymisiert" in _anonymisieren()
    m = Meldende.objects.get(pk=alt.meldende_id)
    assert m.name == Lotse.NAME and m.anonymisiert_am is None


def test_wiedereroeffnetes_anliegen_zaehlt_als_offen(lotse):
    anliegen = _kreislauf(lotse)
    workflow.wiedereroeffnen(anliegen, grund="Müll liegt wieder da", durch=lotse.stadt.qm)
    assert datenschutz.anonymisierbare_meldende(datenschutz.stichtag(365)).count() == 0


@pytest.mark.parametrize(("tage_her", "anonymisiert"), [(364, 0), (366, 1)])
def test_frist_genau(lotse, tage_her, anonymisiert):
    _kreislauf(lotse, tage_her=tage_her)
    assert f"{anonymisiert} Personen anonymisiert" in _anonymisieren()
    assert Meldende.objects.filter(anonymisiert_am__isnull=False).count() == anonymisiert


def test_frist_aus_der_einstellung(lotse, settings):
    _kreislauf(lotse, tage_her=40)
    settings.QL_ANONYMISIEREN_NACH_TAGEN = 30
    assert "1 Personen anonymisiert (Frist 30 Tage)" in _anonymisieren()


def test_probelauf_aendert_nichts(lotse):
    _kreislauf(lotse)
    _kreislauf(lotse, tage_her=10)
    stand = _dump()
    ausgabe = _anonymisieren(probelauf=True)
    assert "Probelauf: 1 Personen würden anonymisiert" in ausgabe
    assert _dump() == stand


def test_nur_die_faelligen_werden_anonymisiert(lotse):
    faellig = _kreislauf(lotse)
    andere = _kreislauf(lotse, tage_her=None)  # gerade eben abgeschlossen
    anonym = lotse.erfassen(meldende=None)
    assert "1 Personen anonymisiert" in _anonymisieren()
    assert Meldende.objects.get(pk=faellig.meldende_id).anonymisiert_am is not None
    assert Meldende.objects.get(pk=andere.meldende_id).name == Lotse.NAME
    anonym.refresh_from_db()
    assert anonym.meldende is None


def test_meldende_str_nennt_keinen_namen(lotse):
    anliegen = lotse.erfassen()
    assert Lotse.NAME not in str(anliegen.meldende)
    assert ContentType.objects.get_for_model(Meldende)


# --- Protokoll -----------------------------------------------------------------------------


def test_protokoll_enthaelt_keine_personendaten(lotse, settings):
    """Die App loggt nichts über meldende Personen; django-mailer (Empfänger im INFO) ist
    abgeschaltet, und der Filter am Handler schwärzt Adressen, die doch durchkommen."""
    import logging

    from config.protokoll import OhneEmailAdressen

    assert settings.LOGGING["loggers"]["mailer"]["level"] == "WARNING"
    assert "ohne_email" in settings.LOGGING["handlers"]["console"]["filters"]
    record = logging.LogRecord(
        "mailer.engine", logging.WARNING, __file__, 1, "an %s: %s", (Lotse.EMAIL, "abgelehnt"), None
    )
    try:
        raise ValueError(f"SMTP 550 {Lotse.EMAIL}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    OhneEmailAdressen().filter(record)
    zeile = logging.Formatter().format(record)
    assert Lotse.EMAIL not in zeile and "an [E-Mail]: abgelehnt" in zeile


def test_kreislauf_und_anonymisieren_loggen_keine_kanarien(lotse, caplog):
    with caplog.at_level(logging.DEBUG):
        _kreislauf(lotse)
        _anonymisieren()
    # mailer.engine schreibt sonst „sending message … to buergerin-7f3a@…“
    protokoll = "\n".join(r.getMessage() for r in caplog.records)
    assert [k for k in KANARIEN if k in protokoll] == []
