"""Kontext für jede Seite: die Hauptnavigation je Rolle."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from quartier.permissions import darf_stammdaten_pflegen, hat_rolle


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    nav: list[dict] = []
    rolle_label = ""
    if user is not None and hat_rolle(user):
        rolle_label = user.get_rolle_display()
        punkte = [
            (_("Mein Überblick"), reverse("quartier:start")),
            (_("Anliegen"), reverse("anliegen:liste")),
            (_("Posteingang"), reverse("anliegen:eingang")),
            (_("Quartiere"), reverse("quartier:quartier_liste")),
            (_("Lebensräume"), reverse("quartier:lebensraum_liste")),
            (_("Stadtteilbüros"), reverse("quartier:buero_liste")),
            (_("Akteure"), reverse("netzwerke:akteur_liste")),
            (_("Netzwerke"), reverse("netzwerke:netzwerk_liste")),
            (_("Sitzungen"), reverse("netzwerke:sitzung_liste")),
            (_("Projekte"), reverse("netzwerke:projekt_liste")),
            (_("Stadtteilfonds"), reverse("netzwerke:fonds_liste")),
        ]
        if darf_stammdaten_pflegen(user):
            punkte.append((_("Stammdaten"), reverse("admin:index")))
        pfad = request.path
        for label, url in punkte:
            start = url == reverse("quartier:start")
            aktiv = pfad == url if start else pfad.startswith(url)
            nav.append({"label": label, "url": url, "aktiv": aktiv})
    return {"nav": nav, "stadt": settings.QL_STADT, "rolle_label": rolle_label}
