"""Zusagen: „wird umgesetzt bis …“ wird nachgehalten – eingehalten, verschoben, entfallen;
Rechte, Verlauf, Mail an das QM, Erfüllungsquote."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from anliegen import workflow
from anliegen.kennzahlen import erfuellungsquote
from anliegen.models import Anliegen, Ereignis, ZStatus, Zusage

HEUTE = timezone.localdate


def _zusage(lotse, fachbereich=None, *, in_tagen: int = 30, quartier=None) -> Zusage:
    fachbereich = fachbereich or lotse.stadtbetrieb
    daten = {"quartier": quartier} if quartier else {}
    qm = lotse.stadt.qm2 if quartier == lotse.stadt.sued else lotse.stadt.qm
    a = lotse.erfassen(durch=qm, **daten)
    (w,) = workflow.weiterleiten(a, an=[fachbereich], nachricht="Bitte", durch=qm)
    bearbeiter = lotse.stadt.fb if fachbereich == lotse.stadtbetrieb else lotse.fb2
    workflow.annehmen(w, durch=bearbeiter)
    workflow.beantworten(
        w,
        entscheidung="wird_umgesetzt",
        antwort="Kommt im Frühjahr.",
        erwartet_am=HEUTE() + datetime.timedelta(days=in_tagen),
        durch=bearbeiter,
    )
    Message.objects.all().delete()
    return w.zusage


def test_wird_umgesetzt_erzeugt_zusage(lotse):
    z = _zusage(lotse)
    assert z.status == ZStatus.OFFEN
    assert z.faellig_am == z.zugesagt_fuer == HEUTE() + datetime.timedelta(days=30)
    assert not z.ist_faellig


def test_andere_entscheidungen_ohne_zusage(lotse):
    a = lotse.erfassen()
    (w,) = workflow.weiterleiten(a, an=[lotse.stadtbetrieb], nachricht="B", durch=lotse.stadt.qm)
    workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(w, entscheidung="umgesetzt", antwort="Erledigt.", durch=lotse.stadt.fb)
    assert not Zusage.objects.exists()


def test_eingehalten_mit_verlauf_und_mail_an_das_qm(lotse):
    z = _zusage(lotse)
    workflow.zusage_eingehalten(z, text="Bank steht.", durch=lotse.stadt.fb, version=z.version)
    z.refresh_from_db()
    assert z.status == ZStatus.EINGEHALTEN and z.erledigt_am
    ereignis = Ereignis.objects.filter(art="zusage_eingehalten").get()
    assert ereignis.text() == "E 18: Zusage eingehalten. „Bank steht.“"
    (mail,) = Message.objects.all()
    assert mail.to_addresses == [lotse.stadt.qm.email]
    assert "eingehalten" in mail.email.subject
    # Die Person soll es erfahren: die Rückmeldefrist beginnt neu.
    assert Anliegen.objects.get().rueckmeldung_offen_seit is not None


def test_verschieben_mit_neuem_datum_und_grund(lotse):
    z = _zusage(lotse)
    alt = z.faellig_am
    neu = HEUTE() + datetime.timedelta(days=60)
    workflow.zusage_verschieben(z, neues_datum=neu, grund="Lieferengpass", durch=lotse.stadt.fb)
    z.refresh_from_db()
    assert (z.status, z.faellig_am, z.zugesagt_fuer, z.verschiebungen) == (
        ZStatus.VERSCHOBEN,
        neu,
        alt,
        1,
    )
    assert z.ist_offen and z.grund == "Lieferengpass"
    text = Ereignis.objects.get(art="zusage_verschoben").text()
    assert f"vom {alt:%d.%m.%Y} auf den {neu:%d.%m.%Y}" in text and "Lieferengpass" in text
    # verschoben bleibt offen: eingehalten geht danach noch
    workflow.zusage_eingehalten(z, durch=lotse.stadt.fb)
    assert Zusage.objects.get().status == ZStatus.EINGEHALTEN


@pytest.mark.parametrize(
    ("kwargs", "feld"),
    [
        ({"neues_datum": None, "grund": "x"}, "neues_datum"),
        ({"neues_datum": datetime.date(2000, 1, 1), "grund": "x"}, "neues_datum"),
        ({"neues_datum": "heute+10", "grund": " "}, "grund"),
    ],
)
def test_verschieben_pflichtangaben(lotse, kwargs, feld):
    z = _zusage(lotse)
    if kwargs["neues_datum"] == "heute+10":
        kwargs["neues_datum"] = HEUTE() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as fehler:
        workflow.zusage_verschieben(z, durch=lotse.stadt.fb, **kwargs)
    assert feld in fehler.value.error_dict
    assert Zusage.objects.get().status == ZStatus.OFFEN


def test_entfallen_nur_mit_grund(lotse):
    z = _zusage(lotse)
    with pytest.raises(ValidationError):
        workflow.zusage_entfallen(z, grund=" ", durch=lotse.stadt.fb)
    workflow.zusage_entfallen(z, grund="Keine Mittel im Haushalt", durch=lotse.stadt.fb)
    z.refresh_from_db()
    assert z.status == ZStatus.ENTFALLEN and z.erledigt_am
    assert "Keine Mittel im Haushalt" in Ereignis.objects.get(art="zusage_entfallen").text()
    # erledigt ist erledigt
    with pytest.raises(workflow.UngueltigerUebergang):
        workflow.zusage_eingehalten(z, durch=lotse.stadt.fb)


@pytest.mark.parametrize("persona", ["qm", "fb2", "planung"])
def test_nur_der_adressierte_fachbereich(lotse, persona):
    z = _zusage(lotse)
    wer = lotse.fb2 if persona == "fb2" else lotse.stadt.persona(persona)
    with pytest.raises(PermissionDenied):
        workflow.zusage_eingehalten(z, durch=wer)
    assert Zusage.objects.get().status == ZStatus.OFFEN


def test_veraltete_version_gibt_konflikt(lotse):
    z = _zusage(lotse)
    workflow.zusage_verschieben(
        z, neues_datum=HEUTE() + datetime.timedelta(days=40), grund="a", durch=lotse.stadt.fb
    )
    with pytest.raises(workflow.Konflikt):
        workflow.zusage_entfallen(z, grund="b", durch=lotse.stadt.fb, version=0)


def test_nach_abschluss_kann_das_qm_den_schritt_noch_rueckmelden(lotse):
    z = _zusage(lotse)
    a = Anliegen.objects.get()
    workflow.rueckmelden(a, text="Kommt im Frühjahr.", kanal="telefon", durch=lotse.stadt.qm)
    workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    a.refresh_from_db()
    assert "rueckmelden" not in [
        op.name for op in workflow.angebotene(workflow.ANLIEGEN, a, durch=lotse.stadt.qm)
    ]
    with pytest.raises(workflow.UngueltigerUebergang):
        workflow.rueckmelden(a, text="x", kanal="telefon", durch=lotse.stadt.qm)
    workflow.zusage_eingehalten(z, durch=lotse.stadt.fb)
    a.refresh_from_db()
    assert "rueckmelden" in [
        op.name for op in workflow.angebotene(workflow.ANLIEGEN, a, durch=lotse.stadt.qm)
    ]
    workflow.rueckmelden(a, text="Ist fertig.", kanal="telefon", durch=lotse.stadt.qm)
    a.refresh_from_db()
    assert a.status == "abgeschlossen" and a.rueckmeldung_offen_seit is None


# --- Seiten --------------------------------------------------------------------------------


def _aktion(w, aktion: str) -> str:
    return reverse(f"anliegen:eingang_{aktion}", args=[w.pk])


def test_posteingang_bietet_die_drei_schritte_an(lotse, client_fuer):
    z = _zusage(lotse)
    inhalt = client_fuer("fb").get(reverse("anliegen:eingang_detail", args=[z.weiterleitung_id]))
    html = inhalt.content.decode()
    for name in ("zusage_eingehalten", "zusage_verschieben", "zusage_entfallen"):
        assert f'data-testid="aktion-{name}"' in html
    assert 'data-testid="zusage"' in html


@pytest.mark.parametrize(
    ("aktion", "daten", "status"),
    [
        ("zusage_eingehalten", {"text": "Fertig."}, ZStatus.EINGEHALTEN),
        ("zusage_verschieben", {"neues_datum": "2099-05-01", "grund": "Wetter"}, "verschoben"),
        ("zusage_entfallen", {"grund": "Kein Geld"}, ZStatus.ENTFALLEN),
    ],
)
def test_schritt_ueber_die_seite(lotse, client_fuer, aktion, daten, status):
    z = _zusage(lotse)
    c = client_fuer("fb")
    assert c.get(_aktion(z.weiterleitung, aktion)).status_code == 200
    antwort = c.post(_aktion(z.weiterleitung, aktion), {**daten, "version": z.version})
    assert antwort.status_code == 302
    assert Zusage.objects.get().status == status


def test_schritt_fehlender_grund_bleibt_auf_der_seite(lotse, client_fuer):
    z = _zusage(lotse)
    antwort = client_fuer("fb").post(
        _aktion(z.weiterleitung, "zusage_entfallen"), {"grund": "", "version": z.version}
    )
    assert antwort.status_code == 200
    assert "Bitte den Grund nennen" in antwort.content.decode()
    assert Zusage.objects.get().status == ZStatus.OFFEN


@pytest.mark.parametrize(("persona", "code"), [("qm", 403), ("qm2", 404), ("planung", 403)])
def test_schritt_ueber_die_seite_fremde(lotse, client_fuer, persona, code):
    z = _zusage(lotse)
    antwort = client_fuer(persona).post(
        _aktion(z.weiterleitung, "zusage_eingehalten"), {"version": z.version}
    )
    assert antwort.status_code == code
    assert Zusage.objects.get().status == ZStatus.OFFEN


def test_anderer_fachbereich_sieht_die_weiterleitung_nicht(lotse):
    from django.test import Client

    z = _zusage(lotse)
    c = Client()
    c.force_login(lotse.fb2)
    assert c.post(_aktion(z.weiterleitung, "zusage_eingehalten"), {"version": 0}).status_code == 404


def test_erledigte_zusage_keine_knoepfe_mehr(lotse, client_fuer):
    z = _zusage(lotse)
    workflow.zusage_eingehalten(z, durch=lotse.stadt.fb)
    c = client_fuer("fb")
    html = c.get(reverse("anliegen:eingang_detail", args=[z.weiterleitung_id])).content.decode()
    assert "aktion-zusage_" not in html
    antwort = c.post(_aktion(z.weiterleitung, "zusage_entfallen"), {"grund": "x", "version": 1})
    assert antwort.status_code == 302
    assert Zusage.objects.get().status == ZStatus.EINGEHALTEN


def test_anliegen_zeigt_zusage_und_verlauf(lotse, client_fuer):
    z = _zusage(lotse)
    workflow.zusage_verschieben(
        z, neues_datum=HEUTE() + datetime.timedelta(days=50), grund="Wetter", durch=lotse.stadt.fb
    )
    nummer = Anliegen.objects.get().nummer
    html = client_fuer("qm").get(reverse("anliegen:detail", args=[nummer])).content.decode()
    assert "Zusage von Stadtbetrieb" in html
    assert "Zusage verschoben vom" in html and "Wetter" in html


def test_faellige_zusage_im_posteingang_markiert(lotse, client_fuer):
    z = _zusage(lotse)
    Zusage.objects.filter(pk=z.pk).update(faellig_am=HEUTE())
    _zusage(lotse)  # noch nicht fällig
    c = client_fuer("fb")
    html = c.get(reverse("anliegen:eingang"), {"status": ""}).content.decode()
    assert html.count("Zusage fällig</span>") == 1
    html = c.get(reverse("anliegen:eingang"), {"status": "zusage_faellig"}).content.decode()
    assert "1 Weiterleitung<" in html or ">1 Weiterleitung" in html


# --- Erfüllungsquote ----------------------------------------------------------------------


def test_erfuellungsquote_je_fachbereich_und_quartier(lotse, django_assert_num_queries):
    # Stadtbetrieb (Nord): 2 eingehalten (1 nach Verschiebung), 1 entfallen, 1 offen → 2/3
    # Grünflächen (Süd): 1 eingehalten → 1/1; dazu 1 offen und fällig
    fb = lotse.stadt.fb
    a, b, c, d = (_zusage(lotse) for _ in range(4))
    workflow.zusage_eingehalten(a, durch=fb)
    workflow.zusage_verschieben(
        b, neues_datum=HEUTE() + datetime.timedelta(days=5), grund="x", durch=fb
    )
    workflow.zusage_eingehalten(b, durch=fb)
    workflow.zusage_entfallen(c, grund="y", durch=fb)
    sued = lotse.stadt.sued
    e = _zusage(lotse, lotse.gruen, quartier=sued)
    f = _zusage(lotse, lotse.gruen, quartier=sued)
    workflow.zusage_eingehalten(e, durch=lotse.fb2)
    Zusage.objects.filter(pk=f.pk).update(faellig_am=HEUTE())

    with django_assert_num_queries(1):
        je_fb = {z["name"]: z for z in erfuellungsquote("fachbereich")}
    assert je_fb["E 18"]["anzahl"] == 4
    assert (je_fb["E 18"]["eingehalten"], je_fb["E 18"]["ohne_verschiebung"]) == (2, 1)
    assert (je_fb["E 18"]["entfallen"], je_fb["E 18"]["offen"]) == (1, 1)
    assert je_fb["E 18"]["quote"] == Decimal("0.667")
    assert je_fb["FB 36"]["quote"] == Decimal("1.000")
    assert je_fb["FB 36"]["faellig"] == 1
    je_quartier = {z["name"]: z for z in erfuellungsquote("quartier")}
    assert je_quartier["Quartier Nord"]["quote"] == Decimal("0.667")
    assert je_quartier["Quartier Süd"]["anzahl"] == 2
    assert d.status == ZStatus.OFFEN


def test_erfuellungsquote_ohne_erledigte_ist_leer(lotse):
    _zusage(lotse)
    (zeile,) = erfuellungsquote("fachbereich")
    assert zeile["quote"] is None and zeile["offen"] == 1


def test_rueckmeldung_nach_abschluss_und_zusage_schritt_ueber_die_seite(lotse, client_fuer):
    """Fehler aus dem Issue: die Seite bot „Rückmeldung festhalten“ an, GET und POST auf
    /rueckmelden/ antworteten „Das geht im Status abgeschlossen nicht“, und das Anliegen blieb
    für immer mit überfälliger Rückmeldung stehen."""
    z = _zusage(lotse)
    a = Anliegen.objects.get()
    workflow.rueckmelden(a, text="Kommt im Frühjahr.", kanal="telefon", durch=lotse.stadt.qm)
    workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    workflow.zusage_eingehalten(z, durch=lotse.stadt.fb)
    a.refresh_from_db()
    c = client_fuer("qm")
    assert 'data-testid="aktion-rueckmelden"' in c.get(f"/anliegen/{a.nummer}/").content.decode()
    seite = c.get(f"/anliegen/{a.nummer}/rueckmelden/")
    assert seite.status_code == 200
    antwort = c.post(
        f"/anliegen/{a.nummer}/rueckmelden/",
        {"version": a.version, "text": "Ist fertig.", "kanal": "telefon", "erreicht": "on"},
    )
    assert antwort.status_code == 302
    a.refresh_from_db()
    assert a.rueckmeldung_offen_seit is None
    assert a.rueckmeldungen.filter(text="Ist fertig.").exists()
    spaeter = timezone.localdate() + datetime.timedelta(days=60)
    assert not Anliegen.objects.rueckmeldung_ueberfaellig(spaeter).filter(pk=a.pk).exists()
