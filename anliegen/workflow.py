"""Der Lotsen-Kreislauf als benannte Operationen. Nur hier ändert sich ein Status.

Jede Operation prüft den Zustand und das Recht der handelnden Person, läuft in einer
Transaktion mit gesperrter Zeile, hängt ein `Ereignis` an und legt ihre Mails im selben Zug in
den Postausgang (django-mailer): ein zurückgerolltes Ereignis verschickt nichts, ein gestörter
Mailserver verliert nichts.

    neu ──weg_festlegen──→ in_bearbeitung ──abschliessen──→ abgeschlossen
    neu | in_bearbeitung | antwort_liegt_vor ──weiterleiten──→ weitergeleitet
    weitergeleitet ──(alle Weiterleitungen beantwortet oder zurückgegeben)──→ antwort_liegt_vor
    antwort_liegt_vor ──rueckmelden, abschliessen──→ abgeschlossen
    abgeschlossen ──wiedereroeffnen──→ in_bearbeitung

Zusagen („wird umgesetzt bis …“): offen | verschoben ──zusage_eingehalten──→ eingehalten,
──zusage_verschieben──→ verschoben (neues Datum), ──zusage_entfallen──→ entfallen. Jeder
Schritt geht an das QM und startet die Rückmeldefrist (`Anliegen.rueckmeldung_offen_seit`).

Die Zusage des Produkts: Wer eine Antwort eines Fachbereichs bekommen hat, schließt nicht,
bevor die meldende Person sie erfahren hat – außer sie ist anonym oder wollte keine
Rückmeldung (dann mit Grund im Verlauf).

Antwortlink: Annehmen, Zurückgeben und Beantworten gehen auch ohne Konto über den Link aus der
Weiterleitungs-Mail (`per_link=PerLink(...)` statt `durch=`). Dieselbe Operation, dieselben
Zustandsprüfungen, Versionen und Mails; nur das Recht heißt dann „der Link ist gültig und genau
für diese Weiterleitung ausgestellt“. Das Ereignis der Operation trägt `von=None` und
`per_link`, `name`, `kontakt` – so steht jede Nutzung des Links im Verlauf.

Bündeln (Duplikate, verwandte Anliegen): `buendeln(anliegen, unter=haupt)` hängt ein Anliegen
an ein Hauptanliegen im selben Quartier (eine Ebene: das Hauptanliegen ist selbst nicht
gebündelt, das gebündelte hat keine eigenen gebündelten; das Hauptanliegen ist offen). Das
gebündelte Anliegen wird NICHT als Duplikat geschlossen – seine Person wartet ja auf dieselbe
Antwort. Es behält seinen Status und seine Person, wird aber nicht selbst weitergeleitet
(nur neu, in Bearbeitung oder Antwort liegt vor lassen sich bündeln; offene Weiterleitungen
also vorher abwarten oder zurückziehen). Dafür gilt:

    gebündelt: neu | in_bearbeitung ──(Antwort am Hauptanliegen)──→ antwort_liegt_vor

- Antwortet ein Fachbereich am Hauptanliegen (auch ein Schritt einer Zusage), beginnt für
  jedes offene gebündelte Anliegen die Rückmeldefrist, mit Ereignis „Antwort über
  Hauptanliegen …“; das QM erfährt es einmal, in der Mail zum Hauptanliegen.
- `braucht_rueckmeldung` zählt für ein gebündeltes Anliegen auch die Antworten am
  Hauptanliegen: es schließt erst, wenn seine Person sie erfahren hat (oder keine will).
- `rueckmelden(haupt, an_gebuendelte=True)` hält für jede wartende gebündelte Person eine
  eigene Rückmeldung fest, wenn sie per E-Mail erreichbar ist (Einwilligung, Adresse, Wunsch
  E-Mail oder ohne Wunsch): derselbe Text geht über den Postausgang an sie. Alle anderen
  bleiben „noch persönlich, telefonisch oder per Brief zu informieren“ (Liste auf der Seite
  des Hauptanliegens). Der Text darf die Person des Hauptanliegens nicht nennen.
- `abschliessen(haupt, gebuendelte=True)` schließt mit demselben Grund nur die gebündelten,
  deren Person Bescheid weiß oder keine Rückmeldung braucht; die übrigen bleiben offen.
- `entbuendeln` löst die Verbindung; nicht, solange die Person noch auf eine Antwort aus dem
  Hauptanliegen wartet (sonst ginge diese Antwort verloren).
Jeder Schritt schreibt ein Ereignis an beiden Anliegen.

Gleichzeitigkeit: Operationen sperren die Zeile (`select_for_update`, auf SQLite serialisiert
`transaction_mode=IMMEDIATE`). Wer auf einem veralteten Stand handelt (`version`), bekommt
`Konflikt` mit einer klaren Meldung statt still zu überschreiben.
"""

import datetime
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.forms import Form
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netzwerke.models import Akteur
from quartier import sperren as sperren_
from quartier.models import Fachbereich, User

from . import permissions, verlauf
from .anhaenge import GepruefteDatei
from .datenschutz import maske_fuer
from .fristen import arbeitstage_addieren, arbeitstage_dauer
from .mails import mail_vormerken
from .models import (
    OFFENE_WSTATUS,
    OFFENE_ZSTATUS,
    Ablehnungsgrund,
    Abschlussgrund,
    Anhang,
    Anliegen,
    Antwortlink,
    Entscheidung,
    Ereignis,
    Meldende,
    Rueckmeldekanal,
    Rueckmeldung,
    Status,
    Weg,
    Weiterleitung,
    WStatus,
    Zaehler,
    ZStatus,
    Zusage,
)

S = Status
_Obj = TypeVar("_Obj", bound=Model)

# Was ein Abschluss darf, solange noch Weiterleitungen offen sind (sie werden zurückgezogen).
NUR_SO_WEITERGELEITET = (Abschlussgrund.DUPLIKAT, Abschlussgrund.ZURUECKGEZOGEN)


class UngueltigerUebergang(ValidationError):
    """Die Operation passt nicht zum aktuellen Zustand."""


# Eine Sperrart für die ganze App (quartier/sperren.py); der Name bleibt für die Aufrufer.
Konflikt = sperren_.Konflikt


# --- Hilfen ------------------------------------------------------------------------------


def _sperren(
    gegenstand: str,
    name: str,
    obj: _Obj,
    version: int | None,
    *,
    durch: User | None,
    per_link: "PerLink | None" = None,
) -> _Obj:
    """Der Eingang jeder Operation: Recht prüfen (Konto oder Antwortlink), Zeile sperren,
    Version vergleichen, Zustand nach der Spezifikation prüfen – dieselbe Prüfung, nach der
    die Seiten ihre Knöpfe anbieten (`Operation.grund_dagegen`)."""
    op = operation(gegenstand, name)
    _recht_pruefen(op, obj, durch, per_link)
    gesperrt: _Obj = sperren_.sperren(type(obj)._default_manager, obj.pk, version)
    grund = op.grund_dagegen(gesperrt)
    if grund:
        raise UngueltigerUebergang(grund, code="zustand")
    return gesperrt


@dataclass(frozen=True)
class PerLink:
    """Handeln ohne Konto über einen Antwortlink: der Link und wer ihn nutzt (Name, wie
    eingetippt, und freiwillig ein Kontakt für Rückfragen – dienstliche Angaben)."""

    link: Antwortlink
    name: str
    kontakt: str = ""


def _ereignis(
    anliegen: Anliegen,
    art: str,
    durch: User | None,
    *,
    intern: bool = False,
    per_link: PerLink | None = None,
    **daten: Any,
) -> None:
    verlauf.anhaengen(anliegen, art, von=durch, intern=intern, per_link=per_link, **daten)


def _recht_pruefen(
    op: "Operation", obj: Model, durch: User | None, per_link: PerLink | None
) -> None:
    """Das Recht nach der Spezifikation: mit Konto `op.darf`; ohne Konto ein gültiger
    Antwortlink genau dieser Weiterleitung, nur für Operationen mit `per_link`. Läuft in der
    Transaktion der Operation; die Zeile des Links wird gesperrt, damit ein gleichzeitiger
    Widerruf gewinnt oder wartet, nie halb."""
    if per_link is None:
        if durch is None or not op.darf(durch, obj):
            raise PermissionDenied
        return
    if durch is not None or not op.per_link:
        raise PermissionDenied  # entweder Konto oder Link, nie beides
    link = Antwortlink.objects.select_for_update(of=("self",)).filter(pk=per_link.link.pk).first()
    if link is None or not isinstance(obj, Weiterleitung) or not link.gilt_fuer(obj):
        raise PermissionDenied
    if not per_link.name.strip():
        raise ValidationError({"name": _("Bitte geben Sie Ihren Namen an.")})


def _link_genutzt(per_link: PerLink | None) -> None:
    if per_link is not None:
        Antwortlink.objects.filter(pk=per_link.link.pk).update(
            nutzungen=F("nutzungen") + 1, zuletzt_genutzt_am=timezone.now()
        )


_speichern = sperren_.speichern


def _link(name: str, *args: object) -> str:
    """Vollständiger Link für Mails (QL_BASIS_URL + Pfad der benannten URL)."""
    return f"{settings.QL_BASIS_URL.rstrip('/')}{reverse(name, args=args)}"


