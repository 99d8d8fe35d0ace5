"""Gleichzeitige Operationen auf PostgreSQL: eindeutige Nummern, kein stilles Überschreiben."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from anliegen import workflow
from anliegen.models import Anliegen

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="Zeilensperren gibt es nur auf PostgreSQL"
    ),
]


def _gleichzeitig(*aufgaben):
    start = threading.Barrier(len(aufgaben))
    ergebnisse: list = [None] * len(aufgaben)

    def laufen(i, aufgabe):
        try:
            start.wait()
            ergebnisse[i] = aufgabe()
        except ValidationError as fehler:
            ergebnisse[i] = fehler
        finally:
            connections.close_all()

    faeden = [threading.Thread(target=laufen, args=(i, a)) for i, a in enumerate(aufgaben)]
    for f in faeden:
        f.start()
    for f in faeden:
        f.join(timeout=30)
    return ergebnisse


def test_gleichzeitig_erfasst_bekommt_verschiedene_nummern(lotse):
    ergebnisse = _gleichzeitig(*(lotse.erfassen for _ in range(4)))
    nummern = {a.nummer for a in ergebnisse}
    assert len(nummern) == 4
    assert Anliegen.objects.count() == 4


def test_zwei_auf_demselben_stand_einer_bekommt_den_konflikt(lotse):
    a = lotse.erfassen()
    stand = a.version
    ergebnisse = _gleichzeitig(
        lambda: workflow.weiterleiten(
            a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm, version=stand
        ),
        lambda: workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm, version=stand),
    )
    fehler = [e for e in ergebnisse if isinstance(e, ValidationError)]
    assert len(fehler) == 1
    assert isinstance(fehler[0], workflow.Konflikt | workflow.UngueltigerUebergang)
    a.refresh_from_db()
    assert a.version == stand + 1


def test_zwei_gleichzeitige_erinnerungslaeufe_verschicken_jede_nur_einmal(lotse):
    import datetime
    import io

    from django.core.management import call_command
    from mailer.models import Message

    from anliegen.models import Erinnerung, Weiterleitung

    a = lotse.erfassen()
    workflow.weiterleiten(
        a, an=[lotse.stadtbetrieb, lotse.gruen], nachricht="x", durch=lotse.stadt.qm
    )
    Weiterleitung.objects.update(frist=datetime.date(2026, 12, 1))
    Message.objects.all().delete()

    def lauf():
        call_command("erinnerungen", "--datum", "2026-12-03", stdout=io.StringIO())

    _gleichzeitig(lauf, lauf, lauf)
    assert Erinnerung.objects.count() == 2
    assert Message.objects.count() == 2
