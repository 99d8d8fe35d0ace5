"""Verdichtete Fakten der Auswertung Anliegen (`models.Tagesfakt`): die Zeit der Auswertung
hängt von der Zahl der Monate und Tage im Zeitraum ab, nicht von der Zahl der Anliegen.

Was gezählt wird (je Tag der Erfassung des Anliegens, Ortszeit, wie der Zeitraumfilter der
Auswertung): Anliegen je Quartier × Thema; dieselben nach Weg, abgeschlossen, „beantwortet und
Rückmeldung geschuldet“ und „zurückgemeldet“; Zuordnungen zu Bedarfen; Weiterleitungen je
Fachbereich, Ablehnungsgrund (nur „nicht möglich“), Antwortzeit (nur beantwortete), Status,
angenommen, fristgerecht, Frist (nur offene: „heute überfällig“ bleibt ein Vergleich mit dem
Stichtag beim Lesen) und Status der Zusage; Rückmeldungen mit Wartezeit. Das sind genau die
Merkmale, nach denen `anliegen.auswertung` gruppiert – dieselben Zahlen, nur vorab summiert.

Ebenen: jede Zählung steht je Tag und je Monat (`monatlich`), je Quartier × Thema und, wo
eine Auswertung ohne Filter sonst viele Zeilen summieren müsste, auch für alle (0; `EBENEN`).
Die Auswertung liest für ganze Monate im Zeitraum die Monatszeilen, für angebrochene Monate
die Tageszeilen, und die Ebene, die ihre Filter brauchen: ohne Orts- und Themenfilter nur
die Summenzeilen. Die Filter Bedarf und Fachbereich
(„Anliegen mit diesem Bedarf“, „an ihn weitergeleitet“) lassen sich nicht summiert vorhalten,
ohne jede Zählung je Bedarf und Fachbereich zu vervielfachen; mit ihnen rechnet die Auswertung
weiter direkt aus den Quelltabellen (das ist auch das Orakel der Tests).

Pflege – warum Signale: Quelldaten entstehen nicht nur im Workflow, sondern auch über Admin,
Demodaten, Fabriken der Tests und Datenmigrationen; ein Aufruf in jedem Workflow-Schritt
vergäße einen Weg. Die Empfänger (`verbinden`, aus `AnliegenConfig.ready`) ändern keine
Fachdaten, sie halten nur diese Ableitung aktuell – im selben Transaktionsrahmen wie die
Änderung (bricht der Schritt ab, fällt auch die Zählung zurück). Wege ohne Signal
(`QuerySet.update`, `bulk_update`, COPY) müssen selbst nachziehen: `dauern.alle_nachrechnen`
tut das, `manage.py fakten_aufbauen` baut alles neu (nach einem Massenimport).

Nachziehen einer Scheibe (Tag × Quartier): die Basiszeilen (Tag, Quartier × Thema) werden aus
den Quelldaten der Anliegen dieser Scheibe neu gezählt; der Unterschied zu den gespeicherten
Basiszeilen läuft als Zuwachs in alle Ebenen (`INSERT … ON CONFLICT … DO UPDATE SET anzahl =
anzahl + …`, SQLite und PostgreSQL). So muss niemand den alten Stand eines Anliegens kennen, und
eine übersehene Änderung heilt beim nächsten Nachziehen derselben Scheibe.

Gleichzeitigkeit (PostgreSQL): `pg_advisory_xact_lock` je Monat der Erfassung, gehalten bis
zum Ende der Transaktion. Zwei Schritte an Anliegen desselben Monats zählen nacheinander; der
zweite liest die Basiszeilen erst nach dem Ende des ersten und sieht dessen Stand (sonst
zählten beide denselben Unterschied). Je Monat statt je Scheibe, weil alle Zeilen, die eine
Scheibe berührt (ihr Tag, ihr Monat, die Summen über Quartiere und Themen), in ihrem Monat
liegen: unter derselben Sperre kann sich keine Zeile über Kreuz sperren. Die Schritte sind
kurz; Anliegen verschiedener Monate laufen parallel. Berührt eine Transaktion mehrere Monate
(Bündeln alter Anliegen), nimmt sie die Sperren je Aufruf sortiert; ein Stau über Kreuz mit
einer zweiten solchen Transaktion bricht PostgreSQL als Deadlock ab (selten, wiederholbar).
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from quartier.auswertung import plus_monate

from .models import (
    OFFENE_WSTATUS,
    OHNE_FRIST,
    Anliegen,
    Entscheidung,
    Faktart,
    Meldende,
    Rueckmeldung,
    Tagesfakt,
    Weiterleitung,
    WStatus,
    Zusage,
)

Scheibe = tuple[datetime.date, int]
BEDARF_ZUORDNUNG: Any = Anliegen.bedarfe.through
# Merkmale einer Zählung nach Tag, Quartier und Thema, in dieser Reihenfolge.
MERKMALE = (
    *("art", "weg", "abgeschlossen", "beantwortet", "zurueckgemeldet", "bedarf"),
    *("fachbereich", "grund", "dauer", "wstatus", "angenommen", "fristgerecht", "frist"),
    "zusage",
)
SPALTEN = ("monatlich", "tag", "quartier", "thema", *MERKMALE)
LEER: dict[str, Any] = {
    "weg": "",
    "abgeschlossen": False,
    "beantwortet": False,
    "zurueckgemeldet": False,
    "bedarf": 0,
    "fachbereich": 0,
    "grund": 0,
    "dauer": -1,
    "wstatus": "",
    "angenommen": False,
    "fristgerecht": False,
    "frist": OHNE_FRIST,
    "zusage": "",
}
# Schlüssel einer Basiszeile: (tag, quartier, thema, *MERKMALE)
Schluessel = tuple[Any, ...]


def rueckmeldung_erwartet(p: str = "") -> Q:
    """Eine Rückmeldung ist geschuldet: die Person wollte sie, oder ein Akteur hat gemeldet.
    Anonym gemeldete Anliegen und „keine Rückmeldung gewünscht“ zählen nicht."""
    return Q(**{f"{p}meldende__isnull": False, f"{p}meldende__rueckmeldung_gewuenscht": True}) | Q(
        **{f"{p}meldende__isnull": True, f"{p}akteur__isnull": False}
    )


def _wahr(bedingung: Q) -> Case:
    """Bedingung als Wahrheitswert, nie NULL (auch wo ein Vergleich mit NULL unbestimmt ist)."""
    return Case(
        When(bedingung, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# --- Zählen aus den Quelltabellen ----------------------------------------------------------


ALLE_ARTEN = frozenset(Faktart.values)


def _basis(auswahl: Callable[[str], Q], arten: frozenset[str] = ALLE_ARTEN) -> Counter[Schluessel]:
    """Die Basiszeilen (Tag, Quartier × Thema) der `arten` für die Anliegen, die
    `auswahl(präfix)` trifft, gezählt in der Datenbank: höchstens vier gruppierte Abfragen,
    gleich wie viele Anliegen."""
    zaehlung: Counter[Schluessel] = Counter()

    def nur(*gebraucht: str, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs if arten.intersection(gebraucht) else qs.none()  # none(): keine Abfrage

    def schluessel(tag: datetime.date, quartier: int, thema: int, **merkmale: Any) -> Schluessel:
        werte = {**LEER, **merkmale}
        return (tag, quartier, thema, *(werte[m] for m in MERKMALE))

    beantwortet = rueckmeldung_erwartet() & Q(
        Exists(Weiterleitung.objects.filter(anliegen=OuterRef("pk"), status=WStatus.BEANTWORTET))
    )
    zurueck = Exists(
        Rueckmeldung.objects.filter(
            anliegen=OuterRef("pk"), erreicht=True, wartezeit_arbeitstage__isnull=False
        )
    )
    for z in nur(
        Faktart.ANLIEGEN,
        Faktart.VERLAUF,
        qs=Anliegen.objects.filter(auswahl(""))
        .annotate(
            f_tag=TruncDate("erstellt_am"),
            f_abg=_wahr(Q(abgeschlossen_am__isnull=False)),
            f_bea=_wahr(beantwortet),
            f_zur=_wahr(beantwortet & Q(zurueck)),
        )
        .values("f_tag", "quartier", "thema", "weg", "f_abg", "f_bea", "f_zur")
        .annotate(n=Count("pk"))
        .order_by(),
    ):
        ort = (z["f_tag"], z["quartier"], z["thema"])
        if Faktart.ANLIEGEN in arten:
            zaehlung[schluessel(*ort, art=Faktart.ANLIEGEN)] += z["n"]
        if Faktart.VERLAUF in arten:
            zaehlung[
                schluessel(
                    *ort,
                    art=Faktart.VERLAUF,
                    weg=z["weg"],
                    abgeschlossen=z["f_abg"],
                    beantwortet=z["f_bea"],
                    zurueckgemeldet=z["f_zur"],
                )
            ] += z["n"]

    for z in nur(
        Faktart.BEDARF,
        qs=BEDARF_ZUORDNUNG.objects.filter(auswahl("anliegen__"))
        .annotate(f_tag=TruncDate("anliegen__erstellt_am"))
        .values("f_tag", "anliegen__quartier", "anliegen__thema", "bedarf")
        .annotate(n=Count("pk"))
        .order_by(),
    ):
        ort = (z["f_tag"], z["anliegen__quartier"], z["anliegen__thema"])
        zaehlung[schluessel(*ort, art=Faktart.BEDARF, bedarf=z["bedarf"])] += z["n"]

    beantwortet_w = Q(status=WStatus.BEANTWORTET)
    for z in nur(
        Faktart.WEITERLEITUNG,
        qs=Weiterleitung.objects.filter(auswahl("anliegen__"))
        .annotate(
            f_tag=TruncDate("anliegen__erstellt_am"),
            f_grund=Case(
                When(
                    beantwortet_w & Q(entscheidung=Entscheidung.NICHT_MOEGLICH),
                    then=Coalesce(F("ablehnungsgrund"), Value(0)),
                ),
                default=Value(0),
                output_field=BigIntegerField(),
            ),
            f_dauer=Case(
                When(
                    beantwortet_w & Q(antwort_arbeitstage__isnull=False),
                    then=F("antwort_arbeitstage"),
                ),
                default=Value(-1),
                output_field=IntegerField(),
            ),
            f_ang=_wahr(Q(angenommen_am__isnull=False)),
            f_fg=_wahr(beantwortet_w & Q(beantwortet_am__date__lte=F("frist"))),
            f_frist=Case(
                When(status__in=OFFENE_WSTATUS, then=F("frist")),
                default=Value(OHNE_FRIST),
                output_field=DateField(),
            ),
            f_zusage=Coalesce(F("zusage__status"), Value(""), output_field=CharField()),
        )
        .values(
            *("f_tag", "anliegen__quartier", "anliegen__thema", "fachbereich", "f_grund"),
            *("f_dauer", "status", "f_ang", "f_fg", "f_frist", "f_zusage"),
        )
        .annotate(n=Count("pk"))
        .order_by(),
    ):
        ort = (z["f_tag"], z["anliegen__quartier"], z["anliegen__thema"])
        zaehlung[
            schluessel(
                *ort,
                art=Faktart.WEITERLEITUNG,
                fachbereich=z["fachbereich"],
                grund=z["f_grund"],
                dauer=z["f_dauer"],
                wstatus=z["status"],
                angenommen=z["f_ang"],
                fristgerecht=z["f_fg"],
                frist=z["f_frist"],
                zusage=z["f_zusage"],
            )
        ] += z["n"]

    for z in nur(
        Faktart.RUECKMELDUNG,
        qs=Rueckmeldung.objects.filter(
            auswahl("anliegen__"), erreicht=True, wartezeit_arbeitstage__isnull=False
        )
        .annotate(f_tag=TruncDate("anliegen__erstellt_am"))
        .values("f_tag", "anliegen__quartier", "anliegen__thema", "wartezeit_arbeitstage")
        .annotate(n=Count("pk"))
        .order_by(),
    ):
        ort = (z["f_tag"], z["anliegen__quartier"], z["anliegen__thema"])
        zaehlung[schluessel(*ort, art=Faktart.RUECKMELDUNG, dauer=z["wartezeit_arbeitstage"])] += z[
            "n"
        ]
    return zaehlung


# Welche Ebenen (je Quartier?, je Thema?) eine Art außer Quartier × Thema vorhält: nur die,
# die eine Auswertung ohne Filter sonst aus vielen Zeilen summieren müsste. Anliegen je
# Quartier × Thema sind höchstens Quartiere × Themen Zeilen je Monat; Bedarfe braucht der
# Wissenspool je Quartier (auch ohne Ortsfilter); der Rest ohne Filter nur als Summe.
EBENEN: dict[str, tuple[tuple[bool, bool], ...]] = {
    Faktart.ANLIEGEN: ((True, True),),
    Faktart.VERLAUF: ((True, True), (False, False)),
    Faktart.BEDARF: ((True, True), (True, False)),
    Faktart.WEITERLEITUNG: ((True, True), (False, False)),
    Faktart.RUECKMELDUNG: ((True, True), (False, False)),
}


def _ebenen(basis: Schluessel) -> list[tuple[Any, ...]]:
    """Die Zeilen, in die eine Basiszählung eingeht: Tag und Monat × die `EBENEN` ihrer Art
    (Quartier oder alle, Thema oder alle). Ergebnis in der Spaltenfolge `SPALTEN`."""
    tag, quartier, thema, *merkmale = basis
    zeilen = []
    for monatlich, zeit in ((False, tag), (True, tag.replace(day=1))):
        for je_quartier, je_thema in EBENEN[merkmale[0]]:
            q, t = (quartier if je_quartier else 0), (thema if je_thema else 0)
            zeilen.append((monatlich, zeit, q, t, *merkmale))
    return zeilen


def _tagesgrenzen(tag: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    anfang = datetime.datetime.combine(tag, datetime.time.min, zone)
    return anfang, datetime.datetime.combine(
        tag + datetime.timedelta(days=1), datetime.time.min, zone
    )


def _in_scheiben(scheiben: Iterable[Scheibe]) -> Callable[[str], Q]:
    def auswahl(p: str) -> Q:
        bedingung = Q(pk__in=[])
        for tag, quartier in scheiben:
            anfang, ende = _tagesgrenzen(tag)
            bedingung |= Q(
                **{
                    f"{p}quartier_id": quartier,
                    f"{p}erstellt_am__gte": anfang,
                    f"{p}erstellt_am__lt": ende,
                }
            )
        return bedingung

    return auswahl


# --- Schreiben ---------------------------------------------------------------------------

_BLOCK = 40  # Zeilen je INSERT (SQLite erlaubt höchstens 999 Parameter)


def _zuwachs(deltas: dict[tuple[Any, ...], int]) -> None:
    """Addiert die Zuwächse auf die Zeilen (fehlende entstehen), löscht Zeilen mit 0."""
    zeilen = sorted((k, d) for k, d in deltas.items() if d)
    if not zeilen:
        return
    tabelle = connection.ops.quote_name(Tagesfakt._meta.db_table)
    spalten = ", ".join(connection.ops.quote_name(s) for s in SPALTEN)
    platz = "(" + ", ".join(["%s"] * (len(SPALTEN) + 1)) + ")"
    with connection.cursor() as cursor:
        for i in range(0, len(zeilen), _BLOCK):
            block = zeilen[i : i + _BLOCK]
            parameter: list[Any] = []
            for schluessel, delta in block:
                parameter.extend(_parameter(schluessel))
                parameter.append(delta)
            cursor.execute(
                f"INSERT INTO {tabelle} ({spalten}, anzahl) VALUES "
                + ", ".join([platz] * len(block))
                + f" ON CONFLICT ({spalten}) DO UPDATE SET anzahl = {tabelle}.anzahl + "
                "excluded.anzahl",
                parameter,
            )
    tage = {k[1] for k, _d in zeilen}
    Tagesfakt.objects.filter(
        monatlich__in=[False, True], art__in=Faktart.values, tag__in=tage, anzahl=0
    ).delete()


def _parameter(schluessel: tuple[Any, ...]) -> list[Any]:
    werte: list[Any] = []
    for spalte, wert in zip(SPALTEN, schluessel, strict=True):
        if spalte in ("tag", "frist"):
            wert = connection.ops.adapt_datefield_value(wert)
        werte.append(wert)
    return werte


# Schlüsselraum der Sperren (pg_advisory_xact_lock mit zwei Zahlen): „QLTF“
_SPERRE = 0x514C5446


def _sperren(scheiben: list[Scheibe]) -> None:
    """PostgreSQL: je Monat der Scheiben eine Sperre bis zum Ende der Transaktion (sortiert)."""
    if connection.vendor != "postgresql" or not scheiben:
        return
    schluessel = sorted({tag.year * 12 + tag.month for tag, _quartier in scheiben})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::int[]) AS k ORDER BY k",
            [_SPERRE, schluessel],
        )


def scheiben_nachziehen(scheiben: Iterable[Scheibe], arten: frozenset[str] = ALLE_ARTEN) -> None:
    """Zählt die Scheiben (Tag × Quartier) neu aus den Quelldaten und bringt alle Ebenen auf
    den neuen Stand (in der Transaktion des Aufrufers); nur die `arten`, die sich geändert
    haben können."""
    liste = sorted(set(scheiben))
    if not liste:
        return
    with transaction.atomic(savepoint=False):
        _sperren(liste)
        neu = _basis(_in_scheiben(liste), arten)
        alt: Counter[Schluessel] = Counter()
        bedingung = Q(pk__in=[])
        for tag, quartier in liste:
            bedingung |= Q(tag=tag, quartier=quartier)
        for zeile in Tagesfakt.objects.filter(
            bedingung, monatlich=False, thema__gt=0, art__in=arten
        ).values_list("tag", "quartier", "thema", *MERKMALE, "anzahl"):
            alt[zeile[:-1]] += zeile[-1]
        deltas: Counter[tuple[Any, ...]] = Counter()
        for schluessel in set(neu) | set(alt):
            unterschied = neu[schluessel] - alt[schluessel]
            if unterschied:
                for zeile in _ebenen(schluessel):
                    deltas[zeile] += unterschied
        _zuwachs(deltas)


def _scheibe(erstellt_am: datetime.datetime, quartier_id: int) -> Scheibe:
    return timezone.localdate(erstellt_am), quartier_id


def anliegen_nachziehen(anliegen: QuerySet[Anliegen], arten: frozenset[str] = ALLE_ARTEN) -> None:
    """Zieht die Scheiben dieser Anliegen nach (eine Abfrage für die Scheiben)."""
    scheiben_nachziehen(
        (
            _scheibe(erstellt_am, quartier)
            for erstellt_am, quartier in anliegen.values_list("erstellt_am", "quartier_id")
            .order_by()
            .distinct()
        ),
        arten,
    )


def _monatsweise() -> "Iterable[tuple[datetime.date, Counter[tuple[Any, ...]]]]":
    """Alle Zeilen, wie sie sein sollen, Monat für Monat aus den Quelldaten (ein Monat
    beeinflusst nur seine eigenen Tages- und Monatszeilen)."""
    grenzen = Anliegen.objects.aggregate(von=Min("erstellt_am"), bis=Max("erstellt_am"))
    if grenzen["von"] is None:
        return
    monat = timezone.localdate(grenzen["von"]).replace(day=1)
    letzter = timezone.localdate(grenzen["bis"]).replace(day=1)
    while monat <= letzter:
        naechster = plus_monate(monat, 1)
        anfang, ende = _tagesgrenzen(monat)[0], _tagesgrenzen(naechster)[0]

        def im_monat(
            p: str, anfang: datetime.datetime = anfang, ende: datetime.datetime = ende
        ) -> Q:
            return Q(**{f"{p}erstellt_am__gte": anfang, f"{p}erstellt_am__lt": ende})

        summen: Counter[tuple[Any, ...]] = Counter()
        for schluessel, n in _basis(im_monat).items():
            for zeile in _ebenen(schluessel):
                summen[zeile] += n
        yield monat, summen
        monat = naechster


def aufbauen(ausgabe: Callable[[str], None] | None = None) -> int:
    """Baut alle Fakten neu aus den Quelldaten, Monat für Monat (der Speicher bleibt flach).
    Gibt die Zahl der Zeilen zurück. Für den Bestand (Migration, Massenimport, COPY)."""
    zeilen = 0
    with transaction.atomic():
        Tagesfakt.objects.all().delete()
        for monat, summen in _monatsweise():
            # In der Folge des Index geschrieben: die Zeilen einer Ebene liegen beieinander.
            Tagesfakt.objects.bulk_create(
                (
                    Tagesfakt(**dict(zip(SPALTEN, zeile, strict=True)), anzahl=n)
                    for zeile, n in sorted(
                        summen.items(), key=lambda z: (z[0][0], *z[0][4:5], *z[0][2:4], z[0][1])
                    )
                ),
                batch_size=2000,
            )
            zeilen += len(summen)
            if ausgabe:
                ausgabe(f"{monat:%m.%Y}: {len(summen)} Zeilen")
    return zeilen


def abweichungen() -> int:
    """Wie viele Zeilen von dem abweichen, was die Quelldaten ergeben (0: alles stimmt).
    Für `manage.py fakten_aufbauen --pruefen`; schreibt nichts."""
    gespeichert: Counter[tuple[Any, ...]] = Counter()
    for zeile in Tagesfakt.objects.values_list(*SPALTEN, "anzahl").iterator():
        gespeichert[zeile[:-1]] += zeile[-1]
    soll: Counter[tuple[Any, ...]] = Counter()
    for _monat, summen in _monatsweise():
        soll.update(summen)
    return sum(1 for k in set(soll) | set(gespeichert) if soll[k] != gespeichert[k])


# --- Lesen -------------------------------------------------------------------------------


def _monatsende(tag: datetime.date) -> datetime.date:
    return plus_monate(tag.replace(day=1), 1) - datetime.timedelta(days=1)


def zeitraum(von: datetime.date | None, bis: datetime.date | None) -> Q:
    """Die Zeilen für den Zeitraum [von, bis]: Monatszeilen für ganze Monate, Tageszeilen für
    angebrochene. Ohne Grenze: alle Monate auf dieser Seite."""
    if von and bis and von > bis:
        return Q(pk__in=[])
    monate = Q(monatlich=True)
    erster = None if von is None else (von if von.day == 1 else plus_monate(von.replace(day=1), 1))
    letzter = None
    if bis is not None:
        letzter = (
            bis.replace(day=1) if bis == _monatsende(bis) else plus_monate(bis.replace(day=1), -1)
        )
    if erster:
        monate &= Q(tag__gte=erster)
    if letzter:
        monate &= Q(tag__lte=letzter)
    bedingung = Q(pk__in=[]) if erster and letzter and erster > letzter else monate
    if von is not None and von.day != 1:
        ende = _monatsende(von) if bis is None else min(_monatsende(von), bis)
        bedingung |= Q(monatlich=False, tag__gte=von, tag__lte=ende)
    if bis is not None and bis != _monatsende(bis):
        anfang = bis.replace(day=1)
        if von is None or von < anfang:
            bedingung |= Q(monatlich=False, tag__gte=anfang, tag__lte=bis)
        elif von.day == 1:  # derselbe Monat, ab dem Ersten
            bedingung |= Q(monatlich=False, tag__gte=von, tag__lte=bis)
    return bedingung


def zeilen(
    auswahl: Any, art: str, *, je_quartier: bool = False, je_thema: bool = False
) -> QuerySet[Tagesfakt]:
    """Die Zeilen einer Art für eine `auswertung.Auswahl` (ohne Bedarf und Fachbereich), auf
    der Ebene, die Filter und Gruppierung brauchen."""
    ebene = (auswahl.mit_ort or je_quartier, bool(auswahl.thema) or je_thema)
    if ebene not in EBENEN[art]:
        ebene = (True, True)  # summiert aus Quartier × Thema
    qs = Tagesfakt.objects.filter(zeitraum(auswahl.von, auswahl.bis), art=art)
    if not ebene[0]:
        qs = qs.filter(quartier=0)
    elif auswahl.mit_ort:
        qs = qs.filter(quartier__in=auswahl.quartiere().values("pk"))
    else:
        qs = qs.filter(quartier__gt=0)
    if not ebene[1]:
        qs = qs.filter(thema=0)
    elif auswahl.thema:
        qs = qs.filter(thema=auswahl.thema.pk)
    else:
        qs = qs.filter(thema__gt=0)
    return qs.order_by()


def summe(**bedingung: Any) -> Coalesce:
    return Coalesce(Sum("anzahl", filter=Q(**bedingung) if bedingung else None), 0)


# --- Anbindung an die Quelldaten -----------------------------------------------------------

# Felder, die in eine Zählung eingehen; ein Speichern mit anderen `update_fields` zählt nicht
# neu (die meisten Workflow-Schritte speichern nur Status und Version des Anliegens).
_RELEVANT: dict[type, set[str]] = {
    Anliegen: {"erstellt_am", "quartier", "thema", "weg", "abgeschlossen_am", "meldende", "akteur"},
    Weiterleitung: {
        *("anliegen", "fachbereich", "status", "entscheidung", "ablehnungsgrund", "frist"),
        *("angenommen_am", "beantwortet_am", "antwort_arbeitstage"),
    },
    Zusage: {"weiterleitung", "status"},
    Rueckmeldung: {"anliegen", "erreicht", "wartezeit_arbeitstage"},
    Meldende: {"rueckmeldung_gewuenscht"},
}


# Was eine Änderung eines Quellmodells verschieben kann (ein Anliegen: alles, denn Tag,
# Quartier und Thema stehen in jeder Zeile).
_ARTEN: dict[type, frozenset[str]] = {
    Weiterleitung: frozenset({Faktart.WEITERLEITUNG, Faktart.VERLAUF}),
    Zusage: frozenset({Faktart.WEITERLEITUNG}),
    Rueckmeldung: frozenset({Faktart.RUECKMELDUNG, Faktart.VERLAUF}),
    Meldende: frozenset({Faktart.VERLAUF}),
}


def _betroffen(modell: type, update_fields: Iterable[str] | None) -> bool:
    if update_fields is None:
        return True
    relevant = _RELEVANT.get(modell, set())
    return any(f.removesuffix("_id") in relevant for f in update_fields)


def _anliegen_von(instanz: Any) -> QuerySet[Anliegen]:
    if isinstance(instanz, Anliegen):
        return Anliegen.objects.filter(pk=instanz.pk)
    if isinstance(instanz, Zusage):
        return Anliegen.objects.filter(weiterleitungen=instanz.weiterleitung_id)
    if isinstance(instanz, Meldende):
        return Anliegen.objects.filter(meldende=instanz.pk)
    if isinstance(instanz, (Weiterleitung, Rueckmeldung)):
        return Anliegen.objects.filter(pk=instanz.anliegen_id)
    return Anliegen.objects.filter(akteur=instanz.pk)  # Akteur


def _vor_dem_speichern(sender: type, instance: Anliegen, **kwargs: Any) -> None:
    """Wechselt ein Anliegen Tag oder Quartier, muss auch die alte Scheibe nachgezogen werden."""
    felder = kwargs.get("update_fields")
    if instance.pk is None or (
        felder is not None
        and not {f.removesuffix("_id") for f in felder} & {"erstellt_am", "quartier"}
    ):
        return
    alt = Anliegen.objects.filter(pk=instance.pk).values_list("erstellt_am", "quartier_id").first()
    instance.__dict__["_fakten_alt"] = alt


def _nach_dem_speichern(sender: type, instance: Any, **kwargs: Any) -> None:
    if not _betroffen(sender, kwargs.get("update_fields")):
        return
    if isinstance(instance, Anliegen):
        scheiben = {_scheibe(instance.erstellt_am, instance.quartier_id)}
        if alt := instance.__dict__.pop("_fakten_alt", None):
            scheiben.add(_scheibe(*alt))
        felder = kwargs.get("update_fields")
        nur_verlauf = felder is not None and not {f.removesuffix("_id") for f in felder} & {
            "erstellt_am",
            "quartier",
            "thema",
        }
        scheiben_nachziehen(scheiben, _ARTEN[Meldende] if nur_verlauf else ALLE_ARTEN)
    else:
        anliegen_nachziehen(_anliegen_von(instance), _ARTEN[sender])


def _nach_dem_loeschen(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Anliegen):
        scheiben_nachziehen([_scheibe(instance.erstellt_am, instance.quartier_id)])
    elif "_fakten_scheiben" in instance.__dict__:  # Meldende, Akteur
        scheiben_nachziehen(instance.__dict__.pop("_fakten_scheiben"), _ARTEN[Meldende])
    else:
        anliegen_nachziehen(_anliegen_von(instance), _ARTEN[sender])


def _vor_dem_loeschen(sender: type, instance: Any, **kwargs: Any) -> None:
    """Meldende und Akteure: Django setzt die Verweise der Anliegen leer, bevor `post_delete`
    kommt; die Scheiben darum vorher merken."""
    instance.__dict__["_fakten_scheiben"] = [
        _scheibe(e, q)
        for e, q in _anliegen_von(instance).values_list("erstellt_am", "quartier_id").order_by()
    ]


def _bedarfe_geaendert(
    sender: type, instance: Any, action: str, reverse: bool, **kwargs: Any
) -> None:
    pk_set = kwargs.get("pk_set")
    if reverse and action == "pre_clear":
        # bedarf.anliegen.clear(): danach ist nicht mehr zu sehen, welche Anliegen es waren
        instance.__dict__["_fakten_scheiben"] = [
            _scheibe(e, q)
            for e, q in Anliegen.objects.filter(bedarfe=instance).values_list(
                "erstellt_am", "quartier_id"
            )
        ]
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    arten = frozenset({Faktart.BEDARF})
    if not reverse:
        anliegen_nachziehen(Anliegen.objects.filter(pk=instance.pk), arten)
    elif action == "post_clear":
        scheiben_nachziehen(instance.__dict__.pop("_fakten_scheiben", []), arten)
    elif pk_set:
        anliegen_nachziehen(Anliegen.objects.filter(pk__in=pk_set), arten)


def verbinden() -> None:
    """Hängt die Pflege der Fakten an die Quellmodelle (aus `AnliegenConfig.ready`)."""
    from netzwerke.models import Akteur

    pre_save.connect(_vor_dem_speichern, sender=Anliegen, dispatch_uid="fakten_anliegen_vor")
    for modell in (Anliegen, Weiterleitung, Zusage, Rueckmeldung, Meldende):
        uid = f"fakten_{modell.__name__}"
        post_save.connect(_nach_dem_speichern, sender=modell, dispatch_uid=uid + "_save")
        post_delete.connect(_nach_dem_loeschen, sender=modell, dispatch_uid=uid + "_delete")
    for verweis in (Meldende, Akteur):
        pre_delete.connect(
            _vor_dem_loeschen, sender=verweis, dispatch_uid=f"fakten_{verweis.__name__}_vor"
        )
    post_delete.connect(_nach_dem_loeschen, sender=Akteur, dispatch_uid="fakten_Akteur_delete")
    m2m_changed.connect(
        _bedarfe_geaendert, sender=Anliegen.bedarfe.through, dispatch_uid="fakten_bedarfe"
    )
