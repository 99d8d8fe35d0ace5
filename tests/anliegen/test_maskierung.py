"""Maskieren: wer die Daten der meldenden Person nicht sehen darf, sieht ihre bekannten Werte in
keinem Freitext (Titel, Beschreibung, Ort, Weiterleitung, Antworten, Verlauf, Listen,
Posteingang, Antwortlink, Suche). Die Muster sind die des Anonymisierens (datenschutz.py)."""

import datetime

import pytest
from django.utils import timezone

from anliegen import workflow
from anliegen.datenschutz import Maske, maskieren
from anliegen.models import Meldende

from .conftest import Lotse


def _person(**werte) -> Meldende:
    return Meldende(**{"name": "", "email": "", "telefon": "", "anschrift": "", **werte})


ERIKA = _person(
    name="Erika Zwackelmann",
    email="erika.z@example.invalid",
    telefon="0241 12 34 56",
    anschrift="Kanarienstraße 7, 52062 Aachen",
)


@pytest.mark.parametrize(
    ("text", "erwartet"),
    [
        ("Frau Zwackelmann kam in die Sprechstunde.", "Frau [Name] kam in die Sprechstunde."),
        ("Erika Zwackelmann meldet …", "[Name] meldet …"),
        ("zwackelmann (klein)", "[Name] (klein)"),
        ("Mail: ERIKA.Z@example.invalid", "Mail: [E-Mail]"),
        ("Tel. 0241 123456", "Tel. [Telefon]"),
        ("Tel. 0241/12-34-56", "Tel. [Telefon]"),
        ("Tel. +49 241 123456", "Tel. [Telefon]"),
        ("Tel. +49 (0)241 12 34 56", "Tel. [Telefon]"),
        ("Tel. 0049-241-123456", "Tel. [Telefon]"),
        ("wohnt Kanarienstraße 7, hinten", "wohnt [Adresse], hinten"),
        ("wohnt Kanarienstr. 7", "wohnt [Adresse]"),
        ("Kanarienstraße 7, 52062 Aachen", "[Adresse]"),
        # Die Straße allein bleibt (oft der Ort des Anliegens), andere Hausnummern auch.
        ("Ecke Kanarienstraße", "Ecke Kanarienstraße"),
        ("Kanarienstraße 71", "Kanarienstraße 71"),
        # Ziffern mitten in längeren Zahlen und Anreden allein bleiben.
        ("Anliegen 90241123456789", "Anliegen 90241123456789"),
        ("Frau Müller", "Frau Müller"),
    ],
)
def test_maskieren_je_art(text, erwartet):
    assert maskieren(text, ERIKA) == erwartet


def test_ohne_person_oder_werte_bleibt_der_text():
    assert maskieren("Frau Zwackelmann", None) == "Frau Zwackelmann"
    leer = Maske([_person()])
    assert not leer
    assert leer("Frau Zwackelmann") == "Frau Zwackelmann"


def test_doppelname_und_mehrere_personen():
    haupt = _person(name="Anna Meier-Lüdenscheidt")
    maske = Maske([ERIKA, haupt, None])
    assert maske("Meier und Lüdenscheidt und Zwackelmann") == "[Name] und [Name] und [Name]"
    assert maske.trifft("Frau Meier")
    assert not maske.trifft("Frau Schmitz")


# --- Seiten ------------------------------------------------------------------------------

NACHNAME = "Bürgerin"  # aus Lotse.NAME „Kanarie Bürgerin“
OHNE_RECHT = ("qm2", "fb", "planung", "admin")


def _genannt(lotse, **daten):
    """Ein Anliegen, dessen Texte die Person nennen, weitergeleitet und beantwortet."""
    a = lotse.erfassen(
        titel=f"Sperrmüll bei Frau {NACHNAME}",
        beschreibung=(
            f"Frau {NACHNAME} kam in die Sprechstunde, Rückruf unter 0241/7f3a-000, "
            f"Mail {Lotse.EMAIL}, wohnt {Lotse.ANSCHRIFT}."
        ),
        ort=f"vor {Lotse.ANSCHRIFT}",
        **daten,
    )
    (w,) = workflow.weiterleiten(
        a,
        an=[lotse.stadtbetrieb],
        nachricht=f"Bitte mit Frau {NACHNAME} abstimmen.",
        durch=lotse.stadt.qm,
    )
    workflow.annehmen(w, durch=lotse.stadt.fb)
    w.refresh_from_db()
    workflow.beantworten(
        w,
        entscheidung="wird_umgesetzt",
        antwort=f"Wir holen bei Frau {NACHNAME} am Freitag ab.",
        erwartet_am=timezone.localdate() + datetime.timedelta(days=3),
        durch=lotse.stadt.fb,
    )
    workflow.notiz(a, text=f"Frau {NACHNAME} ruft zurück.", durch=lotse.stadt.qm, intern=False)
    a.refresh_from_db()
    w.refresh_from_db()
    return a, w


