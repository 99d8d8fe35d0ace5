"""Projekte: Zugriffsmatrix, Liste mit Filtern, Detail, Formular mit jeder Eingaberegel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from netzwerke.models import Antrag, Projekt
from tests.factories import QuartierFactory, UserFactory

ALLE = ["qm", "qm2", "fb", "planung", "admin"]


def _text(antwort) -> str:
    return antwort.content.decode()


class Projekte:
    def __init__(self, stadt, netz) -> None:
        self.nord = Projekt.objects.create(
            titel="Fahrradwerkstatt am Jugendtreff",
            art="fahrradwerkstatt",
            status="laufend",
            fortschritt=40,
            verantwortlich=stadt.qm,
            beginn=datetime.date(2026, 4, 1),
            ende=datetime.date(2026, 9, 30),
            teilnehmende=25,
            beschreibung="Jeden Mittwoch reparieren Jugendliche Räder.",
            oeffentlich=True,
            oeffentlicher_text="Räder reparieren, Nachbarn kennenlernen: jeden Mittwoch.",
        )
        self.nord.quartiere.set([stadt.nord])
        self.nord.partner.set([netz.jugendtreff, netz.familienzentrum])
        self.sued = Projekt.objects.create(
            titel="Bänke für den Platz", art="sonstiges", status="idee", verantwortlich=stadt.qm2
        )
        self.sued.quartiere.set([stadt.sued])
        self.fertig = Projekt.objects.create(
            titel="Filmabend im Winter",
            art="filmabend",
            status="abgeschlossen",
            fortschritt=100,
            verantwortlich=stadt.qm,
            beginn=datetime.date(2025, 1, 10),
            ende=datetime.date(2025, 1, 10),
        )
        self.fertig.quartiere.set([stadt.nord])


@pytest.fixture
def projekte(stadt, netz) -> Projekte:
    return Projekte(stadt, netz)


def _daten(stadt, **felder) -> dict:
    daten = {
        "titel": "Kochaktion mit Nachbarinnen",
        "art": "kochaktion",
        "status": "in_planung",
        "fortschritt": "10",
        "quartiere": [stadt.nord.pk],
        "partner": [],
        "verantwortlich": stadt.qm.pk,
        "beginn": "2026-05-01",
        "ende": "2026-05-31",
        "teilnehmende": "",
        "beschreibung": "Gemeinsam kochen im Familienzentrum.",
        "oeffentlicher_text": "",
        "antrag": "",
    }
    daten.update(felder)
    return daten


# --- Zugriff -----------------------------------------------------------------------------


def _url(projekte, name: str, objekt: str | None) -> str:
    if objekt is None:
        return reverse(f"netzwerke:{name}")
    return reverse(f"netzwerke:{name}", args=[getattr(projekte, objekt).pk])


LESEN = [("projekt_liste", None), ("projekt_detail", "nord"), ("projekt_detail", "sued")]


@pytest.mark.parametrize(
    ("name", "objekt"), [*LESEN, ("projekt_neu", None), ("projekt_bearbeiten", "nord")]
)
def test_anonym_wird_zur_anmeldung_geleitet(projekte, client, name, objekt):
    antwort = client.get(_url(projekte, name, objekt))
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(("name", "objekt"), LESEN)
def test_jede_rolle_liest_projekte(projekte, client_fuer, persona, name, objekt):
    assert client_fuer(persona).get(_url(projekte, name, objekt)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 200), ("qm2", 403), ("fb", 403), ("planung", 403), ("admin", 200)],
)
def test_projekt_bearbeiten_nur_im_eigenen_quartier(projekte, client_fuer, persona, erwartet):
    url = reverse("netzwerke:projekt_bearbeiten", args=[projekte.nord.pk])
    assert client_fuer(persona).get(url).status_code == erwartet


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", 200), ("qm2", 200), ("fb", 403), ("planung", 403), ("admin", 200)],
)
def test_projekt_anlegen_nur_qm_und_administration(projekte, client_fuer, persona, erwartet):
    assert client_fuer(persona).get(reverse("netzwerke:projekt_neu")).status_code == erwartet


def test_fremdes_projekt_speichern_ist_403(projekte, stadt, client_fuer):
    url = reverse("netzwerke:projekt_bearbeiten", args=[projekte.nord.pk])
    antwort = client_fuer("qm2").post(url, _daten(stadt, titel="Gekapert"))
    assert antwort.status_code == 403
    projekte.nord.refresh_from_db()
    assert projekte.nord.titel == "Fahrradwerkstatt am Jugendtreff"


@pytest.mark.parametrize("persona", ["fb", "planung"])
def test_lesende_rollen_legen_nichts_an_auch_per_post(projekte, stadt, client_fuer, persona):
    antwort = client_fuer(persona).post(reverse("netzwerke:projekt_neu"), _daten(stadt))
    assert antwort.status_code == 403
    assert not Projekt.objects.filter(titel="Kochaktion mit Nachbarinnen").exists()


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize("url", ["/projekte/999999/", "/projekte/999999/bearbeiten/"])
def test_unbekannte_projekte_sind_404(projekte, client_fuer, persona, url):
    assert client_fuer(persona).get(url).status_code == 404


@pytest.mark.parametrize(("name", "objekt"), LESEN)
def test_lesende_seiten_lehnen_post_ab(projekte, client_fuer, name, objekt):
    assert client_fuer("qm").post(_url(projekte, name, objekt)).status_code == 405


def test_bearbeiten_knopf_nur_fuer_berechtigte(projekte, client_fuer):
    url = projekte.nord.get_absolute_url()
    ziel = reverse("netzwerke:projekt_bearbeiten", args=[projekte.nord.pk])
    assert ziel in _text(client_fuer("qm").get(url))
    for persona in ("qm2", "fb", "planung"):
        assert ziel not in _text(client_fuer(persona).get(url))


# --- Liste -------------------------------------------------------------------------------


def test_liste_zeigt_status_fortschritt_und_verantwortliche(projekte, client_fuer):
    inhalt = _text(client_fuer("planung").get(reverse("netzwerke:projekt_liste")))
    assert "3 Projekte" in inhalt
    assert "Fahrradwerkstatt am Jugendtreff" in inhalt and "40 %" in inhalt
    assert "01.04.2026 – 30.09.2026" in inhalt
    assert "10.01.2025" in inhalt and "10.01.2025 – 10.01.2025" not in inhalt
    assert "Lena" in inhalt


@pytest.mark.parametrize(
    ("parameter", "sichtbar", "unsichtbar"),
    [
        ({"art": "filmabend"}, "Filmabend im Winter", "Fahrradwerkstatt am"),
        ({"status": "idee"}, "Bänke für den Platz", "Filmabend im Winter"),
        ({"oeffentlich": "ja"}, "Fahrradwerkstatt am", "Bänke für den Platz"),
        ({"oeffentlich": "nein"}, "Bänke für den Platz", "Fahrradwerkstatt am"),
        ({"q": "fahrrad"}, "Fahrradwerkstatt am", "Filmabend im Winter"),
    ],
)
def test_liste_filtert(projekte, client_fuer, parameter, sichtbar, unsichtbar):
    inhalt = _text(client_fuer("qm").get(reverse("netzwerke:projekt_liste"), parameter))
    assert sichtbar in inhalt
    assert unsichtbar not in inhalt


def test_liste_filtert_nach_quartier(projekte, stadt, client_fuer):
    inhalt = _text(
        client_fuer("qm").get(reverse("netzwerke:projekt_liste"), {"quartier": stadt.sued.pk})
    )
    assert "Bänke für den Platz" in inhalt and "Fahrradwerkstatt am" not in inhalt


@pytest.mark.parametrize("wert", ["vielleicht", "\x00", "x" * 3000])
def test_liste_boese_filterwerte_ohne_serverfehler(projekte, client_fuer, wert):
    for param in ("art", "status", "quartier", "oeffentlich", "q", "page"):
        antwort = client_fuer("planung").get(reverse("netzwerke:projekt_liste"), {param: wert})
        assert antwort.status_code == 200, param


def test_liste_blaettert_und_behaelt_filter(projekte, stadt, client_fuer):
    for i in range(30):
        p = Projekt.objects.create(titel=f"Wandercafé {i:02d}", art="wandercafe")
        p.quartiere.set([stadt.nord])
    client = client_fuer("qm")
    url = reverse("netzwerke:projekt_liste")
    inhalt = _text(client.get(url, {"art": "wandercafe"}))
    assert "30 Projekte" in inhalt and "Seite 1 von 2" in inhalt
    assert "?art=wandercafe&amp;page=2" in inhalt
    assert "Seite 2 von 2" in _text(client.get(url, {"art": "wandercafe", "page": "2"}))


def test_liste_htmx_liefert_nur_das_ergebnis(projekte, client_fuer):
    antwort = client_fuer("qm").get(
        reverse("netzwerke:projekt_liste"), {"status": "idee"}, HTTP_HX_REQUEST="true"
    )
    inhalt = _text(antwort)
    assert 'id="ergebnis"' in inhalt and "<html" not in inhalt


def test_liste_abfragen_wachsen_nicht_mit_der_zeilenzahl(
    projekte, stadt, netz, client_fuer, django_assert_max_num_queries
):
    client = client_fuer("planung")
    url = reverse("netzwerke:projekt_liste")
    client.get(url)
    # Sitzung, Benutzer, Anzahl (Blättern), Projekte mit Verantwortlichen, Prefetch
    # Quartiere, Quartiere fürs Filterformular; Sitzung speichern (3).
    with django_assert_max_num_queries(9) as vorher:
        client.get(url)
    for i in range(20):
        p = Projekt.objects.create(
            titel=f"Ausflug {i}",
            art="ausflug",
            verantwortlich=UserFactory(rolle="quartiersmanagement"),
        )
        p.quartiere.set([stadt.nord, QuartierFactory()])
        p.partner.set([netz.jugendtreff])
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = _text(client.get(url))
    assert "Ausflug 19" in inhalt


# --- Detail ------------------------------------------------------------------------------


def test_detail_zeigt_alles_und_den_oeffentlichen_text(projekte, client_fuer):
    inhalt = _text(client_fuer("fb").get(projekte.nord.get_absolute_url()))
    assert "Fahrradwerkstatt am Jugendtreff" in inhalt
    assert 'value="40"' in inhalt  # Fortschrittsbalken
    assert "Quartier Nord" in inhalt and "Familienzentrum Nord" in inhalt
    assert "Jeden Mittwoch reparieren Jugendliche Räder." in inhalt
    assert "So erscheint es in der Öffentlichkeitsarbeit" in inhalt
    assert "Räder reparieren, Nachbarn kennenlernen" in inhalt
    assert "keinen Antrag an den Stadtteilfonds" in inhalt


def test_detail_ohne_oeffentlichkeit_zeigt_keinen_kasten(projekte, client_fuer):
    inhalt = _text(client_fuer("fb").get(projekte.sued.get_absolute_url()))
    assert "So erscheint es in der Öffentlichkeitsarbeit" not in inhalt


def test_detail_verweist_auf_den_antrag(projekte, netz, client_fuer):
    projekte.nord.antrag = netz.antrag_nord
    projekte.nord.save()
    inhalt = _text(client_fuer("planung").get(projekte.nord.get_absolute_url()))
    assert netz.antrag_nord.get_absolute_url() in inhalt
    assert "Sommerfest im Park" in inhalt


def test_detail_abfragen_konstant(projekte, netz, client_fuer, django_assert_max_num_queries):
    from netzwerke.models import Akteur

    projekte.nord.antrag = netz.antrag_nord
    projekte.nord.save()
    client = client_fuer("qm")
    url = projekte.nord.get_absolute_url()
    client.get(url)
    # Sitzung, Benutzer, Projekt mit Verantwortlichen und Antrag (Antragsteller, Fonds,
    # Netzwerk), Bearbeitungsrecht (eigene Quartiere), Quartiere, Partner;
    # Sitzung speichern (3).
    with django_assert_max_num_queries(9) as vorher:
        client.get(url)
    for i in range(10):
        projekte.nord.partner.add(Akteur.objects.create(name=f"Partner {i}", art="verein"))
        projekte.nord.quartiere.add(QuartierFactory())
    with django_assert_max_num_queries(len(vorher.captured_queries)):
        inhalt = _text(client.get(url))
    assert "Partner 9" in inhalt


# --- Anlegen und bearbeiten --------------------------------------------------------------


def test_qm_legt_projekt_an(projekte, stadt, netz, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:projekt_neu"),
        _daten(
            stadt,
            partner=[netz.familienzentrum.pk],
            oeffentlich="on",
            oeffentlicher_text="Alle kochen mit.",
            antrag=netz.antrag_nord.pk,
            teilnehmende="12",
        ),
    )
    neu = Projekt.objects.get(titel="Kochaktion mit Nachbarinnen")
    assert antwort.status_code == 302
    assert antwort["Location"] == neu.get_absolute_url()
    assert list(neu.partner.all()) == [netz.familienzentrum]
    assert neu.antrag == netz.antrag_nord
    assert neu.verantwortlich == stadt.qm and neu.teilnehmende == 12
    assert neu.oeffentlich


def test_neues_projekt_schlaegt_mich_als_verantwortliche_vor(projekte, stadt, client_fuer):
    inhalt = _text(client_fuer("qm").get(reverse("netzwerke:projekt_neu")))
    assert f'<option value="{stadt.qm.pk}" selected>' in inhalt
    auswahl = inhalt.split('name="verantwortlich"')[1].split("</select>")[0]
    assert "Murat" in auswahl  # Kollegin im QM
    assert str(stadt.planung) not in auswahl  # keine andere Rolle


@pytest.mark.parametrize(
    ("felder", "meldung"),
    [
        ({"fortschritt": "101"}, "Der Fortschritt muss zwischen 0 und 100 Prozent liegen."),
        ({"fortschritt": "-5"}, "Der Fortschritt muss zwischen 0 und 100 Prozent liegen."),
        ({"fortschritt": "viel"}, "Bitte eine ganze Zahl zwischen 0 und 100 eingeben."),
        ({"ende": "2026-04-30"}, "Das Ende darf nicht vor dem Beginn liegen."),
        ({"beginn": "31.02.2026"}, "Bitte ein gültiges Datum eingeben, z. B. 31.12.2018."),
        ({"quartiere": []}, "Bitte mindestens ein Quartier wählen."),
        ({"titel": ""}, "Bitte einen Titel eingeben."),
        ({"teilnehmende": "-3"}, "Bitte eine Anzahl ab 0 eingeben."),
        (
            {"oeffentlich": "on", "oeffentlicher_text": "   "},
            "Ein öffentliches Projekt braucht einen Text für die Öffentlichkeitsarbeit.",
        ),
        (
            {"oeffentlich": "on", "oeffentlicher_text": "x" * 601},
            "höchstens 600 Zeichen",
        ),
    ],
)
def test_falsche_eingaben_geben_deutsche_meldung_und_behalten_alles(
    projekte, stadt, client_fuer, felder, meldung
):
    antwort = client_fuer("qm").post(reverse("netzwerke:projekt_neu"), _daten(stadt, **felder))
    assert antwort.status_code == 200
    inhalt = _text(antwort)
    assert "Bitte prüfen Sie Ihre Eingaben" in inhalt
    assert meldung in inhalt
    assert 'aria-invalid="true"' in inhalt
    assert "Gemeinsam kochen im Familienzentrum." in inhalt
    for wert in felder.values():
        if isinstance(wert, str) and wert.strip() and wert != "on" and len(wert) < 50:
            assert f'value="{wert}"' in inhalt
    assert not Projekt.objects.filter(beschreibung="Gemeinsam kochen im Familienzentrum.")


def test_qm_muss_eines_seiner_quartiere_waehlen(projekte, stadt, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("netzwerke:projekt_neu"), _daten(stadt, quartiere=[stadt.sued.pk])
    )
    assert "Bitte wählen Sie mindestens eines Ihrer Quartiere aus (Quartier Nord)" in _text(antwort)
    # auch beim Bearbeiten: das eigene Quartier nicht herausnehmen
    antwort = client_fuer("qm").post(
        reverse("netzwerke:projekt_bearbeiten", args=[projekte.nord.pk]),
        _daten(stadt, quartiere=[stadt.berg.pk]),
    )
    assert "Bitte wählen Sie mindestens eines Ihrer Quartiere" in _text(antwort)


def test_administration_ohne_quartiersregel(projekte, stadt, client_fuer):
    antwort = client_fuer("admin").post(
        reverse("netzwerke:projekt_neu"), _daten(stadt, quartiere=[stadt.berg.pk])
    )
    assert antwort.status_code == 302


def test_antrag_nur_ohne_anderes_projekt(projekte, netz, client_fuer):
    projekte.sued.antrag = netz.antrag_sued
    projekte.sued.save()
    inhalt = _text(client_fuer("qm").get(reverse("netzwerke:projekt_neu")))
    auswahl = inhalt.split('name="antrag"')[1].split("</select>")[0]
    assert "Sommerfest im Park" in auswahl
    assert "Bänke für den Platz" not in auswahl
    # Im eigenen Projekt bleibt der zugeordnete Antrag wählbar.
    url = reverse("netzwerke:projekt_bearbeiten", args=[projekte.sued.pk])
    inhalt = _text(client_fuer("qm2").get(url))
    auswahl = inhalt.split('name="antrag"')[1].split("</select>")[0]
    assert f'<option value="{netz.antrag_sued.pk}" selected>' in auswahl


def test_vergebener_antrag_laesst_sich_nicht_unterschieben(projekte, stadt, netz, client_fuer):
    projekte.sued.antrag = netz.antrag_sued
    projekte.sued.save()
    antwort = client_fuer("qm").post(
        reverse("netzwerke:projekt_neu"), _daten(stadt, antrag=netz.antrag_sued.pk)
    )
    assert antwort.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in _text(antwort)


def test_bearbeiten_speichert(projekte, stadt, client_fuer):
    url = reverse("netzwerke:projekt_bearbeiten", args=[projekte.nord.pk])
    antwort = client_fuer("qm").post(
        url,
        _daten(
            stadt,
            titel="Fahrradwerkstatt am Jugendtreff",
            art="fahrradwerkstatt",
            status="abgeschlossen",
            fortschritt="100",
            version="0",
        ),
    )
    assert antwort.status_code == 302
    projekte.nord.refresh_from_db()
    assert projekte.nord.status == "abgeschlossen" and projekte.nord.fortschritt == 100
    assert not projekte.nord.oeffentlich  # Kästchen nicht gesetzt


def test_bearbeiten_zeigt_gespeicherte_werte(projekte, client_fuer):
    url = reverse("netzwerke:projekt_bearbeiten", args=[projekte.nord.pk])
    inhalt = _text(client_fuer("qm").get(url))
    assert 'value="Fahrradwerkstatt am Jugendtreff"' in inhalt
    assert 'value="2026-04-01"' in inhalt and 'value="40"' in inhalt
    assert "Räder reparieren, Nachbarn kennenlernen" in inhalt


# --- Mein Überblick ----------------------------------------------------------------------


@pytest.fixture
def start_abschnitt():
    from netzwerke.abschnitte_start import registrieren

    registrieren()


def test_ueberblick_zeigt_meine_laufenden_projekte(projekte, client_fuer, start_abschnitt):
    inhalt = _text(client_fuer("qm").get(reverse("quartier:start")))
    teil = inhalt.split("Meine Projekte")[1]
    assert "Fahrradwerkstatt am Jugendtreff" in teil and "40 %" in teil
    assert "Filmabend im Winter" not in teil  # abgeschlossen
    assert "Bänke für den Platz" not in teil  # gehört qm2


def test_ueberblick_ohne_projekte(stadt, netz, client_fuer, start_abschnitt):
    inhalt = _text(client_fuer("qm").get(reverse("quartier:start")))
    assert "Sie sind für kein laufendes Projekt verantwortlich." in inhalt


def test_antrag_betrag_bleibt_unberuehrt(projekte, stadt, netz, client_fuer):
    """Ein Projekt mit einem Antrag zu verknüpfen ändert den Antrag nicht."""
    client_fuer("qm").post(
        reverse("netzwerke:projekt_neu"), _daten(stadt, antrag=netz.antrag_nord.pk)
    )
    antrag = Antrag.objects.get(pk=netz.antrag_nord.pk)
    assert antrag.beantragt == Decimal("1500") and antrag.status == "eingereicht"
