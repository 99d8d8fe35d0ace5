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

from quartier.models import Fachbereich, Quartiersmanagement, Rolle, User

from . import verlauf
from .datenschutz import maske_fuer
from .fristen import stichtag
from .mails import mail_vormerken
from .models import (
    Anliegen,
    EreignisArt,
    Erinnerung,
    ErinnerungsArt,
    Weiterleitung,
    WStatus,
    Zusage,
)
from .workflow import _link

A = ErinnerungsArt


@dataclass
class Faellig:
    """Eine Erinnerung, die heute an der Reihe ist (noch nicht unbedingt verschickt)."""

    art: str
    anliegen: Anliegen
    bezug: datetime.date
    empfaenger: list[str]
    # Mail: templates/anliegen/mail/erinnerung_<art>(_betreff).txt mit diesem Kontext
    kontext: dict
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


def faellige(heute: datetime.date) -> Iterator[Faellig]:
    """Alle Erinnerungen, die am Tag `heute` an der Reihe sind – auch schon verschickte."""
    eskalation = stichtag(heute, settings.QL_ESKALATION_ARBEITSTAGE)

    weiterleitungen = Weiterleitung.objects.select_related(
        "fachbereich", "anliegen__quartier", "anliegen__zustaendig", "anliegen__meldende"
    )
    for w in weiterleitungen.ueberfaellig(heute).order_by("frist", "pk"):
        a = w.anliegen
        # Der Fachbereich liest die Person nur bei geteiltem Kontakt, auch nicht im Titel.
        maske = maske_fuer(w.kontakt_geteilt, a.meldende)
        kontext = {"anliegen": a, "fachbereich": w.fachbereich, "frist": w.frist, "maske": maske}
        yield Faellig(
            art=A.FRIST,
            anliegen=a,
            weiterleitung=w,
            fachbereich=w.fachbereich.kuerzel,
            bezug=w.frist,
            empfaenger=fachbereich_adressen(w.fachbereich),
            kontext={**kontext, "link": _link("anliegen:eingang_detail", w.pk)},
        )
        if w.frist < eskalation:
            yield Faellig(
                art=A.FRIST_ESKALATION,
                anliegen=a,
                weiterleitung=w,
                fachbereich=w.fachbereich.kuerzel,
                bezug=w.frist,
                empfaenger=_qm_adressen(a),
                kontext={**kontext, "link": _link("anliegen:detail", a.nummer)},
            )

    still = stichtag(heute, settings.QL_WACHHUND_ARBEITSTAGE)
    for w in weiterleitungen.filter(
        status=WStatus.IN_BEARBEITUNG, frist__gte=heute, lebenszeichen_am__date__lt=still
    ).order_by("lebenszeichen_am", "pk"):
        a = w.anliegen
        seit = timezone.localdate(w.lebenszeichen_am)
        yield Faellig(
            art=A.WACHHUND,
            anliegen=a,
            weiterleitung=w,
            fachbereich=w.fachbereich.kuerzel,
            bezug=seit,
            empfaenger=fachbereich_adressen(w.fachbereich),
            kontext={
                "anliegen": a,
                "seit": seit,
                "frist": w.frist,
                "maske": maske_fuer(w.kontakt_geteilt, a.meldende),
                "link": _link("anliegen:eingang_detail", w.pk),
            },
        )

    for a in (
        Anliegen.objects.rueckmeldung_ueberfaellig(heute)
        .select_related("quartier", "zustaendig")
        .order_by("rueckmeldung_offen_seit", "pk")
    ):
        seit = timezone.localdate(a.rueckmeldung_offen_seit)
        yield Faellig(
            art=A.RUECKMELDUNG,
            anliegen=a,
            bezug=seit,
            empfaenger=_qm_adressen(a),
            kontext={"anliegen": a, "seit": seit, "link": _link("anliegen:detail", a.nummer)},
        )

    for z in (
        Zusage.objects.faellig(heute)
        .select_related(
            "weiterleitung__fachbereich",
            "weiterleitung__anliegen__quartier",
            "weiterleitung__anliegen__zustaendig",
            "weiterleitung__anliegen__meldende",
        )
        .order_by("faellig_am", "pk")
    ):
        w = z.weiterleitung
        a = w.anliegen
        kontext = {
            "anliegen": a,
            "fachbereich": w.fachbereich,
            "am": z.faellig_am,
            "maske": maske_fuer(w.kontakt_geteilt, a.meldende),
        }
        yield Faellig(
            art=A.ZUSAGE,
            anliegen=a,
            weiterleitung=w,
            fachbereich=w.fachbereich.kuerzel,
            bezug=z.faellig_am,
            empfaenger=fachbereich_adressen(w.fachbereich),
            kontext={**kontext, "link": _link("anliegen:eingang_detail", w.pk)},
        )
        if z.faellig_am < eskalation:
            yield Faellig(
                art=A.ZUSAGE_ESKALATION,
                anliegen=a,
                weiterleitung=w,
                fachbereich=w.fachbereich.kuerzel,
                bezug=z.faellig_am,
                empfaenger=_qm_adressen(a),
                kontext={**kontext, "link": _link("anliegen:detail", a.nummer)},
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
            mail_vormerken(f"erinnerung_{faellig.art}", faellig.kontext, faellig.empfaenger)
    except IntegrityError:
        return False
    return True
