"""config/sitzung.py: ein Datenbankausfall beim Speichern der Sitzung bleibt ein Ausfall (503
über config/middleware.py), statt als `UpdateError` zum 400 „Bad Request“ zu werden."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import DatabaseError, OperationalError

from config.sitzung import SessionStore


def _gespeicherte_sitzung() -> SessionStore:
    sitzung = SessionStore()
    sitzung["wert"] = 1
    sitzung.save()
    sitzung["wert"] = 2
    return sitzung


@pytest.mark.django_db
def test_ausfall_beim_aktualisieren_bleibt_datenbankfehler(monkeypatch):
    sitzung = _gespeicherte_sitzung()

    def weg(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Session, "save", weg)
    with pytest.raises(OperationalError):
        sitzung.save()


@pytest.mark.django_db
def test_anderer_datenbankfehler_bleibt_update_error(monkeypatch):
    sitzung = _gespeicherte_sitzung()

    def kaputt(*args, **kwargs):
        raise DatabaseError("etwas anderes")

    monkeypatch.setattr(Session, "save", kaputt)
    with pytest.raises(UpdateError):
        sitzung.save()


@pytest.mark.django_db
def test_sitzung_speichert_und_laedt_wie_vorher():
    sitzung = _gespeicherte_sitzung()
    sitzung.save()
    assert SessionStore(session_key=sitzung.session_key)["wert"] == 2
