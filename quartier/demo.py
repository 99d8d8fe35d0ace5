"""Demodaten für Aachen, nach dem Konzept „Quartiersmanagement“ (Vorlage FB 56/0111/WP17, 2017).

Belegt aus dem Konzept: Bezirke, die Stellen mit Art, Stellenanteil, Laufzeit und Träger,
die Stadtteilbüros (Nadelfabrik; Bürogemeinschaften mit SKM und Diakonie), die
Einstufung von Kronenberg (besondere Herausforderungen) und Kullen (an der Schwelle,
30 % ausländische Haushalte) und deren gemeinsame Einwohnerzahl 8.852.
Alles andere (Adressen, Sprechzeiten, weitere Einwohnerzahlen, Kennzahlen, Aufteilung
der 2,5 Stellen) ist erfunden und als „Demodaten“ gekennzeichnet.

Idempotent: jeder Datensatz wird über einen natürlichen Schlüssel angelegt oder
aktualisiert; ein zweiter Lauf ändert nichts.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from .models import (
    Bezirk,
    Fachbereich,
    Kategorie,
    Kennzahl,
    KennzahlArt,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Rolle,
    Sozialraum,
    Sprechzeit,
    Stadtteilbuero,
    Stellenart,
    Stellenstatus,
    User,
)

DEMO = "Demodaten (erfunden)."
D = datetime.date

BEZIRKE = [
    # name, slug, einwohner, bezirksamt
    ("Aachen-Mitte", "mitte", 160000, ""),
    ("Brand", "brand", 17000, "Bezirksamt Brand"),
    ("Eilendorf", "eilendorf", 16500, "Bezirksamt Eilendorf"),
    ("Haaren", "haaren", 12000, "Bezirksamt Haaren"),
    (
        "Kornelimünster/Walheim",
        "kornelimuenster-walheim",
        15000,
        "Bezirksamt Kornelimünster/Walheim",
    ),
    ("Laurensberg", "laurensberg", 21000, "Bezirksamt Laurensberg"),
    ("Richterich", "richterich", 8500, "Bezirksamt Richterich"),
]

SOZIALRAEUME = [
    # nummer, name, bezirk-slug
    (1, "Innenstadt", "mitte"),
    (2, "Aachen-Nord", "mitte"),
    (3, "Ost/Rothe Erde", "mitte"),
    (4, "Forst", "mitte"),
    (5, "Burtscheid", "mitte"),
    (6, "Westpark/Hörn", "mitte"),
    (7, "Preuswald/Steinebrück", "mitte"),
    (8, "Vaalserquartier/Kronenberg", "mitte"),
    (9, "Brand", "brand"),
    (10, "Eilendorf", "eilendorf"),
    (11, "Haaren/Verlautenheide", "haaren"),
    (12, "Kornelimünster/Walheim", "kornelimuenster-walheim"),
    (13, "Laurensberg", "laurensberg"),
    (14, "Richterich", "richterich"),
]

B, S, ST = (
    Kategorie.BESONDERE_HERAUSFORDERUNGEN,
    Kategorie.AN_DER_SCHWELLE,
    Kategorie.STABIL,
)

LEBENSRAEUME = [
    # nummer, name, sozialraum, einwohner, kategorie
    ("101", "Altstadt", 1, 7400, ST),
    ("102", "Theaterviertel", 1, 6100, ST),
    ("201", "Jülicher Straße", 2, 8200, B),
    ("202", "Kaiserplatz/Adalbertsteinweg", 2, 8800, B),
    ("301", "Rothe Erde", 3, 6900, B),
    ("302", "Ostviertel", 3, 7600, B),
    ("401", "Forst", 4, 8100, B),
    ("402", "Driescher Hof", 4, 4300, B),
    ("501", "Burtscheid-Kurgarten", 5, 6700, ST),
    ("502", "Burtscheid-Steinebrück", 5, 5200, S),
    ("601", "Westparkviertel", 6, 7300, S),
    ("602", "Hörn", 6, 5800, ST),
    ("701", "Preuswald", 7, 2600, B),
    ("801", "Vaalserquartier", 8, 6200, ST),
    ("802", "Kronenberg", 8, 4100, B),
    ("901", "Brand-Mitte", 9, 8600, ST),
    ("1001", "Eilendorf-Süd", 10, 7900, S),
    ("1002", "Eilendorf-Nord", 10, 6400, ST),
    ("1101", "Haaren", 11, 7000, ST),
    ("1201", "Kornelimünster", 12, 5100, ST),
    ("1301", "Kullen", 13, 4752, S),
    ("1302", "Steppenberg", 13, 3900, ST),
    ("1401", "Richterich", 14, 8400, S),
]
# Kronenberg (4.100) + Kullen (4.752) = 8.852, wie im Konzept.

QUARTIERE = [
    # name, slug, bezirk, lebensräume
    ("Ost/Rothe Erde", "ost-rothe-erde", "mitte", ["301", "302"]),
    ("Forst/Driescher Hof", "forst-driescher-hof", "mitte", ["401", "402"]),
    ("Preuswald", "preuswald", "mitte", ["701"]),
    ("Aachen-Nord", "aachen-nord", "mitte", ["201", "202"]),
    ("Richterich", "richterich", "richterich", ["1401"]),
    ("Eilendorf", "eilendorf", "eilendorf", ["1001", "1002"]),
    ("Kronenberg", "kronenberg", "mitte", ["802"]),
    ("Kullen", "kullen", "laurensberg", ["1301"]),
    ("Westparkviertel", "westparkviertel", "mitte", ["601"]),
    ("Burtscheid", "burtscheid", "mitte", ["501", "502"]),
]

FACHBEREICHE = [
    # kürzel, name, email, frist (Arbeitstage), extern; Adressen unter .example (RFC 2606):
    # Demodaten dürfen nie echte Postfächer der Stadt anschreiben.
    ("FB 56", "Wohnen, Soziales und Integration", "fb56@aachen.example", 10, False),
    ("FB 45", "Kinder, Jugend und Schule", "fb45@aachen.example", 10, False),
    ("FB 02", "Wirtschaft, Wissenschaft und Europa", "fb02@aachen.example", 15, False),
    ("FB 11", "Personal und Organisation", "fb11@aachen.example", 15, False),
    ("FB 61", "Stadtentwicklung und Verkehrsanlagen", "fb61@aachen.example", 15, False),
    ("FB 52", "Sport", "fb52@aachen.example", 10, False),
    ("E 18", "Aachener Stadtbetrieb", "stadtbetrieb@aachen.example", 10, False),
]

BUEROS = [
    {
        "name": "Stadtteilbüro Ost/Rothe Erde",
        "strasse": "Reichsweg 30 (Nadelfabrik)",
        "plz": "52068",
        "telefon": "0241 432-0000",
        "email": "quartier-ost@aachen.example",
        "raeume": "Büro im Kulturzentrum Nadelfabrik. " + DEMO,
        "barrierefrei": True,
        "hinweise": "Laut Konzept wenig sichtbar; eine Bürogemeinschaft an einem belebteren "
        "Ort ist angedacht.",
        "quartiere": ["ost-rothe-erde"],
        "sprechzeiten": [(1, "10:00", "12:00", "offene Sprechstunde"), (3, "14:00", "16:00", "")],
    },
    {
        "name": "Stadtteilbüro Forst/Driescher Hof",
        "strasse": "Schönforststraße 1",
        "plz": "52068",
        "telefon": "0241 432-0001",
        "email": "quartier-forst@aachen.example",
        "raeume": "Büro, Beratungsraum; der SKM nutzt das Büro für Sprechstunden des "
        "Allgemeinen Sozialen Dienstes. " + DEMO,
        "barrierefrei": False,
        "hinweise": "Bürogemeinschaft mit dem SKM.",
        "quartiere": ["forst-driescher-hof"],
        "sprechzeiten": [(0, "09:00", "12:00", ""), (2, "14:00", "17:00", "")],
    },
    {
        "name": "Stadtteilbüro Preuswald",
        "strasse": "Reimser Straße 1",
        "plz": "52074",
        "telefon": "0241 432-0002",
        "email": "quartier-preuswald@aachen.example",
        "raeume": "Büro und größerer Nebenraum für Beratung und Gruppenangebote. " + DEMO,
        "barrierefrei": True,
        "hinweise": "Bürogemeinschaft: die Diakonie berät hier, weitere Akteure bieten im "
        "Nebenraum Angebote an.",
        "quartiere": ["preuswald"],
        "sprechzeiten": [(1, "14:00", "17:00", ""), (3, "09:30", "12:00", "Frühstückstreff")],
    },
    {
        "name": "Stadtteilbüro Aachen-Nord",
        "strasse": "Jülicher Straße 1",
        "plz": "52070",
        "telefon": "0241 432-0003",
        "email": "soziale-stadt-nord@aachen.example",
        "raeume": "Ladenlokal mit Besprechungsraum. " + DEMO,
        "barrierefrei": True,
        "hinweise": "Stadtteilbüro des Projekts Soziale Stadt Aachen-Nord.",
        "quartiere": ["aachen-nord"],
        "sprechzeiten": [(0, "10:00", "13:00", ""), (3, "15:00", "18:00", "")],
    },
]

STELLEN = [
    # bezeichnung, art, status, quartiere, träger, programm, vzä, beginn, ende, büro, bemerkung
    (
        "Quartiersmanagement Ost/Rothe Erde",
        Stellenart.ALLGEMEIN,
        Stellenstatus.BEWILLIGT,
        ["ost-rothe-erde"],
        "Stadt Aachen, FB 56",
        "kommunal",
        "1.0",
        D(2012, 1, 1),
        None,
        "Stadtteilbüro Ost/Rothe Erde",
        "Die 2,5 Stellen des FB 56 sind laut Konzept auf drei Quartiere verteilt; die "
        "Aufteilung 1,0/1,0/0,5 und das Beginndatum sind Demodaten.",
    ),
    (
        "Quartiersmanagement Forst/Driescher Hof",
        Stellenart.ALLGEMEIN,
        Stellenstatus.BEWILLIGT,
        ["forst-driescher-hof"],
        "Stadt Aachen, FB 56",
        "kommunal",
        "1.0",
        D(2012, 1, 1),
        None,
        "Stadtteilbüro Forst/Driescher Hof",
        "Aufteilung und Beginndatum: " + DEMO,
    ),
    (
        "Quartiersmanagement Preuswald",
        Stellenart.ALLGEMEIN,
        Stellenstatus.BEWILLIGT,
        ["preuswald"],
        "Stadt Aachen, FB 56",
        "kommunal",
        "0.5",
        D(2015, 1, 1),
        None,
        "Stadtteilbüro Preuswald",
        "Aufteilung und Beginndatum: " + DEMO,
    ),
    (
        "Soziale Stadt Aachen-Nord",
        Stellenart.SOZIALE_STADT,
        Stellenstatus.BEWILLIGT,
        ["aachen-nord"],
        "Stadt Aachen",
        "Soziale Stadt (Bund/Land NRW)",
        "2.5",
        D(2009, 1, 1),
        D(2019, 12, 31),
        "Stadtteilbüro Aachen-Nord",
        "Projektgebundenes Quartiersmanagement; Beginndatum: " + DEMO,
    ),
    (
        "Soziale Stadt Aachen-Nord (Verlängerung)",
        Stellenart.SOZIALE_STADT,
        Stellenstatus.BEANTRAGT,
        ["aachen-nord"],
        "Stadt Aachen",
        "Soziale Stadt (Bund/Land NRW)",
        "2.5",
        D(2020, 1, 1),
        D(2021, 12, 31),
        "Stadtteilbüro Aachen-Nord",
        "Verlängerung des Durchführungszeitraums bis 2021 beantragt.",
    ),
    (
        "QFI Aachen-Nord",
        Stellenart.QFI,
        Stellenstatus.BEWILLIGT,
        ["aachen-nord"],
        "Stadt Aachen, FB 56",
        "Landessonderprogramm Flüchtlingsintegration",
        "0.5",
        D(2016, 7, 1),
        D(2018, 12, 31),
        None,
        "Beginndatum: " + DEMO,
    ),
    (
        "QFI Richterich",
        Stellenart.QFI,
        Stellenstatus.BEWILLIGT,
        ["richterich"],
        "Stadt Aachen, FB 56",
        "Landessonderprogramm Flüchtlingsintegration",
        "1.0",
        D(2016, 7, 1),
        D(2018, 12, 31),
        None,
        "Beginndatum: " + DEMO,
    ),
    (
        "QFI Eilendorf",
        Stellenart.QFI,
        Stellenstatus.BEWILLIGT,
        ["eilendorf"],
        "Stadt Aachen, FB 56",
        "Landessonderprogramm Flüchtlingsintegration",
        "1.0",
        D(2016, 7, 1),
        D(2018, 12, 31),
        None,
        "Beginndatum: " + DEMO,
    ),
    (
        "QFI Kronenberg",
        Stellenart.QFI,
        Stellenstatus.BEWILLIGT,
        ["kronenberg"],
        "Stadt Aachen, FB 56",
        "Landessonderprogramm Flüchtlingsintegration",
        "1.0",
        D(2016, 7, 1),
        D(2018, 12, 31),
        None,
        "Beginndatum: " + DEMO,
    ),
    (
        "Altengerechtes Quartier Westparkviertel",
        Stellenart.ALTENGERECHT,
        Stellenstatus.BEWILLIGT,
        ["westparkviertel"],
        "Caritas Dienste mit Altenheim St. Elisabeth",
        "Landesprogramm Altengerechte Quartiere",
        "0.5",
        D(2017, 7, 1),
        D(2020, 6, 30),
        None,
        "Drei Jahre ab Juli 2017; Stellenanteil: " + DEMO,
    ),
    (
        "Altengerechtes Quartier Burtscheid",
        Stellenart.ALTENGERECHT,
        Stellenstatus.BEANTRAGT,
        ["burtscheid"],
        "AWO",
        "Landesprogramm Altengerechte Quartiere",
        "0.5",
        D(2018, 7, 1),
        D(2021, 6, 30),
        None,
        "Beantragt; Laufzeit und Stellenanteil: " + DEMO,
    ),
    (
        "Quartiersmanagement Kronenberg/Kullen",
        Stellenart.ALLGEMEIN,
        Stellenstatus.VORGESCHLAGEN,
        ["kronenberg", "kullen"],
        "Stadt Aachen, FB 56",
        "kommunal",
        "1.0",
        D(2019, 1, 1),
        None,
        None,
        "Vorschlag des Konzepts: eine Stelle für beide Räume (8.852 Einwohner:innen) ab 2019.",
    ),
]

BENUTZER = [
    # username, vorname, nachname, rolle, fachbereich, stelle, superuser
    (
        "qm",
        "Lena",
        "Hoffmann",
        Rolle.QUARTIERSMANAGEMENT,
        None,
        "Quartiersmanagement Ost/Rothe Erde",
        False,
    ),
    (
        "qm2",
        "Murat",
        "Yılmaz",
        Rolle.QUARTIERSMANAGEMENT,
        None,
        "Quartiersmanagement Preuswald",
        False,
    ),
    ("fachbereich", "Jan", "Peters", Rolle.FACHBEREICH, "E 18", None, False),
    ("planung", "Sabine", "Krüger", Rolle.SOZIALPLANUNG, None, None, False),
    ("admin", "Admin", "Istrator", Rolle.ADMINISTRATION, None, None, True),
    # Weitere Demokonten für die Anliegen der Demodaten (erfunden, „(Demo)“ im Namen): das
    # Quartiersmanagement Forst/Driescher Hof und je ein Konto der Fachbereiche, an die die
    # Beispiele des Konzepts gehen (Schlaglöcher, Bushaltestellen: FB 61; Jugend: FB 45;
    # Soziales: FB 56), damit auch deren Antworten durch den echten Kreislauf entstehen.
    (
        "qm.forst",
        "Miriam",
        "Sander (Demo)",
        Rolle.QUARTIERSMANAGEMENT,
        None,
        "Quartiersmanagement Forst/Driescher Hof",
        False,
    ),
    ("fb.verkehr", "Tim", "Roth (Demo)", Rolle.FACHBEREICH, "FB 61", None, False),
    ("fb.jugend", "Sevgi", "Aydın (Demo)", Rolle.FACHBEREICH, "FB 45", None, False),
    ("fb.soziales", "Paul", "Lorenz (Demo)", Rolle.FACHBEREICH, "FB 56", None, False),
]

# Erfundene Kennzahlen je Lebensraum (2016): SGB-II, Kinderarmut, Altersarmut,
# ausländische Haushalte, Ein-Personen-Haushalte 60+.
_KENNZAHLEN_JE_KATEGORIE = {
    B: ("24,5", "38,0", "9,5", "24,0", "21,0"),
    S: ("14,0", "22,0", "6,0", "18,0", "17,0"),
    ST: ("6,5", "9,0", "3,0", "9,0", "14,0"),
}
_KENNZAHL_ARTEN = (
    KennzahlArt.SGB2_QUOTE,
    KennzahlArt.KINDERARMUT,
    KennzahlArt.ALTERSARMUT,
    KennzahlArt.AUSLAENDISCHE_HAUSHALTE,
    KennzahlArt.EINPERSONEN_60PLUS,
)
_BESONDERE_WERTE = {
    # Kullen: 30 % ausländische Haushalte laut Konzept.
    ("1301", KennzahlArt.AUSLAENDISCHE_HAUSHALTE): "30,0",
    # Kronenberg: überdurchschnittliche Alters- und Kinderarmut, viele Ein-Personen-Haushalte 60+.
    ("802", KennzahlArt.ALTERSARMUT): "12,5",
    ("802", KennzahlArt.EINPERSONEN_60PLUS): "27,0",
}


def _dezimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _zeit(text: str) -> datetime.time:
    stunde, minute = text.split(":")
    return datetime.time(int(stunde), int(minute))


@transaction.atomic
def lade(*, passwort: str = "demo") -> dict[str, int]:
    """Lädt die Aachener Demodaten; gibt die Anzahl je Art zurück."""
    bezirke = {}
    for name, slug, einwohner, amt in BEZIRKE:
        bezirke[slug], _ = Bezirk.objects.update_or_create(
            slug=slug, defaults={"name": name, "einwohner": einwohner, "bezirksamt": amt}
        )
    sozialraeume = {}
    for sr_nummer, name, bezirk in SOZIALRAEUME:
        sozialraeume[sr_nummer], _ = Sozialraum.objects.update_or_create(
            nummer=sr_nummer, defaults={"name": name, "bezirk": bezirke[bezirk]}
        )
    lebensraeume = {}
    for nummer, name, sozialraum, einwohner, kategorie in LEBENSRAEUME:
        belegt = name in ("Kronenberg", "Kullen")
        lebensraeume[nummer], _ = Lebensraum.objects.update_or_create(
            nummer=nummer,
            defaults={
                "name": name,
                "sozialraum": sozialraeume[sozialraum],
                "einwohner": einwohner,
                "kategorie": kategorie,
                "beschreibung": (
                    "Kategorie laut Konzept; Einwohnerzahl: " + DEMO if belegt else DEMO
                ),
            },
        )
        werte = _KENNZAHLEN_JE_KATEGORIE[kategorie]
        for art, wert in zip(_KENNZAHL_ARTEN, werte, strict=True):
            wert = _BESONDERE_WERTE.get((nummer, art), wert)
            Kennzahl.objects.update_or_create(
                lebensraum=lebensraeume[nummer],
                jahr=2016,
                art=art,
                defaults={"wert": _dezimal(wert), "quelle": DEMO},
            )
    quartiere = {}
    for name, slug, bezirk, lr in QUARTIERE:
        quartiere[slug], _ = Quartier.objects.update_or_create(
            slug=slug, defaults={"name": name, "bezirk": bezirke[bezirk]}
        )
        quartiere[slug].lebensraeume.set([lebensraeume[n] for n in lr])

    fachbereiche = {}
    for kuerzel, name, email, frist, extern in FACHBEREICHE:
        fachbereiche[kuerzel], _ = Fachbereich.objects.update_or_create(
            kuerzel=kuerzel,
            defaults={
                "name": name,
                "email": email,
                "antwortfrist_tage": frist,
                "extern": extern,
                "aktiv": True,
            },
        )

    bueros = {}
    for eintrag in BUEROS:
        daten: dict[str, Any] = dict(eintrag)
        qs, zeiten = daten.pop("quartiere"), daten.pop("sprechzeiten")
        name = daten.pop("name")
        buero, _ = Stadtteilbuero.objects.update_or_create(name=name, defaults=daten)
        buero.quartiere.set([quartiere[s] for s in qs])
        gewuenscht = {(tag, _zeit(von), _zeit(bis), hinweis) for tag, von, bis, hinweis in zeiten}
        vorhanden = {
            (z.wochentag, z.beginn, z.ende, z.hinweis): z for z in buero.sprechzeiten.all()
        }
        for schluessel, zeit in vorhanden.items():
            if schluessel not in gewuenscht:
                zeit.delete()
        for tag, von, bis, hinweis in gewuenscht - vorhanden.keys():
            Sprechzeit.objects.create(
                buero=buero, wochentag=tag, beginn=von, ende=bis, hinweis=hinweis
            )
        bueros[name] = buero

    stellen = {}
    for (
        bez,
        stellenart,
        status,
        qs,
        traeger,
        programm,
        vzae,
        beginn,
        ende,
        buero_name,
        bem,
    ) in STELLEN:
        stelle, _ = Quartiersmanagement.objects.update_or_create(
            bezeichnung=bez,
            defaults={
                "art": stellenart,
                "status": status,
                "traeger": traeger,
                "foerderprogramm": programm,
                "stellenanteil": Decimal(vzae),
                "beginn": beginn,
                "ende": ende,
                "buero": bueros.get(buero_name) if buero_name else None,
                "bemerkung": bem,
            },
        )
        stelle.quartiere.set([quartiere[s] for s in qs])
        stellen[bez] = stelle

    for username, vorname, nachname, rolle, fb, stelle_bez, superuser in BENUTZER:
        user, angelegt = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": vorname,
                "last_name": nachname,
                "email": f"{username}@demo.invalid",
                "rolle": rolle,
                "fachbereich": fachbereiche[fb] if fb else None,
                "is_staff": superuser,
                "is_superuser": superuser,
                "is_active": True,
            },
        )
        if angelegt or not user.check_password(passwort):
            user.set_password(passwort)
            user.save(update_fields=["password"])
        if stelle_bez:
            stellen[stelle_bez].mitarbeitende.add(user)

    return {
        "Bezirke": len(bezirke),
        "Sozialräume": len(sozialraeume),
        "Lebensräume": len(lebensraeume),
        "Quartiere": len(quartiere),
        "Fachbereiche": len(fachbereiche),
        "Stadtteilbüros": len(bueros),
        "Stellen": len(stellen),
        "Benutzer:innen": len(BENUTZER),
    }