def _antwortlink_anlegen(weiterleitung: Weiterleitung, durch: User) -> tuple[Antwortlink, str]:
    """Neuer Link für eine Weiterleitung; der Schlüssel kommt nur zurück, um ihn in die Mail
    zu schreiben (256 Bit aus `secrets`), in der Datenbank steht nur sein Hash."""
    schluessel = secrets.token_urlsafe(32)
    link = Antwortlink.objects.create(
        weiterleitung=weiterleitung,
        schluessel_hash=Antwortlink.hash_von(schluessel),
        erstellt_von=durch,
        gueltig_bis=timezone.now() + datetime.timedelta(days=settings.QL_ANTWORTLINK_TAGE),
    )
    return link, schluessel


def _naechste_nummer(jahr: int) -> int:
    zaehler, _ = Zaehler.objects.select_for_update().get_or_create(jahr=jahr)
    zaehler.letzte += 1
    zaehler.save(update_fields=["letzte"])
    return zaehler.letzte


def _status_nach_weiterleitungen(anliegen: Anliegen) -> str:
    """weitergeleitet, solange eine Weiterleitung offen ist; sonst: Antwort liegt vor."""
    offen = anliegen.weiterleitungen.filter(status__in=OFFENE_WSTATUS).exists()
    return S.WEITERGELEITET if offen else S.ANTWORT_LIEGT_VOR


# --- Erfassen und Weg --------------------------------------------------------------------


@transaction.atomic
def erfassen(
    *,
    daten: dict,
    bedarfe: Iterable = (),
    meldende: Meldende | None = None,
    neue_meldende: dict | None = None,
    durch: User,
    einreichung: uuid.UUID | None = None,
    anhaenge: Iterable[GepruefteDatei] = (),
    anhaenge_freigegeben: bool = False,
) -> Anliegen:
    """Legt ein Anliegen an (Status neu) und vergibt die Nummer `JJJJ-NNNNN`.

    `anhaenge` (geprüft über anliegen/anhaenge.py) werden in derselben Transaktion angehängt.

    `daten` sind die Felder des Anliegens (titel, beschreibung, quartier, thema, art, kanal,
    ort, breite, laenge, sitzung, akteur). `meldende` verknüpft eine bekannte Person,
    `neue_meldende` legt eine an. Mit demselben `einreichung`-Schlüssel zweimal aufgerufen
    (Doppelklick, erneutes Senden) entsteht nichts doppelt: das erste Anliegen kommt zurück.
    """
    if not permissions.darf_erfassen(durch):
        raise PermissionDenied
    if einreichung:
        vorhanden: Anliegen | None = Anliegen.objects.filter(einreichung=einreichung).first()
        if vorhanden:
            return vorhanden
    anliegen = Anliegen(**daten, zustaendig=durch, einreichung=einreichung)
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise ValidationError(
            {"quartier": _("Anliegen erfassen Sie nur für Ihre eigenen Quartiere.")}
        )
    if neue_meldende:
        meldende = Meldende.objects.create(**neue_meldende)
    anliegen.meldende = meldende
    jahr = timezone.localdate().year
    anliegen.jahr = jahr
    anliegen.laufnummer = _naechste_nummer(jahr)
    anliegen.nummer = f"{jahr}-{anliegen.laufnummer:05d}"
    try:
        with transaction.atomic():
            anliegen.save()
    except IntegrityError:
        # Gleichzeitig mit demselben Schlüssel abgeschickt: das andere hat gewonnen.
        if einreichung and Anliegen.objects.filter(einreichung=einreichung).exists():
            return Anliegen.objects.get(einreichung=einreichung)
        raise
    anliegen.bedarfe.set(bedarfe)
    _ereignis(anliegen, "erfasst", durch, nummer=anliegen.nummer)
    _anhaenge_anlegen(anliegen, anhaenge, freigegeben=anhaenge_freigegeben, durch=durch)
    return anliegen


def _anhaenge_anlegen(
    anliegen: Anliegen, dateien: Iterable[GepruefteDatei], *, freigegeben: bool, durch: User
) -> list[Anhang]:
    """Schreibt die Dateien und legt je Datei Anhang und Ereignis an (in der Transaktion des
    Aufrufers). Scheitert danach etwas, sind die schon geschriebenen Dateien wieder weg – die
    Datenbank rollt zurück, das Dateisystem nicht von selbst."""
    angelegt: list[Anhang] = []
    try:
        for datei in dateien:
            anhang = Anhang(
                anliegen=anliegen,
                dateiname=datei.dateiname,
                inhaltstyp=datei.inhaltstyp,
                groesse=datei.groesse,
                freigegeben=freigegeben,
                hochgeladen_von=durch,
            )
            # Der Name hier zählt nicht: `anhang_ablage` vergibt einen Zufallsnamen.
            anhang.datei.save("anhang", ContentFile(datei.inhalt), save=False)
            angelegt.append(anhang)
            anhang.save()
            _ereignis(
                anliegen,
                "anhang",
                durch,
                anhang=anhang.pk,
                dateiname=anhang.dateiname,
                inhaltstyp=anhang.inhaltstyp,
                freigegeben=freigegeben,
            )
    except BaseException:
        for anhang in angelegt:
            anhang.datei.storage.delete(anhang.datei.name)
        raise
    return angelegt


@transaction.atomic
def anhaenge_hinzufuegen(
    anliegen: Anliegen, *, dateien: Iterable[GepruefteDatei], freigegeben: bool, durch: User
) -> list[Anhang]:
    """Hängt geprüfte Dateien an ein Anliegen an, in jedem Status (auch abgeschlossen: Belege
    kommen oft später). Ändert weder Status noch Version; daher keine Zeilensperre."""
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    dateien = list(dateien)
    if not dateien:
        raise ValidationError({"dateien": _("Bitte mindestens eine Datei auswählen.")})
    return _anhaenge_anlegen(anliegen, dateien, freigegeben=freigegeben, durch=durch)


@transaction.atomic
def weg_festlegen(
    anliegen: Anliegen,
    *,
    weg: str,
    durch: User,
    vermittelt_an: Akteur | None = None,
    vermittelt_an_text: str = "",
    version: int | None = None,
) -> Anliegen:
    """Die Entscheidung des Lotsen, wenn er nicht weiterleitet: selbst umsetzen, Kontakt
    vermitteln (an wen) oder als Bedarf erfassen."""
    anliegen = _sperren(ANLIEGEN, "weg", anliegen, version, durch=durch)
    if weg not in (Weg.SELBST, Weg.KONTAKT, Weg.BEDARF):
        raise ValidationError({"weg": _("Zum Weiterleiten bitte „Weiterleiten“ wählen.")})
    if weg == Weg.KONTAKT and not (vermittelt_an or vermittelt_an_text.strip()):
        raise ValidationError(
            {"vermittelt_an": _("Bitte angeben, an wen die Person vermittelt wurde.")}
        )
    anliegen.status = S.IN_BEARBEITUNG
    anliegen.weg = weg
    anliegen.vermittelt_an = vermittelt_an if weg == Weg.KONTAKT else None
    anliegen.vermittelt_an_text = vermittelt_an_text.strip() if weg == Weg.KONTAKT else ""
    _speichern(anliegen, ["status", "weg", "vermittelt_an", "vermittelt_an_text"])
    _ereignis(
        anliegen,
        "weg",
        durch,
        weg=weg,
        vermittelt_an=str(vermittelt_an or anliegen.vermittelt_an_text or ""),
    )
    return anliegen


@transaction.atomic
def anhang_freigeben(anhang: Anhang, *, freigegeben: bool, durch: User) -> Anhang:
    """Freigabe für Fachbereiche und andere Quartiere erteilen oder zurücknehmen (mit
    Ereignis). Ohne Änderung geschieht nichts (zweiter Klick)."""
    if not permissions.darf_bearbeiten(durch, anhang.anliegen):
        raise PermissionDenied
    anhang = Anhang.objects.select_for_update().select_related("anliegen").get(pk=anhang.pk)
    if anhang.freigegeben == freigegeben:
        return anhang
    anhang.freigegeben = freigegeben
    anhang.save(update_fields=["freigegeben"])
    _ereignis(
        anhang.anliegen,
        "anhang_freigabe",
        durch,
        anhang=anhang.pk,
        dateiname=anhang.dateiname,
        freigegeben=freigegeben,
    )
    return anhang


# --- Weiterleiten und Antworten ----------------------------------------------------------


def standardfrist(fachbereich: Fachbereich, ab: datetime.date | None = None) -> datetime.date:
    """Heute (oder `ab`) plus die Antwortfrist des Fachbereichs in Arbeitstagen."""
    return arbeitstage_addieren(ab or timezone.localdate(), fachbereich.antwortfrist_tage)


