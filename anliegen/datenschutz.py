"""Personenbezogene Daten meldender Personen: Anonymisieren, Auskunft (Art. 15), Löschen (Art. 17).

Wo Daten einer meldenden Person liegen (und was hier mit ihnen geschieht):

- `Meldende`: Name, E-Mail, Telefon, Anschrift → geleert; Einwilligung, Rückmeldewunsch und
  bevorzugter Weg bleiben (die Statistik zählt sie, sie nennen niemanden).
- Freitexte ihrer Anliegen und aller Zeilen, die an diesen Anliegen hängen (Titel,
  Beschreibung, Ort, Nachricht und Antwort der Weiterleitungen, Verlauf `Ereignis.daten`, …):
  jedes Vorkommen ihrer Werte (auch einzelne Namensteile, Telefon in anderer Schreibweise)
  → „[anonymisiert]“. Generisch über alle Text- und JSON-Felder, damit neue Modelle am
  Anliegen (z. B. Anhänge) mitgenommen werden.
- `Rueckmeldung.text` und der Text im Verlaufseintrag „rueckmeldung“ → ganz „[anonymisiert]“:
  der Text ist an die Person gerichtet („Guten Tag Frau …“) und nennt sie oft auf eine Weise,
  die Musterersetzung nicht sicher findet. Weg, Zeitpunkt und „erreicht“ bleiben; daraus
  rechnet das Dashboard Rückmeldequote und -dauer.
- Postausgang und Mailprotokoll (django-mailer `Message`, `MessageLog`, `DontSendEntry`):
  Mails an die Person werden gelöscht, andere Mails mit ihren Werten bereinigt.
- Anhänge: nicht freigegebene werden gelöscht (Zeile und Datei), freigegebene bleiben (sie sind
  als frei von Personendaten erklärt). Die Auskunft nennt alle Anhänge.
- Django-Admin-Protokoll (`LogEntry.object_repr`/`change_message`): bereinigt.
  `Meldende.__str__` nennt keinen Namen mehr, damit dort gar nicht erst einer landet.

Der Verlauf ist sonst nur anzuhängen; das Bereinigen seiner Daten ist die eine, bewusste
Ausnahme (Art. 17 geht vor). Jedes Anliegen bekommt dazu einen Eintrag „anonymisiert“ ohne
personenbezogene Daten.
"""

import datetime
import functools
import operator
import re
from collections.abc import Iterable
from typing import Any, Protocol, cast

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Replace
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from netzwerke.models import Akteursart, Ansprechperson
from quartier.models import User

from . import verlauf
from .models import (
    Anhang,
    Anliegen,
    Ereignis,
    EreignisArt,
    Meldende,
    Rueckmeldung,
    Status,
    Weiterleitung,
)

ERSATZ = "[anonymisiert]"

# Anlass eines Eintrags „anonymisiert“ im Verlauf (Code, Text bildet Ereignis.text()).
FRIST = "frist"
LOESCHUNG = "loeschung"

# Anreden und Namenszusätze, die allein niemanden nennen.
_KEINE_NAMENSTEILE = {"frau", "herr", "herrn", "dr", "prof", "von", "van", "der", "den", "de"}


# --- Anzeige ----------------------------------------------------------------------------


def eingebracht_von(anliegen: Anliegen, *, verlinken: bool) -> dict[str, str] | None:
    """Der Akteur, der das Anliegen eingebracht hat, für Seiten ohne Personendaten
    (Posteingang, Antwortlink): Einrichtungen sind keine Personendaten und helfen dem
    Fachbereich, das Anliegen einzuordnen. Eine Einzelperson als Akteur bleibt auf Seiten ohne
    Anmeldung (`verlinken=False`) ungenannt. `anliegen.akteur` mit laden (select_related)."""
    akteur = anliegen.akteur if anliegen.akteur_id else None
    if akteur is None:
        return None
    if not verlinken and akteur.art == Akteursart.EINZELPERSON:
        return {"name": str(_("eine engagierte Einzelperson")), "url": ""}
    return {"name": akteur.name, "url": akteur.get_absolute_url() if verlinken else ""}


# --- Wer ist dran ------------------------------------------------------------------------


def stichtag(tage: int) -> datetime.datetime:
    """Wer vor diesem Zeitpunkt abgeschlossen wurde, ist länger als `tage` Tage abgeschlossen."""
    return timezone.now() - datetime.timedelta(days=tage)


