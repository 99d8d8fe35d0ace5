"""Die ganze Matrix: jede Persona × jeder Zustand (auch gebündelt, mit offener Zusage, nach dem
Abschluss mit wartender Rückmeldung, per Antwortlink). Jeder Knopf, den eine Seite zeigt, wird
von seinem POST angenommen; jede Operation, die sie nicht zeigt, wird abgelehnt – nichts ändert
sich (kein Ereignis, keine neue Version).

Die Operationen kommen aus der Spezifikation (`workflow.SPEZIFIKATION`): eine neue Operation ist
hier automatisch dabei und braucht nur gültige Beispieldaten in `_daten`.
"""

import datetime
import re
import uuid
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anliegen import workflow
from anliegen.models import Anliegen, Ereignis, Weiterleitung, Zusage
from anliegen.workflow import ANLIEGEN, WEITERLEITUNG, ZUSAGE
from tests.factories import FachbereichFactory

PERSONAS = ["qm", "qm2", "fb", "fb2", "planung", "admin"]


class _Zurueck(Exception):
    """Rollt die Änderungen einer Probe zurück (jede Operation beginnt am selben Zustand)."""


def _morgen() -> str:
    return (timezone.localdate() + datetime.timedelta(days=20)).isoformat()


def _daten(op: workflow.Operation, obj, lotse) -> dict:
    """Gültige Eingaben je Operation; die Version ist die des Gegenstands."""
    if op.gegenstand == ANLIEGEN:
        a: Anliegen = obj
        daten = {
            "weg": {"weg": "selbst"},
            "weiterleiten": {
                "an": [FachbereichFactory().pk],
                "nachricht": "Bitte prüfen.",
            },
            "rueckmelden": {"text": "Sie wissen Bescheid.", "kanal": "telefon", "erreicht": "on"},
            "abschliessen": {
                "grund": "duplikat" if a.status == "weitergeleitet" else "erledigt",
            },
            "wiedereroeffnen": {"grund": "Es liegt wieder Müll da."},
            "buendeln": {"nummer": lambda: lotse.erfassen(meldende=None).nummer},
            "entbuendeln": {},
            "notiz": {"text": "Angerufen.", "intern": "on", "einreichung": uuid.uuid4()},
        }[op.name]
    else:
        daten = {
            "annehmen": {},
            "beantworten": {"entscheidung": "umgesetzt", "antwort": "Ist erledigt."},
            "zurueckgeben": {"hinweis": "Zuständig ist das Ordnungsamt."},
            "zusage_eingehalten": {"text": "Fertig."},
            "zusage_verschieben": {"neues_datum": _morgen(), "grund": "Lieferengpass."},
            "zusage_entfallen": {"grund": "Kein Geld mehr."},
            "notiz": {"text": "Rückfrage beim Bauhof.", "einreichung": uuid.uuid4()},
        }[op.name]
    daten = {k: (v() if callable(v) else v) for k, v in daten.items()}
    if op.per_link:
        # Ohne Konto nennt sich, wer antwortet; mit Konto ignoriert das Formular die Felder.
        daten.update(name="Frau Amt", kontakt="")
    return {"version": obj.version, **daten}


# --- Zustände ----------------------------------------------------------------------------


def _weiterleiten(lotse, a, fb=None):
    workflow.weiterleiten(a, an=[fb or lotse.stadtbetrieb], nachricht="x", durch=lotse.stadt.qm)
    return a.weiterleitungen.order_by("-pk").first()


def _beantworten(lotse, w, entscheidung="umgesetzt", **extra):
    workflow.annehmen(w, durch=lotse.stadt.fb)
    workflow.beantworten(
        w, entscheidung=entscheidung, antwort="Ist erledigt.", durch=lotse.stadt.fb, **extra
    )


def _mit_zusage(lotse, a):
    w = _weiterleiten(lotse, a)
    _beantworten(
        lotse,
        w,
        entscheidung="wird_umgesetzt",
        erwartet_am=timezone.localdate() + datetime.timedelta(days=5),
    )
    return w


def z_neu(lotse):
    return lotse.erfassen()


def z_in_bearbeitung(lotse):
    a = lotse.erfassen()
    workflow.weg_festlegen(a, weg="selbst", durch=lotse.stadt.qm)
    return a


def z_weitergeleitet(lotse):
    a = lotse.erfassen()
    _weiterleiten(lotse, a)
    return a


def z_angenommen(lotse):
    a = lotse.erfassen()
    workflow.annehmen(_weiterleiten(lotse, a), durch=lotse.stadt.fb)
    return a


