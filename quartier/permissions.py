"""Wer darf im Register der Stadtstruktur was sehen und tun.

Drei Formen, wie überall in Quartierslotse: Prädikate je Rolle (`darf_…(user)`),
Prädikate je Objekt (`darf_…(user, obj)`) und eingeschränkte Listen (`sichtbare_…(user)`).
Views holen Objekte nur über die `sichtbare_…`-Listen; was dort fehlt, ist ein 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

from .models import (
    Lebensraum,
    LebensraumQuerySet,
    Quartier,
    QuartierQuerySet,
    Quartiersmanagement,
    QuartiersmanagementQuerySet,
    Rolle,
    Stadtteilbuero,
    User,
)
from .typen import Anfrage

P = ParamSpec("P")
# Eine View hinter Anmeldung: nimmt `Anfrage`, Django ruft sie mit einer `HttpRequest` auf.
AngemeldeteView = Callable[Concatenate[Anfrage, P], HttpResponseBase]
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def hat_rolle(user: User) -> bool:
    """Angemeldet, aktiv und mit einer bekannten Rolle: die Grundbedingung für jede Seite."""
    return bool(user.is_authenticated and user.is_active and user.rolle in Rolle.values)


def darf_stammdaten_pflegen(user: User) -> bool:
    """Nur die Administration pflegt Stammdaten in der Django-Verwaltung."""
    return hat_rolle(user) and user.is_staff and user.rolle == Rolle.ADMINISTRATION


def darf_register_sehen(user: User) -> bool:
    """Das Register (Quartiere, Büros, Stellen, Kennzahlen) ist für alle Rollen lesbar.

    Es enthält keine personenbezogenen Daten von Bürger:innen; Namen und Dienstkontakte
    der Mitarbeitenden sind innerhalb der Verwaltung ohnehin bekannt.
    """
    return hat_rolle(user)


def darf_auswertungen_sehen(user: User) -> bool:
    """Auswertungen (Versorgung, Netzwerkaktivität): Sozialplanung, Administration und
    Quartiersmanagement; nicht der Fachbereich. Sie enthalten nur Summen und Anzahlen,
    keine personenbezogenen Daten."""
    return hat_rolle(user) and user.rolle in (
        Rolle.SOZIALPLANUNG,
        Rolle.ADMINISTRATION,
        Rolle.QUARTIERSMANAGEMENT,
    )


def auswertung_erforderlich(view: AngemeldeteView[P]) -> View[P]:
    """Wie `rolle_erforderlich`, dazu 403 für Rollen ohne Zugang zu den Auswertungen."""

    @wraps(view)
    @login_required
    def pruefen(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        anfrage = cast(Anfrage, request)  # login_required: angemeldet
        if not darf_auswertungen_sehen(anfrage.user):
            raise PermissionDenied
        return view(anfrage, *args, **kwargs)

    return pruefen


def sichtbare_quartiere(user: User) -> QuartierQuerySet:
    if not darf_register_sehen(user):
        return Quartier.objects.none()
    return Quartier.objects.all()


def sichtbare_lebensraeume(user: User) -> LebensraumQuerySet:
    if not darf_register_sehen(user):
        return Lebensraum.objects.none()
    return Lebensraum.objects.all()


def sichtbare_bueros(user: User) -> QuerySet[Stadtteilbuero]:
    if not darf_register_sehen(user):
        return Stadtteilbuero.objects.none()
    return Stadtteilbuero.objects.all()


def eigene_stellen(user: User) -> QuartiersmanagementQuerySet:
    """Die laufenden Stellen, auf denen eine Person im Quartiersmanagement arbeitet."""
    if not hat_rolle(user) or user.rolle != Rolle.QUARTIERSMANAGEMENT:
        return Quartiersmanagement.objects.none()
    return Quartiersmanagement.objects.aktiv().filter(mitarbeitende=user)


def eigene_quartiere(user: User) -> QuerySet[Quartier]:
    """Die Quartiere, für die eine Person im Quartiersmanagement gerade zuständig ist."""
    return Quartier.objects.filter(quartiersmanagements__in=eigene_stellen(user)).distinct()


def ist_zustaendig_fuer_quartier(user: User, quartier: Quartier) -> bool:
    return eigene_quartiere(user).filter(pk=quartier.pk).exists()


def rolle_erforderlich(view: AngemeldeteView[P]) -> View[P]:
    """Wie `login_required`, dazu 403 für Konten ohne gültige Rolle oder deaktivierte Konten."""

    @wraps(view)
    @login_required
    def pruefen(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        anfrage = cast(Anfrage, request)  # login_required: angemeldet
        if not hat_rolle(anfrage.user):
            raise PermissionDenied
        return view(anfrage, *args, **kwargs)

    return pruefen
