"""Personas und eine kleine Stadt für alle Tests.

Personas: `qm` (Quartier Nord), `qm2` (Quartier Süd), `fb` (Fachbereich Stadtbetrieb),
`planung` (Sozialplanung), `admin` (Administration) und `ohne_rolle` (aktiv, keine Rolle
zugelassen: Altlast oder Fehlkonfiguration).
"""

import datetime
from decimal import Decimal

import pytest
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