def z_zwei_fachbereiche_einer_zurueck(lotse):
    a = lotse.erfassen()
    _weiterleiten(lotse, a)
    w2 = _weiterleiten(lotse, a, lotse.gruen)
    workflow.zurueckgeben(w2, hinweis="Das Ordnungsamt.", durch=lotse.fb2)
    return a


def z_antwort_liegt_vor(lotse):
    a = lotse.erfassen()
    _beantworten(lotse, _weiterleiten(lotse, a))
    return a


def z_antwort_rueckgemeldet(lotse):
    a = z_antwort_liegt_vor(lotse)
    workflow.rueckmelden(a, text="Erledigt.", kanal="telefon", durch=lotse.stadt.qm)
    return a


def z_antwort_anonym(lotse):
    a = lotse.erfassen(meldende=None)
    _beantworten(lotse, _weiterleiten(lotse, a))
    return a


def z_offene_zusage(lotse):
    a = lotse.erfassen()
    _mit_zusage(lotse, a)
    return a


def z_abgeschlossen(lotse):
    a = lotse.erfassen()
    workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    return a


def z_abgeschlossen_zusage_schritt(lotse):
    """Der Fall aus dem Issue: Zusage eingehalten nach dem Abschluss – die Person soll es
    erfahren, die Seite bietet die Rückmeldung an, und ihr POST geht."""
    a = lotse.erfassen()
    w = _mit_zusage(lotse, a)
    workflow.rueckmelden(a, text="Kommt bald.", kanal="telefon", durch=lotse.stadt.qm)
    workflow.abschliessen(a, grund="erledigt", durch=lotse.stadt.qm)
    workflow.zusage_eingehalten(Zusage.objects.get(weiterleitung=w), durch=lotse.stadt.fb)
    return a


def z_gebuendelt(lotse):
    haupt = lotse.erfassen()
    a = lotse.erfassen()
    workflow.buendeln(a, unter=haupt, durch=lotse.stadt.qm)
    return a


def z_hauptanliegen(lotse):
    haupt = lotse.erfassen()
    workflow.buendeln(lotse.erfassen(), unter=haupt, durch=lotse.stadt.qm)
    return haupt


def z_gebuendelt_wartet(lotse):
    haupt = lotse.erfassen()
    a = lotse.erfassen()
    workflow.buendeln(a, unter=haupt, durch=lotse.stadt.qm)
    _beantworten(lotse, _weiterleiten(lotse, haupt))
    return a


ZUSTAENDE: list[Callable] = [
    z_neu,
    z_in_bearbeitung,
    z_weitergeleitet,
    z_angenommen,
    z_zwei_fachbereiche_einer_zurueck,
    z_antwort_liegt_vor,
    z_antwort_rueckgemeldet,
    z_antwort_anonym,
    z_offene_zusage,
    z_abgeschlossen,
    z_abgeschlossen_zusage_schritt,
    z_gebuendelt,
    z_hauptanliegen,
    z_gebuendelt_wartet,
]


# --- Prüfen ------------------------------------------------------------------------------


def _angezeigt(antwort) -> set[str]:
    if antwort.status_code != 200:
        return set()
    return set(re.findall(r'data-testid="aktion-([a-z_]+)"', antwort.content.decode()))


def _stand(obj) -> tuple:
    if isinstance(obj, Anliegen):
        anliegen_id = obj.pk
    elif isinstance(obj, Weiterleitung):
        anliegen_id = obj.anliegen_id
    else:
        anliegen_id = obj.weiterleitung.anliegen_id
    frisch = type(obj).objects.get(pk=obj.pk)
    return Ereignis.objects.filter(anliegen_id=anliegen_id).count(), frisch.version


def _probe(c: Client, url: str, daten: dict, zurueck: str, obj) -> bool:
    """POST in einer zurückgerollten Transaktion. True: angenommen (Weiterleitung zur Seite,
    ein Ereignis mehr); False: abgelehnt und nichts geändert. Alles andere: Testfehler."""
    ergebnis = None
    try:
        with transaction.atomic():
            vorher = _stand(obj)
            antwort = c.post(url, daten)
            nachher = _stand(obj)
            if antwort.status_code == 302 and antwort["Location"] == zurueck:
                ergebnis = nachher[0] > vorher[0]
                assert ergebnis or nachher == vorher, (url, "abgelehnt, aber geändert")
            else:
                assert antwort.status_code in (403, 404), (url, antwort.status_code)
                assert nachher == vorher, (url, "abgelehnt, aber geändert")
                ergebnis = False
            raise _Zurueck
    except _Zurueck:
        pass
    return bool(ergebnis)


