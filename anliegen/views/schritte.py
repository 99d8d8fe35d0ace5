"""Die Schritte des Kreislaufs als Seiten: EIN Ablauf für jede Operation der Spezifikation
(`anliegen.workflow.SPEZIFIKATION`), ob Quartiersmanagement am Anliegen, Fachbereich im
Posteingang oder ohne Konto über den Antwortlink (views/antwortlink.py).

Je Operation eine feste Adresse (keine Sammel-URL mit `<aktion>`):
    anliegen:<name>           anliegen/<nummer>/<name>/        Gegenstand Anliegen
    anliegen:eingang_<name>   eingang/<pk>/<name>/             Weiterleitung und ihre Zusage
    anliegen:antwortlink_<name> antwort/<schlüssel>/<name>/    Operationen mit `per_link`

Ablauf (`schritt`): nicht angeboten (falscher Zustand, z. B. zweiter Klick) → zurück zur Seite
mit dem Grund; GET zeigt das Formular; POST führt die Operation aus. Fehler bildet genau eine
Funktion ab (`fehler_uebernehmen`): Feldfehler ans Feld, Konflikt mit aufgefrischter Version
(Eingaben bleiben), ungültiger Übergang als Hinweis auf der Seite des Gegenstands.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quartier.permissions import rolle_erforderlich
from quartier.sperren import aktuelle_version
from quartier.typen import Anfrage

from .. import permissions, workflow
from ..datenschutz import maske_fuer
from ..forms.textbausteine import EINFUEGEN, TextbausteinMixin, baustein_einfuegen
from ..models import Anliegen, Weiterleitung, Zusage
from ..workflow import ANLIEGEN, WEITERLEITUNG, ZUSAGE, Operation


def formular(
    op: Operation,
    obj: Any,
    daten: Any = None,
    *,
    per_link: bool = False,
    initial: dict[str, Any] | None = None,
) -> Form:
    """Das Formular der Operation für `obj`, mit der Version, auf der die Seite beruht."""
    klasse = op.formular_klasse(per_link)
    start = {"version": getattr(obj, "version", None), **(initial or {})}
    form: Form
    if op.gegenstand == ANLIEGEN:
        form = klasse(daten, anliegen=obj, initial=start)
        return form
    weiterleitung = obj.weiterleitung if isinstance(obj, Zusage) else obj
    form = klasse(daten, weiterleitung=weiterleitung, initial=start)
    return form


def fehler_uebernehmen(
    form: Form, fehler: ValidationError, op: Operation | None = None, obj: Any = None
) -> None:
    """Fehler des Ablaufs auf die Felder des Formulars legen (sonst oben als Hinweis). Bei
    einem Konflikt bleiben die Eingaben; die Version rückt auf den aktuellen Stand, damit ein
    erneutes Absenden nach dem Prüfen möglich ist. Ohne `op` (Erfassen) gibt es keine Version."""
    if isinstance(fehler, workflow.Konflikt) and op is not None:
        frisch = QueryDict(mutable=True)
        frisch.update(form.data)  # die Eingaben, auch Mehrfachwerte
        frisch[form.add_prefix("version")] = str(
            aktuelle_version(op.modell._default_manager, obj.pk)
        )
        form.data = frisch
    if hasattr(fehler, "error_dict"):
        for feld, liste in fehler.error_dict.items():
            form.add_error(feld if feld in form.fields else None, liste)
    else:
        form.add_error(None, fehler)


def schritt(
    request: Anfrage,
    op: Operation,
    obj: Any,
    *,
    wer: dict[str, Any],
    zurueck: str,
    vorlage: str,
    kontext: dict[str, Any],
    per_link: Callable[[Form], Any] | None = None,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """Der eine Ablauf jeder Operation (siehe Modul). `wer` ist `{"durch": user}`; ohne Konto
    baut `per_link(form)` den Handelnden aus dem Formular (Name, Kontakt)."""
    grund = op.grund_dagegen(obj)
    if grund:
        messages.warning(request, grund)
        return redirect(zurueck)
    daten = request.POST if request.method == "POST" else None
    form = formular(op, obj, daten, per_link=per_link is not None, initial=initial)
    senden = daten is not None
    if daten is not None and EINFUEGEN in daten and isinstance(form, TextbausteinMixin):
        # Ohne JavaScript: Baustein einfügen, alles andere Getippte bleibt, nichts wird gesendet.
        form = baustein_einfuegen(request, form, type(form), **_formular_argumente(op, obj))
        senden = False
    if senden and form.is_valid():
        handelnde = {"per_link": per_link(form)} if per_link else wer
        try:
            erfolg = op.ausfuehren(obj, form.cleaned_data, **handelnde)
        except workflow.UngueltigerUebergang as fehler:
            messages.warning(request, " ".join(fehler.messages))
            return redirect(zurueck)
        except ValidationError as fehler:
            fehler_uebernehmen(form, fehler, op, obj)
        else:
            messages.success(request, erfolg)
            return redirect(zurueck)
    return render(
        request,
        op.vorlage or vorlage,
        {"form": form, "op": op, "titel": op.titel, "aktion": op.name, **kontext},
    )


def _formular_argumente(op: Operation, obj: Any) -> dict[str, Any]:
    if op.gegenstand == ANLIEGEN:
        return {"anliegen": obj}
    return {"weiterleitung": obj.weiterleitung if isinstance(obj, Zusage) else obj}


# --- Anliegen (Quartiersmanagement) -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def anliegen_schritt(request: Anfrage, nummer: str, name: str) -> HttpResponse:
    op = workflow.operation(ANLIEGEN, name)
    anliegen: Anliegen = get_object_or_404(
        permissions.sichtbare_anliegen(request.user).select_related(
            "quartier", "thema__fachbereich", "meldende", "akteur", "uebergeordnet"
        ),
        nummer=nummer,
    )
    if not op.darf(request.user, anliegen):
        raise PermissionDenied
    detail = anliegen.get_absolute_url()
    kontext: dict[str, Any] = {
        "anliegen": anliegen,
        "pfad": [
            (_("Anliegen"), reverse("anliegen:liste")),
            (anliegen.nummer, detail),
            (op.titel, None),
        ],
    }
    if name == "rueckmelden":
        from .brief import brief_hinderungsgrund

        kontext["meldende"] = anliegen.meldende
        kontext["brief"] = bool(anliegen.meldende_id and not brief_hinderungsgrund(anliegen))
    return schritt(
        request,
        op,
        anliegen,
        wer={"durch": request.user},
        zurueck=detail,
        vorlage="anliegen/aktion.html",
        kontext=kontext,
    )


# --- Posteingang (Fachbereich): Weiterleitung und ihre Zusage ------------------------------


def weiterleitung_holen(request: Anfrage, pk: int) -> Weiterleitung:
    return get_object_or_404(
        permissions.sichtbare_weiterleitungen(request.user).select_related(
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


def eingang_url(weiterleitung: Weiterleitung) -> str:
    return reverse("anliegen:eingang_detail", args=[weiterleitung.pk])


@require_http_methods(["GET", "POST"])
@rolle_erforderlich
def eingang_schritt(request: Anfrage, pk: int, gegenstand: str, name: str) -> HttpResponse:
    op = workflow.operation(gegenstand, name)
    weiterleitung = weiterleitung_holen(request, pk)
    if not permissions.darf_weiterleitung_bearbeiten(request.user, weiterleitung):
        raise PermissionDenied
    zurueck = eingang_url(weiterleitung)
    obj: Any = weiterleitung
    if gegenstand == ZUSAGE:
        obj = weiterleitung.zusage_falls_vorhanden
        if obj is None:
            messages.warning(request, _("Zu dieser Weiterleitung gibt es keine Zusage."))
            return redirect(zurueck)
    anliegen = weiterleitung.anliegen
    return schritt(
        request,
        op,
        obj,
        wer={"durch": request.user},
        zurueck=zurueck,
        vorlage="anliegen/eingang_aktion.html",
        kontext={
            "w": weiterleitung,
            "anliegen": anliegen,
            "maske": maske_fuer(weiterleitung.kontakt_geteilt, anliegen.meldende),
            "zurueck": zurueck,
            "pfad": [
                (_("Posteingang"), reverse("anliegen:eingang")),
                (anliegen.nummer, zurueck),
                (op.titel, None),
            ],
        },
    )


def urls() -> list[URLPattern]:
    """Je Operation der Spezifikation eine feste Adresse."""
    muster = [
        path(
            f"anliegen/<str:nummer>/{op.name}/",
            anliegen_schritt,
            {"name": op.name},
            name=op.url_name,
        )
        for op in workflow.operationen(ANLIEGEN)
    ]
    muster += [
        path(
            f"eingang/<int:pk>/{op.name}/",
            eingang_schritt,
            {"gegenstand": op.gegenstand, "name": op.name},
            name=op.url_name,
        )
        for gegenstand in (WEITERLEITUNG, ZUSAGE)
        for op in workflow.operationen(gegenstand)
    ]
    return muster


def knoepfe(ops: list[Operation], url: Callable[[Operation], str]) -> list[dict[str, Any]]:
    """Die angebotenen Operationen als Knöpfe (Beschriftung, Stil, Ziel) für die Vorlagen."""
    return [{"name": op.name, "label": op.label, "art": op.stil, "url": url(op)} for op in ops]
