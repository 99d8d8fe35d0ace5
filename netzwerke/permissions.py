"""Wer darf bei Akteuren, Netzwerken, Sitzungen, Projekten und dem Stadtteilfonds was.

- Lesen: alle Rollen (das Netzwerkregister enthält keine Daten von Bürger:innen).
- Ansprechpersonen (Name, E-Mail, Telefon): Quartiersmanagement, Fachbereich und
  Administration; die Sozialplanung nie.
- Bearbeiten: das Quartiersmanagement in seinen Quartieren, die Administration überall.
- Über Anträge an den Stadtteilfonds entscheidet, zahlt aus und schließt ab: die Administration.
"""

from django.db.models import QuerySet

from quartier.models import Quartier, Rolle, User
from quartier.permissions import darf_register_sehen, eigene_quartiere, hat_rolle

from .models import (
    Akteur,
    Ansprechperson,
    Antrag,
    Netzwerk,
    Projekt,
    Sitzung,
    SitzungQuerySet,
    Stadtteilfonds,
)


def _ist_administration(user: User) -> bool:
    return hat_rolle(user) and user.rolle == Rolle.ADMINISTRATION


def darf_in_quartieren_arbeiten(user: User, quartiere: QuerySet[Quartier]) -> bool:
    """Administration immer; Quartiersmanagement, wenn eines der Quartiere seines ist.

    Dieselbe Regel gilt beim Anlegen: wer Quartiere zuordnet, muss danach noch bearbeiten
    dürfen (siehe `forms.netzwerke.pruefe_eigene_quartiere`).
    """
    if _ist_administration(user):
        return True
    if not hat_rolle(user) or user.rolle != Rolle.QUARTIERSMANAGEMENT:
        return False
    return quartiere.filter(pk__in=eigene_quartiere(user).values("pk")).exists()


# --- Listen ------------------------------------------------------------------------------


def sichtbare_akteure(user: User) -> QuerySet[Akteur]:
    return Akteur.objects.all() if darf_register_sehen(user) else Akteur.objects.none()


def sichtbare_ansprechpersonen(user: User) -> QuerySet[Ansprechperson]:
    if not darf_ansprechpersonen_sehen(user):
        return Ansprechperson.objects.none()
    return Ansprechperson.objects.all()


def sichtbare_netzwerke(user: User) -> QuerySet[Netzwerk]:
    return Netzwerk.objects.all() if darf_register_sehen(user) else Netzwerk.objects.none()


def sichtbare_sitzungen(user: User) -> SitzungQuerySet:
    return Sitzung.objects.all() if darf_register_sehen(user) else Sitzung.objects.none()


def sichtbare_projekte(user: User) -> QuerySet[Projekt]:
    return Projekt.objects.all() if darf_register_sehen(user) else Projekt.objects.none()


def sichtbare_fonds(user: User) -> QuerySet[Stadtteilfonds]:
    if not darf_register_sehen(user):
        return Stadtteilfonds.objects.none()
    return Stadtteilfonds.objects.all()


def sichtbare_antraege(user: User) -> QuerySet[Antrag]:
    return Antrag.objects.all() if darf_register_sehen(user) else Antrag.objects.none()


# --- Rollen ------------------------------------------------------------------------------


def darf_ansprechpersonen_sehen(user: User) -> bool:
    """Kontaktdaten von Ansprechpersonen: nie für die Sozialplanung."""
    return hat_rolle(user) and user.rolle in (
        Rolle.QUARTIERSMANAGEMENT,
        Rolle.FACHBEREICH,
        Rolle.ADMINISTRATION,
    )


def darf_anlegen(user: User) -> bool:
    """Akteure, Netzwerke, Sitzungen, Projekte und Anträge neu anlegen."""
    return hat_rolle(user) and user.rolle in (Rolle.QUARTIERSMANAGEMENT, Rolle.ADMINISTRATION)


def darf_fonds_verwalten(user: User) -> bool:
    """Budgets anlegen, über Anträge entscheiden, auszahlen und abschließen."""
    return _ist_administration(user)


# --- Objekte -----------------------------------------------------------------------------


def darf_akteur_bearbeiten(user: User, akteur: Akteur) -> bool:
    return darf_in_quartieren_arbeiten(user, akteur.quartiere.all())


def darf_netzwerk_bearbeiten(user: User, netzwerk: Netzwerk) -> bool:
    return darf_in_quartieren_arbeiten(user, netzwerk.quartiere.all())


def darf_sitzung_bearbeiten(user: User, sitzung: Sitzung) -> bool:
    return darf_netzwerk_bearbeiten(user, sitzung.netzwerk)


def darf_projekt_bearbeiten(user: User, projekt: Projekt) -> bool:
    return darf_in_quartieren_arbeiten(user, projekt.quartiere.all())


def darf_antrag_bearbeiten(user: User, antrag: Antrag) -> bool:
    """Einreichen, zur Abstimmung bringen, Nachweis erfassen, zurückziehen."""
    return darf_netzwerk_bearbeiten(user, antrag.fonds.netzwerk)


def darf_antrag_entscheiden(user: User, antrag: Antrag) -> bool:
    return darf_fonds_verwalten(user)
