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
from django.urls import reverse
from django.utils import timezone
from mailer.models import DontSendEntry, Message, MessageLog

from anliegen import datenschutz, workflow
from anliegen.models import Anliegen, Ereignis, Meldende, Rueckmeldung, Status
from netzwerke.models import Ansprechperson
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
    } <= orte
    # Zugestellte Mails behält das Mailprotokoll ohne Inhalt (MAILER_EMAIL_LOG_MESSAGE_DATA).
    assert "MessageLog.email" not in orte
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
    assert "Quartierslotse (automatisch)" in inhalt and "Aufbewahrungsfrist abgelaufen" in inhalt
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


# --- Auskunft und Löschung (Verwaltung → Datenschutz) ---------------------------------------

SUCHE = "/verwaltung/datenschutz/"
AUSKUNFT = "/verwaltung/datenschutz/auskunft/"
LOESCHEN = "/verwaltung/datenschutz/loeschen/"


def _text(antwort) -> str:
    return antwort.content.decode()


def test_auskunft_enthaelt_alle_kanarien_und_nummern(lotse):
    a = _kreislauf(lotse, tage_her=None)
    b = lotse.erfassen(meldende=None)
    b.meldende = a.meldende
    b.save(update_fields=["meldende"])
    daten = datenschutz.auskunft("BUERGERIN-7f3a")  # Teil der E-Mail, andere Schreibweise
    text = json.dumps(daten, ensure_ascii=False)
    for kanarie in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert kanarie in text
    (person,) = daten["Personen"]
    assert person["Name"] == Lotse.NAME and person["E-Mail"] == Lotse.EMAIL
    assert [x["Nummer"] for x in person["Anliegen"]] == [a.nummer, b.nummer]
    erstes = person["Anliegen"][0]
    assert erstes["Ort"] == Lotse.ANSCHRIFT
    assert erstes["Weiterleitungen"][0]["Kontakt der meldenden Person geteilt"] is True
    assert "Guten Tag Frau" in erstes["Rückmeldungen"][0]["Text für die meldende Person"]
    assert any("Frau Bürgerin ruft" in e["Eintrag"] for e in erstes["Verlauf"])
    zustaende = {m["Zustand"] for m in person["E-Mails"]}
    # Zugestellte Mails stehen ohne Inhalt im Protokoll (MAILER_EMAIL_LOG_MESSAGE_DATA=False).
    assert zustaende == {"im Postausgang"}
    assert any(Lotse.EMAIL in m["An"] for m in person["E-Mails"])


def test_auskunft_ohne_treffer(lotse):
    assert datenschutz.auskunft("niemand-da")["Personen"] == []


@pytest.mark.parametrize(
    ("persona", "erwartet"), [("qm", 403), ("fb", 403), ("planung", 403), ("admin", 200)]
)
def test_datenschutz_nur_fuer_administration(lotse, client_fuer, persona, erwartet):
    anliegen = lotse.erfassen()
    client = client_fuer(persona)
    assert client.get(SUCHE).status_code == erwartet
    assert client.post(SUCHE, {"suchbegriff": "Kanarie"}).status_code == erwartet
    auswahl = {"meldende": [anliegen.meldende_id]}
    assert client.post(AUSKUNFT, auswahl).status_code == erwartet
    if erwartet == 403:
        antwort = client.post(LOESCHEN, {**auswahl, "bestaetigen": "1", "begruendung": "x" * 20})
        assert antwort.status_code == 403
        assert Meldende.objects.get(pk=anliegen.meldende_id).name == Lotse.NAME


def test_datenschutz_anonym_zur_anmeldung(client):
    for url in (SUCHE, AUSKUNFT, LOESCHEN):
        antwort = client.post(url) if url != SUCHE else client.get(url)
        assert antwort.status_code == 302 and "/anmelden/" in antwort["Location"]


def test_aktionen_nur_per_post(lotse, client_fuer):
    client = client_fuer("admin")
    assert client.get(AUSKUNFT).status_code == 405
    assert client.get(LOESCHEN).status_code == 405


def test_verwaltung_verlinkt_datenschutz(lotse, client_fuer):
    assert SUCHE in _text(client_fuer("admin").get("/verwaltung/"))


def test_suche_zeigt_personen_mit_anliegen(lotse, client_fuer, django_assert_num_queries):
    a = lotse.erfassen()
    b = lotse.erfassen()
    lotse.erfassen(meldende={"name": "Jemand Anders", "email": "anders@example.invalid"})
    client = client_fuer("admin")
    client.get(SUCHE)  # Sitzung und Rechte einmal warm
    # Sitzung, Person, die Treffer, ihre Anliegen (eine Abfrage für alle Treffer),
    # Ansprechpersonen mit Akteur, Sitzung speichern (Savepoint, Update, Release) – unabhängig
    # von der Zahl der Treffer.
    with django_assert_num_queries(8):
        antwort = client.post(SUCHE, {"suchbegriff": "kanarie"})
    inhalt = _text(antwort)
    assert antwort.status_code == 200
    assert "2 Personen gefunden" in inhalt
    assert a.nummer in inhalt and b.nummer in inhalt and Lotse.EMAIL in inhalt
    assert "Jemand Anders" not in inhalt
    assert "no-cache" in antwort["Cache-Control"] or "no-store" in antwort["Cache-Control"]


