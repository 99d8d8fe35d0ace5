"""Der Verlauf: feste Arten mit je einer Darstellung, ein Weg zum Anhängen, nie löschbar."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from anliegen import datenschutz, verlauf, workflow
from anliegen.models import Anliegen, Ereignis, EreignisArt, ErinnerungsArt

WURZEL = Path(__file__).resolve().parents[2]

# Typische Daten je Art, wie workflow.py, erinnerungen.py und der Datenschutz sie schreiben.
BEISPIELE = {
    "erfasst": {"nummer": "2026-00001"},
    "weg": {"weg": "kontakt", "vermittelt_an": "Caritas"},
    "weitergeleitet": {"fachbereich": "E 18", "frist": "2026-03-05", "kontakt_geteilt": True},
    "angenommen": {"fachbereich": "E 18"},
    "zurueckgegeben": {"fachbereich": "E 18", "zustaendig": "FB 36", "hinweis": "Frau Meier"},
    "beantwortet": {"fachbereich": "E 18", "entscheidung": "wird_umgesetzt", "antwort": "Ja."},
    "zwischenbescheid": {"fachbereich": "E 18", "antwort": "Wir prüfen."},
    "rueckmeldung": {"kanal": "email", "erreicht": True, "text": "Hallo"},
    "abgeschlossen": {"grund": "erledigt", "ohne_rueckmeldung": "", "zurueckgezogen": []},
    "wiedereroeffnet": {"grund": "Müll liegt wieder da"},
    "anhang": {"dateiname": "foto.jpg", "inhaltstyp": "foto", "freigegeben": False},
    "anhang_freigabe": {"dateiname": "foto.jpg", "freigegeben": True},
    "notiz": {"text": "Telefonat mit dem Hausmeister"},
    "anonymisiert": {"anlass": "frist"},
    "auskunft": {"meldende": 1},
    "antwortlink_widerrufen": {"fachbereich": "E 18"},
    "antwortlink_gesendet": {"fachbereich": "E 18", "gueltig_bis": "2026-04-01"},
    "erinnerung": {"art": "frist", "bezug": "2026-03-05", "fachbereich": "E 18"},
    "zusage_eingehalten": {"fachbereich": "E 18", "text": "Erledigt."},
    "zusage_verschoben": {
        "fachbereich": "E 18",
        "alt": "2026-03-05",
        "neu": "2026-04-05",
        "grund": "Lieferung",
    },
    "zusage_entfallen": {"fachbereich": "E 18", "grund": "Kein Geld"},
    "gebuendelt": {"haupt": "2026-00001"},
    "entbuendelt": {"haupt": "2026-00001"},
    "buendel_aufgenommen": {"gebuendelt": "2026-00002"},
    "buendel_geloest": {"gebuendelt": "2026-00002"},
    "antwort_ueber_hauptanliegen": {"haupt": "2026-00001", "fachbereich": "E 18"},
    "rueckmeldung_gebuendelte": {"per_mail": ["2026-00002"], "offen": ["2026-00003"]},
}


def test_jede_art_hat_genau_eine_darstellung():
    assert set(verlauf.DARSTELLUNG) == set(EreignisArt.values)
    assert set(BEISPIELE) == set(EreignisArt.values)


@pytest.mark.parametrize("art", EreignisArt.values)
def test_jede_art_wird_als_satz_dargestellt(art):
    satz = Ereignis(art=art, daten=BEISPIELE[art]).text()
    assert isinstance(satz, str)
    assert satz
    assert satz != art  # nie der rohe Code


@pytest.mark.parametrize("art", EreignisArt.values)
def test_jede_art_verkraftet_leere_daten(art):
    assert isinstance(Ereignis(art=art, daten={}).text(), str)


def test_unbekannte_art_ist_ein_fehler_statt_rohcode():
    with pytest.raises(ValueError):
        Ereignis(art="gibt_es_nicht", daten={}).text()


def test_jede_erinnerungsart_hat_einen_eigenen_satz():
    saetze = {
        Ereignis(art="erinnerung", daten={"art": a, "bezug": "2026-03-05"}).text()
        for a in ErinnerungsArt.values
    }
    assert len(saetze) == len(ErinnerungsArt.values)
    assert "Erinnerung (05.03.2026)." not in saetze


def test_anhaengen_schreibt_ereignis(lotse):
    anliegen = lotse.erfassen()
    e = verlauf.anhaengen(anliegen, EreignisArt.NOTIZ, von=lotse.stadt.qm, intern=True, text="x")
    e.refresh_from_db()
    assert (e.anliegen, e.art, e.von, e.intern, e.daten) == (
        anliegen,
        "notiz",
        lotse.stadt.qm,
        True,
        {"text": "x"},
    )


def test_anhaengen_nimmt_auch_den_pk_und_einen_datenschluessel_art(lotse):
    anliegen = lotse.erfassen()
    e = verlauf.anhaengen(anliegen.pk, "erinnerung", von=None, art="frist", bezug="2026-03-05")
    assert e.anliegen_id == anliegen.pk
    assert e.daten == {"art": "frist", "bezug": "2026-03-05"}


def test_anhaengen_per_link_haelt_name_und_kontakt_fest(lotse):
    anliegen = lotse.erfassen()
    link = type("Link", (), {})()
    per_link = workflow.PerLink(link=link, name="  Frau Berg ", kontakt=" 0241 1 ")
    e = verlauf.anhaengen(anliegen, "angenommen", von=None, per_link=per_link, fachbereich="E 18")
    assert e.daten == {
        "fachbereich": "E 18",
        "per_link": True,
        "name": "Frau Berg",
        "kontakt": "0241 1",
    }
    assert e.wer == "Frau Berg, E 18 (per Antwortlink) – Rückfragen: 0241 1"


def test_anhaengen_weist_unbekannte_art_ab(lotse):
    anliegen = lotse.erfassen()
    vorher = anliegen.ereignisse.count()
    with pytest.raises(ValueError):
        verlauf.anhaengen(anliegen, "gibt_es_nicht", von=None)
    assert anliegen.ereignisse.count() == vorher


def test_datenbank_weist_unbekannte_art_ab(lotse):
    anliegen = lotse.erfassen()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ereignis.objects.filter(anliegen=anliegen).update(art="gibt_es_nicht")


# Wer ein Ereignis anders als über verlauf.anhaengen anlegt, umgeht die Prüfung der Art.
_ANLEGEN = re.compile(
    r"\bEreignis\.objects\.(create|bulk_create|get_or_create|update_or_create)\b"
    r"|(?<!class )\bEreignis\("
    r"|\bereignisse\.(create|bulk_create|get_or_create|update_or_create)\b"
)


def _anlegende_stellen() -> list[str]:
    funde = []
    for app in ("anliegen", "netzwerke", "quartier", "config"):
        for datei in (WURZEL / app).rglob("*.py"):
            pfad = datei.relative_to(WURZEL)
            if "migrations" in pfad.parts or pfad == Path("anliegen/verlauf.py"):
                continue
            for nr, zeile in enumerate(datei.read_text(encoding="utf-8").splitlines(), 1):
                if _ANLEGEN.search(zeile):
                    funde.append(f"{pfad}:{nr}: {zeile.strip()}")
    return funde


def test_ereignisse_entstehen_nur_in_verlauf_anhaengen():
    assert _anlegende_stellen() == []


def test_suche_nach_anlegenden_stellen_erkennt_verstoesse():
    assert _ANLEGEN.search("Ereignis.objects.create(anliegen=a)")
    assert _ANLEGEN.search("Ereignis.objects.bulk_create([Ereignis(art='x')])")
    assert _ANLEGEN.search("anliegen.ereignisse.create(art='x')")
    assert not _ANLEGEN.search("AntragEreignis.objects.create(antrag=a)")
    assert not _ANLEGEN.search("Ereignis.objects.filter(art='x')")
    assert not _ANLEGEN.search("class Ereignis(models.Model):")


def test_anliegen_mit_verlauf_laesst_sich_nicht_loeschen(lotse):
    anliegen = lotse.erfassen()
    with pytest.raises(ProtectedError), transaction.atomic():
        anliegen.delete()
    assert Anliegen.objects.filter(pk=anliegen.pk).exists()
    assert anliegen.ereignisse.exists()


def test_loeschung_nach_art_17_behaelt_anliegen_und_verlauf(lotse):
    anliegen = lotse.erfassen()
    workflow.notiz(anliegen, text="Rückruf vereinbart", durch=lotse.stadt.qm)
    vorher = list(anliegen.ereignisse.values_list("pk", "art"))
    datenschutz.anonymisieren(
        anliegen.meldende, durch=lotse.stadt.admin, grund=datenschutz.LOESCHUNG, begruendung="x"
    )
    assert Anliegen.objects.filter(pk=anliegen.pk).exists()
    nachher = list(anliegen.ereignisse.values_list("pk", "art"))
    assert nachher[: len(vorher)] == vorher
    assert nachher[len(vorher) :] == [(nachher[-1][0], "anonymisiert")]


def test_verwaltung_zeigt_verlauf_nur_lesend(stadt):
    anfrage = RequestFactory().get("/")
    anfrage.user = stadt.admin
    anliegen_admin = admin.site._registry[Anliegen]
    assert not anliegen_admin.has_delete_permission(anfrage)
    assert Ereignis not in admin.site._registry
    (inline,) = [i for i in anliegen_admin.get_inline_instances(anfrage) if i.model is Ereignis]
    assert not inline.has_add_permission(anfrage, None)
    assert not inline.has_change_permission(anfrage, None)
    assert not inline.has_delete_permission(anfrage, None)
    assert set(inline.get_readonly_fields(anfrage)) >= {"art", "daten", "von", "zeitpunkt"}
