"""Demodaten des Lotsen-Kreislaufs: die Routing-Tabelle (Thema → Fachbereich), Bedarfe und
Ablehnungsgründe. Die Themen folgen den Beispielen des Konzepts (Spielplatzzustand, „wilder“
Müll, Schlaglöcher); die Zuordnung zu Fachbereichen ist Demodaten. Idempotent."""

from django.db import transaction

from quartier.models import Fachbereich

from .models import Ablehnungsgrund, Bedarf, Thema

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
    }
