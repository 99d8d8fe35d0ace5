"""Datenschutz in der Verwaltung: eine Person finden, Auskunft (Art. 15) herunterladen,
Daten löschen (Art. 17). Nur für die Administration.

Protokoll (wer, wann, was – ohne die Daten selbst): jede Auskunft und jede Löschung schreibt
einen Eintrag in den Verlauf jedes betroffenen Anliegens (dort sieht das zuständige QM, dass
Auskunft erteilt oder gelöscht wurde) und einen Eintrag ins Admin-Protokoll der Person
(`LogEntry`, Objekt „Meldende Person Nr. …“; so findet die Administration alle Vorgänge einer
Person an einer Stelle). Suchen schreiben eine Zeile ins Anwendungsprotokoll (wer, wie viele
Treffer), nie den Suchbegriff. Gesucht wird per POST: Namen gehören nicht in URLs und damit
nicht in Zugriffsprotokolle, Browserverlauf oder Referer.
"""

import json
import logging
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage

from .. import datenschutz
from ..forms.datenschutz import AuswahlForm, LoeschenForm, SucheForm
from ..models import Anliegen, Meldende
from ..permissions import darf_datenschutz_verwalten
from ..verlauf import anhaengen

logger = logging.getLogger(__name__)


def _nur_administration(request: Anfrage) -> None:
    if not darf_datenschutz_verwalten(request.user):
        raise PermissionDenied


def _kontext(request: Anfrage, titel: str, **weiteres: object) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": titel, **weiteres}


def _mit_anliegen(qs: QuerySet[Meldende]) -> QuerySet[Meldende]:
    return qs.prefetch_related(
        Prefetch("anliegen", queryset=Anliegen.objects.only("pk", "nummer", "status", "meldende"))
    )


def _protokollieren(
    request: Anfrage, personen: list[Meldende], text: str, *, verlauf: str = ""
) -> None:
    """Admin-Protokoll je Person und (mit `verlauf`) ein Verlaufseintrag je Anliegen, beides
    ohne Personendaten. Die Löschung schreibt ihren Verlaufseintrag selbst („anonymisiert“)."""
    if verlauf:
        jetzt = timezone.now()
        for m in personen:
            for pk in m.anliegen.values_list("pk", flat=True):
                anhaengen(
                    pk, verlauf, von=request.user, intern=True, zeitpunkt=jetzt, meldende=m.pk
                )
    LogEntry.objects.log_actions(
        request.user.pk, personen, CHANGE, change_message=text, single_object=False
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def suche(request: Anfrage) -> HttpResponse:
    # Abfragen bei Treffern (fest): Sitzung, Person, Rechte; die gefundenen Personen; ihre
    # Anliegen (eine Abfrage für alle).
    _nur_administration(request)
    form = SucheForm(request.POST or None)
    treffer = ansprechpersonen = None
    if request.method == "POST" and form.is_valid():
        treffer = list(_mit_anliegen(datenschutz.finden(form.cleaned_data["suchbegriff"])))
        ansprechpersonen = list(
            datenschutz.ansprechpersonen_finden(form.cleaned_data["suchbegriff"])
        )
        logger.info("Datenschutz-Suche durch Konto %s: %d Treffer", request.user.pk, len(treffer))
    return render(
        request,
        "anliegen/datenschutz_suche.html",
        _kontext(
            request,
            _("Datenschutz: Auskunft und Löschung"),
            form=form,
            treffer=treffer,
            ansprechpersonen=ansprechpersonen,
            frist_tage=_frist(),
        ),
    )


def _frist() -> int:
    from django.conf import settings

    return int(settings.QL_ANONYMISIEREN_NACH_TAGEN)


@never_cache
@require_POST
@rolle_erforderlich
def auskunft(request: Anfrage) -> HttpResponse:
    """Die Auskunft als JSON-Datei (UTF-8, lesbare deutsche Schlüssel)."""
    _nur_administration(request)
    form = AuswahlForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(map(str, form.errors.get("meldende", []))))
        return redirect("datenschutz:suche")
    personen = list(form.cleaned_data["meldende"].order_by("pk"))
    with transaction.atomic():
        daten = datenschutz.auskunft(form.cleaned_data["suchbegriff"], meldende=personen)
        _protokollieren(
            request,
            personen,
            _("Auskunft nach Art. 15 DSGVO heruntergeladen."),
            verlauf="auskunft",
        )
    logger.info("Datenschutz-Auskunft durch Konto %s: %d Personen", request.user.pk, len(personen))
    antwort = HttpResponse(
        json.dumps(daten, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    datei = f"auskunft-art15-{timezone.localdate().isoformat()}.json"
    antwort["Content-Disposition"] = f'attachment; filename="{datei}"'
    return antwort


@never_cache
@require_POST
@rolle_erforderlich
def loeschen(request: Anfrage) -> HttpResponse:
    """Zwei Schritte: erst bestätigen (mit Begründung), dann löschen."""
    _nur_administration(request)
    if "bestaetigen" not in request.POST:
        auswahl = AuswahlForm(request.POST)
        if not auswahl.is_valid():
            messages.error(request, " ".join(map(str, auswahl.errors.get("meldende", []))))
            return redirect("datenschutz:suche")
        form = LoeschenForm(initial=auswahl.cleaned_data)
        personen = auswahl.cleaned_data["meldende"]
    else:
        form = LoeschenForm(request.POST)
        if form.is_valid():
            personen = list(form.cleaned_data["meldende"].order_by("pk"))
            with transaction.atomic():
                n = datenschutz.loeschen(
                    personen, durch=request.user, begruendung=form.cleaned_data["begruendung"]
                )
                _protokollieren(request, personen, _("Gelöscht nach Art. 17 DSGVO."))
            logger.info("Datenschutz-Löschung durch Konto %s: %d Personen", request.user.pk, n)
            messages.success(
                request,
                _(
                    "%(n)d Person(en) gelöscht. Die Anliegen bleiben anonymisiert erhalten; im "
                    "Verlauf steht die Löschung."
                )
                % {"n": n},
            )
            return redirect("datenschutz:suche")
        personen = form.cleaned_data.get("meldende") or Meldende.objects.none()
    return render(
        request,
        "anliegen/datenschutz_loeschen.html",
        _kontext(
            request,
            _("Daten löschen (Art. 17 DSGVO)"),
            form=form,
            personen=list(_mit_anliegen(personen.order_by("pk"))),
        ),
    )


urls = [
    path("", suche, name="suche"),
    path("auskunft/", auskunft, name="auskunft"),
    path("loeschen/", loeschen, name="loeschen"),
]