def _pruefe_seite(c, seite_url, ops, obj_fuer, url_fuer, zurueck, lotse, persona):
    angezeigt = _angezeigt(c.get(seite_url))
    for op in ops:
        obj = obj_fuer(op)
        if obj is None:
            assert op.name not in angezeigt
            continue
        url = url_fuer(op)
        angenommen = _probe(c, url, _daten(op, obj, lotse), zurueck, obj)
        assert angenommen == (op.name in angezeigt), (
            f"{persona}: {op.gegenstand}/{op.name} angezeigt={op.name in angezeigt}, "
            f"POST angenommen={angenommen} (Status {obj.status})"
        )


@pytest.fixture(autouse=True)
def _viele_linkaufrufe(settings):
    settings.QL_ANTWORTLINK_AUFRUFE_JE_LINK = 10_000
    settings.QL_ANTWORTLINK_FEHLVERSUCHE_JE_IP = 10_000


@pytest.mark.parametrize("zustand", ZUSTAENDE, ids=lambda z: z.__name__[2:])
@pytest.mark.parametrize("persona", PERSONAS)
def test_knoepfe_genau_wenn_post_angenommen(lotse, client_fuer, zustand, persona):
    a = zustand(lotse)
    a.refresh_from_db()
    if persona == "fb2":
        c = Client()
        c.force_login(lotse.fb2)
    else:
        c = client_fuer(persona)
    detail = a.get_absolute_url()
    _pruefe_seite(
        c,
        detail,
        workflow.operationen(ANLIEGEN),
        lambda op: Anliegen.objects.get(pk=a.pk),
        lambda op: reverse(f"anliegen:{op.url_name}", args=[a.nummer]),
        detail,
        lotse,
        persona,
    )
    for w in Weiterleitung.objects.filter(anliegen=a):
        seite = reverse("anliegen:eingang_detail", args=[w.pk])

        def obj_fuer(op, w=w):
            frisch = Weiterleitung.objects.get(pk=w.pk)
            return frisch.zusage_falls_vorhanden if op.gegenstand == ZUSAGE else frisch

        _pruefe_seite(
            c,
            seite,
            workflow.operationen(WEITERLEITUNG) + workflow.operationen(ZUSAGE),
            obj_fuer,
            lambda op, w=w: reverse(f"anliegen:{op.url_name}", args=[w.pk]),
            seite,
            lotse,
            persona,
        )


def _link_fuer(w: Weiterleitung) -> str:
    """Einen frischen Antwortlink ausstellen (wie die Weiterleitungs-Mail)."""
    workflow._aktive_links_widerrufen(w, w.erstellt_von)
    _link, schluessel = workflow._antwortlink_anlegen(w, w.erstellt_von)
    return schluessel


@pytest.mark.parametrize("zustand", ZUSTAENDE, ids=lambda z: z.__name__[2:])
def test_antwortlink_knoepfe_genau_wenn_post_angenommen(lotse, zustand):
    a = zustand(lotse)
    c = Client()
    for w in Weiterleitung.objects.filter(anliegen=a):
        schluessel = _link_fuer(w)
        seite = reverse("anliegen:antwortlink", args=[schluessel])
        _pruefe_seite(
            c,
            seite,
            workflow.operationen(WEITERLEITUNG, per_link=True),
            lambda op, w=w: Weiterleitung.objects.get(pk=w.pk),
            lambda op, s=schluessel: reverse(f"anliegen:antwortlink_{op.name}", args=[s]),
            seite,
            lotse,
            "per Link",
        )
        # Ein Link gilt nur für seine Weiterleitung: nie die Operationen ohne `per_link`.
        for op in workflow.operationen(WEITERLEITUNG):
            if not op.per_link:
                assert c.get(f"/antwort/{schluessel}/{op.name}/").status_code == 404


def test_jede_operation_ist_in_der_matrix():
    """Jede Operation der Spezifikation hat Beispieldaten (sonst KeyError oben) und eine Adresse."""
    for op in workflow.SPEZIFIKATION:
        muster = {
            ANLIEGEN: ["2026-00001"],
            WEITERLEITUNG: [1],
            ZUSAGE: [1],
        }[op.gegenstand]
        assert reverse(f"anliegen:{op.url_name}", args=muster)
        if op.per_link:
            assert reverse(f"anliegen:antwortlink_{op.name}", args=["x" * 43])


def test_namen_eindeutig_je_gegenstand():
    schluessel = [(op.gegenstand, op.name) for op in workflow.SPEZIFIKATION]
    assert len(schluessel) == len(set(schluessel))
    # Adressen je Operation sind eindeutig (eine URL, ein Name).
    namen = [op.url_name for op in workflow.SPEZIFIKATION]
    assert len(namen) == len(set(namen))
