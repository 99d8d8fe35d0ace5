"""Anhänge prüfen, bevor sie gespeichert werden.

- Größe: höchstens `QL_ANHANG_MAX_MB` Megabyte je Datei, keine leeren Dateien.
- Typ: am Inhalt erkannt (Magic Bytes), nicht am Namen und nicht am Content-Type des Browsers;
  erlaubt sind JPEG, PNG, WebP und PDF. Die Endung des Namens muss zum Inhalt passen
  (ASVS 5.2.2), sonst ließe sich eine Datei unter falscher Flagge weitergeben.
- Bilder öffnet Pillow vollständig (beschädigte Dateien und Dekompressionsbomben über
  `Image.MAX_IMAGE_PIXELS` fallen auf) und speichert sie neu: gedreht nach EXIF-Ausrichtung,
  aber ohne EXIF, XMP und Kommentare. So bleibt vom Foto einer Bürgerin kein GPS-Standort
  zurück, und eine HTML-Datei mit PNG-Kopf überlebt das Neukodieren nicht.

Jede Meldung nennt die Datei, damit man bei mehreren weiß, welche gemeint ist.
"""

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import ENDUNGEN, Inhaltstyp

# Endungen, die zum erkannten Typ passen (kleingeschrieben).
PASSENDE_ENDUNGEN: dict[str, set[str]] = {
    Inhaltstyp.JPEG: {"jpg", "jpeg", "jpe"},
    Inhaltstyp.PNG: {"png"},
    Inhaltstyp.WEBP: {"webp"},
    Inhaltstyp.PDF: {"pdf"},
}
PILLOW_FORMATE: dict[str, str] = {
    Inhaltstyp.JPEG: "JPEG",
    Inhaltstyp.PNG: "PNG",
    Inhaltstyp.WEBP: "WEBP",
}
MAX_NAMENSLAENGE = 150
ERLAUBT = gettext_lazy("Erlaubt sind Fotos (JPEG, PNG, WebP) und PDF-Dokumente.")


@dataclass(frozen=True)
class GepruefteDatei:
    """Eine geprüfte Datei, bereit zum Speichern (Bilder schon ohne Metadaten)."""

    inhalt: bytes
    inhaltstyp: str
    dateiname: str

    @property
    def groesse(self) -> int:
        return len(self.inhalt)


def max_bytes() -> int:
    return int(float(settings.QL_ANHANG_MAX_MB) * 1024 * 1024)


def typ_erkennen(kopf: bytes) -> str | None:
    """Der Typ nach den ersten Bytes (Magic Bytes) oder None."""
    if kopf.startswith(b"\xff\xd8\xff"):
        return Inhaltstyp.JPEG
    if kopf.startswith(b"\x89PNG\r\n\x1a\n"):
        return Inhaltstyp.PNG
    if kopf[:4] == b"RIFF" and kopf[8:12] == b"WEBP":
        return Inhaltstyp.WEBP
    if kopf.startswith(b"%PDF-"):
        return Inhaltstyp.PDF
    return None


