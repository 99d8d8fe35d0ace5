"""Anliegen erfassen. Die weiteren Schritte des Quartiersmanagements (Weg, Weiterleiten,
Rückmeldung, Abschluss, …) sind Operationen der Spezifikation in anliegen/workflow.py und laufen
über den einen Ablauf in anliegen/views/schritte.py."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quartier.forms import auswahl
from quartier.models import User
from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage

from .. import permissions, workflow
from ..duplikate import aehnliche_anliegen
from ..forms.anliegen import ErfassenForm
from ..models import Anliegen, Meldende
from .schritte import fehler_uebernehmen


def _detail(anliegen: Anliegen) -> str:
    return reverse("anliegen:detail", args=[anliegen.nummer])


# --- Erfassen ----------------------------------------------------------------------------


def _bekannte_person(request: Anfrage) -> tuple[Meldende | None, Anliegen | None]:
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
def anliegen_erfassen(request: Anfrage) -> HttpResponse:
    user = request.user
    if not permissions.darf_erfassen(user):
        raise PermissionDenied
    meldende, vorher = _bekannte_person(request)
    daten = request.POST if request.method == "POST" else None
    dateien = request.FILES if daten is not None else None
    initial = {"einreichung": uuid.uuid4()}
    form = ErfassenForm(daten, dateien, user=user, meldende=meldende, initial=initial)
    if daten is None:
        quartiere = auswahl(form.fields["quartier"]).queryset
        erstes = quartiere.first() if quartiere is not None else None
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
                fehler_uebernehmen(form, fehler)
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
def _erfassen_und_zuordnen(
    form: ErfassenForm, meldende: Meldende | None, user: User, zuordnen: str
) -> Anliegen:
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


urls = [
    path("anliegen/neu/", anliegen_erfassen, name="erfassen"),
]
