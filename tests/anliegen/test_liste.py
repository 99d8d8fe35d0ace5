"""Liste der Anliegen: Zugriff je Rolle, Vorgaben, Filter, Sortierung, Blättern, Abfragen und
dass sie nie Daten meldender Personen zeigt."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anliegen import workflow
from anliegen.models import Bedarf, Status, Thema, Weiterleitung
from tests.conftest import PERSONAS

from .conftest import Lotse

URL = "/anliegen/"


def _nummern(antwort) -> list[str]:
    return [zeile["anliegen"].nummer for zeile in antwort.context["zeilen"]]


def _weiterleiten(lotse, anliegen, *fachbereiche, durch=None):
    workflow.weiterleiten(
        anliegen,
        an=fachbereiche or [lotse.stadtbetrieb],
        nachricht="Bitte abholen.",
        durch=durch or lotse.stadt.qm,
    )
    anliegen.refresh_from_db()
    return anliegen


@pytest.fixture
def welt(lotse, stadt):
    """Nord: offen und weitergeleitet (Stadtbetrieb), offen, abgeschlossen; Süd: offen."""
    nord = _weiterleiten(lotse, lotse.erfassen(titel="Sperrmüll Nordstraße"))
    nord_neu = lotse.erfassen(titel="Bank kaputt", ort="Spielplatz Lindenweg", meldende=None)
    nord_zu = lotse.erfassen(titel="Alte Sache")
    workflow.abschliessen(nord_zu, grund="erledigt", durch=stadt.qm)
    sued = lotse.erfassen(
        titel="Laterne aus", quartier=stadt.sued, durch=stadt.qm2, thema=lotse.beratung
    )
    return {"nord": nord, "nord_neu": nord_neu, "nord_zu": nord_zu, "sued": sued}


def test_url_name():
    assert reverse("anliegen:liste") == URL


def test_anonym_wird_zur_anmeldung_geleitet(stadt, client):
    antwort = client.get(URL)
    assert antwort.status_code == 302
    assert reverse("login") in antwort["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_jede_rolle_sieht_die_liste(welt, client_fuer, persona):
    assert client_fuer(persona).get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["qm", "planung"])
def test_post_nicht_erlaubt(welt, client_fuer, persona):
    assert client_fuer(persona).post(URL).status_code == 405


def test_vorgabe_qm_nur_offene_in_eigenen_quartieren(welt, client_fuer):
    antwort = client_fuer("qm").get(URL)
    assert sorted(_nummern(antwort)) == sorted([welt["nord"].nummer, welt["nord_neu"].nummer])
    inhalt = antwort.content.decode()
    assert 'name="nur_meine"' in inhalt and "checked" in inhalt
    # Geblättert ist nicht abgeschickt: die Vorgaben gelten weiter.
    assert sorted(_nummern(client_fuer("qm").get(URL, {"page": 1}))) == sorted(_nummern(antwort))


def test_qm_kann_die_vorgaben_abwaehlen(welt, client_fuer):
    # So sendet das abgeschickte Formular: q leer, Haken nicht gesetzt, Status „alle“.
    antwort = client_fuer("qm").get(URL, {"q": "", "status": ""})
    assert len(_nummern(antwort)) == 4


def test_vorgabe_andere_rollen_alle_offenen_ohne_haken(welt, client_fuer):
    antwort = client_fuer("planung").get(URL)
    assert sorted(_nummern(antwort)) == sorted(
        [welt["nord"].nummer, welt["nord_neu"].nummer, welt["sued"].nummer]
    )
    assert 'name="nur_meine"' not in antwort.content.decode()
    assert len(_nummern(client_fuer("admin").get(URL))) == 3


def test_qm2_sieht_mit_vorgabe_sein_quartier_und_ohne_alle(welt, client_fuer):
    assert _nummern(client_fuer("qm2").get(URL)) == [welt["sued"].nummer]
    assert len(_nummern(client_fuer("qm2").get(URL, {"q": ""}))) == 4


def test_fachbereich_sieht_nur_an_ihn_weitergeleitete(welt, lotse, client_fuer):
    assert _nummern(client_fuer("fb").get(URL)) == [welt["nord"].nummer]
    assert _nummern(client_fuer("fb").get(URL, {"q": "", "status": ""})) == [welt["nord"].nummer]
    # Auch mit Filter auf einen anderen Fachbereich: nichts Fremdes.
    antwort = client_fuer("fb").get(URL, {"fachbereich": lotse.gruen.pk})
    assert _nummern(antwort) == []


def test_liste_zeigt_spalten_und_link(welt, lotse, client_fuer):
    inhalt = client_fuer("planung").get(URL).content.decode()
    nord = welt["nord"]
    assert f'href="/anliegen/{nord.nummer}/"' in inhalt
    assert "Sperrmüll Nordstraße" in inhalt
    assert "Quartier Nord" in inhalt and "Wilder Müll" in inhalt
    assert "weitergeleitet" in inhalt and "E 18" in inhalt
    assert (
        nord.erstellt_am.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y") in inhalt
    )


def test_htmx_liefert_nur_das_ergebnis(welt, client_fuer):
    antwort = client_fuer("planung").get(URL, {"q": "Laterne"}, HTTP_HX_REQUEST="true")
    inhalt = antwort.content.decode()
    assert inhalt.lstrip().startswith('<div id="ergebnis"')
    assert "Laterne aus" in inhalt and "<html" not in inhalt


# --- Filter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suche", "treffer"),
    [("Sperrmüll Nordstraße", "nord"), ("lindenweg", "nord_neu"), ("Laterne", "sued")],
)
def test_suche_in_titel_und_ort(welt, client_fuer, suche, treffer):
    antwort = client_fuer("planung").get(URL, {"q": suche, "status": ""})
    assert _nummern(antwort) == [welt[treffer].nummer]


def test_suche_nach_nummer_und_beschreibung(welt, client_fuer):
    antwort = client_fuer("planung").get(URL, {"q": welt["sued"].nummer})
    assert _nummern(antwort) == [welt["sued"].nummer]
    antwort = client_fuer("planung").get(URL, {"q": "seit tagen", "status": ""})
    assert len(_nummern(antwort)) == 4


def test_filter_status(welt, client_fuer):
    c = client_fuer("planung")
    assert _nummern(c.get(URL, {"status": "abgeschlossen"})) == [welt["nord_zu"].nummer]
    assert _nummern(c.get(URL, {"status": "weitergeleitet"})) == [welt["nord"].nummer]
    assert len(_nummern(c.get(URL, {"status": "offen"}))) == 3
    assert len(_nummern(c.get(URL, {"status": ""}))) == 4
    # Ein unbekannter Status filtert nicht und stürzt nicht ab.
    assert c.get(URL, {"status": "gibtsnicht"}).status_code == 200


def test_filter_quartier(welt, stadt, client_fuer):
    antwort = client_fuer("planung").get(URL, {"quartier": stadt.sued.pk})
    assert _nummern(antwort) == [welt["sued"].nummer]


def test_filter_thema(welt, lotse, client_fuer):
    antwort = client_fuer("planung").get(URL, {"thema": lotse.beratung.pk})
    assert _nummern(antwort) == [welt["sued"].nummer]


def test_filter_bedarf(welt, lotse, client_fuer):
    verkehr = Bedarf.objects.create(name="Verkehr")
    welt["sued"].bedarfe.set([verkehr, lotse.sauberkeit])
    antwort = client_fuer("planung").get(URL, {"bedarf": verkehr.pk})
    assert _nummern(antwort) == [welt["sued"].nummer]
    # Mehrere Bedarfe: jedes Anliegen nur einmal.
    antwort = client_fuer("planung").get(URL, {"bedarf": lotse.sauberkeit.pk})
    assert len(_nummern(antwort)) == 4


def test_filter_fachbereich_ohne_doppelte(welt, lotse, stadt, client_fuer):
    # Zurückgegeben und erneut weitergeleitet: zwei Weiterleitungen an denselben Fachbereich.
    w = welt["nord"].weiterleitungen.get()
    workflow.zurueckgeben(w, durch=stadt.fb, hinweis="Bitte an Grünflächen")
    _weiterleiten(lotse, welt["nord"], lotse.stadtbetrieb, lotse.gruen)
    antwort = client_fuer("planung").get(URL, {"fachbereich": lotse.stadtbetrieb.pk})
    assert _nummern(antwort) == [welt["nord"].nummer]
    antwort = client_fuer("planung").get(URL, {"fachbereich": lotse.gruen.pk})
    assert _nummern(antwort) == [welt["nord"].nummer]
    inhalt = antwort.content.decode()
    assert "E 18, FB 36" in inhalt


def test_filter_ueberfaellig(welt, lotse, client_fuer):
    c = client_fuer("planung")
    assert _nummern(c.get(URL, {"ueberfaellig": "on"})) == []
    assert "überfällig</span>" not in c.get(URL).content.decode()
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    Weiterleitung.objects.filter(anliegen=welt["nord"]).update(frist=gestern)
    antwort = c.get(URL, {"ueberfaellig": "on"})
    assert _nummern(antwort) == [welt["nord"].nummer]
    assert "überfällig</span>" in antwort.content.decode()


def test_beantwortete_weiterleitung_ist_nicht_ueberfaellig(welt, lotse, stadt, client_fuer):
    w = welt["nord"].weiterleitungen.get()
    workflow.annehmen(w, durch=stadt.fb)
    workflow.beantworten(w, entscheidung="umgesetzt", antwort="Erledigt.", durch=stadt.fb)
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    Weiterleitung.objects.filter(anliegen=welt["nord"]).update(frist=gestern)
    assert _nummern(client_fuer("planung").get(URL, {"ueberfaellig": "on"})) == []


# --- Sortierung und Blättern -------------------------------------------------------------


def test_sortierung_nach_nummer_und_quartier(welt, client_fuer):
    c = client_fuer("planung")
    alle = {"q": "", "status": ""}
    aufsteigend = _nummern(c.get(URL, {**alle, "sortierung": "nummer"}))
    assert aufsteigend == sorted(aufsteigend) and len(aufsteigend) == 4
    assert _nummern(c.get(URL, {**alle, "sortierung": "-nummer"})) == aufsteigend[::-1]
    nach_quartier = c.get(URL, {**alle, "sortierung": "quartier"}).context["zeilen"]
    namen = [z["anliegen"].quartier.name for z in nach_quartier]
    assert namen == sorted(namen)
    nach_status = c.get(URL, {**alle, "sortierung": "status"}).context["zeilen"]
    assert nach_status[0]["anliegen"].status == Status.NEU
    assert nach_status[-1]["anliegen"].status == Status.ABGESCHLOSSEN
    assert _nummern(c.get(URL, {**alle, "sortierung": "erfasst"})) == aufsteigend


@pytest.mark.parametrize("wert", ["titel", "-pk", "meldende__name", "id; DROP TABLE x", "?"])
def test_unbekannte_sortierung_wird_ignoriert(welt, client_fuer, wert):
    antwort = client_fuer("planung").get(URL, {"sortierung": wert})
    assert antwort.status_code == 200
    assert len(_nummern(antwort)) == 3
    assert "sortierung" not in antwort.context["filter"].form.errors


def test_sortierlinks_behalten_filter_und_wechseln_richtung(welt, stadt, client_fuer):
    antwort = client_fuer("planung").get(URL, {"quartier": stadt.nord.pk, "sortierung": "nummer"})
    links = antwort.context["sortierung"]
    assert f"quartier={stadt.nord.pk}" in links["nummer"]["url"]
    assert "sortierung=-nummer" in links["nummer"]["url"]
    assert links["nummer"]["richtung"] == "ascending"
    assert 'aria-sort="ascending"' in antwort.content.decode()
    # Beim ersten Aufruf tragen die Links die Vorgaben weiter.
    vorgabe = client_fuer("qm").get(URL).context["sortierung"]["status"]["url"]
    assert "status=offen" in vorgabe and "nur_meine=on" in vorgabe


def test_blaettern_mit_50_je_seite(lotse, stadt, client_fuer):
    for i in range(52):
        lotse.erfassen(titel=f"Anliegen {i}", meldende=None)
    c = client_fuer("planung")
    erste = c.get(URL)
    assert len(_nummern(erste)) == 50
    weiter = erste.context["blaetterlinks"]["naechste"]
    assert f'href="{weiter.replace("&", "&amp;")}" rel="next"' in erste.content.decode()
    zweite = c.get(URL + weiter)
    assert len(_nummern(zweite)) == 2
    assert not set(_nummern(erste)) & set(_nummern(zweite))
    # alte Links mit Seitenzahl: die erste Seite, kein Fehler
    for alt in ("2", "x"):
        antwort = c.get(URL, {"page": alt})
        assert antwort.status_code == 200
        assert _nummern(antwort) == _nummern(erste)


# --- Abfragen ----------------------------------------------------------------------------


def _anzahl_abfragen(client, **parameter) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get(URL, parameter)
    assert antwort.status_code == 200
    return len(abfragen)


@pytest.mark.parametrize("persona", ["qm", "fb", "planung"])
def test_abfragen_wachsen_nicht_mit_den_zeilen(lotse, stadt, client_fuer, persona):
    c = client_fuer(persona)

    def anlegen(anzahl):
        for i in range(anzahl):
            a = lotse.erfassen(titel=f"Anliegen {i}")
            _weiterleiten(lotse, a, lotse.stadtbetrieb, lotse.gruen)

    anlegen(2)
    wenige = _anzahl_abfragen(c)
    anlegen(10)
    viele = _anzahl_abfragen(c)
    assert viele == wenige
    # Sitzung, Benutzer, begrenzte Anzahl, eine Seite Anliegen mit Quartier und Thema (eigene
    # Quartiere nur als Unterabfrage), Weiterleitungen mit Fachbereich (Prefetch), Auswahllisten
    # Quartier, Thema, Bedarf, Fachbereich, Sitzung speichern (Savepoint, Update, Release):
    # 12, egal wie viele Zeilen.
    assert viele <= 12


def test_abfragen_obergrenze_mit_allen_filtern(
    lotse, stadt, client_fuer, django_assert_max_num_queries
):
    for _ in range(5):
        _weiterleiten(lotse, lotse.erfassen())
    c = client_fuer("qm")
    parameter = {
        "q": "Sperrmüll",
        "status": "offen",
        "quartier": stadt.nord.pk,
        "thema": lotse.muell.pk,
        "bedarf": lotse.sauberkeit.pk,
        "fachbereich": lotse.stadtbetrieb.pk,
        "nur_meine": "on",
        "sortierung": "quartier",
    }
    # Die 12 von oben und je eine Abfrage, die den gewählten Wert der Auswahl prüft (Quartier,
    # Thema, Bedarf, Fachbereich).
    with django_assert_max_num_queries(16):
        antwort = c.get(URL, parameter)
    assert len(_nummern(antwort)) == 5


# --- Datenschutz -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_liste_zeigt_nie_daten_meldender_personen(welt, lotse, client_fuer, persona):
    w = welt["nord"].weiterleitungen.get()
    Weiterleitung.objects.filter(pk=w.pk).update(kontakt_geteilt=True)
    inhalt = client_fuer(persona).get(URL, {"q": "", "status": ""}).content.decode()
    assert welt["nord"].nummer in inhalt
    for wert in (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert wert not in inhalt


def test_thema_ohne_fachbereich_und_leere_liste(stadt, client_fuer):
    Thema.objects.create(name="Leer")
    antwort = client_fuer("planung").get(URL)
    assert antwort.status_code == 200
    assert "Keine Anliegen passen zu diesen Filtern." in antwort.content.decode()
