"""Sitzungen: Zugriffsmatrix, die Seite fürs Tablet, optimistisches Sperren, Protokoll, Liste."""

import datetime
import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netzwerke.models import Akteur, Mitgliedschaft, Sitzung, Tagesordnungspunkt
from tests.factories import QuartierFactory

ALLE = ["qm", "qm2", "fb", "planung", "admin"]


def _text(antwort) -> str:
    return antwort.content.decode()


def _bearbeiten(netz) -> str:
    return reverse("netzwerke:sitzung_bearbeiten", args=[netz.sitzung_nord.pk])


def _neu(netz) -> str:
    return reverse("netzwerke:sitzung_neu", args=[netz.konferenz_nord.pk])


def _daten(netz, punkte=None, **felder) -> dict:
    """POST-Daten des Sitzungsformulars; `punkte`: (nummer, titel, ergebnis[, "on" = löschen])."""
    if punkte is None:
        punkte = [("1", "Berichte", "Alle berichten."), ("2", "Sommerfest", "")]
    daten = {
        "beginn": "2026-03-14T18:30",
        "ende": "2026-03-14T20:00",
        "ort": "Büro Nord",
        "teilnehmende": [netz.familienzentrum.pk, netz.jugendtreff.pk],
        "weitere_akteure": [netz.verein_sued.pk],
        "weitere_teilnehmende": "4",
        "protokoll": "Begrüßung durch das Sprecherteam.",
        "top-TOTAL_FORMS": str(len(punkte)),
        "top-INITIAL_FORMS": "0",
        "top-MIN_NUM_FORMS": "0",
        "top-MAX_NUM_FORMS": "1000",
    }
    for i, punkt in enumerate(punkte):
        daten[f"top-{i}-nummer"] = punkt[0]
        daten[f"top-{i}-titel"] = punkt[1]
        daten[f"top-{i}-ergebnis"] = punkt[2]
        if len(punkt) > 3:
            daten[f"top-{i}-DELETE"] = punkt[3]
    daten.update(felder)
    return daten


# --- Zugriff -----------------------------------------------------------------------------

LESEN = [
    ("sitzung_liste", None),
    ("sitzung_detail", "sitzung_nord"),
    ("sitzung_detail", "sitzung_sued"),
    ("sitzung_protokoll", "sitzung_nord"),
    ("sitzung_protokoll", "sitzung_sued"),
]
BEARBEITEN = [("sitzung_bearbeiten", "sitzung_nord"), ("sitzung_neu", "konferenz_nord")]


def _url(netz, name, objekt) -> str:
    if objekt is None:
        return reverse(f"netzwerke:{name}")
    return reverse(f"netzwerke:{name}", args=[getattr(netz, objekt).pk])


@pytest.mark.parametrize(("name", "objekt"), [*LESEN, *BEARBEITEN])
def test_anonym_wird_zur_anmeldung_geleitet(netz, client, name, objekt):
    antwort = client.get(_url(netz, name, objekt))
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(("name", "objekt"), LESEN)
def test_jede_rolle_liest_sitzungen(netz, client_fuer, persona, name, objekt):
    assert client_fuer(persona).get(_url(netz, name, objekt)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 200), ("qm2", 403), ("fb", 403), ("planung", 403), ("admin", 200)],
)
@pytest.mark.parametrize(("name", "objekt"), BEARBEITEN)
def test_bearbeiten_nur_im_eigenen_quartier(netz, client_fuer, persona, erwartet, name, objekt):
    assert client_fuer(persona).get(_url(netz, name, objekt)).status_code == erwartet


@pytest.mark.parametrize(("name", "objekt"), BEARBEITEN)
def test_fremde_sitzung_speichern_ist_403(netz, client_fuer, name, objekt):
    antwort = client_fuer("qm2").post(
        _url(netz, name, objekt), _daten(netz, version="0", protokoll="fremd")
    )
    assert antwort.status_code == 403
    netz.sitzung_nord.refresh_from_db()
    assert netz.sitzung_nord.protokoll == "Begrüßung, Bericht aus dem Quartier."
    assert Sitzung.objects.count() == 2


