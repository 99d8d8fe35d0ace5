"""Liste der Anliegen (mit Filtern, Sortierung, Blättern) und die Seite eines Anliegens.

Beide holen alles über `permissions.sichtbare_anliegen`: was dort fehlt, ist ein 404.
Personendaten der meldenden Person erscheinen nie in der Liste und auf der Detailseite nur,
wenn `permissions.darf_personendaten_sehen` es erlaubt; dasselbe gilt für den Text von
Rückmeldungen (er richtet sich an die Person und nennt sie oft beim Namen).
"""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from quartier.blaettern import BLATT, ZAEHLGRENZE, begrenzt_zaehlen, blaetterlinks, blaettern
from quartier.models import Rolle
from quartier.permissions import rolle_erforderlich
from quartier.typen import Anfrage

from .. import workflow
from ..datenschutz import maske_fuer
from ..filters import OFFEN, SORTIERUNGEN, VORGABE_SORTIERUNG, AnliegenFilter
from ..forms.anhaenge import AnhangForm
from ..models import (
    Anliegen,
    Antwortlink,
    Ereignis,
    Rueckmeldekanal,
    Weiterleitung,
    WStatus,
    rueckmeldung_stichtag,
)
from ..permissions import (
    darf_bearbeiten,
    darf_notiztexte_lesen,
    darf_personendaten_sehen,
    personendaten_ausdruck,
    sichtbare_anhaenge,
    sichtbare_anliegen,
)
from .brief import brief_hinderungsgrund
from .schritte import knoepfe

SEITENGROESSE = 50
# Farbe des Status-Badges (wie templates/anliegen/_status.html; die Zeilen der Liste
# kommen ohne Include je Zeile aus)
STATUS_BADGE = {"antwort_liegt_vor": "warning", "abgeschlossen": "success"}
# Die Detailseite zeigt die neuesten so vielen Einträge des Verlaufs, den Rest auf Wunsch
# (`?verlauf=alle`): ein Anliegen über Jahre hat Hunderte.
VERLAUF_NEUESTE = 20

# Spalten, nach denen sich die Liste sortieren lässt (Wert von `sortierung` aufsteigend).
SORTIERBARE_SPALTEN = ("nummer", "quartier", "status", "erfasst")


# --- Liste -------------------------------------------------------------------------------


def _filterdaten(request: Anfrage) -> QueryDict:
    """Die GET-Parameter mit den Vorgaben beim ersten Aufruf: nur offene Anliegen, für das
    Quartiersmanagement nur die eigenen Quartiere. Wer das Formular abschickt, sendet immer
    `q` mit, so dass abgewählte Vorgaben abgewählt bleiben. Eine unbekannte Sortierung fällt
    still weg (kein Fehler, keine Meldung). Der Zeiger `blatt` (und `page` alter Links) zählt
    nicht als Filter."""
    daten: QueryDict = request.GET.copy()
    if "sortierung" in daten and daten["sortierung"] not in SORTIERUNGEN:
        daten.pop("sortierung")
    daten.pop("page", None)
    if not set(daten) - {BLATT}:
        daten["status"] = OFFEN
        if request.user.rolle == Rolle.QUARTIERSMANAGEMENT:
            daten["nur_meine"] = "on"
    return daten


def _sortierlinks(daten: QueryDict) -> dict[str, dict]:
    """Je sortierbarer Spalte: Link (mit allen übrigen Filtern) und aktuelle Richtung."""
    aktuell = daten.get("sortierung", "")
    links = {}
    for spalte in SORTIERBARE_SPALTEN:
        parameter = daten.copy()
        parameter.pop(BLATT, None)
        if aktuell == spalte:
            richtung, naechste = "ascending", f"-{spalte}"
        elif aktuell == f"-{spalte}":
            richtung, naechste = "descending", spalte
        else:
            richtung, naechste = "", spalte
        parameter["sortierung"] = naechste
        links[spalte] = {"url": f"?{parameter.urlencode()}", "richtung": richtung}
    return links


