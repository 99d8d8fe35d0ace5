"""Betreff und Text jeder Mail, wörtlich: aus workflow.py und erinnerungen.py.

Der Titel enthält `&`, `<` und Anführungszeichen: Mails sind Text, nichts wird HTML-maskiert.
"""

import datetime
import io
import re
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from mailer.models import Message

from anliegen import workflow
from anliegen.mails import mail_vormerken, rendern
from anliegen.models import ErinnerungsArt, Weiterleitung, Zusage

D = datetime.date
BASIS = "https://lotse.example.invalid"
TITEL = 'Sperrmüll & "Sofa" <Ecke>'
FB = "E 18 Stadtbetrieb"
LINK_HINWEIS = (
    "Ohne Anmeldung antworten – nur für diese Weiterleitung, gültig bis {bis}; bitte nicht "
    "weitergeben:\n{url}"
)


@pytest.fixture(autouse=True)
def _umgebung(settings):
    settings.QL_BASIS_URL = BASIS
    settings.QL_ANTWORTLINK_TAGE = 30
    settings.QL_BUNDESLAND = "NW"
    settings.QL_ZUSAETZLICHE_FREIE_TAGE = []
    settings.QL_ESKALATION_ARBEITSTAGE = 5
    settings.QL_RUECKMELDEFRIST_ARBEITSTAGE = 10
    settings.QL_WACHHUND_ARBEITSTAGE = 10


@contextmanager
def uhr(tag: datetime.date, stunde: int = 10):
    """Hält `timezone.now()` an (Europe/Berlin im Winter: UTC + 1)."""
    jetzt = datetime.datetime(tag.year, tag.month, tag.day, stunde - 1, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=jetzt):
        yield


def _url(name: str, *args) -> str:
    return BASIS + reverse(name, args=args)


def _mails_an(adresse: str) -> list[tuple[str, str]]:
    return [
        (m.email.subject, m.email.body)
        for m in Message.objects.order_by("pk")
        if adresse in m.to_addresses
    ]


def _einzige_mail_an(adresse: str) -> tuple[str, str]:
    (mail,) = _mails_an(adresse)
    return mail


def _antwortlink(body: str) -> str:
    (schluessel,) = re.findall(r"/antwort/([^/\s]+)/", body)
    return _url("anliegen:antwortlink", schluessel)


@pytest.fixture
def weitergeleitet(lotse) -> Weiterleitung:
    with uhr(D(2026, 12, 1)):
        anliegen = lotse.erfassen(titel=TITEL)
        (w,) = workflow.weiterleiten(
            anliegen,
            an=[lotse.stadtbetrieb],
            nachricht="Bitte abholen & entsorgen.",
            frist=D(2026, 12, 15),
            durch=lotse.stadt.qm,
        )
    return w


def _beantworten(lotse, w: Weiterleitung, **kwargs) -> None:
    workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(w, **kwargs)


def _ohne_mails() -> None:
    Message.objects.all().delete()


# --- workflow.py ---------------------------------------------------------------------------


def test_mail_weitergeleitet(lotse, weitergeleitet):
    w = weitergeleitet
    betreff, text = _einzige_mail_an(lotse.stadtbetrieb.email)
    assert betreff == f"Neues Anliegen {w.anliegen.nummer} für {FB}"
    assert text == (
        "Das Quartiersmanagement Quartier Nord hat Ihnen ein Anliegen weitergeleitet:\n\n"
        f"{TITEL}\n\nBitte abholen & entsorgen.\n\nBitte antworten Sie bis 15.12.2026.\n\n"
        + LINK_HINWEIS.format(bis="31.12.2026", url=_antwortlink(text))
        + f"\n\nMit Konto im Posteingang:\n{_url('anliegen:eingang_detail', w.pk)}"
    )


def test_mail_antwortlink_erneuert(lotse, weitergeleitet):
    w = weitergeleitet
    _ohne_mails()
    with uhr(D(2026, 12, 3)):
        workflow.antwortlink_erneuern(w, durch=lotse.stadt.qm)
    betreff, text = _einzige_mail_an(lotse.stadtbetrieb.email)
    assert betreff == f"Neuer Antwortlink zu Anliegen {w.anliegen.nummer}"
    assert text == (
        f"Das Quartiersmanagement Quartier Nord schickt Ihnen einen neuen Link zum Anliegen "
        f"„{TITEL}“ (Antwort bis 15.12.2026). Frühere Links gelten nicht mehr.\n\n"
        + LINK_HINWEIS.format(bis="02.01.2027", url=_antwortlink(text))
        + f"\n\nMit Konto im Posteingang:\n{_url('anliegen:eingang_detail', w.pk)}"
    )


