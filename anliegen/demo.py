"""Demodaten des Lotsen-Kreislaufs: die Routing-Tabelle (Thema → Fachbereich), Bedarfe,
Ablehnungsgründe und rund 80 Anliegen aus den letzten 18 Monaten (`demo_anliegen.py`).
Die Themen folgen den Beispielen des Konzepts (Spielplatzzustand, „wilder“ Müll,
Schlaglöcher); die Zuordnung zu Fachbereichen ist Demodaten.

Die Anliegen entstehen über die echten Operationen in `workflow.py` (Verlauf, Weiterleitungen
und Rückmeldungen passen zusammen) und werden danach zurückdatiert: auf Arbeitstage und
Bürozeiten, relativ zu heute, mit festem Zufallsstartwert. Zum Schluss bekommen sie ihre
Nummern in der Reihenfolge der Erfassung je Jahr, und der Nummernzähler steht auf der
höchsten, damit ein neues Anliegen die nächste bekommt.

Idempotent: Anliegen werden nur in eine Datenbank ohne Anliegen geladen (sonst passten
Nummern und Zähler nicht mehr zusammen); ein zweiter Lauf ändert nichts. Mails der
Operationen landen nicht im Postausgang (siehe den Befehl `demo_daten`).
"""

import datetime
import random
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from netzwerke.models import Akteur, Sitzung
from quartier.models import Fachbereich, Quartier, Stadtteilbuero, User

from . import dauern, workflow
from .demo_anliegen import ANLIEGEN, PERSONEN
from .models import (
    Ablehnungsgrund,
    Anliegen,
    Antwortlink,
    Bedarf,
    Ereignis,
    Meldende,
    Rueckmeldung,
    Status,
    Textbaustein,
    Thema,
    Weiterleitung,
    Zaehler,
    Zusage,
)

DEMO = "Demodaten (erfunden)."

THEMEN = [
    # name, Kürzel des üblichen Fachbereichs (oder None: das QM vermittelt selbst)
    ("Wilder Müll", "E 18"),
    ("Grünflächen und Spielplätze", "E 18"),
    ("Schlaglöcher und Gehwege", "FB 61"),
    ("Bushaltestelle und ÖPNV", "FB 61"),
    ("Verkehrssicherheit", "FB 61"),
    ("Kinder und Jugend", "FB 45"),
    ("Soziales und Integration", "FB 56"),
    ("Beratung gesucht", None),
    ("Nachbarschaft und Veranstaltungen", None),
    ("Sicherheit und Ordnung", None),
]

BEDARFE = [
    "Sauberkeit",
    "Verkehr und Mobilität",
    "Spiel- und Bewegungsflächen",
    "Nachbarschaft und Begegnung",
    "Beratung und Unterstützung",
    "Sicherheit",
    "Wohnen",
    "Angebote für Ältere",
    "Angebote für Jugendliche",
]

ABLEHNUNGSGRUENDE = [
    "Keine Haushaltsmittel im laufenden Jahr",
    "Rechtlich nicht zulässig",
    "Privatgrund, nicht städtisch",
    "Technisch nicht umsetzbar",
    "Bereits geplant oder in Umsetzung",
]


@transaction.atomic
def lade() -> dict[str, int]:
    fachbereiche = {fb.kuerzel: fb for fb in Fachbereich.objects.all()}
    for name, kuerzel in THEMEN:
        Thema.objects.update_or_create(
            name=name,
            defaults={"fachbereich": fachbereiche.get(kuerzel) if kuerzel else None, "aktiv": True},
        )
    for name in BEDARFE:
        Bedarf.objects.get_or_create(name=name)
    for name in ABLEHNUNGSGRUENDE:
        Ablehnungsgrund.objects.get_or_create(name=name)
    return {
        "Themen": len(THEMEN),
        "Bedarfe": len(BEDARFE),
        "Ablehnungsgründe": len(ABLEHNUNGSGRUENDE),
        "Anliegen": _anliegen_laden(),
        "Textbausteine": textbausteine_laden(),
    }