def anonymisierbare_meldende(stichtag: datetime.datetime) -> QuerySet[Meldende]:
    """Noch nicht anonymisierte Personen, deren Anliegen alle vor `stichtag` abgeschlossen
    wurden. Ein offenes (auch ein wieder geöffnetes) Anliegen hält die Daten der Person;
    eine Person ohne Anliegen zählt ab ihrer Erfassung."""
    nicht_faellig = Anliegen.objects.filter(meldende=OuterRef("pk")).filter(
        ~Q(status=Status.ABGESCHLOSSEN)
        | Q(abgeschlossen_am__isnull=True)
        | Q(abgeschlossen_am__gte=stichtag)
    )
    hat_anliegen = Anliegen.objects.filter(meldende=OuterRef("pk"))
    return (
        Meldende.objects.filter(anonymisiert_am__isnull=True)
        .exclude(Exists(nicht_faellig))
        .filter(Exists(hat_anliegen) | Q(erstellt_am__lt=stichtag))
        .order_by("pk")
    )


def finden(suchbegriff: str) -> QuerySet[Meldende]:
    """Personen, deren Name, E-Mail oder Telefon den Suchbegriff enthält (ohne Groß/klein)."""
    begriff = suchbegriff.strip()
    if not begriff:
        return Meldende.objects.none()
    return Meldende.objects.filter(
        Q(name__icontains=begriff) | Q(email__icontains=begriff) | Q(telefon__icontains=begriff)
    ).order_by("pk")


def ansprechpersonen_finden(suchbegriff: str) -> QuerySet[Ansprechperson]:
    """Ansprechpersonen von Akteuren (die zweite Stelle mit Personendaten, netzwerke) mit
    diesem Namen, dieser E-Mail oder Telefonnummer. Berichtigt oder entfernt werden sie auf der
    Seite ihres Akteurs; die Auskunft nennt sie mit."""
    begriff = suchbegriff.strip()
    if not begriff:
        return Ansprechperson.objects.none()
    return (
        Ansprechperson.objects.filter(
            Q(name__icontains=begriff) | Q(email__icontains=begriff) | Q(telefon__icontains=begriff)
        )
        .select_related("akteur")
        .order_by("akteur__name", "name", "pk")
    )


# --- Ersetzen ----------------------------------------------------------------------------


# Arten von Werten einer Person; die Maske ersetzt jede durch ihren Platzhalter.
NAME, TELEFON, EMAIL, ADRESSE = "name", "telefon", "email", "adresse"

# Zwischen zwei Zeichen einer Telefonnummer: Leerzeichen, Schrägstrich, Bindestrich, Klammern.
_TRENNER = r"[\s/\-().]*"
# Landesvorwahl oder führende Null: „+49 241 …“, „0049 241 …“, „+49 (0)241 …“, „0241 …“.
_VORWAHL = rf"(?:(?:\+|00){_TRENNER}4{_TRENNER}9{_TRENNER}(?:\(0\){_TRENNER})?|0{_TRENNER})"
# „Hauptstraße 5“ auch als „Hauptstr. 5“ oder „Hauptstrasse 5“.
_STRASSE = re.compile(r"(stra(?:ß|ss)e|str\.?)$", re.IGNORECASE)


def _telefonmuster(telefon: str) -> str | None:
    """Die Nummer in jeder Schreibweise: Trenner beliebig, +49/0049/0 gleichwertig."""
    zeichen = [z for z in telefon if z.isalnum()]
    if len(zeichen) < 6:
        return None
    national = None
    if telefon.strip().startswith("+") and zeichen[:2] == ["4", "9"]:
        national = zeichen[2:]
    elif zeichen[:4] == ["0", "0", "4", "9"]:
        national = zeichen[4:]
    elif zeichen[0] == "0" and zeichen[1:2] != ["0"]:
        national = zeichen[1:]
    if national and national[0] == "0":  # „+49 (0)241“
        national = national[1:]
    if national:
        kern = _VORWAHL + _TRENNER.join(re.escape(z) for z in national)
    else:
        kern = _TRENNER.join(re.escape(z) for z in zeichen)
    # nicht mitten in einer längeren Ziffernfolge (z. B. einer Anliegennummer)
    return rf"(?<![\d+]){kern}(?!\d)"


def _adressmuster(anschrift: str) -> list[str]:
    """Straße mit Hausnummer aus der Anschrift („Kanarienweg 7, 52062 Aachen“ → „Kanarienweg 7“),
    mit beliebigem Abstand vor der Nummer und „Str.“/„Straße“ gleichwertig. Die Straße allein
    bleibt: sie ist oft der Ort des Anliegens, den der Fachbereich braucht."""
    muster = []
    for teil in re.split(r"[,\n]+", anschrift):
        treffer = re.fullmatch(r"\s*(\D*[^\W\d_]\.?)\s*(\d+\s*[a-zA-Z]?)\s*", teil)
        if not treffer:
            continue
        strasse, nummer = treffer.groups()
        strasse_re = re.escape(strasse.strip())
        if endung := _STRASSE.search(strasse.strip()):
            strasse_re = re.escape(strasse.strip()[: endung.start()]) + r"(?:stra(?:ß|ss)e|str\.?)"
        nummer_re = r"\s*".join(re.escape(z) for z in nummer.replace(" ", ""))
        muster.append(rf"(?<!\w){strasse_re}\s*{nummer_re}(?!\w)")
    return muster


