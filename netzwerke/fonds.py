"""Der Weg eines Antrags an den Stadtteilfonds, als benannte Operationen.

Nur hier ändert sich `Antrag.status`. Jede Operation prüft Zustand und Berechtigung,
läuft in einer Transaktion mit gesperrter Zeile, hängt ein `AntragEreignis` an und legt
Mails im selben Zug in den Postausgang (django-mailer), sodass ein Rückrollen nichts sendet.

    eingereicht ─abstimmen→ empfohlen | nicht_empfohlen
    empfohlen ─entscheiden→ bewilligt | abgelehnt;  nicht_empfohlen ─entscheiden→ abgelehnt
    bewilligt ─auszahlen→ ausgezahlt ─nachweis_erfassen→ nachweis_liegt_vor
    nachweis_liegt_vor ─abschliessen→ abgeschlossen
    eingereicht | empfohlen | nicht_empfohlen ─zurueckziehen→ zurueckgezogen

Gesperrt wird wie überall mit `quartier.sperren` (Zeile sperren, Version prüfen, Version
hochzählen); wer auf einem veralteten Stand handelt, bekommt `Konflikt`.

Das Budget: die Summe der bewilligten Beträge eines Fonds übersteigt nie sein Budget. Die
Entscheidung sperrt dazu die Zeile des Fonds (`select_for_update`), so dass zwei gleichzeitige
Bewilligungen nacheinander rechnen; auf SQLite serialisiert `transaction_mode=IMMEDIATE`.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.models import User

# `Konflikt` gehört zur Schnittstelle dieses Moduls (Views fangen `fonds.Konflikt`).
from quartier.sperren import Konflikt as Konflikt
from quartier.sperren import speichern, sperren

from . import permissions
from .models import (
    Akteur,
    Antrag,
    AntragEreignis,
    Antragsstatus,
    Mitgliedschaft,
    Sitzung,
    Stadtteilfonds,
)

S = Antragsstatus


class UngueltigerUebergang(ValidationError):
    """Die Operation passt nicht zum aktuellen Zustand des Antrags."""


def _sperren(antrag: Antrag, erlaubt: Iterable[str], version: int | None) -> Antrag:
    # `sperren` sperrt nur die Antragszeile (of=self): sonst sperrte PostgreSQL auch Fonds und
    # Netzwerk aus dem Join und serialisierte still jede Operation eines Fonds.
    gesperrt = sperren(Antrag.objects.select_related("fonds__netzwerk"), antrag.pk, version)
    if gesperrt.status not in erlaubt:
        raise UngueltigerUebergang(
            _("Das geht im Status „%(status)s“ nicht.") % {"status": gesperrt.get_status_display()}
        )
    return gesperrt


def _speichern(antrag: Antrag, felder: list[str], art: str, durch: User, **daten: object) -> Antrag:
    speichern(antrag, felder)
    AntragEreignis.objects.create(antrag=antrag, art=art, daten=daten, von=durch)
    return antrag


def _benachrichtigen(antrag: Antrag, betreff: str, text: str) -> None:
    """Mail an den Antragsteller, über den Postausgang in derselben Transaktion."""
    if antrag.antragsteller.email:
        send_mail(betreff, text, None, [antrag.antragsteller.email])


def _euro(betrag: Decimal) -> str:
    return f"{betrag:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


# --- Operationen -------------------------------------------------------------------------


@transaction.atomic
def einreichen(
    *,
    fonds: Stadtteilfonds,
    antragsteller: Akteur,
    vorhaben: str,
    beschreibung: str,
    beantragt: Decimal,
    durch: User,
    eingereicht_am: datetime.date | None = None,
) -> Antrag:
    """Legt einen Antrag an; das Quartiersmanagement erfasst ihn für den Antragsteller."""
    if not permissions.darf_netzwerk_bearbeiten(durch, fonds.netzwerk):
        raise PermissionDenied
    if beantragt <= 0:
        raise ValidationError({"beantragt": _("Der Betrag muss größer als 0 € sein.")})
    if beantragt > fonds.budget:
        raise ValidationError(
            {
                "beantragt": _("Der Betrag übersteigt das Jahresbudget von %(budget)s.")
                % {"budget": _euro(fonds.budget)}
            }
        )
    antrag = Antrag.objects.create(
        fonds=fonds,
        antragsteller=antragsteller,
        vorhaben=vorhaben,
        beschreibung=beschreibung,
        beantragt=beantragt,
        eingereicht_am=eingereicht_am or timezone.localdate(),
    )
    AntragEreignis.objects.create(
        antrag=antrag, art="eingereicht", daten={"beantragt": str(beantragt)}, von=durch
    )
    return antrag


OFFENE_STATUS = (S.EINGEREICHT, S.EMPFOHLEN, S.NICHT_EMPFOHLEN)


def ueber_restbudget(antrag: Antrag, rest: Decimal) -> str:
    """Die Warnung, wenn ein noch offener Antrag mehr verlangt, als im Fonds frei ist.

    Eine Warnung, kein Verbot: bewilligt wird erst bei `entscheiden`, das die Fonds-Zeile
    sperrt und höchstens den Rest bewilligt (auch teilweise); bis dahin können andere Anträge
    abgelehnt oder zurückgezogen werden.
    """
    if antrag.status not in OFFENE_STATUS or antrag.beantragt <= rest:
        return ""
    return _(
        "Beantragt sind %(beantragt)s, im Stadtteilfonds sind aber nur noch %(rest)s frei. "
        "Bewilligt werden kann höchstens der Rest, ganz bewilligt nur, wenn Budget frei wird."
    ) % {"beantragt": _euro(antrag.beantragt), "rest": _euro(max(rest, Decimal("0")))}


def befangene_vorschlagen(antrag: Antrag, sitzung: Sitzung) -> list[Akteur]:
    """Anwesende Mitglieder, die zum Antragsteller gehören: er selbst, sein Träger, seine
    Einrichtungen. Sie sind befangen und müssen es sein (siehe `fehlende_befangene`).

    Nur Anwesende: wer fehlt, stimmt ohnehin nicht mit, und als befangen markieren lässt sich
    nur, wer da war.
    """
    nah = {antrag.antragsteller_id}
    if antrag.antragsteller.traeger_id:
        nah.add(antrag.antragsteller.traeger_id)
    nah.update(antrag.antragsteller.einrichtungen.values_list("pk", flat=True))
    mitglieder = Mitgliedschaft.objects.aktiv_am(timezone.localdate(sitzung.beginn)).filter(
        netzwerk=sitzung.netzwerk, akteur__in=nah, akteur__sitzungen=sitzung
    )
    return [m.akteur for m in mitglieder.select_related("akteur").order_by("akteur__name")]


def fehlende_befangene(antrag: Antrag, sitzung: Sitzung, befangene: Iterable[Akteur]) -> str:
    """Die Meldung, wenn ein Mitglied, das zum Antragsteller gehört, nicht als befangen
    markiert ist (sonst leer). Dieselbe Prüfung im Formular und in `abstimmen`."""
    markiert = {a.pk for a in befangene}
    fehlend = [a for a in befangene_vorschlagen(antrag, sitzung) if a.pk not in markiert]
    if not fehlend:
        return ""
    return _(
        "Wer zum Antragsteller gehört (er selbst, sein Träger, seine Einrichtungen), stimmt "
        "nicht über den Antrag ab. Bitte als befangen markieren: %(namen)s."
    ) % {"namen": ", ".join(str(a) for a in fehlend)}


@transaction.atomic
def abstimmen(
    antrag: Antrag,
    *,
    sitzung: Sitzung,
    quartiersbezug: bool,
    beteiligung: bool,
    eigeninitiative: bool,
    ja: int,
    nein: int,
    enthaltung: int,
    befangene: Iterable[Akteur],
    durch: User,
    version: int | None = None,
) -> Antrag:
    """Hält das Votum der Stadtteilkonferenz fest. Befangene stimmen nicht mit.

    Empfohlen ist der Antrag bei mehr Ja- als Nein-Stimmen und erfüllten Kriterien
    (Bezug zum Quartier, beteiligungsorientiert, Eigeninitiative).
    """
    if not permissions.darf_antrag_bearbeiten(durch, antrag):
        raise PermissionDenied
    antrag = _sperren(antrag, [S.EINGEREICHT], version)
    befangene = list(befangene)
    fehler: dict[str, str] = {}
    if sitzung.netzwerk_id != antrag.fonds.netzwerk_id:
        fehler["sitzung"] = _("Die Sitzung gehört nicht zur Stadtteilkonferenz dieses Fonds.")
    elif timezone.localdate(sitzung.beginn) < antrag.eingereicht_am:
        fehler["sitzung"] = _(
            "Die Sitzung war vor dem Eingang des Antrags (%(datum)s); bitte eine spätere wählen."
        ) % {"datum": antrag.eingereicht_am.strftime("%d.%m.%Y")}
    if min(ja, nein, enthaltung) < 0:
        fehler["ja"] = _("Stimmen können nicht negativ sein.")
    anwesend = set(sitzung.teilnehmende.values_list("pk", flat=True))
    nicht_anwesend = [a for a in befangene if a.pk not in anwesend]
    if nicht_anwesend:
        fehler["befangene"] = _(
            "Befangen kann nur sein, wer in der Sitzung anwesend ist: %(namen)s."
        ) % {"namen": ", ".join(str(a) for a in nicht_anwesend)}
    elif "sitzung" not in fehler and (meldung := fehlende_befangene(antrag, sitzung, befangene)):
        fehler["befangene"] = meldung
    stimmberechtigt = len(anwesend - {a.pk for a in befangene})
    if ja + nein + enthaltung > stimmberechtigt:
        fehler["ja"] = _(
            "Es wurden %(abgegeben)s Stimmen gezählt, aber nur %(berechtigt)s anwesende "
            "Akteure sind stimmberechtigt (ohne Befangene)."
        ) % {"abgegeben": ja + nein + enthaltung, "berechtigt": stimmberechtigt}
    if fehler:
        raise ValidationError(fehler)

    empfohlen = ja > nein and quartiersbezug and beteiligung and eigeninitiative
    antrag.status = S.EMPFOHLEN if empfohlen else S.NICHT_EMPFOHLEN
    antrag.sitzung = sitzung
    antrag.quartiersbezug, antrag.beteiligung, antrag.eigeninitiative = (
        quartiersbezug,
        beteiligung,
        eigeninitiative,
    )
    antrag.stimmen_ja, antrag.stimmen_nein, antrag.stimmen_enthaltung = ja, nein, enthaltung
    antrag.befangene.set(befangene)
    return _speichern(
        antrag,
        [
            "status",
            "sitzung",
            "quartiersbezug",
            "beteiligung",
            "eigeninitiative",
            "stimmen_ja",
            "stimmen_nein",
            "stimmen_enthaltung",
        ],
        "abgestimmt",
        durch,
        sitzung=sitzung.pk,
        ja=ja,
        nein=nein,
        enthaltung=enthaltung,
        befangene=[a.pk for a in befangene],
        empfohlen=empfohlen,
    )


@transaction.atomic
def entscheiden(
    antrag: Antrag,
    *,
    bewilligt_betrag: Decimal | None,
    begruendung: str,
    durch: User,
    version: int | None = None,
) -> Antrag:
    """Entscheidung der Verwaltung: Betrag bewilligen (ganz oder teilweise) oder ablehnen.

    Eine Ablehnung braucht eine Begründung; sie geht an den Antragsteller zurück.
    """
    if not permissions.darf_antrag_entscheiden(durch, antrag):
        raise PermissionDenied
    erlaubt = [S.EMPFOHLEN] if bewilligt_betrag else [S.EMPFOHLEN, S.NICHT_EMPFOHLEN]
    antrag = _sperren(antrag, erlaubt, version)
    if not bewilligt_betrag:
        if not begruendung.strip():
            raise ValidationError(
                {
                    "begruendung": _(
                        "Bitte begründen Sie die Ablehnung; der Antragsteller erfährt sie."
                    )
                }
            )
        antrag.status = S.ABGELEHNT
        antrag.bewilligt_betrag = None
        antrag.begruendung = begruendung.strip()
        antrag.entschieden_am = timezone.now()
        _benachrichtigen(
            antrag,
            _("Ihr Antrag an den Stadtteilfonds: %(vorhaben)s") % {"vorhaben": antrag.vorhaben},
            _("Ihr Antrag „%(vorhaben)s“ wurde leider abgelehnt.\n\nBegründung: %(grund)s")
            % {"vorhaben": antrag.vorhaben, "grund": antrag.begruendung},
        )
        return _speichern(
            antrag,
            ["status", "bewilligt_betrag", "begruendung", "entschieden_am"],
            "abgelehnt",
            durch,
            begruendung=antrag.begruendung,
        )

    if bewilligt_betrag < 0:
        raise ValidationError({"bewilligt_betrag": _("Der Betrag darf nicht negativ sein.")})
    if bewilligt_betrag > antrag.beantragt:
        raise ValidationError(
            {
                "bewilligt_betrag": _(
                    "Bewilligt werden kann höchstens der beantragte Betrag (%(betrag)s)."
                )
                % {"betrag": _euro(antrag.beantragt)}
            }
        )
    # Die Fonds-Zeile sperren: zwei gleichzeitige Bewilligungen rechnen nacheinander.
    fonds = Stadtteilfonds.objects.select_for_update().get(pk=antrag.fonds_id)
    rest = fonds.restbudget()
    if bewilligt_betrag > rest:
        raise ValidationError(
            {
                "bewilligt_betrag": _(
                    "Im Stadtteilfonds sind nur noch %(rest)s frei; %(betrag)s übersteigen das "
                    "Budget."
                )
                % {"rest": _euro(rest), "betrag": _euro(bewilligt_betrag)}
            }
        )
    antrag.status = S.BEWILLIGT
    antrag.bewilligt_betrag = bewilligt_betrag
    antrag.begruendung = begruendung.strip()
    antrag.entschieden_am = timezone.now()
    teilweise = bewilligt_betrag < antrag.beantragt
    _benachrichtigen(
        antrag,
        _("Ihr Antrag an den Stadtteilfonds: %(vorhaben)s") % {"vorhaben": antrag.vorhaben},
        _("Für „%(vorhaben)s“ wurden %(betrag)s bewilligt (beantragt: %(beantragt)s).%(grund)s")
        % {
            "vorhaben": antrag.vorhaben,
            "betrag": _euro(bewilligt_betrag),
            "beantragt": _euro(antrag.beantragt),
            "grund": f"\n\n{antrag.begruendung}" if antrag.begruendung else "",
        },
    )
    return _speichern(
        antrag,
        ["status", "bewilligt_betrag", "begruendung", "entschieden_am"],
        "bewilligt",
        durch,
        betrag=str(bewilligt_betrag),
        teilweise=teilweise,
    )


@transaction.atomic
def auszahlen(
    antrag: Antrag, *, am: datetime.date, durch: User, version: int | None = None
) -> Antrag:
    if not permissions.darf_fonds_verwalten(durch):
        raise PermissionDenied
    antrag = _sperren(antrag, [S.BEWILLIGT], version)
    if antrag.entschieden_am and am < timezone.localdate(antrag.entschieden_am):
        raise ValidationError({"am": _("Die Auszahlung kann nicht vor der Bewilligung liegen.")})
    antrag.status = S.AUSGEZAHLT
    antrag.ausgezahlt_am = am
    return _speichern(antrag, ["status", "ausgezahlt_am"], "ausgezahlt", durch, am=am.isoformat())


@transaction.atomic
def nachweis_erfassen(
    antrag: Antrag,
    *,
    verausgabt: Decimal,
    bericht: str,
    durch: User,
    version: int | None = None,
) -> Antrag:
    """Verwendungsnachweis: ausgegebener Betrag und kurzer Bericht."""
    if not permissions.darf_antrag_bearbeiten(durch, antrag):
        raise PermissionDenied
    antrag = _sperren(antrag, [S.AUSGEZAHLT], version)
    fehler = {}
    # Ausgezahlt ist ein belastender Status: die Datenbank erzwingt einen bewilligten Betrag.
    assert antrag.bewilligt_betrag is not None
    if verausgabt < 0:
        fehler["verausgabt"] = _("Der Betrag darf nicht negativ sein.")
    elif verausgabt > antrag.bewilligt_betrag:
        fehler["verausgabt"] = _(
            "Nachgewiesen werden kann höchstens der bewilligte Betrag (%(betrag)s)."
        ) % {"betrag": _euro(antrag.bewilligt_betrag)}
    if not bericht.strip():
        fehler["bericht"] = _("Bitte beschreiben Sie kurz, wofür das Geld verwendet wurde.")
    if fehler:
        raise ValidationError(fehler)
    antrag.status = S.NACHWEIS_LIEGT_VOR
    antrag.verausgabt = verausgabt
    antrag.bericht = bericht.strip()
    return _speichern(
        antrag, ["status", "verausgabt", "bericht"], "nachweis", durch, verausgabt=str(verausgabt)
    )


@transaction.atomic
def abschliessen(antrag: Antrag, *, durch: User, version: int | None = None) -> Antrag:
    if not permissions.darf_fonds_verwalten(durch):
        raise PermissionDenied
    antrag = _sperren(antrag, [S.NACHWEIS_LIEGT_VOR], version)
    antrag.status = S.ABGESCHLOSSEN
    return _speichern(antrag, ["status"], "abgeschlossen", durch)


@transaction.atomic
def zurueckziehen(antrag: Antrag, *, grund: str, durch: User, version: int | None = None) -> Antrag:
    if not permissions.darf_antrag_bearbeiten(durch, antrag):
        raise PermissionDenied
    antrag = _sperren(antrag, [S.EINGEREICHT, S.EMPFOHLEN, S.NICHT_EMPFOHLEN], version)
    if not grund.strip():
        raise ValidationError(
            {"grund": _("Bitte geben Sie an, warum der Antrag zurückgezogen wird.")}
        )
    antrag.status = S.ZURUECKGEZOGEN
    return _speichern(antrag, ["status"], "zurueckgezogen", durch, grund=grund.strip())


# Welche Operation in welchem Status angeboten wird (für Knöpfe auf der Antragsseite).
OPERATIONEN = {
    "abstimmen": ([S.EINGEREICHT], permissions.darf_antrag_bearbeiten),
    "entscheiden": ([S.EMPFOHLEN, S.NICHT_EMPFOHLEN], permissions.darf_antrag_entscheiden),
    "auszahlen": ([S.BEWILLIGT], permissions.darf_antrag_entscheiden),
    "nachweis": ([S.AUSGEZAHLT], permissions.darf_antrag_bearbeiten),
    "abschliessen": ([S.NACHWEIS_LIEGT_VOR], permissions.darf_antrag_entscheiden),
    "zurueckziehen": (
        [S.EINGEREICHT, S.EMPFOHLEN, S.NICHT_EMPFOHLEN],
        permissions.darf_antrag_bearbeiten,
    ),
}


def moegliche_operationen(user: User, antrag: Antrag) -> set[str]:
    return {
        name
        for name, (status, darf) in OPERATIONEN.items()
        if antrag.status in status and darf(user, antrag)
    }
