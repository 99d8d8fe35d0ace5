"""Textbausteine: Platzhalter (sicher, ohne Template-Sprache), Pflege im Admin, Auswahl in den
Formularen (nur aktive und passende) und Einfügen ohne JavaScript, das nichts Getipptes
verliert. Keine Daten der meldenden Person in Bausteinen für Fachbereiche."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from anliegen import workflow
from anliegen.models import Textbaustein, Zweck
from anliegen.textbausteine import PLATZHALTER, ausfuellen, unbekannte, werte

from .conftest import Lotse


def _beantwortet(lotse: Lotse, anliegen=None, *, antwort="Wir holen ihn Freitag ab."):
    anliegen = anliegen or lotse.erfassen()
    workflow.weiterleiten(
        anliegen, an=[lotse.stadtbetrieb], nachricht="Bitte prüfen.", durch=lotse.stadt.qm
    )
    w = anliegen.weiterleitungen.get()
    workflow.annehmen(w, durch=lotse.stadt.fb)
    w.refresh_from_db()
    workflow.beantworten(
        w,
        entscheidung="wird_umgesetzt",
        antwort=antwort,
        erwartet_am=datetime.date(2099, 12, 31),
        durch=lotse.stadt.fb,
    )
    anliegen.refresh_from_db()
    return anliegen


def _baustein(titel, text, zweck=Zweck.RUECKMELDUNG, **kw) -> Textbaustein:
    return Textbaustein.objects.create(titel=titel, zweck=zweck, text=text, **kw)


# --- Platzhalter -----------------------------------------------------------------------------


def test_jeder_platzhalter_wird_ersetzt(lotse):
    anliegen = _beantwortet(lotse)
    w = werte(anliegen, fuer_person=True)
    text = " | ".join(f"{{{name}}}" for name in PLATZHALTER)
    ergebnis = ausfuellen(text, w)
    heute = timezone.localdate().strftime("%d.%m.%Y")
    frist = anliegen.weiterleitungen.get().frist.strftime("%d.%m.%Y")
    assert ergebnis.split(" | ") == [
        anliegen.nummer,
        "Sperrmüll an der Ecke",
        "Ecke Nordstraße",
        "Quartier Nord",
        "Wilder Müll",
        "Stadtbetrieb",
        "wird umgesetzt",
        "Wir holen ihn Freitag ab.",
        heute,
        frist,
        "31.12.2099",
        lotse.stadt.qm.get_full_name() or "qm",
        f"Guten Tag {Lotse.NAME},",
    ]


def test_unbekannter_platzhalter_bleibt_sichtbar(lotse):
    anliegen = lotse.erfassen()
    text = "Zu {nummer}: {unbekannt} und {Nummer}"
    erwartet = f"Zu {anliegen.nummer}: {{unbekannt}} und {{Nummer}}"
    assert ausfuellen(text, werte(anliegen, fuer_person=True)) == erwartet
    assert unbekannte("{nummer} {unbekannt} {Nummer} {unbekannt} {siehe unten}") == [
        "unbekannt",
        "Nummer",
    ]


def test_platzhalter_ohne_wert_bleibt_stehen(lotse):
    """Noch keine Antwort: {antwort} und {erwartet_am} bleiben sichtbar zum Ausfüllen."""
    anliegen = lotse.erfassen()
    assert ausfuellen("{antwort} bis {erwartet_am}", werte(anliegen, fuer_person=True)) == (
        "{antwort} bis {erwartet_am}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{ settings.SECRET_KEY }}",
        "{% debug %}",
        "{{ nummer }}",
        "{%load static%}{{ request.user.password }}",
    ],
)
def test_keine_template_injection(lotse, text):
    anliegen = lotse.erfassen()
    assert ausfuellen(text, werte(anliegen, fuer_person=True)) == text


def test_fuer_fachbereiche_keine_personendaten(lotse):
    anliegen = _beantwortet(lotse)
    w = werte(anliegen, weiterleitung=anliegen.weiterleitungen.get(), fuer_person=False)
    alles = " ".join(w.values())
    for kanarie in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert kanarie not in alles
    assert w["anrede"] == "Guten Tag,"
    assert "antwort" not in w


# --- Admin -----------------------------------------------------------------------------------


def _admin_daten(**kw) -> dict:
    daten = {
        "titel": "Neu",
        "zweck": "rueckmeldung",
        "thema": "",
        "entscheidung": "",
        "text": "Ihr Anliegen {nummer}.",
        "aktiv": "on",
        "reihenfolge": "0",
    }
    daten.update(kw)
    return daten


def test_admin_legt_baustein_an(client_fuer, lotse):
    antwort = client_fuer("admin").post("/verwaltung/anliegen/textbaustein/add/", _admin_daten())
    assert antwort.status_code == 302
    assert Textbaustein.objects.get(titel="Neu").text == "Ihr Anliegen {nummer}."


def test_admin_meldet_unbekannte_platzhalter_deutsch(client_fuer, lotse):
    antwort = client_fuer("admin").post(
        "/verwaltung/anliegen/textbaustein/add/",
        _admin_daten(text="Zu {nummer} am {Datum} in {strasse}"),
    )
    assert antwort.status_code == 200
    inhalt = html.unescape(antwort.content.decode())
    assert "Unbekannte Platzhalter: {Datum}, {strasse}" in inhalt
    assert not Textbaustein.objects.exists()


def test_admin_liste_mit_filtern_und_suche(client_fuer, lotse):
    _baustein("Dank", "Danke!")
    client = client_fuer("admin")
    antwort = client.get("/verwaltung/anliegen/textbaustein/?zweck__exact=rueckmeldung&q=Dank")
    assert antwort.status_code == 200
    assert "Dank" in antwort.content.decode()


def test_nur_administration_pflegt_bausteine(client_fuer, lotse):
    antwort = client_fuer("qm").get("/verwaltung/anliegen/textbaustein/")
    assert antwort.status_code in (302, 403)


def test_datenbank_prueft_zweck_und_entscheidung(lotse):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _baustein("x", "x", zweck="unsinn")
    with pytest.raises(IntegrityError), transaction.atomic():
        _baustein("y", "y", entscheidung="vielleicht")


# --- Auswahl in den Formularen ---------------------------------------------------------------


def test_rueckmeldung_listet_nur_aktive_und_passende(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    _baustein("Allgemein", "Zu {nummer}: {antwort}")
    _baustein("Zum Müll", "Müll {ort}", thema=lotse.muell)
    _baustein("Zur Beratung", "Beratung", thema=lotse.beratung)
    _baustein("Abgeschaltet", "alt", aktiv=False)
    _baustein("Für Fachbereiche", "FB", zweck=Zweck.ANTWORT)
    _baustein("Anrufen", "Anruf am {datum}", zweck=Zweck.TELEFONNOTIZ)
    inhalt = client_fuer("qm").get(f"/anliegen/{anliegen.nummer}/rueckmelden/").content.decode()
    assert "Textbaustein einfügen" in inhalt
    for titel in ("Allgemein", "Zum Müll", "Anrufen"):
        assert f">{titel}</option>" in inhalt
    for titel in ("Zur Beratung", "Abgeschaltet", "Für Fachbereiche"):
        assert f">{titel}</option>" not in inhalt
    # Der ausgefüllte Text steckt für JavaScript in der Option.
    assert f'data-ql-text="Zu {anliegen.nummer}: Wir holen ihn Freitag ab."' in inhalt


def test_ohne_passende_bausteine_keine_auswahl(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    inhalt = client_fuer("qm").get(f"/anliegen/{anliegen.nummer}/rueckmelden/").content.decode()
    assert "Textbaustein einfügen" not in inhalt


def test_einfuegen_ohne_js_behaelt_eingaben(client_fuer, lotse):
    """Eigener Text bleibt, der Baustein kommt darunter; Weg und Haken bleiben; nichts
    wird festgehalten."""
    anliegen = _beantwortet(lotse)
    b = _baustein("Allgemein", "Zu {nummer}.")
    antwort = client_fuer("qm").post(
        f"/anliegen/{anliegen.nummer}/rueckmelden/",
        {
            "version": anliegen.version,
            "text": "Mein eigener Satz.",
            "kanal": "telefon",
            "textbaustein": b.pk,
            "einfuegen": "1",
        },
    )
    assert antwort.status_code == 200
    inhalt = html.unescape(antwort.content.decode())
    assert f"Mein eigener Satz.\n\nZu {anliegen.nummer}.</textarea>" in inhalt
    assert 'value="telefon" class="kern-form-check__radio" id="id_kanal_1" checked' in inhalt
    # „erreicht“ war nicht angehakt und bleibt es.
    assert 'name="erreicht" class="kern-form-check__checkbox" id="id_erreicht" checked' not in (
        inhalt
    )
    assert "Bitte prüfen Sie Ihre Eingaben" not in inhalt
    assert not anliegen.rueckmeldungen.exists()


def test_einfuegen_ersetzt_unveraenderten_vorschlag(client_fuer, lotse):
    from anliegen.forms.anliegen import RueckmeldenForm

    anliegen = _beantwortet(lotse)
    vorschlag = RueckmeldenForm(anliegen=anliegen).vorschlag()
    b = _baustein("Allgemein", "Zu {nummer}.")
    antwort = client_fuer("qm").post(
        f"/anliegen/{anliegen.nummer}/rueckmelden/",
        {
            "version": anliegen.version,
            "text": vorschlag,
            "kanal": "email",
            "textbaustein": b.pk,
            "einfuegen": "1",
        },
    )
    inhalt = html.unescape(antwort.content.decode())
    assert f">\nZu {anliegen.nummer}.</textarea>" in inhalt


def test_einfuegen_ohne_auswahl_meldet_sich(client_fuer, lotse):
    anliegen = _beantwortet(lotse)
    _baustein("Allgemein", "Zu {nummer}.")
    antwort = client_fuer("qm").post(
        f"/anliegen/{anliegen.nummer}/rueckmelden/",
        {"version": anliegen.version, "text": "Bleibt.", "einfuegen": "1", "textbaustein": ""},
    )
    inhalt = antwort.content.decode()
    assert "Bitte zuerst einen Textbaustein wählen." in inhalt
    assert "Bleibt.</textarea>" in inhalt


def _in_bearbeitung(lotse):
    anliegen = lotse.erfassen()
    workflow.weiterleiten(
        anliegen, an=[lotse.stadtbetrieb], nachricht="Bitte prüfen.", durch=lotse.stadt.qm
    )
    w = anliegen.weiterleitungen.get()
    workflow.annehmen(w, durch=lotse.stadt.fb)
    w.refresh_from_db()
    return w


def test_antwortformular_listet_bausteine_zum_thema(client_fuer, lotse):
    w = _in_bearbeitung(lotse)
    _baustein("Erledigt", "Erledigt: {nummer} {anrede}", zweck=Zweck.ANTWORT)
    _baustein("Abholung", "Abholung bis {erwartet_am}", zweck=Zweck.ANTWORT, thema=lotse.muell)
    _baustein("Nein", "Geht nicht", zweck=Zweck.ANTWORT, entscheidung="nicht_moeglich")
    _baustein("Beratung", "x", zweck=Zweck.ANTWORT, thema=lotse.beratung)
    _baustein("An Bürger", "{antwort}", zweck=Zweck.RUECKMELDUNG)
    inhalt = client_fuer("fb").get(f"/eingang/{w.pk}/beantworten/").content.decode()
    assert ">Erledigt</option>" in inhalt
    assert ">Abholung</option>" in inhalt
    assert ">Nein (nicht möglich)</option>" in inhalt
    assert 'data-ql-entscheidung="nicht_moeglich"' in inhalt
    assert ">Beratung</option>" not in inhalt
    assert ">An Bürger</option>" not in inhalt
    # Keine Personendaten, auch nicht über {anrede}; fehlendes Datum bleibt sichtbar.
    for kanarie in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert kanarie not in inhalt
    assert "Guten Tag," in inhalt
    assert "Abholung bis {erwartet_am}" in inhalt


def test_antwort_einfuegen_ohne_js_filtert_nach_entscheidung(client_fuer, lotse):
    w = _in_bearbeitung(lotse)
    ja = _baustein("Erledigt", "Ist erledigt.", zweck=Zweck.ANTWORT, entscheidung="umgesetzt")
    _baustein("Nein", "Geht nicht", zweck=Zweck.ANTWORT, entscheidung="nicht_moeglich")
    antwort = client_fuer("fb").post(
        f"/eingang/{w.pk}/beantworten/",
        {
            "version": w.version,
            "entscheidung": "umgesetzt",
            "antwort": "",
            "textbaustein": ja.pk,
            "einfuegen": "1",
        },
    )
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Ist erledigt.</textarea>" in inhalt
    assert ">Nein (nicht möglich)</option>" not in inhalt
    assert re.search(r'<input[^>]*value="umgesetzt"[^>]*checked', inhalt)
    w.refresh_from_db()
    assert w.status == "in_bearbeitung"
