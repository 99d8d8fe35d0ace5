"""Deutsche Wörter für die Messdaten: Titel, Beschreibungen, Orte, Namen.

Variiert genug, damit eine Volltext- oder Trigramm-Suche nicht jede Zeile trifft: ein
häufiges Wort (`SUCHWORT`, in etwa 6 % der Anliegen) und ein seltenes (`SELTENES_WORT`, etwa
0,1 %) dienen `bench/last.py` als Suchbegriffe. Nur Standardbibliothek, damit das Modul ohne
Django lädt.
"""

import random

SUCHWORT = "Spielplatz"
SELTENES_WORT = "Trinkbrunnen"

_STRASSEN_ANFANG = [
    "Linden", "Eichen", "Birken", "Ahorn", "Kastanien", "Buchen", "Schiller", "Goethe",
    "Heine", "Lessing", "Mozart", "Beethoven", "Herder", "Uhland", "Rosen", "Tulpen",
    "Flieder", "Nelken", "Markt", "Kirch", "Schul", "Bahnhof", "Post", "Berg", "Tal",
    "Wiesen", "Garten", "Mühlen", "Brunnen", "Wald", "Feld", "Burg", "Kloster", "Weiden",
    "Sonnen", "Hafen",
]  # fmt: skip
_STRASSEN_ENDE = ["straße", "weg", "allee", "gasse", "ring", "pfad"]
STRASSEN = [a + e for a in _STRASSEN_ANFANG for e in _STRASSEN_ENDE]
PLAETZE = [
    "Marktplatz", "Kirchplatz", "Lindenplatz", "Rathausplatz", "Bahnhofsvorplatz",
    "Brunnenplatz", "Europaplatz", "Schillerplatz", "Hansemannplatz", "Kaiserplatz",
    "Stadtgarten", "Westpark", "Ostpark", "Kennedypark", "Lousberg", "Wiesental",
]  # fmt: skip

