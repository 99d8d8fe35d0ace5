"""Anmeldung, Sitzungen, Kopfzeilen, Produktionseinstellungen und Fehlerseiten."""

import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

WURZEL = Path(__file__).resolve().parent.parent


def test_check_deploy_ohne_befund_unter_produktionseinstellungen():
    umgebung = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "STATIC_", "DEBUG", "DJANGO_ALLOW"))
    }
    umgebung.update(
        DEBUG="0",
        SECRET_KEY="p" * 20 + "-produktion-ist-lang-und-zufaellig-0123456789",
        ALLOWED_HOSTS="quartierslotse.example.org",
        QL_BASIS_URL="https://quartierslotse.example.org",
    )
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=WURZEL,
        env=umgebung,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr


def test_ohne_secret_key_startet_produktion_nicht():
    umgebung = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    umgebung["DEBUG"] = "0"
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=WURZEL,
        env=umgebung,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ergebnis.returncode != 0
    assert "SECRET_KEY fehlt" in ergebnis.stderr


def test_anmeldung_mit_falschem_passwort_deutsch_und_eingabe_bleibt(stadt, client):
    antwort = client.post(reverse("login"), {"username": "qm", "password": "falsch"})
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Benutzername oder Passwort stimmen nicht" in inhalt
    assert 'value="qm"' in inhalt
    assert "aria-invalid" in inhalt or "Bitte prüfen Sie Ihre Eingaben" in inhalt


def test_anmeldung_leitet_zum_ueberblick(stadt, client):
    antwort = client.post(reverse("login"), {"username": "qm", "password": "geheim-passwort-123"})
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("quartier:start")


def test_anmeldung_wechselt_die_sitzungskennung(stadt, client):
    client.get(reverse("login"))
    client.session["x"] = 1
    vorher = client.session.session_key
    client.post(reverse("login"), {"username": "qm", "password": "geheim-passwort-123"})
    assert client.session.session_key != vorher


def test_anmeldesperre_nach_fuenf_fehlversuchen(stadt, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "qm", "password": "falsch"})
    antwort = client.post(reverse("login"), {"username": "qm", "password": "geheim-passwort-123"})
    assert antwort.status_code == 429
    assert "Zu viele" in antwort.content.decode()


def test_anmeldung_verlangt_csrf(stadt):
    client = Client(enforce_csrf_checks=True)
    antwort = client.post(reverse("login"), {"username": "qm", "password": "geheim-passwort-123"})
    assert antwort.status_code == 403


def test_abmelden_nur_per_post(stadt, client_fuer):
    client = client_fuer("qm")
    assert client.get(reverse("logout")).status_code == 405
    antwort = client.post(reverse("logout"))
    assert antwort.status_code == 302
    assert client.get(reverse("quartier:start")).status_code == 302


