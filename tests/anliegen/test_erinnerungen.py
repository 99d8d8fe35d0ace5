"""`manage.py erinnerungen` mit angehaltener Uhr: jede Erinnerung einmal, Eskalation nach der
zweiten Frist, nichts an freien Tagen, keine Daten meldender Personen in Mails."""

import datetime
import io
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from mailer.models import Message

from anliegen import workflow
from anliegen.models import Anliegen, Ereignis, Erinnerung, Weiterleitung
from tests.anliegen.conftest import Lotse

D = datetime.date


@contextmanager
def uhr(tag: datetime.date, stunde: int = 10):
    """Hält `timezone.now()` an (Europe/Berlin: UTC + 1 im Winter, + 2 im Sommer)."""
    jetzt = datetime.datetime(tag.year, tag.month, tag.day, stunde - 2, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=jetzt):
        yield


def lauf(tag: datetime.date, *args) -> str:
    aus = io.StringIO()
    call_command("erinnerungen", "--datum", tag.isoformat(), *args, stdout=aus)
    return aus.getvalue()


def mails_an(adresse: str) -> list:
    return [m for m in Message.objects.all() if adresse in m.to_addresses]


def _weitergeleitet(lotse, *, am: datetime.date, frist: datetime.date) -> Weiterleitung:
    with uhr(am):
        a = lotse.erfassen()
        (w,) = workflow.weiterleiten(
            a, an=[lotse.stadtbetrieb], nachricht="Bitte", frist=frist, durch=lotse.stadt.qm
        )
    Message.objects.all().delete()
    return w


@pytest.fixture(autouse=True)
def _fristen(settings):
    settings.QL_BUNDESLAND = "NW"
    settings.QL_ZUSAETZLICHE_FREIE_TAGE = []
    settings.QL_ESKALATION_ARBEITSTAGE = 5
    settings.QL_RUECKMELDEFRIST_ARBEITSTAGE = 10
    settings.QL_WACHHUND_ARBEITSTAGE = 10


# --- Frist einer Weiterleitung -------------------------------------------------------------


def test_frist_erinnerung_einmal_an_den_fachbereich(lotse):
    w = _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    assert "Verschickt: 0" in lauf(D(2026, 12, 4))  # am Tag der Frist noch nicht
    ausgabe = lauf(D(2026, 12, 7))
    assert "Verschickt: 1" in ausgabe
    assert "schon früher verschickt: 0" in ausgabe
    assert "schon früher verschickt: 1" in lauf(D(2026, 12, 7))  # zweiter Lauf am selben Tag
    assert "Verschickt: 0" in lauf(D(2026, 12, 8))  # und am nächsten Tag
    assert len(mails_an(lotse.stadtbetrieb.email)) == 1
    assert not mails_an(lotse.stadt.qm.email)
    erinnerung = Erinnerung.objects.get()
    assert (erinnerung.art, erinnerung.weiterleitung, erinnerung.bezug) == ("frist", w, w.frist)
    ereignis = Ereignis.objects.get(art="erinnerung")
    assert ereignis.von is None
    assert ereignis.daten == {"art": "frist", "bezug": "2026-12-04", "fachbereich": "E 18"}
    assert "Antwortfrist (04.12.2026) ist verstrichen" in ereignis.text()


def test_eskalation_an_das_qm_nach_fuenf_weiteren_arbeitstagen(lotse):
    _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    lauf(D(2026, 12, 7))
    lauf(D(2026, 12, 11))  # Frist + 5 Arbeitstage: fällig, noch nicht überfällig
    assert not mails_an(lotse.stadt.qm.email)
    lauf(D(2026, 12, 14))
    lauf(D(2026, 12, 14))
    lauf(D(2026, 12, 15))
    (mail,) = mails_an(lotse.stadt.qm.email)
    assert "Eskalation" in mail.email.subject
    assert len(mails_an(lotse.stadtbetrieb.email)) == 1
    assert sorted(Erinnerung.objects.values_list("art", flat=True)) == [
        "frist",
        "frist_eskalation",
    ]


def test_eskalation_ueber_weihnachten_und_neujahr(lotse):
    _weitergeleitet(lotse, am=D(2026, 12, 14), frist=D(2026, 12, 23))
    lauf(D(2026, 12, 28))  # 24.12. ist Arbeitstag, 25.–27. frei: Erinnerung am 28.
    assert len(mails_an(lotse.stadtbetrieb.email)) == 1
    # 24., 28., 29., 30., 31.12. sind die fünf Arbeitstage nach der Frist
    lauf(D(2026, 12, 31))
    assert not mails_an(lotse.stadt.qm.email)
    assert "kein Arbeitstag" in lauf(D(2027, 1, 1))
    lauf(D(2027, 1, 4))
    assert len(mails_an(lotse.stadt.qm.email)) == 1