@require_GET
@rolle_erforderlich
def anliegen_liste(request: Anfrage) -> HttpResponse:
    # Abfragen (unabhängig von der Zahl der Zeilen und der Tiefe der Seite): Sitzung und
    # Benutzer, die Auswahllisten des Filterformulars (Quartier, Thema, Bedarf, Fachbereich),
    # ggf. eigene Quartiere als Unterabfrage, die begrenzte Anzahl (höchstens 10.001), eine
    # Seite Anliegen mit Quartier und Thema (ab dem Zeiger, kein OFFSET), deren
    # Weiterleitungen mit Fachbereich (ein Prefetch).
    daten = _filterdaten(request)
    basis = (
        sichtbare_anliegen(request.user)
        .select_related("quartier", "thema", "meldende")
        # Personendaten-Recht je Zeile in derselben Abfrage (für die Maske des Titels).
        .annotate(personendaten_sichtbar=personendaten_ausdruck(request.user))
        .prefetch_related(
            Prefetch(
                "weiterleitungen",
                queryset=Weiterleitung.objects.select_related("fachbereich").order_by(
                    "fachbereich__name", "pk"
                ),
            )
        )
    )
    filter_ = AnliegenFilter(daten, queryset=basis, request=request)
    qs = filter_.qs
    anzahl, mehr = begrenzt_zaehlen(qs, ZAEHLGRENZE)
    sortierung = daten.get("sortierung") or VORGABE_SORTIERUNG
    blatt = blaettern(
        qs,
        SORTIERUNGEN.get(sortierung, SORTIERUNGEN[VORGABE_SORTIERUNG]),
        request.GET.get(BLATT),
        kennung=f"anliegen:{sortierung}",
        groesse=SEITENGROESSE,
        # Der Quartiername steht nicht in der Tabelle der Anliegen: die Datenbank sortiert je
        # Quartier nach; zweistufig nur Schlüssel aus dem Index (als Unterabfrage).
        zweistufig=sortierung in ("quartier", "-quartier"),
    )
    heute = timezone.localdate()
    # Die Rückmeldefrist zählt Arbeitstage: der Stichtag kommt aus Python, nicht aus SQL.
    rueckmeldung_bis = rueckmeldung_stichtag(heute)
    zeilen = []
    for anliegen in blatt.zeilen:
        weiterleitungen = list(anliegen.weiterleitungen.all())
        offen_seit = anliegen.rueckmeldung_offen_seit
        zeilen.append(
            {
                "anliegen": anliegen,
                "maske": maske_fuer(anliegen.personendaten_sichtbar, anliegen.meldende),
                "fachbereiche": sorted({w.fachbereich.kuerzel for w in weiterleitungen}),
                "ueberfaellig": any(w.ist_offen and w.frist < heute for w in weiterleitungen),
                "rueckmeldung_ueberfaellig": bool(
                    offen_seit and timezone.localdate(offen_seit) < rueckmeldung_bis
                ),
                "status_badge": STATUS_BADGE.get(anliegen.status, "info"),
            }
        )
    vorlage = "anliegen/anliegen_liste.html"
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
            "zeilen": zeilen,
            "sortierung": _sortierlinks(daten),
        },
    )


# --- Detail ------------------------------------------------------------------------------


