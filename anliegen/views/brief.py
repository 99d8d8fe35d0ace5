"""Rückmeldebrief für Meldende ohne E-Mail: schreiben, drucken, als Rückmeldung festhalten.

anliegen:brief            anliegen/<nummer>/brief/             Text schreiben (GET), Baustein
                                                                einfügen oder Druckansicht (POST)
anliegen:brief_festhalten anliegen/<nummer>/brief/festhalten/  Rückmeldung „Brief“ (POST)

Ob wirklich gedruckt wurde, kann die Anwendung nicht erkennen. Deshalb ist das Festhalten ein
eigener, ausdrücklicher Schritt auf der Druckansicht; er läuft über `workflow.rueckmelden` mit
der Version, auf der die Seite beruht – ein zweites Absenden findet einen neueren Stand und
legt keine zweite Rückmeldung an.

Rechte: nur das QM, das das Anliegen bearbeiten darf (`darf_bearbeiten`); wer das Anliegen
nicht sieht, bekommt 404, wer es nur sieht 403. Der Brief enthält Name und Anschrift der
meldenden Person – die sieht dieses QM ohnehin.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage

from .. import permissions, workflow
from ..forms.anliegen import BriefForm
from ..forms.textbausteine import EINFUEGEN, baustein_einfuegen
from ..models import Anliegen, Rueckmeldekanal, Rueckmeldung, Status, Weg, WStatus

ZURUECK = "bearbeiten"  # Knopf „Text ändern“ auf der Druckansicht


def brief_hinderungsgrund(anliegen: Anliegen, weiterleitungen: list | None = None) -> str:
    """Warum (noch) kein Brief passt; leer, wenn einer passt.

    Ein Brief teilt ein Ergebnis mit: eine Antwort eines Fachbereichs liegt vor, oder das QM
    hat selbst gehandelt (umgesetzt, Kontakt vermittelt, als Bedarf erfasst). Mit schon
    geladenen `weiterleitungen` ohne weitere Abfrage."""
    grund = workflow.operation(workflow.ANLIEGEN, "rueckmelden").grund_dagegen(anliegen)
    if grund:
        return grund
    if weiterleitungen is None:
        beantwortet = anliegen.weiterleitungen.filter(status=WStatus.BEANTWORTET).exists()
    else:
        beantwortet = any(w.status == WStatus.BEANTWORTET for w in weiterleitungen)
    if not (
        anliegen.status == Status.ANTWORT_LIEGT_VOR
        or beantwortet
        or anliegen.weg in (Weg.SELBST, Weg.KONTAKT, Weg.BEDARF)
    ):
        return _(
            "Noch gibt es nichts mitzuteilen: Ein Brief passt, sobald ein Fachbereich "
            "geantwortet hat oder das Quartiersmanagement das Anliegen selbst bearbeitet hat."
        )
    return ""


def empfaenger(anliegen: Anliegen) -> list[str]:
    """Anschriftzone: Name und Anschrift (Zeilen an Komma oder Zeilenumbruch); leer, wenn
    die Anschrift fehlt oder die Person anonymisiert ist."""
    meldende = anliegen.meldende
    if meldende is None or meldende.anonymisiert_am is not None or not meldende.anschrift.strip():
        return []
    zeilen = [z.strip() for z in meldende.anschrift.replace("\n", ",").split(",") if z.strip()]
    return [meldende.name.strip(), *zeilen] if meldende.name.strip() else zeilen


def _holen(request: Anfrage, nummer: str) -> Anliegen:
    anliegen = get_object_or_404(
        permissions.sichtbare_anliegen(request.user).select_related(
            "quartier", "thema", "meldende", "zustaendig"
        ),
        nummer=nummer,
    )
    if not permissions.darf_bearbeiten(request.user, anliegen):
        raise PermissionDenied
    return anliegen


def _brief(request: Anfrage, anliegen: Anliegen, form: BriefForm) -> dict:
    """Alles, was die Druckansicht braucht (DIN 5008, Form B)."""
    absender = settings.QL_ABSENDER
    buero = anliegen.quartier.bueros.order_by("name").first()
    user = request.user
    return {
        "absender": absender,
        "ruecksendung": " · ".join(
            t
            for t in (
                absender.get("stadt"),
                absender.get("dienststelle"),
                absender.get("strasse"),
                absender.get("plz_ort"),
            )
            if t
        ),
        "empfaenger": empfaenger(anliegen),
        "buero": buero,
        "telefon": (buero.telefon if buero and buero.telefon else absender.get("telefon")),
        "email": (buero.email if buero and buero.email else absender.get("email")),
        "bearbeitet_von": user.get_full_name() or user.username,
        "datum": timezone.localdate(),
        "betreff": _("Ihr Anliegen %(nummer)s: %(titel)s")
        % {"nummer": anliegen.nummer, "titel": anliegen.titel},
        "anrede": form.cleaned_data["anrede"],
        "text": form.cleaned_data["text"],
    }


def _seite(request: Anfrage, anliegen: Anliegen, vorlage: str, **kontext: object) -> HttpResponse:
    titel = _("Brief an die meldende Person")
    return render(
        request,
        vorlage,
        {
            "anliegen": anliegen,
            "titel": titel,
            "pfad": [
                (_("Anliegen"), reverse("anliegen:liste")),
                (anliegen.nummer, anliegen.get_absolute_url()),
                (titel, None),
            ],
            **kontext,
        },
    )


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def brief(request: Anfrage, nummer: str) -> HttpResponse:
    anliegen = _holen(request, nummer)
    grund = brief_hinderungsgrund(anliegen)
    if grund:
        messages.warning(request, grund)
        return redirect(anliegen)
    if not empfaenger(anliegen):
        return _seite(request, anliegen, "anliegen/brief.html", ohne_anschrift=True)
    daten = request.POST if request.method == "POST" else None
    form = BriefForm(daten, anliegen=anliegen, initial={"version": anliegen.version})
    if daten is not None and EINFUEGEN in daten:
        form = baustein_einfuegen(request, form, BriefForm, anliegen=anliegen)
    elif daten is not None and ZURUECK not in daten and form.is_valid():
        return _seite(
            request,
            anliegen,
            "anliegen/brief_druck.html",
            form=form,
            **_brief(request, anliegen, form),
        )
    return _seite(request, anliegen, "anliegen/brief.html", form=form)


@require_POST
@rolle_erforderlich
def brief_festhalten(request: Anfrage, nummer: str) -> HttpResponse:
    anliegen = _holen(request, nummer)
    grund = brief_hinderungsgrund(anliegen)
    if grund:
        messages.warning(request, grund)
        return redirect(anliegen)
    form = BriefForm(request.POST, anliegen=anliegen, initial={"version": anliegen.version})
    if not form.is_valid() or not empfaenger(anliegen):
        return _seite(request, anliegen, "anliegen/brief.html", form=form)
    text = form.cleaned_data["text"]
    try:
        workflow.rueckmelden(
            anliegen,
            text=text,
            kanal=Rueckmeldekanal.BRIEF,
            durch=request.user,
            version=form.cleaned_data["version"],
        )
    except workflow.Konflikt as fehler:
        # Doppelt abgeschickt: derselbe Brief ist eben schon festgehalten worden.
        vor_kurzem = timezone.now() - datetime.timedelta(minutes=10)
        if Rueckmeldung.objects.filter(
            anliegen=anliegen,
            kanal=Rueckmeldekanal.BRIEF,
            text=text.strip(),
            von=request.user,
            zeitpunkt__gte=vor_kurzem,
        ).exists():
            messages.info(request, _("Dieser Brief ist bereits als Rückmeldung festgehalten."))
            return redirect(anliegen)
        # Sonst hat jemand anderes geändert: Brief bleibt, Stand wird aufgefrischt.
        frisch = request.POST.copy()
        frisch["version"] = str(
            Anliegen.objects.values_list("version", flat=True).get(pk=anliegen.pk)
        )
        form = BriefForm(frisch, anliegen=anliegen)
        form.is_valid()
        return _seite(
            request,
            anliegen,
            "anliegen/brief_druck.html",
            form=form,
            konflikt=" ".join(fehler.messages),
            **_brief(request, anliegen, form),
        )
    except ValidationError as fehler:
        messages.warning(request, " ".join(fehler.messages))
        return redirect(anliegen)
    messages.success(
        request,
        _("Der Brief ist als Rückmeldung (Weg: Brief) festgehalten."),
    )
    return redirect(anliegen)


urls = [
    path("anliegen/<str:nummer>/brief/", brief, name="brief"),
    path("anliegen/<str:nummer>/brief/festhalten/", brief_festhalten, name="brief_festhalten"),
]