@transaction.atomic
def weiterleiten(
    anliegen: Anliegen,
    *,
    an: Iterable[Fachbereich],
    nachricht: str,
    durch: User,
    frist: datetime.date | None = None,
    kontakt_teilen: bool = False,
    version: int | None = None,
) -> list[Weiterleitung]:
    """Leitet an einen oder mehrere Fachbereiche weiter; jeder bekommt eine Mail mit Link."""
    anliegen = _sperren(ANLIEGEN, "weiterleiten", anliegen, version, durch=durch)
    an = list(an)
    fehler: dict[str, str] = {}
    if not an:
        fehler["an"] = _("Bitte mindestens einen Fachbereich wählen.")
    if not nachricht.strip():
        fehler["nachricht"] = _("Bitte schreiben Sie dem Fachbereich, worum es geht.")
    if frist and frist < timezone.localdate():
        fehler["frist"] = _("Die Frist darf nicht in der Vergangenheit liegen.")
    if kontakt_teilen and not (anliegen.meldende and anliegen.meldende.einwilligung):
        fehler["kontakt_teilen"] = _(
            "Den Kontakt teilen Sie nur mit Einwilligung der meldenden Person."
        )
    doppelt = anliegen.weiterleitungen.filter(status__in=OFFENE_WSTATUS, fachbereich__in=an)
    if doppelt.exists():
        fehler["an"] = _("An %(fb)s ist das Anliegen schon weitergeleitet und noch offen.") % {
            "fb": ", ".join(str(w.fachbereich) for w in doppelt.select_related("fachbereich"))
        }
    if fehler:
        raise ValidationError(fehler)

    neue = []
    for fachbereich in an:
        weiterleitung = Weiterleitung.objects.create(
            anliegen=anliegen,
            fachbereich=fachbereich,
            nachricht=nachricht.strip(),
            frist=frist or standardfrist(fachbereich),
            kontakt_geteilt=kontakt_teilen,
            erstellt_von=durch,
        )
        neue.append(weiterleitung)
        link, schluessel = _antwortlink_anlegen(weiterleitung, durch)
        _ereignis(
            anliegen,
            "weitergeleitet",
            durch,
            fachbereich=fachbereich.kuerzel,
            frist=weiterleitung.frist.isoformat(),
            kontakt_geteilt=kontakt_teilen,
        )
        mail_vormerken(
            "weitergeleitet",
            {
                "anliegen": anliegen,
                "fachbereich": fachbereich,
                "weiterleitung": weiterleitung,
                # Der Fachbereich liest die Person nur bei geteiltem Kontakt (auch im Freitext).
                "maske": maske_fuer(kontakt_teilen, anliegen.meldende),
                "antwortlink": link,
                "antwortlink_url": _link("anliegen:antwortlink", schluessel),
                "link": _link("anliegen:eingang_detail", weiterleitung.pk),
            },
            [fachbereich.email],
        )
    anliegen.status = S.WEITERGELEITET
    anliegen.weg = Weg.WEITERLEITEN
    _speichern(anliegen, ["status", "weg"])
    return neue


def _rueckmeldung_faellig(anliegen: Anliegen) -> list[str]:
    """Ab jetzt wartet etwas darauf, dass die Person es erfährt (Beginn der Rückmeldefrist).

    Wartet schon etwas, zählt die Frist weiter ab dem früheren Zeitpunkt. Anonym gemeldete
    Anliegen und Personen ohne Wunsch nach Rückmeldung bekommen keine Frist."""
    if anliegen.rueckmeldung_offen_seit or rueckmeldung_entbehrlich(anliegen):
        return []
    anliegen.rueckmeldung_offen_seit = timezone.now()
    return ["rueckmeldung_offen_seit"]


def _anliegen_nachziehen(
    weiterleitung: Weiterleitung, art: str, *, antwort: bool = False
) -> Anliegen:
    """Nach Antwort oder Rückgabe: Status des Anliegens neu bestimmen, QM benachrichtigen.
    Mit `antwort` beginnt die Rückmeldefrist."""
    anliegen: Anliegen = Anliegen.objects.select_for_update(of=("self",)).get(
        pk=weiterleitung.anliegen_id
    )
    felder = _rueckmeldung_faellig(anliegen) if antwort else []
    if anliegen.status in (S.WEITERGELEITET, S.ANTWORT_LIEGT_VOR):
        anliegen.status = _status_nach_weiterleitungen(anliegen)
        felder.append("status")
    if felder:
        _speichern(anliegen, felder)
    gebuendelte = (
        _gebuendelte_nachziehen(anliegen, weiterleitung.fachbereich.kuerzel) if antwort else []
    )
    mail_vormerken(
        "antwort",
        {
            "anliegen": anliegen,
            "fachbereich": weiterleitung.fachbereich,
            "art": art,
            "link": _link("anliegen:detail", anliegen.nummer),
            "gebuendelte": gebuendelte,
        },
        [anliegen.zustaendig.email],
    )
    return anliegen


@transaction.atomic
def annehmen(
    weiterleitung: Weiterleitung,
    *,
    durch: User | None = None,
    per_link: PerLink | None = None,
    version: int | None = None,
) -> Weiterleitung:
    """Der Fachbereich übernimmt die Zuständigkeit (mit Konto oder per Antwortlink)."""
    weiterleitung = _sperren(
        WEITERLEITUNG, "annehmen", weiterleitung, version, durch=durch, per_link=per_link
    )
    weiterleitung.status = WStatus.IN_BEARBEITUNG
    weiterleitung.angenommen_am = weiterleitung.lebenszeichen_am = timezone.now()
    _speichern(weiterleitung, ["status", "angenommen_am", "lebenszeichen_am"])
    _ereignis(
        weiterleitung.anliegen,
        "angenommen",
        durch,
        per_link=per_link,
        fachbereich=weiterleitung.fachbereich.kuerzel,
    )
    _link_genutzt(per_link)
    return weiterleitung


@transaction.atomic
def zurueckgeben(
    weiterleitung: Weiterleitung,
    *,
    durch: User | None = None,
    per_link: PerLink | None = None,
    zustaendig_fachbereich: Fachbereich | None = None,
    hinweis: str = "",
    version: int | None = None,
) -> Weiterleitung:
    """„Nicht zuständig“ – nie ohne zu sagen, wer es ist."""
    weiterleitung = _sperren(
        WEITERLEITUNG, "zurueckgeben", weiterleitung, version, durch=durch, per_link=per_link
    )
    if not zustaendig_fachbereich and not hinweis.strip():
        raise ValidationError(
            {
                "hinweis": _(
                    "Bitte angeben, wer zuständig ist: einen Fachbereich oder einen Hinweis."
                )
            }
        )
    if zustaendig_fachbereich and zustaendig_fachbereich.pk == weiterleitung.fachbereich_id:
        raise ValidationError(
            {"zustaendig_fachbereich": _("Bitte einen anderen als den eigenen Fachbereich nennen.")}
        )
    weiterleitung.status = WStatus.NICHT_ZUSTAENDIG
    weiterleitung.zustaendig_fachbereich = zustaendig_fachbereich
    weiterleitung.zustaendig_hinweis = hinweis.strip()
    weiterleitung.beantwortet_am = timezone.now()
    weiterleitung.antwort_arbeitstage = arbeitstage_dauer(
        weiterleitung.erstellt_am, weiterleitung.beantwortet_am
    )
    weiterleitung.beantwortet_von = durch
    weiterleitung.beantwortet_name = per_link.name.strip() if per_link else ""
    _speichern(
        weiterleitung,
        [
            "status",
            "zustaendig_fachbereich",
            "zustaendig_hinweis",
            "beantwortet_am",
            "antwort_arbeitstage",
            "beantwortet_von",
            "beantwortet_name",
        ],
    )
    _ereignis(
        weiterleitung.anliegen,
        "zurueckgegeben",
        durch,
        per_link=per_link,
        fachbereich=weiterleitung.fachbereich.kuerzel,
        zustaendig=str(zustaendig_fachbereich or ""),
        hinweis=weiterleitung.zustaendig_hinweis,
    )
    _link_genutzt(per_link)
    _anliegen_nachziehen(weiterleitung, _("nicht zuständig"))
    return weiterleitung