def verlaufstext(
    ereignis: Ereignis, personendaten: bool, anhaenge: set[int], *, notiztexte: bool
) -> str:
    """Der Satz im Verlauf; Rückmeldungen und interne Notizen ohne ihren Text für alle, die
    keine Personendaten sehen dürfen (beide nennen oft die meldende Person), Notizen überhaupt
    ohne Text, wenn `notiztexte` fehlt (`permissions.darf_notiztexte_lesen`). Dateinamen nur zu
    Anhängen, die die Person jetzt sehen darf (`anhaenge`: deren ids)."""
    if ereignis.art in ("anhang", "anhang_freigabe"):
        if (ereignis.daten or {}).get("anhang") in anhaenge:
            return ereignis.text()
        # Der Dateiname kann die Person nennen („Brief_Erika_Muster.pdf“).
        if ereignis.art == "anhang":
            return _("Anhang hinzugefügt (nur für das zuständige Quartiersmanagement sichtbar).")
        return _("Freigabe eines Anhangs geändert.")
    if personendaten:
        return ereignis.text()
    if ereignis.art == "notiz" and ereignis.intern:
        # Interne Notizen können die meldende Person nennen: nur für das zuständige QM.
        return _("Interne Notiz (nur für das zuständige Quartiersmanagement sichtbar).")
    if ereignis.art == "notiz" and not notiztexte:
        return _("Text nur für Quartiersmanagement und Fachbereiche sichtbar.")
    if ereignis.art != "rueckmeldung":
        return ereignis.text()
    daten = ereignis.daten or {}
    try:
        kanal = Rueckmeldekanal(daten.get("kanal", "")).label
    except ValueError:
        kanal = daten.get("kanal", "")
    if daten.get("erreicht", True):
        return _("Rückmeldung gegeben (%(kanal)s).") % {"kanal": kanal}
    return _("Rückmeldung versucht, nicht erreicht (%(kanal)s).") % {"kanal": kanal}


def _gebuendelte(anliegen: Anliegen, weiterleitungen: list, personendaten: bool) -> list[dict]:
    """Die unter diesem Anliegen gebündelten, je mit „weiß die Person Bescheid?“ – in einer
    Abfrage (die Regel wie `workflow.wartet_auf_rueckmeldung`, aus Annotationen). Den Weg
    (E-Mail oder noch persönlich zu informieren) nur für wer Personendaten sieht."""
    antworten = [w.beantwortet_am for w in weiterleitungen if w.status == WStatus.BEANTWORTET]
    haupt_antwort = max(antworten, default=None)
    zeilen = []
    gebuendelte = (
        anliegen.gebuendelte.select_related("meldende", "akteur")
        .annotate(
            letzte_rueckmeldung=Max(
                "rueckmeldungen__zeitpunkt", filter=Q(rueckmeldungen__erreicht=True)
            ),
            letzte_antwort=Max(
                "weiterleitungen__beantwortet_am",
                filter=Q(weiterleitungen__status=WStatus.BEANTWORTET),
            ),
        )
        .order_by("pk")
    )
    for b in gebuendelte:
        antwort = max((t for t in (haupt_antwort, b.letzte_antwort) if t), default=None)
        entbehrlich = workflow.rueckmeldung_entbehrlich(b)
        wartet = not entbehrlich and bool(
            b.rueckmeldung_offen_seit
            or (antwort and not (b.letzte_rueckmeldung and b.letzte_rueckmeldung >= antwort))
        )
        if entbehrlich:
            stand = _("keine Rückmeldung nötig")
        elif wartet:
            stand = _("wartet auf Rückmeldung")
        elif b.letzte_rueckmeldung:
            stand = _("informiert")
        else:
            stand = _("noch nichts mitzuteilen")
        weg = ""
        if wartet and personendaten:
            if workflow.per_mail_erreichbar(b):
                weg = _("per E-Mail erreichbar")
            else:
                kanal = b.meldende.get_bevorzugter_kanal_display() if b.meldende else ""
                weg = _("noch persönlich, telefonisch oder per Brief zu informieren")
                if kanal:
                    weg += " " + _("(gewünscht: %(kanal)s)") % {"kanal": kanal}
        zeilen.append({"anliegen": b, "stand": stand, "wartet": wartet, "weg": weg})
    return zeilen