class _MitWerten(Protocol):
    name: str
    email: str
    telefon: str
    anschrift: str


def _muster(personen: Iterable[_MitWerten]) -> list[tuple[str, str]]:
    """Die Werte der Personen als (Regex, Art), in der Reihenfolge, in der sie greifen sollen
    (die erste passende Alternative gewinnt): ganze Werte, längste zuerst, dann Straße und
    Hausnummer, Telefon in anderer Schreibweise, dann einzelne Namensteile (ab 3 Buchstaben,
    als ganze Wörter, ohne Anreden)."""
    ganze: dict[str, str] = {}
    andere: list[tuple[str, str]] = []
    teile: dict[str, str] = {}
    for m in personen:
        for wert, art in (
            (m.name, NAME),
            (m.email, EMAIL),
            (m.anschrift, ADRESSE),
            (m.telefon, TELEFON),
        ):
            if wert.strip():
                ganze.setdefault(wert.strip(), art)
        andere += [(r, ADRESSE) for r in _adressmuster(m.anschrift)]
        if telefon := _telefonmuster(m.telefon):
            andere.append((telefon, TELEFON))
        # einzelne Namensteile („Frau Bürgerin“), auch aus Doppelnamen
        for teil in re.split(r"[\s,\-]+", m.name):
            teil = teil.strip(".-")
            if len(teil) >= 3 and teil.lower() not in _KEINE_NAMENSTEILE:
                teile.setdefault(teil, NAME)
    muster = [(re.escape(w), ganze[w]) for w in sorted(ganze, key=len, reverse=True)]
    muster += andere
    muster += [
        (rf"(?<!\w){re.escape(t)}(?!\w)", NAME) for t in sorted(teile, key=len, reverse=True)
    ]
    return muster


class _Ersetzer:
    """Ersetzt die Werte einer oder mehrerer Personen in Texten: alle durch dasselbe `ersatz`
    (Anonymisieren: „[anonymisiert]“) oder je Art durch einen eigenen Platzhalter (Maske)."""

    def __init__(
        self, personen: Iterable[_MitWerten], ersatz: str | dict[str, str] = ERSATZ
    ) -> None:
        muster = _muster(personen)
        self.arten = [art for _r, art in muster]
        self.ersatz = ersatz
        self.regex = (
            re.compile(
                "|".join(f"(?P<g{i}>{r})" for i, (r, _art) in enumerate(muster)), re.IGNORECASE
            )
            if muster
            else None
        )

    def _ersetzen(self, treffer: re.Match) -> str:
        if isinstance(self.ersatz, str):
            return self.ersatz
        # Jede Alternative des Musters ist eine benannte Gruppe (_0, _1, …).
        assert treffer.lastgroup is not None
        return self.ersatz[self.arten[int(treffer.lastgroup[1:])]]

    def text(self, wert: str) -> str:
        if not self.regex or not wert:
            return wert
        return self.regex.sub(self._ersetzen, wert)

    def daten(self, wert: Any) -> Any:
        """Rekursiv über JSON (dict, list, str)."""
        if isinstance(wert, str):
            return self.text(wert)
        if isinstance(wert, list):
            return [self.daten(w) for w in wert]
        if isinstance(wert, dict):
            return {k: self.daten(v) for k, v in wert.items()}
        return wert


# --- Maskieren für die Anzeige -------------------------------------------------------------
# Wer die Daten einer Person nicht sehen darf (`permissions.darf_personendaten_sehen`), sieht
# ihre bekannten Werte in keinem Freitext: Titel, Beschreibung, Ort, Nachricht und Antwort der
# Weiterleitungen, Verlauf, Listen, Posteingang, Antwortlink. Dieselben Muster wie beim
# Anonymisieren, nur mit einem Platzhalter je Art; gespeichert bleibt alles, wie es ist.


def platzhalter() -> dict[str, str]:
    return {
        NAME: str(_("[Name]")),
        TELEFON: str(_("[Telefon]")),
        EMAIL: str(_("[E-Mail]")),
        ADRESSE: str(_("[Adresse]")),
    }


class _Werte:
    """Die Werte einer Person, wie `_muster` sie liest (ohne Bezug zur Zeile)."""

    def __init__(self, name: str, email: str, telefon: str, anschrift: str) -> None:
        self.name, self.email, self.telefon, self.anschrift = name, email, telefon, anschrift


@functools.lru_cache(maxsize=512)
def _ersetzer_fuer(werte: tuple[tuple[str, str, str, str], ...], sprache: str) -> _Ersetzer:
    # Je Person und Sprache einmal übersetzt: Listen mit 50 Zeilen derselben Person (oder einer
    # Seite, die mehrfach maskiert) bauen den Ausdruck nicht jedes Mal neu.
    return _Ersetzer([_Werte(*w) for w in werte], platzhalter())


