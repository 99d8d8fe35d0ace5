"""Akteure: Verzeichnis mit Filtern und CSV-Export, Detailseite, Anlegen und Bearbeiten,
dazu der Abschnitt „Bürogemeinschaft“ auf der Seite eines Stadtteilbüros."""

from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.router import vom_replikat
from quartier.erweiterungen import Abschnitt, abschnitte
from quartier.models import Quartier, Stadtteilbuero
from quartier.permissions import rolle_erforderlich, sichtbare_bueros, sichtbare_quartiere
from quartier.sperren import Konflikt
from quartier.tabellen import bloecke, csv_zeilen_antwort
from quartier.typen import Anfrage, Pfad

from ..akteure_import import SPALTEN as EXPORT_SPALTEN
from ..erweiterungen import AKTEUR_ABSCHNITTE
from ..filters import AkteurFilter
from ..forms.akteure import AkteurForm, AngebotszeitFormSet, AnsprechpersonFormSet
from ..models import Akteur, Akteursart, Angebotszeit, Mitgliedschaft
from ..permissions import (
    darf_akteur_bearbeiten,
    darf_anlegen,
    darf_ansprechpersonen_sehen,
    sichtbare_akteure,
    sichtbare_ansprechpersonen,
    sichtbare_antraege,
    sichtbare_netzwerke,
    sichtbare_projekte,
    sichtbare_sitzungen,
)
from . import mit_sperre_speichern, nach_konflikt

SEITENGROESSE = 50
EXPORT_BLOCK = 1000
SITZUNGEN_AUF_DER_DETAILSEITE = 10


def _parameter_ohne_seite(request: Anfrage) -> str:
    parameter = request.GET.copy()
    parameter.pop("page", None)
    return parameter.urlencode()


def _akteur_filter(request: Anfrage) -> AkteurFilter:
    """Das Filterformular; beim ersten Aufruf (nichts abgeschickt, höchstens geblättert)
    zeigt es nur aktive Akteure. Wer das Formular abschickt, sendet immer `q` mit, so dass
    ein abgewählter Haken „nur aktive“ auch abgewählt bleibt."""
    daten: QueryDict = request.GET.copy()
    if not set(daten) - {"page"}:
        daten["nur_aktive"] = "on"
    basis = (
        sichtbare_akteure(request.user)
        .select_related("traeger")
        .prefetch_related(
            Prefetch("quartiere", queryset=Quartier.objects.order_by("name")), "zielgruppen"
        )
        .order_by("name")
    )
    return AkteurFilter(daten, queryset=basis)


def _akteur_zum_bearbeiten(request: Anfrage, pk: int) -> Akteur:
    """Nicht sichtbar: 404; sichtbar, aber nicht erlaubt: 403."""
    akteur = get_object_or_404(sichtbare_akteure(request.user), pk=pk)
    if not darf_akteur_bearbeiten(request.user, akteur):
        raise PermissionDenied
    return akteur


# --- Verzeichnis -------------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def akteur_liste(request: Anfrage) -> HttpResponse:
    filter_ = _akteur_filter(request)
    seite = Paginator(filter_.qs, SEITENGROESSE).get_page(request.GET.get("page"))
    parameter = _parameter_ohne_seite(request)
    vorlage = "netzwerke/akteur_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {
            "filter": filter_,
            "seite": seite,
            "seiten_parameter": f"{parameter}&" if parameter else "",
            "export_parameter": f"?{parameter}" if parameter else "",
            "darf_anlegen": darf_anlegen(request.user),
        },
    )


def _namen_je_akteur(through: type[Model], feld: str, ids: list[int]) -> dict[int, list[str]]:
    namen: dict[int, list[str]] = {}
    zeilen = (
        through._default_manager.filter(akteur_id__in=ids)
        .order_by(f"{feld}__name", f"{feld}_id")
        .values_list("akteur_id", f"{feld}__name")
    )
    for akteur_id, name in zeilen:
        namen.setdefault(akteur_id, []).append(name)
    return namen


def _akteur_zeilen(akteure: QuerySet[Akteur]) -> Iterator[list[str]]:
    # Einmal übersetzt statt je Zeile (get_art_display übersetzt und hasht bei jedem Aufruf);
    # Quartiere und Zielgruppen je Block als Namen (ohne Modellobjekte und Manager je Zeile).
    arten = {wert: str(text) for wert, text in Akteursart.choices}
    qs = akteure.prefetch_related(None)
    for block in bloecke(qs.iterator(chunk_size=EXPORT_BLOCK), EXPORT_BLOCK):
        ids = [a.pk for a in block]
        quartiere = _namen_je_akteur(Akteur.quartiere.through, "quartier", ids)
        zielgruppen = _namen_je_akteur(Akteur.zielgruppen.through, "zielgruppe", ids)
        for akteur in block:
            yield _akteur_zeile(akteur, arten, quartiere, zielgruppen)


