"""Datenbankausfall: jede Anfrage bekommt 503 mit Retry-After und die deutsche Seite, nie 500.

Teil 1 (hier, in-process): die Datenbank fällt an jeder Stelle der Kette aus – beim Lesen
von `request.user` (Middleware), beim Laden und Speichern der Sitzung (SessionMiddleware,
nach der View), in der View und beim Rendern der Vorlage.
Teil 2 (unten): ein echter PostgreSQL-Cluster wird mitten im Betrieb angehalten.
"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

FEHLER = [OperationalError("server closed the connection"), InterfaceError("connection closed")]


def _client(stadt, persona: str | None = "qm") -> Client:
    # raise_request_exception=False: wie ein Browser nur die Antwort sehen, nicht die Ausnahme.
    client = Client(raise_request_exception=False)
    if persona:
        client.force_login(stadt.persona(persona))
    return client


def _ist_503(antwort) -> None:
    assert antwort.status_code == 503
    assert antwort["Retry-After"] == "30"
    assert "Dienst nicht erreichbar" in antwort.content.decode()


@pytest.mark.parametrize("fehler", FEHLER)
def test_ausfall_beim_lesen_des_benutzers_gibt_503(stadt, fehler):
    client = _client(stadt)
    with mock.patch("django.contrib.auth.get_user", side_effect=fehler):
        _ist_503(client.get(reverse("quartier:start")))


@pytest.mark.parametrize("fehler", FEHLER)
def test_ausfall_beim_speichern_der_sitzung_gibt_503(stadt, fehler):
    client = _client(stadt)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=fehler):
        _ist_503(client.get(reverse("quartier:start")))


@pytest.mark.parametrize("fehler", FEHLER)
def test_ausfall_beim_laden_der_sitzung_gibt_503(stadt, fehler):
    client = _client(stadt)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=fehler):
        _ist_503(client.get(reverse("quartier:start")))


def test_ausfall_beim_rendern_der_vorlage_gibt_503(stadt):
    client = _client(stadt)
    with mock.patch("config.context_processors.hat_rolle", side_effect=FEHLER[0]):
        _ist_503(client.get(reverse("quartier:start")))


def test_ausfall_bei_der_anmeldung_gibt_503(stadt):
    client = _client(stadt, None)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=FEHLER[0]):
        antwort = client.post(
            reverse("login"), {"username": "qm", "password": "geheim-passwort-123"}
        )
    _ist_503(antwort)


def test_ausfall_anonym_ohne_sitzung_gibt_503(stadt):
    client = _client(stadt, None)
    with mock.patch("django.contrib.auth.get_user", side_effect=FEHLER[1]):
        _ist_503(client.get(reverse("quartier:start")))


def test_andere_fehler_bleiben_500(stadt):
    client = _client(stadt)
    with mock.patch("config.context_processors.hat_rolle", side_effect=ValueError("kaputt")):
        antwort = client.get(reverse("quartier:start"))
    assert antwort.status_code == 500
    assert "Retry-After" not in antwort