@pytest.mark.parametrize(
    ("eingabe", "meldung"),
    [
        ("", "Bitte einen Namen, eine E-Mail-Adresse oder Telefonnummer eingeben."),
        ("ab", "Bitte mindestens 3 Zeichen eingeben"),
        (" a ", "Bitte mindestens 3 Zeichen eingeben"),
        ("x" * 151, "Bitte höchstens 150 Zeichen eingeben."),
    ],
)
def test_suche_falsche_eingabe(lotse, client_fuer, eingabe, meldung):
    antwort = client_fuer("admin").post(SUCHE, {"suchbegriff": eingabe})
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert meldung in inhalt
    assert f'value="{eingabe}"' in inhalt
    assert "gefunden</h2>" not in inhalt


def test_auskunft_herunterladen_und_protokollieren(lotse, client_fuer, stadt):
    anliegen = _kreislauf(lotse, tage_her=None)
    antwort = client_fuer("admin").post(
        AUSKUNFT, {"meldende": [anliegen.meldende_id], "suchbegriff": "Kanarie"}
    )
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "application/json; charset=utf-8"
    assert antwort["Content-Disposition"].startswith('attachment; filename="auskunft-art15-')
    assert Lotse.NAME not in antwort["Content-Disposition"]
    daten = json.loads(antwort.content.decode("utf-8"))
    assert daten["Personen"][0]["Anschrift"] == Lotse.ANSCHRIFT
    assert "Bürgerin" in antwort.content.decode("utf-8")  # UTF-8, nicht \\u-Folgen
    # Protokoll: Verlauf des Anliegens und Admin-Protokoll, beides ohne Personendaten.
    eintrag = anliegen.ereignisse.get(art="auskunft")
    assert eintrag.von == stadt.admin and eintrag.daten == {"meldende": anliegen.meldende_id}
    assert eintrag.text() == "Auskunft nach Art. 15 DSGVO über die meldende Person erteilt."
    log = LogEntry.objects.get(object_id=str(anliegen.meldende_id))
    assert log.user == stadt.admin and "Art. 15" in log.change_message
    assert Lotse.NAME not in log.object_repr


def test_auskunft_ohne_auswahl(lotse, client_fuer):
    antwort = client_fuer("admin").post(AUSKUNFT, {"suchbegriff": "Kanarie"}, follow=True)
    assert "Bitte mindestens eine Person auswählen." in _text(antwort)


def test_loeschen_in_zwei_schritten_unabhaengig_von_der_frist(lotse, client_fuer, stadt):
    anliegen = _kreislauf(lotse, tage_her=None)  # gerade abgeschlossen
    offen = lotse.erfassen(meldende=None)
    offen.meldende = anliegen.meldende
    offen.save(update_fields=["meldende"])  # … und ein offenes Anliegen derselben Person
    client = client_fuer("admin")
    auswahl = {"meldende": [anliegen.meldende_id], "suchbegriff": "Kanarie"}

    # 1. Bestätigungsseite: nichts gelöscht
    antwort = client.post(LOESCHEN, auswahl)
    assert antwort.status_code == 200
    assert anliegen.nummer in _text(antwort) and offen.nummer in _text(antwort)
    assert Meldende.objects.get(pk=anliegen.meldende_id).name == Lotse.NAME

    # 2. ohne Begründung: zurück mit Meldung
    antwort = client.post(LOESCHEN, {**auswahl, "bestaetigen": "1", "begruendung": ""})
    assert "Bitte begründen Sie die Löschung." in _text(antwort)
    assert Meldende.objects.get(pk=anliegen.meldende_id).name == Lotse.NAME

    # 3. mit Begründung (die den Namen nennt): gelöscht
    antwort = client.post(
        LOESCHEN,
        {**auswahl, "bestaetigen": "1", "begruendung": f"Brief von {Lotse.NAME} vom 3.11."},
    )
    assert antwort.status_code == 302
    assert "1 Person(en) gelöscht" in _text(client.get(antwort["Location"]))
    m = Meldende.objects.get(pk=anliegen.meldende_id)
    assert (m.name, m.email, m.anonymisiert_am is not None) == ("", "", True)
    assert _funde(_alle_texte()) == []
    assert Anliegen.objects.filter(pk__in=[anliegen.pk, offen.pk]).count() == 2
    eintrag = offen.ereignisse.get(art="anonymisiert")
    assert eintrag.von == stadt.admin
    assert eintrag.text() == (
        "Daten der meldenden Person gelöscht (Art. 17 DSGVO). "
        "Begründung: Brief von [anonymisiert] vom 3.11."
    )
    assert LogEntry.objects.filter(change_message__contains="Art. 17").count() == 1


