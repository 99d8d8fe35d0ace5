"""Rückmeldebrief: Rechte je Persona, nur wenn es etwas mitzuteilen gibt, ohne Anschrift kein
Brief, Inhalt der Druckansicht (Absender, Anschrift, Aktenzeichen, Datum, Text) und das
Festhalten als Rückmeldung „Brief“ – genau einmal, auch bei doppeltem Absenden."""

import datetime
import html

import pytest
from django.test import Client
from django.utils import timezone

from anliegen import workflow
from anliegen.models import Ereignis, Rueckmeldung, Textbaustein, Zweck

from .conftest import Lotse

TEXT = "Der Sperrmüll wird am Freitag abgeholt."


def _beantwortet(lotse: Lotse, **erfassen):
    anliegen = lotse.erfassen(**erfassen)
    workflow.weiterleiten(
        anliegen, an=[lotse.stadtbetrieb], nachricht="Bitte prüfen.", durch=lotse.stadt.qm
    )
    w = anliegen.weiterleitungen.get()
    workflow.annehmen(w, durch=lotse.stadt.fb)
    w.refresh_from_db()
    workflow.beantworten(
        w,
        entscheidung="wird_umgesetzt",
        antwort="Wir holen ihn Freitag ab.",
        erwartet_am=datetime.date(2099, 12, 31),
        durch=lotse.stadt.fb,
    )
    anliegen.refresh_from_db()
    return anliegen


def _url(anliegen, teil: str = "") -> str:
    return f"/anliegen/{anliegen.nummer}/brief/{teil}"


def _vorschau(client, anliegen, text=TEXT):
    return client.post(
        _url(anliegen), {"version": anliegen.version, "anrede": "Guten Tag,", "text": text}
    )


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 200), ("qm2", 403), ("fb", 403), ("planung", 403), ("admin", 403)],
)
def test_rechte(client_fuer, lotse, persona, erwartet):
    anliegen = _beantwortet(lotse)
    client = client_fuer(persona)
    assert client.get(_url(anliegen)).status_code == erwartet
    assert _vorschau(client, anliegen).status_code == erwartet
    festhalten = client.post(
        _url(anliegen, "festhalten/"),
        {"version": anliegen.version, "anrede": "Guten Tag,", "text": TEXT},
    )
    assert festhalten.status_code == (302 if persona == "qm" else erwartet)