def test_an_wochenenden_und_feiertagen_nichts(lotse):
    _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 2))
    assert "kein Arbeitstag" in lauf(D(2026, 12, 5))
    assert "kein Arbeitstag" in lauf(D(2026, 12, 25))
    assert not Message.objects.exists() and not Erinnerung.objects.exists()
    assert "Verschickt: 1" in lauf(D(2026, 12, 5), "--auch-an-freien-tagen")


def test_probelauf_verschickt_nichts(lotse):
    _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    ausgabe = lauf(D(2026, 12, 7), "--probelauf")
    assert "würde verschicken: 1" in ausgabe
    assert not Message.objects.exists()
    assert not Erinnerung.objects.exists()
    assert not Ereignis.objects.filter(art="erinnerung").exists()


def test_beantwortete_weiterleitung_wird_nicht_erinnert(lotse):
    w = _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    with uhr(D(2026, 12, 2)):
        workflow.annehmen(w, durch=lotse.stadt.fb)
        workflow.beantworten(w, entscheidung="umgesetzt", antwort="Erledigt.", durch=lotse.stadt.fb)
    Message.objects.all().delete()
    lauf(D(2026, 12, 7))
    assert not mails_an(lotse.stadtbetrieb.email)


def test_fachbereich_ohne_postfach_bekommt_die_mail_an_seine_mitarbeitenden(lotse):
    lotse.stadtbetrieb.email = ""
    lotse.stadtbetrieb.save()
    _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    lauf(D(2026, 12, 7))
    assert len(mails_an(lotse.stadt.fb.email)) == 1


# --- Nachfrage bei Stille (Wachhund) -------------------------------------------------------


def test_wachhund_nach_zehn_arbeitstagen_ohne_lebenszeichen(lotse):
    w = _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2027, 1, 29))
    with uhr(D(2026, 12, 1)):
        workflow.annehmen(w, durch=lotse.stadt.fb)
    lauf(D(2026, 12, 15))  # der zehnte Arbeitstag nach der Annahme
    assert not mails_an(lotse.stadtbetrieb.email)
    lauf(D(2026, 12, 16))
    lauf(D(2026, 12, 16))
    (mail,) = mails_an(lotse.stadtbetrieb.email)
    assert "Nachfrage" in mail.email.subject
    # Ein Zwischenbescheid ist ein Lebenszeichen: die Uhr beginnt neu.
    with uhr(D(2026, 12, 17)):
        workflow.beantworten(
            w, entscheidung="zwischenbescheid", antwort="Wir prüfen.", durch=lotse.stadt.fb
        )
    Message.objects.all().delete()
    lauf(D(2026, 12, 31))  # 18., 21.–24., 28.–31.: neun Arbeitstage
    assert not mails_an(lotse.stadtbetrieb.email)
    lauf(D(2027, 1, 5))
    assert len(mails_an(lotse.stadtbetrieb.email)) == 1
    assert Erinnerung.objects.filter(art="wachhund").count() == 2


# --- Rückmeldung an die Person -------------------------------------------------------------


def _beantwortet(lotse, am: datetime.date, **kwargs) -> Weiterleitung:
    w = _weitergeleitet(lotse, am=am, frist=am + datetime.timedelta(days=14))
    with uhr(am):
        workflow.annehmen(w, durch=lotse.stadt.fb)
        workflow.beantworten(
            w,
            entscheidung=kwargs.get("entscheidung", "umgesetzt"),
            antwort="Der Sperrmüll ist abgeholt.",
            erwartet_am=kwargs.get("erwartet_am"),
            durch=lotse.stadt.fb,
        )
    Message.objects.all().delete()
    return w


def test_rueckmeldefrist_zaehlt_arbeitstage_mit_fronleichnam(lotse):
    w = _beantwortet(lotse, D(2026, 6, 2))
    anliegen = w.anliegen
    anliegen.refresh_from_db()
    assert anliegen.rueckmeldung_offen_seit is not None
    # 3., 5., 8.–12., 15.–17.6. (Fronleichnam am 4.6. frei): fällig am 17., überfällig am 18.
    assert not Anliegen.objects.rueckmeldung_ueberfaellig(D(2026, 6, 17)).exists()
    assert Anliegen.objects.rueckmeldung_ueberfaellig(D(2026, 6, 18)).get() == anliegen
    lauf(D(2026, 6, 17))
    assert not mails_an(lotse.stadt.qm.email)
    lauf(D(2026, 6, 18))
    lauf(D(2026, 6, 18))
    lauf(D(2026, 6, 19))
    (mail,) = mails_an(lotse.stadt.qm.email)
    assert "Rückmeldung" in mail.email.subject
    assert Erinnerung.objects.get().weiterleitung is None