# --- Anliegen ----------------------------------------------------------------------------

STARTWERT = 2017  # fester Zufallsstartwert: gleicher Tag, gleiche Daten
QM_JE_QUARTIER = {"ost-rothe-erde": "qm", "preuswald": "qm2", "forst-driescher-hof": "qm.forst"}
FB_KONTEN = {
    "E 18": "fachbereich",
    "FB 61": "fb.verkehr",
    "FB 45": "fb.jugend",
    "FB 56": "fb.soziales",
}
KONFERENZ_JE_QUARTIER = {
    "ost-rothe-erde": "Stadtteilkonferenz Ost/Rothe Erde",
    "preuswald": "Stadtteilkonferenz Preuswald",
    "forst-driescher-hof": "Stadtteilkonferenz Forst/Driescher Hof",
}
# Arbeitstage zwischen zwei Schritten (von, bis), je Art des Schritts
WARTEZEIT = {
    "weg": (0, 2),
    "kontakt": (0, 3),
    "weiter": (0, 2),
    "annehmen": (0, 3),
    "zwischen": (3, 8),
    "antwort": (2, 10),
    "zurueck": (1, 6),
    "rueck": (1, 4),
    "schluss": (0, 2),
    "wieder": (15, 40),
    "notiz": (1, 5),
    "notiz_fb": (1, 5),
}
BUEROZEIT = (8 * 60, 16 * 60 + 30)  # Minuten nach Mitternacht


def _feiertage(jahr: int) -> set[datetime.date]:
    """Gesetzliche Feiertage in NRW (Ostern nach der Gaußschen Osterformel, gregorianisch)."""
    a, b, c = jahr % 19, jahr // 100, jahr % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    monat, tag = divmod(h + l - 7 * m + 114, 31)
    ostern = datetime.date(jahr, monat, tag + 1)
    fest = [(1, 1), (5, 1), (10, 3), (11, 1), (12, 25), (12, 26)]
    beweglich = [-2, 1, 39, 50, 60]  # Karfreitag, Ostermontag, Himmelfahrt, Pfingstmontag,
    # Fronleichnam
    return {datetime.date(jahr, mo, t) for mo, t in fest} | {
        ostern + datetime.timedelta(days=n) for n in beweglich
    }


def _frei(tag: datetime.date) -> bool:
    return tag.weekday() >= 5 or tag in _feiertage(tag.year)


def _arbeitstag(tag: datetime.date, n: int = 0) -> datetime.date:
    """`n` Arbeitstage nach `tag`; bei n = 0 der Tag selbst oder der nächste Arbeitstag."""
    while _frei(tag):
        tag += datetime.timedelta(days=1)
    for _ in range(n):
        tag += datetime.timedelta(days=1)
        while _frei(tag):
            tag += datetime.timedelta(days=1)
    return tag