@transaction.atomic
def beantworten(
    weiterleitung: Weiterleitung,
    *,
    entscheidung: str,
    antwort: str,
    durch: User | None = None,
    per_link: PerLink | None = None,
    erwartet_am: datetime.date | None = None,
    ablehnungsgrund: Ablehnungsgrund | None = None,
    version: int | None = None,
) -> Weiterleitung:
    """Die Antwort des Fachbereichs auf eine angenommene Weiterleitung.

    Ein Zwischenbescheid hält die Weiterleitung offen; „nicht möglich“ braucht einen Grund aus
    der Liste und eine Erklärung in Klartext; „wird umgesetzt“ ein erwartetes Datum.
    """
    weiterleitung = _sperren(
        WEITERLEITUNG, "beantworten", weiterleitung, version, durch=durch, per_link=per_link
    )
    fehler: dict[str, str] = {}
    if entscheidung not in Entscheidung.values:
        fehler["entscheidung"] = _("Bitte eine Entscheidung wählen.")
    if not antwort.strip():
        fehler["antwort"] = _(
            "Bitte die Antwort in verständlichen Worten schreiben; das Quartiersmanagement gibt "
            "sie an die Bürgerin oder den Bürger weiter."
        )
    if entscheidung == Entscheidung.WIRD_UMGESETZT:
        if not erwartet_am:
            fehler["erwartet_am"] = _("Bitte angeben, bis wann es umgesetzt wird.")
        elif erwartet_am < timezone.localdate():
            fehler["erwartet_am"] = _("Das erwartete Datum darf nicht in der Vergangenheit liegen.")
    if entscheidung == Entscheidung.NICHT_MOEGLICH and not ablehnungsgrund:
        fehler["ablehnungsgrund"] = _("Bitte einen Grund aus der Liste wählen.")
    if fehler:
        raise ValidationError(fehler)

    if entscheidung == Entscheidung.ZWISCHENBESCHEID:
        weiterleitung.lebenszeichen_am = timezone.now()
        _speichern(weiterleitung, ["lebenszeichen_am"])
        _ereignis(
            weiterleitung.anliegen,
            "zwischenbescheid",
            durch,
            per_link=per_link,
            fachbereich=weiterleitung.fachbereich.kuerzel,
            antwort=antwort.strip(),
        )
        _link_genutzt(per_link)
        return weiterleitung

    weiterleitung.status = WStatus.BEANTWORTET
    weiterleitung.entscheidung = entscheidung
    weiterleitung.antwort = antwort.strip()
    weiterleitung.erwartet_am = erwartet_am if entscheidung == Entscheidung.WIRD_UMGESETZT else None
    weiterleitung.ablehnungsgrund = (
        ablehnungsgrund if entscheidung == Entscheidung.NICHT_MOEGLICH else None
    )
    weiterleitung.beantwortet_am = timezone.now()
    weiterleitung.antwort_arbeitstage = arbeitstage_dauer(
        weiterleitung.erstellt_am, weiterleitung.beantwortet_am
    )
    weiterleitung.beantwortet_von = durch
    weiterleitung.beantwortet_name = per_link.name.strip() if per_link else ""
    _speichern(
        weiterleitung,
        [
            "status",
            "antwort_arbeitstage",
            "entscheidung",
            "antwort",
            "erwartet_am",
            "ablehnungsgrund",
            "beantwortet_am",
            "beantwortet_von",
            "beantwortet_name",
        ],
    )
    _ereignis(
        weiterleitung.anliegen,
        "beantwortet",
        durch,
        per_link=per_link,
        fachbereich=weiterleitung.fachbereich.kuerzel,
        entscheidung=entscheidung,
        antwort=weiterleitung.antwort,
        erwartet_am=weiterleitung.erwartet_am.isoformat() if weiterleitung.erwartet_am else "",
        grund=str(weiterleitung.ablehnungsgrund or ""),
    )
    _link_genutzt(per_link)
    if entscheidung == Entscheidung.WIRD_UMGESETZT and erwartet_am is not None:
        # Die Zusage wird nachgehalten: am erwarteten Datum fragt `manage.py erinnerungen`
        # beim Fachbereich nach, ob sie eingehalten ist.
        Zusage.objects.create(
            weiterleitung=weiterleitung, zugesagt_fuer=erwartet_am, faellig_am=erwartet_am
        )
    _anliegen_nachziehen(weiterleitung, str(Entscheidung(entscheidung).label), antwort=True)
    return weiterleitung


# --- Antwortlink widerrufen und neu senden (Quartiersmanagement) -------------------------


def _aktive_links_widerrufen(weiterleitung: Weiterleitung, durch: User) -> int:
    return Antwortlink.objects.filter(
        weiterleitung=weiterleitung, widerrufen_am__isnull=True
    ).update(widerrufen_am=timezone.now(), widerrufen_von=durch)


@transaction.atomic
def antwortlink_widerrufen(weiterleitung: Weiterleitung, *, durch: User) -> int:
    """Macht den Antwortlink einer Weiterleitung unbrauchbar (z. B. Mail an falsche Stelle).
    Gibt die Zahl der widerrufenen Links zurück; ohne aktiven Link ist das ein Fehler."""
    if not permissions.darf_bearbeiten(durch, weiterleitung.anliegen):
        raise PermissionDenied
    weiterleitung = Weiterleitung.objects.select_for_update(of=("self",)).get(pk=weiterleitung.pk)
    anzahl = _aktive_links_widerrufen(weiterleitung, durch)
    if not anzahl:
        raise UngueltigerUebergang(_("Für diese Weiterleitung gibt es keinen aktiven Antwortlink."))
    _ereignis(
        weiterleitung.anliegen,
        "antwortlink_widerrufen",
        durch,
        fachbereich=weiterleitung.fachbereich.kuerzel,
    )
    return anzahl


@transaction.atomic
def antwortlink_erneuern(weiterleitung: Weiterleitung, *, durch: User) -> Antwortlink:
    """Widerruft den bisherigen Link und schickt dem Fachbereich einen neuen – nur solange
    die Weiterleitung offen ist."""
    if not permissions.darf_bearbeiten(durch, weiterleitung.anliegen):
        raise PermissionDenied
    weiterleitung = sperren_.sperren(Weiterleitung.objects, weiterleitung.pk, None)
    if weiterleitung.status not in OFFENE_WSTATUS:
        raise UngueltigerUebergang(
            _("Das geht im Status „%(status)s“ nicht.")
            % {"status": weiterleitung.get_status_display()}
        )
    _aktive_links_widerrufen(weiterleitung, durch)
    link, schluessel = _antwortlink_anlegen(weiterleitung, durch)
    anliegen = weiterleitung.anliegen
    _ereignis(
        anliegen,
        "antwortlink_gesendet",
        durch,
        fachbereich=weiterleitung.fachbereich.kuerzel,
        gueltig_bis=timezone.localtime(link.gueltig_bis).date().isoformat(),
    )
    mail_vormerken(
        "antwortlink_erneuert",
        {
            "anliegen": anliegen,
            "weiterleitung": weiterleitung,
            "maske": maske_fuer(weiterleitung.kontakt_geteilt, anliegen.meldende),
            "antwortlink": link,
            "antwortlink_url": _link("anliegen:antwortlink", schluessel),
            "link": _link("anliegen:eingang_detail", weiterleitung.pk),
        },
        [weiterleitung.fachbereich.email],
    )
    return link


# --- Zusagen: eingehalten, verschoben, entfallen ----------------------------------------


def _zusage_schritt(
    name: str, zusage: Zusage, durch: User, version: int | None
) -> tuple[Zusage, Anliegen]:
    """Recht prüfen, Zusage (nur offene) und Anliegen sperren."""
    zusage = _sperren(ZUSAGE, name, zusage, version, durch=durch)
    anliegen = Anliegen.objects.select_for_update(of=("self",)).get(
        pk=zusage.weiterleitung.anliegen_id
    )
    return zusage, anliegen


def _zusage_melden(zusage: Zusage, anliegen: Anliegen, was: str) -> None:
    """Das QM erfährt jeden Schritt, damit es die Person informieren kann; die Rückmeldefrist
    beginnt (wenn die Person Rückmeldung möchte)."""
    felder = _rueckmeldung_faellig(anliegen)
    _speichern(anliegen, felder)
    gebuendelte = _gebuendelte_nachziehen(anliegen, zusage.weiterleitung.fachbereich.kuerzel)
    mail_vormerken(
        "zusage",
        {
            "anliegen": anliegen,
            "fachbereich": zusage.weiterleitung.fachbereich,
            "was": was,
            "link": _link("anliegen:detail", anliegen.nummer),
            "gebuendelte": gebuendelte,
        },
        [anliegen.zustaendig.email],
    )


@transaction.atomic
def zusage_eingehalten(
    zusage: Zusage, *, durch: User, text: str = "", version: int | None = None
) -> Zusage:
    """Der Fachbereich meldet: umgesetzt wie zugesagt."""
    zusage, anliegen = _zusage_schritt("zusage_eingehalten", zusage, durch, version)
    zusage.status = ZStatus.EINGEHALTEN
    zusage.erledigt_am = timezone.now()
    _speichern(zusage, ["status", "erledigt_am"])
    _ereignis(
        anliegen,
        "zusage_eingehalten",
        durch,
        fachbereich=zusage.weiterleitung.fachbereich.kuerzel,
        text=text.strip(),
    )
    _zusage_melden(zusage, anliegen, _("eingehalten"))
    return zusage


@transaction.atomic
def zusage_verschieben(
    zusage: Zusage,
    *,
    neues_datum: datetime.date | None,
    grund: str,
    durch: User,
    version: int | None = None,
) -> Zusage:
    """Neues Datum mit Grund; die Zusage bleibt offen und wird am neuen Datum wieder fällig."""
    zusage, anliegen = _zusage_schritt("zusage_verschieben", zusage, durch, version)
    fehler: dict[str, str] = {}
    if not neues_datum:
        fehler["neues_datum"] = _("Bitte das neue Datum angeben.")
    elif neues_datum <= timezone.localdate():
        fehler["neues_datum"] = _("Das neue Datum muss in der Zukunft liegen.")
    if not grund.strip():
        fehler["grund"] = _("Bitte den Grund für die Verschiebung nennen.")
    if fehler or neues_datum is None:
        raise ValidationError(fehler)
    alt = zusage.faellig_am
    zusage.status = ZStatus.VERSCHOBEN
    zusage.faellig_am = neues_datum
    zusage.verschiebungen += 1
    zusage.grund = grund.strip()
    _speichern(zusage, ["status", "faellig_am", "verschiebungen", "grund"])
    _ereignis(
        anliegen,
        "zusage_verschoben",
        durch,
        fachbereich=zusage.weiterleitung.fachbereich.kuerzel,
        alt=alt.isoformat(),
        neu=neues_datum.isoformat(),
        grund=zusage.grund,
    )
    _zusage_melden(
        zusage, anliegen, _("verschoben auf den %(datum)s") % {"datum": f"{neues_datum:%d.%m.%Y}"}
    )
    return zusage


