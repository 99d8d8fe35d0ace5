"""Inhalte der Registerseiten, Filter, htmx-Teilantworten und Abfragezahlen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import LebensraumFactory, QuartierFactory, StelleFactory


def _text(antwort) -> str:
    return antwort.content.decode()


# --- Mein Überblick ----------------------------------------------------------------------


def test_start_qm_zeigt_quartiere_buero_und_kolleginnen(stadt, client_fuer):
    inhalt = _text(client_fuer("qm").get(reverse("quartier:start")))
    assert "Meine Quartiere" in inhalt
    assert "Quartier Nord" in inhalt
    assert "Büro Nord" in inhalt
    assert "offene Sprechstunde" in inhalt
    assert str(stadt.qm2) in inhalt  # Kollegin mit ihrem Quartier
    assert "Quartier Süd" in inhalt


def test_start_qm_warnt_vor_foerderende(stadt, client_fuer):
    inhalt = _text(client_fuer("qm2").get(reverse("quartier:start")))
    assert "Förderung endet bald" in inhalt
    assert "Förderung endet bald" not in _text(client_fuer("qm").get(reverse("quartier:start")))


def test_start_qm_ohne_stelle_erklaert_was_fehlt(stadt, client_fuer):
    stadt.stelle_nord.mitarbeitende.clear()
    inhalt = _text(client_fuer("qm").get(reverse("quartier:start")))
    assert "keine laufende Stelle zugeordnet" in inhalt


def test_start_fachbereich_zeigt_fachbereich_und_frist(stadt, client_fuer):
    inhalt = _text(client_fuer("fb").get(reverse("quartier:start")))
    assert "E 18 Stadtbetrieb" in inhalt
    assert "10 Arbeitstage" in inhalt


def test_start_planung_zeigt_versorgung_heute(stadt, client_fuer):
    inhalt = _text(client_fuer("planung").get(reverse("quartier:start")))
    assert "Versorgung am" in inhalt
    # Bergviertel: besondere Herausforderungen, QFI beendet
    assert "Bergviertel" in inhalt
    assert "QM Süd" in inhalt  # endet innerhalb eines Jahres


def test_start_planung_mit_stichtag_in_der_vergangenheit(stadt, client_fuer):
    antwort = client_fuer("planung").get(reverse("quartier:start"), {"stichtag": "2018-06-01"})
    inhalt = _text(antwort)
    assert "Versorgung am 1. Juni 2018" in inhalt
    assert (
        "Bergviertel" not in inhalt.split("ohne Quartiersmanagement")[1].split("an der Schwelle")[0]
    )


@pytest.mark.parametrize("eingabe", ["31.02.2019", "morgen", "1800-01-01", "2019-13-01"])
def test_start_planung_falscher_stichtag_gibt_deutsche_meldung_und_behaelt_eingabe(
    stadt, client_fuer, eingabe
):
    antwort = client_fuer("planung").get(reverse("quartier:start"), {"stichtag": eingabe})
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte prüfen Sie Ihre Eingaben" in inhalt
    assert "Bitte ein" in inhalt  # „Bitte ein gültiges Datum …“ oder „Bitte ein Datum zwischen …“
    assert f'value="{eingabe}"' in inhalt
    assert 'aria-invalid="true"' in inhalt


def test_start_planung_deutsches_datumsformat(stadt, client_fuer):
    inhalt = _text(
        client_fuer("planung").get(reverse("quartier:start"), {"stichtag": "31.12.2018"})
    )
    assert "Versorgung am 31. Dezember 2018" in inhalt


def test_start_administration_zeigt_luecken(stadt, client_fuer):
    stadt.fachbereich.email = ""
    stadt.fachbereich.save()
    inhalt = _text(client_fuer("admin").get(reverse("quartier:start")))
    assert "Lücken in den Stammdaten" in inhalt
    assert "E 18 Stadtbetrieb" in inhalt
    assert "Lebensräume ohne Kennzahlen" in inhalt


# --- Quartiere ---------------------------------------------------------------------------


def test_quartierliste_zeigt_einwohner_qm_und_vzae(stadt, client_fuer):
    inhalt = _text(client_fuer("planung").get(reverse("quartier:quartier_liste")))
    assert "Quartier Nord" in inhalt
    assert "6.000" in inhalt
    assert "QM Nord" in inhalt
    assert "kein QM" in inhalt  # Quartier Berg
    assert "3 Quartiere" in inhalt


def test_quartierliste_filtert_nach_qm(stadt, client_fuer):
    inhalt = _text(client_fuer("qm").get(reverse("quartier:quartier_liste"), {"qm": "ohne"}))
    assert "Quartier Berg" in inhalt
    assert "Quartier Nord" not in inhalt
    inhalt = _text(client_fuer("qm").get(reverse("quartier:quartier_liste"), {"qm": "mit"}))
    assert "Quartier Berg" not in inhalt
    assert "Quartier Nord" in inhalt


def test_quartierliste_sucht_auch_im_lebensraum(stadt, client_fuer):
    inhalt = _text(client_fuer("qm").get(reverse("quartier:quartier_liste"), {"q": "südvier"}))
    assert "Quartier Süd" in inhalt
    assert "Quartier Nord" not in inhalt


def test_quartierliste_unbekannter_filterwert_gibt_meldung_statt_fehler(stadt, client_fuer):
    antwort = client_fuer("qm").get(reverse("quartier:quartier_liste"), {"bezirk": "abc"})
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)


def test_quartierliste_htmx_liefert_nur_das_ergebnis(stadt, client_fuer):
    antwort = client_fuer("qm").get(
        reverse("quartier:quartier_liste"), {"qm": "ohne"}, HTTP_HX_REQUEST="true"
    )
    inhalt = _text(antwort)
    assert 'id="ergebnis"' in inhalt
    assert "<html" not in inhalt
    assert "Quartier Berg" in inhalt


def test_quartierliste_abfragen_wachsen_nicht_mit_der_zeilenzahl(
    stadt, client_fuer, django_assert_max_num_queries
):
    client = client_fuer("planung")
    client.get(reverse("quartier:quartier_liste"))  # Sitzung aufwärmen
    # Sitzung, Benutzer, Anzahl (Blättern), Quartiere mit Einwohnern (Unterabfrage),
    # Prefetch laufende Stellen, Prefetch Lebensräume, Bezirke fürs Filterformular;
    # Sitzung speichern (Savepoint, Update, Release).
    with django_assert_max_num_queries(10) as vorher:
        client.get(reverse("quartier:quartier_liste"))
    for _ in range(15):
        lr = LebensraumFactory()
        q = QuartierFactory(lebensraeume=[lr])
        StelleFactory(quartiere=[q])
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        client.get(reverse("quartier:quartier_liste"))


def test_quartierdetail_zeigt_lebensraeume_kennzahlen_stellen_buero_personal(stadt, client_fuer):
    from quartier.models import Kennzahl, KennzahlArt

    Kennzahl.objects.create(
        lebensraum=stadt.lr_nord, jahr=2015, art=KennzahlArt.SGB2_QUOTE, wert=20
    )
    Kennzahl.objects.create(
        lebensraum=stadt.lr_nord, jahr=2016, art=KennzahlArt.SGB2_QUOTE, wert="22.5"
    )
    inhalt = _text(client_fuer("fb").get(stadt.nord.get_absolute_url()))
    assert "101 Nordviertel" in inhalt
    assert "besondere Herausforderungen" in inhalt
    assert "22,5" in inhalt and "(2016)" in inhalt  # jüngster Wert, deutsches Format
    assert "20,0" not in inhalt
    assert "QM Nord" in inhalt and "unbefristet" in inhalt
    assert "Büro Nord" in inhalt and "offene Sprechstunde" in inhalt
    assert stadt.qm.email in inhalt


def test_quartierdetail_zeigt_enddatum_und_beendete_stellen(stadt, client_fuer):
    inhalt = _text(client_fuer("qm").get(stadt.berg.get_absolute_url()))
    assert "QFI Berg" in inhalt
    assert "31.12.2018" in inhalt
    assert "beendet" in inhalt
    inhalt = _text(client_fuer("qm").get(stadt.sued.get_absolute_url()))
    assert "endet bald" in inhalt


def test_quartierdetail_abfragen_konstant(stadt, client_fuer, django_assert_max_num_queries):
    client = client_fuer("qm")
    client.get(stadt.nord.get_absolute_url())
    with django_assert_max_num_queries(14) as vorher:
        client.get(stadt.nord.get_absolute_url())
    for _ in range(5):
        StelleFactory(quartiere=[stadt.nord], mitarbeitende=[stadt.qm2])
        stadt.nord.lebensraeume.add(LebensraumFactory())
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        client.get(stadt.nord.get_absolute_url())


# --- Lebensräume und Büros ---------------------------------------------------------------


def test_lebensraumliste_zeigt_versorgung(stadt, client_fuer):
    inhalt = _text(client_fuer("planung").get(reverse("quartier:lebensraum_liste"), {"qm": "ohne"}))
    assert "Bergviertel" in inhalt
    assert "Nordviertel" not in inhalt


def test_lebensraumliste_abfragen_konstant(stadt, client_fuer, django_assert_max_num_queries):
    client = client_fuer("planung")
    client.get(reverse("quartier:lebensraum_liste"))
    # Sitzung, Benutzer, Anzahl, Lebensräume (mit Sozialraum, Bezirk, QM-Zählung),
    # Prefetch Quartiere, Bezirke und Sozialräume fürs Filterformular; Sitzung speichern (3).
    with django_assert_max_num_queries(10) as vorher:
        client.get(reverse("quartier:lebensraum_liste"))
    for _ in range(10):
        QuartierFactory(lebensraeume=[LebensraumFactory()])
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        client.get(reverse("quartier:lebensraum_liste"))


def test_bueroseite_zeigt_sprechzeiten_und_personal(stadt, client_fuer):
    inhalt = _text(client_fuer("qm2").get(stadt.buero.get_absolute_url()))
    assert "Dienstag, 10:00–12:00 Uhr" in inhalt
    assert "QM Nord" in inhalt
    assert str(stadt.qm) in inhalt


def test_bueroliste(stadt, client_fuer):
    inhalt = _text(client_fuer("fb").get(reverse("quartier:buero_liste")))
    assert "Büro Nord" in inhalt and "Quartier Nord" in inhalt


def test_beendete_stelle_erscheint_nicht_im_buero(stadt, client_fuer):
    stadt.stelle_nord.ende = timezone.localdate() - datetime.timedelta(days=1)
    stadt.stelle_nord.save()
    inhalt = _text(client_fuer("qm").get(stadt.buero.get_absolute_url()))
    assert "Derzeit arbeitet hier keine laufende Stelle" in inhalt
