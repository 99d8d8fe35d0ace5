"""Personas und eine kleine Stadt für alle Tests.

Personas: `qm` (Quartier Nord), `qm2` (Quartier Süd), `fb` (Fachbereich Stadtbetrieb),
`planung` (Sozialplanung), `admin` (Administration) und `ohne_rolle` (aktiv, keine Rolle
zugelassen: Altlast oder Fehlkonfiguration).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from quartier.models import Kategorie, Rolle

from .factories import (
    FachbereichFactory,
    LebensraumFactory,
    QuartierFactory,
    SprechzeitFactory,
    StadtteilbueroFactory,
    StelleFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _schnelle_passwoerter(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _leerer_cache():
    """Jeder Test beginnt mit leerem Cache: Zähler der Anfragebegrenzung (Fehlversuche je IP am
    Antwortlink) aus einem früheren Test im selben Prozess gäben sonst 429, je nachdem, welche
    Tests xdist zufällig vorher auf denselben Worker legt."""
    cache.clear()


class Stadt:
    """Die Testwelt: zwei Quartiere mit je einer Stelle, ein Fachbereich."""

    def __init__(self) -> None:
        self.fachbereich = FachbereichFactory(kuerzel="E 18", name="Stadtbetrieb")
        self.lr_nord = LebensraumFactory(
            nummer="101",
            name="Nordviertel",
            einwohner=6000,
            kategorie=Kategorie.BESONDERE_HERAUSFORDERUNGEN,
        )
        self.lr_sued = LebensraumFactory(
            nummer="201", name="Südviertel", einwohner=4000, kategorie=Kategorie.AN_DER_SCHWELLE
        )
        self.lr_ohne = LebensraumFactory(
            nummer="301",
            name="Bergviertel",
            einwohner=3000,
            kategorie=Kategorie.BESONDERE_HERAUSFORDERUNGEN,
        )
        self.nord = QuartierFactory(name="Quartier Nord", slug="nord", lebensraeume=[self.lr_nord])
        self.sued = QuartierFactory(name="Quartier Süd", slug="sued", lebensraeume=[self.lr_sued])
        self.berg = QuartierFactory(name="Quartier Berg", slug="berg", lebensraeume=[self.lr_ohne])
        self.buero = StadtteilbueroFactory(name="Büro Nord")
        self.buero.quartiere.set([self.nord])
        SprechzeitFactory(buero=self.buero, wochentag=1, hinweis="offene Sprechstunde")

        self.qm = UserFactory(username="qm", first_name="Lena", rolle=Rolle.QUARTIERSMANAGEMENT)
        self.qm2 = UserFactory(username="qm2", first_name="Murat", rolle=Rolle.QUARTIERSMANAGEMENT)
        self.fb = UserFactory(
            username="fachbereich", rolle=Rolle.FACHBEREICH, fachbereich=self.fachbereich
        )
        self.planung = UserFactory(username="planung", rolle=Rolle.SOZIALPLANUNG)
        self.admin = UserFactory(
            username="admin", rolle=Rolle.ADMINISTRATION, is_staff=True, is_superuser=True
        )
        self.stelle_nord = StelleFactory(
            bezeichnung="QM Nord",
            quartiere=[self.nord],
            mitarbeitende=[self.qm],
            buero=self.buero,
            stellenanteil=Decimal("1.0"),
        )
        self.stelle_sued = StelleFactory(
            bezeichnung="QM Süd",
            quartiere=[self.sued],
            mitarbeitende=[self.qm2],
            stellenanteil=Decimal("0.5"),
            ende=timezone.localdate() + datetime.timedelta(days=90),
        )
        # Beendete Stelle im Berg: zählt heute nicht.
        self.stelle_berg = StelleFactory(
            bezeichnung="QFI Berg",
            quartiere=[self.berg],
            beginn=datetime.date(2016, 7, 1),
            ende=datetime.date(2018, 12, 31),
        )

    def persona(self, name: str):
        return getattr(self, name)


@pytest.fixture
def stadt(db) -> Stadt:
    return Stadt()


PERSONAS = ["qm", "qm2", "fb", "planung", "admin"]


@pytest.fixture
def client_fuer(stadt):
    """`client_fuer("qm")` gibt einen angemeldeten Client der Persona zurück."""

    def _client(name: str | None) -> Client:
        client = Client()
        if name:
            client.force_login(stadt.persona(name))
        return client

    return _client


class Netz:
    """Zivilgesellschaft der Teststadt: Akteure, zwei Stadtteilkonferenzen, ein Fonds.

    Nord (Quartier von `qm`): Caritas (Träger) → Familienzentrum Nord, Jugendtreff Nord;
    Stadtteilkonferenz Nord mit allen dreien (Familienzentrum im Sprecherteam), darunter der
    Arbeitskreis Jugend; eine vergangene Sitzung mit allen dreien anwesend; Fonds 2026 mit
    5.000 € und einem eingereichten Antrag des Familienzentrums über 1.500 €.
    Süd (Quartier von `qm2`): Verein Süd in der Stadtteilkonferenz Süd.
    Die Ansprechperson trägt Kanarienwerte, damit Tests Lecks finden.
    """

    KANARIE_NAME = "Kanarie Kontaktperson"
    KANARIE_EMAIL = "kanarie-7f3a@example.invalid"
    KANARIE_TELEFON = "0241 0000 7f3a"

    def __init__(self, stadt: Stadt) -> None:
        from netzwerke.models import (
            Akteur,
            Ansprechperson,
            Antrag,
            Mitgliedschaft,
            Netzwerk,
            Sitzung,
            Stadtteilfonds,
            Tagesordnungspunkt,
            Zielgruppe,
        )

        self.familien = Zielgruppe.objects.create(name="Familien")
        self.jugend = Zielgruppe.objects.create(name="Jugendliche")
        self.caritas = Akteur.objects.create(name="Caritas Test", art="wohlfahrtsverband")
        self.familienzentrum = Akteur.objects.create(
            name="Familienzentrum Nord",
            art="familienzentrum",
            traeger=self.caritas,
            angebote="Elterncafé, Beratung",
            email="fz-nord@example.invalid",
        )
        self.familienzentrum.quartiere.set([stadt.nord])
        self.familienzentrum.zielgruppen.set([self.familien])
        self.jugendtreff = Akteur.objects.create(
            name="Jugendtreff Nord", art="jugendarbeit", angebote="Offene Tür, Fahrradwerkstatt"
        )
        self.jugendtreff.quartiere.set([stadt.nord])
        self.jugendtreff.zielgruppen.set([self.jugend])
        self.verein_sued = Akteur.objects.create(name="Bürgerverein Süd", art="verein")
        self.verein_sued.quartiere.set([stadt.sued])
        self.ansprechperson = Ansprechperson.objects.create(
            akteur=self.familienzentrum,
            name=self.KANARIE_NAME,
            funktion="Leitung",
            email=self.KANARIE_EMAIL,
            telefon=self.KANARIE_TELEFON,
        )

        seit = datetime.date(2020, 1, 1)
        self.konferenz_nord = Netzwerk.objects.create(
            name="Stadtteilkonferenz Nord", art="stadtteilkonferenz"
        )
        self.konferenz_nord.quartiere.set([stadt.nord])
        for akteur, rolle in [
            (self.familienzentrum, "sprecherteam"),
            (self.jugendtreff, "mitglied"),
            (self.caritas, "mitglied"),
        ]:
            Mitgliedschaft.objects.create(
                netzwerk=self.konferenz_nord, akteur=akteur, rolle=rolle, seit=seit
            )
        self.ak_jugend = Netzwerk.objects.create(
            name="AK Jugend Nord", art="arbeitskreis", uebergeordnet=self.konferenz_nord
        )
        self.ak_jugend.quartiere.set([stadt.nord])
        self.konferenz_sued = Netzwerk.objects.create(
            name="Stadtteilkonferenz Süd", art="stadtteilkonferenz"
        )
        self.konferenz_sued.quartiere.set([stadt.sued])
        Mitgliedschaft.objects.create(
            netzwerk=self.konferenz_sued, akteur=self.verein_sued, seit=seit
        )

        self.sitzung_nord = Sitzung.objects.create(
            netzwerk=self.konferenz_nord,
            beginn=timezone.now() - datetime.timedelta(days=7),
            ort="Büro Nord",
            protokoll="Begrüßung, Bericht aus dem Quartier.",
        )
        self.sitzung_nord.teilnehmende.set([self.familienzentrum, self.jugendtreff, self.caritas])
        Tagesordnungspunkt.objects.create(sitzung=self.sitzung_nord, nummer=1, titel="Berichte")
        self.sitzung_sued = Sitzung.objects.create(
            netzwerk=self.konferenz_sued,
            beginn=timezone.now() + datetime.timedelta(days=14),
            ort="Gemeindesaal Süd",
        )

        self.fonds_nord = Stadtteilfonds.objects.create(
            netzwerk=self.konferenz_nord, jahr=2026, budget=Decimal("5000")
        )
        self.fonds_sued = Stadtteilfonds.objects.create(
            netzwerk=self.konferenz_sued, jahr=2026, budget=Decimal("3000")
        )
        self.antrag_nord = Antrag.objects.create(
            fonds=self.fonds_nord,
            antragsteller=self.familienzentrum,
            vorhaben="Sommerfest im Park",
            beschreibung="Fest für alle Nachbar:innen",
            beantragt=Decimal("1500"),
            eingereicht_am=timezone.localdate() - datetime.timedelta(days=30),
        )
        self.antrag_sued = Antrag.objects.create(
            fonds=self.fonds_sued,
            antragsteller=self.verein_sued,
            vorhaben="Bänke für den Platz",
            beschreibung="Zwei Bänke",
            beantragt=Decimal("800"),
        )


@pytest.fixture
def netz(stadt) -> Netz:
    return Netz(stadt)


@pytest.fixture
def db_worker(monkeypatch):
    """Führt alle wartenden Aufgaben aus wie `manage.py db_worker` (echter DatabaseBackend aus
    den Einstellungen, `--batch`). Der Worker ruft zwischen den Aufgaben `close_old_connections`
    auf; im Test läuft alles in einer Transaktion, die das auf PostgreSQL schlösse – daher hier
    ohne. Seine Signal-Handler werden danach zurückgesetzt."""
    import signal

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker as befehl

    monkeypatch.setattr(befehl, "close_old_connections", lambda: None)
    signale = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def laufen() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    yield laufen
    for s, handler in signale.items():
        signal.signal(s, handler)
