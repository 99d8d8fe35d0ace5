"""Arbeitstage mit den Feiertagen in Nordrhein-Westfalen: Wochenenden, Ostern, Fronleichnam,
Allerheiligen, Weihnachten und Jahreswechsel; dazu die Standardfrist einer Weiterleitung."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from anliegen import workflow
from anliegen.fristen import (
    arbeitstage_addieren,
    arbeitstage_zwischen,
    ist_arbeitstag,
    stichtag,
)

D = datetime.date


@pytest.mark.parametrize(
    ("tag", "frei"),
    [
        (D(2026, 12, 5), True),  # Samstag
        (D(2026, 12, 6), True),  # Sonntag
        (D(2026, 12, 7), False),  # Montag
        (D(2026, 4, 3), True),  # Karfreitag
        (D(2026, 4, 6), True),  # Ostermontag
        (D(2026, 5, 14), True),  # Christi Himmelfahrt
        (D(2026, 6, 4), True),  # Fronleichnam (NRW)
        (D(2026, 10, 3), True),  # Tag der Deutschen Einheit (Samstag)
        (D(2027, 11, 1), True),  # Allerheiligen (NRW, Montag)
        (D(2027, 2, 8), False),  # Rosenmontag: kein gesetzlicher Feiertag
        (D(2026, 12, 24), False),  # Heiligabend: Arbeitstag, außer die Stadt schließt
        (D(2026, 12, 25), True),
        (D(2026, 12, 28), False),
        (D(2027, 1, 1), True),
    ],
)
def test_ist_arbeitstag_in_nrw(tag, frei):
    assert ist_arbeitstag(tag) is not frei


def test_fronleichnam_und_allerheiligen_sind_in_bayern_frei_aber_nicht_in_berlin(settings):
    settings.QL_BUNDESLAND = "BE"
    assert ist_arbeitstag(D(2026, 6, 4))
    assert ist_arbeitstag(D(2027, 11, 1))
    settings.QL_BUNDESLAND = "BY"
    assert not ist_arbeitstag(D(2026, 6, 4))


def test_zusaetzliche_freie_tage_einmal_und_jaehrlich(settings):
    settings.QL_ZUSAETZLICHE_FREIE_TAGE = ["2027-02-08", "12-24", "12-31"]
    assert not ist_arbeitstag(D(2027, 2, 8))  # Rosenmontag 2027
    assert ist_arbeitstag(D(2028, 2, 28))  # Rosenmontag 2028 steht nicht in der Liste
    assert not ist_arbeitstag(D(2026, 12, 24))
    assert not ist_arbeitstag(D(2027, 12, 31))


@pytest.mark.parametrize(
    ("von", "n", "ergebnis"),
    [
        (D(2026, 12, 4), 1, D(2026, 12, 7)),  # Freitag + 1 = Montag
        (D(2026, 12, 5), 1, D(2026, 12, 7)),  # Samstag + 1 = Montag
        (D(2026, 12, 7), 0, D(2026, 12, 7)),
        (D(2026, 12, 7), 5, D(2026, 12, 14)),
        # Ostern: Donnerstag vor Karfreitag + 1 = Dienstag nach Ostermontag
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        # Fronleichnam: Mittwoch + 1 = Freitag
        (D(2026, 6, 3), 1, D(2026, 6, 5)),
        # Allerheiligen 2027 ist ein Montag: Freitag davor + 1 = Dienstag
        (D(2027, 10, 29), 1, D(2027, 11, 2)),
        # über den Jahreswechsel: 23.12. + 3 = 29.12. (24. Arbeitstag, 25./26./27. frei) …
        (D(2026, 12, 23), 3, D(2026, 12, 29)),
        # … und 30.12. + 2 = 04.01. (Neujahr frei, dann Wochenende)
        (D(2026, 12, 30), 2, D(2027, 1, 4)),
        # Standardfrist 10 Arbeitstage ab Mitte Dezember: 16.–18., 21.–24., 28.–30.
        (D(2026, 12, 15), 10, D(2026, 12, 30)),
        # rückwärts
        (D(2026, 12, 7), -1, D(2026, 12, 4)),
        (D(2027, 1, 4), -2, D(2026, 12, 30)),
    ],
)
def test_arbeitstage_addieren(von, n, ergebnis):
    assert arbeitstage_addieren(von, n) == ergebnis


@pytest.mark.parametrize(
    ("von", "bis", "anzahl"),
    [
        (D(2026, 12, 4), D(2026, 12, 7), 1),
        (D(2026, 12, 7), D(2026, 12, 7), 0),
        (D(2026, 12, 23), D(2027, 1, 4), 6),  # 24., 28., 29., 30., 31.12. und 4.1.
        (D(2026, 4, 2), D(2026, 4, 7), 1),
        (D(2026, 12, 7), D(2026, 12, 4), -1),
    ],
)
def test_arbeitstage_zwischen(von, bis, anzahl):
    assert arbeitstage_zwischen(von, bis) == anzahl


@pytest.mark.parametrize("n", [0, 1, 3, 10, 25])
@pytest.mark.parametrize("von", [D(2026, 3, 31), D(2026, 5, 29), D(2026, 12, 18), D(2027, 10, 30)])
def test_zwischen_ist_die_umkehrung_von_addieren(von, n):
    assert arbeitstage_zwischen(von, arbeitstage_addieren(von, n)) == n


def test_stichtag_ueberfaellig_erst_nach_dem_faelligen_tag():
    # Beginn Montag, 1 Arbeitstag: fällig Dienstag, überfällig erst am Mittwoch.
    beginn = D(2026, 12, 7)
    assert not beginn < stichtag(D(2026, 12, 8), 1)
    assert beginn < stichtag(D(2026, 12, 9), 1)
    # Beginn Samstag: fällig Montag, überfällig am Dienstag.
    samstag = D(2026, 12, 5)
    assert not samstag < stichtag(D(2026, 12, 7), 1)
    assert samstag < stichtag(D(2026, 12, 8), 1)
    # Über Weihnachten: Beginn 23.12., 2 Arbeitstage → fällig 28.12., überfällig am 29.12.
    assert not D(2026, 12, 23) < stichtag(D(2026, 12, 28), 2)
    assert D(2026, 12, 23) < stichtag(D(2026, 12, 29), 2)


def test_standardfrist_zaehlt_arbeitstage(lotse):
    lotse.stadtbetrieb.antwortfrist_tage = 10
    assert workflow.standardfrist(lotse.stadtbetrieb, D(2026, 12, 15)) == D(2026, 12, 30)
    # Über Ostern (Karfreitag 3.4., Ostermontag 6.4.): 31.3., 1.4., 2.4., 7.–10.4., 13.–15.4.
    assert workflow.standardfrist(lotse.stadtbetrieb, D(2026, 3, 30)) == D(2026, 4, 15)


def test_weiterleiten_setzt_frist_in_arbeitstagen(lotse):
    anliegen = lotse.erfassen()
    lotse.stadtbetrieb.antwortfrist_tage = 3
    lotse.stadtbetrieb.save()
    # Am Mittwoch vor Fronleichnam: Fr, Mo, Di → Dienstag.
    jetzt = datetime.datetime(2026, 6, 3, 9, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=jetzt):
        (w,) = workflow.weiterleiten(
            anliegen, an=[lotse.stadtbetrieb], nachricht="Bitte prüfen", durch=lotse.stadt.qm
        )
    assert w.frist == D(2026, 6, 9)


# --- Markierung „überfällig“ in Listen, Posteingang und Mein Überblick --------------------


def _beantwortet_vor(lotse, tage: int):
    """Ein Anliegen, dessen Antwort seit `tage` Kalendertagen auf Rückmeldung wartet."""
    from anliegen.models import Anliegen

    a = lotse.erfassen()
    (w,) = workflow.weiterleiten(
        a, an=[lotse.stadtbetrieb], nachricht="Bitte", durch=lotse.stadt.qm
    )
    workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(w, entscheidung="umgesetzt", antwort="Ja.", durch=lotse.stadt.fb)
    seit = timezone.now() - datetime.timedelta(days=tage)
    Anliegen.objects.filter(pk=a.pk).update(rueckmeldung_offen_seit=seit)
    return a


def test_liste_markiert_ueberfaellige_rueckmeldung_und_filtert(lotse, client_fuer):
    alt = _beantwortet_vor(lotse, 30)
    frisch = _beantwortet_vor(lotse, 1)
    c = client_fuer("qm")
    html = c.get("/anliegen/").content.decode()
    assert html.count("Rückmeldung überfällig</span>") == 1
    nur = c.get("/anliegen/", {"q": "", "ueberfaellig": "on"}).content.decode()
    assert alt.nummer in nur and frisch.nummer not in nur


def test_liste_abfragen_wachsen_nicht_mit_ueberfaelligen(lotse, client_fuer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_fuer("qm")
    _beantwortet_vor(lotse, 30)
    with CaptureQueriesContext(connection) as wenige:
        c.get("/anliegen/")
    for _ in range(5):
        _beantwortet_vor(lotse, 30)
    with CaptureQueriesContext(connection) as viele:
        html = c.get("/anliegen/").content.decode()
    assert html.count("Rückmeldung überfällig</span>") == 6
    assert len(viele) == len(wenige)


def test_mein_ueberblick_qm_markiert_ueberfaelliges(lotse, client_fuer):
    from anliegen.models import Weiterleitung

    _beantwortet_vor(lotse, 30)
    a = lotse.erfassen(titel="Laterne defekt")
    (w,) = workflow.weiterleiten(a, an=[lotse.gruen], nachricht="Bitte", durch=lotse.stadt.qm)
    Weiterleitung.objects.filter(pk=w.pk).update(frist=timezone.localdate() - datetime.timedelta(1))
    html = client_fuer("qm").get("/").content.decode()
    assert "Rückmeldung überfällig</span>" in html
    assert 'data-testid="antwort-ueberfaellig"' in html and "Laterne defekt" in html


def test_rueckmeldung_in_der_detailseite_markiert(lotse, client_fuer):
    a = _beantwortet_vor(lotse, 30)
    html = client_fuer("qm").get(f"/anliegen/{a.nummer}/").content.decode()
    assert "Rückmeldung überfällig</span>" in html
