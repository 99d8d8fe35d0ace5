"""Akteure: Zugriffsmatrix, Verzeichnis mit Filtern und Export, Detailseite, Anlegen und
Bearbeiten mit Ansprechpersonen und Angebotszeiten, Datenschutz und Abfragezahlen.

Erwartung je Zelle der Matrix: 200 erlaubt, 302 zur Anmeldung (anonym), 403 (angemeldet,
aber nicht erlaubt), 404 (unbekanntes Objekt), 405 (falsche Methode).
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from netzwerke.models import Akteur, Angebotszeit, Ansprechperson, Mitgliedschaft, Sitzung
from tests.factories import QuartierFactory, StadtteilbueroFactory

ALLE = ["qm", "qm2", "fb", "planung", "admin"]


def _text(antwort) -> str:
    return antwort.content.decode()


def _url(netz, name: str, akteur: str | None = None) -> str:
    if akteur is None:
        return reverse(f"netzwerke:{name}")
    return reverse(f"netzwerke:{name}", args=[getattr(netz, akteur).pk])


def _csv(antwort) -> list[dict]:
    assert antwort.streaming  # Zeile für Zeile, nie als Ganzes im Speicher
    inhalt = antwort.getvalue().decode("utf-8")
    assert inhalt.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(inhalt[1:]), delimiter=";"))


# --- Zugriffsmatrix ----------------------------------------------------------------------

LESEN = [
    ("akteur_liste", None),
    ("akteur_export", None),
    ("akteur_detail", "familienzentrum"),
    ("akteur_detail", "verein_sued"),
    ("akteur_detail", "caritas"),
]
SCHREIBEN = [("akteur_neu", None), ("akteur_bearbeiten", "familienzentrum")]


@pytest.mark.parametrize(("name", "akteur"), LESEN + SCHREIBEN)
def test_anonym_wird_zur_anmeldung_geleitet(netz, client, name, akteur):
    antwort = client.get(_url(netz, name, akteur))
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(("name", "akteur"), LESEN)
def test_jede_rolle_liest_akteure(netz, client_fuer, persona, name, akteur):
    assert client_fuer(persona).get(_url(netz, name, akteur)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 200), ("qm2", 200), ("fb", 403), ("planung", 403), ("admin", 200)],
)
def test_anlegen_nur_quartiersmanagement_und_administration(netz, client_fuer, persona, erwartet):
    assert client_fuer(persona).get(_url(netz, "akteur_neu")).status_code == erwartet
    assert client_fuer(persona).post(_url(netz, "akteur_neu"), {}).status_code == erwartet


@pytest.mark.parametrize(
    ("persona", "akteur", "erwartet"),
    [
        ("qm", "familienzentrum", 200),  # eigenes Quartier
        ("qm", "jugendtreff", 200),
        ("qm2", "familienzentrum", 403),  # fremdes Quartier
        ("qm", "verein_sued", 403),
        ("qm2", "verein_sued", 200),
        ("qm", "caritas", 403),  # ohne Quartier: nur die Administration
        ("fb", "familienzentrum", 403),
        ("planung", "familienzentrum", 403),
        ("admin", "familienzentrum", 200),
        ("admin", "caritas", 200),
    ],
)
def test_bearbeiten_nur_im_eigenen_quartier(netz, client_fuer, persona, akteur, erwartet):
    assert client_fuer(persona).get(_url(netz, "akteur_bearbeiten", akteur)).status_code == erwartet


@pytest.mark.parametrize("persona", ["qm2", "fb", "planung"])
def test_fremder_post_aendert_nichts(netz, client_fuer, persona):
    antwort = client_fuer(persona).post(
        _url(netz, "akteur_bearbeiten", "familienzentrum"), {"name": "Übernommen"}
    )
    assert antwort.status_code == 403
    netz.familienzentrum.refresh_from_db()
    assert netz.familienzentrum.name == "Familienzentrum Nord"


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize("name", ["akteur_detail", "akteur_bearbeiten"])
def test_unbekannter_akteur_ist_404(netz, client_fuer, persona, name):
    url = reverse(f"netzwerke:{name}", args=[999999])
    assert client_fuer(persona).get(url).status_code == 404


@pytest.mark.parametrize(("name", "akteur"), LESEN)
def test_lesende_seiten_lehnen_post_ab(netz, client_fuer, name, akteur):
    assert client_fuer("admin").post(_url(netz, name, akteur)).status_code == 405


@pytest.mark.parametrize(("name", "akteur"), SCHREIBEN)
@pytest.mark.parametrize("methode", ["put", "patch", "delete"])
def test_aenderungen_nur_per_post(netz, client_fuer, name, akteur, methode):
    antwort = getattr(client_fuer("admin"), methode)(_url(netz, name, akteur))
    assert antwort.status_code == 405
    assert Akteur.objects.filter(pk=netz.familienzentrum.pk).exists()


# --- Datenschutz: die Sozialplanung sieht keine Ansprechpersonen -------------------------

KANARIEN = ["KANARIE_NAME", "KANARIE_EMAIL", "KANARIE_TELEFON"]


@pytest.mark.parametrize(("name", "akteur"), LESEN)
def test_planung_sieht_nie_kontaktdaten_von_ansprechpersonen(netz, client_fuer, name, akteur):
    antwort = client_fuer("planung").get(_url(netz, name, akteur))
    inhalt = (antwort.getvalue() if antwort.streaming else antwort.content).decode()
    for kanarie in KANARIEN:
        assert getattr(netz, kanarie) not in inhalt, kanarie
    assert "Ansprechpersonen" not in inhalt


@pytest.mark.parametrize("persona", ["qm", "qm2", "fb", "admin"])
def test_verwaltung_sieht_ansprechpersonen(netz, client_fuer, persona):
    inhalt = _text(client_fuer(persona).get(_url(netz, "akteur_detail", "familienzentrum")))
    for kanarie in KANARIEN:
        assert getattr(netz, kanarie) in inhalt, kanarie
    assert "Leitung" in inhalt


@pytest.mark.parametrize("persona", ALLE)
def test_export_enthaelt_nie_ansprechpersonen(netz, client_fuer, persona):
    inhalt = client_fuer(persona).get(_url(netz, "akteur_export")).getvalue().decode()
    assert "fz-nord@example.invalid" in inhalt  # Kontakt der Einrichtung ist in Ordnung
    for kanarie in KANARIEN:
        assert getattr(netz, kanarie) not in inhalt, kanarie


def test_bearbeitungsformular_zeigt_ansprechpersonen_den_bearbeitenden(netz, client_fuer):
    inhalt = _text(client_fuer("qm").get(_url(netz, "akteur_bearbeiten", "familienzentrum")))
    assert netz.KANARIE_EMAIL in inhalt
    assert 'name="ansprechpersonen-TOTAL_FORMS"' in inhalt


# --- Verzeichnis -------------------------------------------------------------------------


def test_verzeichnis_zeigt_nur_aktive_bis_der_haken_fehlt(netz, client_fuer):
    netz.verein_sued.aktiv = False
    netz.verein_sued.save()
    client = client_fuer("planung")
    inhalt = _text(client.get(_url(netz, "akteur_liste")))
    assert "Familienzentrum Nord" in inhalt
    assert "Bürgerverein Süd" not in inhalt
    assert "3 Akteure" in inhalt
    # Abgeschicktes Formular ohne Haken: auch die nicht mehr aktiven.
    inhalt = _text(client.get(_url(netz, "akteur_liste"), {"q": ""}))
    assert "Bürgerverein Süd" in inhalt and "nicht mehr aktiv" in inhalt
    assert "4 Akteure" in inhalt
    # Blättern ohne Formular behält die Voreinstellung.
    inhalt = _text(client.get(_url(netz, "akteur_liste"), {"page": "1"}))
    assert "Bürgerverein Süd" not in inhalt


@pytest.mark.parametrize(
    ("parameter", "treffer", "nicht"),
    [
        ({"q": "elterncafé"}, "Familienzentrum Nord", "Jugendtreff Nord"),  # in den Angeboten
        ({"q": "jugend"}, "Jugendtreff Nord", "Familienzentrum Nord"),  # im Namen
        ({"art": "verein"}, "Bürgerverein Süd", "Jugendtreff Nord"),
        ({"zielgruppe": "familien"}, "Familienzentrum Nord", "Jugendtreff Nord"),
        ({"quartier": "sued"}, "Bürgerverein Süd", "Familienzentrum Nord"),
        ({"bezirk": "nord"}, "Jugendtreff Nord", "Bürgerverein Süd"),
    ],
)
def test_verzeichnis_filtert(netz, stadt, client_fuer, parameter, treffer, nicht):
    werte = {
        "familien": netz.familien.pk,
        "sued": stadt.sued.pk,
        "nord": stadt.nord.bezirk_id,
    }
    daten = {k: werte.get(v, v) for k, v in parameter.items()}
    daten["nur_aktive"] = "on"
    inhalt = _text(client_fuer("fb").get(_url(netz, "akteur_liste"), daten))
    assert treffer in inhalt
    assert nicht not in inhalt.split('id="ergebnis"')[1]


def test_verzeichnis_unbekannter_filterwert_gibt_meldung_statt_fehler(netz, client_fuer):
    antwort = client_fuer("qm").get(_url(netz, "akteur_liste"), {"quartier": "abc"})
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)


@pytest.mark.parametrize("wert", ["\x00", "x" * 5000, "' OR 1=1 --", "%", "_", "😀", "-1"])
def test_verzeichnis_ohne_serverfehler_bei_boesen_werten(netz, client_fuer, wert):
    client = client_fuer("planung")
    for param in ["q", "art", "quartier", "bezirk", "zielgruppe", "nur_aktive", "page"]:
        for name in ["akteur_liste", "akteur_export"]:
            assert client.get(_url(netz, name), {param: wert}).status_code == 200, (param, name)


def test_verzeichnis_htmx_liefert_nur_das_ergebnis(netz, client_fuer):
    antwort = client_fuer("qm").get(
        _url(netz, "akteur_liste"), {"q": "jugend"}, HTTP_HX_REQUEST="true"
    )
    inhalt = _text(antwort)
    assert 'id="ergebnis"' in inhalt
    assert "<html" not in inhalt
    assert "Jugendtreff Nord" in inhalt
    # Der Exportlink folgt dem Filter.
    assert f"{_url(netz, 'akteur_export')}?q=jugend" in inhalt


def test_verzeichnis_anlegen_nur_fuer_berechtigte_verlinkt(netz, client_fuer):
    neu = _url(netz, "akteur_neu")
    assert neu in _text(client_fuer("qm").get(_url(netz, "akteur_liste")))
    assert neu not in _text(client_fuer("planung").get(_url(netz, "akteur_liste")))


def test_verzeichnis_blaettert_nach_50(netz, client_fuer):
    Akteur.objects.bulk_create(
        Akteur(name=f"Initiative {i:03d}", art="initiative") for i in range(55)
    )
    client = client_fuer("fb")
    inhalt = _text(client.get(_url(netz, "akteur_liste")))
    assert "Seite 1 von 2" in inhalt
    assert "Initiative 040" in inhalt and "Initiative 054" not in inhalt
    inhalt = _text(client.get(_url(netz, "akteur_liste"), {"page": "2"}))
    assert "Initiative 054" in inhalt


def test_verzeichnis_abfragen_wachsen_nicht_mit_der_zeilenzahl(
    netz, stadt, client_fuer, django_assert_max_num_queries
):
    client = client_fuer("planung")
    client.get(_url(netz, "akteur_liste"))  # Sitzung aufwärmen
    # Sitzung, Benutzer, Anzahl (Blättern), Akteure mit Träger, Prefetch Quartiere,
    # Prefetch Zielgruppen, Quartiere, Bezirke und Zielgruppen fürs Filterformular;
    # Sitzung speichern (Savepoint, Update, Release).
    with django_assert_max_num_queries(12) as vorher:
        client.get(_url(netz, "akteur_liste"))
    for i in range(20):
        akteur = Akteur.objects.create(name=f"Verein {i}", art="verein", traeger=netz.caritas)
        akteur.quartiere.set([stadt.nord, QuartierFactory()])
        akteur.zielgruppen.set([netz.familien, netz.jugend])
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        client.get(_url(netz, "akteur_liste"))


# --- Export ------------------------------------------------------------------------------


def test_export_ist_csv_mit_bom_kopfzeile_und_datiertem_namen(netz, client_fuer):
    antwort = client_fuer("planung").get(_url(netz, "akteur_export"))
    assert antwort["Content-Type"] == "text/csv; charset=utf-8"
    heute = timezone.localdate().isoformat()
    assert antwort["Content-Disposition"] == f'attachment; filename="akteure-{heute}.csv"'
    inhalt = antwort.getvalue().decode("utf-8")
    assert inhalt.startswith(
        "\ufeffname;art;traeger;quartiere;zielgruppen;strasse;plz;ort;telefon;email;website;"
        "angebote;aktiv\r\n"
    )
    zeilen = {z["name"]: z for z in csv.DictReader(io.StringIO(inhalt[1:]), delimiter=";")}
    fz = zeilen["Familienzentrum Nord"]
    assert fz["art"] == "Familienzentrum"
    assert fz["traeger"] == "Caritas Test"
    assert fz["quartiere"] == "Quartier Nord"
    assert fz["zielgruppen"] == "Familien"
    assert fz["angebote"] == "Elterncafé, Beratung"
    assert fz["aktiv"] == "ja"


def test_export_folgt_dem_filter(netz, client_fuer):
    antwort = client_fuer("qm").get(_url(netz, "akteur_export"), {"q": "nord", "art": ""})
    assert sorted(z["name"] for z in _csv(antwort)) == ["Familienzentrum Nord", "Jugendtreff Nord"]


def test_export_zeigt_voreinstellung_nur_aktive(netz, client_fuer):
    netz.jugendtreff.aktiv = False
    netz.jugendtreff.save()
    client = client_fuer("qm")
    assert "Jugendtreff Nord" not in [
        z["name"] for z in _csv(client.get(_url(netz, "akteur_export")))
    ]
    alle = _csv(client.get(_url(netz, "akteur_export"), {"q": ""}))
    assert {"name": "Jugendtreff Nord", "aktiv": "nein"}.items() <= next(
        z for z in alle if z["name"] == "Jugendtreff Nord"
    ).items()


def test_export_schuetzt_vor_formeln_in_tabellenprogrammen(netz, client_fuer):
    netz.jugendtreff.angebote = '=HYPERLINK("https://example.invalid")'
    netz.jugendtreff.telefon = "+49 241 12345"
    netz.jugendtreff.save()
    netz.verein_sued.angebote = "@SUMME(A1)"
    netz.verein_sued.strasse = "-Weg"
    netz.verein_sued.save()
    zeilen = {z["name"]: z for z in _csv(client_fuer("planung").get(_url(netz, "akteur_export")))}
    assert zeilen["Jugendtreff Nord"]["angebote"] == '\'=HYPERLINK("https://example.invalid")'
    assert zeilen["Jugendtreff Nord"]["telefon"] == "+49 241 12345"
    assert zeilen["Bürgerverein Süd"]["angebote"] == "'@SUMME(A1)"
    assert zeilen["Bürgerverein Süd"]["strasse"] == "'-Weg"


def test_export_abfragen_wachsen_nicht(netz, stadt, client_fuer, django_assert_max_num_queries):
    client = client_fuer("planung")
    _csv(client.get(_url(netz, "akteur_export")))
    # Sitzung, Benutzer, Akteure mit Träger, Prefetch Quartiere, Prefetch Zielgruppen (je
    # Block von EXPORT_BLOCK Akteuren, erst beim Streamen); Sitzung speichern (3).
    with django_assert_max_num_queries(8) as vorher:
        _csv(client.get(_url(netz, "akteur_export")))
    for i in range(20):
        akteur = Akteur.objects.create(name=f"Verein {i}", art="verein", traeger=netz.caritas)
        akteur.quartiere.set([stadt.nord])
        akteur.zielgruppen.set([netz.familien])
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        zeilen = _csv(client.get(_url(netz, "akteur_export")))
    assert len(zeilen) == 24


def test_export_ueber_mehrere_bloecke_vollstaendig(netz, stadt, client_fuer, monkeypatch):
    from netzwerke.views import akteure

    monkeypatch.setattr(akteure, "EXPORT_BLOCK", 2)
    for i in range(5):
        Akteur.objects.create(name=f"Verein {i}", art="verein").quartiere.set([stadt.sued])
    zeilen = _csv(client_fuer("planung").get(_url(netz, "akteur_export"), {"q": ""}))
    assert sorted(z["name"] for z in zeilen) == sorted(
        Akteur.objects.values_list("name", flat=True)
    )
    assert {z["quartiere"] for z in zeilen if z["name"].startswith("Verein ")} == {"Quartier Süd"}


# --- Detailseite -------------------------------------------------------------------------


def test_detail_zeigt_kontakt_traeger_netzwerke_sitzungen_und_antraege(netz, client_fuer):
    buero = netz.familienzentrum.quartiere.get().bueros.get()
    Angebotszeit.objects.create(
        akteur=netz.familienzentrum,
        buero=buero,
        angebot="Familienberatung",
        wochentag=2,
        beginn=datetime.time(9),
        ende=datetime.time(11, 30),
    )
    inhalt = _text(client_fuer("planung").get(_url(netz, "akteur_detail", "familienzentrum")))
    assert "fz-nord@example.invalid" in inhalt
    assert "Elterncafé, Beratung" in inhalt
    assert netz.caritas.get_absolute_url() in inhalt  # Träger
    assert "Stadtteilkonferenz Nord" in inhalt and "Sprecherteam" in inhalt
    assert reverse("netzwerke:sitzung_detail", args=[netz.sitzung_nord.pk]) in inhalt
    assert "Sommerfest im Park" in inhalt and "1.500,00" in inhalt and "eingereicht" in inhalt
    assert reverse("netzwerke:antrag_detail", args=[netz.antrag_nord.pk]) in inhalt
    assert "Familienberatung" in inhalt and "Mittwoch, 09:00–11:30 Uhr" in inhalt
    assert buero.get_absolute_url() in inhalt
    assert "Quartier Nord" in inhalt and "Familien" in inhalt


def test_detail_des_traegers_zeigt_einrichtungen(netz, client_fuer):
    inhalt = _text(client_fuer("fb").get(_url(netz, "akteur_detail", "caritas")))
    assert "Einrichtungen dieses Trägers" in inhalt
    assert netz.familienzentrum.get_absolute_url() in inhalt


def test_detail_zeigt_nur_laufende_mitgliedschaften(netz, client_fuer):
    Mitgliedschaft.objects.filter(akteur=netz.jugendtreff).update(
        bis=timezone.localdate() - datetime.timedelta(days=1)
    )
    inhalt = _text(client_fuer("qm").get(_url(netz, "akteur_detail", "jugendtreff")))
    assert "Derzeit in keinem Netzwerk" in inhalt


def test_detail_bearbeiten_link_nur_fuer_berechtigte(netz, client_fuer):
    link = _url(netz, "akteur_bearbeiten", "familienzentrum")
    assert link in _text(client_fuer("qm").get(_url(netz, "akteur_detail", "familienzentrum")))
    assert link not in _text(client_fuer("qm2").get(_url(netz, "akteur_detail", "familienzentrum")))
    assert link not in _text(client_fuer("fb").get(_url(netz, "akteur_detail", "familienzentrum")))


def test_detail_zeigt_die_zehn_juengsten_sitzungen(netz, client_fuer):
    jetzt = timezone.now()
    for tage in range(1, 13):
        s = Sitzung.objects.create(
            netzwerk=netz.konferenz_nord,
            beginn=jetzt - datetime.timedelta(days=30 * tage),
            ort=f"Ort {tage:02d}",
        )
        s.teilnehmende.add(netz.jugendtreff)
    inhalt = _text(client_fuer("qm").get(_url(netz, "akteur_detail", "jugendtreff")))
    assert "Büro Nord" in inhalt  # die Sitzung der Testwelt, vor einer Woche
    assert "Ort 09" in inhalt
    assert "Ort 10" not in inhalt
    assert "Die 10 jüngsten Sitzungen." in inhalt


def test_detail_abfragen_konstant(netz, stadt, client_fuer, django_assert_max_num_queries):
    from netzwerke.models import Antrag, Netzwerk, Projekt

    client = client_fuer("qm")
    url = _url(netz, "akteur_detail", "familienzentrum")
    client.get(url)
    # Sitzung, Benutzer, Akteur mit Träger, Bearbeitungsrecht (eigene Quartiere), Quartiere
    # mit Bezirk, Zielgruppen, Angebotszeiten mit Büro, Einrichtungen, Ansprechpersonen,
    # Mitgliedschaften mit Netzwerk, Sitzungen mit Netzwerk, Projekte, Anträge mit Fonds und
    # Netzwerk; Anzahl der Anliegen (Abschnitt der App anliegen); Sitzung speichern (3).
    with django_assert_max_num_queries(17) as vorher:
        client.get(url)
    fz = netz.familienzentrum
    for i in range(8):
        Ansprechperson.objects.create(akteur=fz, name=f"Person {i}")
        Akteur.objects.create(name=f"Einrichtung {i}", art="kita", traeger=fz)
        netzwerk = Netzwerk.objects.create(name=f"AK {i}", art="arbeitskreis")
        Mitgliedschaft.objects.create(netzwerk=netzwerk, akteur=fz, seit=datetime.date(2021, 1, 1))
        sitzung = Sitzung.objects.create(
            netzwerk=netzwerk, beginn=timezone.now() - datetime.timedelta(days=i + 1), ort="Saal"
        )
        sitzung.teilnehmende.add(fz)
        projekt = Projekt.objects.create(titel=f"Projekt {i}", art="kochaktion")
        projekt.quartiere.add(stadt.nord)
        projekt.partner.add(fz)
        Antrag.objects.create(
            fonds=netz.fonds_nord,
            antragsteller=fz,
            vorhaben=f"Vorhaben {i}",
            beschreibung="x",
            beantragt=100,
        )
        Angebotszeit.objects.create(
            akteur=fz,
            buero=StadtteilbueroFactory(),
            angebot=f"Angebot {i}",
            wochentag=i % 7,
            beginn=datetime.time(9),
            ende=datetime.time(10),
        )
        fz.quartiere.add(QuartierFactory())
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = _text(client.get(url))
    assert "Projekt 7" in inhalt and "Vorhaben 7" in inhalt and "Angebot 7" in inhalt


# --- Anlegen und Bearbeiten --------------------------------------------------------------

VERWALTUNG = {
    "TOTAL_FORMS": "1",
    "INITIAL_FORMS": "0",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}
LEERE_PERSON = {"name": "", "funktion": "", "email": "", "telefon": ""}
LEERE_ZEIT = {"buero": "", "angebot": "", "wochentag": "", "beginn": "", "ende": "", "hinweis": ""}


def _liste(prefix: str, eintraege: list[dict], initial: int = 0) -> dict:
    daten = {f"{prefix}-{k}": v for k, v in VERWALTUNG.items()}
    daten[f"{prefix}-TOTAL_FORMS"] = str(len(eintraege))
    daten[f"{prefix}-INITIAL_FORMS"] = str(initial)
    for i, eintrag in enumerate(eintraege):
        daten.update({f"{prefix}-{i}-{k}": v for k, v in eintrag.items()})
    return daten


def _neu(stadt, netz, personen=None, zeiten=None, **felder) -> dict:
    daten = {
        "name": "Stadtteilcafé Nord",
        "art": "begegnungszentrum",
        "traeger": str(netz.caritas.pk),
        "quartiere": [str(stadt.nord.pk)],
        "zielgruppen": [str(netz.familien.pk), str(netz.jugend.pk)],
        "strasse": "Hauptstraße 1",
        "plz": "52062",
        "ort": "Aachen",
        "telefon": "0241 123",
        "email": "cafe@example.invalid",
        "website": "https://cafe.example.invalid",
        "angebote": "Mittagstisch",
        "aktiv": "on",
    }
    daten.update(felder)
    daten.update(_liste("ansprechpersonen", personen if personen is not None else [LEERE_PERSON]))
    daten.update(_liste("angebotszeiten", zeiten if zeiten is not None else [LEERE_ZEIT]))
    return {k: v for k, v in daten.items() if v is not None}


def test_qm_legt_akteur_mit_ansprechperson_und_angebotszeit_an(netz, stadt, client_fuer):
    daten = _neu(
        stadt,
        netz,
        personen=[{"name": "Frau Beispiel", "funktion": "Leitung", "email": "", "telefon": "1"}],
        zeiten=[
            {
                "buero": str(stadt.buero.pk),
                "angebot": "Offenes Café",
                "wochentag": "3",
                "beginn": "14:00",
                "ende": "16:30",
                "hinweis": "",
            }
        ],
    )
    antwort = client_fuer("qm").post(_url(netz, "akteur_neu"), daten)
    akteur = Akteur.objects.get(name="Stadtteilcafé Nord")
    assert antwort.status_code == 302
    assert antwort["Location"] == akteur.get_absolute_url()
    assert akteur.traeger == netz.caritas
    assert list(akteur.quartiere.all()) == [stadt.nord]
    assert akteur.zielgruppen.count() == 2
    assert akteur.ansprechpersonen.get().name == "Frau Beispiel"
    zeit = akteur.angebotszeiten.get()
    assert (zeit.buero, zeit.wochentag, zeit.beginn) == (stadt.buero, 3, datetime.time(14))


def test_neues_formular_waehlt_die_eigenen_quartiere_vor(netz, stadt, client_fuer):
    inhalt = _text(client_fuer("qm").get(_url(netz, "akteur_neu")))
    felder = re.findall(r'<input type="checkbox" name="quartiere" value="(\d+)"([^>]*)>', inhalt)
    angehakt = {int(pk) for pk, rest in felder if "checked" in rest}
    assert angehakt == {stadt.nord.pk}
    assert all("kern-form-check__checkbox" in rest for _pk, rest in felder)


@pytest.mark.parametrize("quartiere", [[], ["sued"]])
def test_qm_muss_eines_seiner_quartiere_zuordnen(netz, stadt, client_fuer, quartiere):
    daten = _neu(stadt, netz, quartiere=[str(getattr(stadt, q).pk) for q in quartiere])
    antwort = client_fuer("qm").post(_url(netz, "akteur_neu"), daten)
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte wählen Sie mindestens eines Ihrer Quartiere aus (Quartier Nord)" in inhalt
    assert 'value="Stadtteilcafé Nord"' in inhalt  # Eingabe bleibt
    assert "Mittagstisch" in inhalt
    assert not Akteur.objects.filter(name="Stadtteilcafé Nord").exists()


def test_qm_darf_eigenes_quartier_nicht_entfernen(netz, stadt, client_fuer):
    url = _url(netz, "akteur_bearbeiten", "jugendtreff")
    daten = _neu(stadt, netz, name="Jugendtreff Nord", quartiere=[str(stadt.sued.pk)])
    antwort = client_fuer("qm").post(url, daten)
    assert "Bitte wählen Sie mindestens eines Ihrer Quartiere aus" in _text(antwort)
    assert list(netz.jugendtreff.quartiere.all()) == [stadt.nord]


def test_administration_ordnet_beliebige_quartiere_zu(netz, stadt, client_fuer):
    daten = _neu(stadt, netz, quartiere=[str(stadt.sued.pk)])
    assert client_fuer("admin").post(_url(netz, "akteur_neu"), daten).status_code == 302
    assert list(Akteur.objects.get(name="Stadtteilcafé Nord").quartiere.all()) == [stadt.sued]


@pytest.mark.parametrize(
    ("felder", "meldung", "behalten"),
    [
        ({"name": ""}, "Dieses Feld ist zwingend erforderlich.", 'value="Hauptstraße 1"'),
        ({"name": "Jugendtreff Nord"}, "Einen Akteur mit diesem Namen gibt es schon.", None),
        ({"plz": "5206"}, "Die PLZ hat fünf Ziffern, z. B. 52062.", 'value="5206"'),
        ({"plz": "52a62"}, "Die PLZ hat fünf Ziffern, z. B. 52062.", 'value="52a62"'),
        ({"email": "kein-at"}, "Bitte eine gültige E-Mail-Adresse eingeben", 'value="kein-at"'),
        ({"website": "http://"}, "Bitte eine gültige Internetadresse eingeben", None),
        ({"art": "raumschiff"}, "Bitte eine gültige Auswahl treffen.", None),
        ({"traeger": "999999"}, "Bitte eine gültige Auswahl treffen.", None),
    ],
)
def test_falsche_eingaben_geben_deutsche_meldung_und_behalten_eingabe(
    netz, stadt, client_fuer, felder, meldung, behalten
):
    antwort = client_fuer("qm").post(_url(netz, "akteur_neu"), _neu(stadt, netz, **felder))
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte prüfen Sie Ihre Eingaben" in inhalt
    assert meldung in inhalt
    assert 'aria-invalid="true"' in inhalt
    assert "Mittagstisch" in inhalt
    if behalten:
        assert behalten in inhalt
    assert Akteur.objects.count() == 4


def test_angebotszeit_ende_vor_beginn(netz, stadt, client_fuer):
    zeit = {
        "buero": str(stadt.buero.pk),
        "angebot": "Sprechstunde ASD",
        "wochentag": "1",
        "beginn": "14:00",
        "ende": "13:00",
        "hinweis": "",
    }
    antwort = client_fuer("qm").post(_url(netz, "akteur_neu"), _neu(stadt, netz, zeiten=[zeit]))
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Angebotszeit 1, Bis: Das Ende muss nach dem Beginn liegen." in inhalt
    assert 'href="#id_angebotszeiten-0-ende"' in inhalt
    assert 'value="Sprechstunde ASD"' in inhalt and 'value="13:00"' in inhalt
    assert 'value="Stadtteilcafé Nord"' in inhalt
    assert not Akteur.objects.filter(name="Stadtteilcafé Nord").exists()


@pytest.mark.parametrize(
    ("zeit", "meldung"),
    [
        ({"beginn": "25:00"}, "Bitte eine Uhrzeit eingeben, z. B. 14:30."),
        ({"beginn": "14:00", "ende": "14:00"}, "Das Ende muss nach dem Beginn liegen."),
        ({"buero": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_angebotszeit_falsche_eingaben(netz, stadt, client_fuer, zeit, meldung):
    eintrag = {
        "buero": str(stadt.buero.pk),
        "angebot": "Sprechstunde",
        "wochentag": "1",
        "beginn": "09:00",
        "ende": "10:00",
        "hinweis": "",
    }
    eintrag.update(zeit)
    antwort = client_fuer("qm").post(_url(netz, "akteur_neu"), _neu(stadt, netz, zeiten=[eintrag]))
    assert meldung in _text(antwort)
    assert not Akteur.objects.filter(name="Stadtteilcafé Nord").exists()


def test_ansprechperson_mit_falscher_email(netz, stadt, client_fuer):
    person = {"name": "Herr Muster", "funktion": "", "email": "muster@", "telefon": ""}
    antwort = client_fuer("qm").post(_url(netz, "akteur_neu"), _neu(stadt, netz, personen=[person]))
    inhalt = _text(antwort)
    assert "Ansprechperson 1, E-Mail: Bitte eine gültige E-Mail-Adresse eingeben" in inhalt
    assert 'value="Herr Muster"' in inhalt and 'value="muster@"' in inhalt
    assert not Akteur.objects.filter(name="Stadtteilcafé Nord").exists()


def _bearbeiten(stadt, netz, akteur: Akteur, **felder) -> dict:
    personen = [
        {"id": str(p.pk), "akteur": str(akteur.pk), **{k: getattr(p, k) for k in LEERE_PERSON}}
        for p in akteur.ansprechpersonen.all()
    ]
    felder = {
        "name": akteur.name,
        "art": akteur.art,
        "traeger": str(akteur.traeger_id or ""),
        "quartiere": [str(q.pk) for q in akteur.quartiere.all()],
        "zielgruppen": [str(z.pk) for z in akteur.zielgruppen.all()],
        "version": str(akteur.version),
        **felder,
    }
    daten = _neu(stadt, netz, personen=[*personen, LEERE_PERSON], **felder)
    daten["ansprechpersonen-INITIAL_FORMS"] = str(len(personen))
    return daten


def test_bearbeiten_aendert_und_entfernt_ansprechperson(netz, stadt, client_fuer):
    fz = netz.familienzentrum
    daten = _bearbeiten(stadt, netz, fz, telefon="0241 999")
    daten["ansprechpersonen-0-DELETE"] = "on"
    antwort = client_fuer("qm").post(_url(netz, "akteur_bearbeiten", "familienzentrum"), daten)
    assert antwort.status_code == 302
    fz.refresh_from_db()
    assert fz.telefon == "0241 999"
    assert not Ansprechperson.objects.filter(akteur=fz).exists()


def test_angebotszeit_aus_dem_akteursformular_erscheint_im_buero(netz, stadt, client_fuer):
    daten = _bearbeiten(stadt, netz, netz.jugendtreff)
    daten.update(
        {
            "angebotszeiten-0-buero": str(stadt.buero.pk),
            "angebotszeiten-0-angebot": "Fahrradwerkstatt",
            "angebotszeiten-0-wochentag": "4",
            "angebotszeiten-0-beginn": "15:00",
            "angebotszeiten-0-ende": "18:00",
        }
    )
    client = client_fuer("qm")
    url = _url(netz, "akteur_bearbeiten", "jugendtreff")
    assert client.post(url, daten).status_code == 302
    inhalt = client.get(stadt.buero.get_absolute_url()).content.decode()
    assert "Fahrradwerkstatt" in inhalt and "Freitag, 15:00–18:00 Uhr" in inhalt


def test_traeger_ist_nie_der_akteur_selbst_und_nie_im_kreis(netz, stadt, client_fuer):
    client = client_fuer("admin")
    url = _url(netz, "akteur_bearbeiten", "caritas")
    inhalt = _text(client.get(url))
    auswahl = inhalt.split('name="traeger"')[1].split("</select>")[0]
    assert f'value="{netz.caritas.pk}"' not in auswahl
    assert f'value="{netz.familienzentrum.pk}"' in auswahl
    # Caritas ist Träger des Familienzentrums; umgekehrt wäre ein Kreis.
    daten = _bearbeiten(stadt, netz, netz.caritas, traeger=str(netz.familienzentrum.pk))
    inhalt = _text(client.post(url, daten))
    assert "„Familienzentrum Nord“ gehört selbst zu diesem Akteur" in inhalt
    netz.caritas.refresh_from_db()
    assert netz.caritas.traeger is None


def test_planung_bekommt_kein_formular_fuer_ansprechpersonen(netz, client_fuer):
    # Kein Formular: die Rolle darf nicht anlegen; das Recht zu sehen fehlt ohnehin.
    assert client_fuer("planung").get(_url(netz, "akteur_neu")).status_code == 403