def test_loeschen_zweimal_tut_nichts(lotse, stadt):
    anliegen = _kreislauf(lotse, tage_her=None)
    assert datenschutz.loeschen(anliegen.meldende, durch=stadt.admin) == 1
    ereignisse = Ereignis.objects.count()
    assert datenschutz.loeschen(anliegen.meldende, durch=stadt.admin) == 0
    assert Ereignis.objects.count() == ereignisse


def test_loeschen_csrf_geschuetzt(lotse, stadt):
    from django.test import Client

    anliegen = lotse.erfassen()
    client = Client(enforce_csrf_checks=True)
    client.force_login(stadt.admin)
    antwort = client.post(
        LOESCHEN,
        {"meldende": [anliegen.meldende_id], "bestaetigen": "1", "begruendung": "x" * 20},
    )
    assert antwort.status_code == 403
    assert Meldende.objects.get(pk=anliegen.meldende_id).name == Lotse.NAME


def test_meldende_im_admin_nicht_loeschbar(lotse, client_fuer):
    anliegen = lotse.erfassen()
    url = f"/verwaltung/anliegen/meldende/{anliegen.meldende_id}/delete/"
    assert client_fuer("admin").post(url, {"post": "yes"}).status_code == 403
    assert Meldende.objects.filter(pk=anliegen.meldende_id).exists()


def test_frist_unter_einem_tag_abgelehnt(lotse):
    from django.core.management.base import CommandError

    _kreislauf(lotse)
    with pytest.raises(CommandError, match="mindestens einen Tag"):
        _anonymisieren(tage=0)
    assert Meldende.objects.get().name == Lotse.NAME


# --- Anhänge -------------------------------------------------------------------------------


@pytest.fixture
def ablage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _anhang(anliegen, name: str, *, freigegeben: bool):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anliegen import anhaenge, workflow

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    datei = anhaenge.pruefen(SimpleUploadedFile(name, pdf, content_type="application/pdf"))
    (anhang,) = workflow.anhaenge_hinzufuegen(
        anliegen, dateien=[datei], freigegeben=freigegeben, durch=anliegen.zustaendig
    )
    return anhang


def test_anonymisieren_loescht_nicht_freigegebene_anhaenge(
    lotse, ablage, django_capture_on_commit_callbacks
):
    from anliegen.models import Anhang

    anliegen = _kreislauf(lotse)
    privat = _anhang(anliegen, "Schreiben_Buergerin.pdf", freigegeben=False)
    frei = _anhang(anliegen, "Schlagloch.pdf", freigegeben=True)
    privat_pfad = ablage / privat.datei.name
    assert privat_pfad.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _anonymisieren()
    assert list(Anhang.objects.values_list("pk", flat=True)) == [frei.pk]
    assert not privat_pfad.exists()
    assert (ablage / frei.datei.name).exists()


def test_auskunft_nennt_anhaenge(lotse, ablage):
    anliegen = _kreislauf(lotse, tage_her=None)
    _anhang(anliegen, "Schreiben.pdf", freigegeben=False)
    (person,) = datenschutz.auskunft(Lotse.EMAIL)["Personen"]
    (eintrag,) = person["Anliegen"][0]["Anhänge"]
    assert eintrag["Dateiname"] == "Schreiben.pdf"
    assert eintrag["Für Fachbereiche und andere Quartiere freigeben"] is False


def test_suche_und_auskunft_nennen_ansprechpersonen(lotse, netz, client_fuer):
    """Dieselbe Person kann Meldende und Ansprechperson eines Akteurs sein: die Suche zeigt
    beides, die Auskunft nennt beides; die Ansprechperson wird beim Akteur berichtigt."""
    anliegen = _kreislauf(lotse, tage_her=None)
    client = client_fuer("admin")
    inhalt = client.post(SUCHE, {"suchbegriff": "Kanarie"}).content.decode()
    assert "1 Ansprechperson bei Akteuren" in inhalt
    assert netz.KANARIE_EMAIL in inhalt
    ansprechperson = Ansprechperson.objects.get(email=netz.KANARIE_EMAIL)
    assert reverse("netzwerke:akteur_bearbeiten", args=[ansprechperson.akteur_id]) in inhalt
    antwort = client.post(AUSKUNFT, {"meldende": [anliegen.meldende_id], "suchbegriff": "Kanarie"})
    daten = json.loads(antwort.content.decode("utf-8"))
    (eintrag,) = daten["Ansprechpersonen bei Akteuren"]
    assert eintrag["E-Mail"] == netz.KANARIE_EMAIL
    assert eintrag["Akteur"] == ansprechperson.akteur.name


def test_suche_ohne_ansprechpersonen_keine_tabelle(lotse, client_fuer):
    _kreislauf(lotse, tage_her=None)
    inhalt = client_fuer("admin").post(SUCHE, {"suchbegriff": "Kanarie"}).content.decode()
    assert 'data-testid="ansprechpersonen"' not in inhalt
