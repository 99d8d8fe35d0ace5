"""Ähnliche Anliegen und Bündeln (Regeln in anliegen/workflow.py, Suche in anliegen/duplikate.py).

anliegen:aehnliche    anliegen/neu/aehnliche/            Vorschläge beim Erfassen (htmx-Fragment)
Bündeln (anliegen:buendeln) und Bündelung lösen (anliegen:entbuendeln) sind Operationen der
Spezifikation in anliegen/workflow.py (Seiten über anliegen/views/schritte.py).

Rechte: wie beim Erfassen und Bearbeiten das QM des Quartiers; wer das Anliegen nicht sieht,
bekommt 404, wer es nur sieht 403. Die Vorschläge tragen keine Personendaten.
"""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from quartier.models import Quartier, User
from quartier.permissions import eigene_quartiere, rolle_erforderlich
from quartier.typen import Anfrage

from .. import permissions
from ..duplikate import aehnliche_anliegen
from ..forms.anliegen import _koordinate
from ..models import Thema


class _AehnlicheSuche(forms.Form):
    """Die Angaben aus dem Erfassen-Formular, die für die Suche zählen; Ungültiges zählt nicht."""

    quartier = forms.ModelChoiceField(queryset=Quartier.objects.none(), required=False)
    thema = forms.ModelChoiceField(queryset=Thema.objects.filter(aktiv=True), required=False)
    ort = forms.CharField(max_length=250, required=False)
    breite = _koordinate("", 90, "")
    laenge = _koordinate("", 180, "")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        feld = self.fields["quartier"]
        assert isinstance(feld, forms.ModelChoiceField)
        feld.queryset = eigene_quartiere(user)


@require_GET
@rolle_erforderlich
def aehnliche(request: Anfrage) -> HttpResponse:
    """Fragment mit ähnlichen offenen Anliegen für das Erfassen-Formular (mit JavaScript)."""
    if not permissions.darf_erfassen(request.user):
        raise PermissionDenied
    suche = _AehnlicheSuche(request.GET, user=request.user)
    vorschlaege = []
    if suche.is_valid():
        d = suche.cleaned_data
        if d["breite"] is None or d["laenge"] is None:
            d["breite"] = d["laenge"] = None
        vorschlaege = aehnliche_anliegen(**d)
    antwort = render(
        request,
        "anliegen/_aehnliche.html",
        {"vorschlaege": vorschlaege, "zuordnen": request.GET.get("zuordnen", "neu")},
    )
    antwort["Cache-Control"] = "private, no-store"
    return antwort


urls = [
    path("anliegen/neu/aehnliche/", aehnliche, name="aehnliche"),
]