@transaction.atomic
def zusage_entfallen(
    zusage: Zusage, *, grund: str, durch: User, version: int | None = None
) -> Zusage:
    """Die Zusage lässt sich nicht halten – nie ohne Grund, den die Person erfährt."""
    zusage, anliegen = _zusage_schritt("zusage_entfallen", zusage, durch, version)
    if not grund.strip():
        raise ValidationError({"grund": _("Bitte den Grund nennen, warum die Zusage entfällt.")})
    zusage.status = ZStatus.ENTFALLEN
    zusage.erledigt_am = timezone.now()
    zusage.grund = grund.strip()
    _speichern(zusage, ["status", "erledigt_am", "grund"])
    _ereignis(
        anliegen,
        "zusage_entfallen",
        durch,
        fachbereich=zusage.weiterleitung.fachbereich.kuerzel,
        grund=zusage.grund,
    )
    _zusage_melden(zusage, anliegen, _("entfällt"))
    return zusage


# --- Rückmeldung, Abschluss, Wiedereröffnen, Notiz ---------------------------------------


@transaction.atomic
def rueckmelden(
    anliegen: Anliegen,
    *,
    text: str,
    kanal: str,
    durch: User,
    erreicht: bool = True,
    version: int | None = None,
    an_gebuendelte: bool = False,
) -> Rueckmeldung:
    """Hält fest, was die meldende Person erfahren hat. Per E-Mail (mit Einwilligung und
    Adresse) geht der Text über den Postausgang an sie; ein Akteur bekommt ihn ebenso.
    `an_gebuendelte`: derselbe Text auch an die Personen der gebündelten Anliegen (Modul)."""
    anliegen = _sperren(ANLIEGEN, "rueckmelden", anliegen, version, durch=durch)
    fehler: dict[str, str] = {}
    if kanal not in Rueckmeldekanal.values:
        fehler["kanal"] = _("Bitte wählen, wie die Rückmeldung gegeben wurde.")
    if not text.strip():
        fehler["text"] = _("Bitte festhalten, was der Person mitgeteilt wurde.")
    empfaenger = ""
    if kanal == Rueckmeldekanal.EMAIL and erreicht:
        meldende = anliegen.meldende
        if meldende and meldende.einwilligung and meldende.email:
            empfaenger = meldende.email
        elif anliegen.akteur and anliegen.akteur.email:
            empfaenger = anliegen.akteur.email
        else:
            fehler["kanal"] = _(
                "Für eine E-Mail fehlen Adresse oder Einwilligung. Bitte einen anderen Weg wählen."
            )
    if fehler:
        raise ValidationError(fehler)
    jetzt = timezone.now()
    rueckmeldung = Rueckmeldung.objects.create(
        anliegen=anliegen,
        text=text.strip(),
        kanal=kanal,
        erreicht=erreicht,
        von=durch,
        zeitpunkt=jetzt,
        # Zweite Uhr der Auswertung: wie lange die Antwort auf diese Rückmeldung wartete.
        wartezeit_arbeitstage=(
            arbeitstage_dauer(anliegen.rueckmeldung_offen_seit, jetzt)
            if erreicht and anliegen.rueckmeldung_offen_seit
            else None
        ),
    )
    if empfaenger:
        mail_vormerken(
            "rueckmeldung", {"anliegen": anliegen, "text": rueckmeldung.text}, [empfaenger]
        )
    # Erreicht heißt: die Person weiß Bescheid, die Rückmeldefrist endet.
    if erreicht:
        anliegen.rueckmeldung_offen_seit = None
    _speichern(anliegen, ["rueckmeldung_offen_seit"] if erreicht else [])
    _ereignis(
        anliegen, "rueckmeldung", durch, kanal=kanal, erreicht=erreicht, text=rueckmeldung.text
    )
    if an_gebuendelte and erreicht:
        _gebuendelte_rueckmelden(anliegen, text=rueckmeldung.text, durch=durch)
    return rueckmeldung


def braucht_rueckmeldung(anliegen: Anliegen) -> bool:
    """Gab es eine Antwort eines Fachbereichs, die die Person noch nicht erfahren hat?

    Für ein gebündeltes Anliegen zählen auch die Antworten an seinem Hauptanliegen."""
    anliegen_ids = [anliegen.pk]
    if anliegen.uebergeordnet_id:
        anliegen_ids.append(anliegen.uebergeordnet_id)
    letzte_antwort = (
        Weiterleitung.objects.filter(anliegen_id__in=anliegen_ids, status=WStatus.BEANTWORTET)
        .order_by("-beantwortet_am")
        .values_list("beantwortet_am", flat=True)
        .first()
    )
    if letzte_antwort is None:
        return False
    return not anliegen.rueckmeldungen.filter(erreicht=True, zeitpunkt__gte=letzte_antwort).exists()


def rueckmeldung_entbehrlich(anliegen: Anliegen) -> str:
    """Grund, warum keine Rückmeldung möglich oder gewünscht ist; sonst leer."""
    if anliegen.akteur_id and not anliegen.meldende_id:
        return ""
    meldende = anliegen.meldende
    if meldende is None:
        return _("anonym gemeldet")
    if not meldende.rueckmeldung_gewuenscht:
        return _("keine Rückmeldung gewünscht")
    return ""


@transaction.atomic
def abschliessen(
    anliegen: Anliegen,
    *,
    grund: str,
    durch: User,
    version: int | None = None,
    gebuendelte: bool = False,
) -> Anliegen:
    """Schließt mit Grund. Nach einer Antwort eines Fachbereichs erst, wenn die Person sie
    erfahren hat (Rückmeldung, erreicht) – außer sie ist anonym oder wollte keine.
    `gebuendelte`: auch die gebündelten Anliegen, deren Person Bescheid weiß (Modul)."""
    anliegen = _sperren(ANLIEGEN, "abschliessen", anliegen, version, durch=durch)
    if grund not in Abschlussgrund.values:
        raise ValidationError({"grund": _("Bitte einen Abschlussgrund wählen.")})
    if anliegen.status == S.WEITERGELEITET and grund not in NUR_SO_WEITERGELEITET:
        raise ValidationError(
            {
                "grund": _(
                    "Solange Weiterleitungen offen sind, nur als Duplikat oder zurückgezogen "
                    "abschließen; sonst bitte die Antwort abwarten."
                )
            }
        )
    entbehrlich = rueckmeldung_entbehrlich(anliegen)
    # Duplikat oder zurückgezogen: offene Weiterleitungen werden zurückgezogen.
    offene = list(anliegen.weiterleitungen.filter(status__in=OFFENE_WSTATUS))
    for weiterleitung in offene:
        weiterleitung.status = WStatus.ZURUECKGEZOGEN
        _speichern(weiterleitung, ["status"])
    anliegen.status = S.ABGESCHLOSSEN
    anliegen.abschlussgrund = grund
    anliegen.ohne_rueckmeldung_grund = entbehrlich if braucht_rueckmeldung(anliegen) else ""
    anliegen.abgeschlossen_am = timezone.now()
    anliegen.rueckmeldung_offen_seit = None
    _speichern(
        anliegen,
        [
            "status",
            "abschlussgrund",
            "ohne_rueckmeldung_grund",
            "abgeschlossen_am",
            "rueckmeldung_offen_seit",
        ],
    )
    _ereignis(
        anliegen,
        "abgeschlossen",
        durch,
        grund=grund,
        ohne_rueckmeldung=anliegen.ohne_rueckmeldung_grund,
        zurueckgezogen=[w.fachbereich.kuerzel for w in offene],
    )
    for weiterleitung in offene:
        mail_vormerken(
            "zurueckgezogen",
            {
                "anliegen": anliegen,
                "grund": Abschlussgrund(grund).label,
                "maske": maske_fuer(weiterleitung.kontakt_geteilt, anliegen.meldende),
            },
            [weiterleitung.fachbereich.email],
        )
    if gebuendelte:
        for b in _gebuendelte_gesperrt(anliegen):
            if not wartet_auf_rueckmeldung(b):
                abschliessen(b, grund=grund, durch=durch)
    return anliegen


@transaction.atomic
def wiedereroeffnen(
    anliegen: Anliegen, *, grund: str, durch: User, version: int | None = None
) -> Anliegen:
    anliegen = _sperren(ANLIEGEN, "wiedereroeffnen", anliegen, version, durch=durch)
    if not grund.strip():
        raise ValidationError(
            {"grund": _("Bitte angeben, warum das Anliegen wieder geöffnet wird.")}
        )
    anliegen.status = S.IN_BEARBEITUNG
    anliegen.abschlussgrund = ""
    anliegen.ohne_rueckmeldung_grund = ""
    anliegen.abgeschlossen_am = None
    _speichern(
        anliegen, ["status", "abschlussgrund", "ohne_rueckmeldung_grund", "abgeschlossen_am"]
    )
    _ereignis(anliegen, "wiedereroeffnet", durch, grund=grund.strip())
    return anliegen


