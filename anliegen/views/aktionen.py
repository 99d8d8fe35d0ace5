"""Anliegen erfassen und die Schritte des Quartiersmanagements (Weg, Weiterleiten,
Rückmeldung, Abschluss, Wiedereröffnen, Notiz). Jeder Schritt läuft über anliegen/workflow.py."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from quartier.permissions import rolle_erforderlich

from .. import permissions, workflow
from ..duplikate import aehnliche_anliegen
from ..forms.anliegen import (
    AbschliessenForm,
    ErfassenForm,
    NotizForm,
    RueckmeldenForm,
    WegForm,
    WeiterleitenForm,
    WiedereroeffnenForm,
)
from ..forms.textbausteine import EINFUEGEN, TextbausteinMixin, baustein_einfuegen
from ..models import Anliegen, Meldende
from .brief import brief_hinderungsgrund


def _detail(anliegen: Anliegen) -> str:
    return reverse("anliegen:detail", args=[anliegen.nummer])


def _fehler_uebernehmen(form, fehler: ValidationError) -> None:
    """Fehler des Ablaufs auf die Felder des Formulars legen (sonst oben als Hinweis)."""
    if hasattr(fehler, "error_dict"):
        for feld, liste in fehler.error_dict.items():
            form.add_error(feld if feld in form.fields else None, liste)
    else:
        form.add_error(None, fehler)


# --- Erfassen ----------------------------------------------------------------------------


def _bekannte_person(request: HttpRequest) -> tuple[Meldende | None, Anliegen | None]:
    """`?person=<nummer>`: die Person jenes Anliegens – nur, wenn man ihre Daten sehen darf.

    Sonst 404, damit sich über die Nummer nichts über fremde Personen erfahren lässt."""
    nummer = request.GET.get("person")
    if not nummer:
        return None, None
    anliegen = (
        permissions.sichtbare_anliegen(request.user)
        .select_related("meldende", "quartier")
        .filter(nummer=nummer)
        .first()
    )
    if (
        anliegen is None
        or anliegen.meldende is None
        or anliegen.meldende.anonymisiert_am is not None
        or not permissions.darf_personendaten_sehen(request.user, anliegen)
    ):
        raise Http404
    return anliegen.meldende, anliegen


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def anliegen_erfassen(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.darf_erfassen(user):
        raise PermissionDenied
    meldende, vorher = _bekannte_person(request)
    daten = request.POST if request.method == "POST" else None
    dateien = request.FILES if daten is not None else None
    initial = {"einreichung": uuid.uuid4()}
    form = ErfassenForm(daten, dateien, user=user, meldende=meldende, initial=initial)
    if daten is None:
        erstes = form.fields["quartier"].queryset.first()
        form.initial["quartier"] = vorher.quartier if vorher else erstes
    vorschlaege, hinweis = [], False
    if daten is not None and form.is_valid():
        zuordnen = form.cleaned_data["zuordnen"]
        schon_da = Anliegen.objects.filter(einreichung=form.cleaned_data["einreichung"]).exists()
        if not zuordnen and not schon_da:
            # Ohne JavaScript (oder bevor die Vorschläge da waren): erst zeigen, dann speichern.
            vorschlaege = aehnliche_anliegen(**form.aehnlich_kriterien())
            hinweis = bool(vorschlaege)
        if not vorschlaege:
            try:
                anliegen = _erfassen_und_zuordnen(form, meldende, user, zuordnen)
            except ValidationError as fehler:
                _fehler_uebernehmen(form, fehler)
                vorschlaege = aehnliche_anliegen(**form.aehnlich_kriterien())
            else:
                nachricht = _("Anliegen %(nummer)s ist erfasst.") % {"nummer": anliegen.nummer}
                if anliegen.uebergeordnet_id:
                    nachricht += " " + _("Es ist unter %(haupt)s gebündelt.") % {"haupt": zuordnen}
                messages.success(request, nachricht)
                if warnung := form.personen_warnung():
                    messages.warning(request, warnung)
                return redirect(_detail(anliegen))
    return render(
        request,
        "anliegen/anliegen_form.html",
        {
            "form": form,
            "meldende": meldende,
            "vorher": vorher,
            # Browser setzen Dateien nach einem Fehler nicht wieder ein: darauf hinweisen.
            "dateien_erneut": bool(
                dateien and dateien.getlist("anhaenge") and (form.errors or hinweis)
            ),
            "vorschlaege": vorschlaege,
            "aehnliche_hinweis": hinweis,
            "titel": _("Anliegen erfassen"),
            "pfad": [(_("Anliegen"), reverse("anliegen:liste")), (_("Anliegen erfassen"), None)],
        },
    )


@transaction.atomic
def _erfassen_und_zuordnen(form: ErfassenForm, meldende, user, zuordnen: str) -> Anliegen:
    """Erfassen und, wenn gewählt, gleich unter dem Hauptanliegen bündeln – beides oder nichts."""
    anliegen = workflow.erfassen(
        daten=form.anliegen_daten(),
        bedarfe=form.cleaned_data["bedarfe"],
        meldende=meldende,
        neue_meldende=form.neue_meldende(),
        durch=user,
        einreichung=form.cleaned_data["einreichung"],
        anhaenge=form.cleaned_data["anhaenge"],
        anhaenge_freigegeben=form.cleaned_data["anhaenge_freigegeben"],
    )
    if zuordnen and zuordnen != "neu" and anliegen.uebergeordnet_id is None:
        haupt = permissions.sichtbare_anliegen(user).filter(nummer=zuordnen).first()
        if haupt is None:
            raise ValidationError(_("Das gewählte Anliegen gibt es nicht."))
        try:
            workflow.buendeln(anliegen, unter=haupt, durch=user)
        except ValidationError as fehler:
            # Nicht gespeichert: zurück zum Formular mit dem Grund (z. B. inzwischen abgeschlossen).
            raise ValidationError(
                [_("Das Anliegen ist nicht gespeichert."), *fehler.messages]
            ) from fehler
    return anliegen


# --- Schritte ----------------------------------------------------------------------------


def _weg(a: Anliegen, d: dict, u) -> None:
    workflow.weg_festlegen(
        a,
        weg=d["weg"],
        vermittelt_an=d["vermittelt_an"],
        vermittelt_an_text=d["vermittelt_an_text"],
        durch=u,
        version=d["version"],
    )


def _weiterleiten(a: Anliegen, d: dict, u) -> None:
    workflow.weiterleiten(
        a,
        an=d["an"],
        nachricht=d["nachricht"],
        frist=d["frist"],
        kontakt_teilen=d.get("kontakt_teilen", False),
        durch=u,
        version=d["version"],
    )


def _rueckmelden(a: Anliegen, d: dict, u) -> None:
    workflow.rueckmelden(
        a,
        text=d["text"],
        kanal=d["kanal"],
        erreicht=d["erreicht"],
        durch=u,
        version=d["version"],
        an_gebuendelte=d.get("an_gebuendelte", False),
    )


AKTIONEN = {
    "weg": (
        WegForm,
        _weg,
        gettext_lazy("Weg festlegen"),
        gettext_lazy("Der Weg ist festgelegt."),
    ),
    "weiterleiten": (
        WeiterleitenForm,
        _weiterleiten,
        gettext_lazy("Weiterleiten"),
        gettext_lazy("Das Anliegen ist weitergeleitet; der Fachbereich wird benachrichtigt."),
    ),
    "rueckmelden": (
        RueckmeldenForm,
        _rueckmelden,
        gettext_lazy("Rückmeldung festhalten"),
        gettext_lazy("Die Rückmeldung ist festgehalten."),
    ),
    "abschliessen": (
        AbschliessenForm,
        lambda a, d, u: workflow.abschliessen(
            a,
            grund=d["grund"],
            durch=u,
            version=d["version"],
            gebuendelte=d.get("gebuendelte", False),
        ),
        gettext_lazy("Anliegen abschließen"),
        gettext_lazy("Das Anliegen ist abgeschlossen."),
    ),
    "wiedereroeffnen": (
        WiedereroeffnenForm,
        lambda a, d, u: workflow.wiedereroeffnen(
            a, grund=d["grund"], durch=u, version=d["version"]
        ),
        gettext_lazy("Anliegen wieder öffnen"),
        gettext_lazy("Das Anliegen ist wieder geöffnet."),
    ),
    "notiz": (
        NotizForm,
        lambda a, d, u: workflow.notiz(
            a, text=d["text"], intern=d["intern"], durch=u, einreichung=d["einreichung"]
        ),
        gettext_lazy("Notiz schreiben"),
        gettext_lazy("Die Notiz ist im Verlauf."),
    ),
}
assert set(AKTIONEN) == set(workflow.ANLIEGEN_OPERATIONEN)


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def anliegen_aktion(request: HttpRequest, nummer: str, aktion: str) -> HttpResponse:
    user = request.user
    anliegen: Anliegen = get_object_or_404(
        permissions.sichtbare_anliegen(user).select_related(
            "quartier", "thema__fachbereich", "meldende", "akteur"
        ),
        nummer=nummer,
    )
    if aktion not in AKTIONEN:
        raise Http404
    if not permissions.darf_bearbeiten(user, anliegen):
        raise PermissionDenied
    if anliegen.status not in workflow.ANLIEGEN_OPERATIONEN[aktion]:
        # Recht, aber falscher Zustand (z. B. zweiter Klick): zurück zur Seite mit Hinweis.
        messages.warning(
            request,
            _("Das geht im Status „%(status)s“ nicht.") % {"status": anliegen.get_status_display()},
        )
        return redirect(_detail(anliegen))
    form_klasse, ausfuehren, titel, erfolg = AKTIONEN[aktion]
    daten = request.POST if request.method == "POST" else None
    form = form_klasse(daten, anliegen=anliegen, initial={"version": anliegen.version})
    if daten is not None and EINFUEGEN in daten and isinstance(form, TextbausteinMixin):
        # Ohne JavaScript: Baustein einfügen, alles andere Getippte bleibt, nichts wird gesendet.
        form, daten = baustein_einfuegen(request, form, form_klasse, anliegen=anliegen), None
    if daten is not None and form.is_valid():
        try:
            ausfuehren(anliegen, form.cleaned_data, user)
        except workflow.UngueltigerUebergang as fehler:
            messages.warning(request, " ".join(fehler.messages))
            return redirect(_detail(anliegen))
        except workflow.Konflikt as fehler:
            # Eingaben behalten, Stand auffrischen: nach dem Prüfen geht erneutes Senden.
            frisch = request.POST.copy()
            frisch["version"] = Anliegen.objects.values_list("version", flat=True).get(
                pk=anliegen.pk
            )
            form = form_klasse(frisch, anliegen=anliegen, initial={"version": anliegen.version})
            form.is_valid()
            form.add_error(None, fehler)
        except ValidationError as fehler:
            _fehler_uebernehmen(form, fehler)
        else:
            messages.success(request, erfolg)
            return redirect(_detail(anliegen))
    rueckmeldung_fehlt = aktion == "abschliessen" and (
        workflow.braucht_rueckmeldung(anliegen) and not workflow.rueckmeldung_entbehrlich(anliegen)
    )
    return render(
        request,
        "anliegen/aktion.html",
        {
            "anliegen": anliegen,
            "form": form,
            "titel": titel,
            "aktion": aktion,
            "rueckmeldung_fehlt": rueckmeldung_fehlt,
            "meldende": anliegen.meldende if aktion == "rueckmelden" else None,
            "brief": aktion == "rueckmelden"
            and anliegen.meldende_id
            and not brief_hinderungsgrund(anliegen),
            "pfad": [
                (_("Anliegen"), reverse("anliegen:liste")),
                (anliegen.nummer, _detail(anliegen)),
                (titel, None),
            ],
        },
    )


urls = [
    path("anliegen/neu/", anliegen_erfassen, name="erfassen"),
    path("anliegen/<str:nummer>/<slug:aktion>/", anliegen_aktion, name="aktion"),
]
