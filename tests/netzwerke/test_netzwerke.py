"""Netzwerke und Mitgliedschaften: Zugriffsmatrix, Inhalte, Eingabefehler, Abfragezahlen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from netzwerke.models import Mitgliedschaft, Netzwerk, Sitzung, Stadtteilfonds
from tests.factories import QuartierFactory

ALLE = ["qm", "qm2", "fb", "planung", "admin"]


def _text(antwort) -> str:
    return antwort.content.decode()


def _url(netz, name: str, objekt: str | None = None) -> str:
    if objekt is None:
        return reverse(f"netzwerke:{name}")
    return reverse(f"netzwerke:{name}", args=[getattr(netz, objekt).pk])


LESEN = [
    ("netzwerk_liste", None),
    ("netzwerk_detail", "konferenz_nord"),
    ("netzwerk_detail", "konferenz_sued"),
    ("netzwerk_detail", "ak_jugend"),
]
# Seiten mit Formular am Netzwerk von `qm` (Quartier Nord).
BEARBEITEN = [
    ("netzwerk_bearbeiten", "konferenz_nord"),
    ("mitgliedschaft_neu", "konferenz_nord"),
]


# --- Zugriff -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "objekt"), [*LESEN, *BEARBEITEN, ("netzwerk_neu", None)])
def test_anonym_wird_zur_anmeldung_geleitet(netz, client, name, objekt):
    antwort = client.get(_url(netz, name, objekt))
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("login"))


def test_anonym_kann_keine_mitgliedschaft_beenden(netz, client):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    antwort = client.post(reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk]))
    assert antwort.status_code == 302
    m.refresh_from_db()
    assert m.bis is None


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(("name", "objekt"), LESEN)
def test_jede_rolle_liest_netzwerke(netz, client_fuer, persona, name, objekt):
    assert client_fuer(persona).get(_url(netz, name, objekt)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 200), ("qm2", 403), ("fb", 403), ("planung", 403), ("admin", 200)],
)
@pytest.mark.parametrize(("name", "objekt"), BEARBEITEN)
def test_bearbeiten_nur_im_eigenen_quartier(netz, client_fuer, persona, erwartet, name, objekt):
    assert client_fuer(persona).get(_url(netz, name, objekt)).status_code == erwartet


@pytest.mark.parametrize(("name", "objekt"), BEARBEITEN)
def test_fremdes_netzwerk_bearbeiten_ist_403_auch_per_post(netz, client_fuer, name, objekt):
    antwort = client_fuer("qm2").post(_url(netz, name, objekt), {"name": "Übernommen"})
    assert antwort.status_code == 403
    netz.konferenz_nord.refresh_from_db()
    assert netz.konferenz_nord.name == "Stadtteilkonferenz Nord"


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 200), ("qm2", 200), ("fb", 403), ("planung", 403), ("admin", 200)],
)
def test_netzwerk_anlegen_nur_qm_und_administration(netz, client_fuer, persona, erwartet):
    assert client_fuer(persona).get(reverse("netzwerke:netzwerk_neu")).status_code == erwartet


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 302), ("qm2", 403), ("fb", 403), ("planung", 403), ("admin", 302)],
)
def test_mitgliedschaft_beenden_nur_mit_recht(netz, client_fuer, persona, erwartet):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    antwort = client_fuer(persona).post(reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk]))
    assert antwort.status_code == erwartet
    m.refresh_from_db()
    assert (m.bis is not None) == (erwartet == 302)


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(
    "url",
    [
        "/netzwerke/999999/",
        "/netzwerke/999999/bearbeiten/",
        "/netzwerke/999999/mitglieder/neu/",
        "/netzwerke/999999/sitzungen/neu/",
    ],
)
def test_unbekannte_netzwerke_sind_404(netz, client_fuer, persona, url):
    assert client_fuer(persona).get(url).status_code == 404


@pytest.mark.parametrize("persona", ALLE)
def test_unbekannte_mitgliedschaft_ist_404(netz, client_fuer, persona):
    url = reverse("netzwerke:mitgliedschaft_beenden", args=[999999])
    assert client_fuer(persona).post(url).status_code == 404


@pytest.mark.parametrize(("name", "objekt"), LESEN)
def test_lesende_seiten_lehnen_post_ab(netz, client_fuer, name, objekt):
    assert client_fuer("qm").post(_url(netz, name, objekt)).status_code == 405


def test_mitgliedschaft_beenden_nur_per_post(netz, client_fuer):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    url = reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk])
    assert client_fuer("qm").get(url).status_code == 405


@pytest.mark.parametrize(("name", "objekt"), BEARBEITEN)
def test_formulare_lehnen_andere_methoden_ab(netz, client_fuer, name, objekt):
    assert client_fuer("qm").put(_url(netz, name, objekt)).status_code == 405


def test_knoepfe_zum_bearbeiten_nur_fuer_berechtigte(netz, client_fuer):
    url = netz.konferenz_nord.get_absolute_url()
    bearbeiten = reverse("netzwerke:netzwerk_bearbeiten", args=[netz.konferenz_nord.pk])
    beenden = reverse(
        "netzwerke:mitgliedschaft_beenden",
        args=[Mitgliedschaft.objects.get(akteur=netz.jugendtreff).pk],
    )
    inhalt = _text(client_fuer("qm").get(url))
    assert bearbeiten in inhalt and beenden in inhalt
    for persona in ("qm2", "fb", "planung"):
        inhalt = _text(client_fuer(persona).get(url))
        assert bearbeiten not in inhalt
        assert beenden not in inhalt


# --- Liste -------------------------------------------------------------------------------


def test_liste_zeigt_arbeitsgruppen_unter_ihrer_konferenz_und_naechste_sitzung(netz, client_fuer):
    inhalt = _text(client_fuer("planung").get(reverse("netzwerke:netzwerk_liste")))
    nord = inhalt.index("Stadtteilkonferenz Nord")
    ak = inhalt.index("AK Jugend Nord")
    sued = inhalt.index("Stadtteilkonferenz Süd")
    assert nord < ak < sued  # eingerückt direkt unter der Konferenz, nicht alphabetisch
    assert "ql-einzug--1" in inhalt
    beginn = timezone.localtime(netz.sitzung_sued.beginn)
    assert beginn.strftime("%d.%m.%Y, %H:%M") in inhalt
    assert netz.sitzung_sued.get_absolute_url() in inhalt
    assert "keine geplant" in inhalt  # Nord: die Sitzung liegt in der Vergangenheit


def test_liste_filtert_nach_art_quartier_und_bezirk(netz, stadt, client_fuer):
    client = client_fuer("qm")
    url = reverse("netzwerke:netzwerk_liste")
    inhalt = _text(client.get(url, {"art": "arbeitskreis"}))
    assert "AK Jugend Nord" in inhalt and "Stadtteilkonferenz Süd" not in inhalt
    assert "Arbeitsgruppe von Stadtteilkonferenz Nord" in inhalt  # Elternteil nicht in der Liste
    inhalt = _text(client.get(url, {"quartier": stadt.sued.pk}))
    assert "Stadtteilkonferenz Süd" in inhalt and "Stadtteilkonferenz Nord" not in inhalt
    inhalt = _text(client.get(url, {"bezirk": stadt.nord.bezirk.pk}))
    assert "Stadtteilkonferenz Nord" in inhalt and "Stadtteilkonferenz Süd" not in inhalt


def test_liste_unbekannter_filterwert_gibt_meldung_statt_fehler(netz, client_fuer):
    antwort = client_fuer("qm").get(reverse("netzwerke:netzwerk_liste"), {"quartier": "abc"})
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)


def test_liste_htmx_liefert_nur_das_ergebnis(netz, client_fuer):
    antwort = client_fuer("qm").get(
        reverse("netzwerke:netzwerk_liste"), {"art": "arbeitskreis"}, HTTP_HX_REQUEST="true"
    )
    inhalt = _text(antwort)
    assert 'id="ergebnis"' in inhalt and "<html" not in inhalt
    assert "AK Jugend Nord" in inhalt


def test_liste_abfragen_wachsen_nicht_mit_der_zeilenzahl(
    netz, stadt, client_fuer, django_assert_max_num_queries
):
    client = client_fuer("planung")
    url = reverse("netzwerke:netzwerk_liste")
    client.get(url)  # Sitzung aufwärmen
    # Sitzung, Benutzer; Netzwerke mit Mitgliederzahl und nächster Sitzung (Unterabfragen);
    # Prefetch Quartiere; Quartiere und Bezirke fürs Filterformular; Sitzung speichern (3).
    with django_assert_max_num_queries(9) as vorher:
        client.get(url)
    jetzt = timezone.now()
    for i in range(12):
        netzwerk = Netzwerk.objects.create(
            name=f"Runder Tisch {i}", art="runder_tisch", uebergeordnet=netz.konferenz_sued
        )
        netzwerk.quartiere.set([stadt.sued, QuartierFactory()])
        Mitgliedschaft.objects.create(
            netzwerk=netzwerk, akteur=netz.verein_sued, seit=datetime.date(2024, 1, 1)
        )
        Sitzung.objects.create(
            netzwerk=netzwerk, beginn=jetzt + datetime.timedelta(days=i + 1), ort="Saal"
        )
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = _text(client.get(url))
    assert "Runder Tisch 11" in inhalt


# --- Detail ------------------------------------------------------------------------------


def test_detail_zeigt_quartiere_sprecherteam_mitglieder_gruppen_sitzungen_fonds(netz, client_fuer):
    Mitgliedschaft.objects.create(
        netzwerk=netz.konferenz_nord,
        akteur=netz.verein_sued,
        seit=datetime.date(2019, 1, 1),
        bis=datetime.date(2021, 6, 30),
    )
    inhalt = _text(client_fuer("fb").get(netz.konferenz_nord.get_absolute_url()))
    assert "Quartier Nord" in inhalt
    sprecher = inhalt.split("Sprecherteam")[1].split("</dd>")[0]
    assert "Familienzentrum Nord" in sprecher and "Jugendtreff" not in sprecher
    assert "Jugendtreff Nord" in inhalt and "01.01.2020" in inhalt
    # frühere Mitglieder eingeklappt
    assert "1 frühere Mitgliedschaft" in inhalt
    assert "<details" in inhalt and "30.06.2021" in inhalt
    assert "AK Jugend Nord" in inhalt
    assert netz.sitzung_nord.get_absolute_url() in inhalt
    assert "3 Akteure anwesend" in inhalt
    assert reverse("netzwerke:fonds_detail", args=[netz.fonds_nord.pk]) in inhalt
    assert "5.000,00 €" in inhalt


def test_detail_der_arbeitsgruppe_verweist_auf_die_konferenz(netz, client_fuer):
    inhalt = _text(client_fuer("qm").get(netz.ak_jugend.get_absolute_url()))
    assert "Arbeitsgruppe von" in inhalt
    assert netz.konferenz_nord.get_absolute_url() in inhalt
    assert "Stadtteilfonds" not in inhalt.split('id="inhalt"')[1]  # die Navigation zählt nicht


def test_detail_abfragen_konstant(netz, stadt, client_fuer, django_assert_max_num_queries):
    client = client_fuer("qm")
    url = netz.konferenz_nord.get_absolute_url()
    client.get(url)
    # Sitzung, Benutzer, Netzwerk (mit übergeordnetem), Mitgliedschaften mit Akteur,
    # Fonds mit bewilligter Summe, Bearbeitungsrecht (eigene Quartiere), Quartiere mit
    # Bezirk, Arbeitsgruppen, kommende und vergangene Sitzungen (mit Anwesenden gezählt);
    # Sitzung speichern (3).
    with django_assert_max_num_queries(13) as vorher:
        client.get(url)
    from netzwerke.models import Akteur

    jetzt = timezone.now()
    for i in range(8):
        akteur = Akteur.objects.create(name=f"Initiative {i}", art="initiative")
        Mitgliedschaft.objects.create(
            netzwerk=netz.konferenz_nord, akteur=akteur, seit=datetime.date(2021, 1, 1)
        )
        Mitgliedschaft.objects.create(
            netzwerk=netz.konferenz_nord,
            akteur=akteur,
            seit=datetime.date(2018, 1, 1),
            bis=datetime.date(2019, 1, 1),
        )
        vorbei = Sitzung.objects.create(
            netzwerk=netz.konferenz_nord, beginn=jetzt - datetime.timedelta(days=30 + i), ort="A"
        )
        vorbei.teilnehmende.set([akteur, netz.jugendtreff])
        Sitzung.objects.create(
            netzwerk=netz.konferenz_nord, beginn=jetzt + datetime.timedelta(days=i + 1), ort="B"
        )
        Netzwerk.objects.create(
            name=f"AK {i}", art="arbeitskreis", uebergeordnet=netz.konferenz_nord
        )
        Stadtteilfonds.objects.create(netzwerk=netz.konferenz_nord, jahr=2010 + i, budget=100)
    netz.konferenz_nord.quartiere.add(QuartierFactory(), QuartierFactory())
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = _text(client.get(url))
    assert "Initiative 7" in inhalt and "AK 7" in inhalt


# --- Netzwerk anlegen und bearbeiten -----------------------------------------------------


def test_qm_legt_netzwerk_im_eigenen_quartier_an(netz, stadt, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:netzwerk_neu"),
        {
            "name": "AK Senioren Nord",
            "art": "arbeitskreis",
            "uebergeordnet": netz.konferenz_nord.pk,
            "quartiere": [stadt.nord.pk],
            "beschreibung": "Treffen der Altenarbeit",
            "aktiv": "on",
        },
    )
    neu = Netzwerk.objects.get(name="AK Senioren Nord")
    assert antwort.status_code == 302
    assert antwort["Location"] == neu.get_absolute_url()
    assert neu.uebergeordnet == netz.konferenz_nord
    assert list(neu.quartiere.all()) == [stadt.nord]


def test_qm_muss_ein_eigenes_quartier_waehlen_eingaben_bleiben(netz, stadt, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:netzwerk_neu"),
        {"name": "Runder Tisch Süd", "art": "runder_tisch", "quartiere": [stadt.sued.pk]},
    )
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte prüfen Sie Ihre Eingaben" in inhalt
    assert "Bitte wählen Sie mindestens eines Ihrer Quartiere aus (Quartier Nord)" in inhalt
    assert 'value="Runder Tisch Süd"' in inhalt
    assert not Netzwerk.objects.filter(name="Runder Tisch Süd").exists()


def test_administration_darf_netzwerk_ohne_eigenes_quartier_anlegen(netz, stadt, client_fuer):
    antwort = client_fuer("admin").post(
        reverse("netzwerke:netzwerk_neu"),
        {"name": "Runder Tisch Berg", "art": "runder_tisch", "quartiere": [stadt.berg.pk]},
    )
    assert antwort.status_code == 302


def test_doppelter_name_gibt_deutsche_meldung(netz, stadt, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:netzwerk_neu"),
        {"name": "Stadtteilkonferenz Süd", "art": "runder_tisch", "quartiere": [stadt.nord.pk]},
    )
    assert "Ein Netzwerk mit diesem Namen gibt es schon." in _text(antwort)


def test_netzwerk_mit_arbeitsgruppen_wird_nicht_untergeordnet(netz, stadt, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:netzwerk_bearbeiten", args=[netz.konferenz_nord.pk]),
        {
            "name": "Stadtteilkonferenz Nord",
            "art": "stadtteilkonferenz",
            "uebergeordnet": netz.konferenz_sued.pk,
            "quartiere": [stadt.nord.pk],
        },
    )
    assert antwort.status_code == 200
    assert "hat eigene Arbeitsgruppen" in _text(antwort)


def test_netzwerk_ist_nicht_sein_eigenes_uebergeordnetes(netz, stadt, client_fuer):
    url = reverse("netzwerke:netzwerk_bearbeiten", args=[netz.ak_jugend.pk])
    inhalt = _text(client_fuer("qm").get(url))
    auswahl = inhalt.split('name="uebergeordnet"')[1].split("</select>")[0]
    assert "AK Jugend Nord" not in auswahl
    assert "Stadtteilkonferenz Nord" in auswahl


def test_bearbeiten_speichert_und_leitet_zur_detailseite(netz, stadt, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:netzwerk_bearbeiten", args=[netz.konferenz_nord.pk]),
        {
            "name": "Stadtteilkonferenz Nord",
            "art": "stadtteilkonferenz",
            "quartiere": [stadt.nord.pk, stadt.berg.pk],
            "beschreibung": "Tagt viermal im Jahr.",
            "aktiv": "on",
            "version": "0",
        },
    )
    assert antwort.status_code == 302
    netz.konferenz_nord.refresh_from_db()
    assert netz.konferenz_nord.beschreibung == "Tagt viermal im Jahr."
    assert netz.konferenz_nord.quartiere.count() == 2


# --- Mitgliedschaften --------------------------------------------------------------------


def _mitglied_url(netz) -> str:
    return reverse("netzwerke:mitgliedschaft_neu", args=[netz.konferenz_nord.pk])


def test_mitglied_eintragen(netz, client_fuer):
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {"akteur": netz.verein_sued.pk, "rolle": "gast", "seit": "2024-03-01", "bis": ""},
    )
    assert antwort.status_code == 302
    m = Mitgliedschaft.objects.get(netzwerk=netz.konferenz_nord, akteur=netz.verein_sued)
    assert m.rolle == "gast" and m.seit == datetime.date(2024, 3, 1) and m.bis is None


def test_mitglied_mit_deutschem_datum(netz, client_fuer):
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {"akteur": netz.verein_sued.pk, "rolle": "mitglied", "seit": "01.03.2024"},
    )
    assert antwort.status_code == 302


def test_bis_vor_seit_gibt_deutsche_meldung_und_behaelt_eingaben(netz, client_fuer):
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {
            "akteur": netz.verein_sued.pk,
            "rolle": "gast",
            "seit": "2024-03-01",
            "bis": "2024-02-01",
        },
    )
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Das Ende (bis) darf nicht vor dem Beginn (seit) liegen." in inhalt
    assert 'value="2024-02-01"' in inhalt and 'value="2024-03-01"' in inhalt
    assert f'<option value="{netz.verein_sued.pk}" selected>' in inhalt
    assert 'aria-invalid="true"' in inhalt
    assert not Mitgliedschaft.objects.filter(akteur=netz.verein_sued, netzwerk=netz.konferenz_nord)


def test_laufendes_mitglied_nicht_doppelt(netz, client_fuer):
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {"akteur": netz.jugendtreff.pk, "rolle": "mitglied", "seit": "2025-01-01"},
    )
    assert antwort.status_code == 200
    assert (
        "„Jugendtreff Nord“ ist bereits Mitglied in diesem Netzwerk (seit 01.01.2020). "
        "Beenden Sie zuerst die laufende Mitgliedschaft." in _text(antwort)
    )
    assert 'value="2025-01-01"' in _text(antwort)
    assert Mitgliedschaft.objects.filter(akteur=netz.jugendtreff).count() == 1


def test_ueberschneidung_mit_frueherer_mitgliedschaft(netz, client_fuer):
    Mitgliedschaft.objects.create(
        netzwerk=netz.konferenz_nord,
        akteur=netz.verein_sued,
        seit=datetime.date(2018, 1, 1),
        bis=datetime.date(2019, 12, 31),
    )
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {"akteur": netz.verein_sued.pk, "rolle": "mitglied", "seit": "2019-06-01"},
    )
    assert "war in diesem Zeitraum schon Mitglied (01.01.2018 bis 31.12.2019)" in _text(antwort)
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {"akteur": netz.verein_sued.pk, "rolle": "mitglied", "seit": "2020-01-01"},
    )
    assert antwort.status_code == 302


def test_gleichzeitige_eintragung_faengt_die_datenbank(netz, client_fuer, monkeypatch):
    """Die Prüfung im Formular sah das andere Mitglied noch nicht: `mitgliedschaft_eine_laufende`
    verhindert die zweite laufende Mitgliedschaft, die Seite erklärt es statt eines Fehlers."""
    from netzwerke.forms.netzwerke import MitgliedschaftForm

    monkeypatch.setattr(MitgliedschaftForm, "_pruefe_ueberschneidung", lambda *a: None)
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {"akteur": netz.jugendtreff.pk, "rolle": "mitglied", "seit": "2025-01-01"},
    )
    assert antwort.status_code == 200
    assert "ist inzwischen bereits Mitglied in diesem Netzwerk" in _text(antwort)
    assert Mitgliedschaft.objects.filter(akteur=netz.jugendtreff).count() == 1


@pytest.mark.parametrize("eingabe", ["31.02.2024", "gestern", ""])
def test_ungueltiges_datum_gibt_deutsche_meldung(netz, client_fuer, eingabe):
    antwort = client_fuer("qm").post(
        _mitglied_url(netz),
        {"akteur": netz.verein_sued.pk, "rolle": "mitglied", "seit": eingabe},
    )
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte ein gültiges Datum eingeben" in inhalt or "Bitte ein Datum eingeben." in inhalt


def test_mitgliedschaft_beenden_mit_heute_als_vorgabe(netz, client_fuer):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    antwort = client_fuer("qm").post(
        reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk]), follow=True
    )
    m.refresh_from_db()
    assert m.bis == timezone.localdate()
    assert "Die Mitgliedschaft von „Jugendtreff Nord“ endet am" in _text(antwort)


def test_mitgliedschaft_beenden_mit_datum_und_danach_frueher(netz, client_fuer):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    url = reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk])
    client_fuer("qm").post(url, {"bis": "2023-12-31"})
    m.refresh_from_db()
    assert m.bis == datetime.date(2023, 12, 31)
    inhalt = _text(client_fuer("qm").get(netz.konferenz_nord.get_absolute_url()))
    assert "1 frühere Mitgliedschaft" in inhalt


def test_mitgliedschaft_beenden_vor_beginn_gibt_meldung(netz, client_fuer):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    antwort = client_fuer("qm").post(
        reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk]), {"bis": "2019-01-01"}, follow=True
    )
    assert "Das Ende darf nicht vor dem Beginn der Mitgliedschaft (01.01.2020) liegen." in _text(
        antwort
    )
    m.refresh_from_db()
    assert m.bis is None


def test_beendete_mitgliedschaft_nicht_noch_einmal_beenden(netz, client_fuer):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    m.bis = datetime.date(2023, 1, 1)
    m.save()
    antwort = client_fuer("qm").post(
        reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk]), follow=True
    )
    assert "Diese Mitgliedschaft ist bereits beendet." in _text(antwort)
    m.refresh_from_db()
    assert m.bis == datetime.date(2023, 1, 1)


def test_mitgliedschaft_beenden_mit_kaputtem_datum(netz, client_fuer):
    m = Mitgliedschaft.objects.get(akteur=netz.jugendtreff)
    antwort = client_fuer("qm").post(
        reverse("netzwerke:mitgliedschaft_beenden", args=[m.pk]), {"bis": "morgen"}, follow=True
    )
    assert "Bitte ein gültiges Datum eingeben" in _text(antwort)
    m.refresh_from_db()
    assert m.bis is None