# Titel je Thema (Reihenfolge wie THEMEN); {s} Straße, {p} Platz, {w} das Suchwort.
_TITEL = [
    ["Überfüllte Mülleimer am {p}", "Sperrmüll abgestellt in der {s}",
     "Hundekot auf dem Gehweg {s}", "Wilder Müll hinter dem Container {s}",
     "Glascontainer am {p} quillt über"],
    ["Zu schnelles Fahren in der {s}", "Parkende Autos auf dem Gehweg {s}",
     "Ampelschaltung an der Kreuzung {s} zu kurz", "Schlagloch auf dem Radweg {s}",
     "Fehlender Zebrastreifen vor der Schule {s}"],
    ["Straßenlaterne in der {s} defekt", "Dunkler Fußweg am {p}",
     "Beleuchtung im Park am {p} fällt aus", "Laterne vor Hausnummer {n} flackert"],
    ["{w} am {p}: Schaukel kaputt", "Bänke am {w} {p} beschmiert",
     "Sandkasten auf dem {w} verschmutzt", "Wunsch nach einem neuen {w} im Quartier",
     "Bäume am {p} zurückschneiden"],
    ["Schimmel in der Wohnung {s}", "Aufzug im Haus {s} seit Wochen defekt",
     "Heizung im Mehrfamilienhaus {s} fällt aus", "Hausflur in der {s} unbeleuchtet"],
    ["Bitte um Beratung zum Wohngeld", "Hilfe beim Ausfüllen von Anträgen gesucht",
     "Frage zu Unterstützung für Alleinerziehende", "Sprechstunde für Schuldnerberatung gewünscht"],
    ["Treffpunkt für Jugendliche am {p} gewünscht", "Jugendtreff {s} öfter öffnen",
     "Bolzplatz am {p} ohne Tore", "Angebote für Jugendliche in den Ferien"],
    ["Mehr Sitzbänke für Seniorinnen und Senioren am {p}", "Seniorentreff in der {s} gewünscht",
     "Begleitdienst zum Einkaufen gesucht", "Nachbarschaftshilfe für ältere Menschen"],
    ["Lärm durch Baustelle in der {s}", "Nächtlicher Lärm am {p}",
     "Laute Musik aus der Gaststätte {s}", "Lieferverkehr in der {s} schon früh am Morgen"],
    ["Unsicheres Gefühl am {p} abends", "Graffiti an der Unterführung {s}",
     "Zerbrochene Scheiben an der Bushaltestelle {p}", "Beschädigte Briefkästen in der {s}"],
    ["Bordstein an der {s} nicht abgesenkt", "Aufzug am Bahnhof {p} außer Betrieb",
     "Rampe zum Bürgerhaus {s} zu steil", "Kein Blindenleitsystem an der Haltestelle {p}"],
    ["Hausaufgabenhilfe im Quartier gesucht", "Sprachkurs für Eltern in der {s}",
     "Bücherschrank am {p} gewünscht", "Lernpatenschaften für Grundschulkinder"],
    ["Nachbarschaftsfest am {p} geplant", "Raum für Chorproben gesucht",
     "Stadtteilcafé in der {s} braucht Unterstützung", "Flohmarkt auf dem {p} anmelden"],
    ["Kein Hausarzt mehr im Quartier", "{t} am {p} seit dem Sommer abgestellt",
     "Bewegungsangebote für Ältere im {p}", "Beratung zu Pflege in der {s} gesucht"],
]  # fmt: skip
THEMEN = [
    "Sauberkeit", "Verkehr", "Beleuchtung", "Grünflächen und Spielplätze", "Wohnen",
    "Soziale Beratung", "Jugend", "Seniorinnen und Senioren", "Lärm", "Sicherheit",
    "Barrierefreiheit", "Bildung", "Kultur und Begegnung", "Gesundheit",
]  # fmt: skip
FACHBEREICHE = [
    ("FB 18", "Stadtbetrieb"), ("FB 61", "Stadtentwicklung und Verkehrsanlagen"),
    ("FB 36", "Klima und Umwelt"), ("FB 56", "Wohnen, Soziales und Integration"),
    ("FB 45", "Kinder, Jugend und Schule"), ("FB 50", "Soziales und Senioren"),
    ("FB 32", "Ordnungsamt"), ("FB 23", "Immobilienmanagement"), ("FB 53", "Gesundheitsamt"),
    ("FB 41", "Kultur"), ("EXT 1", "Wohnungsgesellschaft"), ("EXT 2", "Verkehrsbetriebe"),
]  # fmt: skip
BEDARFE = [
    "Treffpunkte", "Spielflächen", "Beratung", "Barrierefreiheit", "Sauberkeit",
    "Sicherheit", "Verkehrsberuhigung", "Grün", "Wohnraum", "Bildung", "Gesundheit",
    "Nachbarschaft", "Mobilität", "Digitales", "Kultur", "Einkaufen",
]  # fmt: skip
ABLEHNUNGSGRUENDE = [
    "kein Haushaltsmittel", "rechtlich nicht zulässig", "Privatgrund", "bereits geplant",
    "technisch nicht möglich",
]  # fmt: skip

_EINSTIEG = [
    "Seit {z} Wochen", "Schon seit dem Frühjahr", "Immer wieder", "Fast jeden Abend",
    "Nach dem letzten Sturm", "Seit dem Umbau", "Am Wochenende", "Mehrere Nachbarn sagen, dass",
]  # fmt: skip
_KERN = [
    "beschweren sich Anwohnende über den Zustand in der {s}.",
    "ist die Lage am {p} für Familien mit Kindern schwierig.",
    "meldet eine Bewohnerin Probleme rund um den {p}.",
    "fällt auf, dass in der {s} niemand zuständig zu sein scheint.",
    "kommen ältere Menschen in der {s} kaum noch sicher voran.",
    "treffen sich viele Menschen am {p}, aber es fehlt an allem.",
    "ist die Grünfläche am {p} kaum noch nutzbar.",
    "liegt Müll neben dem Bolzplatz an der {s}.",
]  # fmt: skip
_DETAIL = [
    "Die Beleuchtung reicht nicht aus.", "Der Gehweg ist uneben und rutschig.",
    "Es gibt keine Sitzbank und keinen Schatten.", "Kinderwagen und Rollatoren kommen nicht durch.",
    "Die Mülleimer sind regelmäßig überfüllt.", "Autos parken auf dem Radweg.",
    "Der Bolzplatz wird abends von Jugendlichen genutzt.", "Die Hecke wuchert über den Weg.",
    "In der Wohnung zeigt sich Schimmel.", "Das Angebot im Bürgerhaus ist kaum bekannt.",
    "Ein {t} wäre im Sommer eine große Hilfe.", "Die Schaukel ist seit Wochen gesperrt.",
]  # fmt: skip
_SCHLUSS = [
    "Bitte um Prüfung.", "Die Nachbarschaft würde sich über eine schnelle Lösung freuen.",
    "Eine Rückmeldung wäre schön.", "Vielen Dank für die Unterstützung.",
    "Das Thema kam auch in der Stadtteilkonferenz zur Sprache.", "",
]  # fmt: skip