def test_mail_antwort_an_das_qm(lotse, weitergeleitet):
    w = weitergeleitet
    _ohne_mails()
    with uhr(D(2026, 12, 2)):
        _beantworten(
            lotse,
            w,
            entscheidung="wird_umgesetzt",
            antwort="Ja.",
            erwartet_am=D(2026, 12, 10),
            durch=lotse.stadt.fb,
        )
    betreff, text = _einzige_mail_an(lotse.stadt.qm.email)
    assert betreff == f"Antwort zu Anliegen {w.anliegen.nummer}"
    assert text == (
        f"{FB} hat auf das Anliegen „{TITEL}“ reagiert (wird umgesetzt).\n"
        + _url("anliegen:detail", w.anliegen.nummer)
    )


def test_mail_rueckgabe_an_das_qm(lotse, weitergeleitet):
    w = weitergeleitet
    _ohne_mails()
    with uhr(D(2026, 12, 2)):
        workflow.zurueckgeben(w, durch=lotse.stadt.fb, hinweis="Das macht FB 36.")
    betreff, text = _einzige_mail_an(lotse.stadt.qm.email)
    assert betreff == f"Antwort zu Anliegen {w.anliegen.nummer}"
    assert text == (
        f"{FB} hat auf das Anliegen „{TITEL}“ reagiert (nicht zuständig).\n"
        + _url("anliegen:detail", w.anliegen.nummer)
    )


def test_mail_antwort_nennt_gebuendelte_anliegen(lotse, weitergeleitet):
    w = weitergeleitet
    with uhr(D(2026, 12, 1)):
        neben = lotse.erfassen(titel="Zweite Meldung")
        workflow.buendeln(neben, unter=w.anliegen, durch=lotse.stadt.qm)
    _ohne_mails()
    with uhr(D(2026, 12, 2)):
        _beantworten(lotse, w, entscheidung="umgesetzt", antwort="Ist weg.", durch=lotse.stadt.fb)
    betreff, text = _einzige_mail_an(lotse.stadt.qm.email)
    assert betreff == f"Antwort zu Anliegen {w.anliegen.nummer}"
    assert text == (
        f"{FB} hat auf das Anliegen „{TITEL}“ reagiert (umgesetzt).\n"
        + _url("anliegen:detail", w.anliegen.nummer)
        + f"\n\nGebündelt darunter: {neben.nummer}. Auch diese Personen sollen die Antwort "
        "erfahren; beim Festhalten der Rückmeldung geht sie an alle per E-Mail erreichbaren."
    )


@pytest.fixture
def zusage(lotse, weitergeleitet) -> Zusage:
    with uhr(D(2026, 12, 2)):
        _beantworten(
            lotse,
            weitergeleitet,
            entscheidung="wird_umgesetzt",
            antwort="Ja.",
            erwartet_am=D(2026, 12, 10),
            durch=lotse.stadt.fb,
        )
    _ohne_mails()
    return Zusage.objects.get(weiterleitung=weitergeleitet)


def _zusage_text(was: str, nummer: str) -> tuple[str, str]:
    return (
        f"Zusage zu Anliegen {nummer}: {was}",
        f"{FB} meldet zur Zusage im Anliegen „{TITEL}“: {was}.\n"
        "Bitte informieren Sie die meldende Person und halten Sie die Rückmeldung fest.\n"
        + _url("anliegen:detail", nummer),
    )


def test_mail_zusage_eingehalten(lotse, zusage):
    with uhr(D(2026, 12, 9)):
        workflow.zusage_eingehalten(zusage, durch=lotse.stadt.fb, text="Erledigt.")
    nummer = zusage.weiterleitung.anliegen.nummer
    assert _einzige_mail_an(lotse.stadt.qm.email) == _zusage_text("eingehalten", nummer)


def test_mail_zusage_verschoben(lotse, zusage):
    with uhr(D(2026, 12, 9)):
        workflow.zusage_verschieben(
            zusage, neues_datum=D(2027, 1, 20), grund="Lieferung", durch=lotse.stadt.fb
        )
    nummer = zusage.weiterleitung.anliegen.nummer
    assert _einzige_mail_an(lotse.stadt.qm.email) == _zusage_text(
        "verschoben auf den 20.01.2027", nummer
    )


