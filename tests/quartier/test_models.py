"""Regeln der Stadtstruktur, die die Datenbank selbst durchsetzt, und die QuerySet-Methoden."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.models import (
    Kategorie,
    Kennzahl,
    KennzahlArt,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Rolle,
    Stellenstatus,
    User,
)
from tests.factories import LebensraumFactory, SprechzeitFactory, StelleFactory


def _verletzt(erzeuge) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        erzeuge()


def test_fachbereichsrolle_braucht_einen_fachbereich(db):
    _verletzt(lambda: User.objects.create(username="x", rolle=Rolle.FACHBEREICH))


def test_andere_rollen_haben_keinen_fachbereich(stadt):
    _verletzt(
        lambda: User.objects.create(
            username="x", rolle=Rolle.SOZIALPLANUNG, fachbereich=stadt.fachbereich
        )
    )


def test_unbekannte_rolle_wird_abgelehnt(db):
    _verletzt(lambda: User.objects.create(username="x", rolle="chef"))


def test_createsuperuser_bekommt_die_rolle_administration(db):
    user = User.objects.create_superuser("root", "root@example.invalid", "x-passwort-123")
    assert user.rolle == Rolle.ADMINISTRATION


def test_unbekannte_kategorie_wird_abgelehnt(stadt):
    _verletzt(lambda: LebensraumFactory(kategorie="irgendwas"))


def test_stellenende_vor_beginn_wird_abgelehnt(stadt):
    _verletzt(
        lambda: StelleFactory(beginn=datetime.date(2020, 1, 1), ende=datetime.date(2019, 1, 1))
    )


@pytest.mark.parametrize("anteil", ["0", "-1"])
def test_stellenanteil_muss_positiv_sein(stadt, anteil):
    _verletzt(lambda: StelleFactory(stellenanteil=Decimal(anteil)))


def test_sprechzeit_ende_nach_beginn(stadt):
    _verletzt(
        lambda: SprechzeitFactory(
            buero=stadt.buero, beginn=datetime.time(12), ende=datetime.time(10)
        )
    )


def test_eine_kennzahl_je_lebensraum_jahr_und_art(stadt):
    Kennzahl.objects.create(
        lebensraum=stadt.lr_nord, jahr=2020, art=KennzahlArt.SGB2_QUOTE, wert=Decimal("10")
    )
    _verletzt(
        lambda: Kennzahl.objects.create(
            lebensraum=stadt.lr_nord, jahr=2020, art=KennzahlArt.SGB2_QUOTE, wert=Decimal("11")
        )
    )


def test_aktiv_am_beachtet_status_beginn_und_ende(stadt):
    stichtag = datetime.date(2018, 6, 1)
    assert set(Quartiersmanagement.objects.aktiv_am(stichtag)) == {
        stadt.stelle_nord,
        stadt.stelle_sued,
        stadt.stelle_berg,
    }
    assert stadt.stelle_berg not in Quartiersmanagement.objects.aktiv_am(datetime.date(2019, 1, 1))
    assert stadt.stelle_berg in Quartiersmanagement.objects.aktiv_am(datetime.date(2018, 12, 31))
    stadt.stelle_nord.status = Stellenstatus.BEANTRAGT
    stadt.stelle_nord.save()
    assert stadt.stelle_nord not in Quartiersmanagement.objects.aktiv_am(stichtag)
    assert not stadt.stelle_nord.ist_aktiv_am(stichtag)


def test_lebensraeume_ohne_aktives_qm(stadt):
    heute = timezone.localdate()
    assert set(Lebensraum.objects.ohne_aktives_qm(heute)) == {stadt.lr_ohne}
    assert not Lebensraum.objects.ohne_aktives_qm(datetime.date(2018, 1, 1)).exists()


def test_einwohnersumme_bleibt_bei_filter_auf_lebensraeume_richtig(stadt):
    zweiter = LebensraumFactory(einwohner=1000, kategorie=Kategorie.STABIL)
    stadt.nord.lebensraeume.add(zweiter)
    gefiltert = Quartier.objects.filter(lebensraeume__kategorie=Kategorie.STABIL).mit_einwohnern()
    assert gefiltert.get().einwohner_summe == 7000


def test_geteilte_stelle_zaehlt_je_quartier_anteilig(stadt):
    stelle = StelleFactory(quartiere=[stadt.nord, stadt.sued], stellenanteil=Decimal("1.0"))
    mit = Quartiersmanagement.objects.mit_anzahl_quartiere().get(pk=stelle.pk)
    assert mit.anzahl_quartiere == 2
    assert mit.anteil_je_quartier() == Decimal("0.5")


def test_endet_bald_innerhalb_eines_jahres(stadt):
    assert stadt.stelle_sued.endet_bald()
    assert not stadt.stelle_nord.endet_bald()
    assert not stadt.stelle_berg.endet_bald()


def test_str_sind_sprechend(stadt):
    assert str(stadt.nord) == "Quartier Nord"
    assert str(stadt.lr_nord) == "101 Nordviertel"
    assert str(stadt.fachbereich) == "E 18 Stadtbetrieb"
    assert str(stadt.buero.sprechzeiten.first()) == "Dienstag 10:00–12:00 Uhr"
