"""Posteingang der Fachbereiche: Liste der Weiterleitungen, eine Weiterleitung, ihre Schritte.

Alles kommt über `permissions.sichtbare_weiterleitungen`: der Fachbereich sieht die eigenen,
das Quartiersmanagement die seiner Quartiere, Sozialplanung und Administration alle (nur
lesend); was dort fehlt, ist ein 404. Handeln (annehmen, zurückgeben, beantworten, Notiz) darf
nur der adressierte Fachbereich (`darf_weiterleitung_bearbeiten`), sonst 403.

Personendaten der meldenden Person erscheinen nie in der Liste und auf der Seite einer
Weiterleitung nur, wenn das Quartiersmanagement den Kontakt mit Einwilligung geteilt hat
(`kontakt_geteilt`) und `darf_personendaten_sehen` es erlaubt.
"""

from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from quartier.blaettern import (
    BLATT,
    ZAEHLGRENZE,
    absteigend,
    aufsteigend,
    begrenzt_zaehlen,
    blaetterlinks,
    blaettern,
)
from quartier.models import Rolle
from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage

from .. import workflow
from ..datenschutz import eingebracht_von, maske_fuer
from ..forms.eingang import ZU_ERLEDIGEN, EingangFilter
from ..models import Ereignis
from ..permissions import (
    darf_notiztexte_lesen,
    darf_personendaten_sehen,
    personendaten_ausdruck,
    sichtbare_anhaenge,
    sichtbare_weiterleitungen,
)
from ..workflow import WEITERLEITUNG, ZUSAGE
from .schritte import knoepfe, weiterleitung_holen

SEITENGROESSE = 50

# Offene (und in Bearbeitung) zuerst, darin nach Frist, dann neueste zuerst; eindeutig durch
# den Primärschlüssel. `offen_rang` ist eine gespeicherte Spalte, die Indizes
# weiterleitung_eingang_fb_idx / _alle_idx bedienen genau diese Reihenfolge samt Blättern.
SORTIERUNG = (
    aufsteigend("offen_rang"),
    aufsteigend("frist"),
    absteigend("erstellt_am"),
    absteigend("pk"),
)
# Farbe des Status-Badges je Status (ohne Include je Zeile)
STATUS_BADGE = {
    "beantwortet": "success",
    "nicht_zustaendig": "warning",
    "zurueckgezogen": "warning",
}

# Einträge im Verlauf, die zu einer Weiterleitung gehören (Daten mit ihrem Fachbereich).
VERLAUF_ARTEN = (
    "angenommen",
    "zwischenbescheid",
    "beantwortet",
    "zurueckgegeben",
    "zusage_eingehalten",
    "zusage_verschoben",
    "zusage_entfallen",
    "erinnerung",
)


# --- Liste -------------------------------------------------------------------------------


def _filterdaten(request: Anfrage) -> QueryDict:
    """Beim ersten Aufruf (nichts abgeschickt, höchstens geblättert) sieht der Fachbereich,
    was zu erledigen ist; alle anderen sehen alle Weiterleitungen."""
    daten: QueryDict = request.GET.copy()
    daten.pop("page", None)  # alte Links mit Seitenzahl: erste Seite
    if not set(daten) - {BLATT} and request.user.rolle == Rolle.FACHBEREICH:
        daten["status"] = ZU_ERLEDIGEN
    return daten


@require_GET
@rolle_erforderlich
def eingang(request: Anfrage) -> HttpResponse:
    # Abfragen (unabhängig von der Zahl der Zeilen und der Tiefe der Seite): Sitzung, Benutzer,
    # die begrenzte Anzahl (höchstens 10.001), eine Seite Weiterleitungen ab dem Zeiger mit
    # Fachbereich und Anliegen samt Quartier und Thema (ein JOIN); für das
    # Quartiersmanagement stecken die eigenen Quartiere als Unterabfrage darin.
    daten = _filterdaten(request)
    basis = (
        sichtbare_weiterleitungen(request.user)
        .select_related(
            "fachbereich", "anliegen__quartier", "anliegen__thema", "anliegen__meldende", "zusage"
        )
        # Personendaten-Recht je Zeile in derselben Abfrage (für die Maske des Titels).
        .annotate(personendaten_sichtbar=personendaten_ausdruck(request.user, ueber="anliegen__"))
    )
    filter_ = EingangFilter(daten, queryset=basis, request=request)
    qs = filter_.qs
    anzahl, mehr = begrenzt_zaehlen(qs, ZAEHLGRENZE)
    blatt = blaettern(
        qs, SORTIERUNG, request.GET.get(BLATT), kennung="eingang", groesse=SEITENGROESSE
    )
    for w in blatt.zeilen:
        w.maske = maske_fuer(w.personendaten_sichtbar, w.anliegen.meldende)
        w.status_badge = STATUS_BADGE.get(w.status, "info")
    vorlage = "anliegen/eingang_liste.html"
    if request.htmx:
        vorlage += "#ergebnis"
    return render(
        request,
        vorlage,
        {
            "filter": filter_,
            "blatt": blatt,
            "blaetterlinks": blaetterlinks(daten, blatt),
            "anzahl": anzahl,
            "mehr_als": mehr,
            "zaehlgrenze": number_format(ZAEHLGRENZE, force_grouping=True),
            "mit_fachbereich": request.user.rolle != Rolle.FACHBEREICH,
        },
    )


