"""Die zwei Uhren der Auswertung als gespeicherte Dauern in Arbeitstagen.

Warum gespeichert und nicht in SQL gerechnet: Arbeitstage hängen an den Feiertagen des Landes
und den Schließtagen der Stadt (`anliegen.fristen`), die nur Python kennt. Eine
Kalendertabelle (`Arbeitstag(datum, nummer)`) ginge auch, müsste aber bei jeder Änderung der
Einstellungen neu gefüllt werden und kostet je Zeile zwei Verknüpfungen. Gespeichert wird die
Dauer dort, wo das Ereignis geschieht – so rechnet die Datenbank nur noch mit ganzen Zahlen,
und eine Dauer bleibt, wie sie am Tag des Ereignisses galt:

- `Weiterleitung.antwort_arbeitstage`: Weiterleitung → Antwort oder Rückgabe
  (`workflow.beantworten`, `workflow.zurueckgeben`).
- `Rueckmeldung.wartezeit_arbeitstage`: Beginn der Rückmeldefrist (Antwort eines
  Fachbereichs, Schritt einer Zusage) → erreichte Rückmeldung (`workflow.rueckmelden`).

`nachrechnen` füllt beide aus den Zeitstempeln: für den Bestand (Datenmigration) und für
Daten, die nachträglich zurückdatiert wurden (Demodaten). Schleifen über Zeilen sind hier
erlaubt – das läuft einmal, nie beim Anzeigen einer Auswertung.
"""

import datetime
from collections import defaultdict

from .fristen import arbeitstage_dauer

BEANTWORTET = "beantwortet"
NICHT_ZUSTAENDIG = "nicht_zustaendig"
ZUSAGE_ERLEDIGT = ("eingehalten", "entfallen")


def wartezeiten(
    starts: list[datetime.datetime], rueckmeldungen: list[tuple[int, datetime.datetime, bool]]
) -> dict[int, int]:
    """Wartezeit je erreichter Rückmeldung, die eine Wartezeit beendet (pk → Arbeitstage).

    Wie `workflow`: eine Wartezeit beginnt mit dem ersten Anlass (Antwort, Schritt einer
    Zusage), während nichts wartet; die nächste erreichte Rückmeldung beendet sie."""
    ereignisse = sorted(
        [(t, 0, None, True) for t in starts] + [(t, 1, pk, e) for pk, t, e in rueckmeldungen],
        key=lambda x: (x[0], x[1]),
    )
    ergebnis: dict[int, int] = {}
    seit = None
    for zeitpunkt, art, pk, erreicht in ereignisse:
        if art == 0:
            seit = seit or zeitpunkt
        elif erreicht and seit is not None and pk is not None:
            ergebnis[pk] = arbeitstage_dauer(seit, zeitpunkt)
            seit = None
    return ergebnis


def nachrechnen(weiterleitung_modell, rueckmeldung_modell, zusage_modell, anliegen_ids=None) -> int:
    """Setzt beide Dauern neu aus den Zeitstempeln; die Modelle kommen als Parameter, damit
    auch eine Migration (historische Modelle) die Funktion nutzen kann. Gibt die Zahl der
    geänderten Zeilen zurück."""
    weiterleitungen = weiterleitung_modell.objects.filter(beantwortet_am__isnull=False)
    rueckmeldungen = rueckmeldung_modell.objects.all()
    zusagen = zusage_modell.objects.filter(status__in=ZUSAGE_ERLEDIGT, erledigt_am__isnull=False)
    if anliegen_ids is not None:
        weiterleitungen = weiterleitungen.filter(anliegen_id__in=anliegen_ids)
        rueckmeldungen = rueckmeldungen.filter(anliegen_id__in=anliegen_ids)
        zusagen = zusagen.filter(weiterleitung__anliegen_id__in=anliegen_ids)

    geaendert = []
    starts: dict[int, list[datetime.datetime]] = defaultdict(list)
    for w in weiterleitungen.only(
        "pk", "anliegen_id", "status", "erstellt_am", "beantwortet_am", "antwort_arbeitstage"
    ):
        dauer = arbeitstage_dauer(w.erstellt_am, w.beantwortet_am)
        if w.antwort_arbeitstage != dauer:
            w.antwort_arbeitstage = dauer
            geaendert.append(w)
        if w.status == BEANTWORTET:
            starts[w.anliegen_id].append(w.beantwortet_am)
    weiterleitung_modell.objects.bulk_update(geaendert, ["antwort_arbeitstage"], batch_size=500)
    for anliegen_id, erledigt_am in zusagen.values_list(
        "weiterleitung__anliegen_id", "erledigt_am"
    ):
        starts[anliegen_id].append(erledigt_am)

    je_anliegen: dict[int, list] = defaultdict(list)
    alle = {}
    for r in rueckmeldungen.only(
        "pk", "anliegen_id", "zeitpunkt", "erreicht", "wartezeit_arbeitstage"
    ):
        je_anliegen[r.anliegen_id].append((r.pk, r.zeitpunkt, r.erreicht))
        alle[r.pk] = r
    neu = []
    for anliegen_id, liste in je_anliegen.items():
        dauern = wartezeiten(starts.get(anliegen_id, []), liste)
        for pk, _zeitpunkt, _erreicht in liste:
            r = alle[pk]
            if r.wartezeit_arbeitstage != dauern.get(pk):
                r.wartezeit_arbeitstage = dauern.get(pk)
                neu.append(r)
    rueckmeldung_modell.objects.bulk_update(neu, ["wartezeit_arbeitstage"], batch_size=500)
    return len(geaendert) + len(neu)


def alle_nachrechnen(anliegen_ids=None) -> int:
    """Wie `nachrechnen` mit den Modellen der App; danach die Fakten der Auswertung neu, denn
    `bulk_update` (und wer zurückdatiert, `QuerySet.update`) läuft an ihren Signalen vorbei."""
    from . import fakten
    from .models import Anliegen, Rueckmeldung, Weiterleitung, Zusage

    geaendert = nachrechnen(Weiterleitung, Rueckmeldung, Zusage, anliegen_ids)
    if anliegen_ids is None:
        fakten.aufbauen()
    else:
        fakten.anliegen_nachziehen(Anliegen.objects.filter(pk__in=anliegen_ids))
    return geaendert