def test_qm_bearbeitet_die_sitzung_im_eigenen_quartier_auch_suedlich(netz, client_fuer):
    url = reverse("netzwerke:sitzung_bearbeiten", args=[netz.sitzung_sued.pk])
    assert client_fuer("qm2").get(url).status_code == 200
    assert client_fuer("qm").get(url).status_code == 403


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(
    "url",
    ["/sitzungen/999999/", "/sitzungen/999999/bearbeiten/", "/sitzungen/999999/protokoll/"],
)
def test_unbekannte_sitzungen_sind_404(netz, client_fuer, persona, url):
    assert client_fuer(persona).get(url).status_code == 404


@pytest.mark.parametrize(("name", "objekt"), LESEN)
def test_lesende_seiten_lehnen_post_ab(netz, client_fuer, name, objekt):
    assert client_fuer("qm").post(_url(netz, name, objekt)).status_code == 405


def test_bearbeiten_knopf_nur_fuer_berechtigte(netz, client_fuer):
    url = netz.sitzung_nord.get_absolute_url()
    assert _bearbeiten(netz) in _text(client_fuer("qm").get(url))
    for persona in ("qm2", "fb", "planung"):
        assert _bearbeiten(netz) not in _text(client_fuer(persona).get(url))


# --- Anlegen und bearbeiten --------------------------------------------------------------


def test_formular_zeigt_mitglieder_als_kaestchen_und_gaeste_vorausgewaehlt(netz, client_fuer):
    netz.sitzung_nord.teilnehmende.add(netz.verein_sued)
    inhalt = _text(client_fuer("qm").get(_bearbeiten(netz)))
    kaestchen = re.findall(
        r'<input type="checkbox" name="teilnehmende" value="(\d+)"[^>]*>', inhalt
    )
    mitglieder = {netz.familienzentrum.pk, netz.jugendtreff.pk, netz.caritas.pk}
    assert {int(pk) for pk in kaestchen} == mitglieder
    assert inhalt.count('name="teilnehmende"') == 3
    assert re.search(rf'name="teilnehmende" value="{netz.jugendtreff.pk}"[^>]*checked', inhalt)
    gaeste = inhalt.split('name="weitere_akteure"')[1].split("</select>")[0]
    assert f'<option value="{netz.verein_sued.pk}" selected>' in gaeste
    assert "Jugendtreff" not in gaeste
    assert 'type="datetime-local"' in inhalt
    assert 'name="version" value="0"' in inhalt
    assert 'value="Berichte"' in inhalt
    # leere Zeilen schlagen die nächsten Nummern vor
    assert 'name="top-1-nummer" value="2"' in inhalt


def test_sitzung_anlegen_mit_anwesenheit_und_tagesordnung(netz, client_fuer):
    antwort = client_fuer("qm").post(_neu(netz), _daten(netz))
    neu = Sitzung.objects.exclude(pk__in=[netz.sitzung_nord.pk, netz.sitzung_sued.pk]).get()
    assert antwort.status_code == 302
    assert antwort["Location"] == neu.get_absolute_url()
    assert neu.netzwerk == netz.konferenz_nord
    assert timezone.localtime(neu.beginn).strftime("%d.%m.%Y %H:%M") == "14.03.2026 18:30"
    assert set(neu.teilnehmende.all()) == {
        netz.familienzentrum,
        netz.jugendtreff,
        netz.verein_sued,
    }
    assert neu.weitere_teilnehmende == 4
    assert [(t.nummer, t.titel) for t in neu.tagesordnung.all()] == [
        (1, "Berichte"),
        (2, "Sommerfest"),
    ]
    assert neu.version == 0


def test_speichern_und_weiter_bleibt_im_formular(netz, client_fuer):
    antwort = client_fuer("qm").post(_bearbeiten(netz), _daten(netz, version="0", weiter="1"))
    assert antwort.status_code == 302
    assert antwort["Location"] == _bearbeiten(netz)


def test_bearbeiten_ersetzt_tagesordnung_und_zaehlt_version_hoch(netz, client_fuer):
    client = client_fuer("qm")
    client.post(_bearbeiten(netz), _daten(netz, version="0"))
    # TOP 1 und 2 tauschen: verletzt nie zwischendurch `top_nummer_eindeutig`
    antwort = client.post(
        _bearbeiten(netz),
        _daten(netz, punkte=[("2", "Berichte", "x"), ("1", "Sommerfest", "y")], version="1"),
    )
    assert antwort.status_code == 302
    sitzung = Sitzung.objects.get(pk=netz.sitzung_nord.pk)
    assert sitzung.version == 2
    assert [(t.nummer, t.titel) for t in sitzung.tagesordnung.all()] == [
        (1, "Sommerfest"),
        (2, "Berichte"),
    ]


