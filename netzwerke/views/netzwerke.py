"""Netzwerke, Mitgliedschaften und Sitzungen.

Verzeichnis der Netzwerke (Arbeitsgruppen unter ihrer Stadtteilkonferenz), Detailseite,
Mitgliedschaften, die Sitzungsseite fürs Tablet (während der Sitzung ausfüllen) und das
druckbare Protokoll. Objekte kommen nur über die `sichtbare_…`-Listen aus
`netzwerke.permissions`; was dort fehlt, ist ein 404, was nicht bearbeitet werden darf, ein 403.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.erweiterungen import abschnitte
from quartier.models import User
from quartier.permissions import rolle_erforderlich
from quartier.sperren import Konflikt, speichern, sperren
from quartier.typen import Anfrage, Pfad
from quartier.views import seitenparameter

from ..erweiterungen import SITZUNG_ABSCHNITTE
from ..filters import NetzwerkFilter, SitzungFilter
from ..forms.netzwerke import (
    BasisTagesordnungFormSet,
    BeendenForm,
    MitgliedschaftForm,
    NetzwerkForm,
    SitzungForm,
    tagesordnung_formset,
)
from ..models import (
    BELASTENDE_STATUS,
    Akteur,
    Mitgliedschaft,
    Mitgliedsrolle,
    Netzwerk,
    Sitzung,
    Tagesordnungspunkt,
)
from ..permissions import (
    darf_anlegen,
    darf_netzwerk_bearbeiten,
    darf_sitzung_bearbeiten,
    sichtbare_antraege,
    sichtbare_fonds,
    sichtbare_netzwerke,
    sichtbare_sitzungen,
)
from . import formularseite

SEITENGROESSE = 25
# Auf der Detailseite eines Netzwerks; die Sitzungsliste zeigt alle.
SITZUNGEN_JE_NETZWERK = 10
# Kommende Sitzungen auf der Sitzungsliste (die vergangenen werden geblättert).
HOECHSTENS_KOMMENDE = 50


# --- Hilfen für Views --------------------------------------------------------------------


def _netzwerk_zum_bearbeiten(user: User, pk: int) -> Netzwerk:
    netzwerk = get_object_or_404(sichtbare_netzwerke(user), pk=pk)
    if not darf_anlegen(user) or not darf_netzwerk_bearbeiten(user, netzwerk):
        raise PermissionDenied
    return netzwerk


def _sitzung_zum_bearbeiten(user: User, pk: int) -> Sitzung:
    sitzung: Sitzung = get_object_or_404(
        sichtbare_sitzungen(user).select_related("netzwerk"), pk=pk
    )
    if not darf_anlegen(user) or not darf_sitzung_bearbeiten(user, sitzung):
        raise PermissionDenied
    return sitzung


def _mit_naechster_sitzung(netzwerke: QuerySet[Netzwerk]) -> QuerySet[Netzwerk]:
    """Je Netzwerk die nächste Sitzung als Unterabfragen: eine Abfrage für die ganze Liste
    (nutzt den Index `sitzung_netzwerk_beginn_idx`)."""
    naechste = Sitzung.objects.filter(netzwerk=OuterRef("pk"), beginn__gte=timezone.now()).order_by(
        "beginn"
    )
    return netzwerke.annotate(
        naechste_sitzung_pk=Subquery(naechste.values("pk")[:1]),
        naechste_sitzung_beginn=Subquery(naechste.values("beginn")[:1]),
        naechste_sitzung_ort=Subquery(naechste.values("ort")[:1]),
    )


def _mit_anzahl_mitglieder(netzwerke: QuerySet[Netzwerk]) -> QuerySet[Netzwerk]:
    anzahl = (
        Mitgliedschaft.objects.filter(netzwerk=OuterRef("pk"))
        .aktiv()
        .order_by()
        .values("netzwerk")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return netzwerke.annotate(
        anzahl_mitglieder=Coalesce(Subquery(anzahl, output_field=IntegerField()), 0)
    )


def _als_baum(netzwerke: list[Netzwerk]) -> list[dict]:
    """Arbeitsgruppen direkt unter ihrem übergeordneten Netzwerk, wenn es in der Liste ist;
    sonst stehen sie oben (mit Hinweis auf das übergeordnete)."""
    in_liste = {n.pk for n in netzwerke}
    kinder: dict[int, list[Netzwerk]] = defaultdict(list)
    for n in netzwerke:
        if n.uebergeordnet_id in in_liste:
            kinder[n.uebergeordnet_id].append(n)
    zeilen: list[dict] = []
    gezeigt: set[int] = set()

    def einfuegen(netzwerk: Netzwerk, tiefe: int) -> None:
        if netzwerk.pk in gezeigt:
            return
        gezeigt.add(netzwerk.pk)
        zeilen.append({"netzwerk": netzwerk, "tiefe": min(tiefe, 3)})
        for kind in kinder[netzwerk.pk]:
            einfuegen(kind, tiefe + 1)

    for n in netzwerke:
        if n.uebergeordnet_id not in in_liste:
            einfuegen(n, 0)
    for n in netzwerke:  # nur bei Zyklen aus der Verwaltung: nichts verschwindet
        einfuegen(n, 0)
    return zeilen


# --- Netzwerke ---------------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def netzwerk_liste(request: Anfrage) -> HttpResponse:
    basis = (
        _mit_anzahl_mitglieder(_mit_naechster_sitzung(sichtbare_netzwerke(request.user)))
        .select_related("uebergeordnet")
        .prefetch_related("quartiere")
        .order_by("name")
    )
    filter_ = NetzwerkFilter(request.GET or None, queryset=basis)
    netzwerke = list(filter_.qs)
    vorlage = "netzwerke/netzwerk_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {
            "filter": filter_,
            "zeilen": _als_baum(netzwerke),
            "anzahl": len(netzwerke),
            "darf_anlegen": darf_anlegen(request.user),
        },
    )


@require_GET
@rolle_erforderlich
def netzwerk_detail(request: Anfrage, pk: int) -> HttpResponse:
    user = request.user
    netzwerk = get_object_or_404(sichtbare_netzwerke(user).select_related("uebergeordnet"), pk=pk)
    heute = timezone.localdate()
    jetzt = timezone.now()
    mitgliedschaften = list(
        netzwerk.mitgliedschaften.select_related("akteur").order_by("akteur__name", "-seit")
    )
    aktuelle = [m for m in mitgliedschaften if m.bis is None or m.bis >= heute]
    sitzungen = netzwerk.sitzungen.annotate(anzahl_anwesende=Count("teilnehmende"))
    fonds = list(
        sichtbare_fonds(user)
        .filter(netzwerk=netzwerk)
        .annotate(
            bewilligt=Sum(
                "antraege__bewilligt_betrag", filter=Q(antraege__status__in=BELASTENDE_STATUS)
            )
        )
        .order_by("-jahr")
    )
    for f in fonds:
        # nur für die Vorlage; ein Attribut, das das Modell nicht kennt
        f.rest = f.budget - (f.bewilligt or 0)  # type: ignore[attr-defined]
    darf_bearbeiten = darf_anlegen(user) and darf_netzwerk_bearbeiten(user, netzwerk)
    pfad: Pfad = [(_("Netzwerke"), reverse("netzwerke:netzwerk_liste"))]
    if netzwerk.uebergeordnet:
        pfad.append((netzwerk.uebergeordnet.name, netzwerk.uebergeordnet.get_absolute_url()))
    pfad.append((netzwerk.name, None))
    return render(
        request,
        "netzwerke/netzwerk_detail.html",
        {
            "netzwerk": netzwerk,
            "pfad": pfad,
            "heute": heute,
            "quartiere": netzwerk.quartiere.select_related("bezirk").order_by("name"),
            "sprecherteam": [m for m in aktuelle if m.rolle == Mitgliedsrolle.SPRECHERTEAM],
            "aktuelle": aktuelle,
            "fruehere": [m for m in mitgliedschaften if m.bis is not None and m.bis < heute],
            "arbeitsgruppen": netzwerk.arbeitsgruppen.order_by("name"),
            "kommende": sitzungen.filter(beginn__gte=jetzt).order_by("beginn")[
                :SITZUNGEN_JE_NETZWERK
            ],
            "vergangene": sitzungen.filter(beginn__lt=jetzt).order_by("-beginn")[
                :SITZUNGEN_JE_NETZWERK
            ],
            "fonds": fonds,
            "darf_bearbeiten": darf_bearbeiten,
        },
    )


def _netzwerk_formular(request: Anfrage, netzwerk: Netzwerk | None) -> HttpResponse:
    return formularseite(
        request,
        form_klasse=NetzwerkForm,
        objekt=netzwerk,
        liste=(_("Netzwerke"), reverse("netzwerke:netzwerk_liste")),
        titel_neu=_("Neues Netzwerk"),
        vorlage="netzwerke/netzwerk_form.html",
    )


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def netzwerk_neu(request: Anfrage) -> HttpResponse:
    if not darf_anlegen(request.user):
        raise PermissionDenied
    return _netzwerk_formular(request, None)


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def netzwerk_bearbeiten(request: Anfrage, pk: int) -> HttpResponse:
    return _netzwerk_formular(request, _netzwerk_zum_bearbeiten(request.user, pk))


# --- Mitgliedschaften --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def mitgliedschaft_neu(request: Anfrage, pk: int) -> HttpResponse:
    netzwerk = _netzwerk_zum_bearbeiten(request.user, pk)
    daten = request.POST if request.method == "POST" else None
    form = MitgliedschaftForm(daten, instance=Mitgliedschaft(netzwerk=netzwerk), user=request.user)
    if daten is not None and form.is_valid():
        try:
            with transaction.atomic():
                mitgliedschaft = form.save()
        except IntegrityError:
            # Zwei Personen haben gleichzeitig dasselbe Mitglied eingetragen:
            # `mitgliedschaft_eine_laufende` hat die zweite Eintragung verhindert.
            form.add_error(
                "akteur",
                _(
                    "„%(akteur)s“ ist inzwischen bereits Mitglied in diesem Netzwerk. "
                    "Beenden Sie zuerst die laufende Mitgliedschaft."
                )
                % {"akteur": form.cleaned_data["akteur"]},
            )
        else:
            messages.success(
                request,
                _("„%(akteur)s“ ist als Mitglied eingetragen.") % {"akteur": mitgliedschaft.akteur},
            )
            return redirect(netzwerk)
    return render(
        request,
        "netzwerke/mitgliedschaft_form.html",
        {
            "form": form,
            "netzwerk": netzwerk,
            "pfad": [
                (_("Netzwerke"), reverse("netzwerke:netzwerk_liste")),
                (netzwerk.name, netzwerk.get_absolute_url()),
                (_("Mitglied eintragen"), None),
            ],
        },
    )


@require_POST
@rolle_erforderlich
def mitgliedschaft_beenden(request: Anfrage, pk: int) -> HttpResponse:
    user = request.user
    mitgliedschaft = get_object_or_404(
        Mitgliedschaft.objects.filter(netzwerk__in=sichtbare_netzwerke(user)).select_related(
            "netzwerk", "akteur"
        ),
        pk=pk,
    )
    netzwerk = mitgliedschaft.netzwerk
    if not darf_anlegen(user) or not darf_netzwerk_bearbeiten(user, netzwerk):
        raise PermissionDenied
    form = BeendenForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["bis"][0]))
        return redirect(netzwerk)
    bis = form.cleaned_data["bis"] or timezone.localdate()
    if bis < mitgliedschaft.seit:
        messages.error(
            request,
            _("Das Ende darf nicht vor dem Beginn der Mitgliedschaft (%(seit)s) liegen.")
            % {"seit": mitgliedschaft.seit.strftime("%d.%m.%Y")},
        )
        return redirect(netzwerk)
    # Bedingt: nur eine laufende Mitgliedschaft wird beendet, auch bei doppeltem Absenden.
    if Mitgliedschaft.objects.filter(pk=mitgliedschaft.pk, bis__isnull=True).update(bis=bis):
        messages.success(
            request,
            _("Die Mitgliedschaft von „%(akteur)s“ endet am %(bis)s.")
            % {"akteur": mitgliedschaft.akteur, "bis": bis.strftime("%d.%m.%Y")},
        )
    else:
        messages.error(request, _("Diese Mitgliedschaft ist bereits beendet."))
    return redirect(netzwerk)


# --- Sitzungen ---------------------------------------------------------------------------


def _tagesordnung_ersetzen(sitzung: Sitzung, punkte: list[dict]) -> None:
    # Die Tagesordnung im Formular ist vollständig: ersetzen statt abgleichen. So verletzt
    # Umnummerieren (TOP 1 ↔ TOP 2) nie zwischendurch `top_nummer_eindeutig`, und auf die
    # Punkte verweist nichts.
    sitzung.tagesordnung.all().delete()
    Tagesordnungspunkt.objects.bulk_create(
        Tagesordnungspunkt(
            sitzung=sitzung, nummer=p["nummer"], titel=p["titel"], ergebnis=p["ergebnis"]
        )
        for p in punkte
    )


FELDER_DER_SITZUNG = ("beginn", "ende", "ort", "weitere_teilnehmende", "protokoll")


def _sitzung_speichern(
    sitzung: Sitzung, form: SitzungForm, tagesordnung: BasisTagesordnungFormSet
) -> bool:
    """Speichert nur, wenn seit dem Laden des Formulars niemand gespeichert hat.

    `quartier.sperren`: die Zeile sperren und die Version beim Laden vergleichen; eine zweite,
    gleichzeitige Speicherung wartet auf die Sperre der ersten und findet danach eine neuere
    Version. Anwesenheit und Tagesordnung schreibt nur, wer die Version erhöht hat. Gibt False
    zurück, wenn die Version nicht mehr galt.
    """
    try:
        with transaction.atomic():
            gesperrt = sperren(Sitzung.objects, sitzung.pk, form.cleaned_data["version"])
            for feld in FELDER_DER_SITZUNG:
                setattr(gesperrt, feld, form.cleaned_data[feld])
            speichern(gesperrt, list(FELDER_DER_SITZUNG))
            gesperrt.teilnehmende.set(form.anwesende())
            _tagesordnung_ersetzen(gesperrt, tagesordnung.punkte())
    except Konflikt:
        return False
    return True


def _sitzung_formular(
    request: Anfrage, netzwerk: Netzwerk, sitzung: Sitzung | None
) -> HttpResponse:
    user = request.user
    instanz = sitzung or Sitzung(netzwerk=netzwerk)
    pfad: Pfad = [
        (_("Netzwerke"), reverse("netzwerke:netzwerk_liste")),
        (netzwerk.name, netzwerk.get_absolute_url()),
    ]
    if sitzung:
        # vor der Prüfung: sie schreibt die Eingaben in die Instanz
        pfad += [(_sitzungstitel(sitzung), sitzung.get_absolute_url()), (_("Bearbeiten"), None)]
    else:
        pfad.append((_("Neue Sitzung"), None))
    initial: dict = {}
    if sitzung:
        anwesend = set(sitzung.teilnehmende.values_list("pk", flat=True))
        initial = {
            "version": sitzung.version,
            "teilnehmende": anwesend,
            "weitere_akteure": anwesend,
        }
    daten: QueryDict | None = request.POST if request.method == "POST" else None
    form = SitzungForm(daten, instance=instanz, initial=initial, user=user)
    tagesordnung = tagesordnung_formset(daten, sitzung)
    konflikt: Sitzung | None = None
    status = 200
    if daten is not None and all([form.is_valid(), tagesordnung.is_valid()]):
        if sitzung is None:
            with transaction.atomic():
                sitzung = form.save()
                sitzung.teilnehmende.set(form.anwesende())
                _tagesordnung_ersetzen(sitzung, tagesordnung.punkte())
            gespeichert = True
        else:
            gespeichert = _sitzung_speichern(sitzung, form, tagesordnung)
        if gespeichert:
            messages.success(request, _("Die Sitzung ist gespeichert."))
            if "weiter" in request.POST:
                return redirect("netzwerke:sitzung_bearbeiten", pk=sitzung.pk)
            return redirect(sitzung)
        # Jemand anderes hat inzwischen gespeichert. Nichts wird überschrieben; die Eingaben
        # bleiben im Formular, jetzt mit der neuen Version: wer erneut speichert, überschreibt
        # bewusst den angezeigten aktuellen Stand.
        konflikt = get_object_or_404(
            Sitzung.objects.select_related("netzwerk").prefetch_related(
                Prefetch("teilnehmende", queryset=Akteur.objects.order_by("name")),
                "tagesordnung",
            ),
            pk=sitzung.pk,
        )
        daten = daten.copy()
        daten["version"] = str(konflikt.version)
        # Eigene Instanz fürs Formular: die Prüfung schreibt die Eingaben hinein, `konflikt`
        # soll den gespeicherten Stand zeigen.
        instanz = Sitzung.objects.select_related("netzwerk").get(pk=sitzung.pk)
        form = SitzungForm(daten, instance=instanz, initial=initial, user=user)
        tagesordnung = tagesordnung_formset(daten, instanz)
        form.is_valid()
        tagesordnung.is_valid()
        status = 409
    return render(
        request,
        "netzwerke/sitzung_form.html",
        {
            "form": form,
            "tagesordnung": tagesordnung,
            "tagesordnung_fehler": _tagesordnung_fehler(tagesordnung),
            "netzwerk": netzwerk,
            "sitzung": sitzung,
            "konflikt": konflikt,
            "pfad": pfad,
        },
        status=status,
    )


def _tagesordnung_fehler(tagesordnung: BasisTagesordnungFormSet) -> list[dict]:
    """Fehler der Tagesordnung als Liste mit Sprungzielen (die Zusammenfassung des
    Hauptformulars kennt sie nicht)."""
    if not tagesordnung.is_bound:
        return []
    fehler = [{"text": str(m), "ziel": ""} for m in tagesordnung.non_form_errors()]
    for zeile, form in enumerate(tagesordnung.forms, start=1):
        for name, meldungen in form.errors.items():
            feld = form[name] if name in form.fields else None
            for meldung in meldungen:
                text = _("Zeile %(zeile)s: %(meldung)s") % {"zeile": zeile, "meldung": meldung}
                if feld:
                    text = _("Zeile %(zeile)s, %(feld)s: %(meldung)s") % {
                        "zeile": zeile,
                        "feld": feld.label,
                        "meldung": meldung,
                    }
                fehler.append({"text": text, "ziel": feld.id_for_label if feld else ""})
    return fehler


def _sitzungstitel(sitzung: Sitzung) -> str:
    beginn = timezone.localtime(sitzung.beginn)
    return _("Sitzung am %(datum)s") % {"datum": date_format(beginn, "d.m.Y")}


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def sitzung_neu(request: Anfrage, pk: int) -> HttpResponse:
    return _sitzung_formular(request, _netzwerk_zum_bearbeiten(request.user, pk), None)


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def sitzung_bearbeiten(request: Anfrage, pk: int) -> HttpResponse:
    sitzung = _sitzung_zum_bearbeiten(request.user, pk)
    return _sitzung_formular(request, sitzung.netzwerk, sitzung)


def _sitzung_mit_inhalt(request: Anfrage, pk: int) -> dict:
    """Was Detailseite und Protokoll zeigen; feste Zahl an Abfragen."""
    user = request.user
    sitzung = get_object_or_404(sichtbare_sitzungen(user).select_related("netzwerk"), pk=pk)
    return {
        "sitzung": sitzung,
        "titel": _sitzungstitel(sitzung),
        "anwesende": list(sitzung.teilnehmende.order_by("name")),
        "tagesordnung": list(sitzung.tagesordnung.order_by("nummer")),
        "antraege": list(
            sichtbare_antraege(user).filter(sitzung=sitzung).select_related("antragsteller")
        ),
        # z. B. die hier eingebrachten Anliegen (aus `anliegen`, über den Erweiterungspunkt)
        "abschnitte": abschnitte(SITZUNG_ABSCHNITTE, request, sitzung),
    }


@require_GET
@rolle_erforderlich
def sitzung_detail(request: Anfrage, pk: int) -> HttpResponse:
    kontext = _sitzung_mit_inhalt(request, pk)
    sitzung: Sitzung = kontext["sitzung"]
    kontext["pfad"] = [
        (_("Netzwerke"), reverse("netzwerke:netzwerk_liste")),
        (sitzung.netzwerk.name, sitzung.netzwerk.get_absolute_url()),
        (kontext["titel"], None),
    ]
    kontext["darf_bearbeiten"] = darf_anlegen(request.user) and darf_sitzung_bearbeiten(
        request.user, sitzung
    )
    return render(request, "netzwerke/sitzung_detail.html", kontext)


@require_GET
@rolle_erforderlich
def sitzung_protokoll(request: Anfrage, pk: int) -> HttpResponse:
    kontext = _sitzung_mit_inhalt(request, pk)
    sitzung: Sitzung = kontext["sitzung"]
    kontext["pfad"] = [
        (_("Netzwerke"), reverse("netzwerke:netzwerk_liste")),
        (sitzung.netzwerk.name, sitzung.netzwerk.get_absolute_url()),
        (kontext["titel"], sitzung.get_absolute_url()),
        (_("Protokoll"), None),
    ]
    kontext["erstellt_am"] = timezone.localtime()
    return render(request, "netzwerke/sitzung_protokoll.html", kontext)


@require_GET
@rolle_erforderlich
def sitzung_liste(request: Anfrage) -> HttpResponse:
    basis = (
        sichtbare_sitzungen(request.user)
        .select_related("netzwerk")
        .annotate(anzahl_anwesende=Count("teilnehmende", distinct=True))
    )
    filter_ = SitzungFilter(request.GET or None, queryset=basis)
    jetzt = timezone.now()
    kommende = list(filter_.qs.filter(beginn__gte=jetzt).order_by("beginn")[:HOECHSTENS_KOMMENDE])
    vergangene = Paginator(
        filter_.qs.filter(beginn__lt=jetzt).order_by("-beginn", "-pk"), SEITENGROESSE
    ).get_page(request.GET.get("page"))
    vorlage = "netzwerke/sitzung_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {
            "filter": filter_,
            "kommende": kommende,
            "hoechstens_kommende": HOECHSTENS_KOMMENDE,
            "seite": vergangene,
            "seiten_parameter": seitenparameter(request),
        },
    )


urls = [
    path("netzwerke/", netzwerk_liste, name="netzwerk_liste"),
    path("netzwerke/neu/", netzwerk_neu, name="netzwerk_neu"),
    path("netzwerke/<int:pk>/", netzwerk_detail, name="netzwerk_detail"),
    path("netzwerke/<int:pk>/bearbeiten/", netzwerk_bearbeiten, name="netzwerk_bearbeiten"),
    path("netzwerke/<int:pk>/mitglieder/neu/", mitgliedschaft_neu, name="mitgliedschaft_neu"),
    path(
        "mitgliedschaften/<int:pk>/beenden/",
        mitgliedschaft_beenden,
        name="mitgliedschaft_beenden",
    ),
    path("netzwerke/<int:pk>/sitzungen/neu/", sitzung_neu, name="sitzung_neu"),
    path("sitzungen/", sitzung_liste, name="sitzung_liste"),
    path("sitzungen/<int:pk>/", sitzung_detail, name="sitzung_detail"),
    path("sitzungen/<int:pk>/bearbeiten/", sitzung_bearbeiten, name="sitzung_bearbeiten"),
    path("sitzungen/<int:pk>/protokoll/", sitzung_protokoll, name="sitzung_protokoll"),
]
