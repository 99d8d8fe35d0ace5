"""Posteingang der Fachbereiche: Liste der Weiterleitungen, eine Weiterleitung, ihre Schritte.

Alles kommt über `permissions.sichtbare_weiterleitungen`: der Fachbereich sieht die eigenen,
das Quartiersmanagement die seiner Quartiere, Sozialplanung und Administration alle (nur
lesend); was dort fehlt, ist ein 404. Handeln (annehmen, zurückgeben, beantworten, Notiz) darf
nur der adressierte Fachbereich (`darf_weiterleitung_bearbeiten`), sonst 403.

Personendaten der meldenden Person erscheinen nie in der Liste und auf der Seite einer
Weiterleitung nur, wenn das Quartiersmanagement den Kontakt mit Einwilligung geteilt hat
(`kontakt_geteilt`) und `darf_personendaten_sehen` es erlaubt.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from quartier.models import Rolle
from quartier.permissions import rolle_erforderlich

from .. import workflow
from ..datenschutz import eingebracht_von, maske_fuer
from ..forms.eingang import (
    ZU_ERLEDIGEN,
    AnnehmenForm,
    BeantwortenForm,
    EingangFilter,
    NotizForm,
    ZurueckgebenForm,
    ZusageEingehaltenForm,
    ZusageEntfallenForm,
    ZusageVerschiebenForm,
)
from ..forms.textbausteine import EINFUEGEN, TextbausteinMixin, baustein_einfuegen
from ..models import OFFENE_WSTATUS, Entscheidung, Ereignis, Weiterleitung, Zusage
from ..permissions import (
    darf_notiztexte_lesen,
    darf_personendaten_sehen,
    darf_weiterleitung_bearbeiten,
    personendaten_ausdruck,
    sichtbare_anhaenge,
    sichtbare_weiterleitungen,
)

SEITENGROESSE = 50

# Einträge im Verlauf, die zu einer Weiterleitung gehören (Daten mit ihrem Fachbereich).
VERLAUF_ARTEN = (
    "angenommen",
    "zwischenbescheid",
    "beantwortet",
    "zurueckgegeben",
    "zusage_eingehalten",
    "zusage_verschoben",
    "zusage_entfallen",
    "erinnerung",
)


def _eingang_url(weiterleitung: Weiterleitung) -> str:
    return reverse("anliegen:eingang_detail", args=[weiterleitung.pk])


# --- Liste -------------------------------------------------------------------------------


def _filterdaten(request: HttpRequest) -> QueryDict:
    """Beim ersten Aufruf (nichts abgeschickt, höchstens geblättert) sieht der Fachbereich,
    was zu erledigen ist; alle anderen sehen alle Weiterleitungen."""
    daten: QueryDict = request.GET.copy()
    if not set(daten) - {"page"} and request.user.rolle == Rolle.FACHBEREICH:
        daten["status"] = ZU_ERLEDIGEN
    return daten


@require_GET
@rolle_erforderlich
def eingang(request: HttpRequest) -> HttpResponse:
    # Abfragen (unabhängig von der Zahl der Zeilen): Sitzung, Benutzer, Anzahl, eine Seite
    # Weiterleitungen mit Fachbereich und Anliegen samt Quartier und Thema (ein JOIN); für das
    # Quartiersmanagement stecken die eigenen Quartiere als Unterabfrage darin.
    daten = _filterdaten(request)
    offen_zuerst = Case(
        When(status__in=OFFENE_WSTATUS, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    basis = (
        sichtbare_weiterleitungen(request.user)
        .select_related(
            "fachbereich", "anliegen__quartier", "anliegen__thema", "anliegen__meldende", "zusage"
        )
        # Personendaten-Recht je Zeile in derselben Abfrage (für die Maske des Titels).
        .annotate(personendaten_sichtbar=personendaten_ausdruck(request.user, ueber="anliegen__"))
        .order_by(offen_zuerst, "frist", "-erstellt_am", "-pk")
    )
    filter_ = EingangFilter(daten, queryset=basis, request=request)
    seite = Paginator(filter_.qs, SEITENGROESSE).get_page(request.GET.get("page"))
    for w in seite:
        w.maske = maske_fuer(w.personendaten_sichtbar, w.anliegen.meldende)
    parameter = daten.copy()
    parameter.pop("page", None)
    kodiert = parameter.urlencode()
    vorlage = "anliegen/eingang_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {
            "filter": filter_,
            "seite": seite,
            "mit_fachbereich": request.user.rolle != Rolle.FACHBEREICH,
            "seiten_parameter": f"{kodiert}&" if kodiert else "",
        },
    )


# --- Detail ------------------------------------------------------------------------------


def _holen(request: HttpRequest, pk: int) -> Weiterleitung:
    return get_object_or_404(
        sichtbare_weiterleitungen(request.user).select_related(
            "fachbereich",
            "ablehnungsgrund",
            "zustaendig_fachbereich",
            "beantwortet_von",
            "anliegen__quartier",
            "anliegen__thema",
            "anliegen__zustaendig",
            "anliegen__meldende",
            "anliegen__akteur",
            "zusage",
        ),
        pk=pk,
    )


BESCHRIFTUNGEN = {
    "annehmen": (gettext_lazy("Annehmen"), "primary"),
    "beantworten": (gettext_lazy("Antworten"), "primary"),
    "zurueckgeben": (gettext_lazy("Nicht zuständig"), "secondary"),
    "notiz": (gettext_lazy("Notiz"), "secondary"),
    "zusage_eingehalten": (gettext_lazy("Zusage eingehalten"), "primary"),
    "zusage_verschieben": (gettext_lazy("Zusage verschieben"), "secondary"),
    "zusage_entfallen": (gettext_lazy("Zusage entfällt"), "secondary"),
}


def _operationen(user, weiterleitung: Weiterleitung) -> list[str]:
    """Die Schritte aus dem Workflow, dazu die Notiz für den adressierten Fachbereich."""
    namen = workflow.moegliche_weiterleitungsoperationen(user, weiterleitung)
    if darf_weiterleitung_bearbeiten(user, weiterleitung):
        namen.append("notiz")
    return namen


@require_GET
@rolle_erforderlich
def eingang_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Abfragen (fest): Sitzung, Benutzer, Weiterleitung mit Fachbereichen, Ablehnungsgrund,
    # Beantwortenden und Anliegen (Quartier, Thema, Zuständige, Meldende); der Verlauf dieser
    # Weiterleitung mit Personen; nur bei geteiltem Kontakt die Prüfung des Rechts; die
    # sichtbaren Anhänge mit Person (eine Abfrage; für das QM dazu das Recht).
    weiterleitung = _holen(request, pk)
    anliegen = weiterleitung.anliegen
    kontakt = bool(
        weiterleitung.kontakt_geteilt
        and anliegen.meldende_id
        and darf_personendaten_sehen(request.user, anliegen)
    )
    # Antworten, Zwischenbescheide, Rückgaben dieses Fachbereichs seit der Weiterleitung und
    # Notizen seiner Mitarbeitenden; Notizen des Quartiersmanagements bleiben dort.
    verlauf = list(
        Ereignis.objects.filter(anliegen=anliegen, zeitpunkt__gte=weiterleitung.erstellt_am)
        .filter(
            Q(art__in=VERLAUF_ARTEN, daten__fachbereich=weiterleitung.fachbereich.kuerzel)
            | Q(art="notiz", von__fachbereich=weiterleitung.fachbereich_id)
        )
        .select_related("von")
    )
    notiztexte = darf_notiztexte_lesen(request.user)
    for ereignis in verlauf:
        ereignis.anzeige = (
            ereignis.text()
            if notiztexte or ereignis.art != "notiz"
            else _("Text nur für Quartiersmanagement und Fachbereiche sichtbar.")
        )
    # Für den Fachbereich zählt hier der in dieser Weiterleitung geteilte Kontakt (ohne eigene
    # Abfrage; strenger als auf der Seite des Anliegens, nie großzügiger).
    personendaten = (
        kontakt
        if request.user.rolle == Rolle.FACHBEREICH
        else darf_personendaten_sehen(request.user, anliegen)
    )
    anhaenge = list(
        sichtbare_anhaenge(request.user, anliegen, personendaten=personendaten).select_related(
            "hochgeladen_von"
        )
    )
    operationen = [
        {"name": name, "label": BESCHRIFTUNGEN[name][0], "art": BESCHRIFTUNGEN[name][1]}
        for name in _operationen(request.user, weiterleitung)
    ]
    return render(
        request,
        "anliegen/eingang_detail.html",
        {
            "w": weiterleitung,
            "zusage": getattr(weiterleitung, "zusage", None),
            "anliegen": anliegen,
            "kontakt": kontakt,
            "eingebracht_von": eingebracht_von(anliegen, verlinken=True),
            "maske": maske_fuer(personendaten, anliegen.meldende),
            "verlauf": verlauf,
            "anhaenge": anhaenge,
            "operationen": operationen,
            "zum_anliegen": request.user.rolle != Rolle.FACHBEREICH,
            "pfad": [
                (_("Posteingang"), reverse("anliegen:eingang")),
                (anliegen.nummer, None),
            ],
        },
    )


# --- Schritte: je ein Formular und eine Operation aus anliegen/workflow.py ----------------
# `wer` ist `durch=<User>` im Posteingang oder `per_link=<workflow.PerLink>` auf den Seiten des
# Antwortlinks (views/antwortlink.py): beide gehen durch dieselbe Ausführung und Operation.


def _beantworten(w: Weiterleitung, d: dict, **wer) -> str:
    workflow.beantworten(
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


def _zurueckgeben(w: Weiterleitung, d: dict, **wer) -> str:
    workflow.zurueckgeben(
        w,
        zustaendig_fachbereich=d["zustaendig_fachbereich"],
        hinweis=d["hinweis"],
        version=d["version"],
        **wer,
    )
    return _("Zurückgegeben; das Quartiersmanagement ist benachrichtigt.")


def _annehmen(w: Weiterleitung, d: dict, **wer) -> str:
    workflow.annehmen(w, version=d["version"], **wer)
    return _("Angenommen. Ihr Fachbereich ist jetzt zuständig.")


def _notiz(w: Weiterleitung, d: dict, *, durch) -> str:
    workflow.notiz(w.anliegen, text=d["text"], durch=durch, einreichung=d["einreichung"])
    return _("Die Notiz ist gespeichert.")


def _zusage_eingehalten(w: Weiterleitung, d: dict, *, durch) -> str:
    workflow.zusage_eingehalten(w.zusage, text=d["text"], durch=durch, version=d["version"])
    return _("Die Zusage ist als eingehalten vermerkt; das Quartiersmanagement ist benachrichtigt.")


def _zusage_verschieben(w: Weiterleitung, d: dict, *, durch) -> str:
    workflow.zusage_verschieben(
        w.zusage,
        neues_datum=d["neues_datum"],
        grund=d["grund"],
        durch=durch,
        version=d["version"],
    )
    return _("Die Zusage ist verschoben; das Quartiersmanagement ist benachrichtigt.")


def _zusage_entfallen(w: Weiterleitung, d: dict, *, durch) -> str:
    workflow.zusage_entfallen(w.zusage, grund=d["grund"], durch=durch, version=d["version"])
    return _("Die Zusage ist als entfallen vermerkt; das Quartiersmanagement ist benachrichtigt.")


# aktion → (Formular, Ausführung, Titel der Seite)
AKTIONEN = {
    "annehmen": (AnnehmenForm, _annehmen, gettext_lazy("Weiterleitung annehmen")),
    "zurueckgeben": (
        ZurueckgebenForm,
        _zurueckgeben,
        gettext_lazy("Nicht zuständig – zurückgeben"),
    ),
    "beantworten": (BeantwortenForm, _beantworten, gettext_lazy("Antworten")),
    "notiz": (NotizForm, _notiz, gettext_lazy("Notiz")),
    "zusage_eingehalten": (
        ZusageEingehaltenForm,
        _zusage_eingehalten,
        gettext_lazy("Zusage eingehalten"),
    ),
    "zusage_verschieben": (
        ZusageVerschiebenForm,
        _zusage_verschieben,
        gettext_lazy("Zusage verschieben"),
    ),
    "zusage_entfallen": (ZusageEntfallenForm, _zusage_entfallen, gettext_lazy("Zusage entfällt")),
}

ZUSAGE_FORMULARE = (ZusageEingehaltenForm, ZusageVerschiebenForm, ZusageEntfallenForm)


def _formular(aktion: str, weiterleitung: Weiterleitung, daten=None):
    klasse = AKTIONEN[aktion][0]
    kwargs = {}
    if klasse in (ZurueckgebenForm, BeantwortenForm):
        kwargs["weiterleitung"] = weiterleitung
    if klasse is NotizForm:
        initial = {}
    elif klasse in ZUSAGE_FORMULARE:
        initial = {"version": weiterleitung.zusage.version}
    else:
        initial = {"version": weiterleitung.version}
    return klasse(daten, initial=initial, **kwargs)


def _fehler_zuordnen(form, fehler: ValidationError, weiterleitung: Weiterleitung) -> None:
    if isinstance(fehler, workflow.Konflikt):
        # Eingaben bleiben; die Version rückt auf den aktuellen Stand, damit ein erneutes
        # Absenden nach dem Prüfen möglich ist.
        form.data = form.data.copy()
        if isinstance(form, ZUSAGE_FORMULARE):
            aktuell = Zusage.objects.filter(weiterleitung=weiterleitung)
        else:
            aktuell = Weiterleitung.objects.filter(pk=weiterleitung.pk)
        form.data["version"] = aktuell.values_list("version", flat=True).first()
    if hasattr(fehler, "error_dict"):
        for feld, liste in fehler.error_dict.items():
            form.add_error(feld if feld in form.fields else None, liste)
    else:
        form.add_error(None, fehler)


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def eingang_aktion(request: HttpRequest, pk: int, aktion: str) -> HttpResponse:
    weiterleitung = _holen(request, pk)
    if aktion not in AKTIONEN:
        raise Http404
    if not darf_weiterleitung_bearbeiten(request.user, weiterleitung):
        raise PermissionDenied
    if aktion not in _operationen(request.user, weiterleitung):
        # Recht, aber falscher Zustand (z. B. zweiter Klick): zurück zur Seite mit Hinweis.
        messages.warning(
            request,
            _("Das geht im Status „%(status)s“ nicht.")
            % {"status": weiterleitung.get_status_display()},
        )
        return redirect(_eingang_url(weiterleitung))
    _klasse, ausfuehren, titel = AKTIONEN[aktion]
    form = _formular(aktion, weiterleitung, request.POST if request.method == "POST" else None)
    senden = request.method == "POST"
    if senden and EINFUEGEN in request.POST and isinstance(form, TextbausteinMixin):
        # Ohne JavaScript: Baustein einfügen, alles andere Getippte bleibt, nichts wird gesendet.
        form = baustein_einfuegen(request, form, type(form), weiterleitung=weiterleitung)
        senden = False
    if senden and form.is_valid():
        try:
            erfolg = ausfuehren(weiterleitung, form.cleaned_data, durch=request.user)
        except ValidationError as fehler:
            _fehler_zuordnen(form, fehler, weiterleitung)
        else:
            messages.success(request, erfolg)
            return redirect(_eingang_url(weiterleitung))
    anliegen = weiterleitung.anliegen
    return render(
        request,
        "anliegen/eingang_aktion.html",
        {
            "w": weiterleitung,
            "anliegen": anliegen,
            "form": form,
            "titel": titel,
            "aktion": aktion,
            "maske": maske_fuer(weiterleitung.kontakt_geteilt, anliegen.meldende),
            "zurueck": _eingang_url(weiterleitung),
            "pfad": [
                (_("Posteingang"), reverse("anliegen:eingang")),
                (anliegen.nummer, _eingang_url(weiterleitung)),
                (titel, None),
            ],
        },
    )


urls = [
    path("eingang/", eingang, name="eingang"),
    path("eingang/<int:pk>/", eingang_detail, name="eingang_detail"),
    path("eingang/<int:pk>/<slug:aktion>/", eingang_aktion, name="eingang_aktion"),
]
