"""Das Messwerkzeug (bench/) mit wenigen Anliegen: der Generator schreibt gültige, stimmige
Daten, und jede Seite, die bench/last.py misst, antwortet damit 200. Keine Zeitgrenzen: die
Messung selbst läuft nur in bench/ (siehe bench/README.md).

Läuft auf SQLite (`bulk_create`) und auf PostgreSQL (COPY), je nach DATABASE_URL."""

import re
from collections import Counter, defaultdict
from collections.abc import Callable

import pytest
from django.db.models import Max, Q
from django.utils import timezone

from anliegen import verlauf
from anliegen.fristen import arbeitstage_dauer
from anliegen.models import (
    OFFENE_WSTATUS,
    OFFENE_ZSTATUS,
    Anliegen,
    Ereignis,
    EreignisArt,
    Meldende,
    Rueckmeldung,
    Weiterleitung,
    Zaehler,
    Zusage,
)
from bench import daten, last
from netzwerke.models import Akteur
from quartier.models import Fachbereich, Kennzahl, Lebensraum, Quartier, Rolle, User

pytestmark = pytest.mark.django_db

ANZAHL = 300
EXPORT = 40


@pytest.fixture
def erzeugt() -> daten.Ergebnis:
    return daten.erzeugen(ANZAHL, export_zeilen=EXPORT, melden=lambda _: None)


def test_generator_schreibt_anliegen_mit_allem_was_dazugehoert(erzeugt):
    assert Anliegen.objects.count() == ANZAHL
    assert Quartier.objects.count() == 60
    assert Fachbereich.objects.count() == 12
    assert Akteur.objects.count() == EXPORT
    assert Lebensraum.objects.count() == 60 + EXPORT
    assert Kennzahl.objects.filter(lebensraum__nummer__startswith="X").count() == EXPORT * 6
    anteil = Anliegen.objects.filter(meldende__isnull=False).count() / ANZAHL
    assert 0.6 < anteil < 0.8
    assert Weiterleitung.objects.filter(status="beantwortet").exists()
    assert Weiterleitung.objects.filter(status="nicht_zustaendig").exists()
    assert Weiterleitung.objects.filter(status__in=OFFENE_WSTATUS).exists()
    assert Zusage.objects.exists()
    assert Rueckmeldung.objects.exists()
    assert len(set(Anliegen.objects.values_list("thema", flat=True))) == 14
    jahre = set(Anliegen.objects.values_list("jahr", flat=True))
    assert len(jahre) >= 3
    # rund fünf Einträge je Anliegen, ohne das eine mit langem Verlauf
    lang = Anliegen.objects.get(titel=daten.LANGER_TITEL)
    assert lang.ereignisse.count() == daten.LANGER_VERLAUF
    uebrige = Ereignis.objects.exclude(anliegen=lang).count() / (ANZAHL - 1)
    assert 4 <= uebrige <= 6
    assert erzeugt.zeilen[Anliegen._meta.db_table] == ANZAHL
    assert {u.username: u.rolle for u in User.objects.all()} == {
        "qm": Rolle.QUARTIERSMANAGEMENT,
        "qm2": Rolle.QUARTIERSMANAGEMENT,
        "fachbereich": Rolle.FACHBEREICH,
        "planung": Rolle.SOZIALPLANUNG,
    }


def test_daten_erfuellen_alle_constraints_und_verlauf_laesst_sich_darstellen(erzeugt):
    # Die Datenbank hat beim Schreiben schon geprüft; validate_constraints prüft dieselben
    # Regeln noch einmal aus Django (und damit auch auf einem Backend, das eine nicht kennt).
    for modell in (Anliegen, Weiterleitung, Zusage, Rueckmeldung, Meldende, Akteur, Lebensraum):
        for objekt in modell._default_manager.all():
            objekt.validate_constraints()
    jetzt = timezone.now()
    erstellt = dict(Anliegen.objects.values_list("pk", "erstellt_am"))
    for ereignis in Ereignis.objects.all():
        assert ereignis.art in EreignisArt.values
        assert verlauf.text(ereignis), ereignis.art
        assert erstellt[ereignis.anliegen_id] <= ereignis.zeitpunkt <= jetzt


