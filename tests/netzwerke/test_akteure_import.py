"""CSV-Import der Akteure: Format, Fehler je Zeile, alles oder nichts, Wiederholbarkeit und
der Weg Export → Import."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from netzwerke.akteure_import import importiere
from netzwerke.models import Akteur, Zielgruppe

KOPF = (
    "name;art;traeger;quartiere;zielgruppen;strasse;plz;ort;telefon;email;website;angebote;aktiv\n"
)


def _datei(tmp_path, text: str, *, bom: bool = False, kodierung: str = "utf-8"):
    pfad = tmp_path / "akteure.csv"
    pfad.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(kodierung))
    return pfad


def _fehler(ergebnis) -> str:
    return "\n".join(str(f) for f in ergebnis.fehler)


def test_import_legt_an_mit_code_bezeichnung_traeger_quartieren_und_zielgruppen(netz, stadt):
    ergebnis = importiere(
        (
            KOPF
            + "Diakonie Test;wohlfahrtsverband;;;;;;;;;;;\n"
            + "Kita Regenbogen;Kita;Diakonie Test;nord, Quartier Süd;familien;Weg 1;52062;Aachen;"
            "0241 1;kita@example.invalid;www.kita.example;Betreuung;ja\n"
            + "Lesepaten;INITIATIVE;Caritas Test;;Jugendliche,Familien;;;;;;;;nein\n"
        ).encode()
    )
    assert ergebnis.ok, _fehler(ergebnis)
    assert (ergebnis.neu, ergebnis.geaendert, ergebnis.unveraendert) == (3, 0, 0)
    kita = Akteur.objects.get(name="Kita Regenbogen")
    assert kita.art == "kita"
    assert kita.traeger.name == "Diakonie Test"
    assert set(kita.quartiere.all()) == {stadt.nord, stadt.sued}
    assert list(kita.zielgruppen.all()) == [netz.familien]
    assert (kita.plz, kita.email, kita.website) == (
        "52062",
        "kita@example.invalid",
        "https://www.kita.example",
    )
    assert kita.aktiv
    lesepaten = Akteur.objects.get(name="Lesepaten")
    assert lesepaten.traeger == netz.caritas
    assert lesepaten.zielgruppen.count() == 2
    assert not lesepaten.aktiv


def test_import_mit_bom_und_windows_zeilenenden(netz, tmp_path):
    pfad = _datei(tmp_path, "name;art\r\nNachbarschaftshilfe;verein\r\n", bom=True)
    call_command("akteure_import", str(pfad))
    assert Akteur.objects.get(name="Nachbarschaftshilfe").ort == "Aachen"


def test_zweiter_lauf_aendert_nichts(netz, tmp_path, capsys):
    pfad = _datei(
        tmp_path,
        KOPF
        + "Kita Regenbogen;kita;Caritas Test;nord;Familien;;52062;;;;;;\n"
        + "Lesepaten;initiative;Kita Regenbogen;;;;;;;;;;\n",
    )
    call_command("akteure_import", str(pfad))
    geaendert_am = Akteur.objects.get(name="Kita Regenbogen").geaendert_am
    call_command("akteure_import", str(pfad))
    assert "0 neu, 0 geändert, 2 unverändert" in capsys.readouterr().out
    assert Akteur.objects.count() == 6
    assert Akteur.objects.get(name="Kita Regenbogen").geaendert_am == geaendert_am


def test_vorhandener_akteur_wird_am_namen_erkannt_und_geaendert(netz, stadt):
    ergebnis = importiere(
        b"name;art;telefon;quartiere;zielgruppen\n"
        b"Jugendtreff Nord;jugendarbeit;0241 555;nord, sued;Jugendliche\n"
    )
    assert (ergebnis.neu, ergebnis.geaendert, ergebnis.unveraendert) == (0, 1, 0)
    netz.jugendtreff.refresh_from_db()
    assert netz.jugendtreff.telefon == "0241 555"
    assert set(netz.jugendtreff.quartiere.all()) == {stadt.nord, stadt.sued}
    # Fehlende Spalten bleiben, wie sie sind.
    assert netz.jugendtreff.angebote == "Offene Tür, Fahrradwerkstatt"


def test_nur_geaenderte_zuordnung_zaehlt_als_geaendert(netz):
    ergebnis = importiere(b"name;art;zielgruppen\nJugendtreff Nord;jugendarbeit;Familien\n")
    assert ergebnis.geaendert == 1
    assert list(netz.jugendtreff.zielgruppen.all()) == [netz.familien]


def test_traeger_darf_auch_weiter_unten_in_der_datei_stehen(netz):
    ergebnis = importiere(
        b"name;art;traeger\n"
        b"Familienzentrum Ost;familienzentrum;SKM Test\n"
        b"SKM Test;wohlfahrtsverband;\n"
    )
    assert ergebnis.ok, _fehler(ergebnis)
    assert Akteur.objects.get(name="Familienzentrum Ost").traeger.name == "SKM Test"


def test_traeger_leer_entfernt_den_traeger(netz):
    importiere(b"name;art;traeger\nFamilienzentrum Nord;familienzentrum;\n")
    netz.familienzentrum.refresh_from_db()
    assert netz.familienzentrum.traeger is None


def test_namen_mit_komma_werden_erkannt(netz):
    kinder = Zielgruppe.objects.create(name="Kinder, Jugendliche und Eltern")
    ergebnis = importiere(
        b"name;art;zielgruppen\nSpielhaus;verein;Familien, Kinder, Jugendliche und Eltern\n"
    )
    assert ergebnis.ok, _fehler(ergebnis)
    assert set(Akteur.objects.get(name="Spielhaus").zielgruppen.all()) == {netz.familien, kinder}


def test_fehlerhafte_zeilen_mit_nummer_und_grund_und_nichts_wird_importiert(netz, tmp_path, capsys):
    pfad = _datei(
        tmp_path,
        KOPF
        + "Gute Zeile;verein;;nord;;;;;;;;;\n"  # 2: gut
        + ";verein;;;;;;;;;;;\n"  # 3: Name fehlt
        + "Raumstation;raumschiff;;;;;;;;;;;\n"  # 4: Art
        + "Waise;verein;Gibt es nicht;;;;;;;;;;\n"  # 5: Träger unbekannt
        + "Irgendwo;verein;;Mond;;;;;;;;;\n"  # 6: Quartier unbekannt
        + "Senioren;verein;;;Senior:innen;;;;;;;;\n"  # 7: Zielgruppe unbekannt
        + "Postfach;verein;;;;;5206;;;;;;\n"  # 8: PLZ
        + "Mailer;verein;;;;;;;;kein-at;;;\n"  # 9: E-Mail
        + "Netz;verein;;;;;;;;;http://;;\n"  # 10: Website
        + "Vielleicht;verein;;;;;;;;;;;vielleicht\n"  # 11: aktiv
        + "Gute Zeile;verein;;;;;;;;;;;\n"  # 12: doppelt zu Zeile 2
        + "Selbst;verein;Selbst;;;;;;;;;;\n",  # 13: eigener Träger
    )
    with pytest.raises(CommandError, match="11 fehlerhafte Zeile"):
        call_command("akteure_import", str(pfad))
    fehler = capsys.readouterr().err
    assert "Zeile 3: Der Name fehlt." in fehler
    assert "Zeile 4: Art „raumschiff“ ist nicht bekannt. Erlaubt: jugendarbeit" in fehler
    assert "Zeile 5: Träger „Gibt es nicht“ ist weder vorhanden noch in der Datei." in fehler
    assert "Zeile 6: Quartier nicht bekannt: „Mond“. Bekannt (Name oder Kurzname):" in fehler
    assert "berg, nord, sued" in fehler
    assert "Zeile 7: Zielgruppe nicht bekannt: „Senior:innen“. Bekannt: Familien, Jugendliche." in (
        fehler
    )
    assert "Zeile 8: PLZ „5206“ hat nicht fünf Ziffern" in fehler
    assert "Zeile 9: E-Mail „kein-at“ ist keine gültige Adresse." in fehler
    assert "Zeile 10: Website „http://“ ist keine gültige Internetadresse." in fehler
    assert "Zeile 11: Aktiv „vielleicht“ ist nicht ja, nein, 1, 0 oder leer." in fehler
    assert "Zeile 12: Doppelt: „Gute Zeile“ steht schon in Zeile 2." in fehler
    assert "Zeile 13: Ein Akteur kann nicht sein eigener Träger sein." in fehler
    assert "Zeile 2:" not in fehler.replace("in Zeile 2", "")
    assert Akteur.objects.count() == 4


def test_traegerkreis_wird_gemeldet(netz):
    # Caritas ist Träger des Familienzentrums; das Familienzentrum als Träger der Caritas
    # wäre ein Kreis.
    ergebnis = importiere(
        b"name;art;traeger\nCaritas Test;wohlfahrtsverband;Familienzentrum Nord\n"
    )
    assert not ergebnis.ok
    assert (
        "Zeile 2: Die Träger bilden einen Kreis: "
        "Caritas Test → Familienzentrum Nord → Caritas Test." in _fehler(ergebnis)
    )
    netz.caritas.refresh_from_db()
    assert netz.caritas.traeger is None


@pytest.mark.parametrize(
    ("text", "meldung"),
    [
        ("", "Die Datei ist leer."),
        ("name;quartiere\nX;nord\n", "fehlen die Spalten: art"),
        ("name,art\nX,verein\n", "fehlen die Spalten"),
        ("name;art;farbe\nX;verein;blau\n", "Unbekannte Spalten in der Kopfzeile: farbe"),
        ("name;art;art\nX;verein;verein\n", "Doppelte Spalten in der Kopfzeile: art"),
        ("name;art\n", "keine Datenzeilen"),
        ("name;art\nX;verein;zuviel\n", "mehr Spalten als die Kopfzeile"),
        ("name;art\n" + "x" * 201 + ";verein\n", "länger als 200 Zeichen"),
        ("name;art;telefon\nX;verein;" + "1" * 51 + "\n", "„telefon“ ist länger als 50 Zeichen"),
        ("name;art;email\nX;verein;a@b\n", "keine gültige Adresse"),
        ("name;art;website\nX;verein;ftp://example.de\n", "keine gültige Internetadresse"),
        ("name;art;plz\nX;verein;123456\n", "hat nicht fünf Ziffern"),
    ],
)
def test_ungueltige_dateien(netz, text, meldung):
    ergebnis = importiere(text.encode())
    assert not ergebnis.ok
    assert meldung in _fehler(ergebnis)
    assert Akteur.objects.count() == 4


def test_nicht_utf8_wird_mit_zeile_gemeldet(netz, tmp_path, capsys):
    pfad = _datei(tmp_path, "name;art\nBürgerhaus;verein\n", kodierung="latin-1")
    with pytest.raises(CommandError):
        call_command("akteure_import", str(pfad))
    assert "Zeile 2: Die Datei ist nicht UTF-8-kodiert" in capsys.readouterr().err


def test_fehlende_datei_gibt_klare_meldung(netz, tmp_path):
    with pytest.raises(CommandError, match="lässt sich nicht lesen"):
        call_command("akteure_import", str(tmp_path / "fehlt.csv"))


def test_probelauf_speichert_nichts(netz, tmp_path, capsys):
    pfad = _datei(tmp_path, "name;art;telefon\nNeu;verein;\nJugendtreff Nord;jugendarbeit;1\n")
    call_command("akteure_import", str(pfad), "--probelauf")
    assert "Probelauf, nichts gespeichert: 1 neu, 1 geändert, 0 unverändert." in (
        capsys.readouterr().out
    )
    assert Akteur.objects.count() == 4
    netz.jugendtreff.refresh_from_db()
    assert netz.jugendtreff.telefon == ""


def test_leerzeilen_am_ende_stoeren_nicht(netz):
    ergebnis = importiere(b"name;art\nNeu;verein\n;\n\n")
    assert ergebnis.ok and ergebnis.neu == 1


# --- Export → Import ---------------------------------------------------------------------


def _alles(akteur: Akteur) -> tuple:
    return (
        akteur.name,
        akteur.art,
        akteur.traeger.name if akteur.traeger else None,
        sorted(q.slug for q in akteur.quartiere.all()),
        sorted(z.name for z in akteur.zielgruppen.all()),
        akteur.strasse,
        akteur.plz,
        akteur.ort,
        akteur.telefon,
        akteur.email,
        akteur.website,
        akteur.angebote,
        akteur.aktiv,
    )


def _befuellen(netz, stadt) -> None:
    fz = netz.familienzentrum
    fz.strasse, fz.plz, fz.telefon = "Weg 1; Hinterhaus", "52062", "+49 241 1"
    fz.website = "https://fz.example.invalid/seite?a=1&b=2"
    fz.angebote = 'Elterncafé, "Krabbelgruppe"\nBeratung; dienstags'
    fz.save()
    fz.quartiere.add(stadt.sued)
    fz.zielgruppen.add(Zielgruppe.objects.create(name="Kinder, Jugendliche und Eltern"))
    netz.verein_sued.aktiv = False
    netz.verein_sued.angebote = '=HYPERLINK("https://example.invalid")'
    netz.verein_sued.save()
    netz.jugendtreff.angebote = "- Offene Tür\n- Fahrradwerkstatt"
    netz.jugendtreff.save()


def test_export_laesst_sich_unveraendert_wieder_einlesen(netz, stadt, client_fuer):
    _befuellen(netz, stadt)
    vorher = [_alles(a) for a in Akteur.objects.all()]
    export = client_fuer("planung").get(reverse("netzwerke:akteur_export"), {"q": ""}).getvalue()
    ergebnis = importiere(export)
    assert ergebnis.ok, _fehler(ergebnis)
    assert (ergebnis.neu, ergebnis.geaendert, ergebnis.unveraendert) == (0, 0, 4)
    assert [_alles(a) for a in Akteur.objects.all()] == vorher


def test_export_baut_das_verzeichnis_in_einer_leeren_datenbank_wieder_auf(netz, stadt, client_fuer):
    from netzwerke.models import Antrag, Mitgliedschaft, Sitzung

    _befuellen(netz, stadt)
    vorher = [_alles(a) for a in Akteur.objects.all()]
    export = client_fuer("planung").get(reverse("netzwerke:akteur_export"), {"q": ""}).getvalue()
    Antrag.objects.all().delete()
    Sitzung.teilnehmende.through.objects.all().delete()
    Mitgliedschaft.objects.all().delete()
    Akteur.objects.update(traeger=None)
    Akteur.objects.all().delete()
    ergebnis = importiere(export)
    assert ergebnis.ok, _fehler(ergebnis)
    assert ergebnis.neu == 4
    assert [_alles(a) for a in Akteur.objects.all()] == vorher