class Maske:
    """Maskiert die Werte bestimmter Personen in Texten („Frau [Name] kam …“). Einmal je Seite
    (bzw. je Zeile einer Liste aus den schon geladenen Meldenden) bilden, ohne Abfrage; leer
    (`bool(maske)` falsch), wenn es nichts zu maskieren gibt."""

    # Die Vorlagen reichen sie an den Filter `maskiert` weiter, statt sie aufzurufen.
    do_not_call_in_templates = True

    def __init__(self, personen: Iterable[Meldende | None]) -> None:
        werte = tuple(
            sorted(
                {
                    (p.name or "", p.email or "", p.telefon or "", p.anschrift or "")
                    for p in personen
                    if p is not None
                }
            )
        )
        self._ersetzer = _ersetzer_fuer(werte, translation.get_language() or "")

    def __bool__(self) -> bool:
        return self._ersetzer.regex is not None

    def __call__(self, text: str) -> str:
        return self._ersetzer.text(text) if text else text

    def trifft(self, text: str) -> bool:
        """Nennt der Text eine der Personen?"""
        return bool(self._ersetzer.regex and text and self._ersetzer.regex.search(text))


def maskieren(text: str, meldende: Meldende | Iterable[Meldende | None] | None) -> str:
    """`text` ohne die bekannten Werte der Person(en): Namensteile → „[Name]“, Telefon in jeder
    Schreibweise → „[Telefon]“, E-Mail → „[E-Mail]“, Straße mit Hausnummer/Anschrift →
    „[Adresse]“."""
    personen = [meldende] if meldende is None or isinstance(meldende, Meldende) else meldende
    return Maske(personen)(text)


def maske_fuer(personendaten: bool, *meldende: Meldende | None) -> Maske | None:
    """Die Maske einer Seite: keine (None), wer die Personendaten sehen darf
    (`darf_personendaten_sehen`), sonst eine für die Personen, die die Texte nennen können
    (die meldende Person, bei einem gebündelten Anliegen auch die des Hauptanliegens)."""
    if personendaten:
        return None
    maske = Maske(meldende)
    return maske if maske else None


def ohne_maskierte_treffer(
    treffer: QuerySet, begriff: str, *, ueber: str = "", volltext: str = ""
) -> QuerySet:
    """Suche: wer die Person nicht sehen darf, findet ihre Anliegen nicht über ihre Werte (sonst
    verriete die Suche, wessen Anliegen es ist). Fällt weg, wo die Person den Begriff oder ein
    Wort daraus (ab 3 Zeichen, ohne Anreden) in Name, E-Mail, Telefon (auch in anderer
    Schreibweise) oder Anschrift trägt. In derselben Abfrage (keine zusätzliche); lieber ein
    Treffer zu wenig („Müll“ bei Frau Müller) als einer, der die Person verrät.
    `treffer`: annotiert mit `personendaten_sichtbar` (`permissions.personendaten_ausdruck`);
    `ueber`: Pfad zum Anliegen ("" oder "anliegen__"). `volltext`: die Textsuchkonfiguration
    (PostgreSQL), wenn die Suche auch Wortformen findet („Müllers“ findet „Müller“): dann fällt
    auch weg, wo ein Wort des Begriffs als Wortform in Name oder Anschrift steht."""
    if "personendaten_sichtbar" not in treffer.query.annotations:
        raise ValueError("ohne_maskierte_treffer: personendaten_sichtbar fehlt")
    m = f"{ueber}meldende__"
    worte = {begriff.strip()} | {
        w.strip(".,;:-") for w in begriff.split() if len(w.strip(".,;:-")) >= 3
    }
    worte = {w for w in worte if w and w.casefold() not in _KEINE_NAMENSTEILE}
    nennt = Q()
    for wort in worte:
        for feld in ("name", "email", "telefon", "anschrift"):
            nennt |= Q(**{f"{m}{feld}__icontains": wort})
    trenner = (" ", "/", "-", "(", ")", ".", "+")
    kern = begriff.strip()
    for vorwahl in ("+49", "0049", "0"):
        if kern.startswith(vorwahl):
            kern = kern[len(vorwahl) :].lstrip(" /-")
            kern = kern.removeprefix("(0)")
            break
    kern = "".join(z for z in kern if z not in trenner)
    if len(kern) >= 5 and sum(z.isdigit() for z in kern) >= 3:
        # Telefon in anderer Schreibweise: ohne Trenner vergleichen, +49/0049/0 gleichwertig.
        nur_zeichen: Combinable = F(f"{m}telefon")
        for t in trenner:
            nur_zeichen = Replace(nur_zeichen, Value(t), Value(""))
        treffer = treffer.annotate(_telefon_zeichen=nur_zeichen)
        nennt |= Q(_telefon_zeichen__icontains=kern)
    if volltext and worte:
        # Jedes Wort einzeln (ODER): trifft der Volltext über „Kanaries Schlagloch“, genügt es,
        # dass „Kanaries“ die Person nennt.
        anfrage = functools.reduce(
            operator.or_, (SearchQuery(w, config=volltext) for w in sorted(worte))
        )
        person = SearchVector(f"{m}name", f"{m}anschrift", config=volltext)
        nennt |= Q(SearchVectorExact(person, anfrage))
    if not nennt:
        return treffer
    return treffer.exclude(Q(personendaten_sichtbar=False) & nennt)


