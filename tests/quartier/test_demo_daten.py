"""Die Aachener Demodaten: vollständig, wiederholbar, und sie zeigen, was das Konzept schließt."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from anliegen.models import (
    Ablehnungsgrund,
    Anliegen,
    Bedarf,
    Meldende,
    Rueckmeldung,
    Thema,
    Weiterleitung,
)
from anliegen.models import Ereignis as AnliegenEreignis
from netzwerke.models import (
    Akteur,
    Angebotszeit,
    Ansprechperson,
    Antrag,
    AntragEreignis,
    Antragsstatus,
    Mitgliedschaft,
    Netzwerk,
    Projekt,
    Sitzung,
    Stadtteilfonds,
    Tagesordnungspunkt,
)
from quartier.demo import BENUTZER
from quartier.models import (
    Bezirk,
    Fachbereich,
    Kennzahl,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Rolle,
    Sprechzeit,
    Stadtteilbuero,
    User,
)
from quartier.views import versorgung

MODELLE = [
    Bezirk,
    Fachbereich,
    Kennzahl,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Sprechzeit,
    Stadtteilbuero,
    User,
    Akteur,
    Ansprechperson,
    Angebotszeit,
    Netzwerk,
    Mitgliedschaft,
    Sitzung,
    Tagesordnungspunkt,
    Projekt,
    Stadtteilfonds,
    Antrag,
    AntragEreignis,
    Thema,
    Bedarf,
    Ablehnungsgrund,
    Anliegen,
    Weiterleitung,
    Meldende,
    Rueckmeldung,
    AnliegenEreignis,
]


@pytest.fixture
def demo(db):
    call_command("demo_daten", stdout=io.StringIO())


def _stand():
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in MODELLE}


def test_zweiter_lauf_aendert_nichts(demo):
    vorher = _stand()
    passwoerter = dict(User.objects.values_list("username", "password"))
    call_command("demo_daten", stdout=io.StringIO())
    assert _stand() == vorher
    assert dict(User.objects.values_list("username", "password")) == passwoerter


def test_demokonten_mit_rollen(demo):
    erwartet = {
        "qm": Rolle.QUARTIERSMANAGEMENT,
        "qm2": Rolle.QUARTIERSMANAGEMENT,
        "qm.forst": Rolle.QUARTIERSMANAGEMENT,
        "fachbereich": Rolle.FACHBEREICH,
        "fb.verkehr": Rolle.FACHBEREICH,
        "fb.jugend": Rolle.FACHBEREICH,
        "fb.soziales": Rolle.FACHBEREICH,
        "planung": Rolle.SOZIALPLANUNG,
        "admin": Rolle.ADMINISTRATION,
    }
    assert dict(User.objects.values_list("username", "rolle")) == erwartet
    # die zusätzlichen Konten sind als Demodaten gekennzeichnet
    for name in ("qm.forst", "fb.verkehr", "fb.jugend", "fb.soziales"):
        assert "(Demo)" in User.objects.get(username=name).get_full_name()
    assert User.objects.get(username="qm.forst").stellen.get().bezeichnung.endswith("Driescher Hof")
    assert User.objects.get(username="fb.verkehr").fachbereich.kuerzel == "FB 61"
    assert User.objects.get(username="fachbereich").fachbereich.name == "Aachener Stadtbetrieb"
    assert User.objects.get(username="qm").stellen.get().bezeichnung.endswith("Ost/Rothe Erde")
    assert User.objects.get(username="qm2").stellen.get().bezeichnung.endswith("Preuswald")


@pytest.mark.parametrize("name", [b[0] for b in BENUTZER])
def test_jedes_demokonto_meldet_sich_mit_demo_an(demo, name):
    client = Client()
    antwort = client.post(reverse("login"), {"username": name, "password": "demo"})
    assert antwort.status_code == 302, antwort.content.decode()[:500]
    assert client.get(reverse("quartier:start")).status_code == 200


def test_keine_migration_legt_konten_an(db):
    assert not User.objects.exists()


def test_stellen_aus_dem_konzept(demo):
    def vzae(**filter_):
        return sum(s.stellenanteil for s in Quartiersmanagement.objects.filter(**filter_))

    assert vzae(traeger="Stadt Aachen, FB 56", art="allgemein", status="bewilligt") == 2.5
    assert vzae(art="qfi") == 3.5
    assert set(Quartiersmanagement.objects.filter(art="qfi").values_list("ende", flat=True)) == {
        datetime.date(2018, 12, 31)
    }
    kk = Quartiersmanagement.objects.get(bezeichnung="Quartiersmanagement Kronenberg/Kullen")
    assert kk.status == "vorgeschlagen" and kk.beginn == datetime.date(2019, 1, 1)
    einwohner = sum(lr.einwohner for q in kk.quartiere.all() for lr in q.lebensraeume.all())
    assert einwohner == 8852


def test_versorgung_nach_ende_des_qfi_wie_im_konzept(demo):
    stand = versorgung(datetime.date(2019, 1, 1))
    assert [lr.name for lr in stand["ohne_qm"]] == ["Kronenberg"]
    assert "Kullen" in [lr.name for lr in stand["an_der_schwelle_ohne_qm"]]
    vorher = versorgung(datetime.date(2018, 12, 31))
    assert not list(vorher["ohne_qm"])


def test_bueros_mit_buerogemeinschaft(demo):
    assert "Nadelfabrik" in Stadtteilbuero.objects.get(name="Stadtteilbüro Ost/Rothe Erde").strasse
    assert "SKM" in Stadtteilbuero.objects.get(name="Stadtteilbüro Forst/Driescher Hof").hinweise
    assert "Diakonie" in Stadtteilbuero.objects.get(name="Stadtteilbüro Preuswald").hinweise


def test_erfundene_werte_sind_gekennzeichnet(demo):
    assert not Lebensraum.objects.exclude(beschreibung__contains="Demodaten").exists()
    assert not Kennzahl.objects.exclude(quelle__contains="Demodaten").exists()


def test_netzwerke_aus_dem_konzept(demo):
    assert Netzwerk.objects.filter(art="stadtteilkonferenz").count() == 10
    assert Netzwerk.objects.filter(art="oeag").count() == 6
    assert Akteur.objects.filter(art="begegnungszentrum").count() == 8
    assert Akteur.objects.filter(art="mehrgenerationenhaus").count() == 2
    for traeger in ("AWO", "Caritas", "Diakonie", "SKM", "SkF"):
        assert Akteur.objects.filter(name__contains=traeger, art="wohlfahrtsverband").exists()
    assert Angebotszeit.objects.filter(
        akteur__name="SKM Aachen", buero__name="Stadtteilbüro Forst/Driescher Hof"
    ).exists()
    assert Angebotszeit.objects.filter(
        akteur__name="Diakonie Aachen", buero__name="Stadtteilbüro Preuswald"
    ).exists()
    assert Sitzung.objects.exclude(protokoll="").exists()
    assert set(Projekt.objects.values_list("art", flat=True)) >= {
        "stadtteilfest",
        "fahrradwerkstatt",
        "kochaktion",
        "filmabend",
        "bepflanzungsaktion",
        "ausflug",
        "wandercafe",
    }


def test_stadtteilfonds_mit_antraegen_in_jedem_status(demo):
    assert set(Antrag.objects.values_list("status", flat=True)) == set(Antragsstatus.values)
    fonds = Stadtteilfonds.objects.get(netzwerk__name="Stadtteilkonferenz Ost/Rothe Erde")
    assert fonds.restbudget() == fonds.budget - fonds.bewilligt_summe() < fonds.budget
    # jeder Antrag hat einen echten Verlauf aus den Operationen
    assert not Antrag.objects.filter(ereignisse__isnull=True).exists()


def test_routing_tabelle_aus_dem_konzept(demo):
    assert Thema.objects.get(name="Wilder Müll").fachbereich.name == "Aachener Stadtbetrieb"
    assert Thema.objects.get(name="Schlaglöcher und Gehwege").fachbereich.kuerzel == "FB 61"
    assert Thema.objects.get(name="Beratung gesucht").fachbereich is None
    assert Ablehnungsgrund.objects.exists() and Bedarf.objects.exists()


def test_anliegen_in_allen_stufen_des_kreislaufs(demo):
    assert set(Anliegen.objects.values_list("status", flat=True)) == {
        "neu",
        "in_bearbeitung",
        "weitergeleitet",
        "antwort_liegt_vor",
        "abgeschlossen",
    }
    assert set(Anliegen.objects.exclude(weg="").values_list("weg", flat=True)) == {
        "selbst",
        "kontakt",
        "bedarf",
        "weiterleiten",
    }
    assert set(Weiterleitung.objects.values_list("status", flat=True)) >= {
        "offen",
        "in_bearbeitung",
        "beantwortet",
        "nicht_zustaendig",
    }
    # beantwortet, aber noch nicht rückgemeldet: darauf wartet die Journey des QM
    assert Anliegen.objects.filter(status="antwort_liegt_vor", rueckmeldungen__isnull=True).exists()
