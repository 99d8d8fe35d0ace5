"""Import von Kennzahlen der Lebensräume aus einer CSV-Datei, wie Städte sie veröffentlichen.

Format: Semikolon als Trenner, UTF-8 (mit oder ohne BOM), Dezimalkomma. Kopfzeile:

    lebensraum;jahr;kennzahl;wert[;quelle]

`lebensraum` ist die Nummer des Lebensraums, `kennzahl` der Code (z. B. `sgb2_quote`)
oder die Bezeichnung (z. B. „SGB-II-Quote (%)“). Alles oder nichts: ist eine Zeile
fehlerhaft, wird keine übernommen, und jede fehlerhafte Zeile wird mit Nummer und
Grund gemeldet. Ein zweiter Lauf mit derselben Datei ändert nichts.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .forms import deutsche_zahl
from .models import Kennzahl, KennzahlArt, Lebensraum

PFLICHTSPALTEN = ("lebensraum", "jahr", "kennzahl", "wert")


@dataclass
class Fehler:
    zeile: int
    grund: str

    def __str__(self) -> str:
        return _("Zeile %(zeile)s: %(grund)s") % {"zeile": self.zeile, "grund": self.grund}


@dataclass
class Ergebnis:
    neu: int = 0
    geaendert: int = 0
    unveraendert: int = 0
    fehler: list[Fehler] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.fehler


def _art_nachschlagen() -> dict[str, str]:
    nachschlag: dict[str, str] = {}
    for art in KennzahlArt:
        nachschlag[art.value.casefold()] = art.value
        nachschlag[str(art.label).casefold()] = art.value
    return nachschlag


def lese_text(rohdaten: bytes) -> tuple[str | None, Fehler | None]:
    try:
        return rohdaten.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        zeile = rohdaten[: e.start].count(b"\n") + 1
        return None, Fehler(
            zeile,
            _("Die Datei ist nicht UTF-8-kodiert. Bitte als „CSV UTF-8“ speichern."),
        )


def importiere(rohdaten: bytes, *, probelauf: bool = False) -> Ergebnis:
    """Prüft alle Zeilen und übernimmt sie nur, wenn keine fehlerhaft ist."""
    ergebnis = Ergebnis()
    text, fehler = lese_text(rohdaten)
    if fehler:
        ergebnis.fehler.append(fehler)
        return ergebnis
    assert text is not None  # lese_text liefert Text oder Fehler
    if not text.strip():
        ergebnis.fehler.append(Fehler(1, _("Die Datei ist leer.")))
        return ergebnis

    leser = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    kopf = [(spalte or "").strip().casefold() for spalte in (leser.fieldnames or [])]
    fehlend = [s for s in PFLICHTSPALTEN if s not in kopf]
    if fehlend:
        ergebnis.fehler.append(
            Fehler(
                1,
                _("In der Kopfzeile fehlen die Spalten: %(spalten)s. Erwartet: %(erwartet)s.")
                % {"spalten": ", ".join(fehlend), "erwartet": ";".join(PFLICHTSPALTEN)},
            )
        )
        return ergebnis
    leser.fieldnames = kopf

    lebensraeume = {lr.nummer: lr for lr in Lebensraum.objects.all()}
    arten = _art_nachschlagen()
    gesehen: dict[tuple[int, int, str], int] = {}
    gueltig: list[tuple[Lebensraum, int, str, Decimal, str]] = []

    for satz in leser:
        zeile = leser.line_num
        if None in satz:
            ergebnis.fehler.append(
                Fehler(zeile, _("Die Zeile hat mehr Spalten als die Kopfzeile."))
            )
            continue
        werte = {k: (v or "").strip() for k, v in satz.items()}
        if not any(werte.values()):
            continue  # Leerzeilen am Ende stören nicht.
        gruende: list[str] = []

        nummer = werte["lebensraum"]
        lebensraum = lebensraeume.get(nummer)
        if not nummer:
            gruende.append(_("Die Nummer des Lebensraums fehlt."))
        elif lebensraum is None:
            gruende.append(_("Lebensraum „%(nr)s“ ist nicht bekannt.") % {"nr": nummer})

        jahr: int | None = None
        if not re.fullmatch(r"\d{4}", werte["jahr"]):
            gruende.append(
                _("Jahr „%(jahr)s“ ist keine vierstellige Jahreszahl.") % {"jahr": werte["jahr"]}
            )
        else:
            jahr = int(werte["jahr"])
            if not 1900 <= jahr <= 2200:
                gruende.append(
                    _("Jahr %(jahr)s liegt nicht zwischen 1900 und 2200.") % {"jahr": jahr}
                )
                jahr = None

        art = arten.get(werte["kennzahl"].casefold())
        if art is None:
            gruende.append(
                _("Kennzahl „%(k)s“ ist nicht bekannt. Erlaubt: %(erlaubt)s.")
                % {"k": werte["kennzahl"], "erlaubt": ", ".join(KennzahlArt.values)}
            )

        wert = deutsche_zahl(werte["wert"])
        if wert is None:
            gruende.append(
                _("Wert „%(w)s“ ist keine Zahl im deutschen Format (z. B. 12,5).")
                % {"w": werte["wert"]}
            )
        elif abs(wert) >= Decimal("10000000"):
            gruende.append(_("Wert %(w)s ist zu groß.") % {"w": werte["wert"]})

        quelle = werte.get("quelle", "")
        if len(quelle) > 200:
            gruende.append(_("Die Quelle ist länger als 200 Zeichen."))

        if lebensraum and jahr and art:
            schluessel = (lebensraum.pk, jahr, art)
            if schluessel in gesehen:
                gruende.append(
                    _(
                        "Doppelt: dieselbe Kennzahl für Lebensraum und Jahr steht schon "
                        "in Zeile %(z)s."
                    )
                    % {"z": gesehen[schluessel]}
                )
            else:
                gesehen[schluessel] = zeile

        if gruende:
            ergebnis.fehler.append(Fehler(zeile, " ".join(gruende)))
        else:
            # ohne Gründe ist jede Angabe da (sonst stünde oben ein Grund)
            assert lebensraum and jahr and art and wert is not None
            gueltig.append((lebensraum, jahr, art, wert, quelle))

    if ergebnis.fehler:
        return ergebnis
    if not gueltig:
        ergebnis.fehler.append(Fehler(2, _("Die Datei enthält keine Datenzeilen.")))
        return ergebnis

    with transaction.atomic():
        vorhanden = {
            (k.lebensraum_id, k.jahr, k.art): k
            for k in Kennzahl.objects.select_for_update().filter(
                lebensraum__in={lr for lr, *_rest in gueltig}
            )
        }
        for lebensraum, jahr, art, wert, quelle in gueltig:
            alt = vorhanden.get((lebensraum.pk, jahr, art))
            if alt is None:
                Kennzahl.objects.create(
                    lebensraum=lebensraum, jahr=jahr, art=art, wert=wert, quelle=quelle
                )
                ergebnis.neu += 1
            elif alt.wert != wert or alt.quelle != quelle:
                alt.wert, alt.quelle = wert, quelle
                alt.save(update_fields=["wert", "quelle"])
                ergebnis.geaendert += 1
            else:
                ergebnis.unveraendert += 1
        if probelauf:
            transaction.set_rollback(True)
    return ergebnis
