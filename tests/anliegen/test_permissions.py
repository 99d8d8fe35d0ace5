"""Sichtbarkeit der Anliegen und personenbezogener Daten je Rolle."""

import pytest
from django.contrib.auth.models import AnonymousUser

from anliegen import permissions as p
from anliegen import workflow


@pytest.fixture
def zwei(lotse):
    """Ein Anliegen in Nord (weitergeleitet an den Stadtbetrieb), eines in Süd (von qm2)."""
    nord = lotse.erfassen()
    workflow.weiterleiten(nord, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    sued = lotse.erfassen(quartier=lotse.stadt.sued, durch=lotse.stadt.qm2)
    return nord, sued


def test_sichtbarkeit_je_rolle(lotse, zwei):
    nord, sued = zwei
    s = lotse.stadt
    for persona in ("qm", "qm2", "planung", "admin"):
        assert set(p.sichtbare_anliegen(s.persona(persona))) == {nord, sued}
    assert list(p.sichtbare_anliegen(s.fb)) == [nord]
    assert not p.sichtbare_anliegen(lotse.fb2).exists()
    assert not p.sichtbare_anliegen(AnonymousUser()).exists()


def test_posteingang_nur_eigener_fachbereich(lotse, zwei):
    nord, _ = zwei
    assert list(p.sichtbare_weiterleitungen(lotse.stadt.fb)) == list(nord.weiterleitungen.all())
    assert not p.sichtbare_weiterleitungen(lotse.fb2).exists()
    assert not p.sichtbare_weiterleitungen(lotse.stadt.qm2).exists()


@pytest.mark.parametrize(
    ("persona", "nord", "sued"),
    [
        ("qm", True, False),
        ("qm2", False, True),
        ("fb", False, False),
        ("planung", False, False),
        ("admin", False, False),
    ],
)
def test_bearbeiten_und_personendaten(lotse, zwei, persona, nord, sued):
    a_nord, a_sued = zwei
    user = lotse.stadt.persona(persona)
    assert p.darf_bearbeiten(user, a_nord) is nord
    assert p.darf_bearbeiten(user, a_sued) is sued
    assert p.darf_personendaten_sehen(user, a_nord) is nord
    assert p.darf_personendaten_sehen(user, a_sued) is sued


def test_fachbereich_sieht_kontakt_nur_wenn_mit_einwilligung_geteilt(lotse):
    a = lotse.erfassen()
    workflow.weiterleiten(
        a,
        an=[lotse.stadtbetrieb, lotse.gruen],
        nachricht="x",
        kontakt_teilen=False,
        durch=lotse.stadt.qm,
    )
    assert not p.darf_personendaten_sehen(lotse.stadt.fb, a)
    b = lotse.erfassen()
    workflow.weiterleiten(
        b, an=[lotse.stadtbetrieb], nachricht="x", kontakt_teilen=True, durch=lotse.stadt.qm
    )
    assert p.darf_personendaten_sehen(lotse.stadt.fb, b)
    assert not p.darf_personendaten_sehen(lotse.fb2, b)