@transaction.atomic
def notiz(
    anliegen: Anliegen,
    *,
    text: str,
    durch: User,
    intern: bool = True,
    einreichung: uuid.UUID | None = None,
) -> bool:
    """Eine Notiz im Verlauf; intern heißt: nie in Texten für die meldende Person.

    Mit demselben `einreichung`-Schlüssel zweimal gesendet (Doppelklick, Zurück + Senden),
    entsteht nur eine Notiz; der zweite Aufruf gibt `False` zurück. Die gesperrte Zeile des
    Anliegens reiht gleichzeitige Aufrufe hintereinander.
    """
    darf = permissions.darf_bearbeiten(durch, anliegen) or any(
        permissions.darf_weiterleitung_bearbeiten(durch, w) for w in anliegen.weiterleitungen.all()
    )
    if not darf:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Die Notiz ist leer.")})
    Anliegen.objects.select_for_update(of=("self",)).filter(pk=anliegen.pk).exists()
    schluessel = str(einreichung) if einreichung else None
    if (
        schluessel
        and Ereignis.objects.filter(
            anliegen=anliegen, art="notiz", daten__einreichung=schluessel
        ).exists()
    ):
        return False
    fachbereich = durch.fachbereich.kuerzel if durch.fachbereich else ""
    daten: dict[str, Any] = {"text": text.strip(), "fachbereich": fachbereich}
    if schluessel:
        daten["einreichung"] = schluessel
    _ereignis(anliegen, "notiz", durch, intern=intern, **daten)
    return True


# --- Bündeln (siehe Modul) ---------------------------------------------------------------


def wartet_auf_rueckmeldung(anliegen: Anliegen) -> bool:
    """Die Person soll etwas erfahren, das sie noch nicht weiß (Antwort, auch am Hauptanliegen,
    oder ein Schritt einer Zusage) – und sie möchte Rückmeldung."""
    if rueckmeldung_entbehrlich(anliegen):
        return False
    return bool(anliegen.rueckmeldung_offen_seit) or braucht_rueckmeldung(anliegen)


def per_mail_erreichbar(anliegen: Anliegen) -> bool:
    """Bekommt die Person eine Rückmeldung an alle gebündelten per E-Mail? Mit Einwilligung,
    Adresse und ohne anderen Wunsch; ohne Person ein Akteur mit Adresse."""
    meldende = anliegen.meldende
    if meldende is None:
        return bool(anliegen.akteur and anliegen.akteur.email)
    return bool(
        meldende.einwilligung
        and meldende.email
        and meldende.bevorzugter_kanal in ("", Rueckmeldekanal.EMAIL)
    )


def _gebuendelte_gesperrt(haupt: Anliegen) -> list[Anliegen]:
    """Die offenen gebündelten Anliegen, gesperrt (nach dem Hauptanliegen, nach pk)."""
    return list(
        Anliegen.objects.select_for_update(of=("self",))
        .filter(uebergeordnet=haupt)
        .exclude(status=S.ABGESCHLOSSEN)
        .select_related("meldende", "akteur", "quartier")
        .order_by("pk")
    )


def _gebuendelte_nachziehen(haupt: Anliegen, fachbereich: str) -> list[str]:
    """Antwort (oder Schritt einer Zusage) am Hauptanliegen: jede gebündelte Person wartet jetzt
    auch darauf. Gibt die Nummern zurück (für die eine Mail an das QM)."""
    nummern = []
    for b in _gebuendelte_gesperrt(haupt):
        felder = _rueckmeldung_faellig(b)
        if b.status in (S.NEU, S.IN_BEARBEITUNG):
            b.status = S.ANTWORT_LIEGT_VOR
            felder.append("status")
        if felder:
            _speichern(b, felder)
        _ereignis(
            b, "antwort_ueber_hauptanliegen", None, haupt=haupt.nummer, fachbereich=fachbereich
        )
        nummern.append(b.nummer)
    return nummern


def _gebuendelte_rueckmelden(haupt: Anliegen, *, text: str, durch: User) -> None:
    """Eine Rückmeldung je wartender, per E-Mail erreichbarer gebündelter Person (in der
    Transaktion von `rueckmelden`); die übrigen bleiben in der Liste „noch zu informieren“."""
    name = haupt.meldende.name.strip() if haupt.meldende else ""
    if len(name) >= 3 and name.casefold() in text.casefold():
        raise ValidationError(
            {
                "text": _(
                    "Der Text nennt die meldende Person dieses Anliegens; er geht auch an die "
                    "Personen der gebündelten Anliegen. Bitte ohne Namen schreiben oder „auch "
                    "an die gebündelten Anliegen“ abwählen."
                )
            }
        )
    per_mail, offen = [], []
    for b in _gebuendelte_gesperrt(haupt):
        if not wartet_auf_rueckmeldung(b):
            continue
        if per_mail_erreichbar(b):
            rueckmelden(b, text=text, kanal=Rueckmeldekanal.EMAIL, durch=durch)
            per_mail.append(b.nummer)
        else:
            offen.append(b.nummer)
    if per_mail or offen:
        _ereignis(haupt, "rueckmeldung_gebuendelte", durch, per_mail=per_mail, offen=offen)


@transaction.atomic
def buendeln(
    anliegen: Anliegen, *, unter: Anliegen, durch: User, version: int | None = None
) -> Anliegen:
    """Bündelt `anliegen` unter dem Hauptanliegen `unter` (Regeln im Modul). Hat das
    Hauptanliegen schon eine Antwort, wartet die Person des gebündelten ab jetzt darauf."""
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    if unter.pk == anliegen.pk:
        raise ValidationError(
            {"unter": _("Ein Anliegen lässt sich nicht unter sich selbst bündeln.")}
        )
    # Sperren: erst das Hauptanliegen, dann das gebündelte – wie beim Nachziehen einer Antwort.
    haupt = Anliegen.objects.select_for_update(of=("self",)).get(pk=unter.pk)
    anliegen = _sperren(ANLIEGEN, "buendeln", anliegen, version, durch=durch)
    fehler = ""
    if haupt.quartier_id != anliegen.quartier_id:
        fehler = _("Bündeln geht nur mit einem Anliegen im selben Quartier.")
    elif haupt.status == S.ABGESCHLOSSEN:
        fehler = _("Anliegen %(nummer)s ist abgeschlossen; darunter lässt sich nicht bündeln.")
    elif haupt.uebergeordnet_id:
        fehler = _(
            "Anliegen %(nummer)s ist selbst gebündelt; bitte unter seinem Hauptanliegen bündeln."
        )
    if fehler:
        raise ValidationError({"unter": fehler % {"nummer": haupt.nummer}})
    anliegen.uebergeordnet = haupt
    felder = ["uebergeordnet"]
    if haupt.weiterleitungen.filter(status=WStatus.BEANTWORTET).exists():
        felder += _rueckmeldung_faellig(anliegen)
        if anliegen.status in (S.NEU, S.IN_BEARBEITUNG):
            anliegen.status = S.ANTWORT_LIEGT_VOR
            felder.append("status")
    _speichern(anliegen, felder)
    _ereignis(anliegen, "gebuendelt", durch, haupt=haupt.nummer)
    _ereignis(haupt, "buendel_aufgenommen", durch, gebuendelt=anliegen.nummer)
    return anliegen


@transaction.atomic
def entbuendeln(anliegen: Anliegen, *, durch: User, version: int | None = None) -> Anliegen:
    """Löst die Bündelung – nicht, solange die Person auf eine Antwort des Hauptanliegens
    wartet."""
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    if anliegen.uebergeordnet_id:
        Anliegen.objects.select_for_update(of=("self",)).filter(
            pk=anliegen.uebergeordnet_id
        ).exists()
    anliegen = _sperren(ANLIEGEN, "entbuendeln", anliegen, version, durch=durch)
    haupt = anliegen.uebergeordnet
    assert haupt is not None  # Bedingung der Spezifikation
    anliegen.uebergeordnet = None
    _speichern(anliegen, ["uebergeordnet"])
    _ereignis(anliegen, "entbuendelt", durch, haupt=haupt.nummer)
    _ereignis(haupt, "buendel_geloest", durch, gebuendelt=anliegen.nummer)
    return anliegen


# --- Die Spezifikation: jede Operation genau einmal --------------------------------------
#
# Name, Beschriftung, wer darf, aus welchen Zuständen, unter welcher Bedingung, Formular und
# Ausführung. Daraus lesen: die Zustandsprüfung der Operation (`_sperren`), die Knöpfe einer
# Seite (`angeboten`), die Views (ein Ablauf in anliegen/views/schritte.py) und die URLs
# (je Operation eine feste Adresse). Eine Seite bietet eine Operation genau dann an, wenn ihr
# POST angenommen würde – Eingabefehler im Formular ausgenommen (tests/anliegen/test_matrix.py
# prüft das über alle Personas und Zustände).
#
# Eine neue Operation: ein Eintrag hier, die Funktion oben, ihre Vorlage (falls nicht die
# Standardseite) – sonst nichts.

ANLIEGEN = "anliegen"  # Gegenstand: das Anliegen (Quartiersmanagement)
WEITERLEITUNG = "weiterleitung"  # eine Weiterleitung (Fachbereich, auch per Antwortlink)
ZUSAGE = "zusage"  # die Zusage einer beantworteten Weiterleitung (Fachbereich)

_MODELLE: dict[str, type[Model]] = {
    ANLIEGEN: Anliegen,
    WEITERLEITUNG: Weiterleitung,
    ZUSAGE: Zusage,
}


def _immer(obj: Any) -> str:
    return ""


