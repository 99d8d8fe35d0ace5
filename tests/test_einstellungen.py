"""Einstellungen, die im Betrieb stimmen müssen: die Adresse der App in Mail-Links."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import Error, Warning
from django.core.management import call_command
from django.core.management.base import SystemCheckError

WURZEL = Path(__file__).resolve().parent.parent


def _pruefung():
    from config.checks import basis_url_pruefen

    return basis_url_pruefen(app_configs=None)


def test_fehlende_basis_url_ist_in_produktion_ein_fehler(settings):
    settings.DEBUG = False
    settings.QL_BASIS_URL = ""
    (meldung,) = _pruefung()
    assert isinstance(meldung, Error)
    assert meldung.id == "quartierslotse.E001"


def test_basis_url_ohne_schema_ist_ein_fehler(settings):
    settings.DEBUG = False
    settings.QL_BASIS_URL = "quartierslotse.aachen.de"
    (meldung,) = _pruefung()
    assert meldung.id == "quartierslotse.E002"


def test_basis_url_ohne_https_ist_in_produktion_eine_warnung(settings):
    settings.DEBUG = False
    settings.QL_BASIS_URL = "http://quartierslotse.aachen.de"
    (meldung,) = _pruefung()
    assert isinstance(meldung, Warning)
    assert meldung.id == "quartierslotse.W003"


def test_gesetzte_https_basis_url_besteht(settings):
    settings.DEBUG = False
    settings.QL_BASIS_URL = "https://quartierslotse.aachen.de"
    assert _pruefung() == []


def test_in_der_entwicklung_genuegt_die_lokale_vorgabe(settings):
    settings.DEBUG = True
    settings.QL_BASIS_URL = "http://127.0.0.1:8080"
    assert _pruefung() == []


def test_check_deploy_scheitert_ohne_basis_url(settings):
    settings.DEBUG = False
    settings.QL_BASIS_URL = ""
    with pytest.raises(SystemCheckError, match="quartierslotse.E001"):
        call_command("check", "--deploy", "--tag", "quartierslotse")


def _umgebung(**werte: str) -> dict[str, str]:
    umgebung = {k: v for k, v in os.environ.items() if k not in {"QL_BASIS_URL", "DEBUG"}}
    umgebung.update(
        SECRET_KEY="x" * 60, ALLOWED_HOSTS="quartierslotse.example.org", DEBUG="0", **werte
    )
    return umgebung


def test_ohne_debug_hat_basis_url_keine_vorgabe():
    """Ohne DEBUG gibt es keine stille Vorgabe, die auf 127.0.0.1 zeigt."""
    ausgabe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; "
            "django.setup(); print(repr(settings.QL_BASIS_URL))",
        ],
        cwd=WURZEL,
        env=_umgebung(DJANGO_SETTINGS_MODULE="config.settings"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert ausgabe.stdout.strip() == "''"


def test_make_demo_verlinkt_den_gewaehlten_port():
    """`PORT=8080 make demo` läuft auf 8080 – die Mail-Links müssen dorthin zeigen."""
    ausgabe = subprocess.run(
        ["make", "-n", "demo", "PORT=8080"],
        cwd=WURZEL,
        env={k: v for k, v in os.environ.items() if k != "QL_BASIS_URL"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    befehle = [z for z in ausgabe.splitlines() if "manage.py demo_daten" in z or "runserver" in z]
    assert len(befehle) == 2
    for befehl in befehle:
        assert "http://127.0.0.1:8080" in befehl, befehl


def test_make_check_deploy_setzt_eine_basis_url():
    ausgabe = subprocess.run(
        ["make", "-n", "check-deploy"], cwd=WURZEL, capture_output=True, text=True, check=True
    ).stdout
    assert "QL_BASIS_URL=https://" in ausgabe


def _ohne_geheimnis() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}


def test_makemigrations_laeuft_ohne_secret_key():
    """Die Schema-Prüfung vor dem Commit braucht kein Geheimnis (Wegwerf-Schlüssel)."""
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=Path(__file__).resolve().parent.parent,
        env=_ohne_geheimnis(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert ergebnis.returncode == 0, ergebnis.stderr


def test_server_startet_ohne_secret_key_nicht():
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env=_ohne_geheimnis(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert ergebnis.returncode != 0
    assert "SECRET_KEY fehlt" in ergebnis.stderr
