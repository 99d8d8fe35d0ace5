"""Posteingang der Fachbereiche: Liste, Seite einer Weiterleitung und ihre Schritte.

Rollen: der adressierte Fachbereich sieht und handelt; ein anderer Fachbereich bekommt 404;
QM (eigene Quartiere), Sozialplanung und Administration lesen nur (Schritte 403). Kanarien:
ohne geteilten Kontakt erscheint nirgends ein Personendatum der meldenden Person.
"""

import datetime
import re
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from anliegen import workflow
from anliegen.models import Ereignis, Status, Weiterleitung, WStatus

from .conftest import Lotse

KANARIEN = (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT)
LIEGT_BEIM_QM = "Kontaktdaten der meldenden Person liegen beim Quartiersmanagement."
AKTIONEN = ("annehmen", "zurueckgeben", "beantworten", "notiz")
HEUTE = timezone.localdate


def _liste() -> str:
    return reverse("anliegen:eingang")


def _detail(w) -> str:
    return reverse("anliegen:eingang_detail", args=[w.pk])


def _aktion(w, aktion: str) -> str:
    return reverse(f"anliegen:eingang_{aktion}", args=[w.pk])


def _weiterleiten(lotse, anliegen=None, *, kontakt_teilen=False, frist=None, an=None):
    anliegen = anliegen or lotse.erfassen()
    (w,) = workflow.weiterleiten(
        anliegen,
        an=[an or lotse.stadtbetrieb],
        nachricht="Bitte den Sperrmüll abholen.",
        durch=anliegen.zustaendig,
        kontakt_teilen=kontakt_teilen,
        frist=frist,
    )
    return w


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inhalt(antwort) -> str:
    return antwort.content.decode()


@pytest.fixture
def w(lotse):
    """Weitergeleitet an den Stadtbetrieb (Kontakt nicht geteilt), noch offen."""
    return _weiterleiten(lotse)


@pytest.fixture
def angenommen(lotse, w):
    return workflow.annehmen(w, durch=lotse.stadt.fb)


def _fehlerseite(client, w, aktion, daten) -> str:
    """POST mit Fehlern: Seite kommt mit 200 wieder, der Stand ist unverändert."""
    vorher = Weiterleitung.objects.get(pk=w.pk)
    antwort = client.post(_aktion(w, aktion), {"version": vorher.version, **daten})
    assert antwort.status_code == 200
    nachher = Weiterleitung.objects.get(pk=w.pk)
    assert (nachher.status, nachher.version) == (vorher.status, vorher.version)
    inhalt = _inhalt(antwort)
    assert "Bitte prüfen Sie Ihre Eingaben" in inhalt
    return inhalt


# --- Rollen ------------------------------------------------------------------------------


def test_fachbereich_sieht_liste_seite_und_schritte(lotse, w, client_fuer):
    client = client_fuer("fb")
    assert client.get(_liste()).status_code == 200
    inhalt = _inhalt(client.get(_detail(w)))
    for aktion in ("annehmen", "zurueckgeben", "notiz"):
        assert f'data-testid="aktion-{aktion}"' in inhalt
    assert 'data-testid="aktion-beantworten"' not in inhalt
    for aktion in ("annehmen", "zurueckgeben", "notiz"):
        assert client.get(_aktion(w, aktion)).status_code == 200
    workflow.annehmen(w, durch=lotse.stadt.fb)
    assert client.get(_aktion(w, "beantworten")).status_code == 200


def test_anderer_fachbereich_bekommt_404(lotse, w):
    client = _client(lotse.fb2)
    assert client.get(_detail(w)).status_code == 404
    for aktion in AKTIONEN:
        assert client.get(_aktion(w, aktion)).status_code == 404
        assert client.post(_aktion(w, aktion), {"version": 0}).status_code == 404
    assert lotse.erfassen().nummer not in _inhalt(client.get(_liste() + "?status="))
    assert w.anliegen.nummer not in _inhalt(client.get(_liste() + "?status="))


