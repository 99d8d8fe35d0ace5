"""Auswertung Anliegen (Sozialplanung): Themen, Bedarfe, Verlauf, die zwei Uhren,
Fachbereiche, Lotse je Quartal, Wissenspool; jede Tabelle als CSV und XLSX.

Ungültige Filter zeigen die deutsche Fehlerzusammenfassung; ausgewertet wird dann ohne den
falschen Wert (Zeitraum: die letzten zwölf Monate). Nie ein 500."""

import datetime
from typing import Any

from django.http import HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.router import vom_replikat
from quartier.permissions import auswertung_erforderlich
from quartier.tabellen import EXPORTE, Diagramm, Tabelle, export_basis
from quartier.typen import Anfrage

from .. import auswertung
from ..forms.auswertung import AnliegenAuswertungForm


def auswahl_aus(form: AnliegenAuswertungForm) -> auswertung.Auswahl:
    gueltig = form.is_valid()
    daten = form.cleaned_data
    von: datetime.date | None
    bis: datetime.date | None
    von, bis = auswertung.standardzeitraum()
    if gueltig and (daten.get("von") or daten.get("bis")):
        von, bis = daten.get("von"), daten.get("bis")
    filter_: dict[str, Any] = {
        feld: daten.get(feld)
        for feld in ("bezirk", "sozialraum", "quartier", "thema", "bedarf", "fachbereich")
    }
    return auswertung.Auswahl(von=von, bis=bis, **filter_)


@require_GET
@auswertung_erforderlich
@vom_replikat
def auswertung_seite(request: Anfrage) -> HttpResponseBase:
    form = AnliegenAuswertungForm(request.GET)
    auswahl = auswahl_aus(form)

    format_ = request.GET.get("format")
    if format_ in EXPORTE:
        erstellen = auswertung.TABELLEN.get(
            request.GET.get("tabelle", ""), auswertung.tabelle_themen
        )
        return EXPORTE[format_](erstellen(auswahl))

    def diagramm(name: str, tabelle: Tabelle, **optionen: Any) -> Diagramm:
        return Diagramm(name, tabelle, exporte=export_basis(request, name), **optionen)

    uhren = auswertung.uhren(auswahl)
    return render(
        request,
        "anliegen/auswertung.html",
        {
            "form": form,
            "auswahl": auswahl,
            "uhren": uhren,
            "monate": diagramm(
                "monate",
                auswertung.tabelle_monate(auswahl),
                typ="line",
                reihen=["anzahl", "weitergeleitet"],
            ),
            "quartiere": diagramm(
                "quartiere",
                auswertung.tabelle_quartiere(auswahl),
                reihen=["je_1000"],
                waagerecht=True,
                achse=_("Anliegen je 1.000 Einwohner:innen"),
            ),
            "themen": diagramm(
                "themen", auswertung.tabelle_themen(auswahl), reihen=["anzahl"], waagerecht=True
            ),
            "bedarfe": diagramm(
                "bedarfe", auswertung.tabelle_bedarfe(auswahl), reihen=["anzahl"], waagerecht=True
            ),
            "uhren_tabelle": diagramm(
                "uhren", auswertung.tabelle_uhren(auswahl, uhren), reihen=["median", "p80"]
            ),
            "rueckmeldung": auswertung.tabelle_rueckmeldung(auswahl, uhren),
            "rueckmeldung_exporte": export_basis(request, "rueckmeldung"),
            "fachbereiche": diagramm(
                "fachbereiche",
                auswertung.tabelle_fachbereiche(auswahl),
                reihen=["beantwortet", "zurueckgegeben", "offen", "ueberfaellig"],
                waagerecht=True,
            ),
            "ablehnungen": auswertung.tabelle_ablehnungen(auswahl),
            "ablehnungen_exporte": export_basis(request, "ablehnungen"),
            "lotse": diagramm(
                "lotse",
                auswertung.tabelle_lotse(auswahl),
                reihen=["ohne_weiterleitung", "weiterleitungsquote"],
            ),
            "wissenspool": auswertung.tabelle_wissenspool(auswahl),
            "wissenspool_exporte": export_basis(request, "wissenspool"),
        },
    )


urls = [path("auswertung/anliegen/", auswertung_seite, name="auswertung")]