def test_tagesordnungspunkt_loeschen_und_leere_zeilen_uebergehen(netz, client_fuer):
    antwort = client_fuer("qm").post(
        _bearbeiten(netz),
        _daten(
            netz,
            punkte=[("1", "Berichte", "", "on"), ("2", "Verschiedenes", ""), ("3", "", "")],
            version="0",
        ),
    )
    assert antwort.status_code == 302
    assert list(
        Tagesordnungspunkt.objects.filter(sitzung=netz.sitzung_nord).values_list("titel")
    ) == [("Verschiedenes",)]


def test_doppelte_nummern_geben_deutsche_meldung_und_behalten_eingaben(netz, client_fuer):
    antwort = client_fuer("qm").post(
        _bearbeiten(netz),
        _daten(
            netz,
            punkte=[("1", "Berichte", "Alles gut"), ("1", "Sommerfest", "Termin steht")],
            version="0",
        ),
    )
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte prüfen Sie die Tagesordnung" in inhalt
    assert "Zwei Tagesordnungspunkte haben dieselbe Nummer." in inhalt
    assert "Die Nummer 1 kommt mehrfach vor." in inhalt
    assert 'value="Sommerfest"' in inhalt and "Termin steht" in inhalt
    assert "Begrüßung durch das Sprecherteam." in inhalt
    netz.sitzung_nord.refresh_from_db()
    assert netz.sitzung_nord.version == 0
    assert netz.sitzung_nord.tagesordnung.count() == 1


@pytest.mark.parametrize(
    ("punkt", "meldung"),
    [
        (("0", "Berichte", ""), "Bitte eine Nummer zwischen 1 und 99 eingeben."),
        (("100", "Berichte", ""), "Bitte eine Nummer zwischen 1 und 99 eingeben."),
        (("eins", "Berichte", ""), "Bitte eine ganze Zahl eingeben."),
        (("", "Berichte", ""), "Bitte eine Nummer eingeben."),
        (("1", "", "Ergebnis ohne Titel"), "Bitte einen Titel eingeben."),
    ],
)
def test_fehler_im_tagesordnungspunkt(netz, client_fuer, punkt, meldung):
    antwort = client_fuer("qm").post(_bearbeiten(netz), _daten(netz, punkte=[punkt], version="0"))
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert meldung in inhalt
    assert 'href="#id_top-0-' in inhalt  # Sprungziel in der Fehlerliste


@pytest.mark.parametrize(
    ("felder", "meldung"),
    [
        ({"ende": "2026-03-14T18:00"}, "Das Ende muss nach dem Beginn der Sitzung liegen."),
        ({"ende": "2026-03-14T18:30"}, "Das Ende muss nach dem Beginn der Sitzung liegen."),
        ({"beginn": "morgen"}, "Bitte Datum und Uhrzeit eingeben, z. B. 14.03.2026 18:30."),
        ({"beginn": ""}, "Bitte Datum und Uhrzeit eingeben."),
        ({"ort": ""}, "Bitte den Ort der Sitzung eingeben."),
        ({"weitere_teilnehmende": "-1"}, "Bitte eine Anzahl ab 0 eingeben."),
    ],
)
def test_falsche_eingaben_geben_deutsche_meldung_und_behalten_alles(
    netz, client_fuer, felder, meldung
):
    antwort = client_fuer("qm").post(_bearbeiten(netz), _daten(netz, version="0", **felder))
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte prüfen Sie Ihre Eingaben" in inhalt
    assert meldung in inhalt
    assert "Begrüßung durch das Sprecherteam." in inhalt
    assert 'value="Sommerfest"' in inhalt
    assert re.search(rf'name="teilnehmende" value="{netz.jugendtreff.pk}"[^>]*checked', inhalt)
    netz.sitzung_nord.refresh_from_db()
    assert netz.sitzung_nord.version == 0


def test_deutsches_datumsformat_wird_angenommen(netz, client_fuer):
    antwort = client_fuer("qm").post(
        _bearbeiten(netz),
        _daten(netz, version="0", beginn="14.03.2026 18:30", ende="14.03.2026 20:15"),
    )
    assert antwort.status_code == 302


def test_fremde_akteure_lassen_sich_nicht_unterschieben(netz, client_fuer):
    inaktiv = Akteur.objects.create(name="Aufgelöster Verein", art="verein", aktiv=False)
    antwort = client_fuer("qm").post(
        _bearbeiten(netz), _daten(netz, version="0", weitere_akteure=[inaktiv.pk])
    )
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)


