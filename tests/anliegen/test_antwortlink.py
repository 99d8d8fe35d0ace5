"""Antworten ohne Konto über den Antwortlink der Weiterleitungs-Mail.

Eigenschaften: 256 Bit aus `secrets`, in der Datenbank nur als SHA-256; gilt bis
QL_ANTWORTLINK_TAGE, widerrufbar, nur für seine Weiterleitung; keine Daten der meldenden
Person; jede Nutzung im Verlauf; Anfragebegrenzung; neutrale 404 für alles Ungültige.
"""

import datetime
import hashlib
import io
import logging
import re
import secrets

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from anliegen import workflow
from anliegen.models import Antwortlink, Ereignis, Status, Weiterleitung, WStatus
from config.protokoll import SchluesselAusblenden, ausblenden

from .conftest import Lotse

KANARIEN = (Lotse.NAME, Lotse.EMAIL, Lotse.TELEFON, Lotse.ANSCHRIFT)
UNGUELTIG = (
    "Dieser Link ist ungültig oder abgelaufen. Bitte wenden Sie sich an das Quartiersmanagement."
)
LINK_IN_MAIL = re.compile(r"https?://[^/\s]+/antwort/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _frische_zaehler():
    """Die Anfragebegrenzung zählt im Cache; jeder Test beginnt bei null."""
    cache.clear()
    yield
    cache.clear()


def _mails_an(an: str) -> list:
    return [m for m in Message.objects.order_by("-pk") if an in m.to_addresses]


def _schluessel_aus_mail(an: str) -> str:
    mail = _mails_an(an)[0]
    treffer = LINK_IN_MAIL.findall(mail.email.body)
    assert len(treffer) == 1, mail.email.body
    return treffer[0]


def _weiterleiten(lotse, anliegen=None, *, an=None, kontakt_teilen=False):
    anliegen = anliegen or lotse.erfassen()
    fachbereich = an or lotse.stadtbetrieb
    (w,) = workflow.weiterleiten(
        anliegen,
        an=[fachbereich],
        nachricht="Bitte den Sperrmüll abholen.",
        durch=anliegen.zustaendig,
        kontakt_teilen=kontakt_teilen,
    )
    return w, _schluessel_aus_mail(fachbereich.email)


def _url(schluessel: str, aktion: str | None = None) -> str:
    if aktion:
        return reverse(f"anliegen:antwortlink_{aktion}", args=[schluessel])
    return reverse("anliegen:antwortlink", args=[schluessel])


def _inhalt(antwort) -> str:
    return antwort.content.decode()


def _post(client, schluessel, aktion, w, **daten):
    w.refresh_from_db()
    return client.post(
        _url(schluessel, aktion), {"version": w.version, "name": "Frau Amt", **daten}
    )


@pytest.fixture
def weitergeleitet(lotse):
    return _weiterleiten(lotse)


def _ist_ungueltig(antwort) -> None:
    assert antwort.status_code == 404
    assert UNGUELTIG in _inhalt(antwort)


# --- Schlüssel ---------------------------------------------------------------------------


def test_schluessel_nur_in_der_mail_in_der_datenbank_nur_der_hash(lotse, weitergeleitet):
    w, schluessel = weitergeleitet
    assert len(schluessel) >= 43  # token_urlsafe(32): 256 Bit
    link = Antwortlink.objects.get(weiterleitung=w)
    assert link.schluessel_hash == hashlib.sha256(schluessel.encode()).hexdigest()
    for feld in Antwortlink._meta.concrete_fields:
        assert schluessel not in str(getattr(link, feld.attname))
    ausgabe = io.StringIO()
    call_command("dumpdata", "anliegen", "quartier", "netzwerke", stdout=ausgabe)
    assert schluessel not in ausgabe.getvalue()
    assert link.schluessel_hash in ausgabe.getvalue()
    # Jede Weiterleitung bekommt einen eigenen Schlüssel.
    _w2, zweiter = _weiterleiten(lotse, an=lotse.gruen)
    assert zweiter != schluessel


def test_gesendete_mails_behalten_keinen_inhalt(settings):
    # Sonst stünde der Schlüssel nach dem Versand im Protokoll von django-mailer.
    assert settings.MAILER_EMAIL_LOG_MESSAGE_DATA is False


def test_gueltigkeit_aus_der_einstellung(lotse, settings):
    settings.QL_ANTWORTLINK_TAGE = 7
    w, _s = _weiterleiten(lotse)
    link = Antwortlink.objects.get(weiterleitung=w)
    dauer = link.gueltig_bis - link.erstellt_am
    assert datetime.timedelta(days=6, hours=23) < dauer <= datetime.timedelta(days=7)


def test_der_hash_selbst_ist_kein_schluessel(weitergeleitet, client):
    w, _schluessel = weitergeleitet
    _ist_ungueltig(client.get(_url(Antwortlink.objects.get(weiterleitung=w).schluessel_hash)))


# --- Der Weg durch den Link --------------------------------------------------------------


def test_seite_zeigt_die_weiterleitung_ohne_anmeldung(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    antwort = client.get(_url(schluessel))
    assert antwort.status_code == 200
    inhalt = _inhalt(antwort)
    anliegen = w.anliegen
    for erwartet in (
        anliegen.nummer,
        anliegen.titel,
        anliegen.beschreibung,
        anliegen.ort,
        anliegen.thema.name,
        w.nachricht,
        w.frist.strftime("%d.%m.%Y"),
    ):
        assert erwartet in inhalt
    assert 'data-testid="aktion-annehmen"' in inhalt
    assert 'data-testid="aktion-zurueckgeben"' in inhalt
    assert 'data-testid="aktion-beantworten"' not in inhalt
    # Ansehen ist keine Nutzung (Mail-Scanner öffnen Links vorab).
    assert Antwortlink.objects.get(weiterleitung=w).nutzungen == 0
    assert not Ereignis.objects.filter(daten__per_link=True).exists()


def test_annehmen_und_antworten_wird_umgesetzt(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    antwort = _post(client, schluessel, "annehmen", w, kontakt="0241 432-100")
    assert antwort.status_code == 302
    assert antwort["Location"] == _url(schluessel)
    w.refresh_from_db()
    assert w.status == WStatus.IN_BEARBEITUNG
    angenommen = Ereignis.objects.get(art="angenommen")
    assert angenommen.von is None
    assert angenommen.daten == {
        "fachbereich": "E 18",
        "per_link": True,
        "name": "Frau Amt",
        "kontakt": "0241 432-100",
    }
    # Die Seite bietet jetzt das Antworten an, der Name ist vorbelegt.
    assert 'data-testid="aktion-beantworten"' in _inhalt(client.get(_url(schluessel)))
    assert 'value="Frau Amt"' in _inhalt(client.get(_url(schluessel, "beantworten")))

    erwartet = timezone.localdate() + datetime.timedelta(days=10)
    antwort = _post(
        client,
        schluessel,
        "beantworten",
        w,
        entscheidung="wird_umgesetzt",
        antwort="Wir holen ihn am Freitag ab.",
        erwartet_am=erwartet.isoformat(),
    )
    assert antwort.status_code == 302
    w.refresh_from_db()
    assert (w.status, w.entscheidung, w.erwartet_am) == (
        WStatus.BEANTWORTET,
        "wird_umgesetzt",
        erwartet,
    )
    assert w.beantwortet_von is None
    assert w.beantwortet_name == "Frau Amt"
    assert w.beantwortet_durch == "Frau Amt (per Antwortlink)"
    w.anliegen.refresh_from_db()
    assert w.anliegen.status == Status.ANTWORT_LIEGT_VOR
    beantwortet = Ereignis.objects.get(art="beantwortet")
    assert beantwortet.von is None and beantwortet.daten["per_link"] is True
    link = Antwortlink.objects.get(weiterleitung=w)
    assert link.nutzungen == 2 and link.zuletzt_genutzt_am is not None
    # Das QM bekommt dieselbe Mail wie bei einer Antwort aus dem Posteingang.
    assert any(m.subject.startswith("Antwort zu Anliegen") for m in _mails_an(lotse.stadt.qm.email))
    # Danach: erledigt, keine Schritte mehr; die Antwort steht da.
    inhalt = _inhalt(client.get(_url(schluessel)))
    assert "Diese Weiterleitung ist erledigt" in inhalt
    assert 'data-testid="aktion-' not in inhalt
    assert "Wir holen ihn am Freitag ab." in inhalt


def test_nicht_moeglich_braucht_grund(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    _post(client, schluessel, "annehmen", w)
    antwort = _post(
        client, schluessel, "beantworten", w, entscheidung="nicht_moeglich", antwort="Kein Geld."
    )
    assert antwort.status_code == 200
    assert "Bitte einen Grund aus der Liste wählen." in _inhalt(antwort)
    antwort = _post(
        client,
        schluessel,
        "beantworten",
        w,
        entscheidung="nicht_moeglich",
        antwort="Kein Geld in diesem Jahr.",
        ablehnungsgrund=lotse.kein_geld.pk,
    )
    assert antwort.status_code == 302
    w.refresh_from_db()
    assert (w.status, w.entscheidung, w.ablehnungsgrund) == (
        WStatus.BEANTWORTET,
        "nicht_moeglich",
        lotse.kein_geld,
    )


def test_umgesetzt_und_zwischenbescheid(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    _post(client, schluessel, "annehmen", w)
    _post(client, schluessel, "beantworten", w, entscheidung="zwischenbescheid", antwort="Dauert.")
    w.refresh_from_db()
    assert w.status == WStatus.IN_BEARBEITUNG
    assert Ereignis.objects.get(art="zwischenbescheid").daten["per_link"] is True
    _post(client, schluessel, "beantworten", w, entscheidung="umgesetzt", antwort="Erledigt.")
    w.refresh_from_db()
    assert (w.status, w.entscheidung) == (WStatus.BEANTWORTET, "umgesetzt")


def test_nicht_zustaendig_zurueckgeben(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    antwort = _post(client, schluessel, "zurueckgeben", w)
    assert antwort.status_code == 200
    assert "Bitte angeben, wer zuständig ist" in _inhalt(antwort)
    antwort = _post(
        client, schluessel, "zurueckgeben", w, zustaendig_fachbereich=lotse.gruen.pk, hinweis=""
    )
    assert antwort.status_code == 302
    w.refresh_from_db()
    assert (w.status, w.zustaendig_fachbereich, w.beantwortet_name) == (
        WStatus.NICHT_ZUSTAENDIG,
        lotse.gruen,
        "Frau Amt",
    )
    ereignis = Ereignis.objects.get(art="zurueckgegeben")
    assert ereignis.von is None and ereignis.daten["name"] == "Frau Amt"
    w.anliegen.refresh_from_db()
    assert w.anliegen.status == Status.ANTWORT_LIEGT_VOR


def test_ohne_namen_geht_nichts(weitergeleitet, client):
    w, schluessel = weitergeleitet
    antwort = client.post(_url(schluessel, "annehmen"), {"version": w.version, "name": "  "})
    assert antwort.status_code == 200
    assert "Bitte geben Sie Ihren Namen an." in _inhalt(antwort)
    w.refresh_from_db()
    assert w.status == WStatus.OFFEN


def test_workflow_verlangt_namen_auch_ohne_formular(weitergeleitet):
    w, _s = weitergeleitet
    link = Antwortlink.objects.get(weiterleitung=w)
    with pytest.raises(Exception, match="Namen"):
        workflow.annehmen(w, per_link=workflow.PerLink(link=link, name=""))


def test_doppelt_abgeschickt(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    version = w.version
    assert _post(client, schluessel, "annehmen", w).status_code == 302
    # Zweiter Klick mit dem alten Stand: Hinweis, nichts doppelt.
    antwort = client.post(
        _url(schluessel, "annehmen"), {"version": version, "name": "X"}, follow=True
    )
    assert "Das geht im Status „in Bearbeitung“ nicht." in _inhalt(antwort)
    assert Ereignis.objects.filter(art="angenommen").count() == 1
    # Zwischenbescheid zweimal auf demselben Stand: der zweite ist ein Konflikt.
    w.refresh_from_db()
    daten = {"version": w.version, "name": "Frau Amt", "entscheidung": "zwischenbescheid"}
    erster = client.post(_url(schluessel, "beantworten"), {**daten, "antwort": "Eins."})
    assert erster.status_code == 302
    zweiter = client.post(_url(schluessel, "beantworten"), {**daten, "antwort": "Zwei."})
    assert zweiter.status_code == 200
    assert "inzwischen von jemand anderem geändert" in _inhalt(zweiter)
    assert Ereignis.objects.filter(art="zwischenbescheid").count() == 1


def test_konto_und_link_teilen_einen_weg(lotse, weitergeleitet, client_fuer):
    """Der Posteingang funktioniert weiter; wer mit Konto handelt, steht mit Konto im Verlauf."""
    w, schluessel = weitergeleitet
    fb = client_fuer("fb")
    antwort = fb.post(reverse("anliegen:eingang_annehmen", args=[w.pk]), {"version": w.version})
    assert antwort.status_code == 302
    ereignis = Ereignis.objects.get(art="angenommen")
    assert ereignis.von == lotse.stadt.fb
    assert "per_link" not in ereignis.daten
    # Danach antwortet jemand über den Link auf dieselbe Weiterleitung.
    assert (
        _post(
            Client(), schluessel, "beantworten", w, entscheidung="umgesetzt", antwort="Fertig."
        ).status_code
        == 302
    )
    inhalt = _inhalt(fb.get(reverse("anliegen:eingang_detail", args=[w.pk])))
    assert "Frau Amt, E 18 (per Antwortlink)" in inhalt
    with pytest.raises(PermissionDenied):
        workflow.annehmen(
            w,
            durch=lotse.stadt.fb,
            per_link=workflow.PerLink(link=Antwortlink.objects.get(weiterleitung=w), name="x"),
        )


# --- Ungültige Links ---------------------------------------------------------------------


def test_abgelaufen(weitergeleitet, client):
    w, schluessel = weitergeleitet
    Antwortlink.objects.filter(weiterleitung=w).update(
        gueltig_bis=timezone.now() - datetime.timedelta(seconds=1)
    )
    _ist_ungueltig(client.get(_url(schluessel)))
    _ist_ungueltig(client.post(_url(schluessel, "annehmen"), {"version": 0, "name": "X"}))
    w.refresh_from_db()
    assert w.status == WStatus.OFFEN


def test_widerrufen_mitten_im_formular(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    assert client.get(_url(schluessel, "annehmen")).status_code == 200
    workflow.antwortlink_widerrufen(w, durch=lotse.stadt.qm)
    _ist_ungueltig(_post(client, schluessel, "annehmen", w))
    _ist_ungueltig(client.get(_url(schluessel)))
    w.refresh_from_db()
    assert w.status == WStatus.OFFEN
    link = Antwortlink.objects.get(weiterleitung=w)
    assert link.widerrufen_von == lotse.stadt.qm
    assert Ereignis.objects.get(art="antwortlink_widerrufen").text() == (
        "Antwortlink für E 18 widerrufen."
    )
    # Die Operation prüft den Link selbst noch einmal (nicht nur die Seite).
    with pytest.raises(PermissionDenied):
        workflow.annehmen(w, per_link=workflow.PerLink(link=link, name="X"))


def test_link_gilt_nur_fuer_seine_weiterleitung(lotse, client):
    anliegen = lotse.erfassen()
    w_a, schluessel_a = _weiterleiten(lotse, anliegen)
    w_b, schluessel_b = _weiterleiten(lotse, anliegen, an=lotse.gruen)
    w_c, _schluessel_c = _weiterleiten(lotse)  # anderes Anliegen
    link_a = Antwortlink.objects.get(weiterleitung=w_a)
    for fremd in (w_b, w_c):
        with pytest.raises(PermissionDenied):
            workflow.annehmen(fremd, per_link=workflow.PerLink(link=link_a, name="X"))
    # Über die Seite: der Schlüssel bestimmt die Weiterleitung, nichts sonst.
    assert "Grünflächen" not in _inhalt(client.get(_url(schluessel_a)))
    assert _post(client, schluessel_a, "annehmen", w_a).status_code == 302
    for w in (w_b, w_c):
        w.refresh_from_db()
        assert w.status == WStatus.OFFEN
    assert "Grünflächen" in _inhalt(client.get(_url(schluessel_b)))


def test_geratene_schluessel_treffen_nie(weitergeleitet, client, settings):
    settings.QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP = 10_000
    for _ in range(200):
        _ist_ungueltig(client.get(_url(secrets.token_urlsafe(32))))
    w, schluessel = weitergeleitet
    # Ein Zeichen daneben ist genauso falsch.
    verdreht = ("A" if schluessel[0] != "A" else "B") + schluessel[1:]
    _ist_ungueltig(client.get(_url(verdreht)))


@pytest.mark.parametrize(
    "schluessel",
    ["x" * 5000, "ä" * 43, "😀" * 43, "%00" * 20, "a" * 31, "a" * 65, "..", " " * 43, "'" * 43],
)
def test_falsch_geformte_schluessel_sind_404_nicht_500(weitergeleitet, client, schluessel):
    _ist_ungueltig(client.get(f"/antwort/{schluessel}/"))
    _ist_ungueltig(client.post(f"/antwort/{schluessel}/annehmen/", {"name": "x"}))


def test_unbekannte_aktion_ist_404(weitergeleitet, client):
    _w, schluessel = weitergeleitet
    _ist_ungueltig(client.get(f"/antwort/{schluessel}/loeschen/"))
    assert client.get(f"/antwort/{schluessel}/notiz/").status_code == 404


def test_erledigt_nach_abschluss(lotse, weitergeleitet, client):
    w, schluessel = weitergeleitet
    workflow.abschliessen(w.anliegen, grund="zurueckgezogen", durch=lotse.stadt.qm)
    inhalt = _inhalt(client.get(_url(schluessel)))
    assert "Diese Weiterleitung ist erledigt" in inhalt
    assert "<form" not in inhalt.split('id="inhalt"')[1]
    antwort = _post(client, schluessel, "annehmen", w)
    assert antwort.status_code == 302
    w.refresh_from_db()
    assert w.status == WStatus.ZURUECKGEZOGEN


# --- Personendaten, Kopfzeilen, Protokoll ------------------------------------------------


@pytest.mark.parametrize("kontakt_teilen", [False, True])
def test_nie_personendaten_der_meldenden(lotse, client, kontakt_teilen):
    w, schluessel = _weiterleiten(lotse, kontakt_teilen=kontakt_teilen)
    seiten = [client.get(_url(schluessel))]
    seiten += [client.get(_url(schluessel, a)) for a in ("annehmen", "zurueckgeben")]
    _post(client, schluessel, "annehmen", w)
    seiten.append(client.get(_url(schluessel, "beantworten")))
    seiten.append(_post(client, schluessel, "beantworten", w, entscheidung="umgesetzt"))
    _post(client, schluessel, "beantworten", w, entscheidung="umgesetzt", antwort="Fertig.")
    seiten.append(client.get(_url(schluessel)))
    for antwort in seiten:
        inhalt = _inhalt(antwort)
        for kanarie in KANARIEN:
            assert kanarie not in inhalt
    hinweis = "Sie sehen ihn nur angemeldet im Posteingang."
    assert (hinweis in _inhalt(seiten[0])) is kontakt_teilen


def _kopfzeilen_pruefen(antwort) -> None:
    assert "no-store" in antwort["Cache-Control"]
    # no-referrer ließe den Browser `Origin: null` senden (CSRF lehnt dann ab); strict-origin
    # gibt nie den Pfad mit dem Schlüssel weiter.
    assert antwort["Referrer-Policy"] == "strict-origin"
    assert "noindex" in antwort["X-Robots-Tag"]


def test_kopfzeilen_auf_allen_link_seiten(weitergeleitet, client, settings):
    w, schluessel = weitergeleitet
    antworten = [
        client.get(_url(schluessel)),
        client.get(_url(schluessel, "annehmen")),
        client.put(_url(schluessel)),
        client.get(_url("x" * 43)),
        _post(client, schluessel, "annehmen", w),
    ]
    settings.QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP = 1
    antworten.append(client.get(_url("y" * 43)))
    assert [a.status_code for a in antworten] == [200, 200, 405, 404, 302, 429]
    for antwort in antworten:
        _kopfzeilen_pruefen(antwort)


def test_csrf_bleibt_an(weitergeleitet):
    w, schluessel = weitergeleitet
    client = Client(enforce_csrf_checks=True)
    antwort = client.post(_url(schluessel, "annehmen"), {"version": w.version, "name": "X"})
    assert antwort.status_code == 403
    w.refresh_from_db()
    assert w.status == WStatus.OFFEN


def test_schluessel_nie_im_protokoll(weitergeleitet, client, caplog):
    w, schluessel = weitergeleitet
    with caplog.at_level(logging.DEBUG):
        client.get(_url(schluessel))
        _post(client, schluessel, "annehmen", w)
        client.get(_url(schluessel[:-1] + "-"))
    assert caplog.records
    for eintrag in caplog.records:
        assert schluessel not in eintrag.getMessage()
        assert schluessel[:-1] not in eintrag.getMessage()


def test_csrf_warnung_blendet_den_schluessel_aus(weitergeleitet, caplog):
    """Django protokolliert abgelehnte Formulare mit Pfad; der Handler der App filtert."""
    _w, schluessel = weitergeleitet
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        Client(enforce_csrf_checks=True).post(_url(schluessel, "annehmen"), {"name": "X"})
    (eintrag,) = [e for e in caplog.records if e.name == "django.security.csrf"]
    # Der Handler der App (console) filtert, bevor er schreibt; der Filter ändert den Eintrag
    # selbst, so dass auch weitere Handler den Schlüssel nicht sehen.
    assert [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, SchluesselAusblenden) for f in h.filters)
    ]
    assert schluessel not in eintrag.getMessage()
    assert "/antwort/[ausgeblendet]/annehmen/" in eintrag.getMessage()
    assert ausblenden(f"GET /antwort/{schluessel}/ 200") == "GET /antwort/[ausgeblendet]/ 200"


# --- Anfragebegrenzung -------------------------------------------------------------------


def test_zu_viele_fehlversuche_je_ip(weitergeleitet, client, settings):
    settings.QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP = 3
    _w, schluessel = weitergeleitet
    for _ in range(3):
        _ist_ungueltig(client.get(_url(secrets.token_urlsafe(32))))
    antwort = client.get(_url(secrets.token_urlsafe(32)))
    assert antwort.status_code == 429
    assert "Zu viele Anfragen" in _inhalt(antwort)
    # Gesperrt ist die IP, auch für einen gültigen Link …
    assert client.get(_url(schluessel)).status_code == 429
    # … andere IPs nicht.
    assert client.get(_url(schluessel), REMOTE_ADDR="10.1.2.3").status_code == 200


def test_zu_viele_aufrufe_je_link(weitergeleitet, client, settings):
    settings.QL_ANTWORTLINK_AUFRUFE_JE_LINK = 2
    w, schluessel = weitergeleitet
    assert client.get(_url(schluessel)).status_code == 200
    assert client.get(_url(schluessel), REMOTE_ADDR="10.9.9.9").status_code == 200
    antwort = _post(client, schluessel, "annehmen", w)
    assert antwort.status_code == 429
    w.refresh_from_db()
    assert w.status == WStatus.OFFEN


def test_zaehler_beginnt_im_neuen_zeitfenster_neu(weitergeleitet, client, settings, monkeypatch):
    settings.QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP = 1
    _w, schluessel = weitergeleitet
    client.get(_url("z" * 43))
    assert client.get(_url(schluessel)).status_code == 429
    import anliegen.views.antwortlink as modul

    jetzt = modul.time.time()
    monkeypatch.setattr(modul.time, "time", lambda: jetzt + settings.QL_ANTWORTLINK_FENSTER)
    assert client.get(_url(schluessel)).status_code == 200


# --- Quartiersmanagement: sehen, widerrufen, neu senden ----------------------------------


def _verwalten(w, aktion: str) -> str:
    return reverse("anliegen:antwortlink_verwalten", args=[w.anliegen.nummer, w.pk, aktion])


def test_qm_sieht_nutzung_im_verlauf_und_am_link(lotse, weitergeleitet, client_fuer):
    w, schluessel = weitergeleitet
    _post(Client(), schluessel, "annehmen", w, kontakt="Tel. 432-100")
    inhalt = _inhalt(client_fuer("qm").get(w.anliegen.get_absolute_url()))
    assert "Frau Amt, E 18 (per Antwortlink) – Rückfragen: Tel. 432-100" in inhalt
    assert "E 18 hat das Anliegen angenommen." in inhalt
    assert "1-mal genutzt" in inhalt
    assert f'data-testid="antwortlink-widerrufen-{w.pk}"' in inhalt
    # Andere sehen den Verlauf, aber nicht die Verwaltung des Links.
    for persona in ("qm2", "planung", "fb"):
        inhalt = _inhalt(client_fuer(persona).get(w.anliegen.get_absolute_url()))
        assert "antwortlink-widerrufen" not in inhalt


def test_qm_widerruft_und_sendet_neu(lotse, weitergeleitet, client_fuer):
    w, alt = weitergeleitet
    qm = client_fuer("qm")
    antwort = qm.post(_verwalten(w, "widerrufen"), follow=True)
    assert "gilt nicht mehr" in _inhalt(antwort)
    _ist_ungueltig(Client().get(_url(alt)))
    # Zweimal widerrufen: Hinweis statt Fehler.
    antwort = qm.post(_verwalten(w, "widerrufen"), follow=True)
    assert "keinen aktiven Antwortlink" in _inhalt(antwort)

    vorher = Message.objects.count()
    assert qm.post(_verwalten(w, "erneuern")).status_code == 302
    assert Message.objects.count() == vorher + 1
    neu = _schluessel_aus_mail(lotse.stadtbetrieb.email)
    assert neu != alt
    assert Client().get(_url(neu)).status_code == 200
    _ist_ungueltig(Client().get(_url(alt)))
    assert Antwortlink.objects.filter(weiterleitung=w, widerrufen_am__isnull=True).count() == 1
    assert (
        "Neuer Antwortlink an E 18 gesendet"
        in Ereignis.objects.get(art="antwortlink_gesendet").text()
    )
    # Erneuern widerruft den vorigen Link im selben Zug.
    assert qm.post(_verwalten(w, "erneuern")).status_code == 302
    _ist_ungueltig(Client().get(_url(neu)))
    assert Antwortlink.objects.filter(weiterleitung=w, widerrufen_am__isnull=True).count() == 1


def test_neuer_link_nur_fuer_offene_weiterleitung(lotse, weitergeleitet, client_fuer):
    w, schluessel = weitergeleitet
    _post(Client(), schluessel, "zurueckgeben", w, hinweis="Das Ordnungsamt.")
    antwort = client_fuer("qm").post(_verwalten(w, "erneuern"), follow=True)
    assert "Das geht im Status „nicht zuständig“ nicht." in _inhalt(antwort)
    assert not Ereignis.objects.filter(art="antwortlink_gesendet").exists()


@pytest.mark.parametrize(("persona", "status"), [("qm2", 403), ("fb", 403), ("planung", 403)])
def test_nur_das_zustaendige_qm_verwaltet_links(weitergeleitet, client_fuer, persona, status):
    w, schluessel = weitergeleitet
    client = client_fuer(persona)
    for aktion in ("widerrufen", "erneuern"):
        assert client.post(_verwalten(w, aktion)).status_code == status
    assert client_fuer("qm").get(_verwalten(w, "widerrufen")).status_code == 405
    assert Client().post(_verwalten(w, "widerrufen")).status_code == 302  # zur Anmeldung
    assert Client().get(_url(schluessel)).status_code == 200


def test_fremder_fachbereich_sieht_anliegen_nicht(lotse, weitergeleitet, client_fuer):
    w, _s = weitergeleitet
    client = client_fuer(None)
    client.force_login(lotse.fb2)
    assert client.post(_verwalten(w, "widerrufen")).status_code == 404
    assert Weiterleitung.objects.get(pk=w.pk).antwortlinks.get().widerrufen_am is None


def test_textbaustein_einfuegen_ohne_js_behaelt_eingaben(lotse, weitergeleitet, client):
    from anliegen.models import Textbaustein, Zweck

    w, schluessel = weitergeleitet
    _post(client, schluessel, "annehmen", w)
    baustein = Textbaustein.objects.create(
        titel="Abholung", zweck=Zweck.ANTWORT, text="Wir holen es zum Anliegen {nummer} ab."
    )
    antwort = _post(
        client,
        schluessel,
        "beantworten",
        w,
        name="Herr Kolonne",
        entscheidung="wird_umgesetzt",
        antwort="",
        textbaustein=baustein.pk,
        einfuegen="1",
    )
    assert antwort.status_code == 200
    inhalt = _inhalt(antwort)
    assert f"Wir holen es zum Anliegen {w.anliegen.nummer} ab." in inhalt
    assert 'value="Herr Kolonne"' in inhalt
    w.refresh_from_db()
    assert w.status == WStatus.IN_BEARBEITUNG  # eingefügt, nicht gesendet
    assert not Ereignis.objects.filter(art="beantwortet").exists()


def test_abfragen_wachsen_nicht(lotse, weitergeleitet, client, django_assert_max_num_queries):
    """Die Seite des Links: feste Zahl von Abfragen, gleich wie lang der Verlauf ist."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w, schluessel = weitergeleitet
    client.get(_url(schluessel))  # Sitzung/Cache aufwärmen
    with CaptureQueriesContext(connection) as vorher:
        client.get(_url(schluessel))
    # Sofort zählen: jede neue Anfrage leert das Abfrageprotokoll der Verbindung.
    anzahl = len(vorher)
    for i in range(6):
        workflow.notiz(w.anliegen, text=f"Notiz {i}", durch=lotse.stadt.fb)
    _post(client, schluessel, "annehmen", w)
    with django_assert_max_num_queries(anzahl):
        assert client.get(_url(schluessel)).status_code == 200


def test_antwortlink_zeigt_die_einbringende_einrichtung(lotse, netz, client):
    anliegen = lotse.erfassen(akteur=netz.familienzentrum, meldende=None)
    _w, schluessel = _weiterleiten(lotse, anliegen)
    inhalt = _inhalt(client.get(_url(schluessel)))
    assert "eingebracht von" in inhalt
    assert "Familienzentrum Nord" in inhalt
    # ohne Link: die Seite ohne Anmeldung führt nicht ins Netzwerkregister
    assert netz.familienzentrum.get_absolute_url() not in inhalt


def test_antwortlink_nennt_keine_einzelperson_als_akteur(lotse, netz, client):
    from netzwerke.models import Akteur

    person = Akteur.objects.create(name="Kanarie Engagiert", art="einzelperson")
    person.quartiere.set([lotse.stadt.nord])
    _w, schluessel = _weiterleiten(lotse, lotse.erfassen(akteur=person, meldende=None))
    inhalt = _inhalt(client.get(_url(schluessel)))
    assert "Kanarie Engagiert" not in inhalt
    assert "eine engagierte Einzelperson" in inhalt
