"""Die Schritte des QM auf eigenen Seiten: Weg, Weiterleiten, Rückmeldung, Abschließen,
Wiedereröffnen, Notiz. Rechte je Persona, falscher Zustand, deutsche Meldungen mit erhaltener
Eingabe, Gleichzeitigkeit (Version), Postausgang und feste Zahl der Abfragen."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from anliegen import workflow
from anliegen.models import Anliegen, Ereignis, Rueckmeldung, Weiterleitung
from tests.factories import FachbereichFactory

from .conftest import Lotse

AKTIONEN = ["weg", "weiterleiten", "rueckmelden", "abschliessen", "wiedereroeffnen", "notiz"]


def _url(anliegen, aktion: str) -> str:
    return f"/anliegen/{anliegen.nummer}/{aktion}/"


def _detail(anliegen) -> str:
    return f"/anliegen/{anliegen.nummer}/"


def _frisch(anliegen) -> Anliegen:
    anliegen.refresh_from_db()
    return anliegen


def _weiterleiten(lotse, anliegen, *an):
    workflow.weiterleiten(
        anliegen, an=an or [lotse.stadtbetrieb], nachricht="Bitte prüfen.", durch=lotse.stadt.qm
    )
    return _frisch(anliegen)


def _beantworten(lotse, anliegen, antwort="Wir holen ihn Freitag ab."):
    w = anliegen.weiterleitungen.get(fachbereich=lotse.stadtbetrieb, status__in=["offen"])
    workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(
        w,
        entscheidung="wird_umgesetzt",
        antwort=antwort,
        erwartet_am=timezone.localdate() + datetime.timedelta(days=3),
        durch=lotse.stadt.fb,
    )
    return _frisch(anliegen)


def _gueltig(lotse, aktion: str, anliegen) -> dict:
    daten = {
        "weg": {"weg": "selbst"},
        "weiterleiten": {"an": [lotse.stadtbetrieb.pk], "nachricht": "Bitte abholen."},
        "rueckmelden": {"text": "Wird erledigt.", "kanal": "telefon", "erreicht": "on"},
        "abschliessen": {"grund": "erledigt"},
        "wiedereroeffnen": {"grund": "Müll liegt wieder da."},
        "notiz": {"text": "Anruf beim Hausmeister.", "intern": "on", "einreichung": uuid.uuid4()},
    }[aktion]
    return {"version": anliegen.version, **daten}


def _anliegen_fuer(lotse, aktion: str):
    anliegen = lotse.erfassen()
    if aktion == "wiedereroeffnen":
        workflow.abschliessen(anliegen, grund="erledigt", durch=lotse.stadt.qm)
    return _frisch(anliegen)


def test_url_name(lotse):
    a = lotse.erfassen()
    assert reverse("anliegen:weg", args=[a.nummer]) == _url(a, "weg")


# --- Rechte ------------------------------------------------------------------------------


@pytest.mark.parametrize("aktion", AKTIONEN)
def test_anonym_zur_anmeldung(lotse, client, aktion):
    antwort = client.get(_url(_anliegen_fuer(lotse, aktion), aktion))
    assert antwort.status_code == 302
    assert "next=" in antwort["Location"]


@pytest.mark.parametrize("aktion", AKTIONEN)
def test_qm_im_eigenen_quartier(lotse, client_fuer, aktion):
    anliegen = _anliegen_fuer(lotse, aktion)
    c = client_fuer("qm")
    seite = c.get(_url(anliegen, aktion))
    assert seite.status_code == 200
    assert f'name="version" value="{anliegen.version}"' in seite.text
    assert "novalidate" in seite.text
    assert "style=" not in seite.text and "<script>" not in seite.text  # strenge CSP
    antwort = c.post(_url(anliegen, aktion), _gueltig(lotse, aktion, anliegen))
    assert antwort.status_code == 302
    assert antwort["Location"] == _detail(anliegen)
    assert Ereignis.objects.filter(anliegen=anliegen).count() >= 2


@pytest.mark.parametrize("aktion", AKTIONEN)
@pytest.mark.parametrize("persona", ["qm2", "planung", "admin"])
def test_andere_403(lotse, client_fuer, aktion, persona):
    anliegen = _anliegen_fuer(lotse, aktion)
    vorher = Ereignis.objects.filter(anliegen=anliegen).count()
    c = client_fuer(persona)
    assert c.get(_url(anliegen, aktion)).status_code == 403
    assert c.post(_url(anliegen, aktion), _gueltig(lotse, aktion, anliegen)).status_code == 403
    assert Ereignis.objects.filter(anliegen=anliegen).count() == vorher
    assert _frisch(anliegen).version == anliegen.version


@pytest.mark.parametrize("aktion", AKTIONEN)
def test_fachbereich_403_bei_weitergeleitetem_404_sonst(lotse, client_fuer, aktion):
    anliegen = _anliegen_fuer(lotse, aktion)
    c = client_fuer("fb")
    assert c.get(_url(anliegen, aktion)).status_code == 404
    if aktion != "wiedereroeffnen":
        _weiterleiten(lotse, anliegen)
        assert c.get(_url(anliegen, aktion)).status_code == 403


@pytest.mark.parametrize("persona", ["qm", "qm2", "fb", "planung", "admin"])
def test_unbekannte_aktion_und_nummer_404(lotse, client_fuer, persona):
    anliegen = lotse.erfassen()
    c = client_fuer(persona)
    if persona != "fb":  # der Fachbereich sieht das Anliegen gar nicht: ohnehin 404
        assert c.get(_url(anliegen, "loeschen")).status_code == 404
    assert c.get("/anliegen/1999-00001/weg/").status_code == 404


def test_fremdes_quartier_nur_lesend(lotse, stadt, client_fuer):
    sued = lotse.erfassen(quartier=stadt.sued, durch=stadt.qm2)
    assert client_fuer("qm").get(_url(sued, "weg")).status_code == 403
    assert client_fuer("qm2").get(_url(sued, "weg")).status_code == 200


@pytest.mark.parametrize(
    ("aktion", "vorbereiten"),
    [
        ("wiedereroeffnen", lambda lotse, a: a),
        ("weg", lambda lotse, a: _weiterleiten(lotse, a)),
        ("abschliessen", lambda lotse, a: _anliegen_fuer(lotse, "wiedereroeffnen")),
    ],
)
def test_falscher_zustand_warnung_und_zurueck(lotse, client_fuer, aktion, vorbereiten):
    anliegen = vorbereiten(lotse, lotse.erfassen())
    c = client_fuer("qm")
    for antwort in (c.get(_url(anliegen, aktion)), c.post(_url(anliegen, aktion), {})):
        assert antwort.status_code == 302
        assert antwort["Location"] == _detail(anliegen)
    seite = c.get(_detail(anliegen))
    assert "Das geht im Status" in seite.text


# --- Weg ---------------------------------------------------------------------------------


def test_weg_kontakt_vermitteln(lotse, netz, client_fuer):
    anliegen = lotse.erfassen()
    daten = {"version": 0, "weg": "kontakt", "vermittelt_an": netz.familienzentrum.pk}
    assert client_fuer("qm").post(_url(anliegen, "weg"), daten).status_code == 302
    anliegen = _frisch(anliegen)
    assert (anliegen.status, anliegen.weg) == ("in_bearbeitung", "kontakt")
    assert anliegen.vermittelt_an == netz.familienzentrum


@pytest.mark.parametrize(
    ("daten", "meldung", "bleibt"),
    [
        (
            {"weg": "kontakt", "vermittelt_an_text": ""},
            "Bitte angeben, an wen die Person vermittelt wurde.",
            r'value="kontakt"[^>]*checked',
        ),
        ({"weg": ""}, "Bitte einen Weg wählen.", None),
        ({"weg": "weiterleiten"}, "Zum Weiterleiten bitte „Weiterleiten“ wählen.", None),
    ],
)
def test_weg_fehler(lotse, client_fuer, daten, meldung, bleibt):
    anliegen = lotse.erfassen()
    antwort = client_fuer("qm").post(_url(anliegen, "weg"), {"version": 0, **daten})
    assert antwort.status_code == 200
    assert meldung in antwort.text
    if bleibt:
        assert re.search(bleibt, antwort.text)
    assert _frisch(anliegen).status == "neu"


# --- Weiterleiten ------------------------------------------------------------------------


def test_weiterleiten_schlaegt_den_fachbereich_des_themas_vor(lotse, client_fuer):
    anliegen = lotse.erfassen()
    seite = client_fuer("qm").get(_url(anliegen, "weiterleiten")).text
    assert re.search(rf'value="{lotse.stadtbetrieb.pk}"[^>]*checked', seite)
    assert not re.search(rf'value="{lotse.gruen.pk}"[^>]*checked', seite)
    frist = workflow.standardfrist(lotse.stadtbetrieb).strftime("%d.%m.%Y")
    assert f"für Stadtbetrieb: {frist}" in seite
    assert "Vorschlag nach dem Thema „Wilder Müll“: Stadtbetrieb" in seite
    # Einwilligung liegt vor: Kontakt teilen wird angeboten.
    assert 'name="kontakt_teilen"' in seite


def test_weiterleiten_ohne_einwilligung_kein_kontakt_teilen(lotse, client_fuer):
    anliegen = lotse.erfassen(meldende={"name": "Ohne", "einwilligung": False})
    seite = client_fuer("qm").get(_url(anliegen, "weiterleiten")).text
    assert 'name="kontakt_teilen"' not in seite


def test_weiterleiten_thema_ohne_fachbereich_ohne_vorschlag(lotse, client_fuer):
    anliegen = lotse.erfassen(thema=lotse.beratung)
    seite = client_fuer("qm").get(_url(anliegen, "weiterleiten")).text
    assert not re.search(r'name="an"[^>]*checked', seite)
    assert "Leer lassen für die übliche Frist des jeweiligen Fachbereichs." in seite


def test_weiterleiten_an_zwei_mit_mails(lotse, client_fuer):
    anliegen = lotse.erfassen()
    daten = {
        "version": 0,
        "an": [lotse.stadtbetrieb.pk, lotse.gruen.pk],
        "nachricht": "Sperrmüll und Grünschnitt.",
        "frist": "",
        "kontakt_teilen": "on",
    }
    antwort = client_fuer("qm").post(_url(anliegen, "weiterleiten"), daten)
    assert antwort.status_code == 302
    anliegen = _frisch(anliegen)
    assert anliegen.status == "weitergeleitet"
    assert Weiterleitung.objects.filter(anliegen=anliegen, kontakt_geteilt=True).count() == 2
    w = anliegen.weiterleitungen.get(fachbereich=lotse.gruen)
    assert w.frist == workflow.standardfrist(lotse.gruen)
    empfaenger = {m.to_addresses[0] for m in Message.objects.all()}
    assert empfaenger == {lotse.stadtbetrieb.email, lotse.gruen.email}


def test_weiterleiten_mit_deutscher_frist(lotse, client_fuer):
    anliegen = lotse.erfassen()
    frist = timezone.localdate() + datetime.timedelta(days=5)
    daten = {"version": 0, "an": [lotse.gruen.pk], "nachricht": "x", "frist": f"{frist:%d.%m.%Y}"}
    assert client_fuer("qm").post(_url(anliegen, "weiterleiten"), daten).status_code == 302
    assert anliegen.weiterleitungen.get().frist == frist


GESTERN = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("daten", "meldung", "bleibt"),
    [
        (
            {"an": [], "nachricht": "Text bleibt"},
            "Bitte mindestens einen Fachbereich wählen.",
            None,
        ),
        ({"nachricht": "  "}, "Bitte schreiben Sie dem Fachbereich, worum es geht.", None),
        (
            {"frist": GESTERN, "nachricht": "Text bleibt"},
            "Die Frist darf nicht in der Vergangenheit liegen.",
            f'value="{GESTERN}"',
        ),
        (
            {"frist": "31.02.2026", "nachricht": "Text bleibt"},
            "Bitte ein gültiges Datum eingeben, z. B. 31.12.2018.",
            'value="31.02.2026"',
        ),
    ],
)
def test_weiterleiten_fehler(lotse, client_fuer, daten, meldung, bleibt):
    anliegen = lotse.erfassen()
    post = {"version": 0, "an": [lotse.stadtbetrieb.pk], "nachricht": "", **daten}
    antwort = client_fuer("qm").post(_url(anliegen, "weiterleiten"), post)
    assert antwort.status_code == 200
    assert meldung in antwort.text
    if "Text bleibt" in post["nachricht"]:
        assert "Text bleibt" in antwort.text
    if bleibt:
        assert bleibt in antwort.text
    assert Weiterleitung.objects.count() == 0
    assert Message.objects.count() == 0


def test_weiterleiten_doppelt_an_offenen_fachbereich(lotse, client_fuer):
    anliegen = _weiterleiten(lotse, lotse.erfassen())
    seite = client_fuer("qm").get(_url(anliegen, "weiterleiten")).text
    assert not re.search(rf'value="{lotse.stadtbetrieb.pk}"[^>]*checked', seite)
    daten = {"version": anliegen.version, "an": [lotse.stadtbetrieb.pk], "nachricht": "Nochmal"}
    antwort = client_fuer("qm").post(_url(anliegen, "weiterleiten"), daten)
    assert "schon weitergeleitet und noch offen" in antwort.text
    assert "Nochmal" in antwort.text


def test_kontakt_teilen_ohne_einwilligung_abgelehnt(lotse, client_fuer):
    anliegen = lotse.erfassen(meldende={"name": "Ohne", "einwilligung": False})
    daten = {"version": 0, "an": [lotse.gruen.pk], "nachricht": "x", "kontakt_teilen": "on"}
    assert client_fuer("qm").post(_url(anliegen, "weiterleiten"), daten).status_code == 302
    # Das Feld gibt es nicht: nichts wird geteilt.
    assert not Weiterleitung.objects.get().kontakt_geteilt


# --- Gleichzeitigkeit --------------------------------------------------------------------


def test_konflikt_behaelt_eingabe_und_geht_danach(lotse, client_fuer):
    anliegen = lotse.erfassen()
    c = client_fuer("qm")
    veraltet = anliegen.version
    workflow.notiz(anliegen, text="egal", durch=lotse.stadt.qm)  # ändert keine Version
    workflow.weiterleiten(anliegen, an=[lotse.gruen], nachricht="x", durch=lotse.stadt.qm)
    daten = {"version": veraltet, "text": "Mein langer Text", "kanal": "telefon", "erreicht": "on"}
    antwort = c.post(_url(anliegen, "rueckmelden"), daten)
    assert antwort.status_code == 200
    assert "inzwischen von jemand anderem geändert" in antwort.text
    assert "Mein langer Text" in antwort.text
    assert Rueckmeldung.objects.count() == 0
    neu = _frisch(anliegen).version
    assert f'name="version" value="{neu}"' in antwort.text
    daten["version"] = neu
    assert c.post(_url(anliegen, "rueckmelden"), daten).status_code == 302
    assert Rueckmeldung.objects.count() == 1


# --- Rückmeldung -------------------------------------------------------------------------


def test_rueckmelden_vorschlag_aus_der_antwort_und_gewuenschter_weg(lotse, client_fuer):
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()))
    seite = client_fuer("qm").get(_url(anliegen, "rueckmelden")).text
    assert "Antwort von Stadtbetrieb: wird umgesetzt." in seite
    assert "Wir holen ihn Freitag ab." in seite
    assert "Gewünscht: E-Mail" in seite
    assert re.search(r'value="email"[^>]*checked', seite)
    assert re.search(r'name="erreicht"[^>]*checked', seite)
    assert Lotse.EMAIL in seite  # das zuständige QM sieht, wohin die Mail geht


def test_rueckmelden_vorschlag_nur_neue_antworten(lotse, client_fuer):
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()), antwort="Erste")
    workflow.rueckmelden(anliegen, text="x", kanal="telefon", durch=lotse.stadt.qm)
    anliegen = _beantworten(lotse, _weiterleiten(lotse, _frisch(anliegen)), antwort="Zweite")
    seite = client_fuer("qm").get(_url(anliegen, "rueckmelden")).text
    assert "Zweite" in seite and "Erste" not in seite


def test_rueckmelden_per_mail_landet_im_postausgang(lotse, client_fuer):
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()))
    Message.objects.all().delete()
    daten = {
        "version": anliegen.version,
        "text": "Der Sperrmüll wird Freitag abgeholt.",
        "kanal": "email",
        "erreicht": "on",
    }
    assert client_fuer("qm").post(_url(anliegen, "rueckmelden"), daten).status_code == 302
    mail = Message.objects.get()
    assert mail.to_addresses == [Lotse.EMAIL]
    assert "Der Sperrmüll wird Freitag abgeholt." in mail.email.body


def test_rueckmelden_nicht_erreicht(lotse, client_fuer):
    anliegen = lotse.erfassen()
    daten = {"version": 0, "text": "Niemand ging ran.", "kanal": "telefon"}
    assert client_fuer("qm").post(_url(anliegen, "rueckmelden"), daten).status_code == 302
    assert Rueckmeldung.objects.get().erreicht is False


@pytest.mark.parametrize(
    ("meldende", "daten", "meldung"),
    [
        ("standard", {"text": "", "kanal": "telefon"}, "Bitte festhalten, was der Person"),
        ("standard", {"text": "Text bleibt", "kanal": ""}, "Bitte wählen, wie die Rückmeldung"),
        (None, {"text": "Text bleibt", "kanal": "email"}, "Für eine E-Mail fehlen Adresse"),
    ],
)
def test_rueckmelden_fehler(lotse, client_fuer, meldende, daten, meldung):
    anliegen = lotse.erfassen(meldende=meldende)
    antwort = client_fuer("qm").post(
        _url(anliegen, "rueckmelden"), {"version": 0, "erreicht": "on", **daten}
    )
    assert antwort.status_code == 200
    assert meldung in antwort.text
    if daten["text"]:
        assert daten["text"] in antwort.text
    assert Rueckmeldung.objects.count() == 0
    assert Message.objects.count() == 0


def test_rueckmelden_anonym_zeigt_hinweis(lotse, client_fuer):
    anliegen = lotse.erfassen(meldende=None)
    seite = client_fuer("qm").get(_url(anliegen, "rueckmelden")).text
    assert "anonym gemeldet" in seite


# --- Abschließen: erst Rückmeldung -------------------------------------------------------


def test_abschliessen_ohne_rueckmeldung_geht_nicht(lotse, client_fuer):
    """Nicht angeboten, solange die Person die Antwort nicht kennt: GET und POST führen mit
    dem Grund zurück zur Seite, nichts ist gespeichert; mit Rückmeldung geht es."""
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()))
    assert anliegen.status == "antwort_liegt_vor"
    c = client_fuer("qm")
    detail = c.get(_detail(anliegen))
    assert "abschliessen" not in [op["name"] for op in detail.context["operationen"]]
    seite = c.get(_url(anliegen, "abschliessen"), follow=True)
    assert seite.redirect_chain == [(_detail(anliegen), 302)]
    assert "Bitte zuerst festhalten, wie die Person die Antwort erfahren hat" in seite.text
    antwort = c.post(
        _url(anliegen, "abschliessen"),
        {"version": anliegen.version, "grund": "erledigt"},
        follow=True,
    )
    assert antwort.redirect_chain == [(_detail(anliegen), 302)]
    assert "Bitte zuerst festhalten, wie die Person die Antwort erfahren hat" in antwort.text
    assert _frisch(anliegen).status == "antwort_liegt_vor"
    # Mit Rückmeldung geht es.
    workflow.rueckmelden(anliegen, text="Freitag.", kanal="telefon", durch=lotse.stadt.qm)
    anliegen = _frisch(anliegen)
    assert c.get(_url(anliegen, "abschliessen")).status_code == 200
    antwort = c.post(
        _url(anliegen, "abschliessen"), {"version": anliegen.version, "grund": "erledigt"}
    )
    assert antwort.status_code == 302
    assert _frisch(anliegen).status == "abgeschlossen"


def test_abschliessen_anonym_ohne_rueckmeldung(lotse, client_fuer):
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen(meldende=None)))
    c = client_fuer("qm")
    assert 'data-testid="rueckmeldung-fehlt"' not in c.get(_url(anliegen, "abschliessen")).text
    daten = {"version": anliegen.version, "grund": "erledigt"}
    assert c.post(_url(anliegen, "abschliessen"), daten).status_code == 302
    anliegen = _frisch(anliegen)
    assert anliegen.ohne_rueckmeldung_grund == "anonym gemeldet"


def test_abschliessen_ohne_grund(lotse, client_fuer):
    anliegen = lotse.erfassen()
    antwort = client_fuer("qm").post(_url(anliegen, "abschliessen"), {"version": 0, "grund": ""})
    assert "Bitte einen Abschlussgrund wählen." in antwort.text
    assert _frisch(anliegen).status == "neu"


def test_abschliessen_weitergeleitet_nur_als_duplikat(lotse, client_fuer):
    anliegen = _weiterleiten(lotse, lotse.erfassen())
    c = client_fuer("qm")
    antwort = c.post(
        _url(anliegen, "abschliessen"), {"version": anliegen.version, "grund": "erledigt"}
    )
    # „erledigt“ geht erst nach der Antwort: Fehler am Feld, die Auswahl bleibt.
    assert antwort.status_code == 200
    assert "nur als Duplikat oder zurückgezogen" in antwort.text
    assert re.search(r'value="erledigt"[^>]*checked', antwort.text)
    assert _frisch(anliegen).status == "weitergeleitet"
    daten = {"version": anliegen.version, "grund": "duplikat"}
    assert c.post(_url(anliegen, "abschliessen"), daten).status_code == 302
    assert _frisch(anliegen).status == "abgeschlossen"
    an_stadtbetrieb = [
        m for m in Message.objects.all() if lotse.stadtbetrieb.email in m.to_addresses
    ]
    assert len(an_stadtbetrieb) == 2  # weitergeleitet, zurückgezogen


# --- Wiedereröffnen und Notiz ------------------------------------------------------------


def test_wiedereroeffnen_ohne_grund(lotse, client_fuer):
    anliegen = _anliegen_fuer(lotse, "wiedereroeffnen")
    antwort = client_fuer("qm").post(
        _url(anliegen, "wiedereroeffnen"), {"version": anliegen.version, "grund": " "}
    )
    assert "Bitte angeben, warum das Anliegen wieder geöffnet wird." in antwort.text
    assert _frisch(anliegen).status == "abgeschlossen"


def test_notiz_intern_vorausgewaehlt_und_leer(lotse, client_fuer):
    anliegen = lotse.erfassen()
    c = client_fuer("qm")
    assert re.search(r'name="intern"[^>]*checked', c.get(_url(anliegen, "notiz")).text)
    leer = {"version": 0, "text": "", "intern": "on", "einreichung": uuid.uuid4()}
    antwort = c.post(_url(anliegen, "notiz"), leer)
    assert "Die Notiz ist leer." in antwort.text
    daten = {"version": 0, "text": "Öffentlich sichtbar", "einreichung": uuid.uuid4()}
    assert c.post(_url(anliegen, "notiz"), daten).status_code == 302
    assert Ereignis.objects.get(art="notiz").intern is False


def test_notiz_doppelt_gesendet_entsteht_einmal(lotse, client_fuer):
    anliegen = lotse.erfassen()
    c = client_fuer("qm")
    seite = c.get(_url(anliegen, "notiz")).text
    schluessel = re.search(r'name="einreichung" value="([0-9a-f-]{36})"', seite).group(1)
    daten = {"version": 0, "text": "Hausmeister angerufen.", "intern": "on"}
    for _ in range(2):
        antwort = c.post(_url(anliegen, "notiz"), {**daten, "einreichung": schluessel})
        assert antwort.status_code == 302
    assert Ereignis.objects.filter(art="notiz").count() == 1
    # Ein neues Formular hat einen neuen Schlüssel: dieselbe Notiz darf bewusst zweimal sein.
    seite = c.get(_url(anliegen, "notiz")).text
    neu = re.search(r'name="einreichung" value="([0-9a-f-]{36})"', seite)
    assert neu.group(1) != schluessel
    c.post(_url(anliegen, "notiz"), {**daten, "einreichung": neu.group(1)})
    assert Ereignis.objects.filter(art="notiz").count() == 2


def test_notiz_ohne_schluessel_wird_abgelehnt(lotse, client_fuer):
    anliegen = lotse.erfassen()
    antwort = client_fuer("qm").post(
        _url(anliegen, "notiz"), {"version": 0, "text": "Hausmeister angerufen.", "intern": "on"}
    )
    assert antwort.status_code == 200
    assert "Das Formular ist unvollständig. Bitte laden Sie die Seite neu." in antwort.text
    assert "Hausmeister angerufen." in antwort.text
    assert not Ereignis.objects.filter(art="notiz").exists()


# --- Abfragen ----------------------------------------------------------------------------


def _abfragen(client, url) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        assert client.get(url).status_code == 200
    return len(abfragen)


@pytest.mark.parametrize("aktion", ["weiterleiten", "rueckmelden", "abschliessen"])
def test_abfragen_fest(lotse, netz, client_fuer, aktion):
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()))
    # Abschließen wird erst angeboten, wenn die Person die Antworten kennt.
    workflow.rueckmelden(anliegen, text="Freitag.", kanal="telefon", durch=lotse.stadt.qm)
    anliegen = _frisch(anliegen)
    c = client_fuer("qm")
    wenige = _abfragen(c, _url(anliegen, aktion))
    for _ in range(4):
        fb = FachbereichFactory()
        workflow.weiterleiten(anliegen, an=[fb], nachricht="x", durch=lotse.stadt.qm)
        w = anliegen.weiterleitungen.get(fachbereich=fb)
        w.status, w.entscheidung, w.antwort = "beantwortet", "umgesetzt", "Erledigt."
        w.beantwortet_am = timezone.now() - datetime.timedelta(days=1)
        w.save()
    assert _abfragen(c, _url(_frisch(anliegen), aktion)) == wenige