def test_nummern_eindeutig_zaehler_und_sequenzen_stimmen(erzeugt):
    zeilen = list(Anliegen.objects.order_by("pk").values_list("jahr", "laufnummer", "nummer"))
    assert all(nummer == f"{jahr}-{lauf:05d}" for jahr, lauf, nummer in zeilen)
    assert len({n for _, _, n in zeilen}) == ANZAHL
    hoechste = dict(
        Anliegen.objects.values("jahr").annotate(m=Max("laufnummer")).values_list("jahr", "m")
    )
    assert dict(Zaehler.objects.values_list("jahr", "letzte")) == hoechste
    # ids folgen der Zeit wie im Betrieb
    zeiten = list(Anliegen.objects.order_by("pk").values_list("erstellt_am", flat=True))
    assert zeiten == sorted(zeiten)
    # Nach COPY mit eigenen ids vergibt die Datenbank die nächsten ohne Kollision.
    Meldende.objects.create(name="Neu")
    Akteur.objects.create(name="Neuer Akteur", art="verein")
    Lebensraum.objects.create(
        nummer="N1",
        name="Neu",
        sozialraum_id=Lebensraum.objects.first().sozialraum_id,
        einwohner=1,
        kategorie="stabil",
    )


def test_status_passt_zu_weg_weiterleitungen_und_rueckmeldungen(erzeugt):
    weiterleitungen = defaultdict(list)
    for w in Weiterleitung.objects.all():
        weiterleitungen[w.anliegen_id].append(w)
    erreicht = set(Rueckmeldung.objects.filter(erreicht=True).values_list("anliegen_id", flat=True))
    status = Counter()
    for a in Anliegen.objects.select_related("meldende"):
        status[a.status] += 1
        ws = weiterleitungen[a.pk]
        offen = [w for w in ws if w.status in OFFENE_WSTATUS]
        beantwortet = [w for w in ws if w.status == "beantwortet"]
        if a.status == "neu":
            assert a.weg == "" and not ws
        if a.weg in ("selbst", "kontakt", "bedarf"):
            assert not ws and a.status in ("in_bearbeitung", "abgeschlossen")
        if a.weg == "weiterleiten":
            assert ws
            erwartet = ("weitergeleitet",) if offen else ("antwort_liegt_vor", "abgeschlossen")
            assert a.status in erwartet, (a.nummer, a.status)
        if a.status == "abgeschlossen":
            assert a.abschlussgrund and a.abgeschlossen_am >= a.erstellt_am
            # Die Zusage des Produkts: wer eine Antwort wollte, hat sie erfahren.
            if beantwortet and a.meldende and a.meldende.rueckmeldung_gewuenscht:
                assert a.pk in erreicht, a.nummer
        else:
            assert not a.abschlussgrund and a.abgeschlossen_am is None
        if a.rueckmeldung_offen_seit:
            assert beantwortet and a.meldende and a.meldende.rueckmeldung_gewuenscht
        for w in ws:
            if w.beantwortet_am:
                assert w.erstellt_am <= w.beantwortet_am
                dauer = arbeitstage_dauer(w.erstellt_am, w.beantwortet_am)
                assert w.antwort_arbeitstage == dauer, a.nummer
            if w.angenommen_am:
                assert w.erstellt_am <= w.angenommen_am <= (w.beantwortet_am or w.angenommen_am)
    assert {"in_bearbeitung", "weitergeleitet", "abgeschlossen"} <= set(status)
    for zusage in Zusage.objects.select_related("weiterleitung"):
        assert zusage.weiterleitung.entscheidung == "wird_umgesetzt"
        assert (zusage.status in OFFENE_ZSTATUS) == (zusage.erledigt_am is None)
    assert not Rueckmeldung.objects.filter(erreicht=True, wartezeit_arbeitstage=None).exists()
    assert not Rueckmeldung.objects.filter(~Q(erreicht=True), ~Q(wartezeit_arbeitstage=None))


