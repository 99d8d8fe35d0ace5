"""Verdichtete Fakten der Auswertung (anliegen/fakten.py): dieselben Zahlen wie direkt aus den
Quelltabellen – für zufällige Welten und Änderungen (fester Startwert), für jeden Weg, auf dem
sich Quelldaten ändern, und für Zeiträume mit angebrochenen Monaten; die Auswertung liest die
Quelltabellen nicht mehr, ihre Abfragezahl hängt nicht von der Zahl der Anliegen ab."""

import datetime
import random
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from anliegen import auswertung, fakten
from anliegen.auswertung import Auswahl
from anliegen.models import (
    Anliegen,
    Bedarf,
    Meldende,
    Rueckmeldung,
    Tagesfakt,
    Thema,
    Weiterleitung,
    Zusage,
)
from netzwerke.models import Akteur, Akteursart

AKTEURSART = Akteursart.SCHULE

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
HEUTE = datetime.date(2025, 11, 20)


class Zufallswelt:
    """Anliegen mit Bedarfen, Meldenden (mit und ohne Wunsch nach Rückmeldung, anonym, über
    einen Akteur), Weiterleitungen in jedem Status, Zusagen und Rückmeldungen – alles über das
    ORM wie Fabriken, Admin und Demodaten, nie über den Workflow."""

    def __init__(self, lotse, startwert: int) -> None:
        self.zufall = random.Random(startwert)
        self.lotse = lotse
        s = lotse.stadt
        self.quartiere = [s.nord, s.sued, s.berg]
        self.themen = [lotse.muell, lotse.beratung, Thema.objects.create(name="Verkehr")]
        self.bedarfe = [lotse.sauberkeit, *(Bedarf.objects.create(name=f"B{i}") for i in range(3))]
        self.fachbereiche = [lotse.stadtbetrieb, lotse.gruen]
        self.akteur = Akteur.objects.create(name="Verein am Markt", art=AKTEURSART)
        self.anliegen: list[Anliegen] = []
        for _ in range(25):
            self.neues_anliegen()

    def zeitpunkt(self) -> datetime.datetime:
        z = self.zufall
        tag = datetime.date(2024, 12, 1) + datetime.timedelta(days=z.randrange(430))
        # auch knapp um Mitternacht (Ortszeit) und an den Tagen der Zeitumstellung
        if z.random() < 0.15:
            tag = z.choice([datetime.date(2025, 3, 30), datetime.date(2025, 10, 26)])
        stunde, minute = z.choice([(0, 5), (23, 55), (11, 0), (15, 30), (0, 59)])
        return datetime.datetime.combine(tag, datetime.time(stunde, minute), BERLIN)

    def meldende(self) -> dict:
        art = self.zufall.choice(["gewuenscht", "nicht", "anonym", "akteur"])
        if art == "anonym":
            return {"meldende": None}
        if art == "akteur":
            return {"meldende": None, "akteur": self.akteur}
        return {"meldende": Meldende.objects.create(rueckmeldung_gewuenscht=art == "gewuenscht")}

    def neues_anliegen(self) -> Anliegen:
        z = self.zufall
        nr = len(self.anliegen) + 1
        erstellt = self.zeitpunkt()
        weg = z.choice(["", "selbst", "kontakt", "bedarf", "weiterleiten", "weiterleiten"])
        a = Anliegen.objects.create(
            jahr=erstellt.year,
            laufnummer=nr,
            nummer=f"Z{erstellt.year}-{nr:04d}",
            titel="Zufall",
            beschreibung="Zufall",
            quartier=z.choice(self.quartiere),
            thema=z.choice(self.themen),
            art="beschwerde",
            kanal="sprechstunde",
            zustaendig=self.lotse.stadt.qm,
            weg=weg,
            erstellt_am=erstellt,
            **self.meldende(),
            **(
                {
                    "status": "abgeschlossen",
                    "abschlussgrund": "erledigt",
                    "abgeschlossen_am": erstellt + datetime.timedelta(days=3),
                }
                if z.random() < 0.3
                else {"status": "in_bearbeitung"}
            ),
        )
        a.bedarfe.set(z.sample(self.bedarfe, z.randrange(3)))
        for fb in z.sample(self.fachbereiche, z.randrange(3) if weg == "weiterleiten" else 0):
            self.weiterleitung(a, fb)
        if z.random() < 0.5:
            self.rueckmeldung(a)
        self.anliegen.append(a)
        return a

    def weiterleitung(self, a: Anliegen, fb) -> Weiterleitung:
        z = self.zufall
        status = z.choice(
            ["offen", "in_bearbeitung", "beantwortet", "beantwortet"] + ["nicht_zustaendig"]
        )
        erstellt = a.erstellt_am + datetime.timedelta(days=z.randrange(3))
        beantwortet = erstellt + datetime.timedelta(days=z.randrange(20), hours=z.choice([1, 12]))
        entscheidung = ""
        if status == "beantwortet":
            entscheidung = z.choice(
                ["umgesetzt", "wird_umgesetzt", "wird_umgesetzt", "nicht_moeglich"]
            )
        w = Weiterleitung.objects.create(
            anliegen=a,
            fachbereich=fb,
            nachricht="Bitte",
            frist=(erstellt + datetime.timedelta(days=z.randrange(4, 15))).date(),
            status=status,
            entscheidung=entscheidung,
            ablehnungsgrund=self.lotse.kein_geld if entscheidung == "nicht_moeglich" else None,
            erstellt_von=self.lotse.stadt.qm,
            erstellt_am=erstellt,
            angenommen_am=beantwortet if status != "offen" and z.random() < 0.8 else None,
            beantwortet_am=beantwortet if status in ("beantwortet", "nicht_zustaendig") else None,
            antwort_arbeitstage=z.randrange(15)
            if status in ("beantwortet", "nicht_zustaendig")
            else None,
        )
        if entscheidung == "wird_umgesetzt":
            erledigt = z.choice(["offen", "eingehalten", "entfallen"])
            Zusage.objects.create(
                weiterleitung=w,
                zugesagt_fuer=HEUTE,
                faellig_am=HEUTE,
                status=erledigt,
                erledigt_am=None if erledigt == "offen" else beantwortet,
            )
        return w

    def rueckmeldung(self, a: Anliegen) -> Rueckmeldung:
        z = self.zufall
        erreicht = z.random() < 0.8
        return Rueckmeldung.objects.create(
            anliegen=a,
            text="Rückmeldung",
            kanal="telefon",
            erreicht=erreicht,
            zeitpunkt=a.erstellt_am + datetime.timedelta(days=5),
            von=self.lotse.stadt.qm,
            wartezeit_arbeitstage=z.randrange(12) if erreicht and z.random() < 0.8 else None,
        )

    def aendern(self) -> None:
        """Ein zufälliger Schritt, wie ihn Workflow, Admin oder Datenschutz gehen."""
        z = self.zufall
        a = z.choice(self.anliegen)
        schritt = z.randrange(12)
        if schritt == 0:
            a.weg = z.choice(["selbst", "kontakt", "bedarf", "weiterleiten"])
            a.save(update_fields=["weg", "version"])
        elif schritt == 1:  # anderes Quartier: die alte Scheibe verliert, die neue gewinnt
            a.quartier = z.choice(self.quartiere)
            a.save()
        elif schritt == 2:
            a.thema = z.choice(self.themen)
            a.save(update_fields=["thema"])
        elif schritt == 3:
            a.bedarfe.add(z.choice(self.bedarfe))
        elif schritt == 4:
            a.bedarfe.clear()
        elif schritt == 5:  # von der Seite des Bedarfs her
            z.choice(self.bedarfe).anliegen.remove(a)
        elif schritt == 6:
            self.weiterleitung(a, z.choice(self.fachbereiche))
        elif schritt == 7 and (w := a.weiterleitungen.order_by("?").first()):
            w.status, w.entscheidung = "beantwortet", "umgesetzt"
            w.beantwortet_am = w.erstellt_am + datetime.timedelta(days=2)
            w.antwort_arbeitstage = 2
            w.save()
        elif schritt == 8:
            self.rueckmeldung(a)
        elif schritt == 9 and (r := a.rueckmeldungen.first()):
            r.delete()
        elif schritt == 10 and a.meldende_id:
            if z.random() < 0.5:
                m = a.meldende
                m.rueckmeldung_gewuenscht = not m.rueckmeldung_gewuenscht
                m.save()
            else:
                a.meldende.delete()  # Anliegen.meldende wird leer (SET_NULL)
                a.meldende = None
        elif schritt == 11 and (zusage := Zusage.objects.filter(weiterleitung__anliegen=a).first()):
            zusage.status, zusage.erledigt_am = "entfallen", a.erstellt_am
            zusage.save()
        else:
            a.abgeschlossen_am = None if a.abgeschlossen_am else a.erstellt_am
            a.save(update_fields=["abgeschlossen_am"])


