"""Anliegen und der Lotsen-Kreislauf.

Darf `netzwerke` und `quartier` importieren. Status ändern sich nur über anliegen/workflow.py.
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netzwerke.models import Akteur, Antrag, Sitzung
from quartier.models import Fachbereich, Quartier

from .fristen import stichtag


def rueckmeldung_stichtag(heute: datetime.date | None = None) -> datetime.date:
    """Was vor diesem Tag auf Rückmeldung zu warten begann, ist überfällig."""
    return stichtag(heute or timezone.localdate(), settings.QL_RUECKMELDEFRIST_ARBEITSTAGE)


# --- Stammdaten des Kreislaufs -----------------------------------------------------------


class Thema(models.Model):
    """Kategorie für die Weiterleitung, mit dem Fachbereich, der sie üblicherweise bekommt."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    fachbereich = models.ForeignKey(
        Fachbereich,
        verbose_name=_("üblicher Fachbereich"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="themen",
    )
    beschreibung = models.CharField(_("Beschreibung"), max_length=300, blank=True)
    aktiv = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Bedarf(models.Model):
    """Planungsthema für die Sozialplanung, unabhängig von der Weiterleitung."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    aktiv = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Bedarf")
        verbose_name_plural = _("Bedarfe")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ablehnungsgrund(models.Model):
    """Gepflegte Liste der Gründe für „nicht möglich“; dazu immer eine Erklärung in Klartext."""

    name = models.CharField(_("Name"), max_length=150, unique=True)
    aktiv = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Ablehnungsgrund")
        verbose_name_plural = _("Ablehnungsgründe")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Meldende ----------------------------------------------------------------------------


class Rueckmeldekanal(models.TextChoices):
    EMAIL = "email", _("E-Mail")
    TELEFON = "telefon", _("Telefon")
    PERSOENLICH = "persoenlich", _("persönlich")
    BRIEF = "brief", _("Brief")
    AUSHANG = "aushang", _("Stadtteilkonferenz/Aushang")


class Meldende(models.Model):
    """Personenbezogene Daten einer meldenden Person; getrennt gehalten, um sie zurückhalten
    und anonymisieren zu können. Fachbereiche und Sozialplanung sehen sie nie (Ausnahme:
    mit Einwilligung geteilter Kontakt in einer Weiterleitung)."""

    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    anschrift = models.CharField(_("Anschrift"), max_length=250, blank=True)
    einwilligung = models.BooleanField(
        _("Einwilligung"),
        default=False,
        help_text=_("Die Person ist einverstanden, dass ihre Kontaktdaten gespeichert werden."),
    )
    rueckmeldung_gewuenscht = models.BooleanField(_("möchte Rückmeldung"), default=True)
    bevorzugter_kanal = models.CharField(
        _("bevorzugter Weg der Rückmeldung"),
        max_length=20,
        choices=Rueckmeldekanal.choices,
        blank=True,
    )
    erstellt_am = models.DateTimeField(_("erfasst am"), auto_now_add=True)
    anonymisiert_am = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meldende Person")
        verbose_name_plural = _("Meldende Personen")
        ordering = ["-erstellt_am"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bevorzugter_kanal="") | Q(bevorzugter_kanal__in=Rueckmeldekanal.values),
                name="meldende_kanal_gueltig",
            ),
        ]

    def __str__(self) -> str:
        # Ohne Namen: str(obj) landet u. a. im Admin-Protokoll (LogEntry.object_repr) und
        # bliebe dort nach einer Löschung stehen.
        return str(_("Meldende Person Nr. %(nr)s")) % {"nr": self.pk}


# --- Anliegen ----------------------------------------------------------------------------


class Status(models.TextChoices):
    NEU = "neu", _("neu")
    IN_BEARBEITUNG = "in_bearbeitung", _("in Bearbeitung")
    WEITERGELEITET = "weitergeleitet", _("weitergeleitet")
    ANTWORT_LIEGT_VOR = "antwort_liegt_vor", _("Antwort liegt vor")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")


class Art(models.TextChoices):
    BESCHWERDE = "beschwerde", _("Beschwerde/Mangel")
    IDEE = "idee", _("Idee/Anregung")
    ANFRAGE = "anfrage", _("Anfrage/Beratung")
    BEDARF = "bedarf", _("Bedarf/Hinweis")


class Kanal(models.TextChoices):
    SPRECHSTUNDE = "sprechstunde", _("Sprechstunde")
    BUERGERSTEIG = "buergersteig", _("Bürgersteiggespräch")
    TELEFON = "telefon", _("Telefon")
    EMAIL = "email", _("E-Mail")
    STADTTEILKONFERENZ = "stadtteilkonferenz", _("Stadtteilkonferenz")
    VERANSTALTUNG = "veranstaltung", _("Veranstaltung")


class Weg(models.TextChoices):
    """Die Entscheidung des Lotsen."""

    SELBST = "selbst", _("selbst umsetzen")
    KONTAKT = "kontakt", _("Kontakt vermitteln")
    BEDARF = "bedarf", _("als Bedarf erfassen")
    WEITERLEITEN = "weiterleiten", _("weiterleiten")


class Abschlussgrund(models.TextChoices):
    ERLEDIGT = "erledigt", _("erledigt")
    KONTAKT_VERMITTELT = "kontakt_vermittelt", _("Kontakt vermittelt")
    ALS_BEDARF_ERFASST = "als_bedarf_erfasst", _("als Bedarf erfasst")
    NICHT_UMSETZBAR = "nicht_umsetzbar", _("nicht umsetzbar")
    DUPLIKAT = "duplikat", _("Duplikat")
    ZURUECKGEZOGEN = "zurueckgezogen", _("zurückgezogen")


class AnliegenQuerySet(models.QuerySet):
    def offen(self) -> "AnliegenQuerySet":
        return self.exclude(status=Status.ABGESCHLOSSEN)

    def im_quartier(self, quartier: Quartier) -> "AnliegenQuerySet":
        return self.filter(quartier=quartier)

    def rueckmeldung_ueberfaellig(self, heute: datetime.date | None = None) -> "AnliegenQuerySet":
        """Eine Antwort wartet länger als `QL_RUECKMELDEFRIST_ARBEITSTAGE` auf Weitergabe.

        Auch abgeschlossene: ein Schritt einer Zusage (eingehalten, verschoben, entfallen) soll
        die Person erfahren, auch wenn das Anliegen schon geschlossen ist."""
        return self.filter(rueckmeldung_offen_seit__date__lt=rueckmeldung_stichtag(heute))


STATUS_RANG = Case(
    *(When(status=wert, then=Value(rang)) for rang, wert in enumerate(Status.values)),
    default=Value(0),
)
STATUS_RANG_UMGEKEHRT = Case(
    *(When(status=wert, then=Value(rang)) for rang, wert in enumerate(reversed(Status.values))),
    default=Value(0),
)


class Anliegen(models.Model):
    jahr = models.PositiveSmallIntegerField(_("Jahr"), editable=False)
    laufnummer = models.PositiveIntegerField(_("laufende Nummer"), editable=False)
    nummer = models.CharField(_("Nummer"), max_length=12, unique=True, editable=False)
    titel = models.CharField(_("Titel"), max_length=200)
    beschreibung = models.TextField(_("Beschreibung"))
    quartier = models.ForeignKey(
        Quartier, verbose_name=_("Quartier"), on_delete=models.PROTECT, related_name="anliegen"
    )
    ort = models.CharField(_("Ort"), max_length=250, blank=True, help_text=_("Adresse oder Stelle"))
    breite = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    laenge = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    thema = models.ForeignKey(
        Thema, verbose_name=_("Thema"), on_delete=models.PROTECT, related_name="anliegen"
    )
    bedarfe = models.ManyToManyField(
        Bedarf, verbose_name=_("Bedarfe"), related_name="anliegen", blank=True
    )
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    kanal = models.CharField(_("Eingang über"), max_length=20, choices=Kanal.choices)
    sitzung = models.ForeignKey(
        Sitzung,
        verbose_name=_("Sitzung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="anliegen",
    )
    meldende = models.ForeignKey(
        Meldende,
        verbose_name=_("meldende Person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="anliegen",
    )
    akteur = models.ForeignKey(
        Akteur,
        verbose_name=_("eingebracht von Akteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="anliegen",
    )
    # Aus welchem Anliegen ein Antrag an den Stadtteilfonds kam. Die FK liegt hier, weil
    # `netzwerke` `anliegen` nicht kennen darf. SET_NULL wie bei Sitzung und Akteur: Anträge
    # löscht nur die Administration, um eine Fehleingabe zu berichtigen – dann ist auch der
    # Verweis falsch; PROTECT ließe `netzwerke` an Anliegen scheitern, die sie nicht sieht.
    fondsantrag = models.ForeignKey(
        Antrag,
        verbose_name=_("Antrag an den Stadtteilfonds"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="anliegen",
    )
    zustaendig = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständig"),
        on_delete=models.PROTECT,
        related_name="anliegen",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.NEU, editable=False
    )
    weg = models.CharField(_("Weg"), max_length=20, choices=Weg.choices, blank=True, editable=False)
    vermittelt_an = models.ForeignKey(
        Akteur,
        verbose_name=_("vermittelt an"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vermittelte_anliegen",
        editable=False,
    )
    vermittelt_an_text = models.CharField(
        _("vermittelt an (Freitext)"), max_length=250, blank=True, editable=False
    )
    abschlussgrund = models.CharField(
        _("Abschlussgrund"),
        max_length=30,
        choices=Abschlussgrund.choices,
        blank=True,
        editable=False,
    )
    ohne_rueckmeldung_grund = models.CharField(
        _("Grund ohne Rückmeldung"), max_length=250, blank=True, editable=False
    )
    uebergeordnet = models.ForeignKey(
        "self",
        verbose_name=_("gebündelt unter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gebuendelte",
        editable=False,
    )
    erstellt_am = models.DateTimeField(_("erfasst am"), default=timezone.now, editable=False)
    abgeschlossen_am = models.DateTimeField(_("abgeschlossen am"), null=True, editable=False)
    # Seit wann eine Antwort (oder ein Schritt einer Zusage) darauf wartet, dass die meldende
    # Person sie erfährt; leer, wenn nichts wartet oder keine Rückmeldung möglich/gewünscht ist.
    # Gesetzt und geleert nur in anliegen/workflow.py; Grundlage der Rückmeldefrist.
    rueckmeldung_offen_seit = models.DateTimeField(
        _("Rückmeldung offen seit"), null=True, blank=True, editable=False
    )
    # Doppeltes Absenden desselben Formulars legt nichts doppelt an.
    einreichung = models.UUIDField(
        _("Einreichungsschlüssel"), unique=True, null=True, editable=False
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # Rang des Status für die Sortierung der Liste (neu 0 … abgeschlossen 4), von der Datenbank
    # aus `status` berechnet und gespeichert: ein Index kann danach sortieren (ein CASE in der
    # Abfrage kann kein Index bedienen), und keine Stelle, die den Status setzt, muss ihn pflegen.
    status_rang = models.GeneratedField(
        expression=STATUS_RANG, output_field=models.PositiveSmallIntegerField(), db_persist=True
    )
    # Derselbe Rang umgekehrt (abgeschlossen 0 … neu 4): „Status, neu zuerst, darin neueste
    # zuerst“ ist so eine einheitlich absteigende Sortierung, die ein Index rückwärts liest.
    status_rang_umgekehrt = models.GeneratedField(
        expression=STATUS_RANG_UMGEKEHRT,
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    objects = AnliegenQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anliegen")
        verbose_name_plural = _("Anliegen")
        ordering = ["-erstellt_am", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="anliegen_status_gueltig"
            ),
            models.CheckConstraint(condition=Q(art__in=Art.values), name="anliegen_art_gueltig"),
            models.CheckConstraint(
                condition=Q(kanal__in=Kanal.values), name="anliegen_kanal_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(weg="") | Q(weg__in=Weg.values), name="anliegen_weg_gueltig"
            ),
            # Abgeschlossen heißt: mit Grund; offen heißt: ohne.
            models.CheckConstraint(
                condition=(
                    Q(status=Status.ABGESCHLOSSEN) & Q(abschlussgrund__in=Abschlussgrund.values)
                )
                | (~Q(status=Status.ABGESCHLOSSEN) & Q(abschlussgrund="")),
                name="anliegen_abschluss_mit_grund",
            ),
            models.UniqueConstraint(fields=["jahr", "laufnummer"], name="anliegen_nummer_je_jahr"),
            models.CheckConstraint(
                condition=~Q(uebergeordnet=F("pk")), name="anliegen_nicht_unter_sich_selbst"
            ),
        ]
        indexes = [
            # für Listen und Dashboard: offene Anliegen je Quartier und Status
            models.Index(fields=["quartier", "status"], name="anliegen_quartier_status_idx"),
            # Auswertung Anliegen: Zeitraumfilter (erfasst am) für alle Zahlen; abdeckend, damit
            # Verlauf je Monat, Lotse je Quartal, Quartier × Thema und die geschuldeten
            # Rückmeldungen nur den Index lesen (Index Only Scan), nie die Tabelle. Schlüssel-
            # statt INCLUDE-Spalten: so deckt der Index auch auf SQLite ab.
            models.Index(
                fields=[
                    *["erstellt_am", "quartier", "thema", "weg", "abgeschlossen_am"],
                    *["meldende", "akteur", "id"],
                ],
                name="anliegen_auswertung_idx",
            ),
            # Auswertung Anliegen je Quartier und Quartiersbericht (ein Quartier, ein Jahr)
            models.Index(fields=["quartier", "erstellt_am"], name="anliegen_quartier_erstellt_idx"),
            # für Erinnerungen und „Mein Überblick“: Antworten, die auf Rückmeldung warten
            models.Index(
                fields=["rueckmeldung_offen_seit"],
                condition=Q(rueckmeldung_offen_seit__isnull=False),
                name="anliegen_rm_offen_idx",
            ),
            # Liste, Sortierung „erfasst“ (beide Richtungen, rückwärts gelesen für „neueste
            # zuerst“) und ihr Blättern über (erstellt_am, id); die Liste als Fachbereich.
            models.Index(fields=["erstellt_am", "id"], name="anliegen_liste_erfasst_idx"),
            # dieselbe für die Vorgabe „nur offene“ (die abgeschlossenen werden mit den Jahren
            # die meisten Zeilen, der Index bleibt klein)
            models.Index(
                fields=["erstellt_am", "id"],
                condition=~Q(status="abgeschlossen"),
                name="anliegen_liste_offen_idx",
            ),
            # Sortierung „Status“: abgeschlossen zuerst bzw. neu zuerst, darin neueste zuerst
            models.Index(
                fields=["status_rang", "erstellt_am", "id"], name="anliegen_liste_status_idx"
            ),
            models.Index(
                fields=["status_rang_umgekehrt", "erstellt_am", "id"],
                name="anliegen_liste_status_um_idx",
            ),
            # Sortierung „Quartier“: je Quartier neueste zuerst (Schlüssel Quartiername,
            # quartier_id, erstellt_am, id); die Sortierung „Nummer“ liest den eindeutigen
            # Index (jahr, laufnummer).
            models.Index(
                fields=["quartier", "erstellt_am", "id"], name="anliegen_liste_quartier_idx"
            ),
            # Vorgabe des Quartiersmanagements: offene der eigenen Quartiere, neueste zuerst
            # (liest nur die offenen Zeilen dieser Quartiere, nie die abgeschlossenen)
            models.Index(
                fields=["quartier", "erstellt_am", "id"],
                condition=~Q(status="abgeschlossen"),
                name="anliegen_liste_qm_offen_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nummer} {self.titel}"

    def get_absolute_url(self) -> str:
        return reverse("anliegen:detail", args=[self.nummer])

    def ist_rueckmeldung_ueberfaellig(self, heute: datetime.date | None = None) -> bool:
        return bool(
            self.rueckmeldung_offen_seit
            and timezone.localdate(self.rueckmeldung_offen_seit) < rueckmeldung_stichtag(heute)
        )


class Zaehler(models.Model):
    """Laufende Nummer je Jahr; die Zeile wird beim Vergeben gesperrt."""

    jahr = models.PositiveSmallIntegerField(_("Jahr"), primary_key=True)
    letzte = models.PositiveIntegerField(_("letzte Nummer"), default=0)

    class Meta:
        verbose_name = _("Nummernzähler")
        verbose_name_plural = _("Nummernzähler")

    def __str__(self) -> str:
        return f"{self.jahr}: {self.letzte}"


# --- Weiterleitung und Rückmeldung -------------------------------------------------------


class WStatus(models.TextChoices):
    OFFEN = "offen", _("offen")
    IN_BEARBEITUNG = "in_bearbeitung", _("in Bearbeitung")
    BEANTWORTET = "beantwortet", _("beantwortet")
    NICHT_ZUSTAENDIG = "nicht_zustaendig", _("nicht zuständig")
    ZURUECKGEZOGEN = "zurueckgezogen", _("zurückgezogen")


OFFENE_WSTATUS = (WStatus.OFFEN, WStatus.IN_BEARBEITUNG)


class Entscheidung(models.TextChoices):
    UMGESETZT = "umgesetzt", _("umgesetzt")
    WIRD_UMGESETZT = "wird_umgesetzt", _("wird umgesetzt")
    ZWISCHENBESCHEID = "zwischenbescheid", _("Zwischenbescheid")
    NICHT_MOEGLICH = "nicht_moeglich", _("nicht möglich")


class WeiterleitungQuerySet(models.QuerySet):
    def offen(self) -> "WeiterleitungQuerySet":
        return self.filter(status__in=OFFENE_WSTATUS)

    def ueberfaellig(self, heute: datetime.date | None = None) -> "WeiterleitungQuerySet":
        """Offen und die Frist (ein Arbeitstag, siehe `fristen`) ist verstrichen."""
        return self.offen().filter(frist__lt=heute or timezone.localdate())


class Weiterleitung(models.Model):
    anliegen = models.ForeignKey(
        Anliegen,
        verbose_name=_("Anliegen"),
        on_delete=models.CASCADE,
        related_name="weiterleitungen",
    )
    fachbereich = models.ForeignKey(
        Fachbereich,
        verbose_name=_("Fachbereich"),
        on_delete=models.PROTECT,
        related_name="weiterleitungen",
    )
    nachricht = models.TextField(_("Nachricht an den Fachbereich"))
    frist = models.DateField(_("Antwort bis"))
    kontakt_geteilt = models.BooleanField(
        _("Kontakt der meldenden Person geteilt"),
        default=False,
        help_text=_("Nur mit Einwilligung der Person."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=WStatus.choices, default=WStatus.OFFEN, editable=False
    )
    entscheidung = models.CharField(
        _("Entscheidung"), max_length=20, choices=Entscheidung.choices, blank=True, editable=False
    )
    antwort = models.TextField(_("Antwort"), blank=True, editable=False)
    erwartet_am = models.DateField(_("Umsetzung erwartet am"), null=True, editable=False)
    ablehnungsgrund = models.ForeignKey(
        Ablehnungsgrund,
        verbose_name=_("Ablehnungsgrund"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    zustaendig_fachbereich = models.ForeignKey(
        Fachbereich,
        verbose_name=_("zuständig ist"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    zustaendig_hinweis = models.CharField(
        _("zuständig ist (Hinweis)"), max_length=250, blank=True, editable=False
    )
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("weitergeleitet von"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    erstellt_am = models.DateTimeField(_("weitergeleitet am"), default=timezone.now, editable=False)
    angenommen_am = models.DateTimeField(_("angenommen am"), null=True, editable=False)
    # Letztes Lebenszeichen des Fachbereichs (Annahme, Zwischenbescheid): Grundlage der
    # Nachfrage, wenn eine angenommene Weiterleitung zu lange still bleibt.
    lebenszeichen_am = models.DateTimeField(_("letztes Lebenszeichen"), null=True, editable=False)
    beantwortet_am = models.DateTimeField(_("beantwortet am"), null=True, editable=False)
    # Erste Uhr der Auswertung: Arbeitstage von der Weiterleitung bis zur Antwort oder Rückgabe
    # (`fristen.arbeitstage_dauer`), gesetzt in workflow.beantworten/zurueckgeben. Gespeichert,
    # weil sich Arbeitstage (Feiertage) nicht in SQL zählen lassen; siehe anliegen/dauern.py.
    antwort_arbeitstage = models.PositiveSmallIntegerField(
        _("Antwortzeit (Arbeitstage)"), null=True, editable=False
    )
    beantwortet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwortet von"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    # Wer ohne Konto über den Antwortlink geantwortet hat (Name, wie eingetippt); dann ist
    # `beantwortet_von` leer. Dienstliche Angabe, keine Daten der meldenden Person.
    beantwortet_name = models.CharField(
        _("beantwortet von (per Antwortlink)"), max_length=150, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # Posteingang, „offen zuerst“: 0 für offen oder in Bearbeitung, sonst 1. Von der Datenbank
    # berechnet und gespeichert, damit ein Index die Sortierung bedient (statt eines CASE).
    offen_rang = models.GeneratedField(
        expression=Case(When(status__in=OFFENE_WSTATUS, then=Value(0)), default=Value(1)),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    objects = WeiterleitungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Weiterleitung")
        verbose_name_plural = _("Weiterleitungen")
        ordering = ["erstellt_am", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=WStatus.values), name="weiterleitung_status_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(entscheidung="") | Q(entscheidung__in=Entscheidung.values),
                name="weiterleitung_entscheidung_gueltig",
            ),
            # Eine offene Weiterleitung je Anliegen und Fachbereich.
            models.UniqueConstraint(
                fields=["anliegen", "fachbereich"],
                condition=Q(status__in=["offen", "in_bearbeitung"]),
                name="weiterleitung_eine_offene",
            ),
            # „Nicht möglich“ nie ohne Grund; „beantwortet“ nie ohne Entscheidung.
            models.CheckConstraint(
                condition=~Q(entscheidung=Entscheidung.NICHT_MOEGLICH)
                | Q(ablehnungsgrund__isnull=False),
                name="weiterleitung_ablehnung_mit_grund",
            ),
            models.CheckConstraint(
                condition=~Q(status=WStatus.BEANTWORTET) | ~Q(entscheidung=""),
                name="weiterleitung_beantwortet_mit_entscheidung",
            ),
        ]
        indexes = [
            # für den Posteingang eines Fachbereichs und überfällige Weiterleitungen
            models.Index(
                fields=["fachbereich", "status", "frist"], name="weiterleitung_eingang_idx"
            ),
            # Auswertung Anliegen (Fachbereiche, erste Uhr, Ablehnungen): die Weiterleitungen
            # der Anliegen im Zeitraum nur aus dem Index lesen (Index Only Scan), ohne Nachricht
            # und Antwort aus der Tabelle.
            models.Index(
                fields=[
                    *["anliegen", "fachbereich", "status", "frist", "angenommen_am"],
                    *["beantwortet_am", "antwort_arbeitstage", "entscheidung", "ablehnungsgrund"],
                    "id",
                ],
                name="weiterleitung_auswertung_idx",
            ),
            # Posteingang eines Fachbereichs: offen zuerst, nach Frist, neueste zuerst, mit
            # Blättern über genau diese Schlüssel
            models.Index(
                fields=["fachbereich", "offen_rang", "frist", "-erstellt_am", "-id"],
                name="weiterleitung_eingang_fb_idx",
            ),
            # derselbe für alle übrigen (Sozialplanung, Administration, Quartiersmanagement)
            models.Index(
                fields=["offen_rang", "frist", "-erstellt_am", "-id"],
                name="weiterleitung_eingang_alle_idx",
            ),
            # Sichtbarkeit für den Fachbereich (`Exists` in permissions.sichtbare_anliegen)
            models.Index(fields=["fachbereich", "anliegen"], name="weiterleitung_fb_anliegen_idx"),
            # Personendaten-Recht des Fachbereichs je Zeile (`permissions.personendaten_ausdruck`):
            # nur die wenigen Weiterleitungen mit geteiltem Kontakt
            models.Index(
                fields=["fachbereich", "anliegen"],
                condition=Q(kontakt_geteilt=True),
                name="weiterleitung_kontakt_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anliegen.nummer} → {self.fachbereich.kuerzel}"

    @property
    def ist_offen(self) -> bool:
        return self.status in OFFENE_WSTATUS

    @property
    def ist_ueberfaellig(self) -> bool:
        return self.ist_offen and self.frist < timezone.localdate()

    @property
    def beantwortet_durch(self) -> str:
        """Wer geantwortet hat: Konto oder Name aus dem Antwortlink (sonst leer)."""
        if (von := self.beantwortet_von) is not None:
            return von.get_full_name() or von.username
        if self.beantwortet_name:
            return _("%(name)s (per Antwortlink)") % {"name": self.beantwortet_name}
        return ""

    @property
    def zusage_falls_vorhanden(self) -> "Zusage | None":
        return getattr(self, "zusage", None)

    @property
    def offene_zusage(self) -> "Zusage | None":
        zusage = self.zusage_falls_vorhanden
        return zusage if zusage and zusage.ist_offen else None


class AntwortlinkQuerySet(models.QuerySet):
    def gueltig(self) -> "AntwortlinkQuerySet":
        """Nicht widerrufen und nicht abgelaufen (ob die Weiterleitung noch offen ist, prüfen
        erst die Operationen; die Seite zeigt dann „erledigt“)."""
        return self.filter(widerrufen_am__isnull=True, gueltig_bis__gt=timezone.now())


class Antwortlink(models.Model):
    """Ein Link in der Weiterleitungs-Mail, mit dem der Fachbereich ohne Konto annehmen,
    zurückgeben oder antworten kann – nur für diese eine Weiterleitung.

    Der Schlüssel (`secrets.token_urlsafe(32)`, 256 Bit) steht nur in der Mail; gespeichert
    wird allein sein SHA-256. Ein schneller Hash genügt hier, anders als bei Passwörtern: der
    Schlüssel ist zufällig mit 256 Bit Entropie, also gibt es nichts zu raten, was ein
    langsamer Hash (Argon2, PBKDF2) bremsen müsste; wer die Tabelle liest, kann aus dem Hash
    keinen Link bilden. Und der Hash bleibt deterministisch, so dass der Link mit einem
    eindeutigen Index nachgeschlagen wird statt mit einem Vergleich über alle Zeilen.
    """

    weiterleitung = models.ForeignKey(
        Weiterleitung,
        verbose_name=_("Weiterleitung"),
        on_delete=models.CASCADE,
        related_name="antwortlinks",
    )
    schluessel_hash = models.CharField(
        _("SHA-256 des Schlüssels"), max_length=64, unique=True, editable=False
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), default=timezone.now, editable=False)
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstellt von"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    gueltig_bis = models.DateTimeField(_("gültig bis"))
    widerrufen_am = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    widerrufen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("widerrufen von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    zuletzt_genutzt_am = models.DateTimeField(_("zuletzt genutzt am"), null=True, blank=True)
    nutzungen = models.PositiveIntegerField(_("Nutzungen"), default=0)

    objects = AntwortlinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("Antwortlink")
        verbose_name_plural = _("Antwortlinks")
        ordering = ["-erstellt_am", "-pk"]
        constraints = [
            # Höchstens ein nicht widerrufener Link je Weiterleitung: ein neuer Link
            # widerruft den alten im selben Zug (workflow.antwortlink_erneuern).
            models.UniqueConstraint(
                fields=["weiterleitung"],
                condition=Q(widerrufen_am__isnull=True),
                name="antwortlink_einer_aktiv",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weiterleitung} (bis {timezone.localtime(self.gueltig_bis):%d.%m.%Y})"

    @staticmethod
    def hash_von(schluessel: str) -> str:
        return hashlib.sha256(schluessel.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def ist_gueltig(self) -> bool:
        return self.widerrufen_am is None and self.gueltig_bis > timezone.now()

    def gilt_fuer(self, weiterleitung: Weiterleitung) -> bool:
        """Gültig und genau für diese Weiterleitung ausgestellt."""
        return self.ist_gueltig and self.weiterleitung_id == weiterleitung.pk


class Rueckmeldung(models.Model):
    """Was der meldenden Person (oder dem Akteur) mitgeteilt wurde, wie und wann."""

    anliegen = models.ForeignKey(
        Anliegen,
        verbose_name=_("Anliegen"),
        on_delete=models.CASCADE,
        related_name="rueckmeldungen",
    )
    text = models.TextField(_("Text für die meldende Person"))
    kanal = models.CharField(_("Weg"), max_length=20, choices=Rueckmeldekanal.choices)
    erreicht = models.BooleanField(_("erreicht"), default=True)
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)
    von = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("von"), on_delete=models.PROTECT, related_name="+"
    )
    # Zweite Uhr der Auswertung: Arbeitstage von der Antwort (Beginn der Rückmeldefrist,
    # `Anliegen.rueckmeldung_offen_seit`) bis zu dieser Rückmeldung; nur bei einer erreichten
    # Rückmeldung, die eine Wartezeit beendet hat (workflow.rueckmelden), sonst leer.
    wartezeit_arbeitstage = models.PositiveSmallIntegerField(
        _("Wartezeit auf Rückmeldung (Arbeitstage)"), null=True, editable=False
    )

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["zeitpunkt", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kanal__in=Rueckmeldekanal.values), name="rueckmeldung_kanal_gueltig"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anliegen.nummer}: {self.get_kanal_display()}"


# --- Anhänge -----------------------------------------------------------------------------


class Inhaltstyp(models.TextChoices):
    """Erlaubte Dateitypen, erkannt am Inhalt (anliegen/anhaenge.py), nie am Namen."""

    JPEG = "image/jpeg", _("JPEG-Bild")
    PNG = "image/png", _("PNG-Bild")
    WEBP = "image/webp", _("WebP-Bild")
    PDF = "application/pdf", _("PDF-Dokument")


ENDUNGEN = {
    Inhaltstyp.JPEG: "jpg",
    Inhaltstyp.PNG: "png",
    Inhaltstyp.WEBP: "webp",
    Inhaltstyp.PDF: "pdf",
}


def anhang_ablage(anhang: "Anhang", dateiname: str) -> str:
    """Ablagepfad vom Server: Zufallsname mit der Endung des erkannten Typs. Der Name der
    hochgeladenen Datei (`dateiname`) landet nie im Pfad: kein `../`, keine Personendaten."""
    endung = ENDUNGEN[Inhaltstyp(anhang.inhaltstyp)]
    return f"anhaenge/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{endung}"


class Anhang(models.Model):
    """Foto oder PDF zu einem Anliegen. Geprüft und (bei Bildern) ohne Metadaten neu gespeichert
    über anliegen/anhaenge.py; angelegt nur über anliegen/workflow.py. Ausgeliefert nur über
    die View `anliegen:anhang`, nie über MEDIA_URL.

    PROTECT statt CASCADE: Anliegen werden nie gelöscht; sollte es doch jemand versuchen,
    scheitert es laut, statt Zeilen zu löschen und die Dateien verwaist liegen zu lassen."""

    anliegen = models.ForeignKey(
        Anliegen, verbose_name=_("Anliegen"), on_delete=models.PROTECT, related_name="anhaenge"
    )
    datei = models.FileField(_("Datei"), upload_to=anhang_ablage, max_length=200, editable=False)
    dateiname = models.CharField(
        _("Dateiname"), max_length=200, help_text=_("Name beim Hochladen, bereinigt; nur Anzeige.")
    )
    inhaltstyp = models.CharField(
        _("Dateityp"), max_length=30, choices=Inhaltstyp.choices, editable=False
    )
    groesse = models.PositiveIntegerField(_("Größe in Bytes"), editable=False)
    freigegeben = models.BooleanField(
        _("für Fachbereiche und andere Quartiere freigeben"),
        default=False,
        help_text=_("Nur ankreuzen, wenn die Datei keine personenbezogenen Daten zeigt."),
    )
    hochgeladen_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    hochgeladen_am = models.DateTimeField(_("hochgeladen am"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["hochgeladen_am", "pk"]
        # Kein eigener Index: die Seite eines Anliegens liest über den Index des Fremdschlüssels.
        constraints = [
            # Die Auslieferung übernimmt den Typ als Content-Type: nie etwas anderes als diese.
            models.CheckConstraint(
                condition=Q(inhaltstyp__in=Inhaltstyp.values), name="anhang_inhaltstyp_gueltig"
            ),
        ]

    def __str__(self) -> str:
        return self.dateiname

    @property
    def ist_bild(self) -> bool:
        return self.inhaltstyp != Inhaltstyp.PDF


class EreignisArt(models.TextChoices):
    """Was im Verlauf geschehen ist. Jede Art hat ihre Darstellung in anliegen/verlauf.py."""

    ERFASST = "erfasst", _("erfasst")
    WEG = "weg", _("Weg festgelegt")
    WEITERGELEITET = "weitergeleitet", _("weitergeleitet")
    ANGENOMMEN = "angenommen", _("angenommen")
    ZURUECKGEGEBEN = "zurueckgegeben", _("zurückgegeben")
    BEANTWORTET = "beantwortet", _("beantwortet")
    ZWISCHENBESCHEID = "zwischenbescheid", _("Zwischenbescheid")
    RUECKMELDUNG = "rueckmeldung", _("Rückmeldung")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")
    WIEDEREROEFFNET = "wiedereroeffnet", _("wieder geöffnet")
    ANHANG = "anhang", _("Anhang hinzugefügt")
    ANHANG_FREIGABE = "anhang_freigabe", _("Freigabe eines Anhangs geändert")
    NOTIZ = "notiz", _("Notiz")
    ANONYMISIERT = "anonymisiert", _("Daten anonymisiert oder gelöscht")
    AUSKUNFT = "auskunft", _("Auskunft erteilt")
    ANTWORTLINK_WIDERRUFEN = "antwortlink_widerrufen", _("Antwortlink widerrufen")
    ANTWORTLINK_GESENDET = "antwortlink_gesendet", _("Antwortlink gesendet")
    ERINNERUNG = "erinnerung", _("Erinnerung")
    ZUSAGE_EINGEHALTEN = "zusage_eingehalten", _("Zusage eingehalten")
    ZUSAGE_VERSCHOBEN = "zusage_verschoben", _("Zusage verschoben")
    ZUSAGE_ENTFALLEN = "zusage_entfallen", _("Zusage entfallen")
    GEBUENDELT = "gebuendelt", _("gebündelt")
    ENTBUENDELT = "entbuendelt", _("Bündelung gelöst")
    BUENDEL_AUFGENOMMEN = "buendel_aufgenommen", _("Anliegen hierunter gebündelt")
    BUENDEL_GELOEST = "buendel_geloest", _("gebündeltes Anliegen gelöst")
    ANTWORT_UEBER_HAUPTANLIEGEN = "antwort_ueber_hauptanliegen", _("Antwort über Hauptanliegen")
    RUECKMELDUNG_GEBUENDELTE = "rueckmeldung_gebuendelte", _("Rückmeldung an gebündelte Anliegen")


class Ereignis(models.Model):
    """Verlauf eines Anliegens: nur anhängen, nie ändern. Codes und Daten; Text beim Anzeigen.

    Angelegt nur über `verlauf.anhaengen`. PROTECT: Anliegen werden nie gelöscht (Personen
    werden anonymisiert, siehe anliegen/datenschutz.py); versucht es doch jemand, scheitert es
    laut, statt den Verlauf still mitzulöschen."""

    anliegen = models.ForeignKey(
        Anliegen, verbose_name=_("Anliegen"), on_delete=models.PROTECT, related_name="ereignisse"
    )
    art = models.CharField(_("Art"), max_length=30, choices=EreignisArt.choices)
    daten = models.JSONField(_("Daten"), default=dict, blank=True)
    intern = models.BooleanField(_("interne Notiz"), default=False)
    # Leer: die Anwendung selbst (Erinnerungen aus `manage.py erinnerungen`, die tägliche
    # Anonymisierung) oder jemand ohne Konto über einen Antwortlink; dann stehen `per_link`,
    # `name` (und ggf. `kontakt`) in `daten`.
    von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["zeitpunkt", "pk"]
        indexes = [
            # für Antwort- und Rückmeldezeiten im Dashboard
            models.Index(fields=["art", "zeitpunkt"], name="ereignis_art_zeit_idx"),
        ]
        constraints = [
            # nur Arten mit Darstellung (verlauf.DARSTELLUNG); choices allein prüfen nichts
            models.CheckConstraint(
                condition=Q(art__in=EreignisArt.values), name="ereignis_art_gueltig"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anliegen.nummer}: {self.art}"

    @property
    def wer(self) -> str:
        """Wer gehandelt hat: Name des Kontos oder, per Antwortlink, der eingetippte Name."""
        if (von := self.von) is not None:
            return von.get_full_name() or von.username
        d = self.daten or {}
        if d.get("per_link"):
            wer = _("%(name)s, %(fb)s (per Antwortlink)") % {
                "name": d.get("name", ""),
                "fb": d.get("fachbereich", ""),
            }
            if d.get("kontakt"):
                wer += " – " + _("Rückfragen: %(kontakt)s") % {"kontakt": d["kontakt"]}
            return wer
        return str(_("Quartierslotse (automatisch)"))

    def text(self) -> str:
        """Der Eintrag als deutscher Satz, erst beim Anzeigen gebildet (anliegen/verlauf.py).

        Enthält bei Rückmeldungen deren Text (kann personenbezogen sein); die Seiten zeigen ihn
        nur, wer Personendaten sehen darf (siehe `anliegen.views.liste`)."""
        from . import verlauf  # verlauf importiert die Modelle

        return verlauf.text(self)


# --- Zusagen und Erinnerungen ------------------------------------------------------------


class ZStatus(models.TextChoices):
    OFFEN = "offen", _("offen")
    VERSCHOBEN = "verschoben", _("verschoben")
    EINGEHALTEN = "eingehalten", _("eingehalten")
    ENTFALLEN = "entfallen", _("entfallen")


OFFENE_ZSTATUS = (ZStatus.OFFEN, ZStatus.VERSCHOBEN)


class ZusageQuerySet(models.QuerySet):
    def offen(self) -> "ZusageQuerySet":
        return self.filter(status__in=OFFENE_ZSTATUS)

    def faellig(self, heute: datetime.date | None = None) -> "ZusageQuerySet":
        """Offen und das Datum ist erreicht: der Fachbereich soll sagen, wie es steht."""
        return self.offen().filter(faellig_am__lte=heute or timezone.localdate())


class Zusage(models.Model):
    """„Wird umgesetzt bis …“: ein Versprechen des Fachbereichs, das nachgehalten wird.

    Entsteht in `workflow.beantworten`; eingehalten, verschoben (neues Datum, Grund) oder
    entfallen (Grund) nur über `workflow.zusage_*`. Der Verlauf steht in den Ereignissen.
    """

    weiterleitung = models.OneToOneField(
        Weiterleitung,
        verbose_name=_("Weiterleitung"),
        on_delete=models.CASCADE,
        related_name="zusage",
        editable=False,
    )
    zugesagt_fuer = models.DateField(_("ursprünglich zugesagt für"), editable=False)
    faellig_am = models.DateField(_("fällig am"), editable=False)
    status = models.CharField(
        _("Status"), max_length=20, choices=ZStatus.choices, default=ZStatus.OFFEN, editable=False
    )
    verschiebungen = models.PositiveSmallIntegerField(
        _("verschoben (Anzahl)"), default=0, editable=False
    )
    grund = models.TextField(_("Grund (zuletzt)"), blank=True, editable=False)
    erstellt_am = models.DateTimeField(_("zugesagt am"), default=timezone.now, editable=False)
    erledigt_am = models.DateTimeField(_("erledigt am"), null=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ZusageQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zusage")
        verbose_name_plural = _("Zusagen")
        ordering = ["faellig_am", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ZStatus.values), name="zusage_status_gueltig"
            ),
            # Erledigt heißt: mit Zeitpunkt; offen heißt: ohne.
            models.CheckConstraint(
                condition=(Q(status__in=OFFENE_ZSTATUS) & Q(erledigt_am__isnull=True))
                | (~Q(status__in=OFFENE_ZSTATUS) & Q(erledigt_am__isnull=False)),
                name="zusage_erledigt_mit_zeitpunkt",
            ),
        ]
        indexes = [
            # für Erinnerungen: offene Zusagen nach Fälligkeit
            models.Index(
                fields=["faellig_am"],
                condition=Q(status__in=["offen", "verschoben"]),
                name="zusage_offen_faellig_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weiterleitung}: {self.faellig_am:%d.%m.%Y} ({self.get_status_display()})"

    @property
    def ist_offen(self) -> bool:
        return self.status in OFFENE_ZSTATUS

    @property
    def ist_faellig(self) -> bool:
        return self.ist_offen and self.faellig_am <= timezone.localdate()


class ErinnerungsArt(models.TextChoices):
    FRIST = "frist", _("Frist verstrichen (an den Fachbereich)")
    FRIST_ESKALATION = "frist_eskalation", _("Frist verstrichen, Eskalation (an das QM)")
    WACHHUND = "wachhund", _("Still seit der Annahme (an den Fachbereich)")
    RUECKMELDUNG = "rueckmeldung", _("Rückmeldung an die Person fällig (an das QM)")
    ZUSAGE = "zusage", _("Zusage fällig (an den Fachbereich)")
    ZUSAGE_ESKALATION = "zusage_eskalation", _("Zusage fällig, Eskalation (an das QM)")


class Erinnerung(models.Model):
    """Eine verschickte Erinnerung. Die Eindeutigkeit (Art, Gegenstand, Bezugsdatum) sorgt
    dafür, dass `manage.py erinnerungen` jede nur einmal verschickt – auch zweimal am Tag oder
    gleichzeitig gestartet. `bezug` ist das Datum, an dem die Erinnerung hängt: Frist,
    letztes Lebenszeichen, Beginn der Wartezeit auf Rückmeldung oder Fälligkeit der Zusage.
    Ändert es sich (neue Antwort, Zusage verschoben), ist eine neue Erinnerung möglich."""

    art = models.CharField(_("Art"), max_length=20, choices=ErinnerungsArt.choices)
    anliegen = models.ForeignKey(
        Anliegen, verbose_name=_("Anliegen"), on_delete=models.CASCADE, related_name="erinnerungen"
    )
    weiterleitung = models.ForeignKey(
        Weiterleitung,
        verbose_name=_("Weiterleitung"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="erinnerungen",
    )
    bezug = models.DateField(_("Bezugsdatum"))
    datum = models.DateField(_("Stichtag des Laufs"))
    empfaenger = models.CharField(_("Empfänger"), max_length=500, blank=True)
    erstellt_am = models.DateTimeField(_("verschickt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-erstellt_am", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(art__in=ErinnerungsArt.values), name="erinnerung_art_gueltig"
            ),
            # Jede Erinnerung nur einmal: je Weiterleitung …
            models.UniqueConstraint(
                fields=["art", "weiterleitung", "bezug"],
                condition=Q(weiterleitung__isnull=False),
                name="erinnerung_einmal_je_weiterleitung",
            ),
            # … und je Anliegen, wo keine Weiterleitung dazugehört (Rückmeldung).
            models.UniqueConstraint(
                fields=["art", "anliegen", "bezug"],
                condition=Q(weiterleitung__isnull=True),
                name="erinnerung_einmal_je_anliegen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anliegen.nummer}: {self.get_art_display()} ({self.bezug:%d.%m.%Y})"


# --- Textbausteine ----------------------------------------------------------------------


class Zweck(models.TextChoices):
    """Wofür ein Textbaustein gedacht ist."""

    ANTWORT = "antwort", _("Antwort des Fachbereichs")
    RUECKMELDUNG = "rueckmeldung", _("Rückmeldung an die meldende Person")
    TELEFONNOTIZ = "telefonnotiz", _("Telefonnotiz (Gesprächsleitfaden)")


class TextbausteinQuerySet(models.QuerySet):
    def passend(
        self, zweck: str | list[str], *, thema_id: int | None, entscheidung: str = ""
    ) -> "TextbausteinQuerySet":
        """Aktive Bausteine für den Zweck: ohne Thema oder zum Thema des Anliegens; mit
        Entscheidung nur die ohne Entscheidung oder mit genau dieser."""
        zwecke = [zweck] if isinstance(zweck, str) else zweck
        qs = self.filter(aktiv=True, zweck__in=zwecke).filter(
            Q(thema__isnull=True) | Q(thema_id=thema_id)
        )
        if entscheidung:
            qs = qs.filter(Q(entscheidung="") | Q(entscheidung=entscheidung))
        return qs


class Textbaustein(models.Model):
    """Gepflegter Text für Antworten und Rückmeldungen, mit Platzhaltern wie `{nummer}`.

    Die Platzhalter ersetzt `anliegen.textbausteine.ausfuellen` – nie die Template-Sprache von
    Django, denn den Text schreibt die Administration (keine Template-Injection)."""

    titel = models.CharField(_("Titel"), max_length=150, unique=True)
    zweck = models.CharField(_("Zweck"), max_length=20, choices=Zweck.choices)
    thema = models.ForeignKey(
        Thema,
        verbose_name=_("Thema"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="textbausteine",
        help_text=_("Leer: passt zu jedem Thema."),
    )
    entscheidung = models.CharField(
        _("Entscheidung"),
        max_length=20,
        choices=Entscheidung.choices,
        blank=True,
        help_text=_("Leer: passt zu jeder Entscheidung."),
    )
    text = models.TextField(_("Text"))
    aktiv = models.BooleanField(_("aktiv"), default=True)
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    objects = TextbausteinQuerySet.as_manager()

    class Meta:
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")
        ordering = ["reihenfolge", "titel"]
        constraints = [
            models.CheckConstraint(
                condition=Q(zweck__in=Zweck.values), name="textbaustein_zweck_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(entscheidung="") | Q(entscheidung__in=Entscheidung.values),
                name="textbaustein_entscheidung_gueltig",
            ),
        ]

    def __str__(self) -> str:
        return self.titel


# --- Verdichtete Fakten der Auswertung ---------------------------------------------------


class Faktart(models.TextChoices):
    """Was eine Zeile von `Tagesfakt` zählt (siehe anliegen/fakten.py)."""

    ANLIEGEN = "anliegen", _("Anliegen")
    VERLAUF = "verlauf", _("Anliegen nach Weg und Rückmeldung")
    BEDARF = "bedarf", _("Zuordnung Anliegen–Bedarf")
    WEITERLEITUNG = "weiterleitung", _("Weiterleitung")
    RUECKMELDUNG = "rueckmeldung", _("Rückmeldung mit Wartezeit")


# Keine Frist (nur offene Weiterleitungen tragen ihre Frist, für „heute überfällig“).
OHNE_FRIST = datetime.date(2000, 1, 1)


class Tagesfakt(models.Model):
    """Eine Zählung der Auswertung Anliegen, verdichtet je Tag oder Monat der Erfassung.

    Gepflegt nur von anliegen/fakten.py (dort die Regeln). `quartier` und `thema` sind 0 für
    „alle“ (Summenzeilen), damit die Auswertung ohne Orts- oder Themenfilter wenige Zeilen
    liest; die Merkmale sind nie NULL (0, leer, `OHNE_FRIST`, −1), damit die Eindeutigkeit
    greift und Änderungen als Zuwachs in die Zeile laufen (`ON CONFLICT … DO UPDATE`)."""

    monatlich = models.BooleanField(_("Monatssumme"))
    tag = models.DateField(_("Tag (Monatssumme: Erster des Monats)"))
    quartier = models.PositiveBigIntegerField(_("Quartier (0: alle)"))
    thema = models.PositiveBigIntegerField(_("Thema (0: alle)"))
    art = models.CharField(_("Art"), max_length=20, choices=Faktart.choices)
    weg = models.CharField(_("Weg"), max_length=20, blank=True)
    abgeschlossen = models.BooleanField(_("abgeschlossen"), default=False)
    beantwortet = models.BooleanField(_("beantwortet, Rückmeldung geschuldet"), default=False)
    zurueckgemeldet = models.BooleanField(_("zurückgemeldet"), default=False)
    bedarf = models.PositiveBigIntegerField(_("Bedarf"), default=0)
    fachbereich = models.PositiveBigIntegerField(_("Fachbereich"), default=0)
    grund = models.PositiveBigIntegerField(_("Ablehnungsgrund (nur „nicht möglich“)"), default=0)
    dauer = models.SmallIntegerField(_("Arbeitstage (−1: keine)"), default=-1)
    wstatus = models.CharField(_("Status der Weiterleitung"), max_length=20, blank=True)
    angenommen = models.BooleanField(_("angenommen"), default=False)
    fristgerecht = models.BooleanField(_("fristgerecht beantwortet"), default=False)
    frist = models.DateField(_("Frist (nur offene)"), default=OHNE_FRIST)
    zusage = models.CharField(_("Status der Zusage"), max_length=20, blank=True)
    anzahl = models.IntegerField(_("Anzahl"))

    class Meta:
        verbose_name = _("Tagesfakt")
        verbose_name_plural = _("Tagesfakten")
        constraints = [
            models.CheckConstraint(condition=Q(art__in=Faktart.values), name="tagesfakt_art"),
            # Ziel von ON CONFLICT: jede Kombination der Merkmale genau eine Zeile; zugleich
            # der Index der Auswertung: Ebene (Quartier, Thema; 0 = alle) vor dem Zeitraum,
            # damit die Stadtsumme eines Jahres ein enger Bereich ist.
            models.UniqueConstraint(
                fields=[
                    *["monatlich", "art", "quartier", "thema", "tag", "weg", "abgeschlossen"],
                    *["beantwortet", "zurueckgemeldet", "bedarf", "fachbereich", "grund"],
                    *["dauer", "wstatus", "angenommen", "fristgerecht", "frist", "zusage"],
                ],
                name="tagesfakt_eindeutig",
            ),
        ]
        indexes = [
            # Nachziehen einer Scheibe (Tag × Quartier) und Aufräumen der Zeilen mit 0
            models.Index(fields=["tag", "quartier"], name="tagesfakt_scheibe_idx"),
            # Tageszeilen angebrochener Monate: Art und Zeitraum zuerst (sonst läse die
            # Auswertung die Tageszeilen aller Tage ihrer Ebene)
            models.Index(
                fields=["art", "tag"], condition=Q(monatlich=False), name="tagesfakt_tage_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.art} {self.tag:%d.%m.%Y}: {self.anzahl}"
