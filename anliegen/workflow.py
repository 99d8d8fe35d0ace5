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
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netzwerke.models import Akteur
from quartier.models import Fachbereich, User

from . import permissions, verlauf
from .anhaenge import GepruefteDatei
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


class UngueltigerUebergang(ValidationError):
    """Die Operation passt nicht zum aktuellen Zustand."""


class Konflikt(ValidationError):
    """Jemand anderes hat inzwischen geändert (optimistisches Sperren)."""


# --- Hilfen ------------------------------------------------------------------------------


def _sperren(modell: type[Model], obj, erlaubt: Iterable[str], version: int | None):
    gesperrt = modell.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if version is not None and gesperrt.version != version:
        raise Konflikt(
            _(
                "Das wurde inzwischen von jemand anderem geändert. Ihre Eingaben sind nicht "
                "gespeichert; bitte prüfen Sie den aktuellen Stand und versuchen Sie es erneut."
            )
        )
    if gesperrt.status not in erlaubt:
        raise UngueltigerUebergang(
            _("Das geht im Status „%(status)s“ nicht.") % {"status": gesperrt.get_status_display()}
        )
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
    **daten,
) -> None:
    verlauf.anhaengen(anliegen, art, von=durch, intern=intern, per_link=per_link, **daten)


def _handelnde_pruefen(
    weiterleitung: Weiterleitung, durch: User | None, per_link: PerLink | None
) -> None:
    """Das Recht für Annehmen, Zurückgeben, Beantworten: Konto des adressierten Fachbereichs
    oder ein gültiger Antwortlink genau dieser Weiterleitung. Läuft in der Transaktion der
    Operation; die Zeile des Links wird gesperrt, damit ein gleichzeitiger Widerruf gewinnt
    oder wartet, nie halb."""
    if per_link is None:
        if durch is None or not permissions.darf_weiterleitung_bearbeiten(durch, weiterleitung):
            raise PermissionDenied
        return
    if durch is not None:
        raise PermissionDenied  # entweder Konto oder Link, nie beides
    link = Antwortlink.objects.select_for_update(of=("self",)).filter(pk=per_link.link.pk).first()
    if link is None or not link.gilt_fuer(weiterleitung):
        raise PermissionDenied
    if not per_link.name.strip():
        raise ValidationError({"name": _("Bitte geben Sie Ihren Namen an.")})


def _link_genutzt(per_link: PerLink | None) -> None:
    if per_link is not None:
        Antwortlink.objects.filter(pk=per_link.link.pk).update(
            nutzungen=F("nutzungen") + 1, zuletzt_genutzt_am=timezone.now()
        )


def _speichern(obj, felder: list[str]) -> None:
    obj.version += 1
    obj.save(update_fields=[*felder, "version"])


def _link(name: str, *args) -> str:
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
        vorhanden = Anliegen.objects.filter(einreichung=einreichung).first()
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
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    anliegen = _sperren(Anliegen, anliegen, [S.NEU, S.IN_BEARBEITUNG], version)
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
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    anliegen = _sperren(
        Anliegen,
        anliegen,
        [S.NEU, S.IN_BEARBEITUNG, S.WEITERGELEITET, S.ANTWORT_LIEGT_VOR],
        version,
    )
    if anliegen.uebergeordnet_id:
        raise UngueltigerUebergang(
            _(
                "Dieses Anliegen ist gebündelt; weitergeleitet wird das Hauptanliegen. Zum "
                "eigenen Weiterleiten bitte zuerst die Bündelung lösen."
            )
        )
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
    anliegen = Anliegen.objects.select_for_update(of=("self",)).get(pk=weiterleitung.anliegen_id)
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
    _handelnde_pruefen(weiterleitung, durch, per_link)
    weiterleitung = _sperren(Weiterleitung, weiterleitung, [WStatus.OFFEN], version)
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
    _handelnde_pruefen(weiterleitung, durch, per_link)
    weiterleitung = _sperren(Weiterleitung, weiterleitung, OFFENE_WSTATUS, version)
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
    _handelnde_pruefen(weiterleitung, durch, per_link)
    weiterleitung = _sperren(Weiterleitung, weiterleitung, [WStatus.IN_BEARBEITUNG], version)
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
        erwartet_am=erwartet_am.isoformat() if weiterleitung.erwartet_am else "",
        grund=str(weiterleitung.ablehnungsgrund or ""),
    )
    _link_genutzt(per_link)
    if entscheidung == Entscheidung.WIRD_UMGESETZT:
        # Die Zusage wird nachgehalten: am erwarteten Datum fragt `manage.py erinnerungen`
        # beim Fachbereich nach, ob sie eingehalten ist.
        Zusage.objects.create(
            weiterleitung=weiterleitung, zugesagt_fuer=erwartet_am, faellig_am=erwartet_am
        )
    _anliegen_nachziehen(weiterleitung, Entscheidung(entscheidung).label, antwort=True)
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
    weiterleitung = _sperren(Weiterleitung, weiterleitung, OFFENE_WSTATUS, None)
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
            "antwortlink": link,
            "antwortlink_url": _link("anliegen:antwortlink", schluessel),
            "link": _link("anliegen:eingang_detail", weiterleitung.pk),
        },
        [weiterleitung.fachbereich.email],
    )
    return link


