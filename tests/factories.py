"""Fabriken für Testdaten (factory-boy)."""

import datetime
from decimal import Decimal

import factory

from quartier.models import (
    Bezirk,
    Fachbereich,
    Kategorie,
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


class FachbereichFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fachbereich

    # eigener Kreis, damit Kürzel nie mit festen Testkürzeln („FB 36“, „E 18“) kollidieren
    kuerzel = factory.Sequence(lambda n: f"TF {n:03d}")
    name = factory.Sequence(lambda n: f"Fachbereich {n}")
    email = factory.Sequence(lambda n: f"fb{n}@example.invalid")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Vorname"
    last_name = factory.Sequence(lambda n: f"Nachname{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    rolle = Rolle.QUARTIERSMANAGEMENT
    password = factory.django.Password("geheim-passwort-123")


class BezirkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bezirk

    name = factory.Sequence(lambda n: f"Bezirk {n}")
    slug = factory.Sequence(lambda n: f"bezirk-{n}")


class SozialraumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sozialraum

    nummer = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Sozialraum {n}")
    bezirk = factory.SubFactory(BezirkFactory)


class LebensraumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lebensraum

    nummer = factory.Sequence(lambda n: f"F{n:05d}")  # nie gleich den festen Nummern der Stadt
    name = factory.Sequence(lambda n: f"Lebensraum {n}")
    sozialraum = factory.SubFactory(SozialraumFactory)
    einwohner = 5000
    kategorie = Kategorie.STABIL


class QuartierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quartier
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")
    bezirk = factory.SubFactory(BezirkFactory)

    @factory.post_generation
    def lebensraeume(self, create, extracted, **kwargs):
        if create and extracted:
            self.lebensraeume.set(extracted)


class StadtteilbueroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stadtteilbuero

    name = factory.Sequence(lambda n: f"Stadtteilbüro {n}")
    strasse = "Musterstraße 1"
    plz = "52062"


class SprechzeitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sprechzeit

    buero = factory.SubFactory(StadtteilbueroFactory)
    wochentag = 1
    beginn = datetime.time(10, 0)
    ende = datetime.time(12, 0)


class StelleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quartiersmanagement
        skip_postgeneration_save = True

    bezeichnung = factory.Sequence(lambda n: f"Stelle {n}")
    art = Stellenart.ALLGEMEIN
    status = Stellenstatus.BEWILLIGT
    traeger = "Stadt, FB 56"
    stellenanteil = Decimal("1.0")
    beginn = datetime.date(2015, 1, 1)
    ende = None

    @factory.post_generation
    def quartiere(self, create, extracted, **kwargs):
        if create and extracted:
            self.quartiere.set(extracted)

    @factory.post_generation
    def mitarbeitende(self, create, extracted, **kwargs):
        if create and extracted:
            self.mitarbeitende.set(extracted)
