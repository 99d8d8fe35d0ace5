"""Anliegen erfassen: nur das QM mit eigenen Quartieren; schnelle Prüfungen mit deutschen
Meldungen (Eingaben bleiben), Person oder anonym, Einwilligung, doppeltes Absenden,
„Weiteres Anliegen dieser Person“ und feste Zahl der Abfragen."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from mailer.models import Message

from anliegen.models import Anliegen, Meldende
from tests.conftest import PERSONAS

from .conftest import Lotse

URL = "/anliegen/neu/"


def _daten(lotse, **aenderungen) -> dict:
    daten = {
        "einreichung": str(uuid.uuid4()),
        "quartier": lotse.stadt.nord.pk,
        "titel": "Schlagloch vor der Schule",
        "beschreibung": "Tiefes Loch, Kinder stolpern.",
        "ort": "Schulstraße 3",
        "breite": "",
        "laenge": "",
        "thema": lotse.muell.pk,
        "bedarfe": [lotse.sauberkeit.pk],
        "art": "beschwerde",
        "kanal": "sprechstunde",
        "sitzung": "",
        "akteur": "",
        "name": "Erika Muster",
        "email": "erika@example.invalid",
        "telefon": "",
        "anschrift": "",
        "einwilligung": "on",
        "rueckmeldung_gewuenscht": "on",
        "bevorzugter_kanal": "email",
    }
    daten.update(aenderungen)
    return {k: v for k, v in daten.items() if v is not None}


def test_url_name():
    assert reverse("anliegen:erfassen") == URL


def test_anonym_wird_zur_anmeldung_geleitet(stadt, client):
    antwort = client.get(URL)
    assert antwort.status_code == 302
    assert "/anmelden/" in antwort["Location"] or "login" in antwort["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_matrix(lotse, client_fuer, persona):
    antwort = client_fuer(persona).get(URL)
    # qm2 ist QM mit eigenem Quartier (Süd) und darf dort erfassen.
    assert antwort.status_code == (200 if persona in ("qm", "qm2") else 403)
    antwort = client_fuer(persona).post(URL, _daten(lotse))
    if persona == "qm":
        assert antwort.status_code == 302
    elif persona == "qm2":
        # Nord ist nicht sein Quartier: keine Auswahl, deutsche Meldung.
        assert antwort.status_code == 200
        assert "Anliegen erfassen Sie nur für Ihre eigenen Quartiere." in antwort.text
    else:
        assert antwort.status_code == 403
    assert Anliegen.objects.count() == (1 if persona == "qm" else 0)


def test_qm_ohne_eigenes_quartier_403(lotse, client_fuer, stadt):
    stadt.stelle_nord.mitarbeitende.clear()
    assert client_fuer("qm").get(URL).status_code == 403


def test_formular_voreinstellungen(lotse, client_fuer):
    antwort = client_fuer("qm").get(URL)
    html = antwort.text
    assert "novalidate" in html
    assert re.search(rf'<option value="{lotse.stadt.nord.pk}" selected>Quartier Nord', html)
    assert "Quartier Süd" not in html  # nur eigene Quartiere
    assert 'name="einreichung"' in html
    assert 'name="rueckmeldung_gewuenscht" class="kern-form-check__checkbox" id=' in html
    assert re.search(r'name="rueckmeldung_gewuenscht"[^>]*checked', html)


def test_erfassen_legt_an_und_leitet_zur_seite(lotse, client_fuer):
    c = client_fuer("qm")
    antwort = c.post(URL, _daten(lotse, breite="50,7753", laenge="6,0839"))
    anliegen = Anliegen.objects.get()
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("anliegen:detail", args=[anliegen.nummer])
    assert antwort["Location"] == f"/anliegen/{anliegen.nummer}/"
    assert anliegen.status == "neu"
    assert anliegen.zustaendig == lotse.stadt.qm
    assert str(anliegen.breite) == "50.775300"
    assert list(anliegen.bedarfe.all()) == [lotse.sauberkeit]
    m = anliegen.meldende
    assert (m.name, m.email, m.einwilligung, m.bevorzugter_kanal) == (
        "Erika Muster",
        "erika@example.invalid",
        True,
        "email",
    )
    seite = c.get(antwort["Location"])
    assert f"Anliegen {anliegen.nummer} ist erfasst." in seite.text


def test_anonym_ohne_person(lotse, client_fuer):
    daten = _daten(lotse, anonym="on", name="", email="", einwilligung="", bevorzugter_kanal="")
    assert client_fuer("qm").post(URL, daten).status_code == 302
    assert Anliegen.objects.get().meldende is None
    assert Meldende.objects.count() == 0


def test_nur_akteur_ohne_person(lotse, netz, client_fuer):
    daten = _daten(
        lotse, name="", email="", einwilligung="", bevorzugter_kanal="", akteur=netz.jugendtreff.pk
    )
    assert client_fuer("qm").post(URL, daten).status_code == 302
    anliegen = Anliegen.objects.get()
    assert anliegen.meldende is None and anliegen.akteur == netz.jugendtreff


def test_stadtteilkonferenz_mit_sitzung(lotse, netz, client_fuer):
    seite = client_fuer("qm").get(URL).text
    assert "Stadtteilkonferenz Nord" in seite
    assert "Stadtteilkonferenz Süd" not in seite  # nur Sitzungen eigener Quartiere
    daten = _daten(lotse, kanal="stadtteilkonferenz", sitzung=netz.sitzung_nord.pk)
    assert client_fuer("qm").post(URL, daten).status_code == 302
    assert Anliegen.objects.get().sitzung == netz.sitzung_nord


# --- Falsche Eingaben: deutsche Meldung, Eingabe bleibt ----------------------------------

FEHLER = [
    ({"titel": ""}, "Bitte einen kurzen Titel eingeben.", "Tiefes Loch, Kinder stolpern."),
    ({"beschreibung": ""}, "Bitte beschreiben, worum es geht.", "Schlagloch vor der Schule"),
    ({"thema": ""}, "Bitte ein Thema wählen.", "Schlagloch vor der Schule"),
    ({"art": ""}, "Bitte die Art des Anliegens wählen.", "Schlagloch vor der Schule"),
    ({"kanal": ""}, "Bitte wählen, wie das Anliegen eingegangen ist.", "Schulstraße 3"),
    (
        {"breite": "95", "laenge": "6,1"},
        "Bitte einen Wert zwischen −90 und 90 eingeben.",
        'value="95"',
    ),
    (
        {"breite": "50,7", "laenge": "-181"},
        "Bitte einen Wert zwischen −180 und 180 eingeben.",
        'value="-181"',
    ),
    ({"breite": "abc", "laenge": "6,1"}, "Bitte eine Zahl eingeben, z. B. 50,7753.", 'value="abc"'),
    (
        {"breite": "50,7753", "laenge": ""},
        "Bitte Breite und Länge angeben oder beide leer lassen.",
        'value="50,7753"',
    ),
    (
        {"kanal": "stadtteilkonferenz"},
        "Bitte die Sitzung wählen, in der das Anliegen eingebracht wurde.",
        "Schulstraße 3",
    ),
    (
        {"einwilligung": ""},
        "Ohne Einwilligung bitte keine Kontaktdaten speichern.",
        'value="Erika Muster"',
    ),
    (
        {"email": ""},
        "Für eine Rückmeldung per E-Mail bitte eine E-Mail-Adresse angeben.",
        'value="Erika Muster"',
    ),
    (
        {"bevorzugter_kanal": "telefon"},
        "Für eine Rückmeldung per Telefon bitte eine Telefonnummer angeben.",
        'value="erika@example.invalid"',
    ),
    ({"email": "kein-at"}, "Bitte eine gültige E-Mail-Adresse eingeben.", 'value="kein-at"'),
    (
        {"name": "", "email": "", "einwilligung": "", "bevorzugter_kanal": ""},
        "Bitte Angaben zur Person machen oder „anonym“ ankreuzen.",
        "Schlagloch vor der Schule",
    ),
    (
        {"anonym": "on"},
        "Anonym heißt: ohne Angaben zur Person. Bitte Haken oder Angaben entfernen.",
        'value="Erika Muster"',
    ),
    (
        {"einreichung": ""},
        "Das Formular ist unvollständig. Bitte laden Sie die Seite neu.",
        "Schlagloch vor der Schule",
    ),
]


@pytest.mark.parametrize(("aenderung", "meldung", "bleibt"), FEHLER)
def test_falsche_eingabe(lotse, netz, client_fuer, aenderung, meldung, bleibt):
    antwort = client_fuer("qm").post(URL, _daten(lotse, **aenderung))
    assert antwort.status_code == 200
    assert meldung in antwort.text
    assert bleibt in antwort.text
    assert "Bitte prüfen Sie Ihre Eingaben" in antwort.text
    assert Anliegen.objects.count() == 0
    assert Meldende.objects.count() == 0


def test_fremde_sitzung_wird_abgelehnt(lotse, netz, client_fuer):
    daten = _daten(lotse, kanal="stadtteilkonferenz", sitzung=netz.sitzung_sued.pk)
    antwort = client_fuer("qm").post(URL, daten)
    assert antwort.status_code == 200
    assert Anliegen.objects.count() == 0


def test_einreichung_bleibt_beim_fehler_erhalten(lotse, client_fuer):
    schluessel = str(uuid.uuid4())
    antwort = client_fuer("qm").post(URL, _daten(lotse, einreichung=schluessel, titel=""))
    assert f'value="{schluessel}"' in antwort.text


def test_doppeltes_absenden_legt_nur_eines_an(lotse, client_fuer):
    c = client_fuer("qm")
    daten = _daten(lotse)
    erste = c.post(URL, daten)
    zweite = c.post(URL, daten)
    assert Anliegen.objects.count() == 1
    assert Meldende.objects.count() == 1
    assert erste["Location"] == zweite["Location"]
    # Ein neues Formular (neuer Schlüssel) legt ein weiteres an – das erste ist jetzt ein
    # ähnliches offenes Anliegen, also ausdrücklich „trotzdem neu erfassen“.
    c.post(URL, _daten(lotse, zuordnen="neu"))
    assert Anliegen.objects.count() == 2


def test_get_erzeugt_jedes_mal_einen_neuen_schluessel(lotse, client_fuer):
    c = client_fuer("qm")
    muster = r'name="einreichung" value="([0-9a-f-]+)"'
    assert re.search(muster, c.get(URL).text)[1] != re.search(muster, c.get(URL).text)[1]


# --- Weiteres Anliegen dieser Person -----------------------------------------------------


def test_weiteres_anliegen_dieser_person(lotse, client_fuer):
    erstes = lotse.erfassen()
    c = client_fuer("qm")
    url = f"{URL}?person={erstes.nummer}"
    seite = c.get(url)
    assert seite.status_code == 200
    assert Lotse.NAME in seite.text
    assert 'name="name"' not in seite.text  # Person wird nicht neu eingegeben
    assert 'name="einwilligung"' not in seite.text
    daten = _daten(lotse, titel="Zweites Anliegen", zuordnen="neu")
    for feld in ("name", "email", "einwilligung", "rueckmeldung_gewuenscht", "bevorzugter_kanal"):
        daten.pop(feld)
    antwort = c.post(url, daten)
    assert antwort.status_code == 302
    zweites = Anliegen.objects.get(titel="Zweites Anliegen")
    assert zweites.meldende_id == erstes.meldende_id
    assert Meldende.objects.count() == 1


def test_weiteres_anliegen_fremder_person_404(lotse, stadt, client_fuer):
    nord = lotse.erfassen()
    # qm2 darf erfassen (Süd), aber die Person eines Nord-Anliegens nicht sehen.
    assert client_fuer("qm2").get(f"{URL}?person={nord.nummer}").status_code == 404
    daten = _daten(lotse, quartier=stadt.sued.pk)
    assert client_fuer("qm2").post(f"{URL}?person={nord.nummer}", daten).status_code == 404
    assert Anliegen.objects.count() == 1


def test_weiteres_anliegen_anonym_oder_unbekannt_404(lotse, client_fuer):
    anonym = lotse.erfassen(meldende=None)
    assert client_fuer("qm").get(f"{URL}?person={anonym.nummer}").status_code == 404
    assert client_fuer("qm").get(f"{URL}?person=1999-00001").status_code == 404


# --- Abfragen ----------------------------------------------------------------------------


def _abfragen(client, url) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        assert client.get(url).status_code == 200
    return len(abfragen)


def test_abfragen_fest(lotse, netz, client_fuer):
    from anliegen.models import Bedarf, Thema
    from netzwerke.models import Akteur

    c = client_fuer("qm")
    wenige = _abfragen(c, URL)
    for i in range(5):
        Thema.objects.create(name=f"Thema {i}")
        Bedarf.objects.create(name=f"Bedarf {i}")
        Akteur.objects.create(name=f"Akteur {i}", art="verein")
    netz.sitzung_nord.pk = None
    netz.sitzung_nord.save()
    assert _abfragen(c, URL) == wenige


def test_keine_mails_beim_erfassen(lotse, client_fuer):
    client_fuer("qm").post(URL, _daten(lotse))
    assert Message.objects.count() == 0


WARNUNG = "Die Beschreibung nennt die meldende Person"


def test_warnt_wenn_die_beschreibung_die_person_nennt_speichert_aber(lotse, client_fuer):
    c = client_fuer("qm")
    antwort = c.post(
        URL, _daten(lotse, beschreibung="Frau Muster kam vorbei, Mail erika@example.invalid.")
    )
    assert antwort.status_code == 302  # warnen, nicht verbieten
    assert Anliegen.objects.count() == 1
    assert WARNUNG in c.get(antwort["Location"]).text


def test_warnt_auch_im_formular_nach_einem_fehler(lotse, client_fuer):
    antwort = client_fuer("qm").post(URL, _daten(lotse, titel="Anruf Erika Muster", thema=""))
    assert antwort.status_code == 200
    assert WARNUNG in antwort.text


def test_keine_warnung_ohne_namen_im_text(lotse, client_fuer):
    c = client_fuer("qm")
    antwort = c.post(URL, _daten(lotse))
    assert WARNUNG not in c.get(antwort["Location"]).text


def test_themenauswahl_nennt_den_fachbereich_auch_ohne_javascript(lotse, client_fuer):
    """Unter dem Feld steht die Routing-Tabelle; data-ql-ziel trägt den Hinweis für das Skript."""
    html = client_fuer("qm").get(URL).text
    html = html[html.index('name="thema"') :]
    fb = lotse.stadtbetrieb
    muell = re.search(rf'<option value="{lotse.muell.pk}"[^>]*>([^<]*)</option>', html)
    assert muell.group(1) == "Wilder Müll"
    assert f'data-ql-ziel="Wird an {fb} weitergeleitet."' in muell.group(0)
    tabelle = html[html.index('data-testid="thema-routing"') :]
    tabelle = tabelle[: tabelle.index("</details>")]
    zeilen = re.findall(r'<th scope="row"[^>]*>([^<]*)</th><td[^>]*>([^<]*)</td>', tabelle)
    assert zeilen == [
        ("Beratung", "ohne Fachbereich (Quartiersmanagement)"),
        ("Wilder Müll", str(fb)),
    ]
    assert 'data-ql-thema-ziel="id_thema"' in html
    assert 'aria-live="polite"' in html


def test_hinweis_nennt_den_fachbereich_des_gewaehlten_themas(lotse, client_fuer):
    # Nach einem Fehler kommt die Seite mit der Wahl wieder; der Hinweis nennt das Ziel.
    antwort = client_fuer("qm").post(URL, _daten(lotse, titel=""))
    assert antwort.status_code == 200
    hinweis = re.search(r'<p [^>]*data-testid="thema-ziel"[^>]*>([^<]*)</p>', antwort.text)
    assert hinweis.group(1).strip() == f"Wird an {lotse.stadtbetrieb} weitergeleitet."
    antwort = client_fuer("qm").post(URL, _daten(lotse, titel="", thema=lotse.beratung.pk))
    hinweis = re.search(r'<p [^>]*data-testid="thema-ziel"[^>]*>([^<]*)</p>', antwort.text)
    assert hinweis.group(1).startswith("Ohne Fachbereich")


def test_inaktiver_fachbereich_wird_nicht_als_ziel_genannt(lotse, client_fuer):
    lotse.stadtbetrieb.aktiv = False
    lotse.stadtbetrieb.save()
    html = client_fuer("qm").get(URL).text
    assert re.search(r"Wilder Müll</th><td[^>]*>ohne Fachbereich", html)
    assert 'data-ql-ziel="Ohne Fachbereich' in html