# Codes, keine Freitexte: bleiben, auch wenn ein Namensteil zufällig gleich lautet.
_CODEFELDER = {"art", "nummer"}


def _textfelder(modell: type[models.Model]) -> list[models.Field]:
    """Freitextfelder eines Modells: Char/Text/Email ohne Auswahlliste, und JSON."""
    return [
        f
        for f in modell._meta.concrete_fields
        if f.name not in _CODEFELDER
        and (
            (isinstance(f, models.CharField | models.TextField) and not f.choices)
            or isinstance(f, models.JSONField)
        )
    ]


def _bereinigen(obj: models.Model, ersetzer: _Ersetzer) -> list[str]:
    """Ersetzt in allen Freitextfeldern; gibt die geänderten Felder zurück."""
    geaendert = []
    for feld in _textfelder(type(obj)):
        alt = getattr(obj, feld.attname)
        if alt is None:
            continue
        neu = ersetzer.daten(alt) if isinstance(feld, models.JSONField) else ersetzer.text(alt)
        if neu != alt:
            setattr(obj, feld.attname, neu)
            geaendert.append(feld.attname)
    return geaendert


def _am_anliegen_haengende_modelle() -> list[type[models.Model]]:
    """Alle Modelle mit einem Fremdschlüssel auf Anliegen (Weiterleitung, Rückmeldung,
    Ereignis und, was noch kommt: Anhänge …)."""
    return [
        # `related_model` ist in den Stubs auch "self"; Rückwärtsbeziehungen nennen das Modell.
        cast(type[models.Model], rel.related_model)
        for rel in Anliegen._meta.related_objects
        if rel.one_to_many and rel.related_model is not Anliegen
    ]


def _anliegen_bereinigen(anliegen_ids: list[int], ersetzer: _Ersetzer) -> None:
    for anliegen in Anliegen.objects.filter(pk__in=anliegen_ids):
        felder = _bereinigen(anliegen, ersetzer)
        if felder:
            anliegen.version += 1
            anliegen.save(update_fields=[*felder, "version"])
    for modell in _am_anliegen_haengende_modelle():
        fk = next(
            f.name
            for f in modell._meta.concrete_fields
            if f.is_relation and f.related_model is Anliegen
        )
        for obj in modell._default_manager.filter(**{f"{fk}__in": anliegen_ids}):
            if isinstance(obj, Rueckmeldung):
                obj.text = ERSATZ
            if isinstance(obj, Ereignis) and obj.art == "rueckmeldung":
                obj.daten = {**(obj.daten or {}), "text": ERSATZ}
            felder = _bereinigen(obj, ersetzer)
            if isinstance(obj, Rueckmeldung):
                felder = sorted({*felder, "text"})
            if isinstance(obj, Ereignis) and obj.art == "rueckmeldung":
                felder = sorted({*felder, "daten"})
            if felder:
                obj.save(update_fields=felder)


def _anhaenge_entfernen(anliegen_ids: list[int]) -> int:
    """Nicht freigegebene Anhänge (Fotos, Schreiben, die die Person zeigen oder nennen können)
    werden gelöscht, Zeile und Datei; die Datei erst nach dem Commit, damit ein Abbruch nichts
    verliert. Freigegebene Anhänge sind als frei von Personendaten erklärt und bleiben."""
    anhaenge = list(Anhang.objects.filter(anliegen_id__in=anliegen_ids, freigegeben=False))
    for anhang in anhaenge:
        datei, ablage = anhang.datei.name, anhang.datei.storage
        anhang.delete()
        transaction.on_commit(functools.partial(ablage.delete, datei))
    return len(anhaenge)


# --- Postausgang und Mailprotokoll --------------------------------------------------------


def _mail_empfaenger(email) -> set[str]:
    return {a.lower() for a in (*email.to, *email.cc, *email.bcc, *email.reply_to)}


