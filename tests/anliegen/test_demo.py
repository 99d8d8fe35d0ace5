"""Die Anliegen der Demodaten: rund 80 Fälle aus 18 Monaten, jeder Stand des Kreislaufs,
zurückdatiert in plausibler Reihenfolge, Nummern passend zum Jahr der Erfassung."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from anliegen import workflow
from anliegen.demo import QM_JE_QUARTIER, _feiertage
from anliegen.models import (
    Abschlussgrund,
    Anliegen,
    Entscheidung,
    Ereignis,
    Rueckmeldekanal,
    Rueckmeldung,
    Status,
    Weg,
    Weiterleitung,
    WStatus,
    Zaehler,
)
from quartier.models import User


@pytest.fixture
def demo(db):
    call_command("demo_daten", stdout=io.StringIO())


def test_rund_80_anliegen_in_den_quartieren_mit_qm(demo):
    assert 75 <= Anliegen.objects.count() <= 90
    je_quartier = dict(Anliegen.objects.values_list("quartier__slug").annotate(n=Count("pk")))
    assert set(je_quartier) == set(QM_JE_QUARTIER)
    assert min(je_quartier.values()) >= 15
    # erfasst vom QM des Quartiers
    for slug, name in QM_JE_QUARTIER.items():
        assert set(
            Anliegen.objects.filter(quartier__slug=slug).values_list(
                "zustaendig__username", flat=True
            )
        ) == {name}
        assert set(
            Ereignis.objects.filter(art="erfasst", anliegen__quartier__slug=slug).values_list(
                "von__username", flat=True
            )
        ) == {name}


def test_jeder_status_weg_und_jede_entscheidung(demo):
    assert set(Anliegen.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Anliegen.objects.exclude(weg="").values_list("weg", flat=True)) == set(Weg.values)
    assert set(Weiterleitung.objects.values_list("status", flat=True)) == set(WStatus.values)
    entscheidungen = set(Weiterleitung.objects.values_list("entscheidung", flat=True))
    assert entscheidungen >= set(Entscheidung.values) - {Entscheidung.ZWISCHENBESCHEID}
    assert Ereignis.objects.filter(art="zwischenbescheid").exists()
    assert set(
        Anliegen.objects.exclude(abschlussgrund="").values_list("abschlussgrund", flat=True)
    ) == set(Abschlussgrund.values)
    assert set(Rueckmeldung.objects.values_list("kanal", flat=True)) == set(Rueckmeldekanal.values)

    # „nicht möglich“ immer mit Grund und Erklärung, „nicht zuständig“ immer mit Hinweis
    for w in Weiterleitung.objects.filter(entscheidung="nicht_moeglich"):
        assert w.ablehnungsgrund and w.antwort
    for w in Weiterleitung.objects.filter(status="nicht_zustaendig"):
        assert w.zustaendig_fachbereich or w.zustaendig_hinweis
    assert Weiterleitung.objects.filter(
        status="nicht_zustaendig", zustaendig_fachbereich__isnull=False
    ).exists()
    for w in Weiterleitung.objects.filter(entscheidung="wird_umgesetzt"):
        assert w.erwartet_am and w.erwartet_am > timezone.localdate(w.beantwortet_am)


def test_die_besonderen_faelle_des_kreislaufs(demo):
    heute = timezone.localdate()
    offen = Weiterleitung.objects.filter(status__in=["offen", "in_bearbeitung"])
    assert offen.filter(frist__lt=heute).exists(), "überfällige Weiterleitung"
    assert offen.filter(frist__gte=heute).exists(), "offene Weiterleitung in der Frist"
    zwei = Anliegen.objects.annotate(n=Count("weiterleitungen__fachbereich", distinct=True))
    assert zwei.filter(n__gte=2).count() >= 3, "an zwei Fachbereiche"
    # zurückgegeben und danach an einen anderen Fachbereich weitergeleitet
    assert any(
        a.weiterleitungen.filter(status="nicht_zustaendig").exists()
        and a.weiterleitungen.filter(
            erstellt_am__gt=a.weiterleitungen.filter(status="nicht_zustaendig").first().erstellt_am
        ).exists()
        for a in Anliegen.objects.all()
    )
    # beantwortet, aber noch nicht rückgemeldet
    assert (
        sum(
            workflow.braucht_rueckmeldung(a)
            for a in Anliegen.objects.filter(status="antwort_liegt_vor")
        )
        >= 3
    )
    assert Rueckmeldung.objects.filter(erreicht=False).count() >= 3
    assert Ereignis.objects.filter(art="wiedereroeffnet").count() >= 3
    assert Anliegen.objects.filter(meldende__isnull=True, akteur__isnull=True).count() >= 8
    assert Anliegen.objects.filter(akteur__isnull=False).count() >= 8
    assert Anliegen.objects.filter(meldende__rueckmeldung_gewuenscht=False).exists()
    assert Anliegen.objects.exclude(ohne_rueckmeldung_grund="").exists()
    assert Weiterleitung.objects.filter(kontakt_geteilt=True).exists()
    konferenz = Anliegen.objects.filter(kanal="stadtteilkonferenz")
    assert konferenz.count() >= 8 and not konferenz.filter(sitzung__isnull=True).exists()
    for a in konferenz.select_related("sitzung"):
        assert a.sitzung.beginn < a.erstellt_am
    mehrfach = Anliegen.objects.values("meldende").annotate(n=Count("pk")).filter(n__gte=2)
    assert mehrfach.exclude(meldende=None).count() >= 5
    assert Anliegen.objects.annotate(n=Count("bedarfe")).filter(n__gte=2).count() >= 20
    # Meldende melden nur im eigenen Quartier (Personendaten bleiben beim zuständigen QM)
    for m in mehrfach.exclude(meldende=None):
        assert (
            Anliegen.objects.filter(meldende=m["meldende"]).values("quartier").distinct().count()
            == 1
        )


def test_nummern_passen_zum_jahr_und_der_zaehler_geht_weiter(demo):
    hoechste: dict[int, int] = {}
    for a in Anliegen.objects.order_by("erstellt_am", "pk"):
        jahr = timezone.localtime(a.erstellt_am).year
        assert a.jahr == jahr
        assert a.laufnummer == hoechste.get(jahr, 0) + 1, a.nummer
        assert a.nummer == f"{jahr}-{a.laufnummer:05d}"
        assert a.ereignisse.get(art="erfasst").daten["nummer"] == a.nummer
        hoechste[jahr] = a.laufnummer
    assert dict(Zaehler.objects.values_list("jahr", "letzte")) == hoechste

    qm = User.objects.get(username="qm")
    neu = workflow.erfassen(
        daten={
            "titel": "Neues Anliegen",
            "beschreibung": "Nach dem Laden der Demodaten.",
            "quartier": qm.stellen.get().quartiere.get(),
            "thema": Anliegen.objects.first().thema,
            "art": "beschwerde",
            "kanal": "telefon",
        },
        durch=qm,
    )
    jahr = timezone.localdate().year
    assert neu.nummer == f"{jahr}-{hoechste.get(jahr, 0) + 1:05d}"


def test_zeitpunkte_geordnet_an_arbeitstagen_ueber_18_monate(demo):
    jetzt = timezone.now()
    erfasst = sorted(Anliegen.objects.values_list("erstellt_am", flat=True))
    assert jetzt - erfasst[0] <= datetime.timedelta(days=550)
    assert jetzt - erfasst[0] >= datetime.timedelta(days=500)
    assert jetzt - erfasst[-1] <= datetime.timedelta(days=7)

    def arbeitszeit(t: datetime.datetime) -> bool:
        t = timezone.localtime(t)
        return t.weekday() < 5 and t.date() not in _feiertage(t.year) and 8 <= t.hour < 18

    for a in Anliegen.objects.prefetch_related("ereignisse", "weiterleitungen", "rueckmeldungen"):
        zeiten = [e.zeitpunkt for e in a.ereignisse.all()]  # nach Zeitpunkt, pk
        pks = [e.pk for e in a.ereignisse.all()]
        assert pks == sorted(pks), a.nummer  # Reihenfolge der Operationen = Reihenfolge der Zeit
        assert zeiten[0] == a.erstellt_am and max(zeiten) < jetzt
        assert all(arbeitszeit(t) for t in zeiten), a.nummer
        for w in a.weiterleitungen.all():
            assert a.erstellt_am <= w.erstellt_am
            assert w.frist == workflow.standardfrist(
                w.fachbereich, timezone.localdate(w.erstellt_am)
            )
            if w.angenommen_am:
                assert w.erstellt_am < w.angenommen_am
            if w.beantwortet_am:
                assert w.erstellt_am < w.beantwortet_am
                assert not w.angenommen_am or w.angenommen_am < w.beantwortet_am
        antworten = [w.beantwortet_am for w in a.weiterleitungen.all() if w.beantwortet_am]
        for r in a.rueckmeldungen.all():
            assert a.erstellt_am < r.zeitpunkt
        if antworten and a.rueckmeldungen.filter(erreicht=True).exists():
            assert max(r.zeitpunkt for r in a.rueckmeldungen.all()) > min(antworten)
        if a.status == "abgeschlossen":
            assert a.abgeschlossen_am == a.ereignisse.filter(art="abgeschlossen").last().zeitpunkt
            # nach dem Abschluss nur die Rückmeldung eines Schritts einer Zusage
            schritte = [e.zeitpunkt for e in a.ereignisse.all() if e.art.startswith("zusage_")]
            for r in a.rueckmeldungen.all():
                assert r.zeitpunkt < a.abgeschlossen_am or (
                    schritte and min(schritte) < r.zeitpunkt
                ), a.nummer
        else:
            assert a.abgeschlossen_am is None


def test_zweiter_lauf_aendert_nichts_und_kein_postausgang(demo):
    from mailer.models import Message

    def stand():
        return (
            list(
                Anliegen.objects.order_by("pk").values_list("pk", "nummer", "erstellt_am", "status")
            ),
            list(Ereignis.objects.order_by("pk").values_list("pk", "zeitpunkt")),
            list(Weiterleitung.objects.order_by("pk").values_list("pk", "frist", "beantwortet_am")),
            list(Zaehler.objects.order_by("jahr").values_list("jahr", "letzte")),
        )

    vorher = stand()
    assert not Message.objects.exists()
    call_command("demo_daten", stdout=io.StringIO())
    assert stand() == vorher
    assert not Message.objects.exists()


# Dass sich jedes Demokonto (auch die neuen) mit „demo“ anmeldet, prüft
# tests/quartier/test_demo_daten.py::test_jedes_demokonto_meldet_sich_mit_demo_an.


def test_jede_erledigte_zusage_hat_ihr_ereignis_vom_fachbereich(demo):
    """Erledigte Zusagen entstehen über workflow.zusage_eingehalten/zusage_entfallen: mit
    Verlaufseintrag des Fachbereichs, zurückdatiert auf einen Arbeitstag nach dem Abschluss."""
    from anliegen.models import OFFENE_ZSTATUS, Zusage

    jetzt = timezone.now()
    erledigt = Zusage.objects.exclude(status__in=OFFENE_ZSTATUS).select_related(
        "weiterleitung__anliegen", "weiterleitung__fachbereich"
    )
    assert erledigt.filter(status="eingehalten").exists()
    assert erledigt.filter(status="entfallen").exists()
    for zusage in erledigt:
        w, a = zusage.weiterleitung, zusage.weiterleitung.anliegen
        (ereignis,) = a.ereignisse.filter(
            art=f"zusage_{zusage.status}", daten__fachbereich=w.fachbereich.kuerzel
        )
        assert ereignis.von.fachbereich_id == w.fachbereich_id
        assert ereignis.zeitpunkt == zusage.erledigt_am < jetzt
        assert w.beantwortet_am < zusage.erledigt_am
        tag = timezone.localdate(zusage.erledigt_am)
        assert tag.weekday() < 5 and tag not in _feiertage(tag.year), a.nummer
        if zusage.status == "entfallen":
            assert ereignis.daten["grund"] == zusage.grund
    # Keine Rückmeldefrist beginnt „heute“ beim Laden: auch sie ist zurückdatiert.
    assert not Anliegen.objects.filter(
        rueckmeldung_offen_seit__gt=jetzt - datetime.timedelta(minutes=5)
    ).exists()
