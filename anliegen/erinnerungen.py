"""Erinnerungen, Eskalationen und Nachfragen – was `manage.py erinnerungen` täglich verschickt.

| Art | wann (N in Arbeitstagen) | an |
|---|---|---|
| frist | Weiterleitung offen, Frist verstrichen | Fachbereich |
| frist_eskalation | … und seit der Frist QL_ESKALATION_ARBEITSTAGE vergangen | zuständiges QM |
| wachhund | angenommen, QL_WACHHUND_ARBEITSTAGE still, Frist läuft noch | Fachbereich |
| rueckmeldung | Antwort wartet QL_RUECKMELDEFRIST_ARBEITSTAGE auf Rückmeldung | zuständiges QM |
| zusage | Zusage offen, Datum erreicht | Fachbereich |
| zusage_eskalation | … und seitdem QL_ESKALATION_ARBEITSTAGE vergangen | zuständiges QM |

Jede Erinnerung geht einmal je Gegenstand und Bezugsdatum (Frist, letztes Lebenszeichen,
Beginn der Wartezeit, Fälligkeit der Zusage): Die Zeile `Erinnerung` ist eindeutig, Mail und
Ereignis im Verlauf entstehen in derselben Transaktion. Ein zweiter Lauf am selben Tag (oder
ein gleichzeitiger) verschickt nichts doppelt. Ändert sich das Bezugsdatum (Zwischenbescheid,
neue Antwort nach einer Rückmeldung, Zusage verschoben), kann wieder erinnert werden.

Mails nennen nie Daten der meldenden Person: Nummer, Titel, Quartier, Fachbereich, Daten, Link.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.models import Fachbereich, Quartiersmanagement, Rolle, User

from . import verlauf
from .fristen import stichtag
from .models import (
    Anliegen,
    EreignisArt,
    Erinnerung,
    ErinnerungsArt,
    Weiterleitung,
    WStatus,
    Zusage,
)
from .workflow import _link, _mail

A = ErinnerungsArt


@dataclass
class Faellig:
    """Eine Erinnerung, die heute an der Reihe ist (noch nicht unbedingt verschickt)."""

    art: str
    anliegen: Anliegen
    bezug: datetime.date
    empfaenger: list[str]
    betreff: str
    text: str
    weiterleitung: Weiterleitung | None = None
    fachbereich: str = field(default="")

    def schon_verschickt(self) -> bool:
        if self.weiterleitung is not None:
            return Erinnerung.objects.filter(
                art=self.art, weiterleitung=self.weiterleitung, bezug=self.bezug
            ).exists()
        return Erinnerung.objects.filter(
            art=self.art, anliegen=self.anliegen, weiterleitung=None, bezug=self.bezug
        ).exists()


def fachbereich_adressen(fachbereich: Fachbereich) -> list[str]:
    """Das Postfach des Fachbereichs; ohne Postfach seine aktiven Mitarbeitenden."""
    if fachbereich.email:
        return [fachbereich.email]
    return list(
        User.objects.filter(fachbereich=fachbereich, rolle=Rolle.FACHBEREICH, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _qm_adressen(anliegen: Anliegen) -> list[str]:
    """Die zuständige Person; ist sie nicht mehr aktiv oder ohne E-Mail, das aktive
    Quartiersmanagement des Quartiers (laufende Stellen), damit keine Eskalation ins Leere geht."""
    zustaendig = anliegen.zustaendig
    if zustaendig.is_active and zustaendig.email:
        return [zustaendig.email]
    stellen = Quartiersmanagement.objects.aktiv().filter(quartiere=anliegen.quartier_id)
    return list(
        User.objects.filter(
            is_active=True, rolle=Rolle.QUARTIERSMANAGEMENT, stellen__in=stellen.values("pk")
        )
        .exclude(email="")
        .order_by("username")
        .values_list("email", flat=True)
        .distinct()
    )


def _d(tag: datetime.date) -> str:
    return tag.strftime("%d.%m.%Y")


def _kopf(anliegen: Anliegen) -> dict:
    return {"nummer": anliegen.nummer, "titel": anliegen.titel, "quartier": anliegen.quartier}


def faellige(heute: datetime.date) -> Iterator[Faellig]:
    """Alle Erinnerungen, die am Tag `heute` an der Reihe sind – auch schon verschickte."""
    eskalation = stichtag(heute, settings.QL_ESKALATION_ARBEITSTAGE)

    weiterleitungen = Weiterleitung.objects.select_related(
        "fachbereich", "anliegen__quartier", "anliegen__zustaendig"
    )
    for w in weiterleitungen.ueberfaellig(heute).order_by("frist", "pk"):
        a = w.anliegen
        daten = {**_kopf(a), "fb": w.fachbereich, "frist": _d(w.frist)}
        yield Faellig(
            art=A.FRIST,
            anliegen=a,
            weiterleitung=w,
            fachbereich=w.fachbereich.kuerzel,
            bezug=w.frist,
            empfaenger=fachbereich_adressen(w.fachbereich),
            betreff=_("Erinnerung: Antwort zu Anliegen %(nummer)s ist überfällig") % daten,
            text=_(
                "Guten Tag,\n\ndie Antwortfrist für das Anliegen %(nummer)s „%(titel)s“ "
                "(Quartier %(quartier)s) ist am %(frist)s verstrichen. Bitte antworten Sie "
                "oder geben Sie einen Zwischenbescheid.\n%(link)s"
            )
            % {**daten, "link": _link("anliegen:eingang_detail", w.pk)},
        )
        if w.frist < eskalation:
            yield Faellig(
                art=A.FRIST_ESKALATION,
                anliegen=a,
                weiterleitung=w,
                fachbereich=w.fachbereich.kuerzel,
                bezug=w.frist,
                empfaenger=_qm_adressen(a),
                betreff=_("Eskalation: %(fb)s hat zu Anliegen %(nummer)s nicht geantwortet")
                % daten,
                text=_(
                    "Guten Tag,\n\n%(fb)s hat auf das Anliegen %(nummer)s „%(titel)s“ trotz "
                    "Erinnerung nicht geantwortet; die Frist war der %(frist)s. Bitte fragen "
                    "Sie nach.\n%(link)s"
                )
                % {**daten, "link": _link("anliegen:detail", a.nummer)},
            )

    still = stichtag(heute, settings.QL_WACHHUND_ARBEITSTAGE)
    for w in weiterleitungen.filter(
        status=WStatus.IN_BEARBEITUNG, frist__gte=heute, lebenszeichen_am__date__lt=still
    ).order_by("lebenszeichen_am", "pk"):
        a = w.anliegen
        seit = timezone.localdate(w.lebenszeichen_am)
        daten = {**_kopf(a), "fb": w.fachbereich, "seit": _d(seit), "frist": _d(w.frist)}
        yield Faellig(
            art=A.WACHHUND,
            anliegen=a,
            weiterleitung=w,
            fachbereich=w.fachbereich.kuerzel,
            bezug=seit,
            empfaenger=fachbereich_adressen(w.fachbereich),
            betreff=_("Nachfrage: Wie steht es um Anliegen %(nummer)s?") % daten,
            text=_(
                "Guten Tag,\n\nSie haben das Anliegen %(nummer)s „%(titel)s“ (Quartier "
                "%(quartier)s) angenommen; seit dem %(seit)s gab es weder Antwort noch "
                "Zwischenbescheid. Bitte geben Sie dem Quartiersmanagement einen kurzen Stand "
                "(Frist: %(frist)s).\n%(link)s"
            )
            % {**daten, "link": _link("anliegen:eingang_detail", w.pk)},
        )

    for a in (
        Anliegen.objects.rueckmeldung_ueberfaellig(heute)
        .select_related("quartier", "zustaendig")
        .order_by("rueckmeldung_offen_seit", "pk")
    ):
        seit = timezone.localdate(a.rueckmeldung_offen_seit)
        daten = {**_kopf(a), "seit": _d(seit)}
        yield Faellig(
            art=A.RUECKMELDUNG,
            anliegen=a,
            bezug=seit,
            empfaenger=_qm_adressen(a),
            betreff=_("Erinnerung: Rückmeldung zu Anliegen %(nummer)s fällig") % daten,
            text=_(
                "Guten Tag,\n\nzum Anliegen %(nummer)s „%(titel)s“ liegt seit dem %(seit)s eine "
                "Antwort vor, die die meldende Person noch nicht erfahren hat. Bitte geben Sie "
                "ihr Rückmeldung und halten Sie sie fest.\n%(link)s"
            )
            % {**daten, "link": _link("anliegen:detail", a.nummer)},
        )

    for z in (
        Zusage.objects.faellig(heute)
        .select_related(
            "weiterleitung__fachbereich",
            "weiterleitung__anliegen__quartier",
            "weiterleitung__anliegen__zustaendig",
        )
        .order_by("faellig_am", "pk")
    ):
        w = z.weiterleitung
        a = w.anliegen
        daten = {**_kopf(a), "fb": w.fachbereich, "am": _d(z.faellig_am)}
        yield Faellig(
            art=A.ZUSAGE,
            anliegen=a,
            weiterleitung=w,
            fachbereich=w.fachbereich.kuerzel,
            bezug=z.faellig_am,
            empfaenger=fachbereich_adressen(w.fachbereich),
            betreff=_("Zusage zu Anliegen %(nummer)s ist fällig") % daten,
            text=_(
                "Guten Tag,\n\nSie haben zugesagt, das Anliegen %(nummer)s „%(titel)s“ "
                "(Quartier %(quartier)s) bis zum %(am)s umzusetzen. Bitte sagen Sie, wie es "
                "steht: eingehalten, verschoben (mit neuem Datum und Grund) oder entfallen "
                "(mit Grund).\n%(link)s"
            )
            % {**daten, "link": _link("anliegen:eingang_detail", w.pk)},
        )
        if z.faellig_am < eskalation:
            yield Faellig(
                art=A.ZUSAGE_ESKALATION,
                anliegen=a,
                weiterleitung=w,
                fachbereich=w.fachbereich.kuerzel,
                bezug=z.faellig_am,
                empfaenger=_qm_adressen(a),
                betreff=_("Eskalation: Zusage zu Anliegen %(nummer)s unbeantwortet") % daten,
                text=_(
                    "Guten Tag,\n\n%(fb)s hat die zum %(am)s zugesagte Umsetzung des Anliegens "
                    "%(nummer)s „%(titel)s“ trotz Nachfrage weder bestätigt noch verschoben. "
                    "Bitte fragen Sie nach.\n%(link)s"
                )
                % {**daten, "link": _link("anliegen:detail", a.nummer)},
            )


def verschicken(faellig: Faellig, heute: datetime.date) -> bool:
    """Legt Erinnerung, Verlaufseintrag und Mail in einer Transaktion an; False, wenn diese
    Erinnerung schon verschickt ist (auch von einem gleichzeitigen Lauf)."""
    try:
        with transaction.atomic():
            Erinnerung.objects.create(
                art=faellig.art,
                anliegen=faellig.anliegen,
                weiterleitung=faellig.weiterleitung,
                bezug=faellig.bezug,
                datum=heute,
                empfaenger=", ".join(faellig.empfaenger)[:500],
            )
            verlauf.anhaengen(
                faellig.anliegen,
                EreignisArt.ERINNERUNG,
                von=None,
                art=faellig.art,
                bezug=faellig.bezug.isoformat(),
                fachbereich=faellig.fachbereich,
            )
            _mail(faellig.betreff, faellig.text, faellig.empfaenger)
    except IntegrityError:
        return False
    return True
