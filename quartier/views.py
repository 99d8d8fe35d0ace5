"""Seiten des Registers: Mein Überblick, Quartiere, Lebensräume, Stadtteilbüros."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from config.router import vom_replikat

from . import blaettern, exporte
from .auswertung import TABELLEN, Auswahl, tabelle_bezirke, versorgung
from .erweiterungen import BUERO_ABSCHNITTE, START_ABSCHNITTE, abschnitte
from .filters import LebensraumFilter, QuartierFilter
from .forms import StichtagForm, VersorgungForm
from .models import (
    Exportauftrag,
    Exportformat,
    Exportstatus,
    Fachbereich,
    Kategorie,
    Kennzahl,
    KennzahlArt,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Rolle,
    Stadtteilbuero,
    User,
)
from .permissions import (
    auswertung_erforderlich,
    darf_auswertungen_sehen,
    darf_stammdaten_pflegen,
    eigene_stellen,
    rolle_erforderlich,
    sichtbare_bueros,
    sichtbare_lebensraeume,
    sichtbare_quartiere,
)
from .tabellen import EXPORTE, XLSX_TYP, Diagramm, Tabelle, export_basis
from .typen import Anfrage

SEITENGROESSE = 50


def _aktive_stellen_prefetch(stichtag: datetime.date, to_attr: str = "aktive_stellen") -> Prefetch:
    return Prefetch(
        "quartiersmanagements",
        queryset=Quartiersmanagement.objects.aktiv_am(stichtag).mit_anzahl_quartiere(),
        to_attr=to_attr,
    )


def _vzae(stellen: list[Quartiersmanagement]) -> Decimal:
    return sum((s.anteil_je_quartier() for s in stellen), Decimal(0))


def seitenparameter(request: HttpRequest) -> str:
    """Die GET-Parameter ohne `page`, als Präfix für Blätterlinks (`?…&page=N`)."""
    parameter = request.GET.copy()
    parameter.pop("page", None)
    kodiert = parameter.urlencode()
    return f"{kodiert}&" if kodiert else ""


# --- Mein Überblick ----------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def start(request: Anfrage) -> HttpResponse:
    user = request.user
    heute = timezone.localdate()
    kontext: dict = {"heute": heute, "abschnitte": abschnitte(START_ABSCHNITTE, request)}
    if user.rolle == Rolle.QUARTIERSMANAGEMENT:
        kontext.update(_start_quartiersmanagement(user, heute))
    elif user.rolle == Rolle.FACHBEREICH:
        kontext.update(_start_fachbereich(user))
    elif user.rolle == Rolle.SOZIALPLANUNG:
        kontext.update(_start_sozialplanung(request, heute))
    else:
        kontext.update(_start_administration(user))
    return render(request, f"quartier/start_{user.rolle}.html", kontext)


def _start_quartiersmanagement(user: User, heute: datetime.date) -> dict:
    stellen = list(
        eigene_stellen(user)
        .select_related("buero")
        .prefetch_related(
            Prefetch(
                "quartiere", queryset=Quartier.objects.select_related("bezirk").mit_einwohnern()
            ),
            "buero__sprechzeiten",
            "mitarbeitende",
        )
    )
    bueros = {s.buero.pk: s.buero for s in stellen if s.buero}
    kolleginnen = (
        User.objects.quartiersmanagement()
        .exclude(pk=user.pk)
        .prefetch_related(
            Prefetch(
                "stellen",
                queryset=Quartiersmanagement.objects.aktiv_am(heute).prefetch_related("quartiere"),
                to_attr="aktive_stellen",
            )
        )
    )
    return {
        "stellen": stellen,
        "bueros": list(bueros.values()),
        "kolleginnen": kolleginnen,
        "endet_bald": [s for s in stellen if s.endet_bald(heute)],
    }


def _start_fachbereich(user: User) -> dict:
    fachbereich = user.fachbereich
    assert fachbereich is not None  # Constraint user_fachbereich_passt_zur_rolle
    return {
        "fachbereich": fachbereich,
        "kolleginnen": fachbereich.mitarbeitende.filter(is_active=True).exclude(pk=user.pk),
    }


def _start_sozialplanung(request: Anfrage, heute: datetime.date) -> dict:
    form = StichtagForm(request.GET or None)
    stichtag = form.cleaned_data["stichtag"] if form.is_bound and form.is_valid() else heute
    kategorien = dict(
        Lebensraum.objects.order_by().values_list("kategorie").annotate(n=Count("pk"))
    )
    return {
        "form": form,
        "versorgung": versorgung(stichtag),
        "kategorien": [(label, kategorien.get(wert, 0)) for wert, label in Kategorie.choices],
        "anzahl_quartiere": Quartier.objects.count(),
    }


def _start_administration(user: User) -> dict:
    return {
        "anzahl": {
            "benutzer": User.objects.filter(is_active=True).count(),
            "fachbereiche": Fachbereich.objects.filter(aktiv=True).count(),
            "quartiere": Quartier.objects.count(),
            "lebensraeume": Lebensraum.objects.count(),
            "stellen": Quartiersmanagement.objects.count(),
            "bueros": Stadtteilbuero.objects.count(),
        },
        "rollen": [
            (Rolle(zeile["rolle"]).label, zeile["n"])
            for zeile in User.objects.filter(is_active=True)
            .order_by("rolle")
            .values("rolle")
            .annotate(n=Count("pk"))
        ],
        # Lücken in den Stammdaten, die später zu liegen gebliebenen Anliegen führen würden.
        "fachbereiche_ohne_email": Fachbereich.objects.filter(aktiv=True, email=""),
        "stellen_ohne_personal": Quartiersmanagement.objects.aktiv().filter(
            mitarbeitende__isnull=True
        ),
        "bueros_ohne_sprechzeiten": Stadtteilbuero.objects.filter(sprechzeiten__isnull=True),
        "lebensraeume_ohne_kennzahlen": Lebensraum.objects.filter(kennzahlen__isnull=True),
        "darf_stammdaten_pflegen": darf_stammdaten_pflegen(user),
    }


# --- Quartiere ---------------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def quartier_liste(request: Anfrage) -> HttpResponse:
    heute = timezone.localdate()
    basis = (
        sichtbare_quartiere(request.user)
        .select_related("bezirk")
        .mit_einwohnern()
        .prefetch_related(_aktive_stellen_prefetch(heute), "lebensraeume")
        .order_by("name")
    )
    filter_ = QuartierFilter(request.GET or None, queryset=basis)
    seite = Paginator(filter_.qs, SEITENGROESSE).get_page(request.GET.get("page"))
    zeilen = [
        {
            "quartier": q,
            "kategorien": sorted({lr.get_kategorie_display() for lr in q.lebensraeume.all()}),
            "vzae": _vzae(q.aktive_stellen),
        }
        for q in seite
    ]
    vorlage = "quartier/quartier_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {
            "filter": filter_,
            "seite": seite,
            "zeilen": zeilen,
            "seiten_parameter": seitenparameter(request),
        },
    )


@require_GET
@rolle_erforderlich
def quartier_detail(request: Anfrage, slug: str) -> HttpResponse:
    heute = timezone.localdate()
    quartier = get_object_or_404(
        sichtbare_quartiere(request.user).select_related("bezirk").mit_einwohnern(), slug=slug
    )
    lebensraeume = list(quartier.lebensraeume.select_related("sozialraum").order_by("nummer"))
    stellen = list(
        quartier.quartiersmanagements.select_related("buero")
        .prefetch_related("mitarbeitende", "quartiere")
        .mit_anzahl_quartiere()
        .order_by("-beginn")
    )
    aktive = [s for s in stellen if s.ist_aktiv_am(heute)]
    bueros = (
        Stadtteilbuero.objects.filter(
            Q(quartiere=quartier) | Q(quartiersmanagements__quartiere=quartier)
        )
        .distinct()
        .prefetch_related("sprechzeiten")
    )
    mitarbeitende = {u.pk: u for s in aktive for u in s.mitarbeitende.all()}
    return render(
        request,
        "quartier/quartier_detail.html",
        {
            "quartier": quartier,
            "pfad": [(_("Quartiere"), reverse("quartier:quartier_liste")), (quartier.name, None)],
            "lebensraeume": lebensraeume,
            "kennzahlen": _kennzahlentabelle(lebensraeume),
            "stellen": [
                {"stelle": s, "aktiv": s.ist_aktiv_am(heute), "endet_bald": s.endet_bald(heute)}
                for s in stellen
            ],
            "vzae": _vzae(aktive),
            "bueros": bueros,
            "mitarbeitende": sorted(mitarbeitende.values(), key=str),
        },
    )


def _kennzahlentabelle(lebensraeume: list[Lebensraum]) -> dict:
    """Je Lebensraum der jüngste Wert jeder Kennzahl, als Tabelle für die Vorlage."""
    neueste: dict[int, dict[str, Kennzahl]] = defaultdict(dict)
    for k in Kennzahl.objects.filter(lebensraum__in=lebensraeume).order_by("jahr"):
        neueste[k.lebensraum_id][k.art] = k
    arten = [a for a in KennzahlArt if any(a.value in werte for werte in neueste.values())]
    return {
        "spalten": [a.label for a in arten],
        "zeilen": [
            {"lebensraum": lr, "werte": [neueste[lr.pk].get(a.value) for a in arten]}
            for lr in lebensraeume
        ],
    }


# --- Lebensräume -------------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def lebensraum_liste(request: Anfrage) -> HttpResponse:
    heute = timezone.localdate()
    aktive_quartiere = Quartier.objects.filter(
        quartiersmanagements__in=Quartiersmanagement.objects.aktiv_am(heute)
    ).values("pk")
    basis = (
        sichtbare_lebensraeume(request.user)
        .select_related("sozialraum__bezirk")
        .prefetch_related("quartiere")
        .annotate(
            aktives_qm=Count("quartiere", filter=Q(quartiere__in=aktive_quartiere), distinct=True)
        )
        .order_by("nummer")
    )
    filter_ = LebensraumFilter(request.GET or None, queryset=basis)
    seite = Paginator(filter_.qs, SEITENGROESSE).get_page(request.GET.get("page"))
    vorlage = "quartier/lebensraum_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {"filter": filter_, "seite": seite, "seiten_parameter": seitenparameter(request)},
    )


# --- Stadtteilbüros ----------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def buero_liste(request: Anfrage) -> HttpResponse:
    bueros = sichtbare_bueros(request.user).prefetch_related("sprechzeiten", "quartiere")
    return render(request, "quartier/buero_liste.html", {"bueros": bueros})


@require_GET
@rolle_erforderlich
def buero_detail(request: Anfrage, pk: int) -> HttpResponse:
    heute = timezone.localdate()
    buero = get_object_or_404(sichtbare_bueros(request.user), pk=pk)
    stellen = (
        buero.quartiersmanagements.aktiv_am(heute)
        .prefetch_related("mitarbeitende", "quartiere")
        .order_by("bezeichnung")
    )
    return render(
        request,
        "quartier/buero_detail.html",
        {
            "buero": buero,
            "pfad": [(_("Stadtteilbüros"), reverse("quartier:buero_liste")), (buero.name, None)],
            "sprechzeiten": buero.sprechzeiten.all(),
            "quartiere": buero.quartiere.all(),
            "stellen": stellen,
            "abschnitte": abschnitte(BUERO_ABSCHNITTE, request, buero),
        },
    )


# --- Auswertung: Versorgung --------------------------------------------------------------


def versorgung_auswahl(parameter: QueryDict) -> tuple[VersorgungForm, Auswahl]:
    """Stichtag und Lebensräume aus den Filtern der Seite (falsche Werte fallen weg, das
    Formular zeigt sie an). Auch für den Export im Hintergrund (`exporte.QUELLEN`)."""
    form = VersorgungForm(parameter)
    form.is_valid()
    daten = form.cleaned_data
    stichtag = daten.get("stichtag") or timezone.localdate()
    lebensraeume = Lebensraum.objects.all()
    if daten.get("bezirk"):
        lebensraeume = lebensraeume.filter(sozialraum__bezirk=daten["bezirk"])
    if daten.get("sozialraum"):
        lebensraeume = lebensraeume.filter(sozialraum=daten["sozialraum"])
    return form, Auswahl(stichtag, lebensraeume)


def ohne_exportparameter(get: QueryDict) -> QueryDict:
    parameter = get.copy()
    for name in ("format", "hintergrund", "page", blaettern.BLATT):
        parameter.pop(name, None)
    return parameter


def _versorgung_tabelle(person: User, parameter: QueryDict) -> Tabelle:
    return TABELLEN["lebensraeume"](versorgung_auswahl(parameter)[1], streamen=True)


def _versorgung_zeilen(person: User, parameter: QueryDict, hoechstens: int | None) -> int:
    lebensraeume = versorgung_auswahl(parameter)[1].lebensraeume.order_by()
    return (lebensraeume[:hoechstens] if hoechstens else lebensraeume).count()


VERSORGUNG_EXPORT = exporte.Quelle(
    name="versorgung_lebensraeume",
    titel=gettext_lazy("Versorgung der Lebensräume"),
    darf=darf_auswertungen_sehen,
    tabelle=_versorgung_tabelle,
    zeilen=_versorgung_zeilen,
)


def export_oder_hinweis(
    request: Anfrage,
    quelle: exporte.Quelle,
    format_: str,
    erstellen: Callable[[], Tabelle],
    parameter: QueryDict | None = None,
) -> HttpResponseBase:
    """Der Export sofort (CSV streamt, kleine XLSX), oder – für XLSX über
    `QL_EXPORT_SOFORT_ZEILEN` Zeilen und auf Wunsch (`hintergrund=1`) – eine Seite, die ihn im
    Hintergrund anstößt (ein POST: einen Auftrag anzulegen ändert etwas). `parameter`: die
    Filter, wie die Quelle sie liest (Vorgabe: die GET-Parameter ohne format/hintergrund)."""
    if parameter is None:
        parameter = ohne_exportparameter(request.GET)
    if request.GET.get("hintergrund") or (
        format_ == "xlsx" and exporte.zu_gross_fuer_sofort(quelle, request.user, parameter)
    ):
        csv_parameter = ohne_exportparameter(request.GET)
        csv_parameter["format"] = "csv"
        return render(
            request,
            "quartier/export_hinweis.html",
            {
                "quelle": quelle,
                "format": format_ if format_ in Exportformat.values else Exportformat.CSV,
                "formate": Exportformat.choices,
                "parameter": parameter.urlencode(),
                "grenze": exporte.sofort_zeilen(),
                "zu_gross": not request.GET.get("hintergrund"),
                "csv_url": f"{request.path}?{csv_parameter.urlencode()}",
            },
        )
    return EXPORTE[format_](erstellen())


@require_GET
@auswertung_erforderlich
@vom_replikat
def versorgung_seite(request: Anfrage) -> HttpResponseBase:
    """Versorgung am Stichtag: jeder Lebensraum mit Kategorie, Einwohner:innen, Kennzahlen und
    laufendem Quartiersmanagement, VZÄ je 10.000 nach Bezirk, Warnungen; CSV/XLSX-Export."""
    form, auswahl = versorgung_auswahl(request.GET)
    daten = form.cleaned_data
    stichtag, lebensraeume = auswahl.stichtag, auswahl.lebensraeume

    format_ = request.GET.get("format")
    if format_ in EXPORTE:
        name = request.GET.get("tabelle", "")
        if name == "bezirke":  # eine Zeile je Bezirk: immer sofort
            return EXPORTE[format_](TABELLEN["bezirke"](auswahl, streamen=True))
        return export_oder_hinweis(
            request,
            VERSORGUNG_EXPORT,
            format_,
            lambda: TABELLEN["lebensraeume"](auswahl, streamen=True),
        )

    diagramm = Diagramm(
        "vzae-bezirk",
        tabelle_bezirke(auswahl),
        reihen=["vzae_je_10000"],
        exporte=export_basis(request, "bezirke"),
    )
    return render(
        request,
        "quartier/versorgung.html",
        {
            "form": form,
            "versorgung": versorgung(stichtag, lebensraeume),
            "diagramm": diagramm,
            "tabelle": TABELLEN["lebensraeume"](auswahl),
            "exporte": export_basis(request, "lebensraeume"),
            "gefiltert": bool(daten.get("bezirk") or daten.get("sozialraum")),
        },
    )


# --- Meine Exporte (Exporte im Hintergrund, quartier/exporte.py) ---------------------------

MEINE_EXPORTE = 50


@require_GET
@rolle_erforderlich
def exporte_seite(request: Anfrage) -> HttpResponse:
    """Die Exportaufträge der angemeldeten Person mit Fortschritt und Download. Läuft noch
    einer, fragt htmx alle zwei Sekunden den Abschnitt neu ab; ohne JavaScript lädt der Link
    „Stand aktualisieren“ die Seite neu."""
    # Abfragen: Sitzung, Benutzer:in, die Aufträge (höchstens MEINE_EXPORTE).
    auftraege = list(
        Exportauftrag.objects.filter(person=request.user, ablauf_am__gt=timezone.now()).order_by(
            "-erstellt_am", "-pk"
        )[:MEINE_EXPORTE]
    )
    vorlage = "quartier/exporte.html"
    if request.htmx:
        vorlage += "#liste"
    return render(
        request,
        vorlage,
        {"auftraege": auftraege, "laufend": any(a.ist_offen for a in auftraege)},
    )


@require_POST
@rolle_erforderlich
def export_anlegen(request: Anfrage) -> HttpResponse:
    quelle = exporte.QUELLEN.get(request.POST.get("quelle", ""))
    format_ = request.POST.get("format", "")
    if quelle is None or format_ not in Exportformat.values:
        messages.error(request, _("Diesen Export gibt es nicht. Bitte starten Sie ihn neu."))
        return redirect("quartier:exporte")
    if not quelle.darf(request.user):
        raise PermissionDenied
    exporte.auftrag_anlegen(
        person=request.user,
        quelle=quelle,
        format_=format_,
        parameter=QueryDict(request.POST.get("parameter", "")),
    )
    messages.success(
        request,
        _(
            "Der Export wird im Hintergrund erstellt. Sobald er fertig ist, können Sie "
            "ihn hier herunterladen."
        ),
    )
    return redirect("quartier:exporte")


@require_GET
@rolle_erforderlich
def export_datei(request: Anfrage, pk: int) -> FileResponse:
    """Die Datei eines fertigen Auftrags, nur für die Person, die ihn angestoßen hat (für alle
    anderen gibt es ihn nicht: 404)."""
    auftrag = get_object_or_404(
        Exportauftrag,
        pk=pk,
        person=request.user,
        status=Exportstatus.FERTIG,
        ablauf_am__gt=timezone.now(),
    )
    if not auftrag.datei:
        raise Http404
    return FileResponse(
        auftrag.datei.open("rb"),
        as_attachment=True,
        filename=auftrag.dateiname,
        content_type=XLSX_TYP if auftrag.format == Exportformat.XLSX else "text/csv; charset=utf-8",
    )