def dateiname_bereinigen(name: str) -> str:
    """Nur der letzte Teil des Namens, ohne Steuerzeichen, Pfade und Zeichen, die in
    Kopfzeilen oder Dateisystemen stören; höchstens MAX_NAMENSLAENGE Zeichen."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(z for z in name if unicodedata.category(z)[0] != "C")
    name = re.sub(r'[<>:"|?*;]', "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAMENSLAENGE:
        pfad = PurePosixPath(name)
        endung = pfad.suffix[:10]
        name = pfad.stem[: MAX_NAMENSLAENGE - len(endung)] + endung
    return name or "anhang"


def _bild_neu_speichern(inhalt: bytes, typ: str, name: str) -> bytes:
    """Öffnet das Bild vollständig und speichert es ohne Metadaten neu."""
    kaputt = ValidationError(
        _("„%(name)s“ ist beschädigt oder kein lesbares Bild.") % {"name": name},
        code="beschaedigt",
    )
    bombe = ValidationError(
        _("„%(name)s“ hat zu viele Bildpunkte. Bitte verkleinern Sie das Bild.") % {"name": name},
        code="zu_viele_pixel",
    )
    try:
        with warnings.catch_warnings():
            # Schon ab MAX_IMAGE_PIXELS ablehnen, nicht erst beim Doppelten (Pillow warnt nur).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(inhalt), formats=[PILLOW_FORMATE[typ]]) as bild:
                if bild.width * bild.height > (Image.MAX_IMAGE_PIXELS or float("inf")):
                    raise bombe
                bild.load()
                icc = bild.info.get("icc_profile")
                sauber = ImageOps.exif_transpose(bild)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bombe from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise kaputt from None
    # exif_transpose behält die übrigen EXIF-Daten (auch GPS) in `info`: alles verwerfen,
    # nur Transparenz und Farbprofil bleiben.
    behalten = {k: v for k, v in sauber.info.items() if k in ("transparency",)}
    sauber.info = behalten
    optionen: dict = {"icc_profile": icc} if icc else {}
    if typ == Inhaltstyp.JPEG:
        if sauber.mode not in ("L", "RGB", "CMYK"):
            sauber = sauber.convert("RGB")
        optionen.update(quality=90, optimize=True)
    elif typ == Inhaltstyp.WEBP:
        optionen.update(quality=90)
    ausgabe = io.BytesIO()
    sauber.save(ausgabe, format=PILLOW_FORMATE[typ], **optionen)
    return ausgabe.getvalue()


def pruefen(datei: UploadedFile) -> GepruefteDatei:
    """Prüft eine hochgeladene Datei; ValidationError mit deutscher Meldung, die sie nennt."""
    name = dateiname_bereinigen(datei.name or "")
    grenze = max_bytes()
    if not datei.size:
        raise ValidationError(_("„%(name)s“ ist leer.") % {"name": name}, code="leer")
    if datei.size > grenze:
        raise ValidationError(
            _("„%(name)s“ ist zu groß (%(groesse)s); erlaubt sind höchstens %(max)s je Datei.")
            % {"name": name, "groesse": filesizeformat(datei.size), "max": filesizeformat(grenze)},
            code="zu_gross",
        )
    datei.seek(0)
    inhalt = datei.read(grenze + 1)
    if len(inhalt) > grenze:  # die angegebene Größe war gelogen
        raise ValidationError(
            _("„%(name)s“ ist zu groß; erlaubt sind höchstens %(max)s je Datei.")
            % {"name": name, "max": filesizeformat(grenze)},
            code="zu_gross",
        )
    if not inhalt:
        raise ValidationError(_("„%(name)s“ ist leer.") % {"name": name}, code="leer")
    typ = typ_erkennen(inhalt[:16])
    if typ is None:
        raise ValidationError(
            _("„%(name)s“ ist kein erlaubter Dateityp. %(erlaubt)s")
            % {"name": name, "erlaubt": ERLAUBT},
            code="typ",
        )
    endung = PurePosixPath(name).suffix.lower().lstrip(".")
    if endung not in PASSENDE_ENDUNGEN[typ]:
        raise ValidationError(
            _(
                "„%(name)s“: Die Endung passt nicht zum Inhalt (erkannt: %(typ)s). "
                "Bitte benennen Sie die Datei passend, z. B. „.%(endung)s“."
            )
            % {"name": name, "typ": Inhaltstyp(typ).label, "endung": ENDUNGEN[Inhaltstyp(typ)]},
            code="endung",
        )
    if typ in PILLOW_FORMATE:
        inhalt = _bild_neu_speichern(inhalt, typ, name)
    return GepruefteDatei(inhalt=inhalt, inhaltstyp=typ, dateiname=name)
