"""Views der Netzwerke, je Bereich ein Modul; jedes Modul führt seine URL-Liste `urls`."""

from django.contrib import messages
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def formularseite(
    request: HttpRequest,
    *,
    form_klasse: type[ModelForm],
    objekt: Model | None,
    liste: tuple[str, str],
    titel_neu: str,
    vorlage: str,
) -> HttpResponse:
    """Anlegen oder Bearbeiten eines einfachen Objekts: Formular, Pfad, Erfolgsmeldung.

    Die Rechte prüft die aufrufende View vorher; `liste` ist (Bezeichnung, URL) der Liste.
    """
    # Pfad und Überschrift vor der Prüfung: die Prüfung schreibt Eingaben in die Instanz.
    pfad = [liste]
    if objekt:
        titel = _("%(name)s bearbeiten") % {"name": objekt}
        pfad += [(str(objekt), objekt.get_absolute_url()), (_("Bearbeiten"), None)]
    else:
        titel = titel_neu
        pfad.append((titel, None))
    daten = request.POST if request.method == "POST" else None
    form = form_klasse(daten, instance=objekt, user=request.user)
    if daten is not None and form.is_valid():
        gespeichert = form.save()
        messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": gespeichert})
        return redirect(gespeichert)
    abbrechen = objekt.get_absolute_url() if objekt else liste[1]
    return render(
        request,
        vorlage,
        {"form": form, "titel": titel, "abbrechen": abbrechen, "pfad": pfad},
    )
