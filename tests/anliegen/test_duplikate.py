"""Ähnliche Anliegen und Bündeln: Vorschläge (Thema/Quartier/Zeitraum, Adresse, Koordinaten,
ohne Personendaten, feste Abfragen), Erfassen mit und ohne JavaScript, Regeln und Rechte des
Bündelns, Antwort und Rückmeldung an alle gebündelten Personen, Abschluss je Person, Lösen."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from mailer.models import Message

from anliegen import workflow
from anliegen.duplikate import adresse_normalisieren, aehnliche_anliegen
from anliegen.models import Anliegen, Ereignis, Rueckmeldung, Status

from .conftest import Lotse

ERFASSEN = "/anliegen/neu/"


def _suche(lotse, **kw):
    kw.setdefault("quartier", lotse.stadt.nord)
    kw.setdefault("thema", lotse.muell)
    return [v.nummer for v in aehnliche_anliegen(**kw)]


# --- Vorschläge --------------------------------------------------------------------------


def test_gleiches_thema_im_quartier_innerhalb_des_zeitraums(lotse, settings):
    settings.QL_DUPLIKAT_TAGE = 60
    neu = lotse.erfassen(ort="")
    alt = lotse.erfassen(ort="")
    Anliegen.objects.filter(pk=alt.pk).update(
        erstellt_am=timezone.now() - datetime.timedelta(days=61)
    )
    assert _suche(lotse, ort="") == [neu.nummer]
    # Anderes Thema: nur über die Adresse (hier keine).
    assert _suche(lotse, thema=lotse.beratung, ort="") == []


def test_anderes_quartier_und_abgeschlossene_nicht(lotse, stadt):
    lotse.erfassen(quartier=stadt.sued, durch=stadt.qm2)
    zu = lotse.erfassen()
    workflow.abschliessen(zu, grund="erledigt", durch=stadt.qm)
    assert _suche(lotse) == []


def test_adresse_wird_vereinheitlicht(lotse):
    assert adresse_normalisieren("Hauptstr. 5") == adresse_normalisieren("Hauptstraße 5")
    assert adresse_normalisieren("HAUPTSTRASSE  5") == "hauptstr 5"
    assert adresse_normalisieren("Haupt-Straße 5 a") == "hauptstr 5a"
    assert adresse_normalisieren("Hauptstr.5") == "hauptstr 5"
    assert adresse_normalisieren("Hauptstraße 7") != adresse_normalisieren("Hauptstraße 5")
    a = lotse.erfassen(thema=lotse.beratung, ort="Hauptstraße 5")
    lotse.erfassen(thema=lotse.beratung, ort="Hauptstraße 7")
    # Anderes Thema, aber gleiche Adresse.
    assert _suche(lotse, ort="Hauptstr. 5") == [a.nummer]


def test_koordinaten_im_umkreis(lotse, settings):
    settings.QL_DUPLIKAT_METER = 150
    nah = lotse.erfassen(
        thema=lotse.beratung, ort="", breite=Decimal("50.775300"), laenge=Decimal("6.083900")
    )
    # ~167 m nördlich: schon außerhalb des Rechtecks.
    lotse.erfassen(
        thema=lotse.beratung, ort="", breite=Decimal("50.777300"), laenge=Decimal("6.083900")
    )
    # ~134 m östlich und ~111 m nördlich: im groben Rechteck, diagonal ~174 m, zu weit.
    lotse.erfassen(
        thema=lotse.beratung, ort="", breite=Decimal("50.776800"), laenge=Decimal("6.085800")
    )
    treffer = aehnliche_anliegen(
        quartier=lotse.stadt.nord,
        thema=lotse.muell,
        breite=Decimal("50.775800"),
        laenge=Decimal("6.083900"),
    )
    assert [v.nummer for v in treffer] == [nah.nummer]
    assert 50 < treffer[0].meter < 60


def test_relevanz_und_hoechstens_fuenf(lotse):
    for _ in range(6):
        lotse.erfassen(ort="")
    adresse = lotse.erfassen(ort="Hauptstraße 5")
    treffer = _suche(lotse, ort="Hauptstr. 5")
    assert len(treffer) == 5
    assert treffer[0] == adresse.nummer  # gleiche Adresse und gleiches Thema zuerst


def test_vorschlaege_ohne_personendaten_und_feste_abfragen(lotse, client_fuer):
    lotse.erfassen()
    vorschlag = aehnliche_anliegen(quartier=lotse.stadt.nord, thema=lotse.muell)[0]
    assert set(vars(vorschlag)) == {
        "nummer", "titel", "ort", "status", "status_text", "erstellt_am", "gruende", "punkte",
        "meter",
    }  # fmt: skip
    url = (
        f"{ERFASSEN}aehnliche/?quartier={lotse.stadt.nord.pk}&thema={lotse.muell.pk}"
        "&ort=Ecke+Nordstra%C3%9Fe&breite=&laenge="
    )
    c = client_fuer("qm")
    antwort = c.get(url, headers={"HX-Request": "true"})
    assert antwort.status_code == 200
    inhalt = antwort.text
    assert "Ähnliche offene Anliegen" in inhalt and "Trotzdem neu erfassen" in inhalt
    for geheim in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert geheim not in inhalt
    with CaptureQueriesContext(connection) as wenige:
        c.get(url)
    for _ in range(10):
        lotse.erfassen()
    with CaptureQueriesContext(connection) as viele:
        c.get(url)
    assert len(viele) == len(wenige)
    with CaptureQueriesContext(connection) as nur_suche:
        aehnliche_anliegen(
            quartier=lotse.stadt.nord,
            thema=lotse.muell,
            ort="Ecke Nordstraße",
            breite=Decimal("50.7"),
            laenge=Decimal("6.0"),
        )
    assert len(nur_suche) == 1


@pytest.mark.parametrize("persona,status", [("fb", 403), ("planung", 403), (None, 302)])
def test_vorschlaege_nur_fuer_wer_erfassen_darf(lotse, client_fuer, persona, status):
    antwort = client_fuer(persona).get(f"{ERFASSEN}aehnliche/?quartier={lotse.stadt.nord.pk}")
    assert antwort.status_code == status


def test_vorschlaege_nicht_fuer_fremdes_quartier(lotse, client_fuer, stadt):
    lotse.erfassen()
    url = f"{ERFASSEN}aehnliche/?quartier={stadt.nord.pk}&thema={lotse.muell.pk}"
    assert "Trotzdem neu erfassen" not in client_fuer("qm2").get(url).text


# --- Erfassen mit Vorschlägen ------------------------------------------------------------


def _daten(lotse, **aenderungen) -> dict:
    daten = {
        "einreichung": str(uuid.uuid4()),
        "quartier": lotse.stadt.nord.pk,
        "titel": "Sperrmüll schon wieder",
        "beschreibung": "Noch mehr Sperrmüll an der Ecke.",
        "ort": "Ecke Nordstraße",
        "thema": lotse.muell.pk,
        "art": "beschwerde",
        "kanal": "sprechstunde",
        "name": "Zweite Person",
        "email": "zweite@example.invalid",
        "einwilligung": "on",
        "rueckmeldung_gewuenscht": "on",
        "bevorzugter_kanal": "email",
    }
    daten.update(aenderungen)
    return daten


def test_erfassen_formular_laedt_vorschlaege_mit_htmx(lotse, client_fuer):
    seite = client_fuer("qm").get(ERFASSEN).text
    assert 'id="ql-aehnliche" aria-live="polite"' in seite
    assert 'hx-get="/anliegen/neu/aehnliche/"' in seite
    # Nur Quartier, Thema, Ort und Koordinaten gehen an die Suche, nie Personendaten.
    assert 'hx-include="[name=quartier],[name=thema],[name=ort]' in seite
    assert "[name=name]" not in seite


def test_ohne_javascript_erst_vorschlaege_dann_trotzdem_neu(lotse, client_fuer):
    erstes = lotse.erfassen()
    c = client_fuer("qm")
    daten = _daten(lotse)
    antwort = c.post(ERFASSEN, daten)
    assert antwort.status_code == 200
    assert Anliegen.objects.count() == 1
    inhalt = antwort.text
    assert "Bitte prüfen: gibt es das schon?" in inhalt
    assert f'value="{erstes.nummer}"' in inhalt
    # Nichts Getipptes geht verloren.
    for wert in ("Sperrmüll schon wieder", "Noch mehr Sperrmüll an der Ecke.", "Zweite Person"):
        assert wert in inhalt
    assert f'value="{daten["einreichung"]}"' in inhalt
    assert Lotse.NAME not in inhalt  # die Person des ähnlichen Anliegens bleibt verborgen
    antwort = c.post(ERFASSEN, {**daten, "zuordnen": "neu"})
    assert antwort.status_code == 302
    neu = Anliegen.objects.get(titel="Sperrmüll schon wieder")
    assert neu.uebergeordnet is None


def test_ohne_javascript_zuordnen_buendelt_gleich(lotse, client_fuer):
    erstes = lotse.erfassen()
    c = client_fuer("qm")
    antwort = c.post(ERFASSEN, _daten(lotse, zuordnen=erstes.nummer))
    assert antwort.status_code == 302
    neu = Anliegen.objects.get(titel="Sperrmüll schon wieder")
    assert neu.uebergeordnet == erstes
    assert neu.ereignisse.filter(art="gebuendelt").exists()
    assert erstes.ereignisse.filter(art="buendel_aufgenommen").exists()


def test_zuordnen_scheitert_nichts_gespeichert_eingaben_bleiben(lotse, client_fuer, stadt):
    erstes = lotse.erfassen()
    workflow.abschliessen(erstes, grund="erledigt", durch=stadt.qm)
    antwort = client_fuer("qm").post(ERFASSEN, _daten(lotse, zuordnen=erstes.nummer))
    assert antwort.status_code == 200
    assert "ist abgeschlossen" in antwort.text
    assert "Sperrmüll schon wieder" in antwort.text
    assert Anliegen.objects.count() == 1


def test_ohne_aehnliche_direkt_gespeichert(lotse, client_fuer):
    antwort = client_fuer("qm").post(ERFASSEN, _daten(lotse))
    assert antwort.status_code == 302


# --- Regeln und Rechte des Bündelns -----------------------------------------------------


@pytest.fixture
def paar(lotse):
    haupt = lotse.erfassen()
    neben = lotse.erfassen(
        titel="Sperrmüll, zweite Meldung",
        meldende={
            "name": "Nebenan Nachbar",
            "email": "nachbar@example.invalid",
            "einwilligung": True,
            "bevorzugter_kanal": "email",
        },
    )
    return haupt, neben


def test_buendeln_regeln(lotse, stadt, paar):
    haupt, neben = paar
    fremd = lotse.erfassen(quartier=stadt.sued, durch=stadt.qm2)
    with pytest.raises(ValidationError, match="selben Quartier"):
        workflow.buendeln(neben, unter=fremd, durch=stadt.qm)
    with pytest.raises(ValidationError, match="unter sich selbst"):
        workflow.buendeln(neben, unter=neben, durch=stadt.qm)
    workflow.buendeln(neben, unter=haupt, durch=stadt.qm)
    dritt = lotse.erfassen()
    with pytest.raises(ValidationError, match="selbst gebündelt"):
        workflow.buendeln(dritt, unter=neben, durch=stadt.qm)
    with pytest.raises(ValidationError, match="eine Ebene"):
        workflow.buendeln(haupt, unter=dritt, durch=stadt.qm)
    zu = lotse.erfassen()
    workflow.abschliessen(zu, grund="erledigt", durch=stadt.qm)
    with pytest.raises(ValidationError, match="abgeschlossen"):
        workflow.buendeln(dritt, unter=zu, durch=stadt.qm)
    # Weitergeleitete lassen sich nicht bündeln; gebündelte nicht weiterleiten.
    workflow.weiterleiten(dritt, an=[lotse.stadtbetrieb], nachricht="x", durch=stadt.qm)
    with pytest.raises(workflow.UngueltigerUebergang):
        workflow.buendeln(dritt, unter=haupt, durch=stadt.qm)
    with pytest.raises(workflow.UngueltigerUebergang):
        workflow.weiterleiten(neben, an=[lotse.stadtbetrieb], nachricht="x", durch=stadt.qm)
    neben.refresh_from_db()
    assert "weiterleiten" not in [
        op.name for op in workflow.angebotene(workflow.ANLIEGEN, neben, durch=stadt.qm)
    ]


@pytest.mark.parametrize("persona", ["qm2", "fb", "planung"])
def test_buendeln_nur_das_qm_des_quartiers(stadt, paar, persona):
    haupt, neben = paar
    with pytest.raises(PermissionDenied):
        workflow.buendeln(neben, unter=haupt, durch=stadt.persona(persona))


@pytest.mark.parametrize(
    "persona,status", [("qm", 200), ("qm2", 403), ("planung", 403), ("fb", 404), (None, 302)]
)
def test_buendeln_seite_rechte(client_fuer, paar, persona, status):
    _, neben = paar
    antwort = client_fuer(persona).get(f"/anliegen/{neben.nummer}/buendeln/")
    assert antwort.status_code == status


def test_buendeln_ueber_die_seite_und_loesen(client_fuer, paar):
    haupt, neben = paar
    c = client_fuer("qm")
    seite = c.get(f"/anliegen/{neben.nummer}/buendeln/").text
    assert haupt.nummer in seite and Lotse.NAME not in seite
    antwort = c.post(
        f"/anliegen/{neben.nummer}/buendeln/", {"version": neben.version, "unter": haupt.nummer}
    )
    assert antwort.status_code == 302
    neben.refresh_from_db()
    assert neben.uebergeordnet == haupt
    detail = c.get(f"/anliegen/{haupt.nummer}/").text
    assert f'data-testid="gebuendelt-{neben.nummer}"' in detail
    assert f"Anliegen {neben.nummer} hierunter gebündelt." in detail
    detail = c.get(f"/anliegen/{neben.nummer}/").text
    assert 'data-testid="gebuendelt-unter"' in detail
    assert 'data-testid="aktion-weiterleiten"' not in detail
    antwort = c.post(f"/anliegen/{neben.nummer}/entbuendeln/", {"version": neben.version})
    assert antwort.status_code == 302
    neben.refresh_from_db()
    assert neben.uebergeordnet is None
    assert neben.ereignisse.filter(art="entbuendelt").exists()
    assert haupt.ereignisse.filter(art="buendel_geloest").exists()


def test_buendeln_mit_unbekannter_nummer(client_fuer, paar):
    _, neben = paar
    antwort = client_fuer("qm").post(
        f"/anliegen/{neben.nummer}/buendeln/", {"version": neben.version, "nummer": "1999-00001"}
    )
    assert antwort.status_code == 200
    assert "gibt es nicht" in antwort.text


# --- Antwort und Rückmeldung an alle gebündelten -----------------------------------------


def _antwort(lotse, haupt, text="Wir holen den Sperrmüll am Freitag ab."):
    workflow.weiterleiten(haupt, an=[lotse.stadtbetrieb], nachricht="Bitte", durch=lotse.stadt.qm)
    w = haupt.weiterleitungen.get()
    workflow.annehmen(w, durch=lotse.stadt.fb)
    w.refresh_from_db()
    workflow.beantworten(w, entscheidung="umgesetzt", antwort=text, durch=lotse.stadt.fb)


@pytest.fixture
def buendel(lotse, paar):
    """Hauptanliegen (Kanarie, E-Mail) mit drei gebündelten: per E-Mail (Nachbar), per Brief
    ohne E-Mail, und eine Person ohne Wunsch nach Rückmeldung."""
    haupt, mail = paar
    brief = lotse.erfassen(
        meldende={
            "name": "Briefa Bürgerin",
            "anschrift": "Beispielweg 12",
            "einwilligung": True,
            "bevorzugter_kanal": "brief",
        }
    )
    egal = lotse.erfassen(
        meldende={
            "name": "Egal",
            "email": "egal@example.invalid",
            "einwilligung": True,
            "rueckmeldung_gewuenscht": False,
        }
    )
    for b in (mail, brief, egal):
        workflow.buendeln(b, unter=haupt, durch=lotse.stadt.qm)
    Message.objects.all().delete()
    return haupt, mail, brief, egal


def test_antwort_erreicht_alle_gebuendelten(lotse, buendel):
    haupt, mail, brief, egal = buendel
    _antwort(lotse, haupt)
    for b in (mail, brief):
        b.refresh_from_db()
        assert b.status == Status.ANTWORT_LIEGT_VOR
        assert b.rueckmeldung_offen_seit is not None
        assert workflow.braucht_rueckmeldung(b)
        e = b.ereignisse.get(art="antwort_ueber_hauptanliegen")
        assert f"Antwort über Hauptanliegen {haupt.nummer}" in e.text()
    egal.refresh_from_db()
    assert egal.rueckmeldung_offen_seit is None  # keine Rückmeldung gewünscht
    # Das QM erfährt es einmal (eine Mail zum Hauptanliegen, mit den Nummern).
    an_qm = [m for m in Message.objects.all() if lotse.stadt.qm.email in m.to_addresses]
    assert len(an_qm) == 1
    assert mail.nummer in an_qm[0].email.body and brief.nummer in an_qm[0].email.body


def test_gebuendelte_schliessen_erst_nach_rueckmeldung(lotse, buendel):
    haupt, mail, brief, egal = buendel
    _antwort(lotse, haupt)
    with pytest.raises(ValidationError, match="Rückmeldung"):
        workflow.abschliessen(mail, grund="erledigt", durch=lotse.stadt.qm)
    with pytest.raises(ValidationError, match="Person wartet noch"):
        workflow.entbuendeln(mail, durch=lotse.stadt.qm)
    workflow.abschliessen(egal, grund="erledigt", durch=lotse.stadt.qm)  # entbehrlich


def test_rueckmeldung_an_alle_gebuendelten(lotse, buendel, client_fuer):
    haupt, mail, brief, egal = buendel
    _antwort(lotse, haupt)
    Message.objects.all().delete()
    haupt.refresh_from_db()
    c = client_fuer("qm")
    seite = c.get(f"/anliegen/{haupt.nummer}/rueckmelden/").text
    assert 'name="an_gebuendelte"' in seite
    antwort = c.post(
        f"/anliegen/{haupt.nummer}/rueckmelden/",
        {
            "version": haupt.version,
            "text": "Der Sperrmüll wird am Freitag abgeholt.",
            "kanal": "email",
            "erreicht": "on",
            "an_gebuendelte": "on",
        },
    )
    assert antwort.status_code == 302
    # Eine Mail je per E-Mail erreichbarer Person: Hauptanliegen und Nachbar, sonst niemand.
    empfaenger = sorted(a for m in Message.objects.all() for a in m.to_addresses)
    assert empfaenger == sorted([Lotse.EMAIL, "nachbar@example.invalid"])
    r = Rueckmeldung.objects.get(anliegen=mail)
    assert r.kanal == "email" and r.text == "Der Sperrmüll wird am Freitag abgeholt."
    assert not Rueckmeldung.objects.filter(anliegen__in=[brief, egal]).exists()
    mail.refresh_from_db()
    assert mail.rueckmeldung_offen_seit is None
    assert not workflow.braucht_rueckmeldung(mail)
    assert mail.ereignisse.filter(art="rueckmeldung").exists()
    brief.refresh_from_db()
    assert workflow.wartet_auf_rueckmeldung(brief)
    e = haupt.ereignisse.get(art="rueckmeldung_gebuendelte")
    assert e.daten == {"per_mail": [mail.nummer], "offen": [brief.nummer]}
    detail = c.get(f"/anliegen/{haupt.nummer}/").text
    assert "noch persönlich, telefonisch oder per Brief zu informieren" in detail
    # Wer keine Personendaten sieht, sieht Nummern und Stand, nicht den Weg.
    planung = client_fuer("planung").get(f"/anliegen/{haupt.nummer}/").text
    assert brief.nummer in planung and "gewünscht: Brief" not in planung
    assert "Briefa" not in planung and "nachbar@" not in planung

    # Abschließen: nur die gebündelten, deren Person Bescheid weiß oder keine braucht.
    haupt.refresh_from_db()
    antwort = c.post(
        f"/anliegen/{haupt.nummer}/abschliessen/",
        {"version": haupt.version, "grund": "erledigt", "gebuendelte": "on"},
    )
    assert antwort.status_code == 302
    for b, status in (
        (mail, "abgeschlossen"),
        (egal, "abgeschlossen"),
        (brief, "antwort_liegt_vor"),
    ):
        b.refresh_from_db()
        assert b.status == status, b
    # Die Briefperson: Brief festhalten, dann lässt sie sich schließen.
    workflow.rueckmelden(brief, text="Abholung am Freitag.", kanal="brief", durch=lotse.stadt.qm)
    workflow.abschliessen(brief, grund="erledigt", durch=lotse.stadt.qm)


def test_rueckmeldung_mit_namen_der_hauptperson_geht_nicht_an_alle(lotse, buendel):
    haupt, mail, *_ = buendel
    _antwort(lotse, haupt)
    Message.objects.all().delete()
    with pytest.raises(ValidationError, match="nennt die meldende Person"):
        workflow.rueckmelden(
            haupt,
            text=f"Guten Tag {Lotse.NAME}, es wird abgeholt.",
            kanal="email",
            durch=lotse.stadt.qm,
            an_gebuendelte=True,
        )
    assert Message.objects.count() == 0
    assert not Rueckmeldung.objects.exists()


def test_ohne_an_alle_nur_die_hauptperson(lotse, buendel):
    haupt, mail, *_ = buendel
    _antwort(lotse, haupt)
    Message.objects.all().delete()
    workflow.rueckmelden(haupt, text="Wird abgeholt.", kanal="email", durch=lotse.stadt.qm)
    assert [a for m in Message.objects.all() for a in m.to_addresses] == [Lotse.EMAIL]
    assert workflow.wartet_auf_rueckmeldung(Anliegen.objects.get(pk=mail.pk))


def test_buendeln_nach_der_antwort_wartet_sofort(lotse, paar):
    haupt, neben = paar
    _antwort(lotse, haupt)
    workflow.buendeln(neben, unter=haupt, durch=lotse.stadt.qm)
    neben.refresh_from_db()
    assert neben.status == Status.ANTWORT_LIEGT_VOR
    assert workflow.wartet_auf_rueckmeldung(neben)


def test_verlauf_zeigt_die_buendelung(lotse, paar):
    haupt, neben = paar
    workflow.buendeln(neben, unter=haupt, durch=lotse.stadt.qm)
    texte = [e.text() for e in Ereignis.objects.filter(anliegen=neben)]
    assert f"Gebündelt unter Anliegen {haupt.nummer}." in texte


@pytest.mark.parametrize("persona", ["qm", "planung"])
def test_gebuendeltes_zeigt_die_antworten_des_hauptanliegens(lotse, buendel, client_fuer, persona):
    haupt, mail, _brief, _egal = buendel
    _antwort(lotse, haupt, text="Der Stadtbetrieb holt den Sperrmüll am Freitag ab.")
    inhalt = client_fuer(persona).get(f"/anliegen/{mail.nummer}/").content.decode()
    antworten = inhalt.split('data-testid="antworten-hauptanliegen"')[1].split("</section>")[0]
    assert "Der Stadtbetrieb holt den Sperrmüll am Freitag ab." in antworten
    assert "Stadtbetrieb" in antworten
    assert "umgesetzt" in antworten
    assert timezone.localdate().strftime("%d.%m.%Y") in antworten
    assert haupt.nummer in antworten


def test_gebuendeltes_ohne_antwort_sagt_es(lotse, buendel, client_fuer):
    _haupt, mail, _brief, _egal = buendel
    inhalt = client_fuer("qm").get(f"/anliegen/{mail.nummer}/").content.decode()
    assert "Das Hauptanliegen hat noch keine Antwort." in inhalt
