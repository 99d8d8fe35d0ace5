"""Blättern über Zeiger (quartier/blaettern.py) in der Liste der Anliegen und im Posteingang:
jede Sortierung vorwärts und rückwärts vollständig und ohne Doppelte, Links mit rel und
Filtern, kaputte Zeiger, alte Seitenzahlen, begrenzte Anzahl, gleich viele Abfragen auf der
ersten, einer mittleren und der letzten Seite mit 1 und mit 120 Anliegen."""

import base64
import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anliegen import workflow
from anliegen.models import Anliegen, Status, Weiterleitung, WStatus
from anliegen.permissions import sichtbare_anliegen
from tests.conftest import PERSONAS

LISTE = "/anliegen/"
EINGANG = "/eingang/"
ALLE = {"q": "", "status": ""}  # alle Anliegen, ohne Vorgaben


def _nummern(antwort) -> list[str]:
    return [zeile["anliegen"].nummer for zeile in antwort.context["zeilen"]]


def _eingang_pks(antwort) -> list[int]:
    return [w.pk for w in antwort.context["blatt"].zeilen]


def _link(antwort, rel: str) -> str | None:
    """Der Link mit diesem rel aus dem HTML (so folgt ihm auch der Benchmark)."""
    treffer = re.search(rf'href="([^"]*)" rel="{rel}"', antwort.content.decode())
    return treffer.group(1).replace("&amp;", "&") if treffer else None


def _zeiger(daten) -> str:
    roh = json.dumps(daten).encode()
    return base64.urlsafe_b64encode(roh).decode().rstrip("=")