# --- Optimistisches Sperren --------------------------------------------------------------


def test_zweite_speicherung_mit_alter_version_ueberschreibt_nichts(netz, client_fuer):
    lena, admin = client_fuer("qm"), client_fuer("admin")
    erste = lena.post(
        _bearbeiten(netz), _daten(netz, version="0", protokoll="Stand von Lena", ort="Saal 1")
    )
    assert erste.status_code == 302

    zweite = admin.post(
        _bearbeiten(netz),
        _daten(
            netz,
            punkte=[("1", "Haushalt", "beschlossen")],
            version="0",
            protokoll="Stand der Verwaltung",
            ort="Saal 2",
        ),
    )
    assert zweite.status_code == 409
    inhalt = _text(zweite)
    assert "Diese Sitzung wurde inzwischen von jemand anderem gespeichert." in inhalt
    # Was die Verwaltung getippt hat, steht noch im Formular …
    assert "Stand der Verwaltung" in inhalt and 'value="Saal 2"' in inhalt
    assert 'value="Haushalt"' in inhalt and "beschlossen" in inhalt
    # … der aktuelle Stand daneben, und die neue Version zum bewussten Überschreiben.
    assert "Aktueller gespeicherter Stand" in inhalt and "Stand von Lena" in inhalt
    assert 'name="version" value="1"' in inhalt

    sitzung = Sitzung.objects.get(pk=netz.sitzung_nord.pk)
    assert sitzung.version == 1
    assert sitzung.protokoll == "Stand von Lena"
    assert sitzung.ort == "Saal 1"
    assert [t.titel for t in sitzung.tagesordnung.all()] == ["Berichte", "Sommerfest"]

    dritte = admin.post(
        _bearbeiten(netz),
        _daten(netz, version="1", protokoll="Stand der Verwaltung", ort="Saal 2"),
    )
    assert dritte.status_code == 302
    sitzung.refresh_from_db()
    assert sitzung.protokoll == "Stand der Verwaltung" and sitzung.version == 2


def test_manipulierte_version_fehlt(netz, client_fuer):
    daten = _daten(netz)
    antwort = client_fuer("qm").post(_bearbeiten(netz), daten)
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="echte parallele Transaktionen nur auf PostgreSQL"
)
def test_gleichzeitige_speicherungen_eine_gewinnt(netz, stadt):
    clients = []
    for user in (stadt.qm, stadt.admin):
        c = Client()
        c.force_login(user)
        clients.append(c)
    start = threading.Barrier(2)
    status: list[int] = []

    def speichern(c: Client, text: str) -> None:
        try:
            start.wait()
            status.append(
                c.post(_bearbeiten(netz), _daten(netz, version="0", protokoll=text)).status_code
            )
        finally:
            connections.close_all()

    faeden = [
        threading.Thread(target=speichern, args=(c, f"Stand {i}")) for i, c in enumerate(clients)
    ]
    for f in faeden:
        f.start()
    for f in faeden:
        f.join(timeout=30)
    assert sorted(status) == [302, 409]
    sitzung = Sitzung.objects.get(pk=netz.sitzung_nord.pk)
    assert sitzung.version == 1
    assert sitzung.tagesordnung.count() == 2


# --- Detail und Protokoll ----------------------------------------------------------------


def _fuellen(netz) -> None:
    sitzung = netz.sitzung_nord
    sitzung.weitere_teilnehmende = 5
    sitzung.save()
    Tagesordnungspunkt.objects.filter(sitzung=sitzung).update(ergebnis="Bericht zur Kenntnis.")
    Tagesordnungspunkt.objects.create(
        sitzung=sitzung, nummer=2, titel="Stadtteilfonds", ergebnis="Antrag empfohlen."
    )


def test_detail_zeigt_anwesenheit_tagesordnung_protokoll(netz, client_fuer):
    _fuellen(netz)
    inhalt = _text(client_fuer("planung").get(netz.sitzung_nord.get_absolute_url()))
    assert "Stadtteilkonferenz Nord" in inhalt
    assert "Familienzentrum Nord" in inhalt and "Caritas Test" in inhalt
    assert "Dazu 5 weitere Personen" in inhalt
    assert "TOP 2" in inhalt and "Antrag empfohlen." in inhalt
    assert "Begrüßung, Bericht aus dem Quartier." in inhalt
    assert reverse("netzwerke:sitzung_protokoll", args=[netz.sitzung_nord.pk]) in inhalt


