"""„Mein Überblick“ zeigt, was im Lotsen-Kreislauf wartet."""

import datetime

from django.urls import reverse
from django.utils import timezone

from anliegen import workflow


def _antwort_liegt_vor(lotse):
    a = lotse.erfassen(titel="Laub im Gully")
    (w,) = workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(w, entscheidung="umgesetzt", antwort="Erledigt.", durch=lotse.stadt.fb)
    return a


def test_qm_sieht_faellige_rueckmeldungen_und_neue(lotse, client_fuer):
    a = _antwort_liegt_vor(lotse)
    neu = lotse.erfassen(titel="Neue Idee")
    inhalt = client_fuer("qm").get(reverse("quartier:start")).content.decode()
    teil = inhalt.split("Rückmeldung an die Person fällig")[1]
    assert a.nummer in teil.split("Neu und noch ohne Weg")[0]
    assert neu.nummer in teil.split("Neu und noch ohne Weg")[1]
    # qm2 (anderes Quartier) sieht sie nicht
    anderes = client_fuer("qm2").get(reverse("quartier:start")).content.decode()
    assert a.nummer not in anderes


def test_fachbereich_sieht_seinen_posteingang(lotse, client_fuer):
    a = lotse.erfassen()
    (w,) = workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    w.frist = timezone.localdate() - datetime.timedelta(days=1)
    w.save(update_fields=["frist"])
    inhalt = client_fuer("fb").get(reverse("quartier:start")).content.decode()
    assert "Posteingang" in inhalt
    assert "<dt>neu weitergeleitet</dt>" in inhalt
    assert "<dt>überfällig</dt>" in inhalt
    # keine Personendaten auf der Startseite des Fachbereichs
    for wert in (lotse.NAME, lotse.EMAIL, lotse.TELEFON, lotse.ANSCHRIFT):
        assert wert not in inhalt


def test_sozialplanung_ohne_abschnitt(lotse, client_fuer):
    inhalt = client_fuer("planung").get(reverse("quartier:start")).content.decode()
    hauptteil = inhalt.split('id="inhalt"')[1]  # die Navigation zählt nicht
    assert "Anliegen im Blick" not in hauptteil and "Posteingang" not in hauptteil


def test_rueckmeldung_festgehalten_verschwindet_aus_faelligen(lotse, client_fuer):
    a = _antwort_liegt_vor(lotse)
    wartet = _antwort_liegt_vor(lotse)
    workflow.rueckmelden(a, text="Ist erledigt.", kanal="telefon", durch=lotse.stadt.qm)
    a.refresh_from_db()
    assert a.status == "antwort_liegt_vor"  # bis zum Abschluss
    inhalt = client_fuer("qm").get(reverse("quartier:start")).content.decode()
    faellig = inhalt.split("Rückmeldung an die Person fällig")[1].split("überschrittener Frist")[0]
    assert wartet.nummer in faellig
    assert a.nummer not in faellig


def test_nicht_erreicht_bleibt_faellig(lotse, client_fuer):
    a = _antwort_liegt_vor(lotse)
    workflow.rueckmelden(
        a, text="Niemand ans Telefon.", kanal="telefon", erreicht=False, durch=lotse.stadt.qm
    )
    inhalt = client_fuer("qm").get(reverse("quartier:start")).content.decode()
    faellig = inhalt.split("Rückmeldung an die Person fällig")[1].split("überschrittener Frist")[0]
    assert a.nummer in faellig


def test_zahlen_des_fachbereichs_fuehren_zum_passenden_filter(lotse, client_fuer):
    a = lotse.erfassen()
    (w,) = workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    c = client_fuer("fb")
    inhalt = c.get(reverse("quartier:start")).content.decode()
    eingang = reverse("anliegen:eingang")
    for status, zahl in (
        ("offen", 1),
        ("in_bearbeitung", 0),
        ("ueberfaellig", 0),
        ("zusage_faellig", 0),
    ):
        link = f'<a class="kern-link" href="{eingang}?status={status}"'
        assert link in inhalt, status
        # der Filter zeigt genau so viele, wie die Startseite zählt
        liste = c.get(eingang, {"status": status}).content.decode()
        assert (w.anliegen.nummer in liste) == bool(zahl), status
