"""Stammdatenverwaltung (Django-Admin): Suche, Filter und klare Meldungen bei falscher Eingabe."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quartier.models import Quartiersmanagement, User

LISTEN = [
    "user",
    "fachbereich",
    "bezirk",
    "sozialraum",
    "lebensraum",
    "kennzahl",
    "quartier",
    "stadtteilbuero",
    "quartiersmanagement",
]


@pytest.mark.parametrize("modell", LISTEN)
def test_jede_liste_mit_suche_laedt(stadt, client_fuer, modell):
    client = client_fuer("admin")
    url = reverse(f"admin:quartier_{modell}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Nord"}).status_code == 200


@pytest.mark.parametrize("modell", LISTEN)
def test_jedes_anlegeformular_laedt(stadt, client_fuer, modell):
    assert client_fuer("admin").get(reverse(f"admin:quartier_{modell}_add")).status_code == 200


def _abgelehnt_mit_meldung(antwort, meldung: str, eingabe: str) -> None:
    """Falsche Eingabe: Formular kommt zurück, mit Meldung, und das Getippte bleibt stehen."""
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert meldung in inhalt
    assert f'value="{eingabe}"' in inhalt


def _konto_anlegen(client, **abweichend):
    daten = {
        "username": "neu",
        "password1": "Ein-langes-Passwort-2026",
        "password2": "Ein-langes-Passwort-2026",
        "usable_password": "true",
        **abweichend,
    }
    return client.post(reverse("admin:quartier_user_add"), daten)


def test_fachbereichskonto_ohne_fachbereich_gibt_meldung_und_behaelt_eingaben(stadt, client_fuer):
    antwort = _konto_anlegen(
        client_fuer("admin"),
        username="neu-fb",
        first_name="Petra",
        last_name="Neumann",
        email="petra@example.invalid",
        rolle="fachbereich",
        fachbereich="",
    )
    _abgelehnt_mit_meldung(
        antwort, "Für die Rolle Fachbereich bitte einen Fachbereich wählen.", "Neumann"
    )
    assert not User.objects.filter(username="neu-fb").exists()


def test_anderes_konto_mit_fachbereich_gibt_meldung(stadt, client_fuer):
    antwort = _konto_anlegen(
        client_fuer("admin"),
        username="neu-planung",
        rolle="sozialplanung",
        fachbereich=stadt.fachbereich.pk,
    )
    assert "Ein Fachbereich gehört nur zur Rolle Fachbereich" in antwort.content.decode()


def _stelle_anlegen(client, stadt, **abweichend):
    daten = {
        "bezeichnung": "Neue Stelle",
        "art": "allgemein",
        "status": "bewilligt",
        "quartiere": [stadt.nord.pk],
        "traeger": "Stadt",
        "stellenanteil": "1,0",
        "beginn": "01.01.2020",
        **abweichend,
    }
    return client.post(reverse("admin:quartier_quartiersmanagement_add"), daten)


def test_stelle_mit_ende_vor_beginn_gibt_meldung(stadt, client_fuer):
    antwort = _stelle_anlegen(client_fuer("admin"), stadt, ende="31.12.2019")
    _abgelehnt_mit_meldung(antwort, "Das Ende darf nicht vor dem Beginn liegen.", "Neue Stelle")
    assert not Quartiersmanagement.objects.filter(bezeichnung="Neue Stelle").exists()


def test_stelle_mit_stellenanteil_null_gibt_meldung(stadt, client_fuer):
    antwort = _stelle_anlegen(client_fuer("admin"), stadt, stellenanteil="0")
    assert antwort.status_code == 200
    assert "Der Stellenanteil muss mindestens 0,05 VZÄ betragen." in antwort.content.decode()


def test_gueltige_stelle_wird_angelegt(stadt, client_fuer):
    antwort = _stelle_anlegen(client_fuer("admin"), stadt, stellenanteil="0,75")
    assert antwort.status_code == 302
    assert Quartiersmanagement.objects.get(bezeichnung="Neue Stelle").stellenanteil == Decimal(
        "0.75"
    )


def test_kennzahl_mit_dezimalkomma_in_der_verwaltung(stadt, client_fuer):
    from quartier.models import Kennzahl

    antwort = client_fuer("admin").post(
        reverse("admin:quartier_kennzahl_add"),
        {"lebensraum": stadt.lr_nord.pk, "jahr": "2020", "art": "sgb2_quote", "wert": "12,5"},
    )
    assert antwort.status_code == 302
    assert Kennzahl.objects.get().wert == Decimal("12.5")
