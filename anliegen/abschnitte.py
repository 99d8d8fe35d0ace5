"""„Mein Überblick“: was im Lotsen-Kreislauf gerade auf die Person wartet."""

from django.db.models import Count, Q
from django.utils import timezone

from quartier.erweiterungen import Abschnitt, start_abschnitt
from quartier.models import Rolle
from quartier.permissions import eigene_quartiere, hat_rolle
from quartier.typen import Anfrage

from .models import (
    OFFENE_WSTATUS,
    Anliegen,
    Status,
    Weiterleitung,
    WStatus,
    Zusage,
    rueckmeldung_stichtag,
)
from .permissions import sichtbare_weiterleitungen

HOECHSTENS = 10


def anliegen_im_blick(request: Anfrage) -> Abschnitt | None:
    user = request.user
    if not hat_rolle(user):
        return None
    if user.rolle == Rolle.QUARTIERSMANAGEMENT:
        quartiere = eigene_quartiere(user)
        meine = Anliegen.objects.filter(quartier__in=quartiere).select_related("quartier")
        # Wartet noch: die Rückmeldefrist läuft (workflow setzt und leert sie). Der Status bleibt
        # „Antwort liegt vor“ bis zum Abschluss, auch wenn die Person schon Bescheid weiß.
        rueckmeldung_faellig = list(
            meine.filter(rueckmeldung_offen_seit__isnull=False).order_by(
                "rueckmeldung_offen_seit", "pk"
            )[:HOECHSTENS]
        )
        bis = rueckmeldung_stichtag()
        for anliegen in rueckmeldung_faellig:
            seit = anliegen.rueckmeldung_offen_seit
            anliegen.rueckmeldung_ueberfaellig = bool(seit and timezone.localdate(seit) < bis)
        return Abschnitt(
            "anliegen/_start_qm.html",
            {
                "rueckmeldung_faellig": rueckmeldung_faellig,
                "antwort_ueberfaellig": list(
                    Weiterleitung.objects.ueberfaellig()
                    .filter(anliegen__quartier__in=quartiere)
                    .select_related("anliegen", "fachbereich")
                    .order_by("frist", "pk")[:HOECHSTENS]
                ),
                "neu": list(meine.filter(status=Status.NEU).order_by("erstellt_am")[:HOECHSTENS]),
            },
        )
    if user.rolle == Rolle.FACHBEREICH:
        zahlen = sichtbare_weiterleitungen(user).aggregate(
            offen=Count("pk", filter=Q(status=WStatus.OFFEN)),
            in_bearbeitung=Count("pk", filter=Q(status=WStatus.IN_BEARBEITUNG)),
            ueberfaellig=Count(
                "pk", filter=Q(status__in=OFFENE_WSTATUS, frist__lt=timezone.localdate())
            ),
        )
        zahlen["zusagen_faellig"] = (
            Zusage.objects.faellig().filter(weiterleitung__fachbereich=user.fachbereich_id).count()
        )
        return Abschnitt("anliegen/_start_fachbereich.html", zahlen)
    return None


def registrieren() -> None:
    start_abschnitt(anliegen_im_blick)