def _auswahlen(welt: Zufallswelt) -> list[dict]:
    s = welt.lotse.stadt
    d = datetime.date
    return [
        {},
        {"von": d(2025, 1, 1), "bis": d(2025, 12, 31)},
        {"von": d(2024, 12, 15), "bis": d(2025, 11, 20)},  # zwei angebrochene Monate
        {"von": d(2025, 3, 30), "bis": d(2025, 3, 30)},  # ein Tag (Zeitumstellung)
        {"von": d(2025, 10, 1), "bis": d(2025, 10, 26)},
        {"von": d(2025, 10, 26), "bis": d(2025, 10, 31)},
        {"von": d(2025, 6, 10)},
        {"bis": d(2025, 6, 10)},
        {"bis": d(2025, 5, 31)},
        {"von": d(2025, 7, 1), "bis": d(2025, 6, 1)},  # leer
        {"quartier": s.nord},
        {"bezirk": s.sued.bezirk, "von": d(2025, 2, 3), "bis": d(2025, 9, 9)},
        {"sozialraum": s.lr_nord.sozialraum},
        {"thema": welt.lotse.muell, "von": d(2025, 4, 1), "bis": d(2025, 4, 30)},
        {"thema": welt.lotse.beratung, "quartier": s.sued},
    ]


