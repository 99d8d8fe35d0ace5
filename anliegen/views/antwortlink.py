"""Antworten ohne Konto: die Seiten hinter dem Antwortlink aus der Weiterleitungs-Mail, und
für das Quartiersmanagement Widerrufen und neu Senden des Links.

Sicherheit der Link-Seiten (`antwort/<schluessel>/…`, ohne Anmeldung):
- Der Schlüssel hat 256 Bit aus `secrets`; die Datenbank kennt nur seinen SHA-256
  (`Antwortlink.hash_von`). Zähler der Anfragebegrenzung verwenden einen Hash.
- Unbekannt, falsch geformt, abgelaufen, widerrufen: immer dieselbe neutrale 404-Seite, damit
  wer rät, nichts erfährt. Ein Link gilt nur für seine Weiterleitung; jede Operation prüft das
  noch einmal unter Sperre (`workflow._handelnde_pruefen`).
- Anfragebegrenzung über den Cache: ungültige Schlüssel je Client-IP (gegen Raten; darüber
  sperrt die IP für alle Link-Seiten) und Aufrufe je gültigem Link. Darüber: 429.
- Die Seiten zeigen keine Daten der meldenden Person – auch nicht bei geteiltem Kontakt: den
  sieht der Fachbereich nur angemeldet im Posteingang. Ein weitergegebener oder mitgelesener
  Link legt so nie Personendaten offen.
- Antworten tragen `Cache-Control: no-store`, `Referrer-Policy: strict-origin` (der Schlüssel
  steht im Pfad; warum nicht `no-referrer`, steht bei `_kopfzeilen`) und
  `X-Robots-Tag: noindex`. CSRF bleibt an. Protokolle blenden den Schlüssel aus
  (config/protokoll.py).
- GET ändert nie etwas: Mail-Scanner, die Links vorab öffnen, lösen keine Schritte aus und
  zählen nicht als Nutzung. Jede Nutzung (jeder ausgeführte Schritt) steht als Ereignis der
  Operation mit `per_link` im Verlauf und zählt in `Antwortlink.nutzungen`.
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage

from .. import workflow
from ..datenschutz import eingebracht_von, maske_fuer
from ..models import Antwortlink, Ereignis, Weiterleitung
from ..permissions import darf_bearbeiten, sichtbare_anliegen
from ..workflow import WEITERLEITUNG
from .eingang import VERLAUF_ARTEN
from .schritte import knoepfe, schritt

log = logging.getLogger(__name__)

# So sieht ein Schlüssel aus `secrets.token_urlsafe(32)` aus (43 Zeichen); etwas Spielraum,
# alles andere (sehr lang, Nicht-ASCII, Sonderzeichen) gar nicht erst nachschlagen.
SCHLUESSEL_FORM = re.compile(r"[A-Za-z0-9_-]{32,64}")

UNGUELTIG = gettext_lazy(
    "Dieser Link ist ungültig oder abgelaufen. Bitte wenden Sie sich an das Quartiersmanagement."
)


# --- Kopfzeilen, Begrenzung, Nachschlagen ------------------------------------------------


def _kopfzeilen(antwort: HttpResponse) -> HttpResponse:
    add_never_cache_headers(antwort)  # no-cache, no-store, must-revalidate, private
    # Nicht „no-referrer“: damit schickt der Browser beim Absenden `Origin: null`, und die
    # CSRF-Prüfung lehnt jedes Formular ab. „strict-origin“ gibt nur den Ursprung weiter, nie
    # den Pfad – der Schlüssel verlässt die Seite nicht, auch nicht als Referer in
    # Zugriffsprotokollen der eigenen statischen Dateien.
    antwort["Referrer-Policy"] = "strict-origin"
    antwort["X-Robots-Tag"] = "noindex, nofollow"
    return antwort


def _link_seite(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Jede Antwort der Link-Seiten bekommt die Kopfzeilen, auch 404, 405 und 429."""

    @wraps(view)
    def innen(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _kopfzeilen(view(request, *args, **kwargs))

    return innen


def _hinweis(request: HttpRequest, titel: str, text: str, status: int) -> HttpResponse:
    return render(
        request,
        "anliegen/antwortlink_hinweis.html",
        {"titel": titel, "text": text},
        status=status,
    )


def _kurz(wert: str) -> str:
    """Cache-Schlüssel aus Hash statt Klartext (IP, Link-Schlüssel)."""
    return hashlib.sha256(wert.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _fenster_schluessel(art: str, wert: str) -> str:
    fenster = int(time.time() // settings.QL_ANTWORTLINK_FENSTER)
    return f"ql:antwortlink:{art}:{_kurz(wert)}:{fenster}"


def _zaehlen(schluessel: str) -> int:
    """Zähler im festen Zeitfenster. `add` + `incr` sind mit locmem, Redis und Memcached
    atomar genug; mit mehreren Prozessen braucht es einen gemeinsamen Cache (CACHE_URL)."""
    cache.add(schluessel, 0, timeout=settings.QL_ANTWORTLINK_FENSTER + 5)
    try:
        return cache.incr(schluessel)
    except ValueError:  # zwischen add und incr verfallen
        cache.set(schluessel, 1, timeout=settings.QL_ANTWORTLINK_FENSTER + 5)
        return 1


def _zu_viele(request: HttpRequest) -> HttpResponse:
    log.warning("Antwortlink: Anfragebegrenzung erreicht (%s)", request.method)
    return _hinweis(
        request,
        _("Zu viele Anfragen"),
        _(
            "Über diesen Zugang kamen in kurzer Zeit zu viele Anfragen. Bitte warten Sie "
            "einige Minuten und versuchen Sie es dann erneut."
        ),
        429,
    )


def _ungueltig(request: HttpRequest) -> HttpResponse:
    return _hinweis(request, _("Link ungültig"), str(UNGUELTIG), 404)


def _link_holen(request: HttpRequest, schluessel: str) -> tuple[Antwortlink | None, HttpResponse]:
    """Der gültige Link zum Schlüssel – oder die Antwort (404 neutral, 429), die stattdessen
    kommt. Nachgeschlagen wird über den eindeutigen Index auf dem Hash: die Laufzeit verrät
    nichts über gespeicherte Schlüssel, die ein Angreifer Zeichen für Zeichen nähern könnte."""
    ip_zaehler = _fenster_schluessel("ip", get_client_ip_address(request) or "unbekannt")
    if (cache.get(ip_zaehler) or 0) >= settings.QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP:
        return None, _zu_viele(request)
    link = None
    if SCHLUESSEL_FORM.fullmatch(schluessel):
        link = (
            Antwortlink.objects.gueltig()
            .select_related(
                "weiterleitung__fachbereich",
                "weiterleitung__ablehnungsgrund",
                "weiterleitung__zustaendig_fachbereich",
                "weiterleitung__beantwortet_von",
                "weiterleitung__anliegen__quartier",
                "weiterleitung__anliegen__thema",
                "weiterleitung__anliegen__zustaendig",
                "weiterleitung__anliegen__akteur",
                "weiterleitung__anliegen__meldende",
            )
            .filter(schluessel_hash=Antwortlink.hash_von(schluessel))
            .first()
        )
    if link is None:
        _zaehlen(ip_zaehler)
        log.info("Antwortlink: ungültiger oder abgelaufener Schlüssel aufgerufen")
        return None, _ungueltig(request)
    if _zaehlen(_fenster_schluessel("link", link.schluessel_hash)) > (
        settings.QL_ANTWORTLINK_AUFRUFE_JE_LINK
    ):
        return None, _zu_viele(request)
    return link, HttpResponse()


def _link_url(schluessel: str, aktion: str | None = None) -> str:
    if aktion:
        return reverse(f"anliegen:antwortlink_{aktion}", args=[schluessel])
    return reverse("anliegen:antwortlink", args=[schluessel])


def _letzter_name(weiterleitung: Weiterleitung) -> dict[str, str]:
    """Name und Kontakt der letzten Nutzung dieses Links als Vorgabe (dienstliche Angaben)."""
    daten = (
        Ereignis.objects.filter(
            anliegen=weiterleitung.anliegen_id,
            daten__per_link=True,
            daten__fachbereich=weiterleitung.fachbereich.kuerzel,
            zeitpunkt__gte=weiterleitung.erstellt_am,
        )
        .order_by("-zeitpunkt", "-pk")
        .values_list("daten", flat=True)
        .first()
    ) or {}
    return {"name": daten.get("name", ""), "kontakt": daten.get("kontakt", "")}


# --- Seiten des Links --------------------------------------------------------------------


@_link_seite
@require_GET
def antwortlink(request: HttpRequest, schluessel: str) -> HttpResponse:
    link, sonst = _link_holen(request, schluessel)
    if link is None:
        return sonst
    weiterleitung = link.weiterleitung
    anliegen = weiterleitung.anliegen
    # Nur Antworten, Zwischenbescheide und Rückgaben dieses Fachbereichs; keine Notizen (sie
    # können Personen nennen) und nichts des Quartiersmanagements.
    verlauf = list(
        Ereignis.objects.filter(
            anliegen=anliegen,
            zeitpunkt__gte=weiterleitung.erstellt_am,
            art__in=VERLAUF_ARTEN,
            daten__fachbereich=weiterleitung.fachbereich.kuerzel,
        ).select_related("von")
    )
    for ereignis in verlauf:
        ereignis.anzeige = ereignis.text()  # type: ignore[attr-defined]  # nur für die Vorlage
    operationen = knoepfe(
        workflow.angebotene(WEITERLEITUNG, weiterleitung, link=link),
        lambda op: _link_url(schluessel, op.name),
    )
    return render(
        request,
        "anliegen/antwortlink.html",
        {
            "w": weiterleitung,
            "anliegen": anliegen,
            "link": link,
            "eingebracht_von": eingebracht_von(anliegen, verlinken=False),
            # Ohne Anmeldung nie Personendaten, auch nicht in Freitexten.
            "maske": maske_fuer(False, anliegen.meldende),
            "operationen": operationen,
            "erledigt": not weiterleitung.ist_offen,
            "verlauf": verlauf,
        },
    )


@_link_seite
@require_http_methods(["GET", "POST"])
def antwortlink_schritt(request: HttpRequest, schluessel: str, name: str) -> HttpResponse:
    """Ein Schritt ohne Konto: derselbe Ablauf wie im Posteingang (views/schritte.py), das
    Recht ist der gültige Link genau dieser Weiterleitung."""
    link, sonst = _link_holen(request, schluessel)
    if link is None:
        return sonst
    op = workflow.operation(WEITERLEITUNG, name)
    weiterleitung = link.weiterleitung
    zurueck = _link_url(schluessel)
    anliegen = weiterleitung.anliegen
    try:
        return schritt(
            request,  # type: ignore[arg-type]  # ohne Konto: `per_link` statt `durch`
            op,
            weiterleitung,
            wer={},
            zurueck=zurueck,
            vorlage="anliegen/eingang_aktion.html",
            kontext={
                "w": weiterleitung,
                "anliegen": anliegen,
                # Ohne Konto nie Personendaten, auch nicht bei geteiltem Kontakt.
                "maske": maske_fuer(False, anliegen.meldende),
                "zurueck": zurueck,
                "pfad": [(anliegen.nummer, zurueck), (op.titel, None)],
            },
            per_link=lambda form: workflow.PerLink(
                link=link, name=form.cleaned_data["name"], kontakt=form.cleaned_data["kontakt"]
            ),
            initial=_letzter_name(weiterleitung),
        )
    except PermissionDenied:
        # Inzwischen widerrufen oder abgelaufen: wie jeder ungültige Link.
        return _ungueltig(request)


@_link_seite
def antwortlink_unbekannt(request: HttpRequest, schluessel: str, rest: str) -> HttpResponse:
    return _ungueltig(request)


# --- Verwaltung durch das Quartiersmanagement --------------------------------------------


@require_POST
@rolle_erforderlich
def antwortlink_verwalten(request: Anfrage, nummer: str, pk: int, aktion: str) -> HttpResponse:
    """Antwortlink widerrufen oder einen neuen senden (Knöpfe auf der Seite des Anliegens)."""
    anliegen = get_object_or_404(sichtbare_anliegen(request.user), nummer=nummer)
    weiterleitung = get_object_or_404(
        anliegen.weiterleitungen.select_related("fachbereich", "anliegen__quartier"), pk=pk
    )
    if aktion not in ("widerrufen", "erneuern"):
        return _ungueltig(request)
    if not darf_bearbeiten(request.user, anliegen):
        raise PermissionDenied
    try:
        if aktion == "widerrufen":
            workflow.antwortlink_widerrufen(weiterleitung, durch=request.user)
            messages.success(
                request,
                _("Der Antwortlink für %(fb)s gilt nicht mehr.")
                % {"fb": weiterleitung.fachbereich},
            )
        else:
            workflow.antwortlink_erneuern(weiterleitung, durch=request.user)
            messages.success(
                request,
                _("%(fb)s bekommt einen neuen Antwortlink; der bisherige gilt nicht mehr.")
                % {"fb": weiterleitung.fachbereich},
            )
    except ValidationError as fehler:
        messages.warning(request, " ".join(fehler.messages))
    return redirect(anliegen.get_absolute_url())


urls = [
    path("antwort/<str:schluessel>/", antwortlink, name="antwortlink"),
    *(
        path(
            f"antwort/<str:schluessel>/{op.name}/",
            antwortlink_schritt,
            {"name": op.name},
            name=f"antwortlink_{op.name}",
        )
        for op in workflow.operationen(WEITERLEITUNG, per_link=True)
    ),
    # Alles andere unter einem Link: dieselbe neutrale Seite wie ein ungültiger Link.
    path("antwort/<str:schluessel>/<path:rest>", antwortlink_unbekannt),
    path(
        "anliegen/<str:nummer>/weiterleitung/<int:pk>/antwortlink/<slug:aktion>/",
        antwortlink_verwalten,
        name="antwortlink_verwalten",
    ),
]
