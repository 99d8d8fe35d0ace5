"""Exporte im Hintergrund: Auftrag anlegen, Worker (echter DatabaseBackend, `db_worker
--batch`), Fortschritt, Download nur für die Person, die ihn angestoßen hat, Rechte bei der
Ausführung, Fehler, Aufräumen."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from quartier import exporte
from quartier.models import Exportauftrag, Exportstatus, Rolle
from tests.factories import LebensraumFactory

URL = "/auswertung/versorgung/"
SEITE = reverse("quartier:exporte")


@pytest.fixture(autouse=True)
def _ablage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.QL_EXPORT_SOFORT_ZEILEN = 3
    return tmp_path


@pytest.fixture
def worker(db_worker):
    return db_worker


@pytest.fixture
def viele(stadt):
    """Mehr Lebensräume als QL_EXPORT_SOFORT_ZEILEN (3 in diesen Tests)."""
    for i in range(4):
        LebensraumFactory(name=f"Viertel {i}", einwohner=1000 + i)


def _anlegen(client, format_="xlsx", parameter=""):
    return client.post(
        reverse("quartier:export_anlegen"),
        {"quelle": "versorgung_lebensraeume", "format": format_, "parameter": parameter},
    )


def test_grosses_xlsx_fuehrt_zur_seite_mit_hintergrundauftrag(viele, client_fuer):
    antwort = client_fuer("planung").get(URL, {"format": "xlsx"})
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Im Hintergrund erstellen" in inhalt
    assert f'action="{reverse("quartier:export_anlegen")}"' in inhalt
    assert 'method="post"' in inhalt
    assert not Exportauftrag.objects.exists()  # ein GET legt nichts an


def test_kleines_xlsx_kommt_sofort(stadt, client_fuer):
    antwort = client_fuer("planung").get(URL, {"format": "xlsx"})
    assert antwort["Content-Type"].startswith("application/vnd.openxmlformats")


def test_csv_streamt_immer_sofort_auf_wunsch_im_hintergrund(viele, client_fuer):
    client = client_fuer("planung")
    assert client.get(URL, {"format": "csv"}).streaming
    wunsch = client.get(URL, {"format": "csv", "hintergrund": "1"})
    assert "Im Hintergrund erstellen" in wunsch.content.decode()


def test_auftrag_laeuft_im_worker_und_ist_herunterladbar(viele, client_fuer, worker, stadt):
    client = client_fuer("planung")
    antwort = _anlegen(client, parameter="stichtag=15.03.2025")
    assert antwort.status_code == 302 and antwort["Location"] == SEITE
    auftrag = Exportauftrag.objects.get()
    assert auftrag.status == Exportstatus.WARTET and auftrag.person == stadt.planung
    assert auftrag.parameter == {"stichtag": ["15.03.2025"]}
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    wartend = client.get(SEITE).content.decode()
    assert "wartet auf den Start" in wartend and 'hx-trigger="every 2s"' in wartend
    assert "Stand aktualisieren" in wartend and 'aria-live="polite"' in wartend

    worker()

    auftrag.refresh_from_db()
    assert auftrag.status == Exportstatus.FERTIG, auftrag.meldung
    assert auftrag.zeilen_bisher == auftrag.zeilen_gesamt == 7  # 3 der Stadt + 4
    assert auftrag.dateiname.startswith("versorgung-der-lebensraume-am-15032025")
    assert auftrag.datei.name.startswith("exporte/")
    fertig = client.get(SEITE).content.decode()
    assert "every 2s" not in fertig and "herunterladen" in fertig
    datei = client.get(reverse("quartier:export_datei", args=[auftrag.pk]))
    assert datei.status_code == 200
    assert auftrag.dateiname in datei["Content-Disposition"]
    blatt = load_workbook(io.BytesIO(datei.getvalue())).worksheets[0]
    namen = [z[0] for z in blatt.iter_rows(min_row=2, values_only=True)]
    assert len(namen) == 7 and any(n.endswith("Viertel 3") for n in namen)


def test_csv_im_hintergrund(viele, client_fuer, worker):
    client = client_fuer("planung")
    _anlegen(client, format_="csv")
    worker()
    auftrag = Exportauftrag.objects.get()
    text = client.get(reverse("quartier:export_datei", args=[auftrag.pk])).getvalue().decode()
    assert text.startswith("\ufeffLebensraum;Bezirk;")
    assert len(text.strip().split("\r\n")) == 8


@pytest.mark.parametrize("andere", ["qm", "fb", "admin", "planung2"])
def test_download_nur_fuer_die_person_selbst(viele, client_fuer, worker, stadt, andere):
    from tests.factories import UserFactory

    _anlegen(client_fuer("planung"))
    worker()
    auftrag = Exportauftrag.objects.get(status=Exportstatus.FERTIG)
    url = reverse("quartier:export_datei", args=[auftrag.pk])
    if andere == "planung2":
        stadt.planung2 = UserFactory(username="planung2", rolle=Rolle.SOZIALPLANUNG)
    fremd = client_fuer(andere)
    assert fremd.get(url).status_code == 404
    assert auftrag.titel not in fremd.get(SEITE).content.decode()


def test_download_abgemeldet_zur_anmeldung(viele, client_fuer, worker, client):
    _anlegen(client_fuer("planung"))
    worker()
    auftrag = Exportauftrag.objects.get()
    antwort = client.get(reverse("quartier:export_datei", args=[auftrag.pk]))
    assert antwort.status_code == 302 and antwort["Location"].startswith(reverse("login"))


def test_nicht_fertig_kein_download(viele, client_fuer):
    client = client_fuer("planung")
    _anlegen(client)
    auftrag = Exportauftrag.objects.get()
    assert client.get(reverse("quartier:export_datei", args=[auftrag.pk])).status_code == 404


def test_rolle_ohne_auswertung_darf_nicht_anlegen(viele, client_fuer):
    assert _anlegen(client_fuer("fb")).status_code == 403
    assert not Exportauftrag.objects.exists()


@pytest.mark.parametrize(
    "daten",
    [
        {"quelle": "gibt_es_nicht", "format": "xlsx"},
        {"quelle": "versorgung_lebensraeume", "format": "pdf"},
        {},
    ],
)
def test_falsche_eingaben_deutsche_meldung(stadt, client_fuer, daten):
    client = client_fuer("planung")
    antwort = client.post(reverse("quartier:export_anlegen"), daten, follow=True)
    assert antwort.status_code == 200
    assert "Diesen Export gibt es nicht" in antwort.content.decode()
    assert not Exportauftrag.objects.exists()


def test_anlegen_nur_per_post(stadt, client_fuer):
    assert client_fuer("planung").get(reverse("quartier:export_anlegen")).status_code == 405


def test_rechte_werden_bei_der_ausfuehrung_geprueft(viele, client_fuer, worker, stadt):
    _anlegen(client_fuer("planung"))
    stadt.planung.rolle = Rolle.FACHBEREICH  # inzwischen ohne Zugang zu Auswertungen
    stadt.planung.fachbereich = stadt.fachbereich
    stadt.planung.save()
    worker()
    auftrag = Exportauftrag.objects.get()
    assert auftrag.status == Exportstatus.FEHLGESCHLAGEN
    assert auftrag.meldung == "Sie haben keine Berechtigung (mehr) für diesen Export."
    assert not auftrag.datei


def test_fehler_im_task_endet_in_fehlgeschlagen(viele, client_fuer, worker, monkeypatch):
    def kaputt(person, parameter):
        raise RuntimeError("Datenbank weg")

    quelle = exporte.QUELLEN["versorgung_lebensraeume"]
    monkeypatch.setitem(
        exporte.QUELLEN,
        "versorgung_lebensraeume",
        exporte.Quelle(quelle.name, quelle.titel, quelle.darf, kaputt, quelle.zeilen),
    )
    client = client_fuer("planung")
    _anlegen(client)
    worker()
    auftrag = Exportauftrag.objects.get()
    assert auftrag.status == Exportstatus.FEHLGESCHLAGEN
    assert auftrag.meldung.startswith("Der Export ist fehlgeschlagen.")
    inhalt = client.get(SEITE).content.decode()
    assert "Export fehlgeschlagen" in inhalt and "Datenbank weg" not in inhalt


def test_zweiter_lauf_fuehrt_nicht_noch_einmal_aus(viele, client_fuer, worker):
    _anlegen(client_fuer("planung"))
    worker()
    auftrag = Exportauftrag.objects.get()
    datei = auftrag.datei.name
    exporte.ausfuehren(auftrag.pk)  # etwa eine doppelt zugestellte Aufgabe
    auftrag.refresh_from_db()
    assert auftrag.datei.name == datei and auftrag.status == Exportstatus.FERTIG


def test_fortschritt_wird_unterwegs_geschrieben(viele, client_fuer, worker, monkeypatch):
    staende = []
    original = exporte._Fortschritt.__iter__

    def beobachten(self):
        for zeile in original(self):
            staende.append(Exportauftrag.objects.get(pk=self.auftrag_id).zeilen_bisher)
            yield zeile

    monkeypatch.setattr(exporte, "FORTSCHRITT_ALLE", 2)
    monkeypatch.setattr(exporte._Fortschritt, "__iter__", beobachten)
    _anlegen(client_fuer("planung"))
    worker()
    assert staende == [0, 0, 2, 2, 4, 4, 6]
    assert Exportauftrag.objects.get().zeilen_gesamt == 7


def test_aufraeumen_loescht_abgelaufene_mit_datei(viele, client_fuer, worker, _ablage):
    client = client_fuer("planung")
    _anlegen(client)
    _anlegen(client, format_="csv")
    worker()
    alt, neu = Exportauftrag.objects.order_by("pk")
    pfad = _ablage / alt.datei.name
    assert pfad.exists()
    Exportauftrag.objects.filter(pk=alt.pk).update(
        ablauf_am=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("quartier:export_datei", args=[alt.pk])).status_code == 404
    call_command("exporte_aufraeumen", stdout=io.StringIO())
    assert list(Exportauftrag.objects.all()) == [neu]
    assert not pfad.exists() and (_ablage / neu.datei.name).exists()
    assert exporte.aufraeumen() == 0  # ein zweiter Lauf ist harmlos


def test_meine_exporte_abfragen_fest(viele, client_fuer, django_assert_num_queries):
    client = client_fuer("planung")
    _anlegen(client)
    client.get(SEITE)
    # Sitzung, Benutzer:in, Aufträge, Sitzung speichern (3)
    with django_assert_num_queries(6):
        client.get(SEITE)
    for _ in range(5):
        _anlegen(client)
    with django_assert_num_queries(6):
        assert client.get(SEITE, headers={"HX-Request": "true"}).status_code == 200
