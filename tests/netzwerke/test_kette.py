"""Die Kette Anliegen → Sitzung → Antrag an den Stadtteilfonds → Projekt: jedes Glied zeigt sich
auf beiden Seiten als Link, die Formulare bieten nur sichtbare/eigene Objekte an, und fremde
Quartiere sehen Titel von Anliegen nur maskiert."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anliegen import workflow
from anliegen.models import Anliegen
from netzwerke import fonds as ablauf
from netzwerke.models import Antrag, Projekt
from tests.anliegen.conftest import Lotse
from tests.anliegen.test_erfassen import URL as ERFASSEN_URL
from tests.anliegen.test_erfassen import _daten as erfassen_daten


@pytest.fixture
def lotse(stadt) -> Lotse:
    return Lotse(stadt)


@pytest.fixture(autouse=True)
def _postausgang(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"


@pytest.fixture
def projekt(stadt) -> Projekt:
    projekt = Projekt.objects.create(titel="Sommerfest 2026", art="stadtteilfest")
    projekt.quartiere.set([stadt.nord])
    return projekt


def _seite(client, url: str) -> str:
    antwort = client.get(url)
    assert antwort.status_code == 200, url
    return antwort.content.decode()


def _link(url: str) -> str:
    return f'href="{url}"'


def _empfehlen(netz, stadt) -> Antrag:
    return ablauf.abstimmen(
        netz.antrag_nord,
        sitzung=netz.sitzung_nord,
        quartiersbezug=True,
        beteiligung=True,
        eigeninitiative=True,
        ja=1,
        nein=0,
        enthaltung=0,
        befangene=[netz.familienzentrum, netz.caritas],
        durch=stadt.qm,
    )


# --- Antrag ↔ Sitzung --------------------------------------------------------------------


def test_antrag_verlinkt_die_sitzung_in_der_er_beraten_wurde(netz, stadt, client_fuer):
    antrag = _empfehlen(netz, stadt)
    inhalt = _seite(client_fuer("qm"), antrag.get_absolute_url())
    assert _link(netz.sitzung_nord.get_absolute_url()) in inhalt


def test_sitzung_verlinkt_die_dort_beratenen_antraege(netz, stadt, client_fuer):
    antrag = _empfehlen(netz, stadt)
    inhalt = _seite(client_fuer("qm"), netz.sitzung_nord.get_absolute_url())
    assert _link(antrag.get_absolute_url()) in inhalt
    assert _link(netz.antrag_sued.get_absolute_url()) not in inhalt


# --- Antrag ↔ Projekt --------------------------------------------------------------------


def test_antrag_verlinkt_das_projekt_das_er_foerdert(netz, projekt, client_fuer):
    projekt.antrag = netz.antrag_nord
    projekt.save()
    inhalt = _seite(client_fuer("planung"), netz.antrag_nord.get_absolute_url())
    assert _link(projekt.get_absolute_url()) in inhalt


def test_antrag_ohne_projekt_sagt_es(netz, client_fuer):
    inhalt = _seite(client_fuer("qm"), netz.antrag_nord.get_absolute_url())
    assert "noch keinem Projekt zugeordnet" in inhalt


def test_projekt_verlinkt_den_antrag_der_es_foerdert(netz, projekt, client_fuer):
    projekt.antrag = netz.antrag_nord
    projekt.save()
    inhalt = _seite(client_fuer("planung"), projekt.get_absolute_url())
    assert _link(netz.antrag_nord.get_absolute_url()) in inhalt


def _antrag_daten(netz, **felder) -> dict:
    daten = {
        "antragsteller": netz.jugendtreff.pk,
        "vorhaben": "Laternen für das Sommerfest",
        "beschreibung": "Laternen basteln mit Kindern.",
        "beantragt": "300",
        "projekt": "",
    }
    daten.update(felder)
    return daten


def _antrag_neu_url(netz) -> str:
    return reverse("netzwerke:antrag_neu", args=[netz.fonds_nord.pk])


def test_antrag_erfassen_ordnet_das_projekt_zu(netz, projekt, client_fuer):
    version = projekt.version
    antwort = client_fuer("qm").post(_antrag_neu_url(netz), _antrag_daten(netz, projekt=projekt.pk))
    assert antwort.status_code == 302
    antrag = Antrag.objects.get(vorhaben="Laternen für das Sommerfest")
    projekt.refresh_from_db()
    assert projekt.antrag == antrag
    # Wer das Projekt gerade offen hat, überschreibt die Zuordnung nicht still.
    assert projekt.version == version + 1
    assert _link(projekt.get_absolute_url()) in _seite(client_fuer("qm"), antrag.get_absolute_url())


def test_antrag_erfassen_bietet_nur_freie_projekte_eigener_quartiere(
    netz, stadt, projekt, client_fuer
):
    fremd = Projekt.objects.create(titel="Bänke im Süden", art="sonstiges")
    fremd.quartiere.set([stadt.sued])
    vergeben = Projekt.objects.create(
        titel="Schon gefördert", art="sonstiges", antrag=netz.antrag_nord
    )
    vergeben.quartiere.set([stadt.nord])
    inhalt = _seite(client_fuer("qm"), _antrag_neu_url(netz))
    auswahl = inhalt.split('name="projekt"')[1].split("</select>")[0]
    assert "Sommerfest 2026" in auswahl
    assert "Bänke im Süden" not in auswahl
    assert "Schon gefördert" not in auswahl


@pytest.mark.parametrize("welches", ["fremd", "vergeben"])
def test_antrag_erfassen_lehnt_fremdes_oder_vergebenes_projekt_ab(
    netz, stadt, client_fuer, welches
):
    if welches == "fremd":
        ziel = Projekt.objects.create(titel="Bänke im Süden", art="sonstiges")
        ziel.quartiere.set([stadt.sued])
    else:
        ziel = Projekt.objects.create(titel="Vergeben", art="sonstiges", antrag=netz.antrag_nord)
        ziel.quartiere.set([stadt.nord])
    antwort = client_fuer("qm").post(_antrag_neu_url(netz), _antrag_daten(netz, projekt=ziel.pk))
    assert antwort.status_code == 200
    assert "Bitte ein Projekt Ihrer Quartiere wählen" in antwort.content.decode()
    assert not Antrag.objects.filter(vorhaben="Laternen für das Sommerfest").exists()


def test_projekt_vergeben_zwischen_laden_und_speichern_legt_keinen_antrag_an(
    netz, projekt, client_fuer, monkeypatch
):
    """Die Auswahl prüft beim Laden; die View prüft noch einmal unter Sperre."""
    from netzwerke.views import fonds as views_fonds

    echt = views_fonds.sperren

    def inzwischen_vergeben(queryset, pk, version):
        Projekt.objects.filter(pk=pk).update(antrag=netz.antrag_sued)
        return echt(queryset, pk, version)

    monkeypatch.setattr(views_fonds, "sperren", inzwischen_vergeben)
    antwort = client_fuer("qm").post(_antrag_neu_url(netz), _antrag_daten(netz, projekt=projekt.pk))
    assert antwort.status_code == 200
    assert "inzwischen durch einen anderen Antrag gefördert" in antwort.content.decode()
    assert not Antrag.objects.filter(vorhaben="Laternen für das Sommerfest").exists()


def test_projekt_formular_meldet_vergebenen_antrag_deutsch(netz, stadt, projekt, client_fuer):
    projekt.antrag = netz.antrag_nord
    projekt.save()
    antwort = client_fuer("qm").post(
        reverse("netzwerke:projekt_neu"),
        {
            "titel": "Zweites Fest",
            "art": "stadtteilfest",
            "status": "idee",
            "fortschritt": "0",
            "quartiere": [stadt.nord.pk],
            "antrag": netz.antrag_nord.pk,
        },
    )
    assert antwort.status_code == 200
    assert "der noch keinem anderen Projekt zugeordnet ist" in antwort.content.decode()


# --- Antrag ↔ Anliegen -------------------------------------------------------------------


def test_antrag_zeigt_die_anliegen_aus_denen_er_kam(lotse, netz, client_fuer):
    hier = lotse.erfassen(titel="Wunsch nach einem Sommerfest", fondsantrag=netz.antrag_nord)
    anderswo = lotse.erfassen(titel="Nichts mit dem Fest")
    inhalt = _seite(client_fuer("qm"), netz.antrag_nord.get_absolute_url())
    assert "Anliegen, aus denen der Antrag kam" in inhalt
    assert _link(hier.get_absolute_url()) in inhalt and "Wunsch nach einem Sommerfest" in inhalt
    assert anderswo.nummer not in inhalt


def test_antrag_ohne_anliegen_kein_abschnitt(netz, client_fuer):
    inhalt = _seite(client_fuer("qm"), netz.antrag_nord.get_absolute_url())
    assert "Anliegen, aus denen der Antrag kam" not in inhalt


def test_anliegen_verlinkt_seinen_antrag(lotse, netz, client_fuer):
    anliegen = lotse.erfassen(fondsantrag=netz.antrag_nord)
    inhalt = _seite(client_fuer("qm"), anliegen.get_absolute_url())
    assert _link(netz.antrag_nord.get_absolute_url()) in inhalt
    assert "Sommerfest im Park" in inhalt


@pytest.mark.parametrize("persona", ["qm2", "planung", "admin"])
def test_antrag_zeigt_anliegen_ohne_personendaten(lotse, netz, client_fuer, persona):
    anliegen = lotse.erfassen(
        titel="Kanarie Bürgerin wünscht ein Sommerfest", fondsantrag=netz.antrag_nord
    )
    inhalt = _seite(client_fuer(persona), netz.antrag_nord.get_absolute_url())
    assert anliegen.nummer in inhalt and "wünscht ein Sommerfest" in inhalt
    for geheim in ("Kanarie", Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT):
        assert geheim not in inhalt
    # Das eigene Quartier sieht den Titel, wie er ist.
    assert "Kanarie Bürgerin wünscht" in _seite(
        client_fuer("qm"), netz.antrag_nord.get_absolute_url()
    )


def test_fachbereich_sieht_am_antrag_nur_an_ihn_weitergeleitete(lotse, netz, client_fuer):
    weiter = lotse.erfassen(titel="Müll nach dem Fest", fondsantrag=netz.antrag_nord)
    workflow.weiterleiten(weiter, an=[lotse.stadtbetrieb], nachricht="Bitte.", durch=lotse.stadt.qm)
    nicht = lotse.erfassen(titel="Nur für das QM", fondsantrag=netz.antrag_nord)
    anderer = lotse.erfassen(titel="Für Grünflächen", fondsantrag=netz.antrag_nord)
    workflow.weiterleiten(anderer, an=[lotse.gruen], nachricht="Bitte.", durch=lotse.stadt.qm)
    inhalt = _seite(client_fuer("fb"), netz.antrag_nord.get_absolute_url())
    assert weiter.nummer in inhalt
    assert nicht.nummer not in inhalt and anderer.nummer not in inhalt


def test_erfassen_setzt_den_antrag(lotse, netz, client_fuer):
    antwort = client_fuer("qm").post(
        ERFASSEN_URL, erfassen_daten(lotse, fondsantrag=netz.antrag_nord.pk, zuordnen="neu")
    )
    assert antwort.status_code == 302
    assert Anliegen.objects.get().fondsantrag == netz.antrag_nord


def test_erfassen_bietet_nur_antraege_eigener_quartiere(lotse, netz, client_fuer):
    inhalt = _seite(client_fuer("qm"), ERFASSEN_URL)
    auswahl = inhalt.split('name="fondsantrag"')[1].split("</select>")[0]
    assert "Sommerfest im Park" in auswahl
    assert "Bänke für den Platz" not in auswahl


def test_erfassen_lehnt_antrag_fremder_quartiere_ab(lotse, netz, client_fuer):
    antwort = client_fuer("qm").post(
        ERFASSEN_URL, erfassen_daten(lotse, fondsantrag=netz.antrag_sued.pk, zuordnen="neu")
    )
    assert antwort.status_code == 200
    assert "Stadtteilkonferenz Ihrer Quartiere wählen" in antwort.content.decode()
    assert not Anliegen.objects.exists()


def test_geloeschter_antrag_laesst_das_anliegen_stehen(lotse, netz):
    anliegen = lotse.erfassen(fondsantrag=netz.antrag_sued)
    netz.antrag_sued.ereignisse.all().delete()
    netz.antrag_sued.delete()
    anliegen.refresh_from_db()
    assert anliegen.fondsantrag is None


# --- Abfragen ----------------------------------------------------------------------------


def test_antragsseite_abfragen_wachsen_nicht_mit_den_anliegen(
    lotse, netz, stadt, projekt, client_fuer, django_assert_num_queries
):
    antrag = _empfehlen(netz, stadt)
    projekt.antrag = antrag
    projekt.save()
    client = client_fuer("qm2")
    url = antrag.get_absolute_url()

    def _zaehlen(anzahl: int) -> None:
        for i in range(anzahl):
            lotse.erfassen(titel=f"Wunsch {i}", fondsantrag=antrag)
        # Sitzung und Benutzer (2); Antrag mit Fonds, Netzwerk, Antragsteller und Sitzung (1);
        # Restbudget (1); Projekt (1); die Anliegen mit Quartier und Person samt Recht auf
        # Personendaten (1, gleich wie viele); die Rechte der Operationen: Quartiere des
        # Netzwerks gegen die eigenen Quartiere (1); Befangene (1); Verlauf mit Person (1);
        # Sitzung speichern (Savepoint, Update, Release: 3).
        with django_assert_num_queries(12):
            inhalt = _seite(client, url)
        assert all(_link(a.get_absolute_url()) in inhalt for a in Anliegen.objects.all())

    _zaehlen(1)
    _zaehlen(4)


def test_anliegen_seite_holt_den_antrag_ohne_weitere_abfrage(
    lotse, netz, client_fuer, django_assert_num_queries
):
    ohne = lotse.erfassen()
    mit = lotse.erfassen(fondsantrag=netz.antrag_nord)
    client = client_fuer("qm")
    with CaptureQueriesContext(connection) as ohne_antrag:
        _seite(client, ohne.get_absolute_url())
    with django_assert_num_queries(len(ohne_antrag)):
        _seite(client, mit.get_absolute_url())


def test_kette_vollstaendig(lotse, netz, stadt, projekt, client_fuer):
    """Von jedem Glied führt ein Link zum nächsten und zurück."""
    antrag = _empfehlen(netz, stadt)
    projekt.antrag = antrag
    projekt.save()
    anliegen = lotse.erfassen(
        kanal="stadtteilkonferenz", sitzung=netz.sitzung_nord, fondsantrag=antrag
    )
    client = client_fuer("qm")
    seiten = {
        "anliegen": anliegen.get_absolute_url(),
        "sitzung": netz.sitzung_nord.get_absolute_url(),
        "antrag": antrag.get_absolute_url(),
        "projekt": projekt.get_absolute_url(),
    }
    inhalt = {name: _seite(client, url) for name, url in seiten.items()}
    for von, nach in [
        ("anliegen", "sitzung"),
        ("sitzung", "anliegen"),
        ("anliegen", "antrag"),
        ("antrag", "anliegen"),
        ("sitzung", "antrag"),
        ("antrag", "sitzung"),
        ("antrag", "projekt"),
        ("projekt", "antrag"),
    ]:
        assert _link(seiten[nach]) in inhalt[von], f"{von} → {nach}"