def _alles(auswahl: Auswahl) -> dict:
    ergebnis = {
        name: list(tabelle(auswahl).zeilen) for name, tabelle in auswertung.TABELLEN.items()
    }
    ergebnis["uhren"] = auswertung.uhren(auswahl)
    ergebnis["anzahl"] = auswertung.anzahl_anliegen(auswahl)
    return ergebnis


def _vergleichen(welt: Zufallswelt) -> None:
    for filter_ in _auswahlen(welt):
        aus_fakten = Auswahl(heute=HEUTE, **filter_)
        assert aus_fakten.mit_fakten
        quelle = Auswahl(heute=HEUTE, ohne_fakten=True, **filter_)
        assert _alles(aus_fakten) == _alles(quelle), filter_


@pytest.mark.parametrize("startwert", [1, 2, 3])
def test_fakten_gleich_der_rechnung_aus_den_quelltabellen(lotse, startwert):
    welt = Zufallswelt(lotse, startwert)
    assert Tagesfakt.objects.exists()
    _vergleichen(welt)
    for _ in range(3):
        for _ in range(12):
            welt.aendern()
        _vergleichen(welt)
    # Schritt für Schritt nachgezogen ist dasselbe wie neu aufgebaut.
    assert fakten.abweichungen() == 0


def test_quelldaten_sind_nicht_leer(lotse):
    """Die Zufallswelt trifft jede Zahl mindestens einmal (sonst vergliche sie Nullen)."""
    welt = Zufallswelt(lotse, 1)
    for _ in range(35):
        welt.neues_anliegen()
    werte = _alles(Auswahl(heute=HEUTE))
    assert werte["uhren"]["antwort"]["anzahl"] and werte["uhren"]["rueckmeldung"]["anzahl"]
    assert werte["uhren"]["beantwortet"] and werte["ablehnungen"] and werte["wissenspool"]
    assert any(z["ueberfaellig"] for z in werte["fachbereiche"])
    assert any(z["zusagen"] for z in werte["fachbereiche"])
    assert len(welt.anliegen) == werte["anzahl"]


def test_zurueckgerollter_schritt_laesst_die_fakten_wie_sie_waren(lotse):
    welt = Zufallswelt(lotse, 4)
    vorher = sorted(Tagesfakt.objects.values_list(*fakten.SPALTEN, "anzahl"))
    with pytest.raises(RuntimeError), transaction.atomic():
        welt.neues_anliegen()
        raise RuntimeError
    assert sorted(Tagesfakt.objects.values_list(*fakten.SPALTEN, "anzahl")) == vorher


def test_quartierwechsel_zieht_beide_scheiben_nach(lotse):
    s = lotse.stadt
    a = lotse.erfassen()
    nord = Auswahl(quartier=s.nord)
    assert auswertung.anzahl_anliegen(nord) == 1
    a.quartier = s.sued
    a.save(update_fields=["quartier"])
    assert auswertung.anzahl_anliegen(Auswahl(quartier=s.nord)) == 0
    assert auswertung.anzahl_anliegen(Auswahl(quartier=s.sued)) == 1