def _lecks(inhalt: str) -> list[str]:
    return [
        wert
        for wert in (NACHNAME, Lotse.EMAIL, Lotse.ANSCHRIFT, "7f3a-000", "7f3a")
        if wert in inhalt
    ]


@pytest.mark.parametrize("persona", OHNE_RECHT)
def test_detailseite_maskiert_alle_freitexte(lotse, client_fuer, persona):
    a, _w = _genannt(lotse)
    inhalt = client_fuer(persona).get(f"/anliegen/{a.nummer}/").content.decode()
    assert _lecks(inhalt) == []
    assert "Sperrmüll bei Frau [Name]" in inhalt
    assert "Frau [Name] kam in die Sprechstunde" in inhalt
    assert "Rückruf unter [Telefon]" in inhalt
    assert "Mail [E-Mail]" in inhalt
    assert "vor [Adresse]" in inhalt
    assert "Wir holen bei Frau [Name] am Freitag ab." in inhalt


def test_zustaendiges_qm_sieht_die_texte_unveraendert(lotse, client_fuer):
    a, _w = _genannt(lotse)
    inhalt = client_fuer("qm").get(f"/anliegen/{a.nummer}/").content.decode()
    assert f"Frau {NACHNAME} kam in die Sprechstunde" in inhalt
    assert "[Name]" not in inhalt


def test_fachbereich_mit_geteiltem_kontakt_sieht_die_texte(lotse, client_fuer):
    a = lotse.erfassen(beschreibung=f"Frau {NACHNAME} kam.")
    workflow.weiterleiten(
        a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm, kontakt_teilen=True
    )
    inhalt = client_fuer("fb").get(f"/anliegen/{a.nummer}/").content.decode()
    assert f"Frau {NACHNAME} kam." in inhalt


def test_gebuendeltes_maskiert_auch_die_person_des_hauptanliegens(lotse, client_fuer):
    haupt, _w = _genannt(lotse)
    neben = lotse.erfassen(meldende={"name": "Nora Nebenan", "einwilligung": True})
    workflow.buendeln(neben, unter=haupt, durch=lotse.stadt.qm)
    inhalt = client_fuer("planung").get(f"/anliegen/{neben.nummer}/").content.decode()
    assert "Wir holen bei Frau [Name] am Freitag ab." in inhalt
    assert NACHNAME not in inhalt.split('data-testid="antworten-hauptanliegen"')[1]


@pytest.mark.parametrize("persona", ["fb", "planung", "admin"])
def test_posteingang_seite_maskiert(lotse, client_fuer, persona):
    _a, w = _genannt(lotse)
    workflow.notiz(w.anliegen, text=f"Frau {NACHNAME} erreicht.", durch=lotse.stadt.fb)
    inhalt = client_fuer(persona).get(f"/eingang/{w.pk}/").content.decode()
    assert _lecks(inhalt) == []
    assert "Bitte mit Frau [Name] abstimmen." in inhalt
    assert "Frau [Name] kam in die Sprechstunde" in inhalt


def test_posteingang_schritt_maskiert_den_titel(lotse, client_fuer):
    a = lotse.erfassen(titel=f"Sperrmüll bei Frau {NACHNAME}")
    (w,) = workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    inhalt = client_fuer("fb").get(f"/eingang/{w.pk}/annehmen/").content.decode()
    assert NACHNAME not in inhalt
    assert "Sperrmüll bei Frau [Name]" in inhalt


def test_antwortlink_seite_maskiert(lotse, client):
    from mailer.models import Message

    from .test_antwortlink import LINK_IN_MAIL

    _genannt(lotse)
    (schluessel,) = {
        s
        for m in Message.objects.all()
        if lotse.stadtbetrieb.email in m.to_addresses
        for s in LINK_IN_MAIL.findall(m.email.body)
    }
    inhalt = client.get(f"/antwort/{schluessel}/").content.decode()
    assert _lecks(inhalt) == []
    assert "Wir holen bei Frau [Name] am Freitag ab." in inhalt