# --- Zusagen: eingehalten, verschoben, entfallen ----------------------------------------


def _zusage_schritt(zusage: Zusage, durch: User, version: int | None) -> tuple[Zusage, Anliegen]:
    """Recht prüfen, Zusage (nur offene) und Anliegen sperren."""
    if not permissions.darf_weiterleitung_bearbeiten(durch, zusage.weiterleitung):
        raise PermissionDenied
    zusage = _sperren(Zusage, zusage, OFFENE_ZSTATUS, version)
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
    zusage, anliegen = _zusage_schritt(zusage, durch, version)
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
    zusage, anliegen = _zusage_schritt(zusage, durch, version)
    fehler: dict[str, str] = {}
    if not neues_datum:
        fehler["neues_datum"] = _("Bitte das neue Datum angeben.")
    elif neues_datum <= timezone.localdate():
        fehler["neues_datum"] = _("Das neue Datum muss in der Zukunft liegen.")
    if not grund.strip():
        fehler["grund"] = _("Bitte den Grund für die Verschiebung nennen.")
    if fehler:
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
    zusage, anliegen = _zusage_schritt(zusage, durch, version)
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
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    anliegen = _sperren(Anliegen, anliegen, list(S), version)
    if anliegen.status == S.ABGESCHLOSSEN and not anliegen.rueckmeldung_offen_seit:
        # Nach dem Abschluss nur, wenn noch etwas wartet (ein Schritt einer Zusage).
        raise UngueltigerUebergang(
            _("Das geht im Status „%(status)s“ nicht.") % {"status": anliegen.get_status_display()}
        )
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
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    erlaubt = [S.NEU, S.IN_BEARBEITUNG, S.ANTWORT_LIEGT_VOR]
    if grund in (Abschlussgrund.DUPLIKAT, Abschlussgrund.ZURUECKGEZOGEN):
        erlaubt.append(S.WEITERGELEITET)
    anliegen = _sperren(Anliegen, anliegen, erlaubt, version)
    if grund not in Abschlussgrund.values:
        raise ValidationError({"grund": _("Bitte einen Abschlussgrund wählen.")})
    entbehrlich = rueckmeldung_entbehrlich(anliegen)
    if braucht_rueckmeldung(anliegen) and not entbehrlich:
        raise ValidationError(
            _(
                "Der Fachbereich hat geantwortet. Bitte zuerst festhalten, wie die Person die "
                "Antwort erfahren hat (Rückmeldung); erst dann lässt sich das Anliegen abschließen."
            ),
            code="rueckmeldung_fehlt",
        )
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
            {"anliegen": anliegen, "grund": Abschlussgrund(grund).label},
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
    if not permissions.darf_bearbeiten(durch, anliegen):
        raise PermissionDenied
    anliegen = _sperren(Anliegen, anliegen, [S.ABGESCHLOSSEN], version)
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
    fachbereich = durch.fachbereich.kuerzel if durch.fachbereich_id else ""
    daten = {"text": text.strip(), "fachbereich": fachbereich}
    if schluessel:
        daten["einreichung"] = schluessel
    _ereignis(anliegen, "notiz", durch, intern=intern, **daten)
    return True


# --- Was wem wann angeboten wird (Knöpfe auf den Seiten) ---------------------------------

ANLIEGEN_OPERATIONEN = {
    "weg": [S.NEU, S.IN_BEARBEITUNG],
    "weiterleiten": [S.NEU, S.IN_BEARBEITUNG, S.WEITERGELEITET, S.ANTWORT_LIEGT_VOR],
    "rueckmelden": [S.NEU, S.IN_BEARBEITUNG, S.WEITERGELEITET, S.ANTWORT_LIEGT_VOR],
    "abschliessen": [S.NEU, S.IN_BEARBEITUNG, S.WEITERGELEITET, S.ANTWORT_LIEGT_VOR],
    "wiedereroeffnen": [S.ABGESCHLOSSEN],
    "notiz": [S.NEU, S.IN_BEARBEITUNG, S.WEITERGELEITET, S.ANTWORT_LIEGT_VOR, S.ABGESCHLOSSEN],
}

