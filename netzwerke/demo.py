"""Demodaten der Netzwerke in Aachen (nach dem Konzept von 2017).

Belegt: zehn Stadtteilkonferenzen (nur die in Kullen/Steppenberg/Vaalserquartier ist dort
benannt), die sechs Örtlichen Arbeitsgemeinschaften der Altenarbeit (Richterich, Brand,
Laurensberg, Nord, Eilendorf, Ost/Rothe), acht Begegnungszentren, zwei
Mehrgenerationenhäuser (Brand, Eilendorf/Rothe Erde), die Bürogemeinschaften (SKM mit
ASD-Sprechstunden in Forst/Driescher Hof, Diakonie im Preuswald), Altenheim St. Elisabeth
und Caritas Dienste im Westparkviertel, AWO in Burtscheid, die Gewoge in Kullen.
Alles andere ist erfunden und als „Demodaten“ gekennzeichnet.

Setzt die Demodaten von `quartier` voraus. Idempotent über natürliche Schlüssel; die
Anträge an den Stadtteilfonds entstehen nur beim ersten Lauf, über netzwerke/fonds.py,
damit ihr Verlauf echt ist.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from quartier.models import Quartier, Stadtteilbuero, User

from . import fonds as ablauf
from .models import (
    Akteur,
    Angebotszeit,
    Ansprechperson,
    Antrag,
    Mitgliedschaft,
    Netzwerk,
    Projekt,
    Sitzung,
    Stadtteilfonds,
    Tagesordnungspunkt,
    Zielgruppe,
)

DEMO = "Demodaten (erfunden)."

ZIELGRUPPEN = [
    "Kinder",
    "Jugendliche",
    "Familien",
    "Senior:innen",
    "Geflüchtete",
    "Menschen mit Behinderung",
    "alle Generationen",
]

# name, art, träger, quartiere (slugs), zielgruppen, angebote, straße, belegt?
AKTEURE = [
    (
        "AWO Kreisverband Aachen-Stadt",
        "wohlfahrtsverband",
        None,
        [],
        [],
        "Träger von Begegnungszentren und Beratung",
        "",
        True,
    ),
    (
        "Caritasverband Aachen",
        "wohlfahrtsverband",
        None,
        [],
        [],
        "Träger von Familienzentren, Altenhilfe und Beratung",
        "",
        True,
    ),
    (
        "Diakonie Aachen",
        "wohlfahrtsverband",
        None,
        ["preuswald"],
        ["Familien"],
        "Sozialberatung im Stadtteilbüro Preuswald",
        "",
        True,
    ),
    (
        "SKM Aachen",
        "wohlfahrtsverband",
        None,
        ["forst-driescher-hof"],
        ["Familien"],
        "Sprechstunden des Allgemeinen Sozialen Dienstes im Stadtteilbüro Forst",
        "",
        True,
    ),
    (
        "SkF Aachen",
        "wohlfahrtsverband",
        None,
        [],
        ["Familien", "Kinder"],
        "Beratung für Frauen und Familien",
        "",
        True,
    ),
    (
        "Caritas Dienste",
        "wohlfahrtsverband",
        "Caritasverband Aachen",
        ["westparkviertel"],
        ["Senior:innen"],
        "Altengerechtes Quartier Westparkviertel",
        "",
        True,
    ),
    (
        "Altenheim St. Elisabeth",
        "sonstige",
        "Caritasverband Aachen",
        ["westparkviertel"],
        ["Senior:innen"],
        "Stationäre Pflege, offener Mittagstisch",
        "",
        True,
    ),
    (
        "Gewoge AG",
        "wohnungsunternehmen",
        None,
        ["kullen"],
        ["alle Generationen"],
        "Wohnungen in Kullen, Mieterberatung",
        "",
        True,
    ),
    (
        "Mehrgenerationenhaus Brand",
        "mehrgenerationenhaus",
        None,
        [],
        ["alle Generationen"],
        "Offener Treff, Nachbarschaftshilfe",
        "",
        True,
    ),
    (
        "Mehrgenerationenhaus Eilendorf/Rothe Erde",
        "mehrgenerationenhaus",
        None,
        ["eilendorf", "ost-rothe-erde"],
        ["alle Generationen"],
        "Café, Kurse, Hausaufgabenhilfe",
        "",
        True,
    ),
    (
        "Begegnungszentrum Rothe Erde",
        "begegnungszentrum",
        "AWO Kreisverband Aachen-Stadt",
        ["ost-rothe-erde"],
        ["Senior:innen"],
        "Mittagstisch, Sprechstunde 50+, Kurse",
        "Eifelstraße 10",
        False,
    ),
    (
        "Begegnungszentrum Forst",
        "begegnungszentrum",
        "Caritasverband Aachen",
        ["forst-driescher-hof"],
        ["Senior:innen"],
        "Seniorencafé, Gedächtnistraining",
        "Schönforststraße 40",
        False,
    ),
    (
        "Begegnungszentrum Preuswald",
        "begegnungszentrum",
        "Diakonie Aachen",
        ["preuswald"],
        ["Senior:innen"],
        "Frühstückstreff, Spielenachmittag",
        "Reimser Straße 5",
        False,
    ),
    (
        "Begegnungszentrum Aachen-Nord",
        "begegnungszentrum",
        "AWO Kreisverband Aachen-Stadt",
        ["aachen-nord"],
        ["Senior:innen"],
        "Mittagstisch, Sprachcafé",
        "Jülicher Straße 80",
        False,
    ),
    (
        "Begegnungszentrum Burtscheid",
        "begegnungszentrum",
        "AWO Kreisverband Aachen-Stadt",
        ["burtscheid"],
        ["Senior:innen"],
        "Kurse, Beratung zum Wohnen im Alter",
        "Kurbrunnenstraße 2",
        False,
    ),
    (
        "Begegnungszentrum Richterich",
        "begegnungszentrum",
        "Caritasverband Aachen",
        ["richterich"],
        ["Senior:innen"],
        "Treffpunkt, Ausflüge",
        "Roder Weg 3",
        False,
    ),
    (
        "Begegnungszentrum Eilendorf",
        "begegnungszentrum",
        "Caritasverband Aachen",
        ["eilendorf"],
        ["Senior:innen"],
        "Kreativgruppen, Sprechstunde",
        "Von-Coels-Straße 8",
        False,
    ),
    (
        "Begegnungszentrum Westpark",
        "begegnungszentrum",
        "Caritas Dienste",
        ["westparkviertel"],
        ["Senior:innen"],
        "Quartierscafé",
        "Welkenrather Straße 1",
        False,
    ),
    (
        "Familienzentrum Rothe Erde",
        "familienzentrum",
        "Caritasverband Aachen",
        ["ost-rothe-erde"],
        ["Familien", "Kinder"],
        "Elterncafé, Erziehungsberatung",
        "Düppelstraße 12",
        False,
    ),
    (
        "Jugendtreff Ostviertel",
        "jugendarbeit",
        None,
        ["ost-rothe-erde"],
        ["Jugendliche"],
        "Offene Tür, Fahrradwerkstatt, Hausaufgabenhilfe",
        "Elsassstraße 20",
        False,
    ),
    (
        "Grundschule Preuswald",
        "schule",
        None,
        ["preuswald"],
        ["Kinder"],
        "Offener Ganztag",
        "Reimser Straße 30",
        False,
    ),
    (
        "Bürgerverein Preuswald e. V.",
        "verein",
        None,
        ["preuswald"],
        ["alle Generationen"],
        "Nachbarschaftsfeste, Grünpflege",
        "",
        False,
    ),
    (
        "Initiative Grünes Ostviertel",
        "initiative",
        None,
        ["ost-rothe-erde"],
        ["alle Generationen"],
        "Baumscheiben, Urban Gardening",
        "",
        False,
    ),
    (
        "Bezirksamt Laurensberg",
        "bezirksamt",
        None,
        ["kullen"],
        [],
        "Vernetzung und Unterstützung von Initiativen im Bezirk",
        "",
        True,
    ),
]

ANSPRECHPERSONEN = [
    # akteur, name, funktion
    ("Begegnungszentrum Rothe Erde", "Monika Schäfer", "Leitung"),
    ("Familienzentrum Rothe Erde", "Aylin Demir", "Leitung"),
    ("Jugendtreff Ostviertel", "Tobias Berger", "Jugendarbeiter"),
    ("SKM Aachen", "Klaus Weber", "Allgemeiner Sozialer Dienst"),
    ("Diakonie Aachen", "Ruth Lange", "Sozialberatung"),
    ("Bürgerverein Preuswald e. V.", "Hans Jansen", "Vorsitz"),
]

ANGEBOTSZEITEN = [
    # akteur, büro, angebot, wochentag, von, bis
    (
        "SKM Aachen",
        "Stadtteilbüro Forst/Driescher Hof",
        "Sprechstunde des ASD",
        1,
        "09:00",
        "12:00",
    ),
    (
        "SKM Aachen",
        "Stadtteilbüro Forst/Driescher Hof",
        "Sprechstunde des ASD",
        3,
        "14:00",
        "16:00",
    ),
    ("Diakonie Aachen", "Stadtteilbüro Preuswald", "Sozialberatung", 2, "10:00", "12:00"),
    (
        "Bürgerverein Preuswald e. V.",
        "Stadtteilbüro Preuswald",
        "Treffen im Nebenraum",
        4,
        "18:00",
        "20:00",
    ),
]

STADTTEILKONFERENZEN = [
    # name, quartiere, belegt?
    ("Stadtteilkonferenz Ost/Rothe Erde", ["ost-rothe-erde"], False),
    ("Stadtteilkonferenz Forst/Driescher Hof", ["forst-driescher-hof"], False),
    ("Stadtteilkonferenz Preuswald", ["preuswald"], False),
    ("Stadtteilkonferenz Aachen-Nord", ["aachen-nord"], False),
    ("Stadtteilkonferenz Kullen, Steppenberg und Vaalserquartier", ["kullen"], True),
    ("Stadtteilkonferenz Richterich", ["richterich"], False),
    ("Stadtteilkonferenz Eilendorf", ["eilendorf"], False),
    ("Stadtteilkonferenz Burtscheid", ["burtscheid"], False),
    ("Stadtteilkonferenz Westpark/Hörn", ["westparkviertel"], False),
    ("Stadtteilkonferenz Kronenberg", ["kronenberg"], False),
]

OEAG = [
    ("Örtliche Arbeitsgemeinschaft der Altenarbeit Richterich", ["richterich"]),
    ("Örtliche Arbeitsgemeinschaft der Altenarbeit Brand", []),
    ("Örtliche Arbeitsgemeinschaft der Altenarbeit Laurensberg", ["kullen"]),
    ("Örtliche Arbeitsgemeinschaft der Altenarbeit Nord", ["aachen-nord"]),
    ("Örtliche Arbeitsgemeinschaft der Altenarbeit Eilendorf", ["eilendorf"]),
    ("Örtliche Arbeitsgemeinschaft der Altenarbeit Ost/Rothe", ["ost-rothe-erde"]),
]

MITGLIEDER = {
    # netzwerk: [(akteur, rolle)]
    "Stadtteilkonferenz Ost/Rothe Erde": [
        ("Familienzentrum Rothe Erde", "sprecherteam"),
        ("Begegnungszentrum Rothe Erde", "sprecherteam"),
        ("Jugendtreff Ostviertel", "mitglied"),
        ("Caritasverband Aachen", "mitglied"),
        ("Initiative Grünes Ostviertel", "mitglied"),
        ("Mehrgenerationenhaus Eilendorf/Rothe Erde", "mitglied"),
    ],
    "Stadtteilkonferenz Preuswald": [
        ("Bürgerverein Preuswald e. V.", "sprecherteam"),
        ("Grundschule Preuswald", "mitglied"),
        ("Diakonie Aachen", "mitglied"),
        ("Begegnungszentrum Preuswald", "mitglied"),
    ],
    "Stadtteilkonferenz Forst/Driescher Hof": [
        ("Begegnungszentrum Forst", "sprecherteam"),
        ("SKM Aachen", "mitglied"),
    ],
    "Stadtteilkonferenz Kullen, Steppenberg und Vaalserquartier": [
        ("Gewoge AG", "mitglied"),
        ("Bezirksamt Laurensberg", "sprecherteam"),
    ],
    "Örtliche Arbeitsgemeinschaft der Altenarbeit Ost/Rothe": [
        ("Begegnungszentrum Rothe Erde", "sprecherteam"),
        ("Caritasverband Aachen", "mitglied"),
    ],
    "AK Jugend Ost/Rothe Erde": [
        ("Jugendtreff Ostviertel", "sprecherteam"),
        ("Familienzentrum Rothe Erde", "mitglied"),
    ],
}

PROJEKTE = [
    # titel, art, status, fortschritt, quartiere, partner, beginn-offset (Tage), öffentlich, text
    (
        "Stadtteilfest Rothe Erde",
        "stadtteilfest",
        "in_planung",
        40,
        ["ost-rothe-erde"],
        ["Familienzentrum Rothe Erde", "Jugendtreff Ostviertel"],
        60,
        True,
        "Am Sommerfest im Ostviertel feiern Nachbar:innen aus allen Generationen mit Musik, "
        "Spielen und Essen aus aller Welt.",
    ),
    (
        "Fahrradwerkstatt im Jugendtreff",
        "fahrradwerkstatt",
        "laufend",
        70,
        ["ost-rothe-erde"],
        ["Jugendtreff Ostviertel"],
        -90,
        True,
        "Jeden Mittwoch reparieren Jugendliche gemeinsam Fahrräder aus der Nachbarschaft.",
    ),
    (
        "Kochaktion „Preuswald kocht“",
        "kochaktion",
        "abgeschlossen",
        100,
        ["preuswald"],
        ["Bürgerverein Preuswald e. V.", "Diakonie Aachen"],
        -200,
        False,
        "",
    ),
    (
        "Filmabend im Park",
        "filmabend",
        "idee",
        0,
        ["preuswald"],
        ["Grundschule Preuswald"],
        120,
        False,
        "",
    ),
    (
        "Bepflanzung der Baumscheiben",
        "bepflanzungsaktion",
        "laufend",
        50,
        ["ost-rothe-erde"],
        ["Initiative Grünes Ostviertel"],
        -30,
        True,
        "Anwohner:innen bepflanzen gemeinsam die Baumscheiben im Ostviertel.",
    ),
    (
        "Ausflug in die Eifel",
        "ausflug",
        "abgeschlossen",
        100,
        ["forst-driescher-hof"],
        ["Begegnungszentrum Forst"],
        -150,
        False,
        "",
    ),
    (
        "Wandercafé im Westpark",
        "wandercafe",
        "laufend",
        60,
        ["westparkviertel"],
        ["Caritas Dienste", "Altenheim St. Elisabeth"],
        -60,
        True,
        "Das Wandercafé zieht monatlich durch die Treffpunkte im Westparkviertel.",
    ),
]

# Anträge an den Stadtteilfonds Ost/Rothe Erde, je einer in jedem Status.
ANTRAEGE = [
    # vorhaben, antragsteller, betrag, zielstatus, bewilligt
    ("Nachbarschaftsflohmarkt", "Initiative Grünes Ostviertel", "400", "eingereicht", None),
    ("Spielgeräte für den Hof", "Familienzentrum Rothe Erde", "900", "empfohlen", None),
    ("Hochglanzbroschüre", "Caritasverband Aachen", "2000", "nicht_empfohlen", None),
    ("Musik beim Stadtteilfest", "Jugendtreff Ostviertel", "800", "bewilligt", "600"),
    (
        "Catering für Vereinsfeier",
        "Mehrgenerationenhaus Eilendorf/Rothe Erde",
        "700",
        "abgelehnt",
        None,
    ),
    ("Werkzeug für die Fahrradwerkstatt", "Jugendtreff Ostviertel", "500", "ausgezahlt", "500"),
    (
        "Pflanzen für die Baumscheiben",
        "Initiative Grünes Ostviertel",
        "350",
        "nachweis_liegt_vor",
        "350",
    ),
    ("Seniorenausflug", "Begegnungszentrum Rothe Erde", "450", "abgeschlossen", "400"),
    ("Lesepaten-Material", "Familienzentrum Rothe Erde", "150", "zurueckgezogen", None),
]


def _zeit(text: str) -> datetime.time:
    stunde, minute = text.split(":")
    return datetime.time(int(stunde), int(minute))


def _akteure() -> dict[str, Akteur]:
    zielgruppen = {name: Zielgruppe.objects.get_or_create(name=name)[0] for name in ZIELGRUPPEN}
    quartiere = {q.slug: q for q in Quartier.objects.all()}
    akteure: dict[str, Akteur] = {}
    for name, art, traeger, qs, zg, angebote, strasse, belegt in AKTEURE:
        akteur, _ = Akteur.objects.update_or_create(
            name=name,
            defaults={
                "art": art,
                "traeger": akteure.get(traeger) if traeger else None,
                "angebote": angebote if belegt else f"{angebote}. {DEMO}",
                "strasse": strasse,
                "plz": "52062" if strasse else "",
                "email": "" if not strasse else f"kontakt-{len(akteure)}@demo.invalid",
                "aktiv": True,
            },
        )
        akteur.quartiere.set([quartiere[s] for s in qs])
        akteur.zielgruppen.set([zielgruppen[z] for z in zg])
        akteure[name] = akteur
    for akteur_name, name, funktion in ANSPRECHPERSONEN:
        Ansprechperson.objects.update_or_create(
            akteur=akteure[akteur_name],
            name=name,
            defaults={
                "funktion": funktion,
                "email": f"{name.split()[0].lower()}@demo.invalid",
                "telefon": "0241 000000",
            },
        )
    bueros = {b.name: b for b in Stadtteilbuero.objects.all()}
    for akteur_name, buero, angebot, tag, von, bis in ANGEBOTSZEITEN:
        Angebotszeit.objects.update_or_create(
            akteur=akteure[akteur_name],
            buero=bueros[buero],
            wochentag=tag,
            beginn=_zeit(von),
            defaults={"angebot": angebot, "ende": _zeit(bis)},
        )
    return akteure


def _netzwerke(akteure: dict[str, Akteur]) -> dict[str, Netzwerk]:
    quartiere = {q.slug: q for q in Quartier.objects.all()}
    netzwerke: dict[str, Netzwerk] = {}
    eintraege = [(n, "stadtteilkonferenz", q, b) for n, q, b in STADTTEILKONFERENZEN]
    eintraege += [(n, "oeag", q, True) for n, q in OEAG]
    for name, art, qs, belegt in eintraege:
        netzwerk, _ = Netzwerk.objects.update_or_create(
            name=name,
            defaults={
                "art": art,
                "beschreibung": "" if belegt else f"Name: {DEMO}",
                "aktiv": True,
            },
        )
        netzwerk.quartiere.set([quartiere[s] for s in qs])
        netzwerke[name] = netzwerk
    ak, _ = Netzwerk.objects.update_or_create(
        name="AK Jugend Ost/Rothe Erde",
        defaults={
            "art": "arbeitskreis",
            "uebergeordnet": netzwerke["Stadtteilkonferenz Ost/Rothe Erde"],
            "beschreibung": f"Arbeitskreis der Stadtteilkonferenz. {DEMO}",
        },
    )
    ak.quartiere.set([quartiere["ost-rothe-erde"]])
    netzwerke[ak.name] = ak
    for netzwerk_name, mitglieder in MITGLIEDER.items():
        for akteur_name, rolle in mitglieder:
            Mitgliedschaft.objects.update_or_create(
                netzwerk=netzwerke[netzwerk_name],
                akteur=akteure[akteur_name],
                bis=None,
                defaults={"rolle": rolle, "seit": datetime.date(2018, 1, 1)},
            )
    return netzwerke


# Frühere Sitzungen der drei Stadtteilkonferenzen mit laufendem Quartiersmanagement, damit
# die Anliegen der Demodaten aus 18 Monaten an eine Sitzung anknüpfen können. Die Orte
# wechseln (jeder Ort einmal je Konferenz: darüber findet ein zweiter Lauf sie wieder).
FRUEHERE_SITZUNGEN = [
    # netzwerk, Tage vor heute, Ort, Protokoll
    (
        "Stadtteilkonferenz Ost/Rothe Erde",
        100,
        "Familienzentrum Rothe Erde, Düppelstraße 12",
        "Bericht des Jugendtreffs; Hinweise aus dem Quartier zu Müll und Spielplätzen aufgenommen.",
    ),
    (
        "Stadtteilkonferenz Ost/Rothe Erde",
        220,
        "Jugendtreff Ostviertel, Elsassstraße 20",
        "Vorbereitung des Stadtteilfests; Sorgen um Sicherheit am Bahndamm besprochen.",
    ),
    (
        "Stadtteilkonferenz Ost/Rothe Erde",
        340,
        "Begegnungszentrum Rothe Erde, Eifelstraße 10",
        "Neue Mitglieder stellen sich vor; Wünsche zu Bänken und Bushaltestellen gesammelt.",
    ),
    (
        "Stadtteilkonferenz Ost/Rothe Erde",
        470,
        "Mehrgenerationenhaus Eilendorf/Rothe Erde",
        "Jahresplanung; Themen für das Quartiersmanagement gesammelt.",
    ),
    (
        "Stadtteilkonferenz Preuswald",
        130,
        "Grundschule Preuswald, Reimser Straße 30",
        "Bericht der Schule; Schulweg und Bolzplatz besprochen.",
    ),
    (
        "Stadtteilkonferenz Preuswald",
        280,
        "Begegnungszentrum Preuswald, Reimser Straße 5",
        "Rückblick auf das Nachbarschaftsfest; Busanbindung am Abend bemängelt.",
    ),
    (
        "Stadtteilkonferenz Preuswald",
        430,
        "Vereinsraum des Bürgervereins Preuswald",
        "Treffpunkt für Jugendliche und Beleuchtung der Wege besprochen.",
    ),
    (
        "Stadtteilkonferenz Forst/Driescher Hof",
        70,
        "Begegnungszentrum Forst, Schönforststraße 40",
        "Bericht aus dem Seniorencafé; Gehwege und Sitzgelegenheiten besprochen.",
    ),
    (
        "Stadtteilkonferenz Forst/Driescher Hof",
        240,
        "Stadtteilbüro Forst/Driescher Hof, Schönforststraße 1",
        "Sprechstunden des SKM vorgestellt; Hinweise zu Müllplätzen gesammelt.",
    ),
    (
        "Stadtteilkonferenz Forst/Driescher Hof",
        400,
        "Pfarrsaal am Driescher Hof (Demo-Ort)",
        "Ideen für ein Fest im Driescher Hof gesammelt.",
    ),
]


def _sitzung(netzwerk: Netzwerk, beginn: datetime.datetime, ort: str, **daten: object) -> Sitzung:
    """Eine vergangene bzw. kommende Sitzung am Ort; vorhandene bleiben, wie sie sind."""
    jetzt = timezone.now()
    zeitraum = {"beginn__lt": jetzt} if beginn < jetzt else {"beginn__gte": jetzt}
    vorhanden = Sitzung.objects.filter(netzwerk=netzwerk, ort=ort, **zeitraum).first()
    return vorhanden or Sitzung.objects.create(netzwerk=netzwerk, beginn=beginn, ort=ort, **daten)


def _sitzungen(netzwerke: dict[str, Netzwerk], akteure: dict[str, Akteur]) -> Sitzung:
    """Vergangene Sitzungen mit Protokoll, kommende ohne. Gibt die jüngste der Ost-Konferenz."""
    heute = timezone.localdate()
    zone = timezone.get_current_timezone()

    def um(tage: int, stunde: int) -> datetime.datetime:
        tag = heute + datetime.timedelta(days=tage)
        return datetime.datetime.combine(tag, datetime.time(stunde), tzinfo=zone).replace(
            minute=0, second=0, microsecond=0
        )

    ost = netzwerke["Stadtteilkonferenz Ost/Rothe Erde"]
    vergangen = _sitzung(
        ost,
        um(-14, 17),
        "Nadelfabrik, Reichsweg 30",
        ende=um(-14, 19),
        weitere_teilnehmende=4,
        protokoll=(
            "Die Stadtteilkonferenz begrüßt zwei neue Mitglieder. Der Stadtbetrieb hat die "
            "Beschwerde über wilden Müll am Elsassplatz aufgenommen. " + DEMO
        ),
    )
    vergangen.teilnehmende.set(
        [akteure[n] for n, _rolle in MITGLIEDER["Stadtteilkonferenz Ost/Rothe Erde"]]
    )
    for nummer, titel, ergebnis in [
        (1, "Begrüßung und Protokoll", "Protokoll der letzten Sitzung genehmigt."),
        (2, "Berichte aus den Einrichtungen", "Familienzentrum: neue Elterngruppe."),
        (3, "Anträge an den Stadtteilfonds", "Siehe Voten zu den einzelnen Anträgen."),
        (4, "Stadtteilfest", "Termin im Sommer; AG Fest trifft sich monatlich."),
    ]:
        Tagesordnungspunkt.objects.update_or_create(
            sitzung=vergangen, nummer=nummer, defaults={"titel": titel, "ergebnis": ergebnis}
        )
    _sitzung(ost, um(28, 17), "Nadelfabrik, Reichsweg 30")
    preuswald = netzwerke["Stadtteilkonferenz Preuswald"]
    frueher = _sitzung(
        preuswald,
        um(-35, 18),
        "Stadtteilbüro Preuswald, Nebenraum",
        protokoll="Planung der Kochaktion und des Filmabends. " + DEMO,
    )
    frueher.teilnehmende.set(
        [akteure[n] for n, _rolle in MITGLIEDER["Stadtteilkonferenz Preuswald"]]
    )
    _sitzung(preuswald, um(21, 18), "Stadtteilbüro Preuswald, Nebenraum")
    for name, tage, ort, protokoll in FRUEHERE_SITZUNGEN:
        # auf einen Dienstag bis Donnerstag davor, 17 Uhr
        tag = heute - datetime.timedelta(days=tage)
        tag -= datetime.timedelta(days=(tag.weekday() - 1) % 7 if tag.weekday() > 3 else 0)
        tage = (heute - tag).days
        sitzung = _sitzung(
            netzwerke[name],
            um(-tage, 17),
            ort,
            ende=um(-tage, 19),
            weitere_teilnehmende=3,
            protokoll=f"{protokoll} {DEMO}",
        )
        sitzung.teilnehmende.set([akteure[n] for n, _rolle in MITGLIEDER[name]])
    _sitzung(
        netzwerke["Örtliche Arbeitsgemeinschaft der Altenarbeit Ost/Rothe"],
        um(10, 10),
        "Begegnungszentrum Rothe Erde",
    )
    return vergangen


def _projekte(akteure: dict[str, Akteur], qm: User) -> None:
    quartiere = {q.slug: q for q in Quartier.objects.all()}
    heute = timezone.localdate()
    for titel, art, status, fortschritt, qs, partner, versatz, oeffentlich, text in PROJEKTE:
        beginn = heute + datetime.timedelta(days=versatz)
        projekt, _ = Projekt.objects.update_or_create(
            titel=titel,
            # Daten nur beim Anlegen: ein Lauf am nächsten Tag verschiebt nichts.
            create_defaults={
                "titel": titel,
                "art": art,
                "status": status,
                "fortschritt": fortschritt,
                "beginn": beginn,
                "ende": beginn + datetime.timedelta(days=1 if art != "fahrradwerkstatt" else 180),
                "oeffentlich": oeffentlich,
                "oeffentlicher_text": text,
                "beschreibung": DEMO,
                "verantwortlich": qm if "ost-rothe-erde" in qs else None,
                "teilnehmende": 40 if status == "abgeschlossen" else None,
            },
            defaults={
                "art": art,
                "oeffentlich": oeffentlich,
                "oeffentlicher_text": text,
            },
        )
        projekt.quartiere.set([quartiere[s] for s in qs])
        projekt.partner.set([akteure[p] for p in partner])


def _fonds(
    netzwerke: dict[str, Netzwerk],
    akteure: dict[str, Akteur],
    sitzung: Sitzung,
    qm: User,
    admin: User,
) -> None:
    """Ein Fondsjahr mit Anträgen in jedem Status, über die echten Operationen."""
    ost = netzwerke["Stadtteilkonferenz Ost/Rothe Erde"]
    jahr = timezone.localdate().year
    fonds, _ = Stadtteilfonds.objects.get_or_create(
        netzwerk=ost, jahr=jahr, defaults={"budget": Decimal("5000")}
    )
    Stadtteilfonds.objects.get_or_create(
        netzwerk=netzwerke["Stadtteilkonferenz Preuswald"],
        jahr=jahr,
        defaults={"budget": Decimal("3000")},
    )
    for vorhaben, antragsteller, betrag, ziel, bewilligt in ANTRAEGE:
        if Antrag.objects.filter(fonds=fonds, vorhaben=vorhaben).exists():
            continue
        antrag = ablauf.einreichen(
            fonds=fonds,
            antragsteller=akteure[antragsteller],
            vorhaben=vorhaben,
            beschreibung=f"{vorhaben} für das Quartier. {DEMO}",
            beantragt=Decimal(betrag),
            durch=qm,
            eingereicht_am=timezone.localdate(sitzung.beginn) - datetime.timedelta(days=10),
        )
        if ziel == "eingereicht":
            continue
        if ziel == "zurueckgezogen":
            ablauf.zurueckziehen(antrag, grund="Vorhaben verschoben.", durch=qm)
            continue
        empfehlen = ziel != "nicht_empfohlen"
        antrag = ablauf.abstimmen(
            antrag,
            sitzung=sitzung,
            quartiersbezug=True,
            beteiligung=empfehlen,
            eigeninitiative=True,
            ja=4 if empfehlen else 1,
            nein=0 if empfehlen else 3,
            enthaltung=0,
            befangene=ablauf.befangene_vorschlagen(antrag, sitzung),
            durch=qm,
        )
        if ziel in ("empfohlen", "nicht_empfohlen"):
            continue
        if ziel == "abgelehnt":
            ablauf.entscheiden(
                antrag,
                bewilligt_betrag=None,
                begruendung="Bewirtung von Vereinsfeiern ist nicht förderfähig.",
                durch=admin,
            )
            continue
        assert bewilligt is not None  # nur abgelehnte Anträge der Liste haben keinen Betrag
        antrag = ablauf.entscheiden(
            antrag, bewilligt_betrag=Decimal(bewilligt), begruendung="", durch=admin
        )
        if ziel == "bewilligt":
            continue
        antrag = ablauf.auszahlen(antrag, am=timezone.localdate(), durch=admin)
        if ziel == "ausgezahlt":
            continue
        antrag = ablauf.nachweis_erfassen(
            antrag,
            verausgabt=Decimal(bewilligt),
            bericht="Wie geplant umgesetzt. " + DEMO,
            durch=qm,
        )
        if ziel == "abgeschlossen":
            ablauf.abschliessen(antrag, durch=admin)


@transaction.atomic
def lade() -> dict[str, int]:
    qm = User.objects.get(username="qm")
    admin = User.objects.get(username="admin")
    akteure = _akteure()
    netzwerke = _netzwerke(akteure)
    sitzung = _sitzungen(netzwerke, akteure)
    _projekte(akteure, qm)
    _fonds(netzwerke, akteure, sitzung, qm, admin)
    return {
        "Akteure": Akteur.objects.count(),
        "Netzwerke": Netzwerk.objects.count(),
        "Sitzungen": Sitzung.objects.count(),
        "Projekte": Projekt.objects.count(),
        "Anträge an den Stadtteilfonds": Antrag.objects.count(),
    }