def test_geloeschte_meldende_person_schuldet_keine_rueckmeldung_mehr(lotse):
    from anliegen import workflow

    a = lotse.erfassen()
    (w,) = workflow.weiterleiten(
        a, an=[lotse.stadtbetrieb], nachricht="Bitte", durch=lotse.stadt.qm
    )
    w = workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(w, entscheidung="umgesetzt", antwort="Erledigt.", durch=lotse.stadt.fb)
    assert auswertung.uhren(Auswahl())["beantwortet"] == 1
    Meldende.objects.get(pk=a.meldende_id).delete()
    assert auswertung.uhren(Auswahl())["beantwortet"] == 0
    assert fakten.abweichungen() == 0


def test_auswertung_liest_die_quelltabellen_nicht(lotse, client_fuer):
    Zufallswelt(lotse, 5)
    client = client_fuer("planung")
    client.get("/auswertung/anliegen/")
    with CaptureQueriesContext(connection) as abfragen:
        assert client.get("/auswertung/anliegen/", {"von": "15.01.2025"}).status_code == 200
    tabellen = ("anliegen_anliegen", "anliegen_weiterleitung", "anliegen_rueckmeldung")
    gelesen = [q["sql"] for q in abfragen.captured_queries if any(t in q["sql"] for t in tabellen)]
    assert gelesen == []
    # mit Bedarf (mehrwertig) rechnet sie weiter direkt
    assert not Auswahl(bedarf=lotse.sauberkeit).mit_fakten


def _abfragen_der_auswertung(auswahl: Auswahl) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        _alles(auswahl)
    return len(abfragen.captured_queries)


def test_abfragezahl_haengt_nicht_an_der_zahl_der_anliegen(lotse):
    welt = Zufallswelt(lotse, 6)
    ort = {"quartier": lotse.stadt.nord, "von": datetime.date(2025, 1, 10)}
    vorher = _abfragen_der_auswertung(Auswahl(heute=HEUTE))
    vorher_ort = _abfragen_der_auswertung(Auswahl(heute=HEUTE, **ort))
    for _ in range(30):
        welt.neues_anliegen()
    assert _abfragen_der_auswertung(Auswahl(heute=HEUTE)) == vorher
    assert _abfragen_der_auswertung(Auswahl(heute=HEUTE, **ort)) == vorher_ort


def test_befehl_baut_auf_und_prueft(lotse, capsys):
    Zufallswelt(lotse, 7)
    call_command("fakten_aufbauen", "--pruefen")
    assert "stimmen" in capsys.readouterr().out
    # an den Signalen vorbei geschrieben (wie COPY oder QuerySet.update): die Prüfung merkt es
    Anliegen.objects.update(weg="selbst")
    with pytest.raises(CommandError, match="weichen"):
        call_command("fakten_aufbauen", "--pruefen")
    call_command("fakten_aufbauen")
    assert "neu aufgebaut" in capsys.readouterr().out
    call_command("fakten_aufbauen", "--pruefen")
    _vergleichen_einfach()


def _vergleichen_einfach() -> None:
    assert _alles(Auswahl(heute=HEUTE)) == _alles(Auswahl(heute=HEUTE, ohne_fakten=True))


def test_ohne_anliegen_baut_der_befehl_nichts(db):
    assert fakten.aufbauen() == 0
    assert not Tagesfakt.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="Sperren gibt es nur auf PostgreSQL")
def test_gleichzeitige_schritte_im_selben_monat_zaehlen_jeden_einmal(lotse):
    import threading

    from django.db import connections

    from anliegen import workflow

    vorhanden = [lotse.erfassen() for _ in range(3)]
    start = threading.Barrier(6)

    def erfassen() -> None:
        try:
            start.wait()
            lotse.erfassen()
        finally:
            connections.close_all()

    def weiterleiten(a: Anliegen) -> None:
        try:
            start.wait()
            workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
        finally:
            connections.close_all()

    faeden = [threading.Thread(target=erfassen) for _ in range(3)]
    faeden += [threading.Thread(target=weiterleiten, args=(a,)) for a in vorhanden]
    for f in faeden:
        f.start()
    for f in faeden:
        f.join(timeout=60)
    assert auswertung.anzahl_anliegen(Auswahl()) == 6
    assert sum(z["weitergeleitet"] for z in auswertung.grund_monate(Auswahl()).values()) == 3
    assert fakten.abweichungen() == 0