def _vervielfaeltigen(vorlage: Anliegen, anzahl: int, *, fachbereiche=()) -> list[Anliegen]:
    """`anzahl` Kopien (ohne Person), reihum in den Status und mit gleichen Zeitpunkten je
    zwei Zeilen (Gleichstände prüfen den eindeutigen Schlüssel); je Fachbereich eine
    Weiterleitung."""
    felder = [
        f.attname
        for f in Anliegen._meta.concrete_fields
        if not f.primary_key and not f.generated and f.attname != "einreichung"
    ]
    basis = max(Anliegen.objects.values_list("laufnummer", flat=True))
    jetzt = timezone.now()
    kopien = []
    for i in range(anzahl):
        werte = {f: getattr(vorlage, f) for f in felder}
        status = Status.values[i % len(Status.values)]
        werte.update(
            laufnummer=basis + 1 + i,
            nummer=f"{vorlage.jahr}-{basis + 1 + i:05d}",
            meldende_id=None,
            status=status,
            abschlussgrund="erledigt" if status == Status.ABGESCHLOSSEN else "",
            erstellt_am=jetzt - datetime.timedelta(hours=i // 2),
        )
        kopien.append(Anliegen(**werte))
    Anliegen.objects.bulk_create(kopien)
    kopien = list(Anliegen.objects.filter(nummer__in=[k.nummer for k in kopien]))
    w_felder = [
        f.attname
        for f in Weiterleitung._meta.concrete_fields
        if not f.primary_key and not f.generated
    ]
    if fachbereiche:
        muster = Weiterleitung.objects.filter(anliegen=vorlage).first()
        assert muster, "die Vorlage braucht eine Weiterleitung"
        neue = []
        for i, kopie in enumerate(kopien):
            for fb in fachbereiche:
                werte = {f: getattr(muster, f) for f in w_felder}
                werte.update(
                    anliegen_id=kopie.pk,
                    fachbereich_id=fb.pk,
                    status=WStatus.BEANTWORTET if i % 3 == 0 else WStatus.OFFEN,
                    entscheidung="umgesetzt" if i % 3 == 0 else "",
                    frist=muster.frist + datetime.timedelta(days=i % 4),
                    erstellt_am=jetzt - datetime.timedelta(hours=i // 2),
                )
                neue.append(Weiterleitung(**werte))
        Weiterleitung.objects.bulk_create(neue)
    return kopien


@pytest.fixture
def vorlage(lotse):
    a = lotse.erfassen(titel="Vorlage", meldende=None)
    workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="Bitte.", durch=lotse.stadt.qm)
    a.refresh_from_db()
    return a


@pytest.fixture
def viele(lotse, stadt, vorlage):
    """13 Anliegen in zwei Quartieren, allen Status und mit Gleichständen der Zeit."""
    kopien = _vervielfaeltigen(vorlage, 12, fachbereiche=[lotse.stadtbetrieb])
    Anliegen.objects.filter(pk__in=[k.pk for k in kopien[::3]]).update(quartier=stadt.sued)
    return list(Anliegen.objects.all())


# Die Reihenfolgen, unabhängig vom Code der Liste aufgeschrieben (Rang = Reihenfolge in Status).
def _rang(a) -> int:
    return Status.values.index(a.status)


def _zeit(a) -> float:
    return a.erstellt_am.timestamp()


REFERENZ = {
    "": lambda a: (-_zeit(a), -a.pk),
    "-erfasst": lambda a: (-_zeit(a), -a.pk),
    "erfasst": lambda a: (_zeit(a), a.pk),
    "nummer": lambda a: (a.jahr, a.laufnummer),
    "-nummer": lambda a: (-a.jahr, -a.laufnummer),
    "status": lambda a: (_rang(a), -_zeit(a), -a.pk),
    "-status": lambda a: (-_rang(a), -_zeit(a), -a.pk),
}


def _referenz(anliegen, sortierung):
    if sortierung in ("quartier", "-quartier"):
        # Name auf-/absteigend, darin neueste zuerst (wie vorher)
        gruppen = sorted({a.quartier.name for a in anliegen}, reverse=sortierung == "-quartier")
        return [
            a.nummer
            for name in gruppen
            for a in sorted(
                (a for a in anliegen if a.quartier.name == name), key=REFERENZ["-erfasst"]
            )
        ]
    return [a.nummer for a in sorted(anliegen, key=REFERENZ[sortierung])]


@pytest.fixture
def klein(monkeypatch):
    monkeypatch.setattr("anliegen.views.liste.SEITENGROESSE", 4)
    monkeypatch.setattr("anliegen.views.eingang.SEITENGROESSE", 4)


@pytest.mark.parametrize("sortierung", [*REFERENZ, "quartier", "-quartier"])
def test_jede_sortierung_vorwaerts_und_rueckwaerts_vollstaendig(
    viele, klein, client_fuer, sortierung
):
    c = client_fuer("planung")
    erwartet = _referenz(viele, sortierung)
    parameter = {**ALLE, "sortierung": sortierung} if sortierung else ALLE
    antwort = c.get(LISTE, parameter)
    vorwaerts = _nummern(antwort)
    while weiter := _link(antwort, "next"):
        assert "sortierung=" in weiter or not sortierung
        antwort = c.get(LISTE + weiter)
        vorwaerts += _nummern(antwort)
    assert vorwaerts == erwartet
    antwort = c.get(LISTE + _link(c.get(LISTE, parameter), "last"))
    rueckwaerts = _nummern(antwort)
    assert len(rueckwaerts) == 4
    while zurueck := _link(antwort, "prev"):
        antwort = c.get(LISTE + zurueck)
        rueckwaerts = _nummern(antwort) + rueckwaerts
    assert rueckwaerts == erwartet


def test_links_am_rand_und_in_der_mitte(viele, klein, client_fuer):
    c = client_fuer("planung")
    erste = c.get(LISTE, ALLE)
    inhalt = erste.content.decode()
    assert '<nav class="ql-seiten" aria-label="Seiten der Anliegen"' in inhalt
    assert [_link(erste, r) is not None for r in ("first", "prev", "next", "last")] == [
        False,
        False,
        True,
        True,
    ]
    mitte = c.get(LISTE + _link(erste, "next"))
    assert all(_link(mitte, r) for r in ("first", "prev", "next", "last"))
    assert _nummern(c.get(LISTE + _link(mitte, "first"))) == _nummern(erste)
    letzte = c.get(LISTE + _link(erste, "last"))
    assert [_link(letzte, r) is not None for r in ("first", "prev", "next", "last")] == [
        True,
        True,
        False,
        False,
    ]
    # Zurück von der zweiten Seite ist wieder die erste
    assert _nummern(c.get(LISTE + _link(mitte, "prev"))) == _nummern(erste)


def test_eine_seite_ohne_blaetterleiste(vorlage, client_fuer):
    antwort = client_fuer("planung").get(LISTE, ALLE)
    assert _nummern(antwort) == [vorlage.nummer]
    assert 'class="ql-seiten"' not in antwort.content.decode()


def test_links_behalten_filter_und_sortierung(viele, klein, stadt, client_fuer):
    c = client_fuer("qm")
    parameter = {"q": "", "status": "", "quartier": stadt.nord.pk, "sortierung": "status"}
    antwort = c.get(LISTE, parameter)
    for rel in ("next", "last"):
        link = _link(antwort, rel)
        assert f"quartier={stadt.nord.pk}" in link and "sortierung=status" in link
    nord = [a for a in viele if a.quartier_id == stadt.nord.pk]
    gesehen = _nummern(antwort)
    while weiter := _link(antwort, "next"):
        antwort = c.get(LISTE + weiter)
        gesehen += _nummern(antwort)
    assert gesehen == _referenz(nord, "status")


def test_sortierlinks_beginnen_auf_der_ersten_seite(viele, klein, client_fuer):
    c = client_fuer("planung")
    zweite = c.get(LISTE + _link(c.get(LISTE, ALLE), "next"))
    assert "blatt=" not in zweite.context["sortierung"]["nummer"]["url"]


def test_vorgaben_bleiben_beim_blaettern(viele, klein, client_fuer):
    """Erster Aufruf ohne Parameter: QM nur offene in eigenen Quartieren – auch auf Seite 2."""
    c = client_fuer("qm")
    erste = c.get(LISTE)
    weiter = _link(erste, "next")
    assert "status=offen" in weiter and "nur_meine=on" in weiter
    alle = _nummern(erste)
    antwort = erste
    while weiter := _link(antwort, "next"):
        antwort = c.get(LISTE + weiter)
        alle += _nummern(antwort)
    offen_nord = [
        a for a in viele if a.status != Status.ABGESCHLOSSEN and a.quartier.slug == "nord"
    ]
    assert alle == _referenz(offen_nord, "-erfasst")


def test_htmx_blaettert_im_ergebnis(viele, klein, client_fuer):
    c = client_fuer("planung")
    weiter = _link(c.get(LISTE, ALLE), "next")
    antwort = c.get(LISTE + weiter, headers={"HX-Request": "true"})
    inhalt = antwort.content.decode()
    assert inhalt.lstrip().startswith('<div id="ergebnis"')
    assert 'hx-target="#ergebnis"' in inhalt and 'rel="next"' in inhalt


# --- kaputte Zeiger und alte Links -------------------------------------------------------


def _gueltige_werte(a: Anliegen) -> list:
    return [a.erstellt_am.isoformat(), a.pk]


KAPUTT = {
    "kein base64": "%%%",
    "kein JSON": base64.urlsafe_b64encode(b"\xff\xfe kaputt").decode(),
    "JSON-Liste": _zeiger([1, 2, 3]),
    "ohne Werte": _zeiger({"k": "anliegen:-erfasst", "r": "nach"}),
    "falsche Richtung": _zeiger({"k": "anliegen:-erfasst", "r": "quer", "w": ["x", 1]}),
    "andere Sortierung": _zeiger(
        {"k": "anliegen:nummer", "r": "nach", "w": ["2026-01-01T00:00:00+00:00", 1]}
    ),
    "zu wenige Werte": _zeiger({"k": "anliegen:-erfasst", "r": "nach", "w": [1]}),
    "Text statt Zahl": _zeiger(
        {"k": "anliegen:-erfasst", "r": "nach", "w": ["2026-01-01T00:00:00+00:00", "1"]}
    ),
    "Kommazahl": _zeiger(
        {"k": "anliegen:-erfasst", "r": "nach", "w": ["2026-01-01T00:00:00+00:00", 1.5]}
    ),
    "Wahrheitswert": _zeiger(
        {"k": "anliegen:-erfasst", "r": "nach", "w": ["2026-01-01T00:00:00+00:00", True]}
    ),
    "riesige Zahl": _zeiger(
        {"k": "anliegen:-erfasst", "r": "nach", "w": ["2026-01-01T00:00:00+00:00", 10**30]}
    ),
    "riesige negative Zahl": _zeiger(
        {"k": "anliegen:-erfasst", "r": "nach", "w": ["2026-01-01T00:00:00+00:00", -(10**30)]}
    ),
    "kein Datum": _zeiger({"k": "anliegen:-erfasst", "r": "nach", "w": ["gestern", 1]}),
    "Datum ohne Zeitzone": _zeiger(
        {"k": "anliegen:-erfasst", "r": "nach", "w": ["2026-01-01T00:00:00", 1]}
    ),
    "Zahl statt Datum": _zeiger({"k": "anliegen:-erfasst", "r": "nach", "w": [20260101, 1]}),
    "überlang": "A" * 5000,
}


@pytest.mark.parametrize("wert", KAPUTT.values(), ids=KAPUTT.keys())
def test_kaputter_zeiger_gibt_meldung_und_erste_seite(viele, klein, client_fuer, wert):
    c = client_fuer("planung")
    erste = _nummern(c.get(LISTE, ALLE))
    antwort = c.get(LISTE, {**ALLE, "blatt": wert})
    assert antwort.status_code == 200
    assert _nummern(antwort) == erste
    assert "Der Link zu dieser Seite der Liste ist ungültig oder veraltet." in (
        antwort.content.decode()
    )


@pytest.mark.parametrize(
    ("sortierung", "werte"),
    [
        ("nummer", [10**6, 1]),  # Jahr außerhalb von PositiveSmallIntegerField
        ("status", [-1, "2026-01-01T00:00:00+00:00", 1]),  # Rang negativ
        ("quartier", ["x" * 101, 1, "2026-01-01T00:00:00+00:00", 1]),  # Name zu lang
        ("quartier", [None, 1, "2026-01-01T00:00:00+00:00", 1]),  # Name fehlt
    ],
)
def test_zeiger_ausserhalb_der_felder(viele, klein, client_fuer, sortierung, werte):
    c = client_fuer("planung")
    parameter = {**ALLE, "sortierung": sortierung}
    zeiger = _zeiger({"k": f"anliegen:{sortierung}", "r": "nach", "w": werte})
    antwort = c.get(LISTE, {**parameter, "blatt": zeiger})
    assert antwort.status_code == 200
    assert _nummern(antwort) == _nummern(c.get(LISTE, parameter))
    assert antwort.context["blatt"].fehler


def test_gueltiger_zeiger_ohne_meldung(viele, klein, client_fuer):
    antwort = client_fuer("planung").get(LISTE + _link(client_fuer("planung").get(LISTE), "next"))
    assert antwort.context["blatt"].fehler is None
    assert "ungültig" not in antwort.content.decode()


def test_zeiger_hinter_dem_ende_zeigt_die_erste_seite(viele, klein, client_fuer):
    c = client_fuer("planung")
    zeiger = _zeiger({"k": "anliegen:-erfasst", "r": "nach", "w": ["2000-01-01T00:00:00+00:00", 1]})
    antwort = c.get(LISTE, {**ALLE, "blatt": zeiger})
    assert antwort.status_code == 200
    assert _nummern(antwort) == _nummern(c.get(LISTE, ALLE))


@pytest.mark.parametrize("seite", ["2", "999999999999999999999", "-1", "x", ""])
def test_alte_seitenzahl_gibt_die_erste_seite(viele, klein, client_fuer, seite):
    c = client_fuer("planung")
    for url, werte in ((LISTE, _nummern), (EINGANG, _eingang_pks)):
        antwort = c.get(url, {"page": seite})
        assert antwort.status_code == 200
        assert werte(antwort) == werte(c.get(url))


# --- begrenzte Anzahl --------------------------------------------------------------------


def test_anzahl_genau_bis_zur_grenze_dann_mehr_als(viele, client_fuer, monkeypatch):
    c = client_fuer("planung")
    assert "13 Anliegen" in c.get(LISTE, ALLE).content.decode()
    monkeypatch.setattr("anliegen.views.liste.ZAEHLGRENZE", 13)
    assert "13 Anliegen" in c.get(LISTE, ALLE).content.decode()
    monkeypatch.setattr("anliegen.views.liste.ZAEHLGRENZE", 12)
    inhalt = c.get(LISTE, ALLE).content.decode()
    assert "mehr als 12 Anliegen" in inhalt


def test_mehr_als_zehntausend_im_deutschen_format(viele, client_fuer, monkeypatch):
    monkeypatch.setattr("anliegen.views.liste.begrenzt_zaehlen", lambda qs, g: (g, True))
    monkeypatch.setattr("anliegen.views.eingang.begrenzt_zaehlen", lambda qs, g: (g, True))
    c = client_fuer("planung")
    assert "mehr als 10.000 Anliegen" in c.get(LISTE, ALLE).content.decode()
    assert "mehr als 10.000 Weiterleitungen" in c.get(EINGANG).content.decode()


def test_zaehlt_mit_limit_statt_ueber_alles(viele, client_fuer):
    c = client_fuer("planung")
    for url in (LISTE, EINGANG):
        with CaptureQueriesContext(connection) as abfragen:
            c.get(url)
        zaehlen = [q["sql"] for q in abfragen if "COUNT(" in q["sql"].upper()]
        assert len(zaehlen) == 1
        assert "LIMIT 10001" in zaehlen[0]
        assert "OFFSET" not in " ".join(q["sql"] for q in abfragen)


def test_anzahl_im_posteingang(viele, client_fuer, monkeypatch):
    c = client_fuer("planung")
    assert "13 Weiterleitungen" in c.get(EINGANG).content.decode()
    monkeypatch.setattr("anliegen.views.eingang.ZAEHLGRENZE", 10)
    assert "mehr als 10 Weiterleitungen" in c.get(EINGANG).content.decode()


# --- Posteingang -------------------------------------------------------------------------


def _eingang_referenz(weiterleitungen) -> list[int]:
    return [
        w.pk
        for w in sorted(
            weiterleitungen,
            key=lambda w: (
                0 if w.status in ("offen", "in_bearbeitung") else 1,
                w.frist,
                -w.erstellt_am.timestamp(),
                -w.pk,
            ),
        )
    ]


@pytest.mark.parametrize("persona", ["fb", "qm", "planung"])
def test_posteingang_vorwaerts_und_rueckwaerts_vollstaendig(viele, klein, client_fuer, persona):
    c = client_fuer(persona)
    antwort = c.get(EINGANG, {"status": ""})
    sichtbar = list(antwort.context["filter"].qs)
    assert len(sichtbar) > 8
    erwartet = _eingang_referenz(sichtbar)
    vorwaerts = _eingang_pks(antwort)
    while weiter := _link(antwort, "next"):
        assert "status=" in weiter
        antwort = c.get(EINGANG + weiter)
        vorwaerts += _eingang_pks(antwort)
    assert vorwaerts == erwartet
    antwort = c.get(EINGANG + _link(c.get(EINGANG, {"status": ""}), "last"))
    rueckwaerts = _eingang_pks(antwort)
    while zurueck := _link(antwort, "prev"):
        antwort = c.get(EINGANG + zurueck)
        rueckwaerts = _eingang_pks(antwort) + rueckwaerts
    assert rueckwaerts == erwartet


def test_posteingang_vorgabe_bleibt_beim_blaettern(viele, klein, client_fuer):
    c = client_fuer("fb")
    erste = c.get(EINGANG)
    assert "status=zu_erledigen" in _link(erste, "next")
    gesehen = _eingang_pks(erste)
    antwort = erste
    while weiter := _link(antwort, "next"):
        antwort = c.get(EINGANG + weiter)
        gesehen += _eingang_pks(antwort)
    offen = Weiterleitung.objects.filter(status__in=("offen", "in_bearbeitung"))
    assert gesehen == _eingang_referenz(offen)


@pytest.mark.parametrize("wert", KAPUTT.values(), ids=KAPUTT.keys())
def test_posteingang_kaputter_zeiger(viele, klein, client_fuer, wert):
    c = client_fuer("fb")
    antwort = c.get(EINGANG, {"blatt": wert})
    assert antwort.status_code == 200
    assert _eingang_pks(antwort) == _eingang_pks(c.get(EINGANG))
    assert "ungültig oder veraltet" in antwort.content.decode()


def test_posteingang_blaetterleiste_barrierefrei(viele, klein, client_fuer):
    inhalt = client_fuer("fb").get(EINGANG).content.decode()
    assert 'aria-label="Seiten des Posteingangs"' in inhalt
    assert 'rel="next"' in inhalt and 'rel="last"' in inhalt
    assert 'rel="prev"' not in inhalt and 'rel="first"' not in inhalt


# --- gespeicherte Ränge ------------------------------------------------------------------


def test_raenge_folgen_dem_status(lotse, stadt, vorlage):
    assert (vorlage.status_rang, vorlage.status_rang_umgekehrt) == (2, 2)  # weitergeleitet
    w = vorlage.weiterleitungen.get()
    assert w.offen_rang == 0
    neu = lotse.erfassen(meldende=None)
    neu.refresh_from_db()
    assert (neu.status_rang, neu.status_rang_umgekehrt) == (0, 4)
    workflow.abschliessen(neu, grund="erledigt", durch=stadt.qm)
    neu.refresh_from_db()
    assert (neu.status_rang, neu.status_rang_umgekehrt) == (4, 0)
    Weiterleitung.objects.filter(pk=w.pk).update(status=WStatus.NICHT_ZUSTAENDIG)
    w.refresh_from_db()
    assert w.offen_rang == 1


# --- Sichtbarkeit für den Fachbereich ----------------------------------------------------


def test_fachbereich_sichtbarkeit_ohne_distinct_und_ohne_doppelte(lotse, stadt, vorlage):
    # Zweimal an denselben Fachbereich (die erste zurückgegeben, dann neu weitergeleitet).
    Weiterleitung.objects.filter(anliegen=vorlage).update(
        status=WStatus.NICHT_ZUSTAENDIG, zustaendig_hinweis="Versehen"
    )
    Weiterleitung.objects.create(
        anliegen=vorlage,
        fachbereich=lotse.stadtbetrieb,
        nachricht="Noch einmal.",
        frist=timezone.localdate(),
        erstellt_von=stadt.qm,
    )
    andere = lotse.erfassen(meldende=None, titel="Nicht für den FB")
    qs = sichtbare_anliegen(stadt.fb)
    sql = str(qs.query).upper()
    assert "EXISTS" in sql and "DISTINCT" not in sql and "JOIN" not in sql
    assert list(qs) == [vorlage]
    assert andere in sichtbare_anliegen(stadt.qm)


# --- Abfragen je Seite -------------------------------------------------------------------


def _abfragen(client, url: str) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get(url)
    assert antwort.status_code == 200
    assert antwort.context["blatt"].zeilen, url
    return len(abfragen)


def _seiten(client, url: str, vorgabe: str) -> dict[str, str]:
    """Erste, eine mittlere und die letzte Seite. Mit einer einzigen Zeile gibt es keine
    mittlere: dann ein Zeiger vor diese Zeile (dieselbe Abfrage wie jede Seite „Weiter“)."""
    erste = client.get(url + vorgabe)
    weiter = _link(erste, "next")
    if not weiter:
        blatt = erste.context["blatt"]
        kennung = "eingang" if url == EINGANG else "anliegen:-erfasst"
        zeile = blatt.zeilen[0]
        werte = (
            [0, "2000-01-01", (zeile.erstellt_am + datetime.timedelta(days=1)).isoformat(), 10**9]
            if url == EINGANG
            else [(zeile.erstellt_am + datetime.timedelta(days=1)).isoformat(), 10**9]
        )
        weiter = (
            "?" + vorgabe.lstrip("?") + "&blatt=" + _zeiger({"k": kennung, "r": "nach", "w": werte})
        )
    return {
        "erste": url + vorgabe,
        "mittlere": url + weiter,
        "letzte": url + vorgabe + "&blatt=letzte",
    }


# Liste: Sitzung, Benutzer, Auswahllisten Quartier, Thema, Bedarf, Fachbereich, begrenzte
# Anzahl, eine Seite Anliegen (Quartier, Thema, Person im JOIN; eigene Quartiere des QM nur als
# Unterabfrage), Weiterleitungen mit Fachbereich (ein Prefetch), Speichern der Sitzung
# (Savepoint, UPDATE, Release) – die Vorlage: 12 (Admin: eigene Rechteprüfung in der
# Navigation, siehe tests/anliegen/test_liste.py).
# Posteingang: Sitzung, Benutzer, begrenzte Anzahl, eine Seite Weiterleitungen mit allem
# (ein JOIN), Speichern der Sitzung.
@pytest.mark.parametrize("persona", PERSONAS)
def test_abfragen_je_seite_gleich_mit_1_und_120(lotse, stadt, vorlage, client_fuer, persona):
    c = client_fuer(persona)
    if persona == "qm2":  # der Posteingang des QM zeigt nur eigene Quartiere
        Anliegen.objects.filter(pk=vorlage.pk).update(quartier=stadt.sued)
        vorlage.refresh_from_db()
    # FB sieht nur Weitergeleitetes; ohne Vorgabe, damit alle Personas dieselben Zeilen sehen.
    liste_vorgabe = "?q=&status="
    eingang_vorgabe = "?status="
    vorher = {}
    for name, url in _seiten(c, LISTE, liste_vorgabe).items():
        vorher[("liste", name)] = _abfragen(c, url)
    for name, url in _seiten(c, EINGANG, eingang_vorgabe).items():
        vorher[("eingang", name)] = _abfragen(c, url)
    _vervielfaeltigen(vorlage, 119, fachbereiche=[lotse.stadtbetrieb, lotse.gruen])
    nachher = {}
    seiten = _seiten(c, LISTE, liste_vorgabe)
    assert "blatt=" in seiten["mittlere"]
    for name, url in seiten.items():
        nachher[("liste", name)] = _abfragen(c, url)
    for name, url in _seiten(c, EINGANG, eingang_vorgabe).items():
        nachher[("eingang", name)] = _abfragen(c, url)
    assert nachher == vorher
    liste = {vorher[("liste", n)] for n in ("erste", "mittlere", "letzte")}
    eingang = {vorher[("eingang", n)] for n in ("erste", "mittlere", "letzte")}
    assert len(liste) == 1 and len(eingang) == 1
    assert liste <= {12, 13} and eingang <= {6, 7}


def test_zeilen_ohne_include_je_zeile(lotse, vorlage, client_fuer):
    """Die Zahl der gerenderten Vorlagen wächst nicht mit den Zeilen."""
    c = client_fuer("planung")

    def vorlagen():
        return (
            len(c.get(LISTE, ALLE).templates),
            len(c.get(EINGANG, {"status": ""}).templates),
        )

    wenige = vorlagen()
    _vervielfaeltigen(vorlage, 30, fachbereiche=[lotse.stadtbetrieb])
    assert vorlagen() == wenige
