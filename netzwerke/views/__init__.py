"""Views der Netzwerke, je Bereich ein Modul; jedes Modul führt seine URL-Liste `urls`."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from quartier.sperren import Konflikt, aktuelle_version, speichern, sperren
from quartier.typen import Anfrage, Pfad

M = TypeVar("M", bound=Model)


def adresse(objekt: Model) -> str:
    """`get_absolute_url()` eines Modells, das eine hat (jedes, das `formularseite` bearbeitet)."""
    url: str = objekt.get_absolute_url()  # type: ignore[attr-defined]  # nicht an `Model`
    return url


def mit_sperre_speichern(form: "ModelForm[M]") -> M:
    """Ein gültiges Formular speichern; ein bestehendes Objekt nur auf dem Stand, den das
    Formular beim Laden gesehen hat (`quartier.sperren`, Feld `version` aus `VersionMixin`).

    Läuft in der Transaktion des Aufrufers; bei veraltetem Stand `Konflikt`, und nichts ist
    geschrieben. Geschrieben werden nur die Felder des Formulars (und `auto_now`-Felder).
    """
    instanz = form.instance
    if instanz._state.adding:
        return form.save()
    modell = type(instanz)
    sperren(modell._default_manager, instanz.pk, form.cleaned_data["version"])
    objekt = form.save(commit=False)
    # Jedes Modell, das über `quartier.sperren` gespeichert wird, hat ein Feld `version`.
    objekt.version = form.cleaned_data["version"]  # type: ignore[attr-defined]
    felder = [
        f.name
        for f in modell._meta.concrete_fields
        if not f.primary_key
        and (f.name in form.fields or getattr(f, "auto_now", False))
        and f.name != "version"
    ]
    speichern(objekt, felder)
    form.save_m2m()
    return objekt


def nach_konflikt(daten: QueryDict, modell: type[Model], pk: object) -> QueryDict:
    """Die Eingaben unverändert, nur die Version auf den aktuellen Stand: wer nach dem
    Prüfen erneut speichert, überschreibt bewusst."""
    frisch = daten.copy()
    frisch["version"] = str(aktuelle_version(modell._default_manager, pk))
    return frisch


def formularseite(
    request: Anfrage,
    *,
    form_klasse: Callable[..., ModelForm],
    objekt: Model | None,
    liste: tuple[str, str],
    titel_neu: str,
    vorlage: str,
) -> HttpResponse:
    """Anlegen oder Bearbeiten eines einfachen Objekts: Formular, Pfad, Erfolgsmeldung.

    Die Rechte prüft die aufrufende View vorher; `liste` ist (Bezeichnung, URL) der Liste.
    Bearbeiten sperrt mit `quartier.sperren`: hat inzwischen jemand anderes gespeichert, bleibt
    alles Getippte im Formular, mit Meldung und nachgerückter Version (Status 409).
    """
    # Pfad und Überschrift vor der Prüfung: die Prüfung schreibt Eingaben in die Instanz.
    pfad: Pfad = [liste]
    if objekt:
        titel = _("%(name)s bearbeiten") % {"name": objekt}
        pfad += [(str(objekt), adresse(objekt)), (_("Bearbeiten"), None)]
    else:
        titel = titel_neu
        pfad.append((titel, None))
    daten = request.POST if request.method == "POST" else None
    form = form_klasse(daten, instance=objekt, user=request.user)
    status = 200
    if daten is not None and form.is_valid():
        try:
            with transaction.atomic():
                gespeichert = mit_sperre_speichern(form)
        except Konflikt as fehler:
            assert objekt is not None  # Neues kann nicht veraltet sein.
            modell = type(objekt)
            frisch = modell._default_manager.get(pk=objekt.pk)
            form = form_klasse(
                nach_konflikt(daten, modell, objekt.pk), instance=frisch, user=request.user
            )
            form.is_valid()
            form.add_error(None, fehler)
            status = 409
        else:
            messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": gespeichert})
            return redirect(adresse(gespeichert))
    abbrechen = adresse(objekt) if objekt else liste[1]
    return render(
        request,
        vorlage,
        {"form": form, "titel": titel, "abbrechen": abbrechen, "pfad": pfad},
        status=status,
    )