def test_alle_gemessenen_seiten_und_exporte_antworten_200(erzeugt):
    im_prozess = last.ImProzess(last.sitzungen())
    seiten, exporte = last.seiten_finden(im_prozess.holen)
    assert len(seiten) == 11
    assert {e.name for e in exporte} >= {"Lebensräume XLSX (Versorgung)", "Akteure CSV"}
    for seite in [*seiten, *exporte]:
        status, abfragen = im_prozess.abfragen(seite.konto, seite.url)
        assert status == 200, (seite.name, seite.url)
        assert abfragen > 0
    detail = next(s for s in seiten if s.name.startswith("Detail"))
    assert detail.hinweis == Anliegen.objects.get(titel=daten.LANGER_TITEL).nummer
    # 300 Anliegen, 50 je Seite: Seite 500 gibt es nicht, gemessen wird die letzte (ob über
    # `page=` oder `rel="next"` gefunden).
    tief = next(s for s in seiten if "Seite 500" in s.name)
    assert re.match(r"Seite 6\b", tief.hinweis), tief.hinweis


def test_tabelle_ergaenzt_vorgaben_nicht_genannter_felder():
    """COPY kennt keine Vorgaben aus Python: ein Feld, das der Generator nicht nennt (etwa ein
    später hinzugekommenes), bekommt trotzdem seine Vorgabe."""
    tabelle = daten.Tabelle(Akteur, ["id", "name", "art"])
    assert {f.name for f, _wert in tabelle.vorgaben} >= {"ort", "aktiv", "version", "strasse"}
    tabelle.add(99_001, "Nur mit Namen", "verein")
    tabelle.schreiben()
    akteur = Akteur.objects.get(pk=99_001)
    assert (akteur.ort, akteur.aktiv, akteur.version, akteur.strasse) == ("Aachen", True, 0, "")
    assert akteur.geaendert_am is not None


@pytest.mark.parametrize("vorhanden", [True, False])
def test_fakten_aufbauen_laeuft_am_ende_wenn_es_den_befehl_gibt(monkeypatch, vorhanden):
    aufrufe = []
    befehle = {"migrate": "django.core"} | ({"fakten_aufbauen": "anliegen"} if vorhanden else {})
    monkeypatch.setattr(daten, "get_commands", lambda: befehle)
    monkeypatch.setattr(daten, "call_command", lambda name, *a, **k: aufrufe.append(name))
    ergebnis = daten.erzeugen(20, export_zeilen=5, melden=lambda _: None)
    assert aufrufe == (["fakten_aufbauen"] if vorhanden else [])
    assert ergebnis.fakten is vorhanden


# --- Seiten finden: beide Formen des Blätterns -------------------------------------------


def _holen(seiten: dict[str, str]) -> Callable[[str, str], last.Antwort]:
    return lambda konto, url: last.Antwort(200, seiten[url].encode(), "text/html")


def test_tiefe_seite_mit_nummern_springt_direkt_und_nimmt_hoechstens_die_letzte():
    seite = (
        '<a href="?status=&amp;page=2" rel="next">Nächste Seite</a>'
        '<a href="?status=&amp;page=40">Letzte Seite</a>'
    )
    holen = _holen({"/anliegen/?status=": seite})
    url, hinweis = last.tiefe_seite(holen, "qm", "/anliegen/?status=", 500)
    assert url == "/anliegen/?status=&page=40"
    assert hinweis.startswith("Seite 40 von 40")
    assert last.letzte_seite(holen, "qm", "/anliegen/?status=") == (
        url,
        "Seite 40, Link „Letzte Seite“",
    )


def test_tiefe_seite_ohne_nummern_folgt_rel_next_bis_zur_letzten():
    seiten = {
        "/anliegen/": '<a rel="next" href="?nach=a">weiter</a><a rel="last" href="?ende=1">x</a>',
        "/anliegen/?nach=a": '<a href="/anliegen/?nach=b" rel="prev next">Weiter</a>',
        "/anliegen/?nach=b": '<a rel="prev" href="?nach=a">zurück</a>',
    }
    url, hinweis = last.tiefe_seite(_holen(seiten), "qm", "/anliegen/", 500)
    assert (url, hinweis) == ("/anliegen/?nach=b", "Seite 3, über rel=next")
    assert last.tiefe_seite(_holen(seiten), "qm", "/anliegen/", 2)[0] == "/anliegen/?nach=a"
    letzte = last.letzte_seite(_holen(seiten), "qm", "/anliegen/")
    assert letzte == ("/anliegen/?ende=1", "über rel=last")