def _um(tag: datetime.date, minuten: int) -> datetime.datetime:
    zeit = datetime.time(minuten // 60, minuten % 60, random.Random(minuten).randrange(60))
    return datetime.datetime.combine(tag, zeit, tzinfo=timezone.get_current_timezone())


def _ausdehnen(schritte: list[tuple]) -> list[tuple]:
    """Vor einer Antwort (oder einem Zwischenbescheid) nimmt der Fachbereich an, falls das im
    Drehbuch nicht schon steht."""
    angenommen: set[str] = set()
    ergebnis = []
    for schritt in schritte:
        art = schritt[0]
        if art == "weiter":
            angenommen -= set(schritt[1])
        elif art == "annehmen":
            angenommen.add(schritt[1])
        elif art in ("antwort", "zwischen") and schritt[1] not in angenommen:
            ergebnis.append(("annehmen", schritt[1]))
            angenommen.add(schritt[1])
        ergebnis.append(schritt)
    return ergebnis


def _zeitplan(
    spec: dict, rng: random.Random, jetzt: datetime.datetime, sitzungen: list, sprechzeiten: list
) -> tuple[list[datetime.datetime], Sitzung | None]:
    """Zeitpunkte für die Erfassung und jeden Schritt: aufsteigend, an Arbeitstagen zu
    Bürozeiten, der letzte vor jetzt."""
    heute = timezone.localdate(jetzt)
    pausen, extra = [0], 0  # Arbeitstage vor jedem Schritt; pausen[0] für die Erfassung
    for schritt in spec["schritte"]:
        if schritt[0] == "pause":
            extra += schritt[1]
        else:
            pausen.append(rng.randint(*WARTEZEIT[schritt[0]]) + extra)
            extra = 0
    min_alter, max_alter = spec["alter"]
    alter = rng.randint(min_alter, max_alter)
    minuten = [rng.randint(*BUEROZEIT) for _ in pausen]
    for versuch in range(400):
        sitzung = None
        erfasst_tag = heute - datetime.timedelta(days=alter + versuch)
        if spec["kanal"] == "stadtteilkonferenz" and sitzungen:
            frueher = [s for s in sitzungen if timezone.localdate(s.beginn) < erfasst_tag]
            sitzung = frueher[0] if frueher else sitzungen[-1]
            erfasst_tag = _arbeitstag(timezone.localdate(sitzung.beginn), 1)
            start = 9 * 60 + rng.randrange(120)
        elif spec["kanal"] == "sprechstunde" and sprechzeiten:
            # der letzte Sprechstundentag des Büros bis zu diesem Tag
            tage = {z.wochentag for z in sprechzeiten}
            while erfasst_tag.weekday() not in tage or _frei(erfasst_tag):
                erfasst_tag -= datetime.timedelta(days=1)
            zeit = next(z for z in sprechzeiten if z.wochentag == erfasst_tag.weekday())
            von = zeit.beginn.hour * 60 + zeit.beginn.minute
            bis = zeit.ende.hour * 60 + zeit.ende.minute
            start = von + rng.randrange(max(bis - von - 20, 1))
        else:
            erfasst_tag = _arbeitstag(erfasst_tag)
            start = minuten[0]
        zeiten = [_um(erfasst_tag, start)]
        tag, letzte_minute = erfasst_tag, start
        for i, n in enumerate(pausen[1:], start=1):
            if n == 0 and letzte_minute + 15 < BUEROZEIT[1]:
                minute = min(letzte_minute + 15 + minuten[i] % 120, BUEROZEIT[1] + 30)
            else:
                tag = _arbeitstag(tag, max(n, 1))
                minute = minuten[i]
            zeiten.append(_um(tag, minute))
            letzte_minute = minute
        if zeiten[-1] < jetzt - datetime.timedelta(minutes=30):
            return zeiten, sitzung
        if sitzung is not None:
            alter = (heute - timezone.localdate(sitzung.beginn)).days + 1
    raise RuntimeError(f"Kein Zeitplan für {spec['titel']}")


class _Abspielen:
    """Spielt das Drehbuch eines Anliegens über die Operationen ab und datiert jeden Schritt
    sofort auf seinen Zeitpunkt zurück, damit die Prüfungen der nächsten Operation (etwa
    „Rückmeldung nach der Antwort“) mit den zurückdatierten Werten rechnen."""

    def __init__(self, kontext: dict) -> None:
        self.k = kontext
        self.letztes_ereignis = 0

    def _verlauf(self, anliegen: Anliegen, zeitpunkt: datetime.datetime) -> list[Ereignis]:
        neue = list(
            Ereignis.objects.filter(anliegen=anliegen, pk__gt=self.letztes_ereignis).order_by("pk")
        )
        for i, ereignis in enumerate(neue):
            ereignis.zeitpunkt = zeitpunkt + datetime.timedelta(seconds=i)
        Ereignis.objects.bulk_update(neue, ["zeitpunkt"])
        if neue:
            self.letztes_ereignis = neue[-1].pk
        return neue

    def erfassen(self, spec: dict, zeitpunkt: datetime.datetime, sitzung) -> Anliegen:
        k = self.k
        meldende = None
        neue_meldende: dict[str, Any] | None = None
        if spec.get("person"):
            meldende = k["personen"].get(spec["person"])
            if meldende is None:
                neue_meldende = {"einwilligung": True, **PERSONEN[spec["person"]]}
        anliegen = workflow.erfassen(
            daten={
                "titel": spec["titel"],
                "beschreibung": f"{spec['text']} {DEMO}",
                "quartier": k["quartiere"][spec["quartier"]],
                "thema": k["themen"][spec["thema"]],
                "art": spec["art"],
                "kanal": spec["kanal"],
                "ort": spec.get("ort", ""),
                "sitzung": sitzung,
                "akteur": k["akteure"][spec["akteur"]] if spec.get("akteur") else None,
            },
            bedarfe=[k["bedarfe"][b] for b in spec.get("bedarfe", [])],
            meldende=meldende,
            neue_meldende=neue_meldende,
            durch=k["qm"][spec["quartier"]],
        )
        Anliegen.objects.filter(pk=anliegen.pk).update(erstellt_am=zeitpunkt)
        if neue_meldende:
            assert anliegen.meldende_id is not None  # eben mit neuer Person erfasst
            Meldende.objects.filter(pk=anliegen.meldende_id).update(erstellt_am=zeitpunkt)
            k["personen"][spec["person"]] = anliegen.meldende
        self._verlauf(anliegen, zeitpunkt)
        return anliegen

    def schritt(self, anliegen: Anliegen, schritt: tuple, t: datetime.datetime) -> None:
        k = self.k
        qm = k["qm"][anliegen.quartier.slug]
        anliegen = Anliegen.objects.select_related("quartier").get(pk=anliegen.pk)
        art, *arg = schritt

        def weiterleitung(kuerzel: str) -> Weiterleitung:
            return anliegen.weiterleitungen.filter(fachbereich__kuerzel=kuerzel).latest("pk")

        def fb_konto(kuerzel: str) -> User:
            return k["fb_konten"][kuerzel]

        if art == "weg":
            workflow.weg_festlegen(anliegen, weg=arg[0], durch=qm)
        elif art == "kontakt":
            akteur, text = arg
            workflow.weg_festlegen(
                anliegen,
                weg="kontakt",
                durch=qm,
                vermittelt_an=k["akteure"][akteur] if akteur else None,
                vermittelt_an_text="" if akteur else text,
            )
        elif art == "weiter":
            kuerzel, nachricht, *teilen = arg
            neue = workflow.weiterleiten(
                anliegen,
                an=[k["fachbereiche"][x] for x in kuerzel],
                nachricht=nachricht,
                durch=qm,
                kontakt_teilen=bool(teilen and teilen[0]),
            )
            for w in neue:
                w.erstellt_am = t
                w.frist = workflow.standardfrist(w.fachbereich, timezone.localdate(t))
            Weiterleitung.objects.bulk_update(neue, ["erstellt_am", "frist"])
            Antwortlink.objects.filter(weiterleitung__in=neue).update(
                erstellt_am=t, gueltig_bis=t + datetime.timedelta(days=settings.QL_ANTWORTLINK_TAGE)
            )
            fristen = {w.fachbereich.kuerzel: w.frist.isoformat() for w in neue}
            for ereignis in self._verlauf(anliegen, t):
                ereignis.daten["frist"] = fristen[ereignis.daten["fachbereich"]]
                ereignis.save(update_fields=["daten"])
            return
        elif art == "annehmen":
            w = workflow.annehmen(weiterleitung(arg[0]), durch=fb_konto(arg[0]))
            Weiterleitung.objects.filter(pk=w.pk).update(angenommen_am=t)
        elif art == "zwischen":
            w = workflow.beantworten(
                weiterleitung(arg[0]),
                entscheidung="zwischenbescheid",
                antwort=arg[1],
                durch=fb_konto(arg[0]),
            )
            Weiterleitung.objects.filter(pk=w.pk).update(lebenszeichen_am=t)
        elif art == "antwort":
            kuerzel, entscheidung, text, *extra = arg
            erwartet = None
            if entscheidung == "wird_umgesetzt":
                erwartet = timezone.localdate(t) + datetime.timedelta(days=extra[0])
            w = workflow.beantworten(
                weiterleitung(kuerzel),
                entscheidung=entscheidung,
                antwort=text,
                durch=fb_konto(kuerzel),
                # beim Abspielen liegt „heute“ nach der Antwort: erst danach zurückdatieren
                erwartet_am=timezone.localdate() + datetime.timedelta(days=1) if erwartet else None,
                ablehnungsgrund=k["gruende"][extra[0]]
                if entscheidung == "nicht_moeglich"
                else None,
            )
            Weiterleitung.objects.filter(pk=w.pk).update(beantwortet_am=t, erwartet_am=erwartet)
            # Die Rückmeldefrist beginnt mit der (zurückdatierten) Antwort.
            Anliegen.objects.filter(pk=anliegen.pk, rueckmeldung_offen_seit__gt=t).update(
                rueckmeldung_offen_seit=t
            )
            if erwartet:
                Zusage.objects.filter(weiterleitung=w).update(
                    zugesagt_fuer=erwartet, faellig_am=erwartet, erstellt_am=t
                )
                for ereignis in self._verlauf(anliegen, t):
                    ereignis.daten["erwartet_am"] = erwartet.isoformat()
                    ereignis.save(update_fields=["daten"])
                return
        elif art == "zurueck":
            kuerzel, zustaendig, hinweis = arg
            w = workflow.zurueckgeben(
                weiterleitung(kuerzel),
                durch=fb_konto(kuerzel),
                zustaendig_fachbereich=k["fachbereiche"][zustaendig] if zustaendig else None,
                hinweis=hinweis,
            )
            Weiterleitung.objects.filter(pk=w.pk).update(beantwortet_am=t)
        elif art == "rueck":
            kanal, text, *erreicht = arg
            r = workflow.rueckmelden(
                anliegen, text=text, kanal=kanal, durch=qm, erreicht=not erreicht or erreicht[0]
            )
            Rueckmeldung.objects.filter(pk=r.pk).update(zeitpunkt=t)
        elif art == "schluss":
            workflow.abschliessen(anliegen, grund=arg[0], durch=qm)
            Anliegen.objects.filter(pk=anliegen.pk).update(abgeschlossen_am=t)
        elif art == "wieder":
            workflow.wiedereroeffnen(anliegen, grund=arg[0], durch=qm)
        elif art == "notiz":
            workflow.notiz(anliegen, text=arg[0], durch=qm)
        elif art == "notiz_fb":
            workflow.notiz(anliegen, text=arg[1], durch=fb_konto(arg[0]))
        else:
            raise ValueError(f"Unbekannter Schritt: {art}")
        self._verlauf(anliegen, t)


def _nummern_vergeben() -> None:
    """Nummern in der Reihenfolge der Erfassung je Jahr; der Zähler steht auf der höchsten."""
    alle = list(Anliegen.objects.order_by("erstellt_am", "pk"))
    # erst Platzhalter, damit die eindeutigen Nummern beim Umnummerieren nicht kollidieren
    for a in alle:
        a.laufnummer, a.nummer = 900000 + a.pk, f"X{a.pk}"
    Anliegen.objects.bulk_update(alle, ["laufnummer", "nummer"])
    hoechste: dict[int, int] = {}
    for a in alle:
        a.jahr = timezone.localtime(a.erstellt_am).year
        a.laufnummer = hoechste[a.jahr] = hoechste.get(a.jahr, 0) + 1
        a.nummer = f"{a.jahr}-{a.laufnummer:05d}"
    Anliegen.objects.bulk_update(alle, ["jahr", "laufnummer", "nummer"])
    erfasst = list(Ereignis.objects.filter(art="erfasst").select_related("anliegen"))
    for ereignis in erfasst:
        ereignis.daten["nummer"] = ereignis.anliegen.nummer
    Ereignis.objects.bulk_update(erfasst, ["daten"])
    Zaehler.objects.exclude(jahr__in=hoechste).delete()
    for jahr, letzte in hoechste.items():
        Zaehler.objects.update_or_create(jahr=jahr, defaults={"letzte": letzte})


def _anliegen_laden() -> int:
    """Legt die Demo-Anliegen an, wenn es noch keine Anliegen gibt."""
    if Anliegen.objects.exists():
        return Anliegen.objects.count()
    konten = {u.username: u for u in User.objects.all()}
    fachbereiche = {fb.kuerzel: fb for fb in Fachbereich.objects.all()}
    quartiere = {q.slug: q for q in Quartier.objects.all()}
    kontext = {
        "qm": {slug: konten[name] for slug, name in QM_JE_QUARTIER.items()},
        "fb_konten": {kuerzel: konten[name] for kuerzel, name in FB_KONTEN.items()},
        "fachbereiche": fachbereiche,
        "quartiere": quartiere,
        "themen": {t.name: t for t in Thema.objects.all()},
        "bedarfe": {b.name: b for b in Bedarf.objects.all()},
        "gruende": {g.name: g for g in Ablehnungsgrund.objects.all()},
        "akteure": {a.name: a for a in Akteur.objects.all()},
        "personen": {},
    }
    sitzungen = {
        slug: list(
            Sitzung.objects.filter(netzwerk__name=name, beginn__lt=timezone.now()).order_by(
                "-beginn"
            )
        )
        for slug, name in KONFERENZ_JE_QUARTIER.items()
    }
    sprechzeiten = {
        slug: [
            z
            for buero in Stadtteilbuero.objects.filter(quartiere=quartiere[slug])
            for z in buero.sprechzeiten.all()
        ]
        for slug in QM_JE_QUARTIER
    }
    rng = random.Random(STARTWERT)
    jetzt = timezone.now()
    # Erst alle Zeitpläne, dann in der Reihenfolge der Erfassung abspielen: so teilen sich
    # Meldende, die mehrmals melden, den Datensatz ihrer ersten Meldung.
    plaene = []
    for spec in ANLIEGEN:
        spec = {**spec, "schritte": _ausdehnen(spec["schritte"])}
        zeiten, sitzung = _zeitplan(
            spec, rng, jetzt, sitzungen[spec["quartier"]], sprechzeiten[spec["quartier"]]
        )
        plaene.append((zeiten[0], spec, zeiten, sitzung))
    plaene.sort(key=lambda plan: plan[0])
    abspielen = _Abspielen(kontext)
    for _start, spec, zeiten, sitzung in plaene:
        anliegen = abspielen.erfassen(spec, zeiten[0], sitzung)
        schritte = [s for s in spec["schritte"] if s[0] != "pause"]
        for schritt, zeitpunkt in zip(schritte, zeiten[1:], strict=True):
            abspielen.schritt(anliegen, schritt, zeitpunkt)
    _nummern_vergeben()
    _zusagen_abschliessen(kontext, rng, jetzt)
    # Die Schritte liefen heute und wurden zurückdatiert: Dauern für die Auswertung neu.
    dauern.alle_nachrechnen()
    return Anliegen.objects.count()


def _zusagen_abschliessen(kontext: dict, rng: random.Random, jetzt: datetime.datetime) -> None:
    """Zusagen abgeschlossener Anliegen, deren Datum vorbei ist, sind erledigt: meist
    eingehalten, jede vierte entfallen (mit Grund). Offene Anliegen behalten offene Zusagen,
    damit Posteingang und Erinnerungen etwas zu zeigen haben.

    Wie im Betrieb über die Operationen (`workflow.zusage_eingehalten/zusage_entfallen`, mit
    Verlaufseintrag des Fachbereichs): am Fälligkeitstag, frühestens am Arbeitstag nach dem
    Abschluss. Möchte die Person Rückmeldung, hält das QM sie ein bis drei Arbeitstage später
    fest (auch das geht nach dem Abschluss); liegt das nach jetzt, bleibt sie fällig."""
    zusagen = list(
        Zusage.objects.filter(
            weiterleitung__anliegen__status=Status.ABGESCHLOSSEN,
            faellig_am__lt=timezone.localdate(jetzt),
        )
        .select_related("weiterleitung__anliegen", "weiterleitung__fachbereich")
        .order_by("pk")
    )
    grenze = jetzt - datetime.timedelta(minutes=30)
    for i, zusage in enumerate(zusagen):
        anliegen = zusage.weiterleitung.anliegen
        tag = _arbeitstag(
            max(
                zusage.faellig_am,
                timezone.localdate(anliegen.abgeschlossen_am) + datetime.timedelta(days=1),
            )
        )
        zeitpunkt = _um(tag, rng.randint(*BUEROZEIT))
        if zeitpunkt >= grenze:
            continue  # noch nicht erledigt: bleibt als fällige Zusage stehen
        fb = kontext["fb_konten"][zusage.weiterleitung.fachbereich.kuerzel]
        with _zurueckdatiert(zeitpunkt):
            if i % 4 == 3:
                workflow.zusage_entfallen(
                    zusage,
                    grund="Die Mittel für dieses Jahr sind ausgeschöpft (Demodaten).",
                    durch=fb,
                )
                text = "Leider entfällt die Zusage des Fachbereichs: Die Mittel sind ausgeschöpft."
            else:
                workflow.zusage_eingehalten(zusage, durch=fb, text=f"Wie zugesagt erledigt. {DEMO}")
                text = "Der Fachbereich hat die Zusage eingehalten; es ist erledigt."
        Zusage.objects.filter(pk=zusage.pk).update(erledigt_am=zeitpunkt)
        anliegen.refresh_from_db()
        if not workflow.wartet_auf_rueckmeldung(anliegen):
            continue
        spaeter = _um(_arbeitstag(tag, rng.randint(1, 3)), rng.randint(*BUEROZEIT))
        if spaeter >= grenze:
            continue  # die Rückmeldung steht noch aus (ab dem zurückdatierten Schritt)
        kanal = "email" if workflow.per_mail_erreichbar(anliegen) else "telefon"
        with _zurueckdatiert(spaeter):
            r = workflow.rueckmelden(
                anliegen, text=f"{text} {DEMO}", kanal=kanal, durch=anliegen.zustaendig
            )
        Rueckmeldung.objects.filter(pk=r.pk).update(zeitpunkt=spaeter)


class _zurueckdatiert:
    """Was eine Operation „jetzt“ stempelt, auf `zeitpunkt` setzen: ihre Ereignisse (auch an
    gebündelten Anliegen) und eine dabei begonnene Rückmeldefrist."""

    def __init__(self, zeitpunkt: datetime.datetime) -> None:
        self.zeitpunkt = zeitpunkt

    def __enter__(self) -> None:
        self.beginn = timezone.now()
        self.letztes = Ereignis.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def __exit__(self, typ: object, *_rest: object) -> None:
        if typ is not None:
            return
        neue = list(Ereignis.objects.filter(pk__gt=self.letztes).order_by("pk"))
        for i, ereignis in enumerate(neue):
            ereignis.zeitpunkt = self.zeitpunkt + datetime.timedelta(seconds=i)
        Ereignis.objects.bulk_update(neue, ["zeitpunkt"])
        Anliegen.objects.filter(rueckmeldung_offen_seit__gte=self.beginn).update(
            rueckmeldung_offen_seit=self.zeitpunkt
        )


# --- Textbausteine ------------------------------------------------------------------------
# Kurz und in einfacher Sprache; Platzhalter siehe anliegen/textbausteine.py. Demodaten.
# Rückmeldungen ohne {anrede}: Mail und Brief setzen die Anrede selbst davor.
TEXTBAUSTEINE = [
    # titel, zweck, thema (Name oder None), entscheidung, text
    (
        "Antwort: erledigt",
        "antwort",
        None,
        "umgesetzt",
        "Wir haben uns um das Anliegen {nummer} ({ort}) gekümmert. Es ist erledigt.",
    ),
    (
        "Antwort: wird umgesetzt",
        "antwort",
        None,
        "wird_umgesetzt",
        "Wir kümmern uns um das Anliegen {nummer} ({ort}). Wir setzen es bis zum {erwartet_am} um.",
    ),
    (
        "Antwort: Sperrmüll wird abgeholt",
        "antwort",
        "Wilder Müll",
        "wird_umgesetzt",
        "Der Sperrmüll am Ort {ort} wird bis zum {erwartet_am} abgeholt. Danke für den Hinweis.",
    ),
    (
        "Antwort: nicht möglich",
        "antwort",
        None,
        "nicht_moeglich",
        "Das Anliegen {nummer} können wir leider nicht umsetzen. Der Grund: … "
        "(bitte in einfachen Worten erklären).",
    ),
    (
        "Rückmeldung: Antwort des Fachbereichs weitergeben",
        "rueckmeldung",
        None,
        "",
        "Sie haben uns Ihr Anliegen {nummer} („{titel}“) mitgeteilt. Wir haben es an "
        "den Fachbereich {fachbereich} weitergegeben. Die Antwort lautet:\n\n{antwort}\n\n"
        "Wenn Sie Fragen haben, kommen Sie gern in unsere Sprechstunde.",
    ),
    (
        "Rückmeldung: leider nicht möglich",
        "rueckmeldung",
        None,
        "nicht_moeglich",
        "Der Fachbereich {fachbereich} hat Ihr Anliegen {nummer} geprüft. Leider "
        "ist es nicht möglich:\n\n{antwort}\n\nWir wissen, dass das enttäuschend ist. Gern "
        "überlegen wir mit Ihnen, was man stattdessen tun kann.",
    ),
    (
        "Rückmeldung: Zwischenstand",
        "rueckmeldung",
        None,
        "",
        "Ihr Anliegen {nummer} ist beim Fachbereich {fachbereich}. Eine Antwort "
        "ist bis zum {frist} zugesagt. Wir melden uns, sobald wir sie haben.",
    ),
    (
        "Telefonnotiz: Antwort mitteilen",
        "telefonnotiz",
        None,
        "",
        "Anruf am {datum} zum Anliegen {nummer}.\n"
        "Gesagt: Wer wir sind (Quartiersmanagement {quartier}), worum es geht ({titel}), die "
        "Antwort von {fachbereich}: {entscheidung}.\n"
        "[ ] Antwort erklärt\n[ ] Fragen beantwortet\n[ ] Sprechzeiten genannt\n"
        "Reaktion der Person: …",
    ),
]


def textbausteine_laden() -> int:
    """Die Textbausteine der Demo; mehrfach ausführbar (`update_or_create` über den Titel)."""
    themen = {t.name: t for t in Thema.objects.all()}
    for reihenfolge, (titel, zweck, thema, entscheidung, text) in enumerate(TEXTBAUSTEINE):
        Textbaustein.objects.update_or_create(
            titel=titel,
            defaults={
                "zweck": zweck,
                "thema": themen.get(thema) if thema else None,
                "entscheidung": entscheidung,
                "text": text,
                "aktiv": True,
                "reihenfolge": reihenfolge * 10,
            },
        )
    return len(TEXTBAUSTEINE)