@require_GET
@rolle_erforderlich
def anliegen_detail(request: Anfrage, nummer: str) -> HttpResponse:
    # Abfragen (fest): Anliegen mit Quartier, Thema, Sitzung, Akteur, Zuständigen und
    # Meldenden (dazu als Annotation: gibt es gebündelte, wie viele Einträge hat der Verlauf);
    # Rechte (eigene Quartiere; für den Fachbereich: geteilter Kontakt); Bedarfe;
    # Weiterleitungen mit Fachbereichen, Ablehnungsgrund, Beantwortenden; Rückmeldungen mit
    # Person; die neuesten VERLAUF_NEUESTE Einträge des Verlaufs mit Person; die beiden
    # Rückmelde-Prüfungen; Anhänge mit Person (eine Abfrage, gleich wie viele).
    # Ganz gezeigt werden Weiterleitungen (höchstens eine offene je Fachbereich),
    # Rückmeldungen, Anhänge und gebündelte: je eine Abfrage, und jede Zeile ist etwas, das
    # hier zu sehen oder zu tun ist; nur der Verlauf wächst über Jahre ohne solche Grenze.
    anliegen: Anliegen = get_object_or_404(
        sichtbare_anliegen(request.user)
        .select_related(
            "quartier",
            "thema",
            "sitzung__netzwerk",
            "akteur",
            "fondsantrag",
            "zustaendig",
            "meldende",
            "uebergeordnet__meldende",
        )
        .annotate(
            hat_gebuendelte=Exists(Anliegen.objects.filter(uebergeordnet=OuterRef("pk"))),
            # Einträge im Verlauf, ohne sie zu laden (für „neueste 20 von 400“).
            verlauf_anzahl=Coalesce(
                Subquery(
                    Ereignis.objects.filter(anliegen=OuterRef("pk"))
                    .order_by()
                    .values("anliegen")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        ),
        nummer=nummer,
    )
    personendaten = darf_personendaten_sehen(request.user, anliegen)
    # Einmal je Seite: die Werte der Person (bei einem gebündelten auch die der Person des
    # Hauptanliegens, dessen Antworten hier stehen) in jedem Freitext maskieren.
    haupt = anliegen.uebergeordnet
    maske = maske_fuer(personendaten, anliegen.meldende, haupt.meldende if haupt else None)
    bearbeiten = darf_bearbeiten(request.user, anliegen)
    weiterleitungen_qs = anliegen.weiterleitungen.select_related(
        "fachbereich", "ablehnungsgrund", "zustaendig_fachbereich", "beantwortet_von", "zusage"
    )
    if bearbeiten:
        # Antwortlinks (nicht widerrufen) nur für das zuständige QM: es widerruft und erneuert.
        weiterleitungen_qs = weiterleitungen_qs.prefetch_related(
            Prefetch(
                "antwortlinks",
                queryset=Antwortlink.objects.filter(widerrufen_am__isnull=True),
                to_attr="aktive_links",
            )
        )
    weiterleitungen = list(weiterleitungen_qs)
    rueckmeldungen = list(anliegen.rueckmeldungen.select_related("von"))
    # Nur die neuesten Einträge (ohne `?verlauf=alle`), angezeigt in zeitlicher Folge. Was die
    # Seite sonst über den Verlauf wissen muss, kommt aus Annotationen, nie aus dieser Liste.
    alle_eintraege = request.GET.get("verlauf") == "alle"
    verlauf_qs = anliegen.ereignisse.select_related("von").order_by("-zeitpunkt", "-pk")
    if not alle_eintraege:
        verlauf_qs = verlauf_qs[:VERLAUF_NEUESTE]
    ereignisse = list(verlauf_qs)[::-1]
    anhaenge = list(
        sichtbare_anhaenge(request.user, anliegen, personendaten=personendaten).select_related(
            "hochgeladen_von"
        )
    )
    sichtbar = {a.pk for a in anhaenge}
    notiztexte = darf_notiztexte_lesen(request.user)
    for ereignis in ereignisse:
        # nur für die Vorlage, wie die übrigen Anzeige-Attribute dieser Seite
        ereignis.anzeige = verlaufstext(  # type: ignore[attr-defined]
            ereignis, personendaten, sichtbar, notiztexte=notiztexte
        )
    wartet = workflow.braucht_rueckmeldung(anliegen)
    anliegen.braucht_rueckmeldung_vorab = wartet  # type: ignore[attr-defined]  # für die Vorlage
    operationen = knoepfe(
        workflow.angebotene(workflow.ANLIEGEN, anliegen, durch=request.user),
        lambda op: reverse(f"anliegen:{op.url_name}", args=[anliegen.nummer]),
    )
    # Rückmeldebrief: nur wer rückmelden darf, mit meldender Person, wenn es etwas mitzuteilen
    # gibt (ohne weitere Abfrage aus den geladenen Weiterleitungen).
    brief = bool(
        anliegen.meldende_id
        and any(op["name"] == "rueckmelden" for op in operationen)
        and not brief_hinderungsgrund(anliegen, weiterleitungen)
    )
    # Gebündelt: beantwortet wird am Hauptanliegen; seine Antworten gehören auf diese Seite
    # (die Person soll sie erfahren). Nur was diese Person am Hauptanliegen sehen darf.
    haupt_antworten = (
        list(
            Weiterleitung.objects.filter(
                anliegen_id=anliegen.uebergeordnet_id,
                anliegen__in=sichtbare_anliegen(request.user),
                status=WStatus.BEANTWORTET,
            )
            .select_related("fachbereich", "ablehnungsgrund", "beantwortet_von")
            .order_by("beantwortet_am", "pk")
        )
        if anliegen.uebergeordnet_id
        else []
    )
    # Ohne gebündelte (Annotation) keine Abfrage. Eine Abfrage, gleich wie viele; alle werden
    # gezeigt, nicht nur die ersten: die Liste sagt dem QM, wer noch Rückmeldung braucht.
    gebuendelte = (
        _gebuendelte(anliegen, weiterleitungen, personendaten)
        if anliegen.hat_gebuendelte  # type: ignore[attr-defined]  # Annotation
        else []
    )
    return render(
        request,
        "anliegen/anliegen_detail.html",
        {
            "anliegen": anliegen,
            "gebuendelte": gebuendelte,
            "haupt_antworten": haupt_antworten,
            "gebuendelte_verlinken": request.user.rolle != Rolle.FACHBEREICH,
            "bedarfe": list(anliegen.bedarfe.all()),
            "personendaten": personendaten,
            "maske": maske,
            "weiterleitungen": weiterleitungen,
            "rueckmeldungen": rueckmeldungen,
            "ereignisse": ereignisse,
            "verlauf_anzahl": anliegen.verlauf_anzahl,  # type: ignore[attr-defined]
            "verlauf_gekuerzt": len(ereignisse) < anliegen.verlauf_anzahl,  # type: ignore[attr-defined]
            "operationen": operationen,
            "links_verwalten": bearbeiten,
            "brief": brief,
            "wartet_auf_rueckmeldung": wartet and not workflow.rueckmeldung_entbehrlich(anliegen),
            "anhaenge": anhaenge,
            "anhang_form": AnhangForm() if bearbeiten else None,
            "anhaenge_bearbeiten": bearbeiten,
            "weiteres_anliegen": bool(bearbeiten and anliegen.meldende_id),
            "rueckmeldung_ueberfaellig": anliegen.ist_rueckmeldung_ueberfaellig(),
            "zusagen": [z for w in weiterleitungen if (z := getattr(w, "zusage", None))],
            "pfad": [(_("Anliegen"), reverse("anliegen:liste")), (anliegen.nummer, None)],
        },
    )


urls = [
    path("anliegen/", anliegen_liste, name="liste"),
    path("anliegen/<str:nummer>/", anliegen_detail, name="detail"),
]