def _mail_bereinigen(email, ersetzer: _Ersetzer) -> bool:
    """Betreff, Text und Alternativen (HTML) bereinigen; True, wenn sich etwas änderte."""
    geaendert = False
    for attr in ("subject", "body"):
        alt = getattr(email, attr) or ""
        neu = ersetzer.text(alt)
        if neu != alt:
            setattr(email, attr, neu)
            geaendert = True
    alternativen = getattr(email, "alternatives", None) or []
    neue = [(ersetzer.text(inhalt), typ) for inhalt, typ in alternativen]
    if neue != list(alternativen):
        email.alternatives = neue
        geaendert = True
    return geaendert


def _postausgang_bereinigen(personen: list[Meldende], ersetzer: _Ersetzer) -> int:
    """Mails an die Personen löschen, ihre Werte aus anderen Mails entfernen.

    django-mailer speichert jede Mail als base64-codiertes Pickle; eine Suche in SQL findet
    darin nichts. Deshalb wird jede Zeile einmal gelesen (einmal je Lauf, nicht je Person)."""
    from mailer.models import DontSendEntry, Message, MessageLog, email_to_db

    adressen = {m.email.lower() for m in personen if m.email}
    geloescht = 0
    for modell in (Message, MessageLog):
        for zeile in modell.objects.all().iterator():
            email = zeile.email
            felder = []
            if email is not None:
                if adressen & _mail_empfaenger(email):
                    zeile.delete()
                    geloescht += 1
                    continue
                if _mail_bereinigen(email, ersetzer):
                    zeile.message_data = email_to_db(email)
                    felder.append("message_data")
            log = getattr(zeile, "log_message", None)
            if log and ersetzer.text(log) != log:
                zeile.log_message = ersetzer.text(log)
                felder.append("log_message")
            if felder:
                zeile.save(update_fields=felder)
    if adressen:
        q = Q()
        for adresse in adressen:
            q |= Q(to_address__iexact=adresse)
        geloescht += DontSendEntry.objects.filter(q).delete()[0]
    return geloescht


def _adminprotokoll_bereinigen(personen: list[Meldende], ersetzer: _Ersetzer) -> None:
    """Django-Admin-Protokoll: `object_repr` ist `str(obj)` zur Zeit der Änderung (ältere
    Einträge können noch Namen tragen), `change_message` kann Freitext sein. Vor dem Leeren
    der Felder aufrufen: gesucht wird nach den Werten."""
    ct = ContentType.objects.get_for_model(Meldende)
    for m in personen:
        LogEntry.objects.filter(content_type=ct, object_id=str(m.pk)).update(object_repr=str(m))
    werte = [w for m in personen for w in (m.name, m.email, m.telefon, m.anschrift) if w.strip()]
    if not werte:
        return
    q = Q()
    for wert in werte:
        q |= Q(object_repr__icontains=wert) | Q(change_message__icontains=wert)
    for eintrag in LogEntry.objects.filter(q):
        eintrag.object_repr = ersetzer.text(eintrag.object_repr)
        eintrag.change_message = ersetzer.text(eintrag.change_message)
        eintrag.save(update_fields=["object_repr", "change_message"])


# --- Anonymisieren und Löschen ------------------------------------------------------------


def _anonymisieren(
    personen: list[Meldende], *, durch: User | None, grund: str, begruendung: str
) -> int:
    """Kern für eine Gruppe von Personen (in der Transaktion des Aufrufers)."""
    ids = [m.pk for m in personen]
    gesperrt = list(
        Meldende.objects.select_for_update().filter(pk__in=ids, anonymisiert_am__isnull=True)
    )
    if not gesperrt:
        return 0
    ersetzer = _Ersetzer(gesperrt)
    anliegen_ids = list(
        Anliegen.objects.filter(meldende__in=gesperrt).order_by("pk").values_list("pk", flat=True)
    )
    # Anliegen sperren, damit niemand gleichzeitig eine alte Fassung zurückschreibt.
    list(Anliegen.objects.select_for_update().filter(pk__in=anliegen_ids).values_list("pk"))
    _anliegen_bereinigen(anliegen_ids, ersetzer)
    _anhaenge_entfernen(anliegen_ids)
    _postausgang_bereinigen(gesperrt, ersetzer)
    _adminprotokoll_bereinigen(gesperrt, ersetzer)
    jetzt = timezone.now()
    for m in gesperrt:
        m.name = m.email = m.telefon = m.anschrift = ""
        m.anonymisiert_am = jetzt
        m.save(update_fields=["name", "email", "telefon", "anschrift", "anonymisiert_am"])
    begruendung = ersetzer.text(begruendung.strip())
    for anliegen_id in anliegen_ids:
        daten: dict[str, Any] = {"anlass": grund}
        if begruendung:
            daten["begruendung"] = begruendung
        verlauf.anhaengen(
            anliegen_id, EreignisArt.ANONYMISIERT, von=durch, zeitpunkt=jetzt, **daten
        )
    return len(gesperrt)


