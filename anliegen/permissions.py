"""Wer welche Anliegen sieht und was damit tun darf.

| Rolle               | sieht                                  | personenbezogene Daten           |
|---------------------|----------------------------------------|----------------------------------|
| Quartiersmanagement | alle; bearbeitet die eigenen Quartiere | nur in eigenen Quartieren        |
| Fachbereich         | nur an den eigenen FB weitergeleitete  | nur mit Einwilligung geteilt     |
| Sozialplanung       | alle, nur lesend                       | nie                              |
| Administration      | alle, nur lesend (Stammdaten im Admin) | Auskunft/Löschung, protokolliert |

Anhänge können Personen zeigen: alle sieht das Quartiersmanagement des Quartiers und die
Administration (jeder Abruf eines nicht freigegebenen wird protokolliert); alle anderen, die das
Anliegen sehen, nur die freigegebenen.
"""

from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value

from quartier.models import Rolle, User
from quartier.permissions import darf_stammdaten_pflegen, eigene_quartiere, hat_rolle

from .models import Anhang, Anliegen, Weiterleitung


def _ist(user: User, rolle: str) -> bool:
    return hat_rolle(user) and user.rolle == rolle


def sichtbare_anliegen(user: User) -> QuerySet[Anliegen]:
    """Jede Liste und jede Detailseite von Anliegen beginnt hier; was fehlt, ist ein 404."""
    if not hat_rolle(user):
        return Anliegen.objects.none()
    if user.rolle == Rolle.FACHBEREICH:
        # Exists statt JOIN + DISTINCT: kein DISTINCT über alle Spalten, die Liste kann in der
        # Reihenfolge eines Index lesen (Index weiterleitung_fb_anliegen_idx).
        return Anliegen.objects.filter(
            Exists(
                Weiterleitung.objects.filter(
                    anliegen=OuterRef("pk"), fachbereich=user.fachbereich_id
                )
            )
        )
    return Anliegen.objects.all()


def sichtbare_weiterleitungen(user: User) -> QuerySet[Weiterleitung]:
    """Der Posteingang: für den Fachbereich die eigenen, für das QM die eigener Quartiere."""
    if _ist(user, Rolle.FACHBEREICH):
        return Weiterleitung.objects.filter(fachbereich=user.fachbereich_id)
    if _ist(user, Rolle.QUARTIERSMANAGEMENT):
        return Weiterleitung.objects.filter(anliegen__quartier__in=eigene_quartiere(user))
    if hat_rolle(user):
        return Weiterleitung.objects.all()
    return Weiterleitung.objects.none()


def darf_erfassen(user: User) -> bool:
    return _ist(user, Rolle.QUARTIERSMANAGEMENT) and eigene_quartiere(user).exists()


def darf_bearbeiten(user: User, anliegen: Anliegen) -> bool:
    """Erfassen, Weg festlegen, weiterleiten, rückmelden, abschließen: QM im eigenen Quartier."""
    return (
        _ist(user, Rolle.QUARTIERSMANAGEMENT)
        and eigene_quartiere(user).filter(pk=anliegen.quartier_id).exists()
    )


def darf_personendaten_sehen(user: User, anliegen: Anliegen) -> bool:
    """Name und Kontakt der meldenden Person."""
    if darf_bearbeiten(user, anliegen):
        return True
    if _ist(user, Rolle.FACHBEREICH) and anliegen.meldende_id:
        return anliegen.weiterleitungen.filter(
            fachbereich=user.fachbereich_id, kontakt_geteilt=True
        ).exists()
    return False


def darf_notiztexte_lesen(user: User) -> bool:
    """Den Text von Notizen, die nicht intern sind: alle außer der Sozialplanung. Notizen sind
    Freitext und können Personen nennen; Planende sehen nur, dass es eine Notiz gibt (interne
    Notizen regelt zusätzlich `darf_personendaten_sehen`)."""
    return hat_rolle(user) and user.rolle != Rolle.SOZIALPLANUNG


def personendaten_ausdruck(user: User, *, ueber: str = "") -> Exists | Value:
    """`darf_personendaten_sehen` als Ausdruck für `annotate` einer Liste: die Regel einmal je
    Seite in derselben Abfrage statt einer Abfrage je Zeile. `ueber`: Pfad von der Zeile zum
    Anliegen ("" für Anliegen, "anliegen__" für Weiterleitungen). Ohne meldende Person gibt es
    nichts zu sehen; das prüft, wer maskiert (keine Person, keine Maske)."""
    anliegen = OuterRef(f"{ueber}pk") if not ueber else OuterRef(f"{ueber[:-2]}_id")
    if _ist(user, Rolle.QUARTIERSMANAGEMENT):
        return Exists(eigene_quartiere(user).filter(pk=OuterRef(f"{ueber}quartier_id")))
    if _ist(user, Rolle.FACHBEREICH):
        return Exists(
            Weiterleitung.objects.filter(
                anliegen=anliegen, fachbereich=user.fachbereich_id, kontakt_geteilt=True
            )
        )
    return Value(False, output_field=BooleanField())


def darf_weiterleitung_bearbeiten(user: User, weiterleitung: Weiterleitung) -> bool:
    """Annehmen, beantworten, zurückgeben: Mitarbeitende des adressierten Fachbereichs."""
    return _ist(user, Rolle.FACHBEREICH) and user.fachbereich_id == weiterleitung.fachbereich_id


def darf_alle_anhaenge_sehen(
    user: User, anliegen: Anliegen, *, personendaten: bool | None = None
) -> bool:
    """Auch nicht freigegebene Anhänge (sie können Personen zeigen): das Quartiersmanagement
    des Quartiers und die Administration. Ein Fachbereich nie, auch wenn ihm der Kontakt
    geteilt wurde: die Einwilligung, Kontaktdaten weiterzugeben, umfasst keine Fotos oder
    Schreiben; dafür gibt es die Freigabe je Anhang. `personendaten`: Ergebnis von
    `darf_personendaten_sehen`, wenn die View es schon kennt (spart Abfragen)."""
    if _ist(user, Rolle.ADMINISTRATION):
        return True
    if _ist(user, Rolle.FACHBEREICH):
        return False
    if personendaten is None:
        personendaten = darf_personendaten_sehen(user, anliegen)
    return personendaten


def sichtbare_anhaenge(
    user: User, anliegen: Anliegen, *, personendaten: bool | None = None
) -> QuerySet[Anhang]:
    """Die Anhänge eines (schon über `sichtbare_anliegen` geholten) Anliegens für diese Person."""
    anhaenge = Anhang.objects.filter(anliegen=anliegen)
    if darf_alle_anhaenge_sehen(user, anliegen, personendaten=personendaten):
        return anhaenge
    return anhaenge.filter(freigegeben=True)


def darf_anhang_sehen(user: User, anhang: Anhang) -> bool:
    """Abruf einer Datei: das Anliegen muss sichtbar sein; dann alle Anhänge für QM des eigenen
    Quartiers (bzw. wer Personendaten sehen darf) und Administration, sonst nur freigegebene."""
    if not sichtbare_anliegen(user).filter(pk=anhang.anliegen_id).exists():
        return False
    return anhang.freigegeben or darf_alle_anhaenge_sehen(user, anhang.anliegen)


def darf_datenschutz_verwalten(user: User) -> bool:
    """Auskunft (Art. 15) und Löschung (Art. 17) über meldende Personen: nur die
    Administration mit Zugang zur Verwaltung; jeder Zugriff wird protokolliert."""
    return darf_stammdaten_pflegen(user)