def test_protokoll_ist_druckbar(netz, client_fuer):
    _fuellen(netz)
    url = reverse("netzwerke:sitzung_protokoll", args=[netz.sitzung_nord.pk])
    inhalt = _text(client_fuer("fb").get(url))
    beginn = timezone.localtime(netz.sitzung_nord.beginn)
    assert f"Protokoll der Sitzung vom {beginn:%d.%m.%Y}" in inhalt
    assert "Stadtteilkonferenz Nord" in inhalt and "Büro Nord" in inhalt
    for text in ("Jugendtreff Nord", "TOP 1", "Berichte", "Bericht zur Kenntnis.", "Begrüßung"):
        assert text in inhalt
    assert "Druckfunktion Ihres Browsers" in inhalt and "ql-nicht-drucken" in inhalt
    # strenge CSP: keine Inline-Styles, keine Inline-Skripte, keine Handler
    assert "style=" not in inhalt
    assert not re.search(r"<script(?![^>]*\bsrc=)", inhalt)
    assert not re.search(r"\son[a-z]+=", inhalt)


def test_protokoll_zeigt_beratene_antraege(netz, client_fuer):
    netz.antrag_nord.sitzung = netz.sitzung_nord
    netz.antrag_nord.save()
    url = reverse("netzwerke:sitzung_protokoll", args=[netz.sitzung_nord.pk])
    assert "Sommerfest im Park" in _text(client_fuer("qm").get(url))
    inhalt = _text(client_fuer("qm").get(netz.sitzung_nord.get_absolute_url()))
    assert netz.antrag_nord.get_absolute_url() in inhalt


@pytest.mark.parametrize(
    ("name", "hoechstens"), [("sitzung_detail", 11), ("sitzung_protokoll", 10)]
)
def test_detail_und_protokoll_abfragen_konstant(
    netz, client_fuer, django_assert_max_num_queries, name, hoechstens
):
    client = client_fuer("qm")
    url = reverse(f"netzwerke:{name}", args=[netz.sitzung_nord.pk])
    client.get(url)
    # Sitzung, Benutzer, Sitzung mit Netzwerk, Anwesende, Tagesordnung, beratene Anträge mit
    # Antragsteller, die hier eingebrachten Anliegen (Abschnitt aus `anliegen`), nur Detail:
    # Bearbeitungsrecht (eigene Quartiere); Sitzung speichern (3).
    with django_assert_max_num_queries(hoechstens) as vorher:
        client.get(url)
    for i in range(20):
        akteur = Akteur.objects.create(name=f"Gast {i}", art="initiative")
        netz.sitzung_nord.teilnehmende.add(akteur)
        Tagesordnungspunkt.objects.create(sitzung=netz.sitzung_nord, nummer=i + 2, titel=f"P{i}")
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = _text(client.get(url))
    assert "Gast 19" in inhalt and "P19" in inhalt


# --- Liste -------------------------------------------------------------------------------


def test_liste_trennt_kommende_und_vergangene(netz, client_fuer):
    inhalt = _text(client_fuer("fb").get(reverse("netzwerke:sitzung_liste")))
    kommende, vergangene = inhalt.split("Vergangene Sitzungen", 1)
    assert "Stadtteilkonferenz Süd" in kommende and "Gemeindesaal Süd" in kommende
    assert "Stadtteilkonferenz Nord" in vergangene
    assert "1 vergangene Sitzung" in vergangene
    assert reverse("netzwerke:sitzung_protokoll", args=[netz.sitzung_nord.pk]) in vergangene


def test_liste_filtert_nach_netzwerk_und_quartier(netz, stadt, client_fuer):
    client = client_fuer("qm")
    url = reverse("netzwerke:sitzung_liste")
    inhalt = _text(client.get(url, {"netzwerk": netz.konferenz_nord.pk}))
    assert "Gemeindesaal Süd" not in inhalt and "Keine kommenden Sitzungen." in inhalt
    inhalt = _text(client.get(url, {"quartier": stadt.sued.pk}))
    assert "Gemeindesaal Süd" in inhalt and "Keine vergangenen Sitzungen." in inhalt