# --- Listen und Suche ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["qm2", "planung", "fb"])
def test_liste_maskiert_titel(lotse, client_fuer, persona):
    a, _w = _genannt(lotse)
    inhalt = client_fuer(persona).get("/anliegen/", {"q": ""}).content.decode()
    assert a.nummer in inhalt
    assert "Sperrmüll bei Frau [Name]" in inhalt
    assert NACHNAME not in inhalt


def test_liste_zeigt_dem_zustaendigen_qm_den_titel(lotse, client_fuer):
    _genannt(lotse)
    inhalt = client_fuer("qm").get("/anliegen/", {"q": ""}).content.decode()
    assert f"Sperrmüll bei Frau {NACHNAME}" in inhalt


@pytest.mark.parametrize("persona", ["qm2", "planung", "fb"])
def test_suche_findet_ueber_maskierte_werte_nichts(lotse, client_fuer, persona):
    a, _w = _genannt(lotse)
    c = client_fuer(persona)
    for begriff in (NACHNAME, "bürger", Lotse.EMAIL, "7f3a-000", "+49 241/7f3a000"):
        assert a.nummer not in c.get("/anliegen/", {"q": begriff}).content.decode(), begriff
    # was sichtbar bleibt, findet die Suche weiter
    assert a.nummer in c.get("/anliegen/", {"q": "Sprechstunde"}).content.decode()


def test_suche_des_zustaendigen_qm_findet_den_namen(lotse, client_fuer):
    a, _w = _genannt(lotse)
    assert a.nummer in client_fuer("qm").get("/anliegen/", {"q": NACHNAME}).content.decode()


@pytest.mark.parametrize("persona", ["fb", "planung"])
def test_posteingang_liste_maskiert_und_sucht_nicht_ueber_namen(lotse, client_fuer, persona):
    a, _w = _genannt(lotse)
    c = client_fuer(persona)
    inhalt = c.get("/eingang/", {"status": ""}).content.decode()
    assert "Sperrmüll bei Frau [Name]" in inhalt
    assert NACHNAME not in inhalt
    assert a.nummer not in c.get("/eingang/", {"q": NACHNAME}).content.decode()
    assert a.nummer in c.get("/eingang/", {"q": "Sperrmüll"}).content.decode()


# --- Mails an den Fachbereich --------------------------------------------------------------


def _mails_an(adresse: str) -> list[str]:
    from mailer.models import Message

    return [
        m.email.subject + "\n" + m.email.body
        for m in Message.objects.order_by("pk")
        if adresse in m.to_addresses
    ]


def test_mails_an_den_fachbereich_maskieren_titel_und_nachricht(lotse):
    """Weiterleitung, neuer Antwortlink, Zurückziehen und Erinnerungen gehen an ein Postfach
    des Fachbereichs: ohne geteilten Kontakt nie die Werte der Person, auch nicht im Titel."""
    from tests.anliegen.test_erinnerungen import lauf, uhr

    a, w = _genannt(lotse)
    (w2,) = workflow.weiterleiten(
        a, an=[lotse.gruen], nachricht=f"Frau {NACHNAME} wartet.", durch=lotse.stadt.qm
    )
    workflow.antwortlink_erneuern(w2, durch=lotse.stadt.qm)
    from anliegen.fristen import arbeitstage_addieren

    tag = arbeitstage_addieren(w2.frist, 20)  # weit nach der Frist, an einem Arbeitstag
    with uhr(tag):
        lauf(tag)
    workflow.rueckmelden(a, text="Erledigt.", kanal="telefon", durch=lotse.stadt.qm)
    workflow.abschliessen(a, grund="duplikat", durch=lotse.stadt.qm)
    from mailer.models import Message

    an_fachbereiche = [
        m.email.subject + "\n" + m.email.body
        for m in Message.objects.order_by("pk")
        if lotse.stadt.qm.email not in m.to_addresses
    ]
    betreffe = " | ".join(m.split("\n")[0] for m in an_fachbereiche)
    for teil in ("Neues Anliegen", "Neuer Antwortlink", "Erinnerung", "zurückgezogen"):
        assert teil in betreffe, betreffe
    for mail in an_fachbereiche:
        assert not _lecks(mail), mail
    assert any("[Name]" in mail for mail in an_fachbereiche)


def test_mail_mit_geteiltem_kontakt_nennt_die_person(lotse):
    a = lotse.erfassen(titel=f"Sperrmüll bei Frau {NACHNAME}")
    workflow.weiterleiten(
        a, an=[lotse.stadtbetrieb], nachricht="x", kontakt_teilen=True, durch=lotse.stadt.qm
    )
    (mail,) = _mails_an(lotse.stadtbetrieb.email)
    assert f"Frau {NACHNAME}" in mail
