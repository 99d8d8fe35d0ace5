"""anliegen/workflow.py: jeder erlaubte und verbotene Übergang, die Zusage vor dem Abschluss,
Verlauf und Postausgang."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from mailer.models import Message

from anliegen import workflow
from anliegen.fristen import arbeitstage_addieren
from anliegen.models import Anliegen, Ereignis, Status, Weiterleitung, WStatus

S = Status


def _mails_an(adresse: str) -> list:
    return [m for m in Message.objects.all() if adresse in m.to_addresses]


def _weitergeleitet(lotse, *fachbereiche, **kwargs):
    anliegen = lotse.erfassen(**kwargs)
    workflow.weiterleiten(
        anliegen,
        an=fachbereiche or [lotse.stadtbetrieb],
        nachricht="Bitte abholen.",
        durch=lotse.stadt.qm,
    )
    anliegen.refresh_from_db()
    return anliegen


def _beantwortet(lotse, **kwargs):
    anliegen = _weitergeleitet(lotse, **kwargs)
    w = anliegen.weiterleitungen.get()
    workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(
        w,
        entscheidung="wird_umgesetzt",
        antwort="Wir holen ihn Freitag ab.",
        erwartet_am=timezone.localdate() + datetime.timedelta(days=3),
        durch=lotse.stadt.fb,
    )
    anliegen.refresh_from_db()
    return anliegen


# --- Erfassen ----------------------------------------------------------------------------


def test_erfassen_vergibt_nummer_und_schreibt_verlauf(lotse):
    a = lotse.erfassen()
    b = lotse.erfassen()
    jahr = timezone.localdate().year
    assert a.nummer == f"{jahr}-00001" and b.nummer == f"{jahr}-00002"
    assert a.status == S.NEU
    assert a.meldende.email == lotse.EMAIL
    assert list(a.bedarfe.all()) == [lotse.sauberkeit]
    assert a.ereignisse.get().art == "erfasst"


def test_doppelt_abgeschickt_legt_nichts_doppelt_an(lotse):
    schluessel = uuid.uuid4()
    a = workflow.erfassen(
        daten={
            "titel": "x",
            "beschreibung": "y",
            "quartier": lotse.stadt.nord,
            "thema": lotse.muell,
            "art": "idee",
            "kanal": "telefon",
        },
        durch=lotse.stadt.qm,
        einreichung=schluessel,
    )
    b = workflow.erfassen(
        daten={
            "titel": "x",
            "beschreibung": "y",
            "quartier": lotse.stadt.nord,
            "thema": lotse.muell,
            "art": "idee",
            "kanal": "telefon",
        },
        durch=lotse.stadt.qm,
        einreichung=schluessel,
    )
    assert a.pk == b.pk
    assert Anliegen.objects.count() == 1


def test_erfassen_nur_im_eigenen_quartier(lotse):
    with pytest.raises(ValidationError, match="eigenen Quartiere"):
        lotse.erfassen(quartier=lotse.stadt.sued)


@pytest.mark.parametrize("persona", ["fb", "planung", "admin"])
def test_erfassen_nur_quartiersmanagement(lotse, persona):
    with pytest.raises(PermissionDenied):
        lotse.erfassen(durch=lotse.stadt.persona(persona))


def test_weitere_anliegen_derselben_person(lotse):
    a = lotse.erfassen()
    b = workflow.erfassen(
        daten={
            "titel": "Noch was",
            "beschreibung": "Laterne defekt",
            "quartier": lotse.stadt.nord,
            "thema": lotse.muell,
            "art": "beschwerde",
            "kanal": "sprechstunde",
        },
        meldende=a.meldende,
        durch=lotse.stadt.qm,
    )
    assert b.meldende == a.meldende
    assert a.meldende.anliegen.count() == 2


# --- Weg ---------------------------------------------------------------------------------


def test_kontakt_vermitteln_braucht_ziel(lotse, netz):
    a = lotse.erfassen(thema=lotse.beratung)
    with pytest.raises(ValidationError, match="an wen"):
        workflow.weg_festlegen(a, weg="kontakt", durch=lotse.stadt.qm)
    a = workflow.weg_festlegen(
        a, weg="kontakt", vermittelt_an=netz.familienzentrum, durch=lotse.stadt.qm
    )
    assert a.status == S.IN_BEARBEITUNG and a.vermittelt_an == netz.familienzentrum
    assert a.ereignisse.last().daten["vermittelt_an"] == "Familienzentrum Nord"


def test_weg_nicht_durch_andere_quartiere(lotse):
    a = lotse.erfassen()
    with pytest.raises(PermissionDenied):
        workflow.weg_festlegen(a, weg="selbst", durch=lotse.stadt.qm2)


# --- Weiterleiten, annehmen, zurückgeben, beantworten ------------------------------------


def test_weiterleiten_an_zwei_fachbereiche_mit_mail_und_standardfrist(lotse):
    a = _weitergeleitet(lotse, lotse.stadtbetrieb, lotse.gruen)
    assert a.status == S.WEITERGELEITET and a.weg == "weiterleiten"
    assert a.weiterleitungen.count() == 2
    w = a.weiterleitungen.get(fachbereich=lotse.stadtbetrieb)
    # Vorgabe des Fachbereichs: 10 Arbeitstage (ohne Wochenenden und Feiertage in NRW).
    assert w.frist == arbeitstage_addieren(timezone.localdate(), 10)
    empfaenger = {adr for m in Message.objects.all() for adr in m.to_addresses}
    assert empfaenger == {lotse.stadtbetrieb.email, lotse.gruen.email}
    # keine personenbezogenen Daten in Mails an Fachbereiche
    for m in Message.objects.all():
        for wert in (lotse.NAME, lotse.EMAIL, lotse.TELEFON, lotse.ANSCHRIFT):
            assert wert not in m.email.body


@pytest.mark.parametrize(
    ("kwargs", "meldung"),
    [
        ({"an": []}, "mindestens einen Fachbereich"),
        ({"nachricht": " "}, "worum es geht"),
        ({"frist": datetime.date(2000, 1, 1)}, "Vergangenheit"),
    ],
)
def test_weiterleiten_falsche_eingaben(lotse, kwargs, meldung):
    a = lotse.erfassen()
    daten = {"an": [lotse.stadtbetrieb], "nachricht": "Bitte.", "durch": lotse.stadt.qm, **kwargs}
    with pytest.raises(ValidationError, match=meldung):
        workflow.weiterleiten(a, **daten)
    assert not Weiterleitung.objects.exists()
    assert not Message.objects.exists()


def test_keine_zweite_offene_weiterleitung_an_denselben_fachbereich(lotse):
    a = _weitergeleitet(lotse)
    with pytest.raises(ValidationError, match="schon weitergeleitet"):
        workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)


def test_kontakt_teilen_nur_mit_einwilligung(lotse):
    a = lotse.erfassen(meldende={"name": "Ohne", "einwilligung": False})
    with pytest.raises(ValidationError, match="Einwilligung"):
        workflow.weiterleiten(
            a, an=[lotse.stadtbetrieb], nachricht="x", kontakt_teilen=True, durch=lotse.stadt.qm
        )


@pytest.mark.parametrize("persona", ["qm", "fb2", "planung", "admin"])
def test_nur_der_adressierte_fachbereich_nimmt_an(lotse, persona):
    a = _weitergeleitet(lotse)
    user = lotse.fb2 if persona == "fb2" else lotse.stadt.persona(persona)
    with pytest.raises(PermissionDenied):
        workflow.annehmen(a.weiterleitungen.get(), durch=user)


def test_antwort_erst_nach_annahme(lotse):
    a = _weitergeleitet(lotse)
    w = a.weiterleitungen.get()
    with pytest.raises(ValidationError, match="im Status"):
        workflow.beantworten(w, entscheidung="umgesetzt", antwort="Erledigt.", durch=lotse.stadt.fb)


@pytest.mark.parametrize(
    ("kwargs", "meldung"),
    [
        ({"entscheidung": "nicht_moeglich", "antwort": "Geht nicht."}, "Grund aus der Liste"),
        ({"entscheidung": "nicht_moeglich", "antwort": " "}, "verständlichen Worten"),
        ({"entscheidung": "wird_umgesetzt", "antwort": "Bald."}, "bis wann"),
        (
            {
                "entscheidung": "wird_umgesetzt",
                "antwort": "Bald.",
                "erwartet_am": datetime.date(2001, 1, 1),
            },
            "Vergangenheit",
        ),
        ({"entscheidung": "vielleicht", "antwort": "Hm."}, "Entscheidung wählen"),
    ],
)
def test_antwort_falsche_eingaben(lotse, kwargs, meldung):
    a = _weitergeleitet(lotse)
    w = workflow.annehmen(a.weiterleitungen.get(), durch=lotse.stadt.fb)
    with pytest.raises(ValidationError, match=meldung):
        workflow.beantworten(w, durch=lotse.stadt.fb, **kwargs)
    w.refresh_from_db()
    assert w.status == WStatus.IN_BEARBEITUNG


def test_nicht_moeglich_mit_grund(lotse):
    a = _weitergeleitet(lotse)
    w = workflow.annehmen(a.weiterleitungen.get(), durch=lotse.stadt.fb)
    w = workflow.beantworten(
        w,
        entscheidung="nicht_moeglich",
        antwort="Privatgrund, dafür ist der Eigentümer zuständig.",
        ablehnungsgrund=lotse.kein_geld,
        durch=lotse.stadt.fb,
    )
    assert w.status == WStatus.BEANTWORTET and w.ablehnungsgrund == lotse.kein_geld
    a.refresh_from_db()
    assert a.status == S.ANTWORT_LIEGT_VOR


def test_zwischenbescheid_haelt_offen(lotse):
    a = _weitergeleitet(lotse)
    w = workflow.annehmen(a.weiterleitungen.get(), durch=lotse.stadt.fb)
    workflow.beantworten(
        w, entscheidung="zwischenbescheid", antwort="Wir prüfen.", durch=lotse.stadt.fb
    )
    w.refresh_from_db()
    a.refresh_from_db()
    assert w.status == WStatus.IN_BEARBEITUNG
    assert a.status == S.WEITERGELEITET
    assert a.ereignisse.last().art == "zwischenbescheid"


def test_antwort_liegt_vor_erst_wenn_alle_geantwortet_haben(lotse):
    a = _weitergeleitet(lotse, lotse.stadtbetrieb, lotse.gruen)
    w1 = workflow.annehmen(
        a.weiterleitungen.get(fachbereich=lotse.stadtbetrieb), durch=lotse.stadt.fb
    )
    workflow.beantworten(w1, entscheidung="umgesetzt", antwort="Abgeholt.", durch=lotse.stadt.fb)
    a.refresh_from_db()
    assert a.status == S.WEITERGELEITET
    workflow.zurueckgeben(
        a.weiterleitungen.get(fachbereich=lotse.gruen),
        hinweis="Privatgrund, Hausverwaltung",
        durch=lotse.fb2,
    )
    a.refresh_from_db()
    assert a.status == S.ANTWORT_LIEGT_VOR


def test_zurueckgeben_nennt_immer_wer_zustaendig_ist(lotse):
    a = _weitergeleitet(lotse)
    w = a.weiterleitungen.get()
    with pytest.raises(ValidationError, match="wer zuständig ist"):
        workflow.zurueckgeben(w, durch=lotse.stadt.fb)
    with pytest.raises(ValidationError, match="anderen als den eigenen"):
        workflow.zurueckgeben(w, zustaendig_fachbereich=lotse.stadtbetrieb, durch=lotse.stadt.fb)
    w = workflow.zurueckgeben(w, zustaendig_fachbereich=lotse.gruen, durch=lotse.stadt.fb)
    assert w.status == WStatus.NICHT_ZUSTAENDIG
    # das QM wird benachrichtigt und kann erneut weiterleiten
    assert lotse.stadt.qm.email in Message.objects.last().to_addresses
    a.refresh_from_db()
    workflow.weiterleiten(a, an=[lotse.gruen], nachricht="Bitte übernehmen.", durch=lotse.stadt.qm)
    a.refresh_from_db()
    assert a.status == S.WEITERGELEITET


# --- Rückmeldung und Abschluss: die Zusage -----------------------------------------------


def test_nach_antwort_kein_abschluss_ohne_rueckmeldung(lotse):
    a = _beantwortet(lotse)
    assert a.status == S.ANTWORT_LIEGT_VOR
    with pytest.raises(ValidationError, match="Rückmeldung"):
        workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    # ein gescheiterter Versuch reicht nicht
    workflow.rueckmelden(
        a, text="Nicht erreicht", kanal="telefon", erreicht=False, durch=lotse.stadt.qm
    )
    with pytest.raises(ValidationError, match="Rückmeldung"):
        workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    workflow.rueckmelden(
        a,
        text="Der Stadtbetrieb holt den Sperrmüll am Freitag ab.",
        kanal="email",
        durch=lotse.stadt.qm,
    )
    (mail,) = _mails_an(lotse.EMAIL)
    assert "Freitag" in mail.email.body
    a = workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    assert a.status == S.ABGESCHLOSSEN and a.abschlussgrund == "erledigt"
    assert a.ohne_rueckmeldung_grund == ""


def test_anonym_schliesst_ohne_rueckmeldung_mit_grund(lotse):
    a = _beantwortet(lotse, meldende=None)
    a = workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    assert a.ohne_rueckmeldung_grund == "anonym gemeldet"
    assert a.ereignisse.last().daten["ohne_rueckmeldung"] == "anonym gemeldet"


def test_keine_rueckmeldung_gewuenscht(lotse):
    a = _beantwortet(lotse, meldende={"name": "X", "rueckmeldung_gewuenscht": False})
    a = workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    assert a.ohne_rueckmeldung_grund == "keine Rückmeldung gewünscht"


def test_email_rueckmeldung_ohne_einwilligung_abgelehnt(lotse):
    a = _beantwortet(
        lotse, meldende={"name": "X", "email": "x@example.invalid", "einwilligung": False}
    )
    with pytest.raises(ValidationError, match="Einwilligung"):
        workflow.rueckmelden(a, text="Hallo", kanal="email", durch=lotse.stadt.qm)
    assert not _mails_an("x@example.invalid")


def test_akteur_bekommt_rueckmeldung_per_mail(lotse, netz):
    a = _beantwortet(lotse, meldende=None, akteur=netz.familienzentrum)
    with pytest.raises(ValidationError, match="Rückmeldung"):
        workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    workflow.rueckmelden(a, text="Erledigt am Freitag.", kanal="email", durch=lotse.stadt.qm)
    assert _mails_an(netz.familienzentrum.email)
    workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)


def test_offene_weiterleitung_nur_als_duplikat_schliessen(lotse):
    a = _weitergeleitet(lotse)
    with pytest.raises(ValidationError, match="nur als Duplikat oder zurückgezogen"):
        workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    a = workflow.abschliessen(a, grund="duplikat", durch=lotse.stadt.qm)
    assert a.weiterleitungen.get().status == WStatus.ZURUECKGEZOGEN
    assert lotse.stadtbetrieb.email in Message.objects.last().to_addresses


def test_abschluss_ohne_gueltigen_grund(lotse):
    a = lotse.erfassen()
    with pytest.raises(ValidationError, match="Abschlussgrund"):
        workflow.abschliessen(a, grund="keine_lust", durch=lotse.stadt.qm)


def test_wiedereroeffnen_mit_grund(lotse):
    a = workflow.abschliessen(lotse.erfassen(), grund="zurueckgezogen", durch=lotse.stadt.qm)
    with pytest.raises(ValidationError, match="warum"):
        workflow.wiedereroeffnen(a, grund="", durch=lotse.stadt.qm)
    a = workflow.wiedereroeffnen(a, grund="Bürgerin meldet sich erneut", durch=lotse.stadt.qm)
    assert a.status == S.IN_BEARBEITUNG and a.abschlussgrund == ""
    with pytest.raises(ValidationError, match="im Status"):
        workflow.wiedereroeffnen(a, grund="nochmal", durch=lotse.stadt.qm)


@pytest.mark.parametrize("persona", ["qm2", "fb", "planung", "admin"])
def test_abschliessen_nur_zustaendiges_qm(lotse, persona):
    a = lotse.erfassen()
    with pytest.raises(PermissionDenied):
        workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.persona(persona))


def test_veralteter_stand_ist_konflikt(lotse):
    a = lotse.erfassen()
    stand = a.version
    workflow.weg_festlegen(a, weg="selbst", durch=lotse.stadt.qm, version=stand)
    with pytest.raises(workflow.Konflikt):
        workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm, version=stand)


def test_rueckgerollte_operation_verschickt_nichts(lotse):
    a = lotse.erfassen()
    vorher = Message.objects.count()
    with pytest.raises(ValidationError):
        workflow.weiterleiten(
            a,
            an=[lotse.stadtbetrieb],
            nachricht="x",
            frist=datetime.date(2000, 1, 1),
            durch=lotse.stadt.qm,
        )
    assert Message.objects.count() == vorher


def test_interne_notiz_im_verlauf(lotse):
    a = _weitergeleitet(lotse)
    workflow.notiz(a, text="Nachbarin hat Fotos", durch=lotse.stadt.qm)
    workflow.notiz(a, text="Tour am Freitag", durch=lotse.stadt.fb)
    with pytest.raises(PermissionDenied):
        workflow.notiz(a, text="x", durch=lotse.stadt.planung)
    assert Ereignis.objects.filter(art="notiz", intern=True).count() == 2


def test_verlauf_nur_anhaengend(lotse):
    a = _beantwortet(lotse)
    arten = list(a.ereignisse.values_list("art", flat=True))
    assert arten == ["erfasst", "weitergeleitet", "angenommen", "beantwortet"]


def test_mail_an_den_fachbereich_verlinkt_den_posteingang(lotse, settings):
    settings.QL_BASIS_URL = "https://quartierslotse.example.org/"
    a = _weitergeleitet(lotse)
    w = a.weiterleitungen.get()
    body = Message.objects.get().email.body
    assert f"https://quartierslotse.example.org/eingang/{w.pk}/" in body