# --- Detail ------------------------------------------------------------------------------


@require_GET
@rolle_erforderlich
def eingang_detail(request: Anfrage, pk: int) -> HttpResponse:
    # Abfragen (fest): Sitzung, Benutzer, Weiterleitung mit Fachbereichen, Ablehnungsgrund,
    # Beantwortenden und Anliegen (Quartier, Thema, Zuständige, Meldende); der Verlauf dieser
    # Weiterleitung mit Personen; nur bei geteiltem Kontakt die Prüfung des Rechts; die
    # sichtbaren Anhänge mit Person (eine Abfrage; für das QM dazu das Recht).
    weiterleitung = weiterleitung_holen(request, pk)
    anliegen = weiterleitung.anliegen
    kontakt = bool(
        weiterleitung.kontakt_geteilt
        and anliegen.meldende_id
        and darf_personendaten_sehen(request.user, anliegen)
    )
    # Antworten, Zwischenbescheide, Rückgaben dieses Fachbereichs seit der Weiterleitung und
    # Notizen seiner Mitarbeitenden; Notizen des Quartiersmanagements bleiben dort.
    verlauf = list(
        Ereignis.objects.filter(anliegen=anliegen, zeitpunkt__gte=weiterleitung.erstellt_am)
        .filter(
            Q(art__in=VERLAUF_ARTEN, daten__fachbereich=weiterleitung.fachbereich.kuerzel)
            | Q(art="notiz", von__fachbereich=weiterleitung.fachbereich_id)
        )
        .select_related("von")
    )
    notiztexte = darf_notiztexte_lesen(request.user)
    for ereignis in verlauf:
        ereignis.anzeige = (  # type: ignore[attr-defined]  # nur für die Vorlage
            ereignis.text()
            if notiztexte or ereignis.art != "notiz"
            else _("Text nur für Quartiersmanagement und Fachbereiche sichtbar.")
        )
    # Für den Fachbereich zählt hier der in dieser Weiterleitung geteilte Kontakt (ohne eigene
    # Abfrage; strenger als auf der Seite des Anliegens, nie großzügiger).
    personendaten = (
        kontakt
        if request.user.rolle == Rolle.FACHBEREICH
        else darf_personendaten_sehen(request.user, anliegen)
    )
    anhaenge = list(
        sichtbare_anhaenge(request.user, anliegen, personendaten=personendaten).select_related(
            "hochgeladen_von"
        )
    )
    ops = workflow.angebotene(WEITERLEITUNG, weiterleitung, durch=request.user)
    ops += workflow.angebotene(ZUSAGE, weiterleitung.zusage_falls_vorhanden, durch=request.user)
    operationen = knoepfe(ops, lambda op: reverse(f"anliegen:{op.url_name}", args=[pk]))
    return render(
        request,
        "anliegen/eingang_detail.html",
        {
            "w": weiterleitung,
            "zusage": getattr(weiterleitung, "zusage", None),
            "anliegen": anliegen,
            "kontakt": kontakt,
            "eingebracht_von": eingebracht_von(anliegen, verlinken=True),
            "maske": maske_fuer(personendaten, anliegen.meldende),
            "verlauf": verlauf,
            "anhaenge": anhaenge,
            "operationen": operationen,
            "zum_anliegen": request.user.rolle != Rolle.FACHBEREICH,
            "pfad": [
                (_("Posteingang"), reverse("anliegen:eingang")),
                (anliegen.nummer, None),
            ],
        },
    )


urls = [
    path("eingang/", eingang, name="eingang"),
    path("eingang/<int:pk>/", eingang_detail, name="eingang_detail"),
]
