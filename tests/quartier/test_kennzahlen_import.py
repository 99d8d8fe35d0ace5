"""CSV-Import der Kennzahlen: Format, Fehler je Zeile, alles oder nichts, Wiederholbarkeit."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from quartier.kennzahlen_import import importiere
from quartier.models import Kennzahl, KennzahlArt

KOPF = "lebensraum;jahr;kennzahl;wert;quelle\n"


def _datei(tmp_path, text: str, *, bom: bool = False, kodierung: str = "utf-8"):
    pfad = tmp_path / "kennzahlen.csv"
    rohdaten = text.encode(kodierung)
    pfad.write_bytes((b"\xef\xbb\xbf" if bom else b"") + rohdaten)
    return pfad


def test_import_mit_dezimalkomma_code_und_bezeichnung(stadt):
    ergebnis = importiere(
        (
            KOPF
            + "101;2020;sgb2_quote;12,5;Statistikstelle\n"
            + "101;2020;Kinderarmut (%);1.234,75;\n"
            + "201;2019;ALTERSARMUT;-0,5;\n"
        ).encode()
    )
    assert ergebnis.ok, ergebnis.fehler
    assert (ergebnis.neu, ergebnis.geaendert, ergebnis.unveraendert) == (3, 0, 0)
    sgb2 = Kennzahl.objects.get(lebensraum=stadt.lr_nord, art=KennzahlArt.SGB2_QUOTE)
    assert sgb2.wert == Decimal("12.5")
    assert sgb2.quelle == "Statistikstelle"
    assert Kennzahl.objects.get(art=KennzahlArt.KINDERARMUT).wert == Decimal("1234.75")


def test_import_mit_bom_und_windows_zeilenenden(stadt, tmp_path):
    pfad = _datei(tmp_path, "lebensraum;jahr;kennzahl;wert\r\n101;2020;sgb2_quote;7\r\n", bom=True)
    call_command("kennzahlen_import", str(pfad))
    assert Kennzahl.objects.get().wert == Decimal("7")


def test_zweiter_lauf_aendert_nichts(stadt, tmp_path, capsys):
    pfad = _datei(tmp_path, KOPF + "101;2020;sgb2_quote;12,5;\n201;2020;sgb2_quote;8;\n")
    call_command("kennzahlen_import", str(pfad))
    call_command("kennzahlen_import", str(pfad))
    assert "0 neu, 0 geändert, 2 unverändert" in capsys.readouterr().out
    assert Kennzahl.objects.count() == 2


def test_geaenderter_wert_wird_aktualisiert(stadt):
    importiere((KOPF + "101;2020;sgb2_quote;12,5;\n").encode())
    ergebnis = importiere((KOPF + "101;2020;sgb2_quote;13;\n").encode())
    assert (ergebnis.neu, ergebnis.geaendert) == (0, 1)
    assert Kennzahl.objects.get().wert == Decimal("13")


def test_fehlerhafte_zeilen_mit_nummer_und_grund_und_nichts_wird_importiert(
    stadt, tmp_path, capsys
):
    pfad = _datei(
        tmp_path,
        KOPF
        + "101;2020;sgb2_quote;12,5;\n"  # Zeile 2: gut
        + "999;2020;sgb2_quote;1;\n"  # 3: unbekannter Lebensraum
        + "101;20;sgb2_quote;1;\n"  # 4: Jahr
        + "101;2020;glueck;1;\n"  # 5: Kennzahl
        + "101;2021;sgb2_quote;12.5;\n"  # 6: englisches Zahlformat
        + "101;2020;sgb2_quote;3;\n"  # 7: doppelt zu Zeile 2
        + ";2020;sgb2_quote;;\n",  # 8: Nummer und Wert fehlen
    )
    with pytest.raises(CommandError, match="6 fehlerhafte Zeile"):
        call_command("kennzahlen_import", str(pfad))
    fehler = capsys.readouterr().err
    assert "Zeile 3: Lebensraum „999“ ist nicht bekannt." in fehler
    assert "Zeile 4: Jahr „20“ ist keine vierstellige Jahreszahl." in fehler
    assert "Zeile 5: Kennzahl „glueck“ ist nicht bekannt." in fehler
    assert "Zeile 6: Wert „12.5“ ist keine Zahl im deutschen Format" in fehler
    assert "Zeile 7: Doppelt" in fehler and "Zeile 2" in fehler
    assert "Zeile 8: Die Nummer des Lebensraums fehlt." in fehler
    assert "Zeile 2:" not in fehler.replace("in Zeile 2", "")
    assert not Kennzahl.objects.exists()


@pytest.mark.parametrize(
    ("text", "meldung"),
    [
        ("", "Die Datei ist leer."),
        ("lebensraum;jahr;wert\n101;2020;1\n", "fehlen die Spalten: kennzahl"),
        ("lebensraum,jahr,kennzahl,wert\n101,2020,sgb2_quote,1\n", "fehlen die Spalten"),
        (KOPF, "keine Datenzeilen"),
        (KOPF + "101;2020;sgb2_quote;1;;zuviel\n", "mehr Spalten als die Kopfzeile"),
        (KOPF + "101;1800;sgb2_quote;1;\n", "nicht zwischen 1900 und 2200"),
        (KOPF + "101;2020;sgb2_quote;99999999;\n", "zu groß"),
        (KOPF + "101;2020;sgb2_quote;1;" + "x" * 201 + "\n", "länger als 200 Zeichen"),
        (KOPF + "101;2020;sgb2_quote;1\x00;\n", "keine Zahl"),
    ],
)
def test_ungueltige_dateien(stadt, text, meldung):
    ergebnis = importiere(text.encode())
    assert not ergebnis.ok
    assert meldung in " ".join(str(f) for f in ergebnis.fehler)
    assert not Kennzahl.objects.exists()


def test_nicht_utf8_wird_mit_zeile_gemeldet(stadt, tmp_path, capsys):
    pfad = _datei(
        tmp_path, KOPF + "101;2020;Kinderarmut (%);1;Stadtb\u00fcro\n", kodierung="latin-1"
    )
    with pytest.raises(CommandError):
        call_command("kennzahlen_import", str(pfad))
    assert "Zeile 2: Die Datei ist nicht UTF-8-kodiert" in capsys.readouterr().err


def test_fehlende_datei_gibt_klare_meldung(stadt, tmp_path):
    with pytest.raises(CommandError, match="lässt sich nicht lesen"):
        call_command("kennzahlen_import", str(tmp_path / "fehlt.csv"))


def test_probelauf_speichert_nichts(stadt, tmp_path, capsys):
    pfad = _datei(tmp_path, KOPF + "101;2020;sgb2_quote;12,5;\n")
    call_command("kennzahlen_import", str(pfad), "--probelauf")
    assert "Probelauf, nichts gespeichert: 1 neu" in capsys.readouterr().out
    assert not Kennzahl.objects.exists()


def test_leerzeilen_am_ende_stoeren_nicht(stadt):
    ergebnis = importiere((KOPF + "101;2020;sgb2_quote;1;\n;;;;\n\n").encode())
    assert ergebnis.ok and ergebnis.neu == 1