def test_mail_zusage_entfallen(lotse, zusage):
    with uhr(D(2026, 12, 9)):
        workflow.zusage_entfallen(zusage, grund="Kein Geld", durch=lotse.stadt.fb)
    nummer = zusage.weiterleitung.anliegen.nummer
    assert _einzige_mail_an(lotse.stadt.qm.email) == _zusage_text("entfällt", nummer)


def test_mail_rueckmeldung_an_die_person(lotse, weitergeleitet):
    with uhr(D(2026, 12, 2)):
        _beantworten(
            lotse,
            weitergeleitet,
            entscheidung="umgesetzt",
            antwort="Ist weg.",
            durch=lotse.stadt.fb,
        )
        workflow.rueckmelden(
            weitergeleitet.anliegen,
            text="Der Sperrmüll & das <Sofa> sind abgeholt.",
            kanal="email",
            durch=lotse.stadt.qm,
        )
    assert _einzige_mail_an(lotse.EMAIL) == (
        f"Ihr Anliegen „{TITEL}“",
        "Guten Tag,\n\nDer Sperrmüll & das <Sofa> sind abgeholt.\n\n"
        "Ihr Quartiersmanagement Quartier Nord",
    )


def test_mail_weiterleitung_zurueckgezogen(lotse, weitergeleitet):
    _ohne_mails()
    with uhr(D(2026, 12, 2)):
        workflow.abschliessen(weitergeleitet.anliegen, grund="duplikat", durch=lotse.stadt.qm)
    assert _einzige_mail_an(lotse.stadtbetrieb.email) == (
        f"Anliegen {weitergeleitet.anliegen.nummer} zurückgezogen",
        f"Das Anliegen „{TITEL}“ ist erledigt (Duplikat); Sie müssen nicht mehr antworten.",
    )


# --- erinnerungen.py -----------------------------------------------------------------------


def _lauf(tag: datetime.date) -> None:
    call_command("erinnerungen", "--datum", tag.isoformat(), stdout=io.StringIO())


def test_mails_frist_und_eskalation(lotse, weitergeleitet):
    w = weitergeleitet
    nummer = w.anliegen.nummer
    _ohne_mails()
    _lauf(D(2026, 12, 23))  # Frist 15.12. + fünf Arbeitstage: Erinnerung und Eskalation
    assert _einzige_mail_an(lotse.stadtbetrieb.email) == (
        f"Erinnerung: Antwort zu Anliegen {nummer} ist überfällig",
        f"Guten Tag,\n\ndie Antwortfrist für das Anliegen {nummer} „{TITEL}“ (Quartier "
        "Quartier Nord) ist am 15.12.2026 verstrichen. Bitte antworten Sie oder geben Sie "
        f"einen Zwischenbescheid.\n{_url('anliegen:eingang_detail', w.pk)}",
    )
    assert _einzige_mail_an(lotse.stadt.qm.email) == (
        f"Eskalation: {FB} hat zu Anliegen {nummer} nicht geantwortet",
        f"Guten Tag,\n\n{FB} hat auf das Anliegen {nummer} „{TITEL}“ trotz Erinnerung nicht "
        "geantwortet; die Frist war der 15.12.2026. Bitte fragen Sie nach.\n"
        + _url("anliegen:detail", nummer),
    )


def test_mail_wachhund(lotse, weitergeleitet):
    w = weitergeleitet
    w.frist = D(2027, 1, 29)
    w.save(update_fields=["frist"])
    with uhr(D(2026, 12, 1)):
        workflow.annehmen(w, durch=lotse.stadt.fb)
    _ohne_mails()
    _lauf(D(2026, 12, 16))
    assert _einzige_mail_an(lotse.stadtbetrieb.email) == (
        f"Nachfrage: Wie steht es um Anliegen {w.anliegen.nummer}?",
        f"Guten Tag,\n\nSie haben das Anliegen {w.anliegen.nummer} „{TITEL}“ (Quartier "
        "Quartier Nord) angenommen; seit dem 01.12.2026 gab es weder Antwort noch "
        "Zwischenbescheid. Bitte geben Sie dem Quartiersmanagement einen kurzen Stand "
        f"(Frist: 29.01.2027).\n{_url('anliegen:eingang_detail', w.pk)}",
    )