def _akteur_zeile(
    akteur: Akteur,
    arten: dict[str, str],
    quartiere: dict[int, list[str]],
    zielgruppen: dict[int, list[str]],
) -> list[str]:
    return [
        akteur.name,
        arten.get(akteur.art, akteur.art),
        akteur.traeger.name if akteur.traeger else "",
        ", ".join(quartiere.get(akteur.pk, [])),
        ", ".join(zielgruppen.get(akteur.pk, [])),
        akteur.strasse,
        akteur.plz,
        akteur.ort,
        akteur.telefon,
        akteur.email,
        akteur.website,
        akteur.angebote,
        "ja" if akteur.aktiv else "nein",
    ]


@require_GET
@rolle_erforderlich
@vom_replikat
def akteur_export(request: Anfrage) -> StreamingHttpResponse:
    """Das gefilterte Verzeichnis als CSV (Semikolon, UTF-8 mit BOM für Excel).

    Nur die Kontaktdaten der Einrichtung, nie Ansprechpersonen: der Export ist für alle
    Rollen gleich, auch für die Sozialplanung. Die Spalten sind die von `akteure_import`,
    der Export lässt sich also wieder einlesen. Gestreamt Zeile für Zeile (je Block von
    `EXPORT_BLOCK` Akteuren eine Abfrage für Quartiere und Zielgruppen): der Speicher bleibt
    auch bei 100.000 Akteuren flach.
    """
    akteure = _akteur_filter(request).qs
    dateiname = f"akteure-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_zeilen_antwort(EXPORT_SPALTEN, _akteur_zeilen(akteure), dateiname)


# --- Detailseite -------------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def akteur_detail(request: Anfrage, pk: int) -> HttpResponse:
    user = request.user
    akteur = get_object_or_404(sichtbare_akteure(user).select_related("traeger"), pk=pk)
    heute = timezone.localdate()
    return render(
        request,
        "netzwerke/akteur_detail.html",
        {
            "akteur": akteur,
            "pfad": [(_("Akteure"), reverse("netzwerke:akteur_liste")), (akteur.name, None)],
            "quartiere": akteur.quartiere.filter(
                pk__in=sichtbare_quartiere(user).values("pk")
            ).select_related("bezirk"),
            "zielgruppen": akteur.zielgruppen.all(),
            "einrichtungen": sichtbare_akteure(user).filter(traeger=akteur).order_by("name"),
            "darf_ansprechpersonen_sehen": darf_ansprechpersonen_sehen(user),
            # Für die Sozialplanung ist das eine leere Liste ohne Datenbankabfrage.
            "ansprechpersonen": sichtbare_ansprechpersonen(user).filter(akteur=akteur),
            "mitgliedschaften": Mitgliedschaft.objects.aktiv_am(heute)
            .filter(akteur=akteur, netzwerk__in=sichtbare_netzwerke(user))
            .select_related("netzwerk")
            .order_by("netzwerk__name"),
            "sitzungen": sichtbare_sitzungen(user)
            .filter(teilnehmende=akteur)
            .select_related("netzwerk")
            .order_by("-beginn")[:SITZUNGEN_AUF_DER_DETAILSEITE],
            "sitzungen_hoechstens": SITZUNGEN_AUF_DER_DETAILSEITE,
            "projekte": sichtbare_projekte(user)
            .filter(partner=akteur)
            .order_by("-beginn", "titel"),
            "antraege": sichtbare_antraege(user)
            .filter(antragsteller=akteur)
            .select_related("fonds__netzwerk"),
            "angebotszeiten": Angebotszeit.objects.filter(
                akteur=akteur, buero__in=sichtbare_bueros(user)
            ).select_related("buero"),
            "darf_bearbeiten": darf_akteur_bearbeiten(user, akteur),
            "abschnitte": abschnitte(AKTEUR_ABSCHNITTE, request, akteur),
        },
    )


# --- Anlegen und Bearbeiten --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def akteur_neu(request: Anfrage) -> HttpResponse:
    if not darf_anlegen(request.user):
        raise PermissionDenied
    return _formular(request, Akteur())


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def akteur_bearbeiten(request: Anfrage, pk: int) -> HttpResponse:
    return _formular(request, _akteur_zum_bearbeiten(request, pk))


def _formulare(
    request: Anfrage, akteur: Akteur, daten: QueryDict | None
) -> tuple[AkteurForm, dict[str, BaseInlineFormSet]]:
    user = request.user
    form = AkteurForm(daten, instance=akteur, user=user)
    formsets: dict[str, BaseInlineFormSet] = {
        "angebotszeiten": AngebotszeitFormSet(
            daten,
            instance=form.instance,
            queryset=Angebotszeit.objects.filter(buero__in=sichtbare_bueros(user)).select_related(
                "buero"
            ),
            form_kwargs={"user": user},
        )
    }
    if darf_ansprechpersonen_sehen(user):
        formsets["ansprechpersonen"] = AnsprechpersonFormSet(
            daten, instance=form.instance, queryset=sichtbare_ansprechpersonen(user)
        )
    return form, formsets