VORNAMEN = [
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas",
    "Karla", "Lukas", "Mia", "Noah", "Olga", "Paul", "Rita", "Sami", "Tina", "Umut",
    "Vera", "Willi", "Yasemin", "Zoe", "Ayşe", "Mehmet", "Fatma", "Piotr", "Olena", "Ahmad",
]  # fmt: skip
NACHNAMEN = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Krüger", "Hofmann", "Yılmaz", "Kaya", "Nowak", "Kowalski",
    "Schröder", "Lange", "Krause", "Lehmann", "Köhler", "Jansen",
]  # fmt: skip
NOTIZEN = [
    "Mit der Hausverwaltung telefoniert, Rückruf zugesagt.",
    "Vor Ort angesehen, Fotos gemacht.",
    "In der Stadtteilkonferenz angesprochen.",
    "Bürgerin hat noch einmal angerufen und nachgefragt.",
    "Fachbereich bittet um Geduld, Prüfung läuft.",
    "Nachbarschaftsinitiative möchte sich beteiligen.",
]  # fmt: skip
ANTWORTEN = [
    "Wir haben den Schaden aufgenommen und beauftragen die Reparatur.",
    "Die Stelle wurde gereinigt; wir kontrollieren künftig häufiger.",
    "Eine Umsetzung ist im kommenden Haushaltsjahr vorgesehen.",
    "Leider ist das an dieser Stelle nicht möglich; Begründung siehe Grund.",
    "Der Hinweis ist an die zuständige Kolonne weitergegeben.",
]  # fmt: skip


_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ş": "s", "ı": "i"})


class Texte:
    """Erzeugt Titel, Beschreibung und Ort eines Anliegens mit einem eigenen Zufall."""

    def __init__(self, zufall: random.Random) -> None:
        self.zufall = zufall

    def _werte(self) -> dict[str, str]:
        z = self.zufall
        return {
            "s": z.choice(STRASSEN),
            "p": z.choice(PLAETZE),
            "n": str(z.randrange(1, 120)),
            "z": str(z.randrange(2, 12)),
            "w": SUCHWORT,
            "t": SELTENES_WORT if z.random() < 0.01 else "Wasserspender",
        }

    def anliegen(self, thema_index: int) -> tuple[str, str, str]:
        """Titel, Beschreibung und Ort; das Thema bestimmt die Auswahl der Titel."""
        z = self.zufall
        w = self._werte()
        titel = z.choice(_TITEL[thema_index % len(_TITEL)]).format(**w)
        saetze = [f"{z.choice(_EINSTIEG).format(**w)} {z.choice(_KERN).format(**w)}"]
        saetze += [z.choice(_DETAIL).format(**w) for _ in range(z.randrange(1, 4))]
        saetze.append(z.choice(_SCHLUSS))
        beschreibung = " ".join(s for s in saetze if s)
        ort = f"{w['s']} {w['n']}" if z.random() < 0.8 else w["p"]
        return titel, beschreibung, ort

    def person(self, nummer: int) -> tuple[str, str, str, str]:
        """Name, E-Mail, Telefon, Anschrift einer erfundenen Person."""
        z = self.zufall
        vor, nach = z.choice(VORNAMEN), z.choice(NACHNAMEN)
        adresse = f"{vor}.{nach}".lower().translate(_ASCII)
        email = f"{adresse}.{nummer}@example.org" if z.random() < 0.7 else ""
        telefon = f"0241 {z.randrange(100000, 999999)}" if z.random() < 0.8 else ""
        anschrift = f"{z.choice(STRASSEN)} {z.randrange(1, 120)}, 52062 Aachen"
        return f"{vor} {nach}", email, telefon, anschrift