def test_fremder_fachbereich_bekommt_404(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    client = Client()
    client.force_login(lotse.fb2)
    assert client.get(_url(anliegen)).status_code == 404
    assert client.post(_url(anliegen, "festhalten/"), {}).status_code == 404


def test_anonym_zur_anmeldung(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    antwort = client_fuer(None).get(_url(anliegen))
    assert antwort.status_code == 302
    assert "/anmelden/" in antwort["Location"]
    antwort = client_fuer(None).post(_url(anliegen, "festhalten/"), {})
    assert antwort.status_code == 302
    assert "/anmelden/" in antwort["Location"]


def test_festhalten_nur_per_post(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    assert client_fuer("qm").get(_url(anliegen, "festhalten/")).status_code == 405


def test_ohne_antwort_kein_brief(client_fuer, lotse):
    anliegen = lotse.erfassen()
    antwort = client_fuer("qm").get(_url(anliegen), follow=True)
    assert antwort.redirect_chain[-1][0] == f"/anliegen/{anliegen.nummer}/"
    assert "Noch gibt es nichts mitzuteilen" in antwort.content.decode()


def test_ohne_anschrift_klare_meldung(client_fuer, lotse):
    anliegen = _beantwortet(
        lotse, meldende={"name": "Ohne Adresse", "telefon": "0241 1", "einwilligung": True}
    )
    antwort = client_fuer("qm").get(_url(anliegen))
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Kein Brief möglich: Es ist keine Anschrift bekannt" in inhalt
    assert "<textarea" not in inhalt
    festhalten = client_fuer("qm").post(
        _url(anliegen, "festhalten/"),
        {"version": anliegen.version, "anrede": "Guten Tag,", "text": TEXT},
    )
    assert festhalten.status_code == 200
    assert not Rueckmeldung.objects.exists()


def test_formular_mit_vorschlag_und_anrede(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    inhalt = html.unescape(client_fuer("qm").get(_url(anliegen)).content.decode())
    assert f'value="Guten Tag {Lotse.NAME},"' in inhalt
    assert "Wir holen ihn Freitag ab." in inhalt


def test_druckansicht_enthaelt_den_brief(client_fuer, lotse, settings):
    settings.QL_ABSENDER = {
        "stadt": "Stadt Beispielstadt",
        "dienststelle": "Fachbereich Soziales",
        "abteilung": "Quartiersmanagement",
        "strasse": "Rathausplatz 1",
        "plz_ort": "12345 Beispielstadt",
        "telefon": "0123 456",
        "email": "qm@example.invalid",
        "internet": "www.example.invalid",
    }
    anliegen = _beantwortet(lotse)
    antwort = _vorschau(client_fuer("qm"), anliegen, text="Erster Absatz.\n\nZweiter Absatz.")
    assert antwort.status_code == 200
    inhalt = html.unescape(antwort.content.decode())
    assert "css/brief.css" in inhalt
    assert "Stadt Beispielstadt · Fachbereich Soziales · Rathausplatz 1 · 12345 Beispielstadt" in (
        inhalt
    )
    assert f"{Lotse.NAME}<br>{Lotse.ANSCHRIFT}" in inhalt
    assert f'data-testid="brief-aktenzeichen">{anliegen.nummer}<' in inhalt
    assert f">{timezone.localdate():%d.%m.%Y}<" in inhalt
    assert f"Ihr Anliegen {anliegen.nummer}: Sperrmüll an der Ecke" in inhalt
    assert "<p>Erster Absatz.</p>\n\n<p>Zweiter Absatz.</p>" in inhalt
    assert "Büro Nord" in inhalt  # Kontakt: Stadtteilbüro des Quartiers
    assert "Als gedruckt festhalten" in inhalt
    assert "kann nicht erkennen, ob wirklich gedruckt wurde" in inhalt
    # Vorschau hält nichts fest.
    assert not Rueckmeldung.objects.exists()


def test_anschrift_mit_komma_wird_zeilen(client_fuer, lotse):
    anliegen = _beantwortet(
        lotse,
        meldende={"name": "Frau A", "anschrift": "Weg 1, 52062 Aachen", "einwilligung": True},
    )
    inhalt = _vorschau(client_fuer("qm"), anliegen).content.decode()
    assert "Frau A<br>Weg 1<br>52062 Aachen" in inhalt


def test_vorschau_ohne_text_meldet_deutsch(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    antwort = _vorschau(client_fuer("qm"), anliegen, text="")
    assert "Bitte den Text des Briefs schreiben." in antwort.content.decode()


def test_baustein_einfuegen_im_brief(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    b = Textbaustein.objects.create(
        titel="Weitergeben", zweck=Zweck.RUECKMELDUNG, text="Antwort zu {nummer}: {antwort}"
    )
    Textbaustein.objects.create(titel="Nur Antwort", zweck=Zweck.ANTWORT, text="FB")
    client = client_fuer("qm")
    inhalt = client.get(_url(anliegen)).content.decode()
    assert ">Weitergeben</option>" in inhalt
    assert ">Nur Antwort</option>" not in inhalt
    antwort = client.post(
        _url(anliegen),
        {
            "version": anliegen.version,
            "anrede": "Liebe Frau Kanarie,",
            "text": "",
            "textbaustein": b.pk,
            "einfuegen": "1",
        },
    )
    inhalt = html.unescape(antwort.content.decode())
    assert f"Antwort zu {anliegen.nummer}: Wir holen ihn Freitag ab.</textarea>" in inhalt
    assert 'value="Liebe Frau Kanarie,"' in inhalt


def test_festhalten_legt_genau_eine_rueckmeldung_an_und_erlaubt_abschluss(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    client = client_fuer("qm")
    daten = {"version": anliegen.version, "anrede": "Guten Tag,", "text": TEXT}
    with pytest.raises(Exception, match="Rückmeldung"):
        workflow.abschliessen(anliegen, grund="erledigt", durch=lotse.stadt.qm)
    erste = client.post(_url(anliegen, "festhalten/"), daten)
    assert erste.status_code == 302
    assert erste["Location"] == f"/anliegen/{anliegen.nummer}/"
    zweite = client.post(_url(anliegen, "festhalten/"), daten, follow=True)
    assert "bereits als Rückmeldung festgehalten" in zweite.content.decode()
    rueckmeldung = Rueckmeldung.objects.get()
    assert (rueckmeldung.kanal, rueckmeldung.text, rueckmeldung.erreicht) == ("brief", TEXT, True)
    assert Ereignis.objects.filter(anliegen=anliegen, art="rueckmeldung").count() == 1
    anliegen.refresh_from_db()
    workflow.abschliessen(anliegen, grund="erledigt", durch=lotse.stadt.qm)
    anliegen.refresh_from_db()
    assert anliegen.status == "abgeschlossen"


def test_festhalten_bei_fremder_aenderung_zeigt_konflikt(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    alte_version = anliegen.version
    workflow.notiz(anliegen, text="Zwischendurch", durch=lotse.stadt.qm)
    workflow.weiterleiten(
        anliegen, an=[lotse.gruen], nachricht="Auch ansehen.", durch=lotse.stadt.qm
    )
    antwort = client_fuer("qm").post(
        _url(anliegen, "festhalten/"),
        {"version": alte_version, "anrede": "Guten Tag,", "text": TEXT},
    )
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert 'data-testid="konflikt"' in inhalt
    assert not Rueckmeldung.objects.exists()
    anliegen.refresh_from_db()
    assert f'name="version" value="{anliegen.version}"' in inhalt


def test_detailseite_bietet_brief_nur_dem_eigenen_qm(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    assert (
        'data-testid="aktion-brief"'
        in client_fuer("qm").get(f"/anliegen/{anliegen.nummer}/").content.decode()
    )
    for persona in ("qm2", "planung", "fb"):
        inhalt = client_fuer(persona).get(f"/anliegen/{anliegen.nummer}/").content.decode()
        assert 'data-testid="aktion-brief"' not in inhalt
    neu = lotse.erfassen(titel="Noch nichts passiert")
    inhalt = client_fuer("qm").get(f"/anliegen/{neu.nummer}/").content.decode()
    assert 'data-testid="aktion-brief"' not in inhalt


def test_nach_abschluss_kein_brief(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    workflow.rueckmelden(anliegen, text="Telefonisch", kanal="telefon", durch=lotse.stadt.qm)
    anliegen.refresh_from_db()
    workflow.abschliessen(anliegen, grund="erledigt", durch=lotse.stadt.qm)
    antwort = client_fuer("qm").get(_url(anliegen))
    assert antwort.status_code == 302


def test_fachbereichsseiten_zeigen_keine_personendaten(client_fuer, lotse):
    """Auch mit Bausteinen, die {anrede} nutzen: Posteingang, Weiterleitung und Antwortformular
    des Fachbereichs enthalten keine Kanarienwerte."""
    Textbaustein.objects.create(titel="Mit Anrede", zweck=Zweck.ANTWORT, text="{anrede} {titel}")
    anliegen = lotse.erfassen()
    workflow.weiterleiten(
        anliegen, an=[lotse.stadtbetrieb], nachricht="Bitte prüfen.", durch=lotse.stadt.qm
    )
    w = anliegen.weiterleitungen.get()
    workflow.annehmen(w, durch=lotse.stadt.fb)
    client = client_fuer("fb")
    for url in ("/eingang/", f"/eingang/{w.pk}/", f"/eingang/{w.pk}/beantworten/"):
        inhalt = client.get(url).content.decode()
        for kanarie in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
            assert kanarie not in inhalt, (url, kanarie)


def test_abfragen_wachsen_nicht(client_fuer, lotse, django_assert_max_num_queries):
    """Briefseite und Druckansicht: feste Zahl von Abfragen, gleich wie viele Bausteine,
    Notizen und Weiterleitungen es gibt."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anliegen = _beantwortet(lotse)
    client = client_fuer("qm")
    client.get(_url(anliegen))  # Sitzung aufwärmen
    with CaptureQueriesContext(connection) as seite:
        client.get(_url(anliegen))
    # Sofort zählen: jede neue Anfrage leert das Abfrageprotokoll der Verbindung.
    anzahl_seite = len(seite)
    with CaptureQueriesContext(connection) as druck:
        _vorschau(client, anliegen)
    anzahl_druck = len(druck)
    for i in range(5):
        Textbaustein.objects.create(titel=f"Baustein {i}", zweck=Zweck.RUECKMELDUNG, text="x")
        workflow.notiz(anliegen, text=f"Notiz {i}", durch=lotse.stadt.qm)
    workflow.weiterleiten(anliegen, an=[lotse.gruen], nachricht="Auch ihr.", durch=lotse.stadt.qm)
    anliegen.refresh_from_db()
    with django_assert_max_num_queries(anzahl_seite):
        client.get(_url(anliegen))
    with django_assert_max_num_queries(anzahl_druck):
        _vorschau(client, anliegen)