def test_sitzung_endet_nach_untaetigkeit_und_absolut(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600


def _sitzung_geschrieben(client) -> bool:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as abfragen:
        assert client.get(reverse("quartier:start")).status_code == 200
    return any(
        "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        for q in abfragen.captured_queries
    )


def test_sitzung_wird_hoechstens_einmal_je_minute_geschrieben(stadt, client_fuer, settings):
    """Die Untätigkeitsgrenze gilt weiter, aber nicht jede Seite zahlt ein UPDATE der Sitzung."""
    from django.contrib.sessions.models import Session

    settings.QL_SITZUNG_AUFFRISCHEN_SEKUNDEN = 60  # die Vorgabe im Betrieb

    client = client_fuer("qm")
    assert _sitzung_geschrieben(client)  # erste Anfrage: aufgefrischt
    assert not _sitzung_geschrieben(client)  # gleich danach: nichts zu schreiben
    ablauf = Session.objects.get().expire_date
    spaeter = time.time() + 61
    with mock.patch("config.middleware.time.time", return_value=spaeter):
        assert _sitzung_geschrieben(client)  # nach einer Minute: neue Ablaufzeit
    assert Session.objects.get().expire_date > ablauf


def test_untaetig_abgemeldet(stadt, client_fuer):
    """Nach SESSION_COOKIE_AGE ohne Anfrage ist die Sitzung abgelaufen: zur Anmeldung."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_fuer("qm")
    assert client.get(reverse("quartier:start")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    antwort = client.get(reverse("quartier:start"))
    assert antwort.status_code == 302 and "anmelden" in antwort["Location"]


def test_absolute_sitzungsdauer_meldet_ab(stadt, client_fuer):
    client = client_fuer("qm")
    assert client.get(reverse("quartier:start")).status_code == 200
    with mock.patch("config.middleware.time.time", return_value=time.time() + 13 * 3600):
        antwort = client.get(reverse("quartier:start"))
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("login") + "?abgelaufen=1"
    antwort = client.get(antwort["Location"])
    assert "Ihre Sitzung ist abgelaufen" in antwort.content.decode()


def test_passwort_aendern_mit_fehlern_auf_deutsch(stadt, client_fuer):
    client = client_fuer("qm")
    antwort = client.post(
        reverse("password_change"),
        {"old_password": "falsch", "new_password1": "kurz", "new_password2": "anders"},
    )
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Das alte Passwort war falsch" in inhalt
    assert "Die beiden Passwörter sind nicht identisch" in inhalt
    assert "Bitte prüfen Sie Ihre Eingaben" in inhalt


def test_passwort_aendern_gelingt(stadt, client_fuer):
    client = client_fuer("qm")
    antwort = client.post(
        reverse("password_change"),
        {
            "old_password": "geheim-passwort-123",
            "new_password1": "Quartier-Lotse-2026!",
            "new_password2": "Quartier-Lotse-2026!",
        },
    )
    assert antwort.status_code == 302
    stadt.qm.refresh_from_db()
    assert stadt.qm.check_password("Quartier-Lotse-2026!")


def test_passwort_vergessen_legt_mail_in_den_postausgang(stadt, client, settings):
    from mailer.models import Message

    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    antwort = client.post(reverse("password_reset"), {"email": stadt.qm.email})
    assert antwort.status_code == 302
    nachricht = Message.objects.get()
    assert stadt.qm.email in nachricht.to_addresses
    # Unbekannte Adressen verraten nichts.
    antwort = client.post(reverse("password_reset"), {"email": "niemand@example.invalid"})
    assert antwort.status_code == 302
    assert Message.objects.count() == 1


def test_sicherheitskopfzeilen(stadt, client_fuer):
    antwort = client_fuer("qm").get(reverse("quartier:start"))
    csp = antwort["Content-Security-Policy"]
    for teil in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
        "form-action 'self'",
    ):
        assert teil in csp
    assert antwort["X-Frame-Options"] == "DENY"
    assert antwort["X-Content-Type-Options"] == "nosniff"
    assert antwort["Referrer-Policy"] == "same-origin"


def test_keine_inline_styles_wegen_csp(stadt, client_fuer):
    inhalt = client_fuer("planung").get(reverse("quartier:start")).content.decode()
    assert "style=" not in inhalt
    assert "<style" not in inhalt


def test_datenbankausfall_gibt_503_statt_500(stadt, client_fuer):
    client = client_fuer("qm")
    with mock.patch(
        "quartier.views._start_quartiersmanagement", side_effect=OperationalError("weg")
    ):
        antwort = client.get(reverse("quartier:start"))
    assert antwort.status_code == 503
    assert antwort["Retry-After"] == "30"
    assert "nicht erreichbar" in antwort.content.decode()


def test_gesundheit(db, client):
    antwort = client.get(reverse("gesundheit"))
    assert antwort.status_code == 200
    assert antwort.json() == {"status": "ok"}


def test_gesundheit_ohne_datenbank_503_mit_retry_after(db, client):
    from unittest import mock

    from django.db import OperationalError

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        antwort = client.get(reverse("gesundheit"))
    assert antwort.status_code == 503
    assert antwort["Retry-After"] == "30"
    assert antwort.json() == {"status": "datenbank nicht erreichbar"}


def test_fehlerseite_404_ist_deutsch(stadt, client_fuer):
    antwort = client_fuer("qm").get("/gibt-es-nicht/")
    assert antwort.status_code == 404
    assert "nicht gefunden" in antwort.content.decode().lower()


@pytest.mark.parametrize("vorlage", ["500.html", "503.html"])
def test_fehlerseiten_ohne_kontext_renderbar(vorlage):
    from django.template.loader import render_to_string

    inhalt = render_to_string(vorlage)
    assert 'lang="de"' in inhalt


def test_argon2_ist_erster_hasher():
    from django.conf import settings as echte

    # Die Tests ersetzen PASSWORD_HASHERS durch MD5; die Konfiguration selbst zählt.
    from config import settings as konfiguration

    assert konfiguration.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert echte.AUTH_PASSWORD_VALIDATORS


def test_formularfelder_tragen_kern_klassen_und_fehlerverweise(stadt, client_fuer):
    antwort = client_fuer("qm").post(
        reverse("password_change"),
        {"old_password": "falsch", "new_password1": "", "new_password2": ""},
    )
    inhalt = antwort.content.decode()
    assert 'class="kern-form-input__input kern-form-input__input--error"' in inhalt
    assert 'aria-describedby="id_old_password_error"' in inhalt
    assert 'id="id_old_password_error"' in inhalt
    assert 'href="#id_old_password"' in inhalt  # Fehlerzusammenfassung verlinkt das Feld


def test_ungueltiger_link_zum_zuruecksetzen(stadt, client):
    antwort = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "xx", "token": "falsch"})
    )
    assert antwort.status_code == 200
    assert "Dieser Link ist nicht mehr gültig." in antwort.content.decode()
