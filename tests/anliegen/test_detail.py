"""Seite eines Anliegens: Zugriff je Rolle (fremd → 404), Personendaten nur für das zuständige
QM (und mit geteiltem Kontakt für den Fachbereich), Weiterleitungen, Rückmeldungen, Hinweis
„wartet auf Rückmeldung“, Knöpfe, Verlauf mit den Sätzen aus `Ereignis.text`."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from anliegen import workflow
from anliegen.models import Ereignis, Weiterleitung
from anliegen.views.liste import VERLAUF_NEUESTE
from tests.conftest import PERSONAS

from .conftest import Lotse

KANARIEN = (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT)
WARTET = "Antwort liegt vor – die meldende Person wartet auf Rückmeldung"
NEUTRAL = "Kontaktdaten sind nur für das zuständige Quartiersmanagement sichtbar."


def _url(anliegen) -> str:
    return f"/anliegen/{anliegen.nummer}/"


def _url_existiert(name: str, *args) -> bool:
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def _weiterleiten(lotse, anliegen, *fachbereiche, kontakt_teilen=False):
    workflow.weiterleiten(
        anliegen,
        an=fachbereiche or [lotse.stadtbetrieb],
        nachricht="Bitte abholen.",
        durch=anliegen.zustaendig,
        kontakt_teilen=kontakt_teilen,
    )
    anliegen.refresh_from_db()
    return anliegen


def _beantworten(lotse, anliegen):
    w = anliegen.weiterleitungen.get(fachbereich=lotse.stadtbetrieb)
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


@pytest.fixture
def nord(lotse):
    """Weitergeleitet an den Stadtbetrieb, beantwortet, der Person zurückgemeldet (mit Namen)."""
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()))
    workflow.rueckmelden(
        anliegen,
        text=f"Guten Tag {Lotse.NAME}, der Sperrmüll wird Freitag abgeholt.",
        kanal="telefon",
        durch=lotse.stadt.qm,
    )
    anliegen.refresh_from_db()
    return anliegen


@pytest.fixture
def sued(lotse, stadt):
    return lotse.erfassen(quartier=stadt.sued, durch=stadt.qm2, titel="Laterne aus")


def test_url_name(nord):
    assert reverse("anliegen:detail", args=[nord.nummer]) == _url(nord)


def test_anonym_wird_zur_anmeldung_geleitet(nord, client):
    antwort = client.get(_url(nord))
    assert antwort.status_code == 302
    assert reverse("login") in antwort["Location"]


@pytest.mark.parametrize("persona", ["qm", "qm2", "planung", "admin"])
def test_alle_ausser_fachbereich_sehen_nord_und_sued(nord, sued, client_fuer, persona):
    c = client_fuer(persona)
    assert c.get(_url(nord)).status_code == 200
    assert c.get(_url(sued)).status_code == 200


def test_fachbereich_nur_weitergeleitete(nord, sued, lotse, client_fuer):
    assert client_fuer("fb").get(_url(nord)).status_code == 200
    assert client_fuer("fb").get(_url(sued)).status_code == 404
    # An einen anderen Fachbereich weitergeleitet: weiterhin fremd.
    _weiterleiten(lotse, sued, lotse.gruen)
    assert client_fuer("fb").get(_url(sued)).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_unbekannte_nummer_404(stadt, client_fuer, persona):
    assert client_fuer(persona).get("/anliegen/2099-99999/").status_code == 404


@pytest.mark.parametrize("persona", ["qm", "planung"])
def test_post_nicht_erlaubt(nord, client_fuer, persona):
    assert client_fuer(persona).post(_url(nord)).status_code == 405


def test_seite_zeigt_das_anliegen(nord, client_fuer):
    inhalt = client_fuer("planung").get(_url(nord)).content.decode()
    for text in (
        nord.titel,
        nord.nummer,
        "Quartier Nord",
        "Ecke Nordstraße",
        "Wilder Müll",
        "Sauberkeit",
        "Beschwerde/Mangel",
        "Sprechstunde",
        "Stadtbetrieb",
        "wird umgesetzt",
        "Wir holen ihn Freitag ab.",
        "Umsetzung erwartet am",
        "Telefon",
        "erreicht",
    ):
        assert text in inhalt, text


def test_sitzung_und_akteur_verlinkt(lotse, netz, client_fuer):
    anliegen = lotse.erfassen(
        kanal="stadtteilkonferenz",
        sitzung=netz.sitzung_nord,
        akteur=netz.familienzentrum,
        meldende=None,
    )
    inhalt = client_fuer("qm").get(_url(anliegen)).content.decode()
    assert f'href="{netz.sitzung_nord.get_absolute_url()}"' in inhalt
    assert f'href="{netz.familienzentrum.get_absolute_url()}"' in inhalt
    assert "eingebracht von einem Akteur" in inhalt


# --- Personendaten -----------------------------------------------------------------------


def test_zustaendiges_qm_sieht_personendaten(nord, client_fuer):
    inhalt = client_fuer("qm").get(_url(nord)).content.decode()
    for wert in KANARIEN:
        assert wert in inhalt
    assert NEUTRAL not in inhalt
    # Rückmeldetext samt Namen, im Verlauf und in der Liste der Rückmeldungen.
    assert "der Sperrmüll wird Freitag abgeholt" in inhalt


@pytest.mark.parametrize("persona", ["qm2", "fb", "planung", "admin"])
def test_andere_sehen_keine_personendaten(nord, client_fuer, persona):
    inhalt = client_fuer(persona).get(_url(nord)).content.decode()
    for wert in KANARIEN:
        assert wert not in inhalt, (persona, wert)
    assert NEUTRAL in inhalt
    assert "der Sperrmüll wird Freitag abgeholt" not in inhalt
    assert "Rückmeldung gegeben (Telefon)." in inhalt


def test_fachbereich_mit_geteiltem_kontakt_sieht_ihn(lotse, client_fuer):
    anliegen = _weiterleiten(lotse, lotse.erfassen(), kontakt_teilen=True)
    inhalt = client_fuer("fb").get(_url(anliegen)).content.decode()
    for wert in KANARIEN:
        assert wert in inhalt
    # Der andere Fachbereich nicht: dort ist nichts geteilt.
    _weiterleiten(lotse, anliegen, lotse.gruen)
    Weiterleitung.objects.filter(fachbereich=lotse.gruen).update(kontakt_geteilt=False)
    c = client_fuer(None)
    c.force_login(lotse.fb2)
    inhalt = c.get(_url(anliegen)).content.decode()
    for wert in KANARIEN:
        assert wert not in inhalt


def test_anonym_gemeldet(lotse, client_fuer):
    anliegen = lotse.erfassen(meldende=None)
    inhalt = client_fuer("qm").get(_url(anliegen)).content.decode()
    assert "anonym" in inhalt
    assert NEUTRAL not in inhalt


def test_weiteres_anliegen_dieser_person_nur_fuer_zustaendiges_qm(nord, client_fuer):
    hat_erfassen = _url_existiert("anliegen:erfassen")
    qm = client_fuer("qm").get(_url(nord)).content.decode()
    assert ('data-testid="weiteres-anliegen"' in qm) == hat_erfassen
    if hat_erfassen:
        assert f"?person={nord.nummer}" in qm
    for persona in ("qm2", "fb", "planung", "admin"):
        inhalt = client_fuer(persona).get(_url(nord)).content.decode()
        assert 'data-testid="weiteres-anliegen"' not in inhalt


# --- Hinweis und Knöpfe ------------------------------------------------------------------


def test_hinweis_wartet_auf_rueckmeldung(lotse, client_fuer):
    anliegen = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()))
    assert WARTET in client_fuer("qm").get(_url(anliegen)).content.decode()
    workflow.rueckmelden(anliegen, text="Wird abgeholt.", kanal="telefon", durch=lotse.stadt.qm)
    assert WARTET not in client_fuer("qm").get(_url(anliegen)).content.decode()


def test_kein_hinweis_wenn_nicht_erreicht_aber_entbehrlich(lotse, client_fuer):
    erreicht_nicht = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen()))
    workflow.rueckmelden(
        erreicht_nicht, text="Niemand da.", kanal="telefon", erreicht=False, durch=lotse.stadt.qm
    )
    inhalt = client_fuer("qm").get(_url(erreicht_nicht)).content.decode()
    assert WARTET in inhalt and "nicht erreicht" in inhalt
    anonym = _beantworten(lotse, _weiterleiten(lotse, lotse.erfassen(meldende=None)))
    assert WARTET not in client_fuer("qm").get(_url(anonym)).content.decode()


def test_knoepfe_nur_fuer_das_zustaendige_qm(lotse, client_fuer):
    anliegen = lotse.erfassen()
    hat_aktion = _url_existiert("anliegen:weg", anliegen.nummer)
    qm = client_fuer("qm").get(_url(anliegen))
    assert [op["name"] for op in qm.context["operationen"]] == [
        "weg",
        "weiterleiten",
        "rueckmelden",
        "abschliessen",
        "buendeln",
        "notiz",
    ]
    inhalt = qm.content.decode()
    assert ('data-testid="aktion-weg"' in inhalt) == hat_aktion
    if hat_aktion:
        assert "Weg festlegen" in inhalt and "Rückmeldung festhalten" in inhalt
        assert f'href="{reverse("anliegen:weg", args=[anliegen.nummer])}"' in inhalt
    for persona in ("qm2", "planung", "admin"):
        antwort = client_fuer(persona).get(_url(anliegen))
        assert antwort.context["operationen"] == []
        assert 'data-testid="aktion-' not in antwort.content.decode()


def test_abgeschlossen_bietet_wieder_oeffnen(lotse, client_fuer):
    anliegen = lotse.erfassen()
    workflow.abschliessen(anliegen, grund="erledigt", durch=lotse.stadt.qm)
    antwort = client_fuer("qm").get(_url(anliegen))
    assert [op["name"] for op in antwort.context["operationen"]] == ["wiedereroeffnen", "notiz"]
    assert "erledigt" in antwort.content.decode()


# --- Verlauf -----------------------------------------------------------------------------


def test_verlauf_mit_interner_notiz(nord, lotse, client_fuer):
    workflow.notiz(nord, text="Nachbar kennt den Verursacher.", durch=lotse.stadt.qm)
    for persona in ("qm", "fb", "planung"):
        inhalt = client_fuer(persona).get(_url(nord)).content.decode()
        # Den Text interner Notizen sieht nur das zuständige QM (er kann Personen nennen).
        assert ("Nachbar kennt den Verursacher." in inhalt) == (persona == "qm")
        assert ">intern</span>" in inhalt
        assert "Weitergeleitet an E 18" in inhalt
        assert "Antwort von E 18: wird umgesetzt." in inhalt


def test_weiterleitung_ueberfaellig_und_zurueckgegeben(lotse, client_fuer):
    anliegen = _weiterleiten(lotse, lotse.erfassen(), lotse.stadtbetrieb, lotse.gruen)
    Weiterleitung.objects.filter(fachbereich=lotse.gruen).update(
        frist=timezone.localdate() - datetime.timedelta(days=2)
    )
    w = anliegen.weiterleitungen.get(fachbereich=lotse.stadtbetrieb)
    workflow.zurueckgeben(w, durch=lotse.stadt.fb, hinweis="Das macht die Straßenreinigung.")
    inhalt = client_fuer("qm").get(_url(anliegen)).content.decode()
    assert inhalt.count(">Antwort überfällig</span>") == 1
    assert "nicht zuständig" in inhalt
    assert "Das macht die Straßenreinigung." in inhalt


def _ereignis(art: str, **daten) -> Ereignis:
    return Ereignis(art=art, daten=daten)


@pytest.mark.parametrize(
    ("art", "daten", "erwartet"),
    [
        ("erfasst", {"nummer": "2026-00001"}, "Anliegen 2026-00001 erfasst."),
        ("weg", {"weg": "kontakt", "vermittelt_an": "Caritas"}, "Vermittelt an: Caritas."),
        ("weg", {"weg": "selbst", "vermittelt_an": ""}, "Weg festgelegt: selbst umsetzen."),
        (
            "weitergeleitet",
            {"fachbereich": "E 18", "frist": "2026-03-05", "kontakt_geteilt": True},
            "Weitergeleitet an E 18, Antwort bis 05.03.2026. Kontakt der meldenden Person geteilt.",
        ),
        ("angenommen", {"fachbereich": "E 18"}, "E 18 hat das Anliegen angenommen."),
        (
            "zurueckgegeben",
            {"fachbereich": "E 18", "zustaendig": "Grünflächen", "hinweis": "Frau Meier"},
            "E 18 ist nicht zuständig. Zuständig ist: Grünflächen; Frau Meier",
        ),
        (
            "beantwortet",
            {
                "fachbereich": "E 18",
                "entscheidung": "nicht_moeglich",
                "antwort": "Kein Geld.",
                "erwartet_am": "",
                "grund": "Keine Haushaltsmittel",
            },
            "Antwort von E 18: nicht möglich. Grund: Keine Haushaltsmittel. „Kein Geld.“",
        ),
        (
            "zwischenbescheid",
            {"fachbereich": "E 18", "antwort": "Wir prüfen."},
            "Zwischenbescheid von E 18: „Wir prüfen.“",
        ),
        (
            "rueckmeldung",
            {"kanal": "email", "erreicht": True, "text": "Hallo"},
            "Rückmeldung gegeben (E-Mail): „Hallo“",
        ),
        (
            "rueckmeldung",
            {"kanal": "telefon", "erreicht": False, "text": "AB"},
            "Rückmeldung versucht, nicht erreicht (Telefon): „AB“",
        ),
        (
            "abgeschlossen",
            {"grund": "duplikat", "ohne_rueckmeldung": "", "zurueckgezogen": ["E 18"]},
            "Abgeschlossen: Duplikat. Weiterleitung zurückgezogen: E 18.",
        ),
        ("wiedereroeffnet", {"grund": "Müll ist zurück"}, "Wieder geöffnet: Müll ist zurück"),
        ("notiz", {"text": "Intern."}, "Intern."),
        ("weg", {"weg": "gibtsnicht"}, "Weg festgelegt: gibtsnicht."),
    ],
)
def test_ereignis_text(art, daten, erwartet):
    assert erwartet in _ereignis(art, **daten).text()


def test_jedes_ereignis_aus_dem_ablauf_hat_einen_satz(nord, lotse):
    workflow.abschliessen(nord, grund="erledigt", durch=lotse.stadt.qm)
    workflow.wiedereroeffnen(nord, grund="Wieder Müll", durch=lotse.stadt.qm)
    for ereignis in nord.ereignisse.all():
        assert ereignis.text() != ereignis.art, ereignis.art


# --- Abfragen ----------------------------------------------------------------------------


def _anzahl_abfragen(client, url) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        assert client.get(url).status_code == 200
    return len(abfragen)


@pytest.mark.parametrize("persona", ["qm", "fb", "planung"])
def test_abfragen_wachsen_nicht_mit_verlauf_und_weiterleitungen(
    nord, lotse, client_fuer, persona, django_assert_max_num_queries
):
    c = client_fuer(persona)
    wenige = _anzahl_abfragen(c, _url(nord))
    _weiterleiten(lotse, nord, lotse.gruen)
    for i in range(8):
        workflow.notiz(nord, text=f"Notiz {i}", durch=lotse.stadt.qm)
        workflow.rueckmelden(nord, text=f"Stand {i}", kanal="telefon", durch=lotse.stadt.qm)
    assert _anzahl_abfragen(c, _url(nord)) == wenige
    # Sitzung, Benutzer, Anliegen (mit Quartier, Thema, Sitzung, Akteur, Zuständigen,
    # Meldenden), Personendaten-Recht (eigene Quartiere bzw. geteilter Kontakt), Weiterleitungen,
    # Rückmeldungen, Verlauf, Knöpfe (Recht), braucht_rueckmeldung (2), Bedarfe, „weiteres
    # Anliegen“ (Recht), Anhänge, Antwortlinks (nur QM), Sitzung speichern (3).
    with django_assert_max_num_queries(17):
        c.get(_url(nord))


def test_interne_notiz_nur_fuer_das_zustaendige_qm(lotse, client_fuer):
    from anliegen import workflow

    a = lotse.erfassen()
    workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    workflow.notiz(a, text=f"Rückruf bei {lotse.NAME} vereinbart", durch=lotse.stadt.qm)
    url = f"/anliegen/{a.nummer}/"
    assert lotse.NAME in client_fuer("qm").get(url).content.decode()
    for persona in ("qm2", "fb", "planung", "admin"):
        inhalt = client_fuer(persona).get(url).content.decode()
        assert lotse.NAME not in inhalt, persona
        assert "Interne Notiz (nur für das zuständige Quartiersmanagement sichtbar)." in inhalt


def test_sozialplanung_sieht_dass_eine_notiz_existiert_nie_ihren_text(nord, lotse, client_fuer):
    # Auch nicht interne Notizen sind Freitext und können Personen nennen.
    workflow.notiz(
        nord, text="Hausmeister Kanarienvogel weiß mehr.", durch=lotse.stadt.fb, intern=False
    )
    workflow.notiz(nord, text="Rückfrage beim Nachbarn.", durch=lotse.stadt.qm, intern=False)
    planung = client_fuer("planung").get(_url(nord)).content.decode()
    assert "Hausmeister Kanarienvogel" not in planung
    assert "Rückfrage beim Nachbarn." not in planung
    assert planung.count("Text nur für Quartiersmanagement und Fachbereiche sichtbar.") == 2
    for persona in ("qm", "qm2", "fb"):
        inhalt = client_fuer(persona).get(_url(nord)).content.decode()
        assert "Hausmeister Kanarienvogel weiß mehr." in inhalt, persona


# --- Verlauf eingeklappt ------------------------------------------------------------------


def _notizen(anliegen, anzahl: int, von) -> None:
    """Viele Einträge auf einmal (ohne je eine Transaktion des Workflows), jünger als alle
    bisherigen."""
    letzter = anliegen.ereignisse.order_by("-zeitpunkt").first().zeitpunkt
    Ereignis.objects.bulk_create(
        Ereignis(
            anliegen=anliegen,
            art="notiz",
            daten={"text": f"Notiz {i:03d}"},
            von=von,
            zeitpunkt=letzter + datetime.timedelta(minutes=i + 1),
        )
        for i in range(anzahl)
    )


def _verlaufseintraege(inhalt: str) -> list[str]:
    teil = inhalt.split('data-testid="verlauf"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", teil, flags=re.S)


def test_verlauf_zeigt_die_neuesten_und_verlinkt_alle(lotse, client_fuer):
    a = lotse.erfassen()
    _notizen(a, 30, lotse.stadt.qm)
    anzahl = a.ereignisse.count()
    assert anzahl == 31
    c = client_fuer("qm")
    inhalt = c.get(_url(a)).content.decode()
    eintraege = _verlaufseintraege(inhalt)
    assert len(eintraege) == VERLAUF_NEUESTE
    # die neuesten, in zeitlicher Folge; „erfasst“ ist der älteste und fehlt
    assert "Notiz 029" in eintraege[-1] and "Notiz 010" in eintraege[0]
    assert "Notiz 009" not in inhalt and f"Anliegen {a.nummer} erfasst." not in inhalt
    assert f"Gezeigt werden die neuesten {VERLAUF_NEUESTE} von {anzahl} Einträgen." in inhalt
    assert 'href="?verlauf=alle#h-verlauf"' in inhalt
    assert f"Alle {anzahl} Einträge anzeigen" in inhalt
    assert 'aria-describedby="verlauf-hinweis"' in inhalt

    alle = c.get(_url(a), {"verlauf": "alle"}).content.decode()
    eintraege = _verlaufseintraege(alle)
    assert len(eintraege) == anzahl
    assert "Notiz 000" in alle and "Notiz 029" in eintraege[-1]
    assert 'data-testid="verlauf-alle"' not in alle
    assert "Gezeigt werden die neuesten" not in alle


def test_kurzer_verlauf_ohne_hinweis(lotse, client_fuer):
    a = lotse.erfassen()
    _notizen(a, VERLAUF_NEUESTE - 1, lotse.stadt.qm)
    inhalt = client_fuer("qm").get(_url(a)).content.decode()
    assert len(_verlaufseintraege(inhalt)) == VERLAUF_NEUESTE
    assert 'data-testid="verlauf-alle"' not in inhalt
    assert 'data-testid="verlauf-hinweis"' not in inhalt


@pytest.mark.parametrize("persona", ["qm", "fb", "planung"])
def test_abfragen_gleich_mit_3_und_400_eintraegen(lotse, client_fuer, persona):
    a = _weiterleiten(lotse, lotse.erfassen())
    _notizen(a, 3 - a.ereignisse.count(), lotse.stadt.qm)
    assert a.ereignisse.count() == 3
    c = client_fuer(persona)
    wenige = _anzahl_abfragen(c, _url(a))
    _notizen(a, 397, lotse.stadt.qm)
    assert _anzahl_abfragen(c, _url(a)) == wenige
    inhalt = c.get(_url(a)).content.decode()
    assert len(_verlaufseintraege(inhalt)) == VERLAUF_NEUESTE
    assert f"Alle {400} Einträge anzeigen" in inhalt
    # auch alle zu zeigen kostet keine weitere Abfrage
    assert _anzahl_abfragen(c, _url(a) + "?verlauf=alle") == wenige


def test_gebuendelte_auch_wenn_die_buendelung_nicht_unter_den_neuesten_steht(lotse, client_fuer):
    haupt = lotse.erfassen(titel="Sperrmüll Hauptanliegen")
    neben = lotse.erfassen(titel="Sperrmüll Nachbarin")
    workflow.buendeln(neben, unter=haupt, durch=lotse.stadt.qm)
    _notizen(haupt, VERLAUF_NEUESTE + 5, lotse.stadt.qm)
    inhalt = client_fuer("qm").get(_url(haupt)).content.decode()
    assert (
        f"Anliegen {neben.nummer} hierunter gebündelt."
        in client_fuer("qm").get(_url(haupt), {"verlauf": "alle"}).content.decode()
    )
    assert "hierunter gebündelt" not in "".join(_verlaufseintraege(inhalt))
    assert 'data-testid="gebuendelte"' in inhalt
    assert f'data-testid="gebuendelt-{neben.nummer}"' in inhalt
