"""Die Prädikate und eingeschränkten Listen aus quartier/permissions.py."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from quartier import permissions as p
from quartier.models import Quartier, Rolle, User


def test_hat_rolle_verlangt_anmeldung_aktivitaet_und_bekannte_rolle(stadt):
    assert p.hat_rolle(stadt.qm)
    assert not p.hat_rolle(AnonymousUser())
    assert not p.hat_rolle(User(username="x", rolle="gibt-es-nicht", is_active=True))
    stadt.qm.is_active = False
    assert not p.hat_rolle(stadt.qm)


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [("qm", False), ("qm2", False), ("fb", False), ("planung", False), ("admin", True)],
)
def test_darf_stammdaten_pflegen(stadt, persona, erwartet):
    assert p.darf_stammdaten_pflegen(stadt.persona(persona)) is erwartet


def test_register_ist_fuer_alle_rollen_sichtbar_aber_nicht_anonym(stadt):
    for name in ("qm", "qm2", "fb", "planung", "admin"):
        assert set(p.sichtbare_quartiere(stadt.persona(name))) == set(Quartier.objects.all())
        assert p.sichtbare_bueros(stadt.persona(name)).count() == 1
    assert not p.sichtbare_quartiere(AnonymousUser()).exists()
    assert not p.sichtbare_bueros(AnonymousUser()).exists()
    assert not p.sichtbare_lebensraeume(AnonymousUser()).exists()
    assert p.sichtbare_lebensraeume(stadt.fb).count() == 3


def test_eigene_quartiere_sind_die_der_laufenden_stellen(stadt):
    assert list(p.eigene_quartiere(stadt.qm)) == [stadt.nord]
    assert list(p.eigene_quartiere(stadt.qm2)) == [stadt.sued]
    assert not p.eigene_quartiere(stadt.planung).exists()
    assert not p.eigene_quartiere(stadt.fb).exists()


def test_beendete_stelle_macht_nicht_mehr_zustaendig(stadt):
    stadt.stelle_nord.ende = timezone.localdate() - datetime.timedelta(days=1)
    stadt.stelle_nord.save()
    assert not p.ist_zustaendig_fuer_quartier(stadt.qm, stadt.nord)


def test_zustaendigkeit_je_quartier(stadt):
    assert p.ist_zustaendig_fuer_quartier(stadt.qm, stadt.nord)
    assert not p.ist_zustaendig_fuer_quartier(stadt.qm, stadt.sued)
    assert not p.ist_zustaendig_fuer_quartier(stadt.qm2, stadt.nord)


def test_qm_rolle_ohne_stelle_hat_keine_quartiere(stadt):
    neu = User.objects.create_user("neu", rolle=Rolle.QUARTIERSMANAGEMENT)
    assert not p.eigene_quartiere(neu).exists()
