"""Auswertung „Anliegen“ für die Sozialplanung: Themen, Bedarfe, die zwei Uhren, Fachbereiche,
Zahlen des Lotsen und der Wissenspool – je Auswahl (Zeitraum, Ort, Thema, Bedarf, Fachbereich).

Jede Funktion nimmt eine `Auswahl` und gibt eine `quartier.tabellen.Tabelle` (Seite, CSV,
XLSX) oder ein Dict mit Zahlen zurück. `quartiersbericht(quartier, jahr)` bündelt alles für
ein Quartier und ein Jahr (Grundlage des Quartiersberichts).

Regeln, damit die Seite bei 200.000 Anliegen schnell bleibt und die Zahl der Abfragen fest ist:

- Gezählt wird in der Datenbank (`Count` mit `filter=`, gruppiert). Python setzt nur fertige
  Gruppen zusammen (je Quartier, je Monat, je Fachbereich), nie einzelne Anliegen.
- Filter auf mehrwertige Verknüpfungen (Bedarf, Fachbereich, Sozialraum) sind Unterabfragen
  (`Exists` bzw. `IN`), damit ein Anliegen mit zwei Bedarfen nicht doppelt zählt.
- Arbeitstage lassen sich nicht in SQL zählen (Feiertage); die Dauern sind beim Ereignis
  gespeichert (`Weiterleitung.antwort_arbeitstage`, `Rueckmeldung.wartezeit_arbeitstage`,
  siehe anliegen/dauern.py).
- Wenige Grundabfragen, die sich die Zahlen teilen (gemerkt an der `Auswahl`, je Abfrage
  einmal): Anliegen je Monat (Verlauf, Lotse je Quartal), je Quartier × Thema (Quartiere,
  Themen, Wissenspool), Bedarfe je Quartier × Bedarf, Weiterleitungen je Fachbereich ×
  Ablehnungsgrund × Antwortzeit (Fachbereiche, Ablehnungen, erste Uhr). Die abdeckenden
  Indizes `anliegen_auswertung_idx` und `weiterleitung_auswertung_idx` lassen PostgreSQL
  nur Indizes lesen (Index Only Scan).

Perzentile (Median, 80. Perzentil) nach dem **Nächster-Rang-Verfahren**: der p-te Perzentilwert
von n aufsteigend sortierten Werten ist der Wert auf Rang ⌈p·n/100⌉ (1-basiert); er ist immer
ein tatsächlich vorkommender Wert (ganze Arbeitstage), bei geradem n ist der Median der
untere der beiden mittleren Werte. Gerechnet wird auf einem **Histogramm**: die Datenbank
liefert je Gruppe und Dauer die Anzahl (`GROUP BY gruppe, dauer` – eine Abfrage für alle
Gruppen, auf SQLite wie PostgreSQL), Python läuft über die höchstens einige hundert
verschiedenen Dauern. Das ist dasselbe Ergebnis wie `percentile_disc` in PostgreSQL.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.auswertung import plus_monate
from quartier.models import Bezirk, Fachbereich, Quartier, QuartierQuerySet, Sozialraum
from quartier.tabellen import ANTEIL, DEZIMAL, ZAHL, Spalte, Tabelle

from . import fakten, kennzahlen
from .models import (
    OFFENE_WSTATUS,
    Ablehnungsgrund,
    Anliegen,
    Bedarf,
    Entscheidung,
    Faktart,
    Rueckmeldung,
    Thema,
    Weg,
    Weiterleitung,
    WStatus,
    ZStatus,
    Zusage,
)

BEDARF_ZUORDNUNG = Anliegen.bedarfe.through
MONATSNAMEN = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")


def standardzeitraum(heute: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """Die letzten zwölf Kalendermonate einschließlich des laufenden, bis heute."""
    heute = heute or timezone.localdate()
    return plus_monate(heute.replace(day=1), -11), heute


@dataclass
class Auswahl:
    """Die Filter einer Auswertung. Leere Felder schränken nicht ein.

    Der Zeitraum gilt für das Erfassungsdatum des Anliegens; alles andere (Weiterleitungen,
    Rückmeldungen, Zusagen) zählt zu den Anliegen der Auswahl. Mit `fachbereich` zählen nur
    Anliegen, die an ihn weitergeleitet wurden, und nur seine Weiterleitungen."""

    von: datetime.date | None = None
    bis: datetime.date | None = None
    bezirk: Bezirk | None = None
    sozialraum: Sozialraum | None = None
    quartier: Quartier | None = None
    thema: Thema | None = None
    bedarf: Bedarf | None = None
    fachbereich: Fachbereich | None = None
    heute: datetime.date | None = None
    # Direkt aus den Quelltabellen statt aus den Fakten (Orakel der Tests, Vergleich).
    ohne_fakten: bool = False
    # Ergebnisse der Grundabfragen, je Auswahl einmal (nicht Teil der Filter).
    _gemerkt: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def jahr(cls, jahr: int, **filter) -> "Auswahl":
        return cls(von=datetime.date(jahr, 1, 1), bis=datetime.date(jahr, 12, 31), **filter)

    @property
    def stichtag(self) -> datetime.date:
        return self.heute or timezone.localdate()

    @property
    def mit_ort(self) -> bool:
        return bool(self.bezirk or self.sozialraum or self.quartier)

    @property
    def mit_fakten(self) -> bool:
        """Aus den verdichteten Fakten (anliegen/fakten.py) – außer mit Bedarf oder
        Fachbereich: diese Filter wählen Anliegen nach mehrwertigen Verknüpfungen aus."""
        return not (self.ohne_fakten or self.bedarf or self.fachbereich)

    def ohne_ort(self) -> "Auswahl":
        """Dieselbe Auswahl für die ganze Stadt (Vergleich im Wissenspool)."""
        if not self.mit_ort:
            return self
        return replace(self, bezirk=None, sozialraum=None, quartier=None)

    def _merken(self, name: str, rechnen):
        if name not in self._gemerkt:
            self._gemerkt[name] = rechnen()
        return self._gemerkt[name]

    def quartiere(self) -> QuartierQuerySet:
        qs = Quartier.objects.all()
        if self.bezirk:
            qs = qs.filter(bezirk=self.bezirk)
        if self.sozialraum:
            qs = qs.filter(pk__in=self._quartiere_im_sozialraum())
        if self.quartier:
            qs = qs.filter(pk=self.quartier.pk)
        return qs

    def _quartiere_im_sozialraum(self) -> QuerySet:
        return Quartier.objects.filter(lebensraeume__sozialraum=self.sozialraum).values("pk")

    def bedingungen(self, p: str = "") -> list:
        """Filter auf Anliegen, `p` ist der Weg dorthin (z. B. „anliegen__“)."""
        zeitzone = timezone.get_current_timezone()
        bedingungen: list = []
        if self.von:
            anfang = datetime.datetime.combine(self.von, datetime.time.min, zeitzone)
            bedingungen.append(Q(**{f"{p}erstellt_am__gte": anfang}))
        if self.bis:
            ende = datetime.datetime.combine(
                self.bis + datetime.timedelta(days=1), datetime.time.min, zeitzone
            )
            bedingungen.append(Q(**{f"{p}erstellt_am__lt": ende}))
        if self.quartier:
            bedingungen.append(Q(**{f"{p}quartier": self.quartier}))
        if self.bezirk:
            bedingungen.append(Q(**{f"{p}quartier__bezirk": self.bezirk}))
        if self.sozialraum:
            bedingungen.append(Q(**{f"{p}quartier__in": self._quartiere_im_sozialraum()}))
        if self.thema:
            bedingungen.append(Q(**{f"{p}thema": self.thema}))
        anliegen_pk = OuterRef(f"{p}pk" if p else "pk")
        if self.bedarf:
            bedingungen.append(
                Exists(BEDARF_ZUORDNUNG.objects.filter(anliegen_id=anliegen_pk, bedarf=self.bedarf))
            )
        if self.fachbereich:
            bedingungen.append(
                Exists(
                    Weiterleitung.objects.filter(
                        anliegen_id=anliegen_pk, fachbereich=self.fachbereich
                    )
                )
            )
        return bedingungen

    def anliegen(self) -> QuerySet[Anliegen]:
        return Anliegen.objects.filter(*self.bedingungen()).order_by()

    def weiterleitungen(self) -> QuerySet[Weiterleitung]:
        qs = Weiterleitung.objects.filter(*self.bedingungen("anliegen__")).order_by()
        if self.fachbereich:
            qs = qs.filter(fachbereich=self.fachbereich)
        return qs

    def rueckmeldungen(self) -> QuerySet[Rueckmeldung]:
        return Rueckmeldung.objects.filter(*self.bedingungen("anliegen__")).order_by()

    def zusagen(self) -> QuerySet[Zusage]:
        qs = Zusage.objects.filter(*self.bedingungen("weiterleitung__anliegen__")).order_by()
        if self.fachbereich:
            qs = qs.filter(weiterleitung__fachbereich=self.fachbereich)
        return qs

    def bedarf_zuordnungen(self) -> QuerySet:
        return BEDARF_ZUORDNUNG.objects.filter(*self.bedingungen("anliegen__")).order_by()


# --- Rechenhilfen ------------------------------------------------------------------------


def anteil(teil: int | None, ganzes: int | None) -> Decimal | None:
    """Anteil 0..1 auf drei Stellen; None, wenn es nichts zu teilen gibt."""
    if not ganzes:
        return None
    return (Decimal(teil or 0) / Decimal(ganzes)).quantize(Decimal("0.001"))


def je_1000(anzahl: int, einwohner: int | None) -> Decimal | None:
    if not einwohner:
        return None
    return (Decimal(anzahl) * 1000 / Decimal(einwohner)).quantize(Decimal("0.01"))


def perzentil(histogramm: dict[int, int], p: int) -> int | None:
    """Nächster Rang: der Wert auf Rang ⌈p·n/100⌉ der aufsteigend sortierten Werte.

    `histogramm` bildet Wert → Anzahl ab; None, wenn es keine Werte gibt."""
    n = sum(histogramm.values())
    if not n:
        return None
    rang = -(-p * n // 100)  # ⌈p·n/100⌉ ganzzahlig
    bisher = 0
    for wert in sorted(histogramm):
        bisher += histogramm[wert]
        if bisher >= rang:
            return wert
    return None  # pragma: no cover


def _histogramme(qs: QuerySet, gruppe: str | None, feld: str) -> dict:
    """Eine Abfrage: je Gruppe (oder None) ein Histogramm {Dauer: Anzahl} des Feldes."""
    felder = [gruppe, feld] if gruppe else [feld]
    ergebnis: dict = defaultdict(dict)
    for zeile in qs.filter(**{f"{feld}__isnull": False}).values(*felder).annotate(n=Count("pk")):
        ergebnis[zeile[gruppe] if gruppe else None][zeile[feld]] = zeile["n"]
    return ergebnis


def _kennwerte(histogramm: dict[int, int], frist: int | None = None) -> dict:
    anzahl = sum(histogramm.values())
    werte: dict[str, int | Decimal | None] = {
        "anzahl": anzahl,
        "median": perzentil(histogramm, 50),
        "p80": perzentil(histogramm, 80),
    }
    if frist is not None:
        werte["in_frist"] = anteil(sum(n for d, n in histogramm.items() if d <= frist), anzahl)
    return werte


# --- Grundabfragen (je Auswahl einmal) -------------------------------------------------------


def _ortsdatum(wert) -> datetime.date:
    return timezone.localdate(wert) if isinstance(wert, datetime.datetime) else wert


def grund_monate(auswahl: Auswahl) -> dict[datetime.date, dict]:
    """Je Kalendermonat (Ortszeit): Anliegen, Weg (selbst, Kontakt, Bedarf, weitergeleitet,
    entschieden) und abgeschlossen; aus den Fakten dazu je Monat die Zähler für „nie
    zurückgemeldet“ (`beantwortet`, `zurueckgemeldet`, siehe `uhren`). Eine Abfrage."""

    def rechnen():
        if auswahl.mit_fakten:
            return _fakten_monate(auswahl)
        return {
            _ortsdatum(z.pop("monat")): z
            for z in auswahl.anliegen()
            .annotate(monat=TruncMonth("erstellt_am"))
            .values("monat")
            .annotate(
                anzahl=Count("erstellt_am"),
                entschieden=Count("erstellt_am", filter=~Q(weg="")),
                selbst=Count("erstellt_am", filter=Q(weg=Weg.SELBST)),
                kontakt=Count("erstellt_am", filter=Q(weg=Weg.KONTAKT)),
                bedarf=Count("erstellt_am", filter=Q(weg=Weg.BEDARF)),
                weitergeleitet=Count("erstellt_am", filter=Q(weg=Weg.WEITERLEITEN)),
                abgeschlossen=Count("erstellt_am", filter=Q(abgeschlossen_am__isnull=False)),
            )
            .order_by()
        }

    return auswahl._merken("monate", rechnen)


def _fakten_monate(auswahl: Auswahl) -> dict[datetime.date, dict]:
    summe = fakten.summe
    monate: dict[datetime.date, dict] = {}
    for z in (
        fakten.zeilen(auswahl, Faktart.VERLAUF)
        .values("tag")
        .annotate(
            # „n_“: eine Annotation darf nicht heißen wie das Feld, das sie summiert
            n_anzahl=summe(),
            n_entschieden=Coalesce(Sum("anzahl", filter=~Q(weg="")), 0),
            n_selbst=summe(weg=Weg.SELBST),
            n_kontakt=summe(weg=Weg.KONTAKT),
            n_bedarf=summe(weg=Weg.BEDARF),
            n_weitergeleitet=summe(weg=Weg.WEITERLEITEN),
            n_abgeschlossen=summe(abgeschlossen=True),
            n_beantwortet=summe(beantwortet=True),
            n_zurueckgemeldet=summe(zurueckgemeldet=True),
        )
    ):
        monat = z.pop("tag").replace(day=1)
        z = {k.removeprefix("n_"): n for k, n in z.items()}
        if monat in monate:
            for k, n in z.items():
                monate[monat][k] += n
        else:
            monate[monat] = z
    return {m: z for m, z in monate.items() if z["anzahl"]}


def _mit_namen(zeilen: list[dict], modell, feld: str, name: str) -> list[dict]:
    """Ersetzt die Nummer eines Themas oder Bedarfs durch seinen Namen (eine Abfrage, nur
    wenn es Zeilen gibt; als Unterabfrage je Faktzeile wäre es viel langsamer)."""
    namen = _namen(modell, {z[feld] for z in zeilen})
    for z in zeilen:
        z[name] = namen[z.pop(feld)]
    return zeilen


def grund_quartier_thema(auswahl: Auswahl) -> list[dict]:
    """Anliegen je Quartier und Thema (höchstens Quartiere × Themen Zeilen). Eine Abfrage."""
    if auswahl.mit_fakten:
        return auswahl._merken(
            "quartier_thema",
            lambda: _mit_namen(
                list(
                    fakten.zeilen(auswahl, Faktart.ANLIEGEN, je_quartier=True, je_thema=True)
                    .values("quartier", "thema")
                    .annotate(n=Sum("anzahl"))
                ),
                Thema,
                "thema",
                "thema__name",
            ),
        )
    return auswahl._merken(
        "quartier_thema",
        lambda: list(
            auswahl.anliegen()
            .values("quartier", "thema__name")
            .annotate(n=Count("erstellt_am"))
            .order_by()
        ),
    )


def grund_quartier_bedarf(auswahl: Auswahl) -> list[dict]:
    """Zuordnungen Anliegen–Bedarf je Quartier und Bedarf. Eine Abfrage."""
    if auswahl.mit_fakten:
        return auswahl._merken(
            "quartier_bedarf",
            lambda: _mit_namen(
                list(
                    fakten.zeilen(auswahl, Faktart.BEDARF, je_quartier=True)
                    .values("quartier", "bedarf")
                    .annotate(n=Sum("anzahl"))
                    .values("n", "bedarf", anliegen__quartier=F("quartier"))
                ),
                Bedarf,
                "bedarf",
                "bedarf__name",
            ),
        )
    return auswahl._merken(
        "quartier_bedarf",
        lambda: list(
            auswahl.bedarf_zuordnungen()
            .values("anliegen__quartier", "bedarf__name")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )


def grund_weiterleitungen(auswahl: Auswahl) -> list[dict]:
    """Weiterleitungen je Fachbereich, Ablehnungsgrund (trennt nur die „nicht möglich“) und
    Antwortzeit: erhalten, angenommen, zurückgegeben, beantwortet, fristgerecht beantwortet,
    heute offen und überfällig, abgelehnt; Zusagen (Anzahl, eingehalten, entfallen, mit den
    Zählern aus `kennzahlen`). Eine Abfrage für die Fachbereichstabelle, die Ablehnungen und
    die erste Uhr (höchstens Fachbereiche × Gründe × Antwortzeiten Zeilen)."""
    heute = auswahl.stichtag
    if auswahl.mit_fakten:
        return auswahl._merken("weiterleitungen", lambda: _fakten_weiterleitungen(auswahl))
    offen = Q(status__in=OFFENE_WSTATUS)
    beantwortet = Q(status=WStatus.BEANTWORTET)
    return auswahl._merken(
        "weiterleitungen",
        lambda: list(
            auswahl.weiterleitungen()
            .values("fachbereich", "ablehnungsgrund", "antwort_arbeitstage")
            .annotate(
                erhalten=Count("anliegen"),
                angenommen=Count("anliegen", filter=Q(angenommen_am__isnull=False)),
                zurueckgegeben=Count("anliegen", filter=Q(status=WStatus.NICHT_ZUSTAENDIG)),
                beantwortet=Count("anliegen", filter=beantwortet),
                fristgerecht=Count(
                    "anliegen", filter=beantwortet & Q(beantwortet_am__date__lte=F("frist"))
                ),
                offen=Count("anliegen", filter=offen),
                ueberfaellig=Count("anliegen", filter=offen & Q(frist__lt=heute)),
                abgelehnt=Count(
                    "anliegen", filter=beantwortet & Q(entscheidung=Entscheidung.NICHT_MOEGLICH)
                ),
                # Zusagen (eins zu eins zur Weiterleitung) für die Erfüllungsquote
                **{
                    f"zusagen_{k}": zaehler
                    for k, zaehler in kennzahlen.zusagen_zaehler("zusage__", heute).items()
                    if k in ("anzahl", "eingehalten", "entfallen")
                },
            )
            .order_by()
        ),
    )


def _fakten_weiterleitungen(auswahl: Auswahl) -> list[dict]:
    summe = fakten.summe
    offen = {"wstatus__in": OFFENE_WSTATUS}
    zeilen = list(
        fakten.zeilen(auswahl, Faktart.WEITERLEITUNG)
        .values("fachbereich", "grund", "dauer")
        .annotate(
            erhalten=summe(),
            angenommen=summe(angenommen=True),
            zurueckgegeben=summe(wstatus=WStatus.NICHT_ZUSTAENDIG),
            beantwortet=summe(wstatus=WStatus.BEANTWORTET),
            fristgerecht=summe(fristgerecht=True),
            offen=summe(**offen),
            ueberfaellig=summe(**offen, frist__lt=auswahl.stichtag),
            abgelehnt=summe(grund__gt=0),
            zusagen_anzahl=Coalesce(Sum("anzahl", filter=~Q(zusage="")), 0),
            zusagen_eingehalten=summe(zusage=ZStatus.EINGEHALTEN),
            zusagen_entfallen=summe(zusage=ZStatus.ENTFALLEN),
        )
    )
    for z in zeilen:
        z["ablehnungsgrund"] = z.pop("grund") or None
        dauer = z.pop("dauer")
        z["antwort_arbeitstage"] = None if dauer < 0 else dauer
    return zeilen


def grund_antwortzeiten(auswahl: Auswahl) -> dict[int, dict[int, int]]:
    """Histogramm der Antwortzeiten (nur beantwortete) je Fachbereich, aus der Grundabfrage."""
    histogramme: dict[int, dict[int, int]] = defaultdict(dict)
    for z in grund_weiterleitungen(auswahl):
        if z["beantwortet"] and z["antwort_arbeitstage"] is not None:
            h = histogramme[z["fachbereich"]]
            h[z["antwort_arbeitstage"]] = h.get(z["antwort_arbeitstage"], 0) + z["beantwortet"]
    return histogramme


def _summe_histogramme(histogramme) -> dict[int, int]:
    summe: dict[int, int] = defaultdict(int)
    for histogramm in histogramme:
        for wert, n in histogramm.items():
            summe[wert] += n
    return dict(summe)


def anzahl_anliegen(auswahl: Auswahl) -> int:
    return sum(z["anzahl"] for z in grund_monate(auswahl).values())


# --- Anliegen nach Quartier, Thema, Bedarf, Monat -------------------------------------------


def anliegen_je_quartier(auswahl: Auswahl) -> list[dict]:
    """Je Quartier der Auswahl (auch ohne Anliegen): Einwohner:innen, Anliegen, je 1.000
    Einwohner:innen (None ohne Einwohnerzahl). Die Quartiere mit Einwohnerzahl (Unterabfrage
    `mit_einwohnern`) und die Anzahlen aus der Grundabfrage Quartier × Thema."""
    anzahlen: dict[int, int] = defaultdict(int)
    for z in grund_quartier_thema(auswahl):
        anzahlen[z["quartier"]] += z["n"]
    quartiere = (
        auswahl.quartiere()
        .mit_einwohnern()
        .values("pk", "name", "bezirk__name", "einwohner_summe")
        .order_by("name")
    )
    return [
        {
            "quartier": q["name"],
            "bezirk": q["bezirk__name"],
            "einwohner": q["einwohner_summe"],
            "anzahl": anzahlen.get(q["pk"], 0),
            "je_1000": je_1000(anzahlen.get(q["pk"], 0), q["einwohner_summe"]),
        }
        for q in quartiere
    ]


def tabelle_quartiere(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Anliegen je Quartier"),
        [
            Spalte("quartier", _("Quartier")),
            Spalte("anzahl", _("Anliegen"), ZAHL),
            Spalte("je_1000", _("je 1.000 Einwohner:innen"), DEZIMAL),
            Spalte("einwohner", _("Einwohner:innen"), ZAHL),
            Spalte("bezirk", _("Bezirk")),
        ],
        anliegen_je_quartier(auswahl),
    )


def anliegen_je_thema(auswahl: Auswahl) -> list[dict]:
    """Je Thema: Anliegen und Anteil an allen der Auswahl."""
    je_thema: dict[str, int] = defaultdict(int)
    for z in grund_quartier_thema(auswahl):
        je_thema[z["thema__name"]] += z["n"]
    summe = sum(je_thema.values())
    return [
        {"thema": thema, "anzahl": n, "anteil": anteil(n, summe)}
        for thema, n in sorted(je_thema.items(), key=lambda t: (-t[1], t[0]))
    ]


def tabelle_themen(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Anliegen je Thema"),
        [
            Spalte("thema", _("Thema")),
            Spalte("anzahl", _("Anliegen"), ZAHL),
            Spalte("anteil", _("Anteil"), ANTEIL),
        ],
        anliegen_je_thema(auswahl),
    )


def anliegen_je_bedarf(auswahl: Auswahl) -> list[dict]:
    """Je Bedarf: Anliegen mit diesem Bedarf und Anteil an allen Anliegen der Auswahl (ein
    Anliegen kann mehrere Bedarfe haben; die Anteile ergeben darum nicht 100 %)."""
    gesamt = anzahl_anliegen(auswahl)
    je_bedarf: dict[str, int] = defaultdict(int)
    for z in grund_quartier_bedarf(auswahl):
        je_bedarf[z["bedarf__name"]] += z["n"]
    return [
        {"bedarf": bedarf, "anzahl": n, "anteil": anteil(n, gesamt)}
        for bedarf, n in sorted(je_bedarf.items(), key=lambda b: (-b[1], b[0]))
    ]


def tabelle_bedarfe(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Anliegen je Bedarf"),
        [
            Spalte("bedarf", _("Bedarf")),
            Spalte("anzahl", _("Anliegen"), ZAHL),
            Spalte("anteil", _("Anteil an allen Anliegen"), ANTEIL),
        ],
        anliegen_je_bedarf(auswahl),
    )


def _monate(von: datetime.date, bis: datetime.date) -> list[datetime.date]:
    monate, monat = [], von.replace(day=1)
    while monat <= bis:
        monate.append(monat)
        monat = plus_monate(monat, 1)
    return monate


def _monat_text(monat: datetime.date) -> str:
    return f"{_(MONATSNAMEN[monat.month - 1])} {monat.year}"


def _zeitraum_monate(auswahl: Auswahl, vorhanden) -> list[datetime.date]:
    if not vorhanden and not (auswahl.von and auswahl.bis):
        return []
    return _monate(auswahl.von or min(vorhanden), auswahl.bis or max(vorhanden))


def anliegen_je_monat(auswahl: Auswahl) -> list[dict]:
    """Verlauf: je Kalendermonat (Ortszeit) Anliegen, davon weitergeleitet, davon
    abgeschlossen; Monate ohne Anliegen mit 0."""
    zeilen = grund_monate(auswahl)
    leer = {"anzahl": 0, "weitergeleitet": 0, "abgeschlossen": 0}
    return [
        {"monat": _monat_text(m), **{k: zeilen.get(m, leer)[k] for k in leer}}
        for m in _zeitraum_monate(auswahl, zeilen)
    ]


def tabelle_monate(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Anliegen je Monat"),
        [
            Spalte("monat", _("Monat")),
            Spalte("anzahl", _("Anliegen"), ZAHL),
            Spalte("weitergeleitet", _("davon weitergeleitet"), ZAHL),
            Spalte("abgeschlossen", _("davon abgeschlossen"), ZAHL),
        ],
        anliegen_je_monat(auswahl),
    )


# --- Die zwei Uhren ----------------------------------------------------------------------


_rueckmeldung_erwartet = fakten.rueckmeldung_erwartet


def uhren(auswahl: Auswahl) -> dict:
    """Die zwei Uhren des Kreislaufs, in Arbeitstagen (Nächster-Rang-Perzentile):

    - `antwort`: Weiterleitung → Antwort des Fachbereichs (nur beantwortete, nicht
      zurückgegebene); `in_frist` = Anteil mit Antwort bis zur Frist der Weiterleitung.
    - `rueckmeldung`: Antwort (Beginn der Rückmeldefrist) → erreichte Rückmeldung an die Person;
      `in_frist` = Anteil innerhalb von `QL_RUECKMELDEFRIST_ARBEITSTAGE`.
    - `beantwortet`: Anliegen mit mindestens einer Antwort, denen eine Rückmeldung geschuldet
      ist; `nie_zurueckgemeldet`: davon ohne eine Rückmeldung, die eine Wartezeit beendet hat
      (auch die, deren Frist noch läuft); `nie_anteil`: Anteil.

    Eine Rückmeldung mit Wartezeit gibt es nur nach einer Antwort (die Wartezeit beginnt mit
    ihr oder mit dem Schritt einer Zusage, die es nur nach einer Antwort gibt); darum ist
    „nie zurückgemeldet“ die Differenz zweier Zählungen ohne Unterabfrage je Anliegen.
    Die Antwortzeiten kommen aus der Grundabfrage der Weiterleitungen; dazu zwei Abfragen."""
    frist = settings.QL_RUECKMELDEFRIST_ARBEITSTAGE
    antwort = _kennwerte(_summe_histogramme(grund_antwortzeiten(auswahl).values()))
    fristgerecht = sum(z["fristgerecht"] for z in grund_weiterleitungen(auswahl))
    antwort["in_frist"] = anteil(fristgerecht, antwort["anzahl"])
    if auswahl.mit_fakten:
        # Aus den Fakten: Rückmeldezeiten als Histogramm, „nie zurückgemeldet“ aus den Monaten.
        zeiten = dict(
            fakten.zeilen(auswahl, Faktart.RUECKMELDUNG)
            .values("dauer")
            .annotate(n=Sum("anzahl"))
            .values_list("dauer", "n")
        )
        monate = grund_monate(auswahl).values()
        beantwortet = sum(z["beantwortet"] for z in monate)
        nie = max(0, beantwortet - sum(z["zurueckgemeldet"] for z in monate))
        return {
            "antwort": antwort,
            "rueckmeldung": _kennwerte(zeiten, frist),
            "rueckmeldefrist": frist,
            "beantwortet": beantwortet,
            "nie_zurueckgemeldet": nie,
            "nie_anteil": anteil(nie, beantwortet),
        }
    rueckmeldung = _kennwerte(
        _histogramme(
            auswahl.rueckmeldungen().filter(erreicht=True), None, "wartezeit_arbeitstage"
        ).get(None, {}),
        frist,
    )
    # Alle Weiterleitungen der ausgewählten Anliegen (auch an andere Fachbereiche): gefragt
    # ist, ob das Anliegen eine Antwort hatte. Eine Abfrage; DISTINCT gegen die Vervielfachung.
    rueckmeldung_mit_wartezeit = Q(
        anliegen__rueckmeldungen__erreicht=True,
        anliegen__rueckmeldungen__wartezeit_arbeitstage__isnull=False,
    )
    zahlen = Weiterleitung.objects.filter(
        *auswahl.bedingungen("anliegen__"),
        _rueckmeldung_erwartet("anliegen__"),
        status=WStatus.BEANTWORTET,
    ).aggregate(
        beantwortet=Count("anliegen", distinct=True),
        zurueckgemeldet=Count(
            "anliegen__rueckmeldungen__anliegen", distinct=True, filter=rueckmeldung_mit_wartezeit
        ),
    )
    beantwortet, zurueckgemeldet = zahlen["beantwortet"], zahlen["zurueckgemeldet"]
    nie = max(0, beantwortet - zurueckgemeldet)
    return {
        "antwort": antwort,
        "rueckmeldung": rueckmeldung,
        "rueckmeldefrist": frist,
        "beantwortet": beantwortet,
        "nie_zurueckgemeldet": nie,
        "nie_anteil": anteil(nie, beantwortet),
    }


def tabelle_uhren(auswahl: Auswahl, werte: dict | None = None) -> Tabelle:
    werte = werte or uhren(auswahl)
    return Tabelle(
        _("Die zwei Uhren (Arbeitstage)"),
        [
            Spalte("uhr", _("Uhr")),
            Spalte("median", _("Median (Arbeitstage)"), ZAHL),
            Spalte("p80", _("80. Perzentil (Arbeitstage)"), ZAHL),
            Spalte("anzahl", _("Anzahl"), ZAHL),
            Spalte("in_frist", _("Anteil in der Frist"), ANTEIL),
        ],
        [
            {"uhr": _("Weiterleitung bis Antwort des Fachbereichs"), **werte["antwort"]},
            {
                "uhr": _("Antwort bis Rückmeldung an die Person (Frist %(n)s Arbeitstage)")
                % {"n": werte["rueckmeldefrist"]},
                **werte["rueckmeldung"],
            },
        ],
    )


def tabelle_rueckmeldung(auswahl: Auswahl, werte: dict | None = None) -> Tabelle:
    werte = werte or uhren(auswahl)
    return Tabelle(
        _("Beantwortete Anliegen ohne Rückmeldung"),
        [
            Spalte("beantwortet", _("Anliegen mit Antwort (Rückmeldung geschuldet)"), ZAHL),
            Spalte("nie_zurueckgemeldet", _("nie zurückgemeldet"), ZAHL),
            Spalte("nie_anteil", _("Anteil nie zurückgemeldet"), ANTEIL),
        ],
        [{k: werte[k] for k in ("beantwortet", "nie_zurueckgemeldet", "nie_anteil")}],
    )


# --- Fachbereiche ------------------------------------------------------------------------

_FB_ZAHLEN = (
    "zusagen_anzahl",
    "zusagen_eingehalten",
    "zusagen_entfallen",
    "erhalten",
    "angenommen",
    "zurueckgegeben",
    "beantwortet",
    "fristgerecht",
    "offen",
    "ueberfaellig",
)


def _namen(modell, ids) -> dict:
    ids = {i for i in ids if i is not None}
    return dict(modell.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def fachbereiche(auswahl: Auswahl) -> list[dict]:
    """Je Fachbereich mit Weiterleitungen in der Auswahl: erhalten, angenommen, zurückgegeben
    (nicht zuständig), beantwortet, Median der Antwortzeit, Anteil fristgerecht beantwortet
    (Antwort bis zur Frist, an den beantworteten), heute offen und überfällig, Zusagen und ihre
    Erfüllungsquote (Zähler und Quote aus `kennzahlen`). Aus der Grundabfrage; dazu eine
    Abfrage für die Namen."""
    summen: dict[int, dict] = {}
    for z in grund_weiterleitungen(auswahl):
        zeile = summen.setdefault(z["fachbereich"], dict.fromkeys(_FB_ZAHLEN, 0))
        for k in _FB_ZAHLEN:
            zeile[k] += z[k]
    namen = (
        {
            pk: f"{kuerzel} {name}"
            for pk, kuerzel, name in Fachbereich.objects.filter(pk__in=list(summen)).values_list(
                "pk", "kuerzel", "name"
            )
        }
        if summen
        else {}
    )
    histogramme = grund_antwortzeiten(auswahl)
    ergebnis = []
    for fb, zeile in sorted(summen.items(), key=lambda s: namen[s[0]]):
        fristgerecht = zeile.pop("fristgerecht")
        anzahl = zeile.pop("zusagen_anzahl")
        quote = kennzahlen.quote(zeile.pop("zusagen_eingehalten"), zeile.pop("zusagen_entfallen"))
        ergebnis.append(
            {
                "fachbereich": namen[fb],
                **zeile,
                "median": perzentil(histogramme.get(fb, {}), 50),
                "in_frist": anteil(fristgerecht, zeile["beantwortet"]),
                "zusagen": anzahl,
                "zusagen_quote": quote,
            }
        )
    return ergebnis


def tabelle_fachbereiche(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Weiterleitungen je Fachbereich"),
        [
            Spalte("fachbereich", _("Fachbereich")),
            Spalte("erhalten", _("erhalten"), ZAHL),
            Spalte("angenommen", _("angenommen"), ZAHL),
            Spalte("zurueckgegeben", _("nicht zuständig"), ZAHL),
            Spalte("beantwortet", _("beantwortet"), ZAHL),
            Spalte("median", _("Antwortzeit, Median (Arbeitstage)"), ZAHL),
            Spalte("in_frist", _("fristgerecht beantwortet"), ANTEIL),
            Spalte("offen", _("heute offen"), ZAHL),
            Spalte("ueberfaellig", _("heute überfällig"), ZAHL),
            Spalte("zusagen", _("Zusagen"), ZAHL),
            Spalte("zusagen_quote", _("Zusagen eingehalten"), ANTEIL),
        ],
        fachbereiche(auswahl),
    )


def ablehnungen(auswahl: Auswahl) -> list[dict]:
    """„Nicht möglich“ je Fachbereich und Ablehnungsgrund (aus der Grundabfrage; dazu die
    Namen, nur wenn es Ablehnungen gibt)."""
    anzahlen: dict[tuple, int] = defaultdict(int)
    for z in grund_weiterleitungen(auswahl):
        if z["abgelehnt"]:
            anzahlen[(z["fachbereich"], z["ablehnungsgrund"])] += z["abgelehnt"]
    if not anzahlen:
        return []
    kuerzel = dict(
        Fachbereich.objects.filter(pk__in={fb for fb, _g in anzahlen}).values_list("pk", "kuerzel")
    )
    gruende = _namen(Ablehnungsgrund, {g for _fb, g in anzahlen})
    zeilen = [
        {"fachbereich": kuerzel[fb], "grund": gruende.get(g), "anzahl": n}
        for (fb, g), n in anzahlen.items()
    ]
    return sorted(zeilen, key=lambda z: (z["fachbereich"], -z["anzahl"], z["grund"] or ""))


def tabelle_ablehnungen(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Ablehnungen nach Grund"),
        [
            Spalte("fachbereich", _("Fachbereich")),
            Spalte("grund", _("Grund")),
            Spalte("anzahl", _("Anzahl"), ZAHL),
        ],
        ablehnungen(auswahl),
    )


# --- Der Lotse ---------------------------------------------------------------------------

_LOTSE_ZAHLEN = ("anzahl", "entschieden", "selbst", "kontakt", "bedarf", "weitergeleitet")


def _quartal_text(tag: datetime.date) -> str:
    return _("%(q)s. Quartal %(jahr)s") % {"q": (tag.month - 1) // 3 + 1, "jahr": tag.year}


def lotse_je_quartal(auswahl: Auswahl) -> list[dict]:
    """Je Quartal (nach Erfassung): Anliegen, davon mit Entscheidung über den Weg; selbst
    gelöst, Kontakt vermittelt, als Bedarf erfasst, weitergeleitet; Anteil ohne Weiterleitung
    (Lösung beim ersten Kontakt) und Weiterleitungsquote, beide an den entschiedenen.
    Aus den Monaten der Grundabfrage summiert."""
    quartale: dict[datetime.date, dict] = {}
    for monat, z in sorted(grund_monate(auswahl).items()):
        beginn = monat.replace(month=(monat.month - 1) // 3 * 3 + 1, day=1)
        summe = quartale.setdefault(beginn, dict.fromkeys(_LOTSE_ZAHLEN, 0))
        for k in _LOTSE_ZAHLEN:
            summe[k] += z[k]
    return [
        {
            "quartal": _quartal_text(beginn),
            **z,
            "ohne_weiterleitung": anteil(
                z["selbst"] + z["kontakt"] + z["bedarf"], z["entschieden"]
            ),
            "weiterleitungsquote": anteil(z["weitergeleitet"], z["entschieden"]),
        }
        for beginn, z in quartale.items()
    ]


def tabelle_lotse(auswahl: Auswahl) -> Tabelle:
    return Tabelle(
        _("Lotse je Quartal"),
        [
            Spalte("quartal", _("Quartal")),
            Spalte("anzahl", _("Anliegen"), ZAHL),
            Spalte("entschieden", _("Weg entschieden"), ZAHL),
            Spalte("selbst", _("selbst gelöst"), ZAHL),
            Spalte("kontakt", _("Kontakt vermittelt"), ZAHL),
            Spalte("bedarf", _("als Bedarf erfasst"), ZAHL),
            Spalte("weitergeleitet", _("weitergeleitet"), ZAHL),
            Spalte("ohne_weiterleitung", _("ohne Weiterleitung gelöst"), ANTEIL),
            Spalte("weiterleitungsquote", _("Weiterleitungsquote"), ANTEIL),
        ],
        lotse_je_quartal(auswahl),
    )


# --- Wissenspool -------------------------------------------------------------------------


def wissenspool(auswahl: Auswahl, top: int = 3) -> list[dict]:
    """Die häufigsten Bedarfe je Quartier (höchstens `top`, bei Gleichstand alphabetisch),
    verglichen mit der ganzen Stadt (dieselbe Auswahl ohne Bezirk, Sozialraum, Quartier):
    Anteil der Anliegen des Quartiers mit dem Bedarf, Anteil in der Stadt, Verhältnis
    (> 1: im Quartier häufiger). Aus den Grundabfragen; mit Ortsfilter zwei mehr für die
    Stadt."""
    stadt = auswahl.ohne_ort()
    je_quartier: dict[int, list] = defaultdict(list)
    for z in grund_quartier_bedarf(auswahl):
        je_quartier[z["anliegen__quartier"]].append((z["bedarf__name"], z["n"]))
    anliegen_quartier: dict[int, int] = defaultdict(int)
    for z in grund_quartier_thema(auswahl):
        anliegen_quartier[z["quartier"]] += z["n"]
    stadt_bedarf: dict[str, int] = defaultdict(int)
    for z in grund_quartier_bedarf(stadt):
        stadt_bedarf[z["bedarf__name"]] += z["n"]
    stadt_gesamt = sum(z["n"] for z in grund_quartier_thema(stadt))
    namen = (
        dict(Quartier.objects.filter(pk__in=list(je_quartier)).values_list("pk", "name"))
        if je_quartier
        else {}
    )
    zeilen = []
    for quartier_id in sorted(je_quartier, key=lambda q: namen[q]):
        bedarfe = sorted(je_quartier[quartier_id], key=lambda b: (-b[1], b[0]))[:top]
        for rang, (bedarf, n) in enumerate(bedarfe, start=1):
            im_quartier = anteil(n, anliegen_quartier.get(quartier_id))
            in_stadt = anteil(stadt_bedarf.get(bedarf, 0), stadt_gesamt)
            zeilen.append(
                {
                    "quartier": namen[quartier_id],
                    "rang": rang,
                    "bedarf": bedarf,
                    "anzahl": n,
                    "anteil_quartier": im_quartier,
                    "anteil_stadt": in_stadt,
                    "verhaeltnis": (im_quartier / in_stadt).quantize(Decimal("0.01"))
                    if im_quartier is not None and in_stadt
                    else None,
                }
            )
    return zeilen


def tabelle_wissenspool(auswahl: Auswahl, top: int = 3) -> Tabelle:
    return Tabelle(
        _("Häufigste Bedarfe je Quartier im Vergleich zur Stadt"),
        [
            Spalte("quartier", _("Quartier")),
            Spalte("rang", _("Rang"), ZAHL),
            Spalte("bedarf", _("Bedarf")),
            Spalte("anzahl", _("Anliegen"), ZAHL),
            Spalte("anteil_quartier", _("Anteil im Quartier"), ANTEIL),
            Spalte("anteil_stadt", _("Anteil in der Stadt"), ANTEIL),
            Spalte("verhaeltnis", _("Verhältnis Quartier zu Stadt"), DEZIMAL),
        ],
        wissenspool(auswahl, top),
    )


# --- Für Seite, Export und Quartiersbericht ---------------------------------------------

TABELLEN: dict[str, Callable[[Auswahl], Tabelle]] = {
    "quartiere": tabelle_quartiere,
    "themen": tabelle_themen,
    "bedarfe": tabelle_bedarfe,
    "monate": tabelle_monate,
    "uhren": tabelle_uhren,
    "rueckmeldung": tabelle_rueckmeldung,
    "fachbereiche": tabelle_fachbereiche,
    "ablehnungen": tabelle_ablehnungen,
    "lotse": tabelle_lotse,
    "wissenspool": tabelle_wissenspool,
}


def quartiersbericht(quartier: Quartier, jahr: int, top: int = 5) -> dict:
    """Alles für ein Quartier und ein Kalenderjahr: Themen, Bedarfe (mit Stadtvergleich), die
    zwei Uhren, die Zahlen des Lotsen je Quartal und der Verlauf je Monat – als Tabellen, die
    Seite, Druck und Export gleich verwenden. Feste Zahl von Abfragen."""
    auswahl = Auswahl.jahr(jahr, quartier=quartier)
    werte = uhren(auswahl)
    return {
        "auswahl": auswahl,
        "anliegen": anzahl_anliegen(auswahl),
        "themen": tabelle_themen(auswahl),
        "bedarfe": tabelle_wissenspool(auswahl, top),
        "uhren": werte,
        "tabelle_uhren": tabelle_uhren(auswahl, werte),
        "tabelle_rueckmeldung": tabelle_rueckmeldung(auswahl, werte),
        "lotse": tabelle_lotse(auswahl),
        "monate": tabelle_monate(auswahl),
    }