def anonymisieren(
    meldende: Meldende | Iterable[Meldende],
    *,
    durch: User | None = None,
    grund: str = FRIST,
    begruendung: str = "",
) -> int:
    """Entfernt die personenbezogenen Daten einer Person (oder mehrerer) überall; die Anliegen
    bleiben für die Statistik. `grund`: `FRIST` (Aufbewahrungsfrist, der tägliche Lauf) oder
    `LOESCHUNG` (Antrag nach Art. 17). `durch`: wer es auslöst (leer: der Zeitplan).

    Gibt die Zahl der tatsächlich anonymisierten Personen zurück; schon anonymisierte zählen
    nicht (ein zweiter Lauf tut nichts). Alles oder nichts: eine Transaktion."""
    if grund not in (FRIST, LOESCHUNG):
        raise ValueError(grund)
    with transaction.atomic():
        # Ein QuerySet (z. B. anonymisierbare_meldende) erst hier auswerten, in der Transaktion.
        personen = [meldende] if isinstance(meldende, Meldende) else list(meldende)
        return _anonymisieren(personen, durch=durch, grund=grund, begruendung=begruendung)


def loeschen(meldende: Meldende | Iterable[Meldende], *, durch: User, begruendung: str = "") -> int:
    """Löschung nach Art. 17 DSGVO: sofort, unabhängig von der Frist. Die Anliegen bleiben
    (anonymisiert), weil die Stadt sie für ihre Aufgabe und die Statistik braucht
    (Art. 17 Abs. 3 b und d)."""
    return anonymisieren(meldende, durch=durch, grund=LOESCHUNG, begruendung=begruendung)


# --- Auskunft (Art. 15) ---------------------------------------------------------------------


def _titel(modell: type[models.Model], feld: str) -> str:
    """Lesbarer Schlüssel aus dem verbose_name des Feldes („erfasst am“ → „Erfasst am“)."""
    feldobjekt = modell._meta.get_field(feld)
    assert isinstance(feldobjekt, models.Field)  # nur eigene Felder, keine Rückwärtsbeziehung
    name = str(feldobjekt.verbose_name)
    return name[:1].upper() + name[1:]


def _zeit(wert: datetime.datetime | datetime.date | None) -> str | None:
    if wert is None:
        return None
    if isinstance(wert, datetime.datetime):
        return timezone.localtime(wert).isoformat(timespec="seconds")
    return wert.isoformat()


def _mails(personen: list[Meldende]) -> dict[int, list[dict]]:
    """Mails im Postausgang und Mailprotokoll, die an eine der Personen gingen oder ihre
    Daten enthalten, je Person."""
    from mailer.models import PRIORITY_DEFERRED, RESULT_SUCCESS, Message, MessageLog

    ergebnis: dict[int, list[dict]] = {m.pk: [] for m in personen}
    erkenner = [(m, _Ersetzer([m]).regex, m.email.lower()) for m in personen]
    for modell in (Message, MessageLog):
        for zeile in modell.objects.all().iterator():
            email = zeile.email
            if email is None:
                continue
            text = " ".join([email.subject or "", email.body or ""])
            for m, regex, adresse in erkenner:
                an_person = bool(adresse) and adresse in _mail_empfaenger(email)
                if not an_person and not (regex and regex.search(text)):
                    continue
                if modell is Message:
                    zustand = (
                        "zurückgestellt"
                        if zeile.priority == PRIORITY_DEFERRED
                        else "im Postausgang"
                    )
                    zeitpunkt = zeile.when_added
                else:
                    zustand = "zugestellt" if zeile.result == RESULT_SUCCESS else "fehlgeschlagen"
                    zeitpunkt = zeile.when_attempted
                ergebnis[m.pk].append(
                    {
                        "Zeitpunkt": _zeit(zeitpunkt),
                        "Zustand": zustand,
                        "An": list(email.to),
                        "Betreff": email.subject,
                        "Text": email.body,
                    }
                )
    return ergebnis


