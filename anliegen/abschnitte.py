"""„Mein Überblick“: was im Lotsen-Kreislauf gerade auf die Person wartet."""

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from quartier.erweiterungen import Abschnitt, start_abschnitt
from quartier.models import Rolle
from quartier.permissions import eigene_quartiere, hat_rolle

from .models import OFFENE_WSTATUS, Anliegen, Status, WStatus
from .permissions import sichtbare_weiterleitungen

HOECHSTENS = 10


def anliegen_im_blick(request: HttpRequest) -> Abschnitt | None:
    user = request.user
    if not hat_rolle(user):
        return None
    if user.rolle == Rolle.QUARTIERSMANAGEMENT:
        meine = Anliegen.objects.filter(quartier__in=eigene_quartiere(user)).select_related(
            "quartier"
        )
        return Abschnitt(
            "anliegen/_start_qm.html",
            {
                "rueckmeldung_faellig": list(
                    meine.filter(status=Status.ANTWORT_LIEGT_VOR).order_by("erstellt_am")[
                        :HOECHSTENS
                    ]
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
        return Abschnitt("anliegen/_start_fachbereich.html", zahlen)
    return None


def registrieren() -> None:
    start_abschnitt(anliegen_im_blick)
