"""Demodaten des Lotsen-Kreislaufs: die Routing-Tabelle (Thema → Fachbereich), Bedarfe und
Ablehnungsgründe. Die Themen folgen den Beispielen des Konzepts (Spielplatzzustand, „wilder“
Müll, Schlaglöcher); die Zuordnung zu Fachbereichen ist Demodaten. Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

from netzwerke.models import Akteur
from quartier.models import Fachbereich, Quartier, User

from . import workflow
from .models import Ablehnungsgrund, Anliegen, Bedarf, Textbaustein, Thema

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
            name=name, defaults={"fachbereich": fachbereiche.get(kuerzel), "aktiv": True}
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


# Anliegen nach den Beispielen des Konzepts, je eines in einem anderen Stand des Kreislaufs.
# Alle Texte sind Demodaten; die Personen sind erfunden (Adressen *.invalid).
ANLIEGEN = [
    # benutzer, quartier, titel, thema, art, kanal, person (name, email) | None, ziel
    (
        "qm",
        "ost-rothe-erde",
        "Sperrmüll am Elsassplatz",
        "Wilder Müll",
        "beschwerde",
        "sprechstunde",
        ("Erika Demo", "erika@demo.invalid"),
        "abgeschlossen",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Laub verstopft die Gullys in der Düppelstraße",
        "Grünflächen und Spielplätze",
        "beschwerde",
        "buergersteig",
        ("Karl Demo", "karl@demo.invalid"),
        "antwort_liegt_vor",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Schlagloch in der Elsassstraße",
        "Schlaglöcher und Gehwege",
        "beschwerde",
        "buergersteig",
        None,
        "weitergeleitet",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Spielplatz Rehmplatz: Schaukel defekt",
        "Grünflächen und Spielplätze",
        "beschwerde",
        "telefon",
        None,
        "angenommen",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Sitzbank am Rehmplatz gewünscht",
        "Grünflächen und Spielplätze",
        "anfrage",
        "stadtteilkonferenz",
        ("Hanne Demo", "hanne@demo.invalid"),
        "nicht_moeglich",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Idee: Nachbarschaftsfest im Hof",
        "Nachbarschaft und Veranstaltungen",
        "idee",
        "veranstaltung",
        ("Ali Demo", "ali@demo.invalid"),
        "selbst",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Beratung zu Mietschulden gesucht",
        "Beratung gesucht",
        "anfrage",
        "sprechstunde",
        ("Nina Demo", ""),
        "kontakt",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Dunkler Durchgang am Bahndamm",
        "Sicherheit und Ordnung",
        "bedarf",
        "buergersteig",
        None,
        "bedarf",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Müllecke hinter dem Supermarkt",
        "Wilder Müll",
        "beschwerde",
        "email",
        ("Peter Demo", "peter@demo.invalid"),
        "zurueckgegeben",
    ),
    (
        "qm",
        "ost-rothe-erde",
        "Gehweg zugeparkt",
        "Verkehrssicherheit",
        "beschwerde",
        "telefon",
        ("Olga Demo", "olga@demo.invalid"),
        "neu",
    ),
    (
        "qm2",
        "preuswald",
        "Bolzplatz: Tornetz kaputt",
        "Grünflächen und Spielplätze",
        "bedarf",
        "stadtteilkonferenz",
        None,
        "wird_umgesetzt",
    ),
    (
        "qm2",
        "preuswald",
        "Treffpunkt für Jugendliche fehlt",
        "Kinder und Jugend",
        "bedarf",
        "stadtteilkonferenz",
        None,
        "weitergeleitet",
    ),
    (
        "qm2",
        "preuswald",
        "Glascontainer überfüllt",
        "Wilder Müll",
        "beschwerde",
        "sprechstunde",
        ("Jens Demo", "jens@demo.invalid"),
        "abgeschlossen",
    ),
    (
        "qm2",
        "preuswald",
        "Idee: Bücherschrank am Stadtteilbüro",
        "Nachbarschaft und Veranstaltungen",
        "idee",
        "sprechstunde",
        ("Greta Demo", "greta@demo.invalid"),
        "neu",
    ),
]


def _anliegen_laden() -> int:
    """Legt die Demo-Anliegen beim ersten Lauf an, über die echten Operationen."""
    if Anliegen.objects.filter(beschreibung__endswith=DEMO).exists():
        return Anliegen.objects.count()
    nutzer = {u.username: u for u in User.objects.filter(username__in=["qm", "qm2", "fachbereich"])}
    fb_nutzer = nutzer["fachbereich"]
    stadtbetrieb = fb_nutzer.fachbereich
    quartiere = {q.slug: q for q in Quartier.objects.all()}
    themen = {t.name: t for t in Thema.objects.all()}
    grund = Ablehnungsgrund.objects.order_by("name").first()
    for benutzer, quartier, titel, thema, art, kanal, person, ziel in ANLIEGEN:
        qm = nutzer[benutzer]
        neue_meldende = None
        if person:
            name, email = person
            neue_meldende = {
                "name": name,
                "email": email,
                "einwilligung": True,
                "bevorzugter_kanal": "email" if email else "telefon",
            }
        anliegen = workflow.erfassen(
            daten={
                "titel": titel,
                "beschreibung": f"{titel}. {DEMO}",
                "quartier": quartiere[quartier],
                "thema": themen[thema],
                "art": art,
                "kanal": kanal,
                "ort": "Demoweg 1" if art == "beschwerde" else "",
            },
            neue_meldende=neue_meldende,
            durch=qm,
        )
        if ziel == "neu":
            continue
        if ziel in ("selbst", "kontakt", "bedarf"):
            workflow.weg_festlegen(
                anliegen,
                weg=ziel,
                durch=qm,
                vermittelt_an=Akteur.objects.filter(art="beratung").first()
                if ziel == "kontakt"
                else None,
                vermittelt_an_text="Schuldnerberatung der Caritas" if ziel == "kontakt" else "",
            )
            continue
        # weiterleiten: Stadtbetrieb für die Demo-Journey, sonst der übliche Fachbereich
        fb = themen[thema].fachbereich or stadtbetrieb
        (w,) = workflow.weiterleiten(
            anliegen, an=[fb], nachricht=f"Bitte prüfen: {titel}.", durch=qm
        )
        if ziel == "weitergeleitet":
            continue
        bearbeiter = fb_nutzer if fb == stadtbetrieb else None
        if bearbeiter is None:
            # Ohne Demo-Konto im Fachbereich bleibt es weitergeleitet.
            continue
        if ziel == "zurueckgegeben":
            workflow.zurueckgeben(
                w, hinweis="Privatgrund: Hausverwaltung zuständig.", durch=bearbeiter
            )
            continue
        workflow.annehmen(w, durch=bearbeiter)
        if ziel == "angenommen":
            continue
        if ziel == "nicht_moeglich":
            workflow.beantworten(
                w,
                entscheidung="nicht_moeglich",
                ablehnungsgrund=grund,
                durch=bearbeiter,
                antwort=(
                    "Für eine weitere Bank fehlt in diesem Jahr das Geld; "
                    "wir merken sie für 2027 vor."
                ),
            )
        elif ziel == "wird_umgesetzt":
            workflow.beantworten(
                w,
                entscheidung="wird_umgesetzt",
                durch=bearbeiter,
                erwartet_am=timezone.localdate() + datetime.timedelta(days=60),
                antwort="Das Netz wird mit der nächsten Tour ersetzt.",
            )
        else:
            workflow.beantworten(
                w,
                entscheidung="umgesetzt",
                antwort="Erledigt, danke für den Hinweis.",
                durch=bearbeiter,
            )
        if ziel == "abgeschlossen":
            workflow.rueckmelden(
                anliegen,
                text="Der Stadtbetrieb hat es erledigt. Danke für Ihren Hinweis!",
                kanal="email",
                durch=qm,
            )
            workflow.abschliessen(anliegen, grund="erledigt", durch=qm)
    return Anliegen.objects.count()


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
