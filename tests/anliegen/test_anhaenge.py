"""Anhänge: Prüfung am Inhalt (Typ, Größe, Bomben), Fotos ohne EXIF/GPS, Zufallsnamen,
Hochladen beim Erfassen und auf der Seite, Auslieferung nur nach Rechten (Matrix), Kopfzeilen,
Verlauf und feste Zahl der Abfragen."""

import io
import re
import struct
import zlib
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from anliegen import anhaenge, workflow
from anliegen.models import Anhang, Anliegen, Ereignis

from .test_erfassen import _daten

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PFAD = re.compile(r"^anhaenge/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|pdf)$")


@pytest.fixture(autouse=True)
def _ablage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _exif_mit_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # um 90° gedreht aufgenommen
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (50.0, 46.0, 31.0), 3: "E", 4: (6.0, 5.0, 2.0)}
    )
    return exif


def _bild(format_: str = "JPEG", groesse=(8, 6), exif: Image.Exif | None = None) -> bytes:
    puffer = io.BytesIO()
    modus = "RGB" if format_ == "JPEG" else "RGBA"
    optionen = {"exif": exif} if exif is not None else {}
    Image.new(modus, groesse, "red").save(puffer, format_, **optionen)
    return puffer.getvalue()


def _png_kopf(breite: int, hoehe: int) -> bytes:
    """Ein PNG, das riesige Abmessungen behauptet (Dekompressionsbombe), nur ein paar Bytes."""

    def chunk(typ: bytes, daten: bytes) -> bytes:
        pruefsumme = struct.pack(">I", zlib.crc32(typ + daten))
        return struct.pack(">I", len(daten)) + typ + daten + pruefsumme

    ihdr = struct.pack(">IIBBBBB", breite, hoehe, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def _datei(name: str, inhalt: bytes, typ: str = "application/octet-stream"):
    return SimpleUploadedFile(name, inhalt, content_type=typ)


def _anhaengen(anliegen, *dateien, freigegeben=False, durch=None) -> list[Anhang]:
    geprueft = [anhaenge.pruefen(_datei(n, i)) for n, i in dateien]
    return workflow.anhaenge_hinzufuegen(
        anliegen, dateien=geprueft, freigegeben=freigegeben, durch=durch or anliegen.zustaendig
    )


def _dateien_in(ordner: Path) -> list[Path]:
    return [p for p in ordner.rglob("*") if p.is_file()]


# --- Prüfung -----------------------------------------------------------------------------

ERLAUBT = [
    ("foto.jpg", "JPEG", "image/jpeg"),
    ("foto.JPEG", "JPEG", "image/jpeg"),
    ("plan.png", "PNG", "image/png"),
    ("handy.webp", "WEBP", "image/webp"),
    ("brief.pdf", None, "application/pdf"),
]


@pytest.mark.parametrize(("name", "format_", "typ"), ERLAUBT)
def test_erlaubte_typen_werden_am_inhalt_erkannt(name, format_, typ):
    inhalt = _bild(format_) if format_ else PDF
    # Der Content-Type des Browsers zählt nicht: absichtlich falsch angegeben.
    geprueft = anhaenge.pruefen(_datei(name, inhalt, "text/html"))
    assert geprueft.inhaltstyp == typ
    assert geprueft.dateiname == name
    if format_:
        assert Image.open(io.BytesIO(geprueft.inhalt)).format == format_
    else:
        assert geprueft.inhalt == PDF


ABGELEHNT = [
    ("programm.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60, "kein erlaubter Dateityp"),
    ("seite.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "kein erlaubter"),
    ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "kein erlaubter"),
    ("polyglott.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>", "beschädigt"),
    ("kaputt.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "beschädigt"),
    ("foto.png", _bild("JPEG"), "Endung passt nicht zum Inhalt"),
    ("brief.jpg", PDF, "Endung passt nicht zum Inhalt"),
    ("ohne_endung", PDF, "Endung passt nicht zum Inhalt"),
    ("leer.pdf", b"", "ist leer"),
    ("bombe.png", _png_kopf(50_000, 50_000), "zu viele Bildpunkte"),
]


@pytest.mark.parametrize(("name", "inhalt", "meldung"), ABGELEHNT)
def test_abgelehnt_mit_deutscher_meldung_die_die_datei_nennt(name, inhalt, meldung):
    with pytest.raises(ValidationError) as fehler:
        anhaenge.pruefen(_datei(name, inhalt, "image/jpeg"))
    text = " ".join(fehler.value.messages)
    assert meldung in text
    assert f"„{name}“" in text


def test_zu_gross(settings):
    settings.QL_ANHANG_MAX_MB = 0.001  # 1.048 Bytes
    with pytest.raises(ValidationError) as fehler:
        anhaenge.pruefen(_datei("gross.pdf", PDF + b"0" * 2000))
    assert "„gross.pdf“ ist zu groß" in fehler.value.messages[0]
    assert "1,0\xa0KB" in fehler.value.messages[0]  # Grenze im deutschen Format


def test_gelogene_groesse_wird_trotzdem_erkannt(settings):
    settings.QL_ANHANG_MAX_MB = 0.001
    datei = _datei("gross.pdf", PDF + b"0" * 2000)
    datei.size = 10
    with pytest.raises(ValidationError, match="zu groß"):
        anhaenge.pruefen(datei)


def test_dekompressionsbombe_ab_max_image_pixels(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50)
    with pytest.raises(ValidationError, match="zu viele Bildpunkte"):
        anhaenge.pruefen(_datei("gross.png", _bild("PNG", groesse=(10, 10))))
    assert anhaenge.pruefen(_datei("klein.png", _bild("PNG", groesse=(7, 7))))


@pytest.mark.parametrize("format_", ["JPEG", "PNG", "WEBP"])
def test_exif_und_gps_werden_entfernt_und_das_bild_gedreht(format_):
    roh = _bild(format_, exif=_exif_mit_gps())
    assert Image.open(io.BytesIO(roh)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    geprueft = anhaenge.pruefen(_datei(f"foto.{format_.lower()}", roh))
    sauber = Image.open(io.BytesIO(geprueft.inhalt))
    assert dict(sauber.getexif()) == {}
    assert "exif" not in sauber.info and "xmp" not in sauber.info
    assert b"Exif" not in geprueft.inhalt
    assert sauber.size == (6, 8)  # Ausrichtung übernommen


@pytest.mark.parametrize(
    ("roh", "bereinigt"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Erika\\Mängel.pdf", "Mängel.pdf"),
        ('a"b<c>\r\n.pdf', "a_b_c_.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_dateiname_wird_bereinigt(roh, bereinigt):
    assert anhaenge.dateiname_bereinigen(roh) == bereinigt


# --- Speichern über den Workflow ---------------------------------------------------------


def test_gespeichert_unter_zufallsnamen_mit_ereignis(lotse, _ablage):
    a = lotse.erfassen()
    (anhang,) = _anhaengen(a, ("Foto von Erika Muster.jpg", _bild()), freigegeben=True)
    assert PFAD.match(anhang.datei.name)
    assert "Erika" not in anhang.datei.name and anhang.datei.name.endswith(".jpg")
    assert anhang.dateiname == "Foto von Erika Muster.jpg"
    assert (_ablage / anhang.datei.name).read_bytes()[:3] == b"\xff\xd8\xff"
    assert anhang.groesse == (_ablage / anhang.datei.name).stat().st_size
    ereignis = Ereignis.objects.get(anliegen=a, art="anhang")
    assert ereignis.daten == {
        "anhang": anhang.pk,
        "dateiname": "Foto von Erika Muster.jpg",
        "inhaltstyp": "image/jpeg",
        "freigegeben": True,
    }
    assert ereignis.text() == (
        "Anhang „Foto von Erika Muster.jpg“ hinzugefügt (JPEG-Bild). "
        "Für Fachbereiche und andere Quartiere freigegeben."
    )


def test_nur_das_qm_des_quartiers_haengt_an(lotse):
    from django.core.exceptions import PermissionDenied

    a = lotse.erfassen()
    for persona in ("qm2", "fb", "planung", "admin"):
        with pytest.raises(PermissionDenied):
            _anhaengen(a, ("x.pdf", PDF), durch=lotse.stadt.persona(persona))
    assert not Anhang.objects.exists()


def test_scheitert_der_vorgang_bleibt_keine_datei_zurueck(lotse, _ablage):
    a = lotse.erfassen()
    geprueft = [anhaenge.pruefen(_datei(f"{i}.pdf", PDF)) for i in range(2)]
    original = workflow._ereignis
    aufrufe = []

    def zweites_scheitert(*args, **kwargs):
        aufrufe.append(1)
        if len(aufrufe) == 2:
            raise RuntimeError("Datenbank weg")
        return original(*args, **kwargs)

    with (
        mock.patch.object(workflow, "_ereignis", zweites_scheitert),
        pytest.raises(RuntimeError),
    ):
        workflow.anhaenge_hinzufuegen(a, dateien=geprueft, freigegeben=False, durch=a.zustaendig)
    assert not Anhang.objects.exists()
    assert _dateien_in(_ablage) == []


# --- Hochladen beim Erfassen ------------------------------------------------------------


def test_erfassen_mit_mehreren_dateien(lotse, client_fuer):
    daten = _daten(lotse)
    daten["anhaenge"] = [_datei("schlagloch.jpg", _bild()), _datei("brief.pdf", PDF)]
    antwort = client_fuer("qm").post(reverse("anliegen:erfassen"), daten)
    assert antwort.status_code == 302
    a = Anliegen.objects.get()
    assert [x.dateiname for x in a.anhaenge.all()] == ["schlagloch.jpg", "brief.pdf"]
    assert not any(x.freigegeben for x in a.anhaenge.all())
    assert list(a.ereignisse.values_list("art", flat=True)) == ["erfasst", "anhang", "anhang"]


def test_erfassen_freigegeben(lotse, client_fuer):
    daten = _daten(lotse, anhaenge_freigegeben="on")
    daten["anhaenge"] = [_datei("ort.png", _bild("PNG"))]
    client_fuer("qm").post(reverse("anliegen:erfassen"), daten)
    assert Anhang.objects.get().freigegeben


def test_erfassen_formular_ist_multipart_und_erlaubt_mehrere(lotse, client_fuer):
    inhalt = client_fuer("qm").get(reverse("anliegen:erfassen")).content.decode()
    assert 'enctype="multipart/form-data"' in inhalt
    feld = re.search(r'<input type="file" name="anhaenge"[^>]*>', inhalt).group(0)
    assert "multiple" in feld and 'accept="image/jpeg' in feld
    assert "kern-form-input__input" in feld


def test_erfassen_schlechte_datei_deutsch_und_eingaben_bleiben(lotse, client_fuer, _ablage):
    daten = _daten(lotse, titel="Mein Titel 7f3a", beschreibung="Meine Beschreibung 7f3a")
    daten["anhaenge"] = [_datei("gut.jpg", _bild()), _datei("virus.jpg", b"MZ" + b"\0" * 50)]
    antwort = client_fuer("qm").post(reverse("anliegen:erfassen"), daten)
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "„virus.jpg“ ist kein erlaubter Dateityp" in inhalt
    assert "Mein Titel 7f3a" in inhalt and "Meine Beschreibung 7f3a" in inhalt
    assert 'data-testid="dateien-erneut"' in inhalt
    assert not Anliegen.objects.exists() and not Anhang.objects.exists()
    assert _dateien_in(_ablage) == []


def test_erfassen_anderer_fehler_bittet_dateien_erneut_zu_waehlen(lotse, client_fuer):
    daten = _daten(lotse, titel="", beschreibung="Meine Beschreibung 7f3a")
    daten["anhaenge"] = [_datei("gut.jpg", _bild())]
    antwort = client_fuer("qm").post(reverse("anliegen:erfassen"), daten)
    inhalt = antwort.content.decode()
    assert "Bitte einen kurzen Titel eingeben." in inhalt
    assert "Meine Beschreibung 7f3a" in inhalt
    assert "Bitte wählen Sie die Dateien erneut aus" in inhalt
    assert not Anhang.objects.exists()


def test_erfassen_ohne_dateien_ohne_hinweis(lotse, client_fuer):
    antwort = client_fuer("qm").post(reverse("anliegen:erfassen"), _daten(lotse, titel=""))
    assert 'data-testid="dateien-erneut"' not in antwort.content.decode()


def test_zu_viele_dateien_auf_einmal(lotse, client_fuer, settings):
    daten = _daten(lotse)
    daten["anhaenge"] = [_datei(f"{i}.pdf", PDF) for i in range(settings.QL_ANHANG_MAX_ANZAHL + 1)]
    antwort = client_fuer("qm").post(reverse("anliegen:erfassen"), daten)
    assert "Bitte höchstens 5 Dateien auf einmal hochladen." in antwort.content.decode()
    assert not Anliegen.objects.exists()


# --- Hochladen auf der Seite des Anliegens ----------------------------------------------


def _neu_url(a) -> str:
    return reverse("anliegen:anhang_hinzufuegen", args=[a.nummer])


def test_hinzufuegen_auf_der_seite(lotse, client_fuer):
    a = lotse.erfassen()
    c = client_fuer("qm")
    seite = c.get(reverse("anliegen:detail", args=[a.nummer])).content.decode()
    assert 'data-testid="anhang-hinzufuegen"' in seite
    assert f'action="{_neu_url(a)}"' in seite
    antwort = c.post(
        _neu_url(a), {"dateien": [_datei("a.pdf", PDF), _datei("b.png", _bild("PNG"))]}
    )
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("anliegen:detail", args=[a.nummer])
    assert a.anhaenge.count() == 2
    seite = c.get(antwort["Location"]).content.decode()
    assert "2 Anhänge sind gespeichert." in seite


def test_hinzufuegen_fehler_auf_eigener_seite(lotse, client_fuer):
    a = lotse.erfassen()
    c = client_fuer("qm")
    antwort = c.post(_neu_url(a), {"dateien": [_datei("x.pdf", b"<html>")]})
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "„x.pdf“ ist kein erlaubter Dateityp" in inhalt
    assert 'data-testid="dateien-erneut"' in inhalt
    leer = c.post(_neu_url(a), {}).content.decode()
    assert "Bitte mindestens eine Datei auswählen." in leer
    assert c.get(_neu_url(a)).status_code == 200
    assert not Anhang.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("qm2", 403), ("planung", 403), ("admin", 403), ("fb", 404), (None, 302)],
)
def test_hinzufuegen_nur_fuer_das_qm_des_quartiers(lotse, client_fuer, persona, status):
    a = lotse.erfassen()
    antwort = client_fuer(persona).post(_neu_url(a), {"dateien": [_datei("a.pdf", PDF)]})
    assert antwort.status_code == status
    assert not Anhang.objects.exists()
    if persona:
        seite = client_fuer(persona).get(reverse("anliegen:detail", args=[a.nummer]))
        assert 'data-testid="anhang-hinzufuegen"' not in seite.content.decode()


# --- Abrufen: Rechte ---------------------------------------------------------------------


@pytest.fixture
def mit_anhaengen(lotse):
    """Anliegen in Nord, an den Stadtbetrieb (fb) weitergeleitet, Kontakt nicht geteilt;
    ein freigegebener und ein nicht freigegebener Anhang."""
    a = lotse.erfassen()
    workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="Bitte prüfen", durch=a.zustaendig)
    (frei,) = _anhaengen(a, ("strasse.jpg", _bild()), freigegeben=True)
    (privat,) = _anhaengen(a, ("Brief Kanarie.pdf", PDF), freigegeben=False)
    return a, frei, privat


def _abruf(a, anhang) -> str:
    return reverse("anliegen:anhang", args=[a.nummer, anhang.pk])


@pytest.mark.parametrize(
    ("persona", "frei", "privat"),
    [
        ("qm", 200, 200),  # eigenes Quartier
        ("qm2", 200, 404),  # fremdes Quartier
        ("fb", 200, 404),  # Fachbereich mit Weiterleitung
        ("fb2", 404, 404),  # Fachbereich ohne Weiterleitung
        ("planung", 200, 404),
        ("admin", 200, 200),
    ],
)
def test_abruf_matrix(mit_anhaengen, lotse, persona, frei, privat):
    from django.test import Client

    a, anhang_frei, anhang_privat = mit_anhaengen
    c = Client()
    c.force_login(lotse.fb2 if persona == "fb2" else lotse.stadt.persona(persona))
    assert c.get(_abruf(a, anhang_frei)).status_code == frei
    assert c.get(_abruf(a, anhang_privat)).status_code == privat


def test_abruf_anonym_zur_anmeldung(mit_anhaengen, client):
    a, frei, _ = mit_anhaengen
    antwort = client.get(_abruf(a, frei))
    assert antwort.status_code == 302
    assert reverse("login") in antwort["Location"]


def test_geteilter_kontakt_gibt_keine_nicht_freigegebenen_anhaenge_frei(lotse, client_fuer):
    """Einwilligung in die Weitergabe der Kontaktdaten ist keine Freigabe von Fotos/Briefen."""
    a = lotse.erfassen()
    workflow.weiterleiten(
        a, an=[lotse.stadtbetrieb], nachricht="x", kontakt_teilen=True, durch=a.zustaendig
    )
    (privat,) = _anhaengen(a, ("Brief.pdf", PDF))
    client = client_fuer("fb")
    assert client.get(_abruf(a, privat)).status_code == 404
    assert "Brief.pdf" not in client.get(a.get_absolute_url()).content.decode()
    workflow.anhang_freigeben(privat, freigegeben=True, durch=a.zustaendig)
    assert client.get(_abruf(a, privat)).status_code == 200


def test_anhang_eines_anderen_anliegens_ist_404(mit_anhaengen, lotse, client_fuer):
    a, frei, _ = mit_anhaengen
    b = lotse.erfassen(titel="Zweites")
    c = client_fuer("qm")
    assert c.get(reverse("anliegen:anhang", args=[b.nummer, frei.pk])).status_code == 404
    assert c.get(reverse("anliegen:anhang", args=["2000-99999", frei.pk])).status_code == 404


def test_abruf_nur_get(mit_anhaengen, client_fuer):
    a, frei, _ = mit_anhaengen
    assert client_fuer("qm").post(_abruf(a, frei)).status_code == 405


def test_fehlende_datei_ist_404(mit_anhaengen, client_fuer, _ablage):
    a, frei, _ = mit_anhaengen
    (_ablage / frei.datei.name).unlink()
    assert client_fuer("qm").get(_abruf(a, frei)).status_code == 404


# --- Abrufen: Kopfzeilen -----------------------------------------------------------------


def test_pdf_wird_heruntergeladen_mit_umlauten_im_namen(lotse, client_fuer):
    a = lotse.erfassen()
    (anhang,) = _anhaengen(a, ("Übersicht Mängel.pdf", PDF))
    antwort = client_fuer("qm").get(_abruf(a, anhang))
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "application/pdf"
    assert antwort["Content-Disposition"] == (
        "attachment; filename*=utf-8''%C3%9Cbersicht%20M%C3%A4ngel.pdf"
    )
    assert antwort["X-Content-Type-Options"] == "nosniff"
    assert antwort["Cache-Control"] == "private, no-store"
    assert "sandbox" in antwort["Content-Security-Policy"]
    assert b"".join(antwort.streaming_content) == PDF


def test_bild_erscheint_im_browser(lotse, client_fuer):
    a = lotse.erfassen()
    (anhang,) = _anhaengen(a, ("foto.webp", _bild("WEBP")))
    antwort = client_fuer("qm").get(_abruf(a, anhang))
    assert antwort["Content-Type"] == "image/webp"
    assert antwort["Content-Disposition"] == 'inline; filename="foto.webp"'
    assert antwort["X-Content-Type-Options"] == "nosniff"
    assert antwort["Cache-Control"] == "private, no-store"


# --- Seiten: Liste, Verlauf, Posteingang, Abfragen ---------------------------------------


def test_seite_listet_nur_sichtbare_anhaenge(mit_anhaengen, client_fuer):
    a, frei, privat = mit_anhaengen
    url = reverse("anliegen:detail", args=[a.nummer])
    eigen = client_fuer("qm").get(url).content.decode()
    assert _abruf(a, frei) in eigen and _abruf(a, privat) in eigen
    assert "Brief Kanarie.pdf" in eigen and "PDF-Dokument" in eigen
    assert "freigegeben" in eigen and "nur Quartiersmanagement" in eigen
    for persona in ("qm2", "planung", "fb"):
        fremd = client_fuer(persona).get(url).content.decode()
        assert _abruf(a, frei) in fremd
        assert _abruf(a, privat) not in fremd
        assert "Kanarie" not in fremd  # auch nicht über den Verlauf


def test_groesse_im_deutschen_format(lotse, client_fuer):
    a = lotse.erfassen()
    _anhaengen(a, ("gross.pdf", PDF + b"0" * (1229 - len(PDF))))
    seite = client_fuer("qm").get(reverse("anliegen:detail", args=[a.nummer])).content.decode()
    assert "1,2\xa0KB" in seite


def test_verlauf_zeigt_das_hochladen(mit_anhaengen, client_fuer):
    a, _, _ = mit_anhaengen
    url = reverse("anliegen:detail", args=[a.nummer])
    eigen = client_fuer("qm").get(url).content.decode()
    assert "Anhang „strasse.jpg“ hinzugefügt (JPEG-Bild)" in eigen
    assert "Anhang „Brief Kanarie.pdf“ hinzugefügt (PDF-Dokument)" in eigen
    fremd = client_fuer("qm2").get(url).content.decode()
    assert "Anhang „strasse.jpg“ hinzugefügt" in fremd
    assert "Anhang hinzugefügt (nur für das zuständige Quartiersmanagement sichtbar)." in fremd


def test_posteingang_zeigt_freigegebene(mit_anhaengen, client_fuer):
    a, frei, privat = mit_anhaengen
    w = a.weiterleitungen.get()
    inhalt = client_fuer("fb").get(reverse("anliegen:eingang_detail", args=[w.pk]))
    inhalt = inhalt.content.decode()
    assert _abruf(a, frei) in inhalt and "strasse.jpg" in inhalt
    assert _abruf(a, privat) not in inhalt and "Kanarie.pdf" not in inhalt


@pytest.mark.parametrize("persona", ["qm", "qm2", "fb", "planung"])
def test_abfragen_wachsen_nicht_mit_anhaengen(
    lotse, client_fuer, persona, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = lotse.erfassen()
    workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=a.zustaendig)
    url = reverse("anliegen:detail", args=[a.nummer])
    c = client_fuer(persona)
    _anhaengen(a, ("1.pdf", PDF), freigegeben=True)

    def zaehlen() -> int:
        with CaptureQueriesContext(connection) as abfragen:
            assert c.get(url).status_code == 200
        return len(abfragen)

    einer = zaehlen()
    for i in range(6):
        _anhaengen(a, (f"{i}.pdf", PDF), freigegeben=bool(i % 2))
    assert zaehlen() == einer
    # wie test_detail (16), dazu die Anhänge mit Person (eine Abfrage)
    with django_assert_max_num_queries(17):
        c.get(url)


# --- Freigabe ändern ---------------------------------------------------------------------


def _freigabe_url(a, anhang) -> str:
    return reverse("anliegen:anhang_freigabe", args=[a.nummer, anhang.pk])


def test_freigeben_und_zuruecknehmen_mit_verlauf(mit_anhaengen, client_fuer):
    a, frei, privat = mit_anhaengen
    qm, qm2 = client_fuer("qm"), client_fuer("qm2")
    seite = qm.get(reverse("anliegen:detail", args=[a.nummer])).content.decode()
    assert f'data-testid="freigabe-{privat.pk}"' in seite
    antwort = qm.post(_freigabe_url(a, privat), {"freigegeben": "1"})
    assert antwort.status_code == 302
    privat.refresh_from_db()
    assert privat.freigegeben
    assert qm2.get(_abruf(a, privat)).status_code == 200
    qm.post(_freigabe_url(a, privat), {"freigegeben": "1"})  # zweiter Klick: nichts Neues
    qm.post(_freigabe_url(a, frei), {"freigegeben": "0"})
    frei.refresh_from_db()
    assert not frei.freigegeben
    assert qm2.get(_abruf(a, frei)).status_code == 404
    texte = [e.text() for e in a.ereignisse.filter(art="anhang_freigabe")]
    assert texte == [
        "Anhang „Brief Kanarie.pdf“ für Fachbereiche und andere Quartiere freigegeben.",
        "Freigabe des Anhangs „strasse.jpg“ zurückgenommen.",
    ]
    # Im Verlauf Fremder stehen Dateinamen nur zu Anhängen, die sie jetzt sehen dürfen.
    fremd = qm2.get(reverse("anliegen:detail", args=[a.nummer])).content.decode()
    assert "strasse.jpg" not in fremd
    assert "Brief Kanarie.pdf" in fremd
    assert "Freigabe eines Anhangs geändert." in fremd
    assert 'data-testid="freigabe-' not in fremd


@pytest.mark.parametrize(
    ("persona", "status"), [("qm2", 403), ("planung", 403), ("fb", 403), ("admin", 403)]
)
def test_freigabe_nur_fuer_das_qm_des_quartiers(mit_anhaengen, client_fuer, persona, status):
    a, frei, privat = mit_anhaengen
    c = client_fuer(persona)
    assert c.post(_freigabe_url(a, frei), {"freigegeben": "0"}).status_code == status
    # Nicht sichtbare Anhänge bleiben unsichtbar (404), außer für die Administration.
    erwartet = 403 if persona == "admin" else 404
    assert c.post(_freigabe_url(a, privat), {"freigegeben": "1"}).status_code == erwartet
    assert c.get(_freigabe_url(a, frei)).status_code == 405
    frei.refresh_from_db()
    privat.refresh_from_db()
    assert frei.freigegeben and not privat.freigegeben
