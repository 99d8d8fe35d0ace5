"""netzwerke/fonds.py: jeder Schritt prüft Zustand und Recht, schreibt Verlauf, hält das Budget."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from mailer.models import Message

from netzwerke import fonds as ablauf
from netzwerke.models import Antrag, AntragEreignis, Antragsstatus

S = Antragsstatus


def _abstimmen(netz, stadt, antrag=None, **abweichend):
    daten = {
        "sitzung": netz.sitzung_nord,
        "quartiersbezug": True,
        "beteiligung": True,
        "eigeninitiative": True,
        "ja": 1,
        "nein": 0,
        "enthaltung": 0,
        "befangene": [netz.familienzentrum, netz.caritas],
        "durch": stadt.qm,
        **abweichend,
    }
    return ablauf.abstimmen(antrag or netz.antrag_nord, **daten)


@pytest.fixture
def empfohlen(netz, stadt):
    return _abstimmen(netz, stadt)


@pytest.fixture(autouse=True)
def _postausgang(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"


def test_einreichen_schreibt_verlauf(netz, stadt):
    antrag = ablauf.einreichen(
        fonds=netz.fonds_nord,
        antragsteller=netz.jugendtreff,
        vorhaben="Filmabend",
        beschreibung="Open Air",
        beantragt=Decimal("300"),
        durch=stadt.qm,
    )
    assert antrag.status == S.EINGEREICHT
    assert antrag.ereignisse.get().art == "eingereicht"


@pytest.mark.parametrize(
    ("betrag", "meldung"),
    [
        ("0", "größer als 0"),
        ("-5", "größer als 0"),
        ("5000.01", "übersteigt das Jahresbudget"),
    ],
)
def test_einreichen_unzulaessige_betraege(netz, stadt, betrag, meldung):
    with pytest.raises(ValidationError, match=meldung):
        ablauf.einreichen(
            fonds=netz.fonds_nord,
            antragsteller=netz.jugendtreff,
            vorhaben="x",
            beschreibung="y",
            beantragt=Decimal(betrag),
            durch=stadt.qm,
        )


@pytest.mark.parametrize("persona", ["qm2", "fb", "planung"])
def test_einreichen_nur_im_eigenen_quartier(netz, stadt, persona):
    with pytest.raises(PermissionDenied):
        ablauf.einreichen(
            fonds=netz.fonds_nord,
            antragsteller=netz.jugendtreff,
            vorhaben="x",
            beschreibung="y",
            beantragt=Decimal("10"),
            durch=stadt.persona(persona),
        )


def test_abstimmen_empfiehlt_bei_mehrheit_und_kriterien(empfohlen, netz):
    assert empfohlen.status == S.EMPFOHLEN
    assert set(empfohlen.befangene.all()) == {netz.familienzentrum, netz.caritas}
    ereignis = empfohlen.ereignisse.last()
    assert ereignis.art == "abgestimmt"
    assert ereignis.daten["befangene"] == [netz.familienzentrum.pk, netz.caritas.pk]
    assert "empfohlen" in ereignis.text()


def test_abstimmen_ohne_kriterium_nicht_empfohlen(netz, stadt):
    antrag = _abstimmen(netz, stadt, eigeninitiative=False)
    assert antrag.status == S.NICHT_EMPFOHLEN


def test_abstimmen_mehrheit_dagegen(netz, stadt):
    assert _abstimmen(netz, stadt, ja=0, nein=1).status == S.NICHT_EMPFOHLEN


def test_befangene_duerfen_nicht_mitstimmen(netz, stadt):
    # drei anwesend, zwei befangen (Antragsteller und sein Träger): höchstens eine Stimme
    with pytest.raises(ValidationError, match="nur 1 anwesende Akteure sind stimmberechtigt"):
        _abstimmen(netz, stadt, ja=2)


def test_befangen_nur_wer_anwesend_ist(netz, stadt):
    with pytest.raises(ValidationError, match="anwesend"):
        _abstimmen(netz, stadt, befangene=[netz.verein_sued])


def test_sitzung_vor_dem_eingang_des_antrags(netz, stadt):
    netz.sitzung_nord.beginn = timezone.now() - datetime.timedelta(days=60)
    netz.sitzung_nord.save()
    with pytest.raises(ValidationError, match="vor dem Eingang des Antrags"):
        _abstimmen(netz, stadt)


def test_sitzung_muss_zur_konferenz_gehoeren(netz, stadt):
    with pytest.raises(ValidationError, match="gehört nicht zur Stadtteilkonferenz"):
        _abstimmen(netz, stadt, sitzung=netz.sitzung_sued)


def test_befangene_vorschlag_umfasst_antragsteller_und_traeger(netz):
    vorschlag = ablauf.befangene_vorschlagen(netz.antrag_nord, netz.sitzung_nord)
    assert set(vorschlag) == {netz.familienzentrum, netz.caritas}


def test_befangene_vorschlag_nur_anwesende(netz):
    netz.sitzung_nord.teilnehmende.remove(netz.caritas)
    vorschlag = ablauf.befangene_vorschlagen(netz.antrag_nord, netz.sitzung_nord)
    assert vorschlag == [netz.familienzentrum]


def test_vorschlag_mit_abwesendem_traeger_laesst_sich_speichern(netz, stadt):
    netz.sitzung_nord.teilnehmende.remove(netz.caritas)
    vorschlag = ablauf.befangene_vorschlagen(netz.antrag_nord, netz.sitzung_nord)
    antrag = _abstimmen(netz, stadt, befangene=vorschlag, ja=1)
    assert list(antrag.befangene.all()) == [netz.familienzentrum]


@pytest.mark.parametrize(
    "befangene",
    [[], ["caritas"], ["familienzentrum"]],
    ids=["niemand", "nur_traeger", "nur_antragsteller"],
)
def test_antragsteller_und_traeger_muessen_befangen_sein(netz, stadt, befangene):
    with pytest.raises(ValidationError, match="Bitte als befangen markieren") as fehler:
        _abstimmen(netz, stadt, befangene=[getattr(netz, b) for b in befangene], ja=1)
    assert "befangene" in fehler.value.error_dict
    antrag = Antrag.objects.get(pk=netz.antrag_nord.pk)
    assert antrag.status == S.EINGEREICHT and not antrag.befangene.exists()


def test_abstimmen_nur_einmal(empfohlen, netz, stadt):
    with pytest.raises(ValidationError, match="im Status"):
        _abstimmen(netz, stadt, antrag=empfohlen)


def test_teilbewilligung_mindert_restbudget_und_benachrichtigt(empfohlen, netz, stadt):
    antrag = ablauf.entscheiden(
        empfohlen, bewilligt_betrag=Decimal("1000"), begruendung="Teilweise", durch=stadt.admin
    )
    assert antrag.status == S.BEWILLIGT
    assert netz.fonds_nord.restbudget() == Decimal("4000")
    assert antrag.ereignisse.last().daten == {"betrag": "1000", "teilweise": True}
    assert antrag.ereignisse.last().text() == "Teilweise bewilligt: 1.000,00 €."
    mail = Message.objects.get()
    assert netz.familienzentrum.email in mail.to_addresses


def test_ablehnung_braucht_begruendung_und_geht_an_antragsteller(empfohlen, stadt, netz):
    with pytest.raises(ValidationError, match="begründen"):
        ablauf.entscheiden(empfohlen, bewilligt_betrag=None, begruendung=" ", durch=stadt.admin)
    antrag = ablauf.entscheiden(
        empfohlen, bewilligt_betrag=None, begruendung="Kein Quartiersbezug", durch=stadt.admin
    )
    assert antrag.status == S.ABGELEHNT
    assert "Kein Quartiersbezug" in Message.objects.get().email.body


def test_nicht_empfohlen_kann_nur_abgelehnt_werden(netz, stadt):
    antrag = _abstimmen(netz, stadt, ja=0, nein=1)
    with pytest.raises(ValidationError, match="im Status"):
        ablauf.entscheiden(
            antrag, bewilligt_betrag=Decimal("10"), begruendung="", durch=stadt.admin
        )
    antrag = ablauf.entscheiden(
        antrag, bewilligt_betrag=None, begruendung="nein", durch=stadt.admin
    )
    assert antrag.status == S.ABGELEHNT


@pytest.mark.parametrize(
    ("betrag", "meldung"),
    [
        ("1500.01", "höchstens der beantragte Betrag"),
        ("-1", "nicht negativ"),
    ],
)
def test_bewilligung_unzulaessige_betraege(empfohlen, stadt, betrag, meldung):
    with pytest.raises(ValidationError, match=meldung):
        ablauf.entscheiden(
            empfohlen, bewilligt_betrag=Decimal(betrag), begruendung="", durch=stadt.admin
        )


def test_bewilligung_nie_ueber_budget(empfohlen, netz, stadt):
    netz.fonds_nord.budget = Decimal("1200")
    netz.fonds_nord.save()
    with pytest.raises(ValidationError, match="nur noch 1.200,00 € frei"):
        ablauf.entscheiden(
            empfohlen, bewilligt_betrag=Decimal("1500"), begruendung="", durch=stadt.admin
        )
    empfohlen.refresh_from_db()
    assert empfohlen.status == S.EMPFOHLEN
    assert not Message.objects.exists()


@pytest.mark.parametrize("persona", ["qm", "qm2", "fb", "planung"])
def test_entscheiden_nur_administration(empfohlen, stadt, persona):
    with pytest.raises(PermissionDenied):
        ablauf.entscheiden(
            empfohlen, bewilligt_betrag=Decimal("10"), begruendung="", durch=stadt.persona(persona)
        )


def test_ganzer_weg_bis_abschluss(empfohlen, netz, stadt):
    antrag = ablauf.entscheiden(
        empfohlen, bewilligt_betrag=Decimal("1500"), begruendung="", durch=stadt.admin
    )
    with pytest.raises(ValidationError, match="vor der Bewilligung"):
        ablauf.auszahlen(antrag, am=datetime.date(2000, 1, 1), durch=stadt.admin)
    antrag = ablauf.auszahlen(antrag, am=timezone.localdate(), durch=stadt.admin)
    with pytest.raises(ValidationError, match="höchstens der bewilligte Betrag"):
        ablauf.nachweis_erfassen(antrag, verausgabt=Decimal("1600"), bericht="x", durch=stadt.qm)
    with pytest.raises(ValidationError, match="wofür"):
        ablauf.nachweis_erfassen(antrag, verausgabt=Decimal("1400"), bericht=" ", durch=stadt.qm)
    antrag = ablauf.nachweis_erfassen(
        antrag, verausgabt=Decimal("1400"), bericht="120 Gäste", durch=stadt.qm
    )
    with pytest.raises(PermissionDenied):
        ablauf.abschliessen(antrag, durch=stadt.qm)
    antrag = ablauf.abschliessen(antrag, durch=stadt.admin)
    assert antrag.status == S.ABGESCHLOSSEN
    assert [e.art for e in antrag.ereignisse.all()] == [
        "abgestimmt",
        "bewilligt",
        "ausgezahlt",
        "nachweis",
        "abgeschlossen",
    ]
    # abgeschlossene Anträge belasten weiter das Budget
    assert netz.fonds_nord.restbudget() == Decimal("3500")


def test_zurueckziehen_mit_grund(netz, stadt):
    with pytest.raises(ValidationError, match="warum"):
        ablauf.zurueckziehen(netz.antrag_nord, grund="", durch=stadt.qm)
    antrag = ablauf.zurueckziehen(netz.antrag_nord, grund="Fest fällt aus", durch=stadt.qm)
    assert antrag.status == S.ZURUECKGEZOGEN
    with pytest.raises(ValidationError, match="im Status"):
        _abstimmen(netz, stadt, antrag=antrag)


def test_veraltete_version_ist_ein_konflikt(netz, stadt):
    version = netz.antrag_nord.version
    _abstimmen(netz, stadt, version=version)
    with pytest.raises(ablauf.Konflikt):
        ablauf.zurueckziehen(netz.antrag_nord, grund="x", durch=stadt.qm, version=version)


def test_verlauf_wird_nur_angehaengt(empfohlen):
    vorher = list(AntragEreignis.objects.values_list("pk", "art", "daten"))
    ablauf.zurueckziehen(empfohlen, grund="doch nicht", durch=empfohlen.ereignisse.first().von)
    nachher = list(AntragEreignis.objects.values_list("pk", "art", "daten"))
    assert nachher[: len(vorher)] == vorher
    assert len(nachher) == len(vorher) + 1


@pytest.mark.parametrize(
    "aktion", ["abstimmen", "entscheiden", "auszahlen", "nachweis", "abschliessen", "zurueckziehen"]
)
def test_moegliche_operationen_passen_zu_rolle_und_status(netz, stadt, aktion):
    erwartet_qm = {"abstimmen", "zurueckziehen"}
    assert (aktion in ablauf.moegliche_operationen(stadt.qm, netz.antrag_nord)) == (
        aktion in erwartet_qm
    )
    assert not ablauf.moegliche_operationen(stadt.planung, netz.antrag_nord)
    assert not ablauf.moegliche_operationen(stadt.qm2, netz.antrag_nord)
