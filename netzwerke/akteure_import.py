"""Import von Akteuren aus einer CSV-Datei, nach denselben Regeln wie der Kennzahlen-Import.

Format: Semikolon als Trenner, UTF-8 (mit oder ohne BOM). Kopfzeile (Reihenfolge egal):

    name;art;traeger;quartiere;zielgruppen;strasse;plz;ort;telefon;email;website;angebote;aktiv

Pflicht sind `name` und `art`; fehlt eine andere Spalte ganz, bleibt das Feld bei
vorhandenen Akteuren unverändert. Der Export des Verzeichnisses (`akteur_export`) hat genau
dieses Format und lässt sich wieder einlesen.

- `name` erkennt einen vorhandenen Akteur wieder (gleicher Name: ändern, sonst neu).
- `art`: Code (`familienzentrum`) oder Bezeichnung („Familienzentrum“).
- `traeger`: Name eines vorhandenen Akteurs oder eines Akteurs aus derselben Datei; leer:
  kein Träger.
- `quartiere`, `zielgruppen`: durch Komma getrennt; Quartiere mit Name oder Kurzname.
  Unbekannte Einträge sind Fehler (Zielgruppen legt die Administration an).
- `plz` fünf Ziffern oder leer; `email`, `website` werden geprüft; `aktiv`: ja/nein/1/0,
  leer = ja.

Alles oder nichts: ist eine Zeile fehlerhaft, wird keine übernommen, und jede fehlerhafte
Zeile wird mit Nummer und Grund gemeldet. Ein zweiter Lauf mit derselben Datei ändert nichts.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from quartier.kennzahlen_import import Ergebnis, Fehler, lese_text
from quartier.models import Quartier
from quartier.sperren import speichern

from .models import Akteur, Akteursart, Zielgruppe

SPALTEN = (
    "name",
    "art",
    "traeger",
    "quartiere",
    "zielgruppen",
    "strasse",
    "plz",
    "ort",
    "telefon",
    "email",
    "website",
    "angebote",
    "aktiv",
)
PFLICHTSPALTEN = ("name", "art")
# Einfache Textfelder mit ihrer Höchstlänge (None: unbegrenzt), wie im Modell.
TEXTFELDER = {
    "strasse": 150,
    "plz": 5,
    "ort": 100,
    "telefon": 50,
    "email": 254,
    "website": 200,
    "angebote": None,
}
JA = {"", "ja", "1", "j", "true", "wahr"}
NEIN = {"nein", "0", "n", "false", "falsch"}

_URL = URLValidator(schemes=["http", "https"])


@dataclass
class _Satz:
    """Eine geprüfte Zeile; `None` heißt: Spalte fehlt, Feld bleibt, wie es ist."""

    zeile: int
    name: str
    felder: dict[str, object] = field(default_factory=dict)
    traeger: str | None = None
    quartiere: set[int] | None = None
    zielgruppen: set[int] | None = None


def _schluessel(text: str) -> str:
    """Vergleichsform eines Namens: Groß/klein egal, Leerraum um Kommas egal."""
    return re.sub(r"\s*,\s*", ", ", text.strip()).casefold()


def _ohne_formelschutz(wert: str) -> str:
    """Der Export setzt vor Zellen wie „=…“ einen Apostroph (CSV-Injection); hier fällt er weg."""
    if len(wert) > 1 and wert[0] == "'" and wert[1] in "=+-@\t\r":
        return wert[1:]
    return wert


def _art_nachschlagen() -> dict[str, str]:
    nachschlag: dict[str, str] = {}
    for art in Akteursart:
        nachschlag[art.value.casefold()] = art.value
        nachschlag[str(art.label).casefold()] = art.value
    return nachschlag


def _liste(zelle: str, nachschlag: dict[str, int]) -> tuple[set[int], list[str]]:
    """Kommagetrennte Namen auflösen. Namen, die selbst ein Komma enthalten („Kinder,
    Jugendliche“), werden erkannt: längster bekannter Treffer zuerst."""
    teile = [t.strip() for t in zelle.split(",")]
    treffer: set[int] = set()
    unbekannt: list[str] = []
    i = 0
    while i < len(teile):
        for j in range(len(teile), i, -1):
            kandidat = _schluessel(", ".join(teile[i:j]))
            if kandidat in nachschlag:
                treffer.add(nachschlag[kandidat])
                i = j
                break
        else:
            if teile[i]:
                unbekannt.append(teile[i])
            i += 1
    return treffer, unbekannt


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
                % {"spalten": ", ".join(fehlend), "erwartet": ";".join(SPALTEN)},
            )
        )
        return ergebnis
    unbekannt = [s for s in kopf if s not in SPALTEN]
    doppelt = sorted({s for s in kopf if kopf.count(s) > 1})
    if unbekannt or doppelt:
        gruende = []
        if unbekannt:
            gruende.append(
                _("Unbekannte Spalten in der Kopfzeile: %(spalten)s. Erlaubt: %(erlaubt)s.")
                % {"spalten": ", ".join(unbekannt), "erlaubt": ";".join(SPALTEN)}
            )
        if doppelt:
            gruende.append(
                _("Doppelte Spalten in der Kopfzeile: %(spalten)s.")
                % {"spalten": ", ".join(doppelt)}
            )
        ergebnis.fehler.append(Fehler(1, " ".join(gruende)))
        return ergebnis
    leser.fieldnames = kopf

    arten = _art_nachschlagen()
    quartiere: dict[str, int] = {}
    for pk, name, slug in Quartier.objects.values_list("pk", "name", "slug"):
        quartiere[_schluessel(name)] = pk
        quartiere[_schluessel(slug)] = pk
    bekannte_quartiere = ", ".join(Quartier.objects.values_list("slug", flat=True)) or "–"
    zielgruppen: dict[str, int] = {}
    for pk, name in Zielgruppe.objects.values_list("pk", "name"):
        zielgruppen[_schluessel(name)] = pk
    bekannte_zielgruppen = ", ".join(Zielgruppe.objects.values_list("name", flat=True)) or "–"
    # Name → Name des Trägers, für die Prüfung auf Kreise über vorhandene Akteure hinweg.
    vorhandene: dict[str, str | None] = dict(Akteur.objects.values_list("name", "traeger__name"))

    gruende_je_zeile: dict[int, list[str]] = defaultdict(list)
    gesehen: dict[str, int] = {}
    saetze: list[_Satz] = []

    for werte_roh in leser:
        zeile = leser.line_num
        if None in werte_roh:
            gruende_je_zeile[zeile].append(_("Die Zeile hat mehr Spalten als die Kopfzeile."))
            continue
        werte = {k: _ohne_formelschutz((v or "").strip()) for k, v in werte_roh.items()}
        if not any(werte.values()):
            continue  # Leerzeilen am Ende stören nicht.
        gruende = gruende_je_zeile[zeile]
        satz = _Satz(zeile=zeile, name=werte["name"])

        if not satz.name:
            gruende.append(_("Der Name fehlt."))
        elif len(satz.name) > 200:
            gruende.append(_("Der Name ist länger als 200 Zeichen."))
        elif satz.name in gesehen:
            gruende.append(
                _("Doppelt: „%(name)s“ steht schon in Zeile %(z)s.")
                % {"name": satz.name, "z": gesehen[satz.name]}
            )
        else:
            gesehen[satz.name] = zeile

        art = arten.get(werte["art"].casefold())
        if art is None:
            gruende.append(
                _("Art „%(art)s“ ist nicht bekannt. Erlaubt: %(erlaubt)s.")
                % {"art": werte["art"], "erlaubt": ", ".join(Akteursart.values)}
            )
        satz.felder["art"] = art

        for spalte, laenge in TEXTFELDER.items():
            if spalte not in werte:
                continue
            wert = werte[spalte]
            if spalte == "website" and wert and "://" not in wert:
                wert = f"https://{wert}"
            if laenge is not None and spalte != "plz" and len(wert) > laenge:
                gruende.append(
                    _("Spalte „%(spalte)s“ ist länger als %(n)s Zeichen.")
                    % {"spalte": spalte, "n": laenge}
                )
                continue
            satz.felder[spalte] = wert
        if werte.get("plz") and not re.fullmatch(r"[0-9]{5}", werte["plz"]):
            gruende.append(
                _("PLZ „%(plz)s“ hat nicht fünf Ziffern (oder leer lassen).")
                % {"plz": werte["plz"]}
            )
        if werte.get("email"):
            try:
                validate_email(werte["email"])
            except ValidationError:
                gruende.append(
                    _("E-Mail „%(email)s“ ist keine gültige Adresse.") % {"email": werte["email"]}
                )
        if satz.felder.get("website"):
            try:
                _URL(satz.felder["website"])
            except ValidationError:
                gruende.append(
                    _("Website „%(url)s“ ist keine gültige Internetadresse.")
                    % {"url": werte["website"]}
                )

        if "aktiv" in werte:
            aktiv = werte["aktiv"].casefold()
            if aktiv in JA:
                satz.felder["aktiv"] = True
            elif aktiv in NEIN:
                satz.felder["aktiv"] = False
            else:
                gruende.append(
                    _("Aktiv „%(wert)s“ ist nicht ja, nein, 1, 0 oder leer.")
                    % {"wert": werte["aktiv"]}
                )

        if "traeger" in werte:
            satz.traeger = werte["traeger"]
            if satz.traeger and satz.traeger == satz.name:
                gruende.append(_("Ein Akteur kann nicht sein eigener Träger sein."))

        if "quartiere" in werte:
            satz.quartiere, fehlt = _liste(werte["quartiere"], quartiere)
            if fehlt:
                gruende.append(
                    _("Quartier nicht bekannt: %(fehlt)s. Bekannt (Name oder Kurzname): %(da)s.")
                    % {"fehlt": ", ".join(f"„{q}“" for q in fehlt), "da": bekannte_quartiere}
                )
        if "zielgruppen" in werte:
            satz.zielgruppen, fehlt = _liste(werte["zielgruppen"], zielgruppen)
            if fehlt:
                gruende.append(
                    _(
                        "Zielgruppe nicht bekannt: %(fehlt)s. Bekannt: %(da)s. Neue Zielgruppen "
                        "legt die Administration an."
                    )
                    % {"fehlt": ", ".join(f"„{z}“" for z in fehlt), "da": bekannte_zielgruppen}
                )
        saetze.append(satz)

    # Träger: vorhanden oder in der Datei (gleich in welcher Zeile), und nie im Kreis.
    in_datei = {s.name for s in saetze}
    kette = dict(vorhandene)
    kette.update({s.name: (s.traeger or None) for s in saetze if s.traeger is not None})
    for satz in saetze:
        if not satz.traeger or satz.traeger == satz.name:
            continue
        if satz.traeger not in vorhandene and satz.traeger not in in_datei:
            gruende_je_zeile[satz.zeile].append(
                _("Träger „%(traeger)s“ ist weder vorhanden noch in der Datei.")
                % {"traeger": satz.traeger}
            )
            continue
        weg = [satz.name]
        schritt: str | None = satz.traeger
        while schritt is not None and schritt not in weg:
            weg.append(schritt)
            schritt = kette.get(schritt)
        if schritt == satz.name:
            gruende_je_zeile[satz.zeile].append(
                _("Die Träger bilden einen Kreis: %(weg)s.")
                % {"weg": " → ".join([*weg, satz.name])}
            )

    ergebnis.fehler.extend(
        Fehler(zeile, " ".join(gruende))
        for zeile, gruende in sorted(gruende_je_zeile.items())
        if gruende
    )
    if ergebnis.fehler:
        return ergebnis
    if not saetze:
        ergebnis.fehler.append(Fehler(2, _("Die Datei enthält keine Datenzeilen.")))
        return ergebnis

    with transaction.atomic():
        _uebernehmen(saetze, ergebnis)
        if probelauf:
            transaction.set_rollback(True)
    return ergebnis


def _uebernehmen(saetze: list[_Satz], ergebnis: Ergebnis) -> None:
    namen = {s.name for s in saetze} | {s.traeger for s in saetze if s.traeger}
    akteure = {
        a.name: a
        for a in Akteur.objects.select_for_update()
        .filter(name__in=namen)
        .prefetch_related("quartiere", "zielgruppen")
    }
    # Erst alle neuen Akteure anlegen, damit Träger aus derselben Datei bekannt sind.
    neue: set[str] = set()
    for satz in saetze:
        if satz.name not in akteure:
            akteure[satz.name] = Akteur.objects.create(name=satz.name, **satz.felder)
            neue.add(satz.name)
    for satz in saetze:
        akteur = akteure[satz.name]
        ist_neu = satz.name in neue
        geaendert = [k for k, v in satz.felder.items() if getattr(akteur, k) != v]
        for k in geaendert:
            setattr(akteur, k, satz.felder[k])
        if satz.traeger is not None:
            traeger_id = akteure[satz.traeger].pk if satz.traeger else None
            if akteur.traeger_id != traeger_id:
                akteur.traeger_id = traeger_id
                geaendert.append("traeger")
        spalten = list(geaendert)
        for feld, soll in (("quartiere", satz.quartiere), ("zielgruppen", satz.zielgruppen)):
            if soll is None:
                continue
            ist = {o.pk for o in getattr(akteur, feld).all()} if not ist_neu else set()
            if ist != soll:
                getattr(akteur, feld).set(soll)
                geaendert.append(feld)
        if geaendert:
            # Version hochzählen (`quartier.sperren`, die Zeile ist oben gesperrt): wer den
            # Akteur gerade im Formular offen hat, überschreibt den Import nicht still.
            speichern(akteur, [*spalten, "geaendert_am"])
        if ist_neu:
            ergebnis.neu += 1
        elif geaendert:
            ergebnis.geaendert += 1
        else:
            ergebnis.unveraendert += 1