@pytest.mark.parametrize("persona", ["qm", "planung", "admin"])
def test_lesende_sehen_aber_handeln_nicht(lotse, w, client_fuer, persona):
    client = client_fuer(persona)
    assert w.anliegen.nummer in _inhalt(client.get(_liste()))
    inhalt = _inhalt(client.get(_detail(w)))
    assert w.anliegen.titel in inhalt
    assert 'data-testid="aktion-' not in inhalt
    for aktion in AKTIONEN:
        assert client.get(_aktion(w, aktion)).status_code == 403
        assert client.post(_aktion(w, aktion), {"version": 0, "text": "x"}).status_code == 403
    w.refresh_from_db()
    assert w.status == WStatus.OFFEN
    assert not Ereignis.objects.filter(art="notiz").exists()


def test_qm_anderer_quartiere_sieht_die_weiterleitung_nicht(w, client_fuer):
    client = client_fuer("qm2")
    assert w.anliegen.nummer not in _inhalt(client.get(_liste()))
    assert client.get(_detail(w)).status_code == 404
    assert client.get(_aktion(w, "annehmen")).status_code == 404


def test_anonym_muss_sich_anmelden(w):
    client = Client()
    for url in (_liste(), _detail(w), _aktion(w, "annehmen")):
        antwort = client.get(url)
        assert antwort.status_code == 302
        assert antwort["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_unbekannt_ist_404_und_liste_nimmt_kein_post(w, client_fuer):
    client = client_fuer("fb")
    assert client.get(reverse("anliegen:eingang_detail", args=[w.pk + 999])).status_code == 404
    assert client.get(reverse("anliegen:eingang_annehmen", args=[w.pk + 999])).status_code == 404
    assert client.get(f"/eingang/{w.pk}/loeschen/").status_code == 404
    assert client.post(_liste()).status_code == 405
    assert client.post(_detail(w)).status_code == 405


def test_falscher_zustand_fuehrt_mit_hinweis_zur_seite(lotse, w, client_fuer):
    client = client_fuer("fb")
    antwort = client.get(_aktion(w, "beantworten"), follow=True)
    assert antwort.redirect_chain[-1][0] == _detail(w)
    assert "Das geht im Status „offen“ nicht." in _inhalt(antwort)
    workflow.annehmen(w, durch=lotse.stadt.fb)
    antwort = client.post(_aktion(w, "annehmen"), {"version": 0})
    assert antwort.status_code == 302
    assert antwort["Location"] == _detail(w)


# --- Personendaten -----------------------------------------------------------------------


def test_ohne_geteilten_kontakt_nirgends_personendaten(lotse, w, client_fuer):
    client = client_fuer("fb")
    seiten = [client.get(_liste()), client.get(_detail(w))]
    seiten += [client.get(_aktion(w, aktion)) for aktion in ("annehmen", "zurueckgeben", "notiz")]
    seiten.append(client.post(_aktion(w, "zurueckgeben"), {"version": w.version}))
    for antwort in seiten:
        inhalt = _inhalt(antwort)
        for kanarie in KANARIEN:
            assert kanarie not in inhalt
    assert LIEGT_BEIM_QM in _inhalt(seiten[1])
    # Die Ansprechperson des QM ist Dienstkontakt und steht da.
    assert lotse.stadt.qm.email in _inhalt(seiten[1])


def test_geteilter_kontakt_nur_fuer_den_adressierten_fachbereich(lotse, client_fuer):
    anliegen = lotse.erfassen()
    geteilt = _weiterleiten(lotse, anliegen, kontakt_teilen=True)
    (anderer,) = workflow.weiterleiten(
        anliegen, an=[lotse.gruen], nachricht="Auch für Sie.", durch=lotse.stadt.qm
    )
    inhalt = _inhalt(client_fuer("fb").get(_detail(geteilt)))
    for kanarie in KANARIEN:
        assert kanarie in inhalt
    assert LIEGT_BEIM_QM not in inhalt
    assert geteilt.anliegen.nummer in _inhalt(client_fuer("fb").get(_liste()))
    for kanarie in KANARIEN:
        assert kanarie not in _inhalt(client_fuer("fb").get(_liste()))
    # Grünflächen: eigene Weiterleitung ohne geteilten Kontakt, fremde → 404.
    fb2 = _client(lotse.fb2)
    assert fb2.get(_detail(geteilt)).status_code == 404
    for antwort in (
        fb2.get(_detail(anderer)),
        fb2.get(_liste()),
        fb2.get(_aktion(anderer, "notiz")),
    ):
        for kanarie in KANARIEN:
            assert kanarie not in _inhalt(antwort)
    # Die Liste zeigt nie Personendaten, auch nicht dem QM.
    for kanarie in KANARIEN:
        assert kanarie not in _inhalt(client_fuer("qm").get(_liste()))


# --- Falsche Eingaben --------------------------------------------------------------------


def test_zurueckgeben_ohne_wen(lotse, w, client_fuer):
    inhalt = _fehlerseite(client_fuer("fb"), w, "zurueckgeben", {"hinweis": "  "})
    assert "Bitte angeben, wer zuständig ist: einen Fachbereich oder einen Hinweis." in inhalt


def test_zurueckgeben_bietet_nur_andere_fachbereiche(lotse, w, client_fuer):
    inhalt = _inhalt(client_fuer("fb").get(_aktion(w, "zurueckgeben")))
    assert lotse.gruen.name in inhalt
    assert f">{lotse.stadtbetrieb.name}<" not in inhalt
    inhalt = _fehlerseite(
        client_fuer("fb"),
        w,
        "zurueckgeben",
        {"zustaendig_fachbereich": lotse.stadtbetrieb.pk, "hinweis": "Behalte ich"},
    )
    assert "Bitte einen anderen Fachbereich aus der Liste wählen." in inhalt
    assert "Behalte ich" in inhalt


def test_beantworten_ohne_text_behaelt_eingaben(angenommen, client_fuer):
    inhalt = _fehlerseite(
        client_fuer("fb"), angenommen, "beantworten", {"entscheidung": "umgesetzt", "antwort": ""}
    )
    assert "Bitte die Antwort in verständlichen Worten schreiben" in inhalt
    assert re.search(r'value="umgesetzt"[^>]*\bchecked', inhalt)


def test_beantworten_ohne_entscheidung(angenommen, client_fuer):
    inhalt = _fehlerseite(
        client_fuer("fb"), angenommen, "beantworten", {"antwort": "Machen wir gern."}
    )
    assert "Bitte eine Entscheidung wählen." in inhalt
    assert "Machen wir gern." in inhalt


def test_nicht_moeglich_ohne_grund(angenommen, client_fuer):
    inhalt = _fehlerseite(
        client_fuer("fb"),
        angenommen,
        "beantworten",
        {"entscheidung": "nicht_moeglich", "antwort": "Dafür fehlt uns das Geld."},
    )
    assert "Bitte einen Grund aus der Liste wählen." in inhalt
    assert "Dafür fehlt uns das Geld." in inhalt


def test_nicht_moeglich_ohne_grund_und_text_meldet_beides(angenommen, client_fuer):
    inhalt = _fehlerseite(
        client_fuer("fb"), angenommen, "beantworten", {"entscheidung": "nicht_moeglich"}
    )
    assert "Bitte einen Grund aus der Liste wählen." in inhalt
    assert "Bitte die Antwort in verständlichen Worten schreiben" in inhalt


def test_wird_umgesetzt_ohne_datum(angenommen, client_fuer):
    inhalt = _fehlerseite(
        client_fuer("fb"),
        angenommen,
        "beantworten",
        {"entscheidung": "wird_umgesetzt", "antwort": "Kommt bald."},
    )
    assert "Bitte angeben, bis wann es umgesetzt wird." in inhalt
    assert "Kommt bald." in inhalt


def test_wird_umgesetzt_mit_vergangenem_datum(angenommen, client_fuer):
    gestern = HEUTE() - datetime.timedelta(days=1)
    inhalt = _fehlerseite(
        client_fuer("fb"),
        angenommen,
        "beantworten",
        {
            "entscheidung": "wird_umgesetzt",
            "antwort": "Kommt bald.",
            "erwartet_am": gestern.isoformat(),
        },
    )
    assert "Das erwartete Datum darf nicht in der Vergangenheit liegen." in inhalt
    assert gestern.isoformat() in inhalt


def test_ungueltiges_datum(angenommen, client_fuer):
    inhalt = _fehlerseite(
        client_fuer("fb"),
        angenommen,
        "beantworten",
        {"entscheidung": "wird_umgesetzt", "antwort": "Kommt.", "erwartet_am": "31.02.2099"},
    )
    assert "Bitte ein gültiges Datum eingeben" in inhalt


def test_notiz_doppelt_gesendet_entsteht_einmal(w, client_fuer):
    client = client_fuer("fb")
    daten = {"text": "Kolonne ist eingeplant.", "einreichung": uuid.uuid4()}
    for _ in range(2):
        assert client.post(_aktion(w, "notiz"), daten).status_code == 302
    assert Ereignis.objects.filter(art="notiz").count() == 1


def test_leere_notiz(w, client_fuer):
    antwort = client_fuer("fb").post(_aktion(w, "notiz"), {"text": "  "})
    assert antwort.status_code == 200
    assert "Die Notiz ist leer." in _inhalt(antwort)
    assert not Ereignis.objects.filter(art="notiz").exists()


def test_konflikt_behaelt_eingaben_und_erlaubt_erneutes_absenden(lotse, angenommen, client_fuer):
    client = client_fuer("fb")
    alt = angenommen.version
    workflow.beantworten(
        angenommen, entscheidung="zwischenbescheid", antwort="Wir prüfen.", durch=lotse.stadt.fb
    )
    daten = {"version": alt, "entscheidung": "umgesetzt", "antwort": "Ist abgeholt."}
    antwort = client.post(_aktion(angenommen, "beantworten"), daten)
    inhalt = _inhalt(antwort)
    assert "Das wurde inzwischen von jemand anderem geändert." in inhalt
    assert "Ist abgeholt." in inhalt
    neu = Weiterleitung.objects.get(pk=angenommen.pk).version
    assert f'name="version" value="{neu}"' in inhalt
    antwort = client.post(_aktion(angenommen, "beantworten"), {**daten, "version": neu})
    assert antwort.status_code == 302
    assert Weiterleitung.objects.get(pk=angenommen.pk).status == WStatus.BEANTWORTET


# --- Filter ------------------------------------------------------------------------------


def test_vorgabe_zu_erledigen_und_ueberfaellig(lotse, client_fuer):
    offen = _weiterleiten(lotse, lotse.erfassen(titel="Offen und frisch"))
    ueberfaellig = _weiterleiten(lotse, lotse.erfassen(titel="Lange liegen geblieben"))
    Weiterleitung.objects.filter(pk=ueberfaellig.pk).update(
        frist=HEUTE() - datetime.timedelta(days=2)
    )
    erledigt = _weiterleiten(lotse, lotse.erfassen(titel="Schon beantwortet"))
    workflow.annehmen(erledigt, durch=lotse.stadt.fb)
    workflow.beantworten(erledigt, entscheidung="umgesetzt", antwort="Ja.", durch=lotse.stadt.fb)
    Weiterleitung.objects.filter(pk=erledigt.pk).update(frist=HEUTE() - datetime.timedelta(days=9))
    zurueck = _weiterleiten(lotse, lotse.erfassen(titel="Nicht unseres"))
    workflow.zurueckgeben(zurueck, zustaendig_fachbereich=lotse.gruen, durch=lotse.stadt.fb)

    client = client_fuer("fb")
    vorgabe = _inhalt(client.get(_liste()))
    assert "Offen und frisch" in vorgabe and "Lange liegen geblieben" in vorgabe
    assert "Schon beantwortet" not in vorgabe and "Nicht unseres" not in vorgabe
    assert vorgabe.count("überfällig</span>") == 1

    nur = _inhalt(client.get(_liste(), {"status": "ueberfaellig"}))
    assert "Lange liegen geblieben" in nur
    assert "Offen und frisch" not in nur and "Schon beantwortet" not in nur

    assert "Schon beantwortet" in _inhalt(client.get(_liste(), {"status": "beantwortet"}))
    assert "Nicht unseres" in _inhalt(client.get(_liste(), {"status": "nicht_zustaendig"}))
    alle = _inhalt(client.get(_liste(), {"status": ""}))
    for titel in ("Offen und frisch", "Schon beantwortet", "Nicht unseres"):
        assert titel in alle
    assert offen.anliegen.nummer in _inhalt(client.get(_liste(), {"q": offen.anliegen.nummer}))
    # Das QM sieht ohne Filter alle Weiterleitungen seiner Quartiere.
    assert "Schon beantwortet" in _inhalt(client_fuer("qm").get(_liste()))


def test_suche_findet_fallnummer_exakt_auch_kurz_geschrieben(lotse, client_fuer):
    erste = _weiterleiten(lotse, lotse.erfassen(titel="Erstes Anliegen"))
    # Eine zweite, deren Titel die Nummer der ersten nennt: die Nummer meint die erste.
    _weiterleiten(lotse, lotse.erfassen(titel=f"Wie {erste.anliegen.nummer}"))
    jahr, laufnummer = erste.anliegen.nummer.split("-")
    inhalt = _inhalt(client_fuer("fb").get(_liste(), {"q": f"{jahr}-{int(laufnummer)}"}))
    assert "Erstes Anliegen" in inhalt
    assert "Wie " not in inhalt


def test_suche_fremde_nummer_verraet_nichts(lotse, client_fuer):
    fremd = _weiterleiten(lotse, lotse.erfassen(titel="Fremd"), an=lotse.gruen)
    inhalt = _inhalt(client_fuer("fb").get(_liste(), {"q": fremd.anliegen.nummer}))
    assert "Fremd" not in inhalt


def test_suche_zu_lang_meldung_statt_fehler(lotse, w, client_fuer):
    antwort = client_fuer("fb").get(_liste(), {"q": "x" * 201})
    assert antwort.status_code == 200
    inhalt = _inhalt(antwort)
    assert "Bitte höchstens 200 Zeichen eingeben." in inhalt
    assert w.anliegen.nummer not in inhalt


# --- Der ganze Weg -----------------------------------------------------------------------


def test_annehmen_und_beantworten_bis_antwort_liegt_vor(lotse, w, client_fuer):
    client = client_fuer("fb")
    antwort = client.post(_aktion(w, "annehmen"), {"version": w.version}, follow=True)
    assert "Angenommen." in _inhalt(antwort)
    w.refresh_from_db()
    assert w.status == WStatus.IN_BEARBEITUNG

    antwort = client.post(
        _aktion(w, "notiz"),
        {"text": "Kolonne ist eingeplant.", "einreichung": uuid.uuid4()},
        follow=True,
    )
    assert "Kolonne ist eingeplant." in _inhalt(antwort)

    Message.objects.all().delete()
    bald = HEUTE() + datetime.timedelta(days=5)
    antwort = client.post(
        _aktion(w, "beantworten"),
        {
            "version": w.version,
            "entscheidung": "wird_umgesetzt",
            "antwort": "Wir holen den Sperrmüll am Freitag ab.",
            "erwartet_am": bald.isoformat(),
        },
        follow=True,
    )
    inhalt = _inhalt(antwort)
    assert antwort.redirect_chain[-1][0] == _detail(w)
    assert "Wir holen den Sperrmüll am Freitag ab." in inhalt
    assert 'data-testid="aktion-' in inhalt  # Notiz bleibt möglich
    assert 'data-testid="aktion-beantworten"' not in inhalt
    w.refresh_from_db()
    assert (w.status, w.entscheidung, w.erwartet_am) == (
        WStatus.BEANTWORTET,
        "wird_umgesetzt",
        bald,
    )
    w.anliegen.refresh_from_db()
    assert w.anliegen.status == Status.ANTWORT_LIEGT_VOR
    assert [m for m in Message.objects.all() if lotse.stadt.qm.email in m.to_addresses]
    # Doppelt abgeschickt: nichts doppelt.
    client.post(_aktion(w, "beantworten"), {"version": w.version - 1, "antwort": "x"})
    assert Ereignis.objects.filter(art="beantwortet").count() == 1


def test_zwischenbescheid_und_nicht_moeglich(lotse, angenommen, client_fuer):
    client = client_fuer("fb")
    antwort = client.post(
        _aktion(angenommen, "beantworten"),
        {
            "version": angenommen.version,
            "entscheidung": "zwischenbescheid",
            "antwort": "Wir prüfen.",
        },
        follow=True,
    )
    assert "Der Zwischenbescheid ist festgehalten" in _inhalt(antwort)
    assert "Zwischenbescheid von E 18: „Wir prüfen.“" in _inhalt(antwort)
    angenommen.refresh_from_db()
    assert angenommen.status == WStatus.IN_BEARBEITUNG
    client.post(
        _aktion(angenommen, "beantworten"),
        {
            "version": angenommen.version,
            "entscheidung": "nicht_moeglich",
            "antwort": "Dafür gibt es dieses Jahr kein Geld.",
            "ablehnungsgrund": lotse.kein_geld.pk,
        },
    )
    angenommen.refresh_from_db()
    assert angenommen.status == WStatus.BEANTWORTET
    assert angenommen.ablehnungsgrund == lotse.kein_geld


def test_zurueckgeben_an_anderen_fachbereich(lotse, w, client_fuer):
    antwort = client_fuer("fb").post(
        _aktion(w, "zurueckgeben"),
        {"version": w.version, "zustaendig_fachbereich": lotse.gruen.pk, "hinweis": ""},
    )
    assert antwort.status_code == 302
    w.refresh_from_db()
    assert (w.status, w.zustaendig_fachbereich) == (WStatus.NICHT_ZUSTAENDIG, lotse.gruen)
    inhalt = _inhalt(client_fuer("fb").get(_detail(w)))
    assert "Grünflächen" in inhalt
    w.anliegen.refresh_from_db()
    assert w.anliegen.status == Status.ANTWORT_LIEGT_VOR


def test_verlauf_zeigt_nur_diese_weiterleitung(lotse, client_fuer):
    anliegen = lotse.erfassen()
    eigene = _weiterleiten(lotse, anliegen)
    (fremde,) = workflow.weiterleiten(
        anliegen, an=[lotse.gruen], nachricht="Auch.", durch=lotse.stadt.qm
    )
    workflow.annehmen(fremde, durch=lotse.fb2)
    workflow.notiz(anliegen, text="Geheime Notiz von Grün", durch=lotse.fb2)
    workflow.notiz(anliegen, text=f"QM-Notiz zu {Lotse.NAME}", durch=lotse.stadt.qm)
    workflow.annehmen(eigene, durch=lotse.stadt.fb)
    workflow.notiz(anliegen, text="Notiz vom Stadtbetrieb", durch=lotse.stadt.fb)
    inhalt = _inhalt(client_fuer("fb").get(_detail(eigene)))
    assert "E 18 hat das Anliegen angenommen." in inhalt
    assert "Notiz vom Stadtbetrieb" in inhalt
    assert "FB 36 hat das Anliegen angenommen." not in inhalt
    assert "Geheime Notiz von Grün" not in inhalt
    assert Lotse.NAME not in inhalt


# --- Abfragen ----------------------------------------------------------------------------


def _abfragen(client, url) -> int:
    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(url).status_code == 200
    return len(erfasst.captured_queries)


def test_abfragen_der_liste_unabhaengig_von_der_zahl(lotse, client_fuer):
    # Sitzung, Benutzer, begrenzte Anzahl, eine Seite Weiterleitungen mit Anliegen, Quartier,
    # Thema und Fachbereich (ein JOIN; die eigenen Quartiere des QM als Unterabfrage darin);
    # dazu das Speichern der Sitzung (Savepoint, UPDATE, Release).
    _weiterleiten(lotse)
    personas = ("fb", "qm", "planung")
    vorher = {p: _abfragen(client_fuer(p), _liste() + "?status=") for p in personas}
    assert max(vorher.values()) <= 7
    for i in range(6):
        _weiterleiten(lotse, lotse.erfassen(titel=f"Anliegen {i}"))
    for p in personas:
        assert _abfragen(client_fuer(p), _liste() + "?status=") == vorher[p]


def test_abfragen_der_seite_unabhaengig_vom_verlauf(lotse, client_fuer):
    # Sitzung, Benutzer, Weiterleitung mit Anliegen und allem Nötigen (ein JOIN), Verlauf mit
    # Personen, Anhänge mit Person; dazu das Speichern der Sitzung (Savepoint, UPDATE, Release).
    w = _weiterleiten(lotse)
    client = client_fuer("fb")
    vorher = _abfragen(client, _detail(w))
    assert vorher <= 8
    workflow.annehmen(w, durch=lotse.stadt.fb)
    for i in range(5):
        workflow.notiz(w.anliegen, text=f"Notiz {i}", durch=lotse.stadt.fb)
    workflow.beantworten(
        w, entscheidung="zwischenbescheid", antwort="Dauert.", durch=lotse.stadt.fb
    )
    assert _abfragen(client, _detail(w)) == vorher


def test_htmx_liefert_nur_das_ergebnis(w, client_fuer):
    antwort = client_fuer("fb").get(_liste(), {"status": "offen"}, HTTP_HX_REQUEST="true")
    inhalt = _inhalt(antwort)
    assert inhalt.lstrip().startswith('<div id="ergebnis"')
    assert w.anliegen.nummer in inhalt
    assert "<html" not in inhalt


def test_sozialplanung_sieht_im_posteingang_keine_notiztexte(lotse, w, client_fuer):
    workflow.notiz(w.anliegen, text="Hausmeister Kanarienvogel weiß mehr.", durch=lotse.stadt.fb)
    assert "Hausmeister Kanarienvogel" in _inhalt(client_fuer("fb").get(_detail(w)))
    planung = _inhalt(client_fuer("planung").get(_detail(w)))
    assert "Hausmeister Kanarienvogel" not in planung
    assert "Text nur für Quartiersmanagement und Fachbereiche sichtbar." in planung


def test_fachbereich_sieht_welche_einrichtung_das_anliegen_einbrachte(lotse, netz, client_fuer):
    anliegen = lotse.erfassen(akteur=netz.familienzentrum, meldende=None)
    w = _weiterleiten(lotse, anliegen)
    inhalt = _inhalt(client_fuer("fb").get(_detail(w)))
    assert "eingebracht von" in inhalt
    assert f'href="{netz.familienzentrum.get_absolute_url()}"' in inhalt
    assert "Familienzentrum Nord" in inhalt
