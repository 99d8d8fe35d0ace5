"""Zugriffsmatrix des Registers: Persona × Seite × eigene/fremde Objekte.

Erwartung je Zelle: 200 erlaubt, 302 zur Anmeldung (anonym), 403 (angemeldet, aber nicht
erlaubt), 404 (unbekanntes Objekt), 405 (falsche Methode).
"""

import pytest
from django.urls import reverse

SEITEN = [
    ("quartier:start", {}),
    ("quartier:quartier_liste", {}),
    ("quartier:quartier_detail", {"slug": "nord"}),
    ("quartier:quartier_detail", {"slug": "sued"}),
    ("quartier:lebensraum_liste", {}),
    ("quartier:buero_liste", {}),
    ("quartier:buero_detail", "buero"),
    ("password_change", {}),
]
ALLE = ["qm", "qm2", "fb", "planung", "admin"]


def _url(stadt, name, kwargs):
    if kwargs == "buero":
        kwargs = {"pk": stadt.buero.pk}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "kwargs"), SEITEN)
def test_anonym_wird_zur_anmeldung_geleitet(stadt, client, name, kwargs):
    url = _url(stadt, name, kwargs)
    antwort = client.get(url)
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(("name", "kwargs"), SEITEN)
def test_jede_rolle_liest_das_register(stadt, client_fuer, persona, name, kwargs):
    assert client_fuer(persona).get(_url(stadt, name, kwargs)).status_code == 200


@pytest.mark.parametrize("persona", ALLE)
@pytest.mark.parametrize(
    "url",
    ["/quartiere/gibt-es-nicht/", "/stadtteilbueros/999999/"],
)
def test_unbekannte_objekte_sind_404(stadt, client_fuer, persona, url):
    assert client_fuer(persona).get(url).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), [s for s in SEITEN if s[0] != "password_change"])
def test_lesende_seiten_lehnen_post_ab(stadt, client_fuer, name, kwargs):
    assert client_fuer("qm").post(_url(stadt, name, kwargs)).status_code == 405


@pytest.mark.parametrize(
    ("persona", "erwartet"),
    [(None, 302), ("qm", 302), ("qm2", 302), ("fb", 302), ("planung", 302), ("admin", 200)],
)
def test_stammdatenverwaltung_nur_fuer_administration(stadt, client_fuer, persona, erwartet):
    antwort = client_fuer(persona).get(reverse("admin:index"))
    assert antwort.status_code == erwartet
    if erwartet == 302:
        assert "/verwaltung/login/" in antwort["Location"]


def test_administration_ohne_mitarbeiterstatus_kommt_nicht_in_die_verwaltung(stadt, client):
    stadt.admin.is_staff = False
    stadt.admin.save()
    client.force_login(stadt.admin)
    assert client.get(reverse("admin:index")).status_code == 302


def test_superuser_ohne_rolle_administration_kommt_nicht_in_die_verwaltung(stadt, client):
    stadt.planung.is_staff = True
    stadt.planung.is_superuser = True
    stadt.planung.save()
    client.force_login(stadt.planung)
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("persona", ALLE)
def test_navigation_zeigt_stammdaten_nur_der_administration(stadt, client_fuer, persona):
    inhalt = client_fuer(persona).get(reverse("quartier:start")).content.decode()
    assert (reverse("admin:index") in inhalt) == (persona == "admin")


def test_deaktiviertes_konto_verliert_die_sitzung(stadt, client):
    client.force_login(stadt.qm)
    stadt.qm.is_active = False
    stadt.qm.save()
    antwort = client.get(reverse("quartier:start"))
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("login"))