@dataclass(frozen=True)
class Operation:
    """Ein Schritt des Kreislaufs, wie ihn Operation, Seite, View und URL gemeinsam lesen.

    `ausfuehren(obj, daten, durch=… | per_link=…)` ruft die Operation oben mit den
    bereinigten Formulardaten auf und gibt die Erfolgsmeldung zurück. `bedingung(obj)` nennt
    den Grund, warum es jetzt nicht geht (leer: es geht) – zusätzlich zu `von`."""

    name: str
    gegenstand: str
    label: str | Promise
    titel: str | Promise
    von: frozenset[str]
    formular: str
    ausfuehren: Callable[..., str]
    darf: Callable[[User, Any], bool]
    bedingung: Callable[[Any], str] = _immer
    per_link: bool = False
    link_formular: str = ""
    stil: str = "secondary"
    vorlage: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def modell(self) -> type[Model]:
        return _MODELLE[self.gegenstand]

    @property
    def url_name(self) -> str:
        """`anliegen:<name>`, `anliegen:eingang_<name>` bzw. für den Link
        `anliegen:antwortlink_<name>`."""
        return self.name if self.gegenstand == ANLIEGEN else f"eingang_{self.name}"

    def grund_dagegen(self, obj: Any) -> str:
        """Warum die Operation im jetzigen Zustand nicht geht; leer, wenn sie geht."""
        if obj.status not in self.von:
            return _("Das geht im Status „%(status)s“ nicht.") % {
                "status": obj.get_status_display()
            }
        return self.bedingung(obj)

    def formular_klasse(self, per_link: bool = False) -> Callable[..., Form]:
        klasse: Callable[..., Form] = import_string(
            self.link_formular if per_link else self.formular
        )
        return klasse


def _anliegen_von(obj: Any) -> Anliegen:
    return obj if isinstance(obj, Anliegen) else obj.anliegen


def _qm(user: User, anliegen: Anliegen) -> bool:
    return permissions.darf_bearbeiten(user, anliegen)


def _fb(user: User, weiterleitung: Weiterleitung) -> bool:
    return permissions.darf_weiterleitung_bearbeiten(user, weiterleitung)


def _fb_zusage(user: User, zusage: Zusage) -> bool:
    return permissions.darf_weiterleitung_bearbeiten(user, zusage.weiterleitung)


# -- Bedingungen (zusätzlich zum Status) --


def _nicht_gebuendelt(a: Anliegen) -> str:
    if a.uebergeordnet_id:
        return _(
            "Dieses Anliegen ist gebündelt; weitergeleitet wird das Hauptanliegen. Zum "
            "eigenen Weiterleiten bitte zuerst die Bündelung lösen."
        )
    return ""


def _etwas_mitzuteilen(a: Anliegen) -> str:
    # Nach dem Abschluss nur, wenn noch etwas wartet (ein Schritt einer Zusage).
    if a.status == S.ABGESCHLOSSEN and not a.rueckmeldung_offen_seit:
        return _("Das Anliegen ist abgeschlossen, und es wartet nichts auf Rückmeldung.")
    return ""


def _person_weiss_bescheid(a: Anliegen) -> str:
    # Die Detailseite rechnet `braucht_rueckmeldung` ohnehin und legt es vorab ab.
    braucht = getattr(a, "braucht_rueckmeldung_vorab", None)
    if braucht is None:
        braucht = braucht_rueckmeldung(a)
    if braucht and not rueckmeldung_entbehrlich(a):
        return _(
            "Der Fachbereich hat geantwortet. Bitte zuerst festhalten, wie die Person die "
            "Antwort erfahren hat (Rückmeldung); erst dann lässt sich das Anliegen abschließen."
        )
    return ""


def _buendelbar(a: Anliegen) -> str:
    if a.uebergeordnet_id:
        return _("Dieses Anliegen ist schon gebündelt; bitte zuerst die Bündelung lösen.")
    # Die Detailseite liefert `hat_gebuendelte` als Annotation mit (keine eigene Abfrage).
    hat_gebuendelte = getattr(a, "hat_gebuendelte", None)
    if hat_gebuendelte is None:
        hat_gebuendelte = a.gebuendelte.exists()
    if hat_gebuendelte:
        return _(
            "Unter diesem Anliegen sind selbst Anliegen gebündelt; gebündelt wird nur eine Ebene."
        )
    return ""


def _entbuendelbar(a: Anliegen) -> str:
    if not a.uebergeordnet_id:
        return _("Dieses Anliegen ist nicht gebündelt.")
    if wartet_auf_rueckmeldung(a):
        return _(
            "Die Person wartet noch auf die Antwort aus Anliegen %(nummer)s. Bitte zuerst "
            "die Rückmeldung festhalten; dann lässt sich die Bündelung lösen."
        ) % {"nummer": a.uebergeordnet.nummer if a.uebergeordnet else ""}
    return ""


# -- Ausführungen: Formulardaten → Operation → Erfolgsmeldung --


def _weg(a: Anliegen, d: dict, *, durch: User) -> str:
    weg_festlegen(
        a,
        weg=d["weg"],
        vermittelt_an=d["vermittelt_an"],
        vermittelt_an_text=d["vermittelt_an_text"],
        durch=durch,
        version=d["version"],
    )
    return _("Der Weg ist festgelegt.")


def _weiterleiten(a: Anliegen, d: dict, *, durch: User) -> str:
    weiterleiten(
        a,
        an=d["an"],
        nachricht=d["nachricht"],
        frist=d["frist"],
        kontakt_teilen=d.get("kontakt_teilen", False),
        durch=durch,
        version=d["version"],
    )
    return _("Das Anliegen ist weitergeleitet; der Fachbereich wird benachrichtigt.")


def _rueckmelden(a: Anliegen, d: dict, *, durch: User) -> str:
    rueckmelden(
        a,
        text=d["text"],
        kanal=d["kanal"],
        erreicht=d["erreicht"],
        durch=durch,
        version=d["version"],
        an_gebuendelte=d.get("an_gebuendelte", False),
    )
    return _("Die Rückmeldung ist festgehalten.")


def _abschliessen(a: Anliegen, d: dict, *, durch: User) -> str:
    abschliessen(
        a,
        grund=d["grund"],
        durch=durch,
        version=d["version"],
        gebuendelte=bool(d.get("gebuendelte")),
    )
    return _("Das Anliegen ist abgeschlossen.")


def _wiedereroeffnen(a: Anliegen, d: dict, *, durch: User) -> str:
    wiedereroeffnen(a, grund=d["grund"], durch=durch, version=d["version"])
    return _("Das Anliegen ist wieder geöffnet.")


def _notiz(a: Anliegen, d: dict, *, durch: User) -> str:
    # `notiz` selbst lässt QM und Fachbereich zu; diese Operation nur das QM.
    _recht_pruefen(operation(ANLIEGEN, "notiz"), a, durch, None)
    notiz(a, text=d["text"], intern=d["intern"], durch=durch, einreichung=d["einreichung"])
    return _("Die Notiz ist im Verlauf.")


def _buendeln(a: Anliegen, d: dict, *, durch: User) -> str:
    if not _qm(durch, a):
        raise PermissionDenied  # vor dem Nachschlagen: wer nicht darf, erfährt nichts
    haupt = permissions.sichtbare_anliegen(durch).filter(nummer=d["gewaehlt"]).first()
    if haupt is None:
        raise ValidationError(
            {"nummer": _("Ein Anliegen %(nummer)s gibt es nicht.") % {"nummer": d["gewaehlt"]}}
        )
    try:
        buendeln(a, unter=haupt, durch=durch, version=d["version"])
    except UngueltigerUebergang:
        raise
    except ValidationError as fehler:
        if hasattr(fehler, "error_dict") and "unter" in fehler.error_dict:
            # Auf der Seite heißt das Feld für die Nummer des Hauptanliegens `nummer`.
            raise ValidationError({"nummer": fehler.error_dict["unter"]}) from fehler
        raise
    return _("Das Anliegen ist unter %(nummer)s gebündelt.") % {"nummer": haupt.nummer}


def _entbuendeln(a: Anliegen, d: dict, *, durch: User) -> str:
    entbuendeln(a, durch=durch, version=d["version"])
    return _("Die Bündelung ist gelöst.")


def _annehmen(w: Weiterleitung, d: dict, **wer: Any) -> str:
    annehmen(w, version=d["version"], **wer)
    return _("Angenommen. Ihr Fachbereich ist jetzt zuständig.")


def _zurueckgeben(w: Weiterleitung, d: dict, **wer: Any) -> str:
    zurueckgeben(
        w,
        zustaendig_fachbereich=d["zustaendig_fachbereich"],
        hinweis=d["hinweis"],
        version=d["version"],
        **wer,
    )
    return _("Zurückgegeben; das Quartiersmanagement ist benachrichtigt.")


def _beantworten(w: Weiterleitung, d: dict, **wer: Any) -> str:
    beantworten(
        w,
        entscheidung=d["entscheidung"],
        antwort=d["antwort"],
        erwartet_am=d["erwartet_am"],
        ablehnungsgrund=d["ablehnungsgrund"],
        version=d["version"],
        **wer,
    )
    if d["entscheidung"] == Entscheidung.ZWISCHENBESCHEID:
        return _("Der Zwischenbescheid ist festgehalten; die Weiterleitung bleibt offen.")
    return _("Die Antwort ist gespeichert; das Quartiersmanagement ist benachrichtigt.")


