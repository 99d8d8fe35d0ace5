"""Zwei Bewilligungen im selben Moment: zusammen nie mehr als das Budget (auf PostgreSQL).

Nur PostgreSQL sperrt Zeilen (`select_for_update`); die Test-Datenbank von SQLite liegt im
Speicher einer Verbindung und kann keine echten parallelen Transaktionen zeigen.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from netzwerke import fonds as ablauf
from netzwerke.models import Antrag, Antragsstatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="Zeilensperren gibt es nur auf PostgreSQL"
    ),
]


def test_gleichzeitige_bewilligungen_ueberschreiten_das_budget_nicht(netz, stadt):
    antraege = []
    for vorhaben in ("Fest A", "Fest B"):
        antrag = ablauf.einreichen(
            fonds=netz.fonds_nord,
            antragsteller=netz.jugendtreff,
            vorhaben=vorhaben,
            beschreibung="x",
            beantragt=Decimal("3000"),
            durch=stadt.qm,
            eingereicht_am=timezone.localdate() - datetime.timedelta(days=30),
        )
        antraege.append(
            ablauf.abstimmen(
                antrag,
                sitzung=netz.sitzung_nord,
                quartiersbezug=True,
                beteiligung=True,
                eigeninitiative=True,
                ja=2,
                nein=0,
                enthaltung=0,
                befangene=[netz.jugendtreff],
                durch=stadt.qm,
            )
        )
    start = threading.Barrier(2)
    ergebnisse: list[str] = []

    def bewilligen(antrag: Antrag) -> None:
        try:
            start.wait()
            ablauf.entscheiden(
                antrag, bewilligt_betrag=Decimal("3000"), begruendung="", durch=stadt.admin
            )
            ergebnisse.append("bewilligt")
        except ValidationError:
            ergebnisse.append("abgewiesen")
        finally:
            connections.close_all()

    faeden = [threading.Thread(target=bewilligen, args=(a,)) for a in antraege]
    for f in faeden:
        f.start()
    for f in faeden:
        f.join(timeout=30)

    assert sorted(ergebnisse) == ["abgewiesen", "bewilligt"]
    netz.fonds_nord.refresh_from_db()
    assert netz.fonds_nord.bewilligt_summe() == Decimal("3000")
    assert netz.fonds_nord.restbudget() == Decimal("2000")
    assert Antrag.objects.filter(status=Antragsstatus.BEWILLIGT, fonds=netz.fonds_nord).count() == 1