WEITERLEITUNG_OPERATIONEN = {
    "annehmen": [WStatus.OFFEN],
    "zurueckgeben": [WStatus.OFFEN, WStatus.IN_BEARBEITUNG],
    "beantworten": [WStatus.IN_BEARBEITUNG],
}

# Schritte einer offenen Zusage (an der beantworteten Weiterleitung).
ZUSAGE_OPERATIONEN = ("zusage_eingehalten", "zusage_verschieben", "zusage_entfallen")


def moegliche_operationen(user: User, anliegen: Anliegen) -> list[str]:
    """Die Aktionen des QM auf der Anliegen-Seite, in Reihenfolge der Knöpfe.

    Abschließen wird auch angeboten, wenn noch eine Rückmeldung fehlt: die Seite erklärt
    dann, warum es (noch) nicht geht, statt den Knopf stumm zu verstecken.
    """
    if not permissions.darf_bearbeiten(user, anliegen):
        return []
    namen = [name for name, status in ANLIEGEN_OPERATIONEN.items() if anliegen.status in status]
    if anliegen.uebergeordnet_id and "weiterleiten" in namen:
        namen.remove("weiterleiten")  # weitergeleitet wird das Hauptanliegen
    if anliegen.status == S.ABGESCHLOSSEN and anliegen.rueckmeldung_offen_seit:
        # Ein Schritt einer Zusage nach dem Abschluss: die Person soll ihn erfahren.
        namen.insert(0, "rueckmelden")
    return namen


def moegliche_weiterleitungsoperationen(user: User, weiterleitung: Weiterleitung) -> list[str]:
    if not permissions.darf_weiterleitung_bearbeiten(user, weiterleitung):
        return []
    namen = [n for n, status in WEITERLEITUNG_OPERATIONEN.items() if weiterleitung.status in status]
    if weiterleitung.offene_zusage:
        namen.extend(ZUSAGE_OPERATIONEN)
    return namen


def moegliche_linkoperationen(link: Antwortlink, weiterleitung: Weiterleitung) -> list[str]:
    """Dieselben Schritte wie im Posteingang, wenn der Link für diese Weiterleitung gilt."""
    if not link.gilt_fuer(weiterleitung):
        return []
    return [n for n, status in WEITERLEITUNG_OPERATIONEN.items() if weiterleitung.status in status]


# --- Bündeln (siehe Modul) ---------------------------------------------------------------

BUENDELBAR = [S.NEU, S.IN_BEARBEITUNG, S.ANTWORT_LIEGT_VOR]


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
        return bool(anliegen.akteur_id and anliegen.akteur.email)
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
    anliegen = _sperren(Anliegen, anliegen, BUENDELBAR, version)
    fehler = ""
    if haupt.quartier_id != anliegen.quartier_id:
        fehler = _("Bündeln geht nur mit einem Anliegen im selben Quartier.")
    elif haupt.status == S.ABGESCHLOSSEN:
        fehler = _("Anliegen %(nummer)s ist abgeschlossen; darunter lässt sich nicht bündeln.")
    elif haupt.uebergeordnet_id:
        fehler = _(
            "Anliegen %(nummer)s ist selbst gebündelt; bitte unter seinem Hauptanliegen bündeln."
        )
    elif anliegen.uebergeordnet_id:
        fehler = _("Dieses Anliegen ist schon gebündelt; bitte zuerst die Bündelung lösen.")
    elif anliegen.gebuendelte.exists():
        fehler = _(
            "Unter diesem Anliegen sind selbst Anliegen gebündelt; gebündelt wird nur eine Ebene."
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
    anliegen = _sperren(Anliegen, anliegen, list(S), version)
    haupt = anliegen.uebergeordnet
    if haupt is None:
        raise UngueltigerUebergang(_("Dieses Anliegen ist nicht gebündelt."))
    if wartet_auf_rueckmeldung(anliegen):
        raise ValidationError(
            _(
                "Die Person wartet noch auf die Antwort aus Anliegen %(nummer)s. Bitte zuerst "
                "die Rückmeldung festhalten; dann lässt sich die Bündelung lösen."
            )
            % {"nummer": haupt.nummer},
            code="rueckmeldung_fehlt",
        )
    anliegen.uebergeordnet = None
    _speichern(anliegen, ["uebergeordnet"])
    _ereignis(anliegen, "entbuendelt", durch, haupt=haupt.nummer)
    _ereignis(haupt, "buendel_geloest", durch, gebuendelt=anliegen.nummer)
    return anliegen