def test_mail_rueckmeldung_faellig(lotse, weitergeleitet):
    nummer = weitergeleitet.anliegen.nummer
    with uhr(D(2026, 12, 2)):
        _beantworten(
            lotse,
            weitergeleitet,
            entscheidung="umgesetzt",
            antwort="Ist weg.",
            durch=lotse.stadt.fb,
        )
    _ohne_mails()
    _lauf(D(2026, 12, 17))
    assert _einzige_mail_an(lotse.stadt.qm.email) == (
        f"Erinnerung: Rückmeldung zu Anliegen {nummer} fällig",
        f"Guten Tag,\n\nzum Anliegen {nummer} „{TITEL}“ liegt seit dem 02.12.2026 eine Antwort "
        "vor, die die meldende Person noch nicht erfahren hat. Bitte geben Sie ihr Rückmeldung "
        f"und halten Sie sie fest.\n{_url('anliegen:detail', nummer)}",
    )


def test_mails_zusage_faellig_und_eskalation(lotse, zusage):
    w = zusage.weiterleitung
    nummer = w.anliegen.nummer
    with uhr(D(2026, 12, 2)):
        workflow.rueckmelden(
            w.anliegen, text="Wird gemacht.", kanal="telefon", durch=lotse.stadt.qm
        )
    _ohne_mails()
    _lauf(D(2026, 12, 18))  # fällig am 10.12., fünf Arbeitstage später die Eskalation
    assert _einzige_mail_an(lotse.stadtbetrieb.email) == (
        f"Zusage zu Anliegen {nummer} ist fällig",
        f"Guten Tag,\n\nSie haben zugesagt, das Anliegen {nummer} „{TITEL}“ (Quartier Quartier "
        "Nord) bis zum 10.12.2026 umzusetzen. Bitte sagen Sie, wie es steht: eingehalten, "
        "verschoben (mit neuem Datum und Grund) oder entfallen (mit Grund).\n"
        + _url("anliegen:eingang_detail", w.pk),
    )
    assert _einzige_mail_an(lotse.stadt.qm.email) == (
        f"Eskalation: Zusage zu Anliegen {nummer} unbeantwortet",
        f"Guten Tag,\n\n{FB} hat die zum 10.12.2026 zugesagte Umsetzung des Anliegens {nummer} "
        f"„{TITEL}“ trotz Nachfrage weder bestätigt noch verschoben. Bitte fragen Sie nach.\n"
        + _url("anliegen:detail", nummer),
    )


# --- Vorlagen und Helfer -------------------------------------------------------------------

WURZEL = Path(__file__).resolve().parents[2]
MAILVORLAGEN = WURZEL / "templates" / "anliegen" / "mail"
AUS_DEM_WORKFLOW = [
    "weitergeleitet",
    "antwortlink_erneuert",
    "antwort",
    "zusage",
    "rueckmeldung",
    "zurueckgezogen",
]


def test_jede_mail_hat_betreff_und_text():
    namen = AUS_DEM_WORKFLOW + [f"erinnerung_{art}" for art in ErinnerungsArt.values]
    erwartet = {f"{n}{teil}.txt" for n in namen for teil in ("", "_betreff")}
    assert {p.name for p in MAILVORLAGEN.glob("*.txt")} == erwartet


_UEBERSETZT = re.compile(
    r"{% blocktranslate .*? %}.*?{% endblocktranslate %}|{% translate \".*?\" %}"
    r"|{{.*?}}|{%.*?%}",
    re.S,
)


@pytest.mark.parametrize("datei", sorted(p.name for p in MAILVORLAGEN.glob("*.txt")))
def test_mailvorlagen_sind_uebersetzbar(datei):
    """Außerhalb von {% translate %}/{% blocktranslate %} steht kein Wort, nur Variablen."""
    rest = _UEBERSETZT.sub("", (MAILVORLAGEN / datei).read_text(encoding="utf-8"))
    assert not re.search(r"\w", rest), rest


def test_ohne_empfaenger_keine_mail(lotse):
    anliegen = lotse.erfassen(titel=TITEL)
    mail_vormerken("zurueckgezogen", {"anliegen": anliegen, "grund": "Duplikat"}, ["", ""])
    assert not Message.objects.exists()


def test_betreff_ist_eine_zeile(lotse):
    anliegen = lotse.erfassen(titel="Zwei\nZeilen")
    betreff, _text = rendern("rueckmeldung", {"anliegen": anliegen, "text": "x"})
    assert betreff == "Ihr Anliegen „Zwei Zeilen“"


def test_mails_entstehen_nur_ueber_den_helfer():
    funde = [
        f"{datei.relative_to(WURZEL)}:{nr}"
        for datei in (WURZEL / "anliegen").rglob("*.py")
        if datei.name != "mails.py"
        for nr, zeile in enumerate(datei.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives)\b", zeile)
    ]
    assert funde == []