def test_rueckmeldung_beendet_die_frist(lotse):
    w = _beantwortet(lotse, D(2026, 6, 2))
    with uhr(D(2026, 6, 3)):
        workflow.rueckmelden(
            w.anliegen, text="Ist abgeholt.", kanal="telefon", durch=lotse.stadt.qm
        )
    assert Anliegen.objects.get().rueckmeldung_offen_seit is None
    lauf(D(2026, 6, 30))
    assert not Erinnerung.objects.exists()


def test_anonym_gemeldet_keine_rueckmeldefrist(lotse):
    with uhr(D(2026, 6, 1)):
        a = lotse.erfassen(meldende=None)
        (w,) = workflow.weiterleiten(
            a, an=[lotse.stadtbetrieb], nachricht="Bitte", durch=lotse.stadt.qm
        )
        workflow.annehmen(w, durch=lotse.stadt.fb)
        workflow.beantworten(w, entscheidung="umgesetzt", antwort="Ja.", durch=lotse.stadt.fb)
    a.refresh_from_db()
    assert a.rueckmeldung_offen_seit is None


# --- Zusagen ------------------------------------------------------------------------------


def test_zusage_faellig_nachfrage_und_eskalation(lotse):
    _beantwortet(lotse, D(2026, 12, 1), entscheidung="wird_umgesetzt", erwartet_am=D(2026, 12, 10))
    with uhr(D(2026, 12, 2)):
        workflow.rueckmelden(
            Anliegen.objects.get(), text="Wird gemacht.", kanal="telefon", durch=lotse.stadt.qm
        )
    lauf(D(2026, 12, 9))
    assert not Message.objects.exists()
    lauf(D(2026, 12, 10))
    lauf(D(2026, 12, 10))
    (mail,) = mails_an(lotse.stadtbetrieb.email)
    assert "Zusage" in mail.email.subject and "10.12.2026" in mail.email.body
    lauf(D(2026, 12, 17))
    assert not mails_an(lotse.stadt.qm.email)
    lauf(D(2026, 12, 18))
    lauf(D(2026, 12, 21))
    assert len(mails_an(lotse.stadt.qm.email)) == 1
    assert len(mails_an(lotse.stadtbetrieb.email)) == 1


# --- Datenschutz und Verlauf ---------------------------------------------------------------


def test_keine_daten_meldender_in_erinnerungen(lotse, client_fuer):
    _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    _beantwortet(lotse, D(2026, 11, 2), entscheidung="wird_umgesetzt", erwartet_am=D(2026, 12, 1))
    lauf(D(2026, 12, 14))
    arten = set(Erinnerung.objects.values_list("art", flat=True))
    assert arten == {"frist", "frist_eskalation", "rueckmeldung", "zusage", "zusage_eskalation"}
    assert Message.objects.count() == 5
    for m in Message.objects.all():
        for wert in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
            assert wert not in m.email.body and wert not in m.email.subject
            assert wert not in m.to_addresses


def test_verlauf_zeigt_erinnerung_als_automatisch(lotse, client_fuer):
    w = _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    lauf(D(2026, 12, 7))
    inhalt = client_fuer("qm").get(f"/anliegen/{w.anliegen.nummer}/").content.decode()
    assert "Quartierslotse (automatisch)" in inhalt
    inhalt = client_fuer("fb").get(f"/eingang/{w.pk}/").content.decode()
    assert "Antwortfrist (04.12.2026) ist verstrichen" in inhalt


def test_verwaltung_zeigt_erinnerungen_und_zusagen_nur_lesend(lotse, client_fuer):
    _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    lauf(D(2026, 12, 7))
    c = client_fuer("admin")
    assert c.get(reverse("admin:anliegen_erinnerung_changelist")).status_code == 200
    assert c.get(reverse("admin:anliegen_zusage_changelist")).status_code == 200
    assert c.get(reverse("admin:anliegen_erinnerung_add")).status_code == 403


def test_eskalation_an_das_quartier_wenn_die_zustaendige_person_ausgeschieden_ist(lotse):
    from tests.factories import UserFactory

    _weitergeleitet(lotse, am=D(2026, 12, 1), frist=D(2026, 12, 4))
    stadt = lotse.stadt
    kollegin = UserFactory(
        username="qm.nord2", email="qm-nord2@example.invalid", rolle=stadt.qm.rolle
    )
    stadt.stelle_nord.mitarbeitende.add(kollegin)
    stadt.qm.is_active = False
    stadt.qm.save(update_fields=["is_active"])
    lauf(D(2026, 12, 7))
    lauf(D(2026, 12, 14))
    assert not mails_an(stadt.qm.email)
    (mail,) = mails_an(kollegin.email)
    assert "Eskalation" in mail.email.subject
    # Die Kollegin im Süden (andere Stelle) bekommt nichts.
    assert not mails_an(stadt.qm2.email)