def _fb_notiz(w: Weiterleitung, d: dict, *, durch: User) -> str:
    _recht_pruefen(operation(WEITERLEITUNG, "notiz"), w, durch, None)
    notiz(w.anliegen, text=d["text"], durch=durch, einreichung=d["einreichung"])
    return _("Die Notiz ist gespeichert.")


def _zusage_eingehalten(z: Zusage, d: dict, *, durch: User) -> str:
    zusage_eingehalten(z, text=d["text"], durch=durch, version=d["version"])
    return _("Die Zusage ist als eingehalten vermerkt; das Quartiersmanagement ist benachrichtigt.")


def _zusage_verschieben(z: Zusage, d: dict, *, durch: User) -> str:
    zusage_verschieben(
        z, neues_datum=d["neues_datum"], grund=d["grund"], durch=durch, version=d["version"]
    )
    return _("Die Zusage ist verschoben; das Quartiersmanagement ist benachrichtigt.")


def _zusage_entfallen(z: Zusage, d: dict, *, durch: User) -> str:
    zusage_entfallen(z, grund=d["grund"], durch=durch, version=d["version"])
    return _("Die Zusage ist als entfallen vermerkt; das Quartiersmanagement ist benachrichtigt.")


_OFFEN = frozenset({S.NEU, S.IN_BEARBEITUNG, S.WEITERGELEITET, S.ANTWORT_LIEGT_VOR})
_F = "anliegen.forms.anliegen."
_E = "anliegen.forms.eingang."

# In der Reihenfolge der Knöpfe.
SPEZIFIKATION: tuple[Operation, ...] = (
    Operation(
        name="weg",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Weg festlegen"),
        titel=gettext_lazy("Weg festlegen"),
        von=frozenset({S.NEU, S.IN_BEARBEITUNG}),
        formular=_F + "WegForm",
        ausfuehren=_weg,
        darf=_qm,
        stil="primary",
    ),
    Operation(
        name="weiterleiten",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Weiterleiten"),
        titel=gettext_lazy("Weiterleiten"),
        von=_OFFEN,
        formular=_F + "WeiterleitenForm",
        ausfuehren=_weiterleiten,
        darf=_qm,
        bedingung=_nicht_gebuendelt,
        stil="primary",
    ),
    Operation(
        name="rueckmelden",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Rückmeldung festhalten"),
        titel=gettext_lazy("Rückmeldung festhalten"),
        von=frozenset(S.values),
        formular=_F + "RueckmeldenForm",
        ausfuehren=_rueckmelden,
        darf=_qm,
        bedingung=_etwas_mitzuteilen,
        stil="primary",
    ),
    Operation(
        name="abschliessen",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Abschließen"),
        titel=gettext_lazy("Anliegen abschließen"),
        von=_OFFEN,
        formular=_F + "AbschliessenForm",
        ausfuehren=_abschliessen,
        darf=_qm,
        bedingung=_person_weiss_bescheid,
    ),
    Operation(
        name="wiedereroeffnen",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Wieder öffnen"),
        titel=gettext_lazy("Anliegen wieder öffnen"),
        von=frozenset({S.ABGESCHLOSSEN}),
        formular=_F + "WiedereroeffnenForm",
        ausfuehren=_wiedereroeffnen,
        darf=_qm,
    ),
    Operation(
        name="buendeln",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Bündeln unter …"),
        titel=gettext_lazy("Bündeln unter einem Hauptanliegen"),
        von=frozenset({S.NEU, S.IN_BEARBEITUNG, S.ANTWORT_LIEGT_VOR}),
        formular=_F + "BuendelnForm",
        ausfuehren=_buendeln,
        darf=_qm,
        bedingung=_buendelbar,
        vorlage="anliegen/buendeln.html",
    ),
    Operation(
        name="entbuendeln",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Bündelung lösen"),
        titel=gettext_lazy("Bündelung lösen"),
        von=frozenset(S.values),
        formular=_F + "EntbuendelnForm",
        ausfuehren=_entbuendeln,
        darf=_qm,
        bedingung=_entbuendelbar,
        vorlage="anliegen/entbuendeln.html",
    ),
    Operation(
        name="notiz",
        gegenstand=ANLIEGEN,
        label=gettext_lazy("Notiz"),
        titel=gettext_lazy("Notiz schreiben"),
        von=frozenset(S.values),
        formular=_F + "NotizForm",
        ausfuehren=_notiz,
        darf=_qm,
    ),
    Operation(
        name="annehmen",
        gegenstand=WEITERLEITUNG,
        label=gettext_lazy("Annehmen"),
        titel=gettext_lazy("Weiterleitung annehmen"),
        von=frozenset({WStatus.OFFEN}),
        formular=_E + "AnnehmenForm",
        ausfuehren=_annehmen,
        darf=_fb,
        per_link=True,
        link_formular=_E + "LinkAnnehmenForm",
        stil="primary",
    ),
    Operation(
        name="beantworten",
        gegenstand=WEITERLEITUNG,
        label=gettext_lazy("Antworten"),
        titel=gettext_lazy("Antworten"),
        von=frozenset({WStatus.IN_BEARBEITUNG}),
        formular=_E + "BeantwortenForm",
        ausfuehren=_beantworten,
        darf=_fb,
        per_link=True,
        link_formular=_E + "LinkBeantwortenForm",
        stil="primary",
    ),
    Operation(
        name="zurueckgeben",
        gegenstand=WEITERLEITUNG,
        label=gettext_lazy("Nicht zuständig"),
        titel=gettext_lazy("Nicht zuständig – zurückgeben"),
        von=frozenset(OFFENE_WSTATUS),
        formular=_E + "ZurueckgebenForm",
        ausfuehren=_zurueckgeben,
        darf=_fb,
        per_link=True,
        link_formular=_E + "LinkZurueckgebenForm",
    ),
    Operation(
        name="zusage_eingehalten",
        gegenstand=ZUSAGE,
        label=gettext_lazy("Zusage eingehalten"),
        titel=gettext_lazy("Zusage eingehalten"),
        von=frozenset(OFFENE_ZSTATUS),
        formular=_E + "ZusageEingehaltenForm",
        ausfuehren=_zusage_eingehalten,
        darf=_fb_zusage,
        stil="primary",
    ),
    Operation(
        name="zusage_verschieben",
        gegenstand=ZUSAGE,
        label=gettext_lazy("Zusage verschieben"),
        titel=gettext_lazy("Zusage verschieben"),
        von=frozenset(OFFENE_ZSTATUS),
        formular=_E + "ZusageVerschiebenForm",
        ausfuehren=_zusage_verschieben,
        darf=_fb_zusage,
    ),
    Operation(
        name="zusage_entfallen",
        gegenstand=ZUSAGE,
        label=gettext_lazy("Zusage entfällt"),
        titel=gettext_lazy("Zusage entfällt"),
        von=frozenset(OFFENE_ZSTATUS),
        formular=_E + "ZusageEntfallenForm",
        ausfuehren=_zusage_entfallen,
        darf=_fb_zusage,
    ),
    Operation(
        name="notiz",
        gegenstand=WEITERLEITUNG,
        label=gettext_lazy("Notiz"),
        titel=gettext_lazy("Notiz"),
        von=frozenset(WStatus.values),
        formular=_E + "NotizForm",
        ausfuehren=_fb_notiz,
        darf=_fb,
    ),
)

# Eindeutig je Gegenstand (tests/anliegen/test_matrix.py prüft es).
_NACH_NAME = {(op.gegenstand, op.name): op for op in SPEZIFIKATION}


def operation(gegenstand: str, name: str) -> Operation:
    """Die Operation `name` für den Gegenstand; unbekannt: KeyError."""
    return _NACH_NAME[(gegenstand, name)]


def operationen(gegenstand: str, *, per_link: bool = False) -> list[Operation]:
    """Alle Operationen eines Gegenstands (für die URLs), per Link nur die dafür freigegebenen."""
    return [
        op for op in SPEZIFIKATION if op.gegenstand == gegenstand and (op.per_link or not per_link)
    ]


def angeboten(
    op: Operation, obj: Any, *, durch: User | None = None, link: Antwortlink | None = None
) -> bool:
    """Würde der POST dieser Operation jetzt angenommen (Recht und Zustand)? Dieselben
    Prüfungen wie `_sperren`, ohne Sperre."""
    if link is not None:
        recht = op.per_link and isinstance(obj, Weiterleitung) and link.gilt_fuer(obj)
    else:
        recht = durch is not None and op.darf(durch, obj)
    return recht and not op.grund_dagegen(obj)


def angebotene(
    gegenstand: str, obj: Any, *, durch: User | None = None, link: Antwortlink | None = None
) -> list[Operation]:
    """Die Knöpfe einer Seite für `obj`, in Reihenfolge der Spezifikation. Für die Zusage
    einer Weiterleitung `obj=weiterleitung.zusage_falls_vorhanden` übergeben."""
    if obj is None:
        return []
    ops = operationen(gegenstand, per_link=link is not None)
    if link is None:
        # Jedes Recht einmal prüfen (eine Abfrage je Prädikat, nicht je Knopf).
        rechte: dict[Callable[[User, Any], bool], bool] = {}
        for op in ops:
            if op.darf not in rechte:
                rechte[op.darf] = durch is not None and op.darf(durch, obj)
        return [op for op in ops if rechte[op.darf] and not op.grund_dagegen(obj)]
    return [op for op in ops if angeboten(op, obj, link=link)]