def _anliegen_auskunft(a: Anliegen) -> dict:
    W = Weiterleitung
    return {
        _titel(Anliegen, "nummer"): a.nummer,
        _titel(Anliegen, "titel"): a.titel,
        _titel(Anliegen, "beschreibung"): a.beschreibung,
        _titel(Anliegen, "quartier"): str(a.quartier),
        _titel(Anliegen, "ort"): a.ort,
        _titel(Anliegen, "thema"): str(a.thema),
        _titel(Anliegen, "art"): a.get_art_display(),
        _titel(Anliegen, "kanal"): a.get_kanal_display(),
        _titel(Anliegen, "status"): a.get_status_display(),
        _titel(Anliegen, "erstellt_am"): _zeit(a.erstellt_am),
        _titel(Anliegen, "abgeschlossen_am"): _zeit(a.abgeschlossen_am),
        _titel(Anliegen, "abschlussgrund"): a.get_abschlussgrund_display(),
        "Weiterleitungen": [
            {
                _titel(W, "fachbereich"): str(w.fachbereich),
                _titel(W, "erstellt_am"): _zeit(w.erstellt_am),
                _titel(W, "nachricht"): w.nachricht,
                _titel(W, "kontakt_geteilt"): w.kontakt_geteilt,
                _titel(W, "frist"): _zeit(w.frist),
                _titel(W, "status"): w.get_status_display(),
                _titel(W, "entscheidung"): w.get_entscheidung_display(),
                _titel(W, "antwort"): w.antwort,
                _titel(W, "beantwortet_am"): _zeit(w.beantwortet_am),
            }
            for w in a.weiterleitungen.all()
        ],
        "Rückmeldungen": [
            {
                _titel(Rueckmeldung, "zeitpunkt"): _zeit(r.zeitpunkt),
                _titel(Rueckmeldung, "kanal"): r.get_kanal_display(),
                _titel(Rueckmeldung, "erreicht"): r.erreicht,
                _titel(Rueckmeldung, "text"): r.text,
            }
            for r in a.rueckmeldungen.all()
        ],
        "Anhänge": [
            {
                _titel(Anhang, "dateiname"): h.dateiname,
                _titel(Anhang, "inhaltstyp"): h.get_inhaltstyp_display(),
                _titel(Anhang, "groesse"): h.groesse,
                _titel(Anhang, "hochgeladen_am"): _zeit(h.hochgeladen_am),
                _titel(Anhang, "freigegeben"): h.freigegeben,
            }
            for h in a.anhaenge.all()
        ],
        # Ohne die Namen der Mitarbeitenden: deren Daten gehören nicht in diese Auskunft.
        "Verlauf": [
            {
                _titel(Ereignis, "zeitpunkt"): _zeit(e.zeitpunkt),
                "Eintrag": str(e.text()),
                _titel(Ereignis, "intern"): e.intern,
            }
            for e in a.ereignisse.all()
        ],
    }


def auskunft(suchbegriff: str = "", *, meldende: Iterable[Meldende] | None = None) -> dict:
    """Alles, was über die gefundenen Personen gespeichert ist, als JSON-fähiges dict mit
    lesbaren deutschen Schlüsseln: ihre Angaben, ihre Anliegen mit Weiterleitungen,
    Rückmeldungen und Verlauf, Mails an sie oder mit ihren Daten."""
    from django.conf import settings
    from django.db.models import Prefetch

    qs = finden(suchbegriff) if meldende is None else meldende
    anliegen_qs = (
        Anliegen.objects.select_related("quartier", "thema")
        .order_by("erstellt_am", "pk")
        .prefetch_related(
            Prefetch(
                "weiterleitungen", queryset=Weiterleitung.objects.select_related("fachbereich")
            ),
            "rueckmeldungen",
            "ereignisse",
            "anhaenge",
        )
    )
    personen = list(
        Meldende.objects.filter(pk__in=[m.pk for m in qs])
        .prefetch_related(Prefetch("anliegen", queryset=anliegen_qs))
        .order_by("pk")
    )
    mails = _mails(personen)
    M = Meldende
    AP = Ansprechperson
    ansprechpersonen = [
        {
            _titel(AP, "name"): ap.name,
            _titel(AP, "funktion"): ap.funktion,
            _titel(AP, "email"): ap.email,
            _titel(AP, "telefon"): ap.telefon,
            "Akteur": ap.akteur.name,
        }
        for ap in ansprechpersonen_finden(suchbegriff)
    ]
    return {
        "Auskunft": {
            "Rechtsgrundlage": "Art. 15 DSGVO",
            "Stelle": f"Quartierslotse {settings.QL_STADT}",
            "Erstellt am": _zeit(timezone.now()),
            "Suchbegriff": suchbegriff,
            "Anzahl Personen": len(personen),
        },
        # Dieselbe Person kann auch Ansprechperson eines Akteurs sein (Netzwerke).
        "Ansprechpersonen bei Akteuren": ansprechpersonen,
        "Personen": [
            {
                "Kennung": m.pk,
                _titel(M, "name"): m.name,
                _titel(M, "email"): m.email,
                _titel(M, "telefon"): m.telefon,
                _titel(M, "anschrift"): m.anschrift,
                _titel(M, "einwilligung"): m.einwilligung,
                _titel(M, "rueckmeldung_gewuenscht"): m.rueckmeldung_gewuenscht,
                _titel(M, "bevorzugter_kanal"): m.get_bevorzugter_kanal_display(),
                _titel(M, "erstellt_am"): _zeit(m.erstellt_am),
                _titel(M, "anonymisiert_am"): _zeit(m.anonymisiert_am),
                "Anliegen": [_anliegen_auskunft(a) for a in m.anliegen.all()],
                "E-Mails": mails[m.pk],
            }
            for m in personen
        ],
    }
