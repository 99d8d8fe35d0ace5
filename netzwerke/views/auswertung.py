"""Auswertung Netzwerkaktivität: Sitzungen je Netzwerk und Jahr, Stadtteilfonds in Euro."""

from django.http import HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from config.router import vom_replikat
from quartier.permissions import auswertung_erforderlich
from quartier.tabellen import EXPORTE, Diagramm, export_basis
from quartier.typen import Anfrage

from .. import auswertung
from ..forms.auswertung import AktivitaetForm


@require_GET
@auswertung_erforderlich
@vom_replikat
def aktivitaet(request: Anfrage) -> HttpResponseBase:
    form = AktivitaetForm(request.GET)
    gueltig = form.is_valid()
    daten = form.cleaned_data
    auswahl = auswertung.Auswahl(
        # Ein ungültiger Zeitraum (Ende vor Anfang, Jahr und Zeitraum) gilt als nicht gesetzt.
        von=daten.get("von") if gueltig else None,
        bis=daten.get("bis") if gueltig else None,
        bezirk=daten.get("bezirk"),
        quartier=daten.get("quartier"),
        art=daten.get("art") or "",
    )
    format_ = request.GET.get("format")
    if format_ in EXPORTE:
        erstellen = auswertung.TABELLEN.get(
            request.GET.get("tabelle", ""), auswertung.tabelle_fonds
        )
        return EXPORTE[format_](erstellen(auswahl))

    return render(
        request,
        "netzwerke/aktivitaet.html",
        {
            "form": form,
            "sitzungen_jahr": Diagramm(
                "sitzungen-jahr",
                auswertung.tabelle_sitzungen_je_jahr(auswahl),
                reihen=["sitzungen"],
                exporte=export_basis(request, "sitzungen_jahr"),
            ),
            "sitzungen": auswertung.tabelle_sitzungen_je_netzwerk(auswahl),
            "sitzungen_exporte": export_basis(request, "sitzungen"),
            "fonds_jahr": Diagramm(
                "fonds-jahr",
                auswertung.tabelle_fonds_je_jahr(auswahl),
                reihen=["budget", "bewilligt", "ausgezahlt", "offen"],
                exporte=export_basis(request, "fonds_jahr"),
            ),
            "fonds": auswertung.tabelle_fonds(auswahl),
            "fonds_exporte": export_basis(request, "fonds"),
            "status": Diagramm(
                "antraege-status",
                auswertung.tabelle_antraege_je_status(auswahl),
                reihen=["anzahl"],
                waagerecht=True,
                exporte=export_basis(request, "status"),
            ),
        },
    )


urls = [path("auswertung/netzwerke/", aktivitaet, name="aktivitaet")]