def test_liste_unbekannter_filterwert_gibt_meldung(netz, client_fuer):
    antwort = client_fuer("qm").get(reverse("netzwerke:sitzung_liste"), {"netzwerk": "x"})
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)


def test_liste_blaettert_vergangene_und_behaelt_filter(netz, client_fuer):
    jetzt = timezone.now()
    for i in range(30):
        Sitzung.objects.create(
            netzwerk=netz.konferenz_nord, beginn=jetzt - datetime.timedelta(days=40 + i), ort="X"
        )
    client = client_fuer("qm")
    url = reverse("netzwerke:sitzung_liste")
    inhalt = _text(client.get(url, {"netzwerk": netz.konferenz_nord.pk}))
    assert "Seite 1 von 2" in inhalt
    assert f"?netzwerk={netz.konferenz_nord.pk}&amp;page=2" in inhalt
    inhalt = _text(client.get(url, {"netzwerk": netz.konferenz_nord.pk, "page": "2"}))
    assert "Seite 2 von 2" in inhalt


def test_liste_abfragen_wachsen_nicht_mit_der_zeilenzahl(
    netz, stadt, client_fuer, django_assert_max_num_queries
):
    client = client_fuer("planung")
    url = reverse("netzwerke:sitzung_liste")
    client.get(url)
    # Sitzung, Benutzer; kommende Sitzungen mit Netzwerk und Anwesenden-Zahl; Anzahl und Seite
    # der vergangenen; Quartiere und Netzwerke fürs Filterformular; Sitzung speichern (3).
    with django_assert_max_num_queries(10) as vorher:
        client.get(url)
    jetzt = timezone.now()
    for i in range(15):
        for tage in (i + 1, -(i + 30)):
            s = Sitzung.objects.create(
                netzwerk=netz.konferenz_sued,
                beginn=jetzt + datetime.timedelta(days=tage),
                ort=f"Ort {i}",
            )
            s.teilnehmende.set([netz.verein_sued, netz.jugendtreff])
        netz.konferenz_sued.quartiere.add(QuartierFactory())
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = _text(client.get(url))
    assert "Ort 14" in inhalt


# --- Mein Überblick ----------------------------------------------------------------------


@pytest.fixture
def start_abschnitt():
    from netzwerke.abschnitte_start import registrieren

    registrieren()


def test_ueberblick_zeigt_naechste_sitzungen_in_meinen_quartieren(
    netz, client_fuer, start_abschnitt
):
    Sitzung.objects.create(
        netzwerk=netz.ak_jugend,
        beginn=timezone.now() + datetime.timedelta(days=3),
        ort="Jugendtreff",
    )
    inhalt = _text(client_fuer("qm").get(reverse("quartier:start")))
    assert "Nächste Sitzungen in meinen Quartieren" in inhalt
    assert "AK Jugend Nord" in inhalt
    assert "Gemeindesaal Süd" not in inhalt
    assert "Gemeindesaal Süd" in _text(client_fuer("qm2").get(reverse("quartier:start")))


def test_ueberblick_hoechstens_fuenf_sitzungen(netz, client_fuer, start_abschnitt):
    jetzt = timezone.now()
    for i in range(7):
        Sitzung.objects.create(
            netzwerk=netz.konferenz_nord,
            beginn=jetzt + datetime.timedelta(days=i + 1),
            ort=f"Saal-Nummer-{i}",  # eindeutig: nie zufällig im CSRF-Schlüssel („R5“)
        )
    inhalt = _text(client_fuer("qm").get(reverse("quartier:start")))
    assert "Saal-Nummer-4" in inhalt and "Saal-Nummer-5" not in inhalt


@pytest.mark.parametrize("persona", ["fb", "planung", "admin"])
def test_ueberblick_anderer_rollen_ohne_abschnitt(netz, client_fuer, start_abschnitt, persona):
    inhalt = _text(client_fuer(persona).get(reverse("quartier:start")))
    assert "Nächste Sitzungen in meinen Quartieren" not in inhalt


def test_mitglieder_zum_sitzungsdatum(netz, client_fuer):
    """Wer nach der Sitzung Mitglied wurde, steht nicht in ihrer Anwesenheitsliste."""
    Mitgliedschaft.objects.create(
        netzwerk=netz.konferenz_nord, akteur=netz.verein_sued, seit=timezone.localdate()
    )
    inhalt = _text(client_fuer("qm").get(_bearbeiten(netz)))
    assert inhalt.count('name="teilnehmende"') == 3