def _formular(request: Anfrage, akteur: Akteur) -> HttpResponse:
    """Stammdaten mit zwei Listen darunter: Ansprechpersonen (nur für Rollen, die sie sehen
    dürfen) und Angebotszeiten in Stadtteilbüros. Gespeichert wird alles oder nichts, und nur
    auf dem Stand beim Laden (`quartier.sperren` über die Version des Akteurs: sie gilt für
    die ganze Seite, auch für die Listen)."""
    neu = akteur.pk is None
    daten = request.POST if request.method == "POST" else None
    form, formsets = _formulare(request, akteur, daten)
    status = 200

    if daten is not None:
        # Alle prüfen (nicht beim ersten Fehler aufhören), damit jede Meldung erscheint.
        ergebnisse = [form.is_valid()] + [fs.is_valid() for fs in formsets.values()]
        if all(ergebnisse):
            try:
                with transaction.atomic():
                    akteur = mit_sperre_speichern(form)
                    for formset in formsets.values():
                        formset.instance = akteur
                        formset.save()
            except Konflikt as fehler:
                # Nichts ist geschrieben; die Eingaben bleiben, die Version rückt nach.
                akteur = Akteur.objects.get(pk=akteur.pk)
                form, formsets = _formulare(
                    request, akteur, nach_konflikt(daten, Akteur, akteur.pk)
                )
                form.is_valid()
                for teil in formsets.values():
                    teil.is_valid()
                form.add_error(None, fehler)
                status = 409
            else:
                messages.success(
                    request,
                    (
                        _("Akteur „%(name)s“ angelegt.")
                        if neu
                        else _("Akteur „%(name)s“ gespeichert.")
                    )
                    % {"name": akteur.name},
                )
                return redirect(akteur)

    titel = _("Neuer Akteur") if neu else _("%(name)s bearbeiten") % {"name": akteur.name}
    pfad: Pfad = [(_("Akteure"), reverse("netzwerke:akteur_liste"))]
    if not neu:
        pfad.append((akteur.name, akteur.get_absolute_url()))
    pfad.append((titel, None))
    return render(
        request,
        "netzwerke/akteur_form.html",
        {
            "form": form,
            "ansprechpersonen": formsets.get("ansprechpersonen"),
            "angebotszeiten": formsets["angebotszeiten"],
            "formset_fehler": _formset_fehler(formsets),
            "titel": titel,
            "pfad": pfad,
            "abbrechen": reverse("netzwerke:akteur_liste") if neu else akteur.get_absolute_url(),
        },
        status=status,
    )


def _formset_fehler(formsets: dict) -> list[dict]:
    """Fehler der Listen für die Zusammenfassung oben: Text und Sprungziel je Feld."""
    bezeichnung = {
        "ansprechpersonen": _("Ansprechperson %(n)s"),
        "angebotszeiten": _("Angebotszeit %(n)s"),
    }
    fehler: list[dict] = []
    for name, formset in formsets.items():
        if not formset.is_bound:
            continue
        fehler.extend({"text": str(f), "ziel": ""} for f in formset.non_form_errors())
        for nummer, form in enumerate(formset.forms, start=1):
            vorsatz = bezeichnung[name] % {"n": nummer}
            fehler.extend({"text": f"{vorsatz}: {f}", "ziel": ""} for f in form.non_field_errors())
            for feld in form.visible_fields():
                fehler.extend(
                    {"text": f"{vorsatz}, {feld.label}: {f}", "ziel": feld.id_for_label}
                    for f in feld.errors
                )
    return fehler


urls = [
    path("akteure/", akteur_liste, name="akteur_liste"),
    path("akteure/export.csv", akteur_export, name="akteur_export"),
    path("akteure/neu/", akteur_neu, name="akteur_neu"),
    path("akteure/<int:pk>/", akteur_detail, name="akteur_detail"),
    path("akteure/<int:pk>/bearbeiten/", akteur_bearbeiten, name="akteur_bearbeiten"),
]


# --- Bürogemeinschaft auf der Seite eines Stadtteilbüros --------------------------------


def buerogemeinschaft(request: Anfrage, buero: Stadtteilbuero) -> Abschnitt | None:
    """Die Angebote der Akteure, die das Büro mitnutzen, nach Wochentag und Uhrzeit: ein Ort,
    an dem Bewohner:innen jedes Angebot in diesem Büro finden. Eine Abfrage."""
    angebote = list(
        Angebotszeit.objects.filter(buero=buero, akteur__in=sichtbare_akteure(request.user))
        .select_related("akteur")
        .order_by("wochentag", "beginn", "akteur__name")
    )
    if not angebote:
        return None
    return Abschnitt("netzwerke/_buerogemeinschaft.html", {"angebote": angebote})
