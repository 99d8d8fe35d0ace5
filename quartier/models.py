"""Die Struktur der Stadt: Bezirke, Sozial- und Lebensräume, Quartiere, Stadtteilbüros,
Stellen des Quartiersmanagements, Fachbereiche und die Menschen, die damit arbeiten."""

import datetime
import uuid
from decimal import Decimal
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rolle(models.TextChoices):
    QUARTIERSMANAGEMENT = "quartiersmanagement", _("Quartiersmanagement")
    FACHBEREICH = "fachbereich", _("Fachbereich")
    SOZIALPLANUNG = "sozialplanung", _("Sozialplanung")
    ADMINISTRATION = "administration", _("Administration")


class Fachbereich(models.Model):
    """Eine Stelle, an die Anliegen weitergeleitet werden (auch außerhalb der Verwaltung)."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    kuerzel = models.CharField(
        _("Kürzel"), max_length=20, unique=True, help_text=_("z. B. „FB 56“ oder „ASB“")
    )
    email = models.EmailField(_("E-Mail-Postfach"), blank=True)
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    antwortfrist_tage = models.PositiveSmallIntegerField(
        _("Antwortfrist (Arbeitstage)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Vorgabe für die Frist einer Weiterleitung an diesen Fachbereich, in Arbeitstagen "
            "(ohne Wochenenden und Feiertage)."
        ),
    )
    extern = models.BooleanField(
        _("außerhalb der Stadtverwaltung"),
        default=False,
        help_text=_("z. B. Aachener Stadtbetrieb, Wohnungsgesellschaft, Polizei"),
    )
    aktiv = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Fachbereich")
        verbose_name_plural = _("Fachbereiche")
        ordering = ["kuerzel"]
        constraints = [
            # Eine Frist von 0 Tagen wäre sofort überfällig.
            models.CheckConstraint(
                condition=Q(antwortfrist_tage__gte=1), name="fachbereich_frist_positiv"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kuerzel} {self.name}"


class BenutzerManager(UserManager["User"]):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser` fragt nicht nach der Rolle; Superuser sind Administration.
        extra_fields.setdefault("rolle", Rolle.ADMINISTRATION)
        return super().create_superuser(username, email, password, **extra_fields)

    def quartiersmanagement(self) -> models.QuerySet:
        return self.filter(rolle=Rolle.QUARTIERSMANAGEMENT, is_active=True)


class User(AbstractUser):
    """Ein Mensch mit Zugang: Quartiersmanagement, Fachbereich, Sozialplanung, Administration."""

    rolle = models.CharField(_("Rolle"), max_length=30, choices=Rolle.choices)
    fachbereich = models.ForeignKey(
        Fachbereich,
        verbose_name=_("Fachbereich"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mitarbeitende",
        help_text=_("Nur für die Rolle Fachbereich: wessen Posteingang diese Person bearbeitet."),
    )
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)

    objects: ClassVar[BenutzerManager] = BenutzerManager()

    class Meta:
        verbose_name = _("Benutzer:in")
        verbose_name_plural = _("Benutzer:innen")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(condition=Q(rolle__in=Rolle.values), name="user_rolle_gueltig"),
            # Wer für einen Fachbereich arbeitet, gehört genau einem an; sonst keinem.
            models.CheckConstraint(
                condition=(
                    Q(rolle=Rolle.FACHBEREICH, fachbereich__isnull=False)
                    | (~Q(rolle=Rolle.FACHBEREICH) & Q(fachbereich__isnull=True))
                ),
                name="user_fachbereich_passt_zur_rolle",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Bezirk(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), unique=True)
    einwohner = models.PositiveIntegerField(_("Einwohner:innen"), null=True, blank=True)
    bezirksamt = models.CharField(
        _("Bezirksamt"),
        max_length=200,
        blank=True,
        help_text=_("Außerhalb von Mitte koordiniert eine Bezirksamtsleitung vor Ort."),
    )

    class Meta:
        verbose_name = _("Bezirk")
        verbose_name_plural = _("Bezirke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sozialraum(models.Model):
    nummer = models.PositiveSmallIntegerField(_("Nummer"), unique=True)
    name = models.CharField(_("Name"), max_length=100)
    bezirk = models.ForeignKey(
        Bezirk, verbose_name=_("Bezirk"), on_delete=models.PROTECT, related_name="sozialraeume"
    )

    class Meta:
        verbose_name = _("Sozialraum")
        verbose_name_plural = _("Sozialräume")
        ordering = ["nummer"]

    def __str__(self) -> str:
        return f"{self.nummer} {self.name}"


class Kategorie(models.TextChoices):
    """Einstufung nach dem Sozialentwicklungsplan."""

    BESONDERE_HERAUSFORDERUNGEN = "besondere_herausforderungen", _("besondere Herausforderungen")
    AN_DER_SCHWELLE = "an_der_schwelle", _("an der Schwelle")
    STABIL = "stabil", _("stabil")


class LebensraumQuerySet(models.QuerySet):
    def ohne_aktives_qm(self, stichtag: datetime.date) -> "LebensraumQuerySet":
        """Lebensräume, die am Stichtag in keinem Quartier mit laufender Stelle liegen."""
        aktive = Quartiersmanagement.objects.aktiv_am(stichtag)
        return self.exclude(quartiere__quartiersmanagements__in=aktive)


class Lebensraum(models.Model):
    nummer = models.CharField(_("Nummer"), max_length=10, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    sozialraum = models.ForeignKey(
        Sozialraum,
        verbose_name=_("Sozialraum"),
        on_delete=models.PROTECT,
        related_name="lebensraeume",
    )
    einwohner = models.PositiveIntegerField(_("Einwohner:innen"))
    kategorie = models.CharField(
        _("Kategorie (Sozialentwicklungsplan)"), max_length=30, choices=Kategorie.choices
    )
    beschreibung = models.TextField(_("Beschreibung"), blank=True)

    objects = LebensraumQuerySet.as_manager()

    class Meta:
        verbose_name = _("Lebensraum")
        verbose_name_plural = _("Lebensräume")
        ordering = ["nummer"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kategorie__in=Kategorie.values), name="lebensraum_kategorie_gueltig"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nummer} {self.name}"


class KennzahlArt(models.TextChoices):
    """Die Indikatoren des Sozialentwicklungsplans, je Lebensraum und Jahr."""

    SGB2_QUOTE = "sgb2_quote", _("SGB-II-Quote (%)")
    KINDERARMUT = "kinderarmut", _("Kinderarmut (%)")
    ALTERSARMUT = "altersarmut", _("Altersarmut (%)")
    AUSLAENDISCHE_HAUSHALTE = "auslaendische_haushalte", _("Ausländische Haushalte (%)")
    EINPERSONEN_60PLUS = "einpersonen_60plus", _("Ein-Personen-Haushalte 60+ (%)")
    ARBEITSLOSENQUOTE = "arbeitslosenquote", _("Arbeitslosenquote (%)")
    UNTER_18 = "unter_18", _("Anteil unter 18 Jahren (%)")
    UEBER_65 = "ueber_65", _("Anteil über 65 Jahren (%)")


class Kennzahl(models.Model):
    lebensraum = models.ForeignKey(
        Lebensraum,
        verbose_name=_("Lebensraum"),
        on_delete=models.CASCADE,
        related_name="kennzahlen",
    )
    jahr = models.PositiveSmallIntegerField(_("Jahr"))
    art = models.CharField(_("Kennzahl"), max_length=40, choices=KennzahlArt.choices)
    wert = models.DecimalField(_("Wert"), max_digits=9, decimal_places=2)
    quelle = models.CharField(_("Quelle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")
        ordering = ["lebensraum__nummer", "art", "-jahr"]
        constraints = [
            # Ein Wert je Lebensraum, Jahr und Kennzahl: der Import aktualisiert statt zu doppeln.
            models.UniqueConstraint(
                fields=["lebensraum", "jahr", "art"], name="kennzahl_eindeutig_je_jahr"
            ),
            models.CheckConstraint(
                condition=Q(art__in=KennzahlArt.values), name="kennzahl_art_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(jahr__gte=1900, jahr__lte=2200), name="kennzahl_jahr_plausibel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lebensraum} {self.get_art_display()} {self.jahr}: {self.wert}"


class QuartierQuerySet(models.QuerySet):
    def mit_einwohnern(self) -> "QuartierQuerySet":
        """Annotiert `einwohner_summe`: die Summe der Lebensräume.

        Als Unterabfrage, damit ein Filter auf `lebensraeume` die Summe nicht verfälscht.
        """
        summe = (
            Lebensraum.objects.filter(quartiere=models.OuterRef("pk"))
            .order_by()
            .values("quartiere")
            .annotate(summe=Sum("einwohner"))
            .values("summe")
        )
        return self.annotate(einwohner_summe=models.Subquery(summe))


class Quartier(models.Model):
    """Das Arbeitsgebiet eines Quartiersmanagements: ein oder mehrere Lebensräume."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), unique=True)
    bezirk = models.ForeignKey(
        Bezirk, verbose_name=_("Bezirk"), on_delete=models.PROTECT, related_name="quartiere"
    )
    lebensraeume = models.ManyToManyField(
        Lebensraum, verbose_name=_("Lebensräume"), related_name="quartiere"
    )
    beschreibung = models.TextField(_("Beschreibung"), blank=True)

    objects = QuartierQuerySet.as_manager()

    class Meta:
        verbose_name = _("Quartier")
        verbose_name_plural = _("Quartiere")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quartier:quartier_detail", args=[self.slug])


class Stadtteilbuero(models.Model):
    """Die Anlaufstelle vor Ort; andere Akteure können sie mitnutzen (Bürogemeinschaft)."""

    name = models.CharField(_("Name"), max_length=150, unique=True)
    quartiere = models.ManyToManyField(
        Quartier, verbose_name=_("Quartiere"), related_name="bueros", blank=True
    )
    strasse = models.CharField(_("Straße und Hausnummer"), max_length=150)
    plz = models.CharField(_("PLZ"), max_length=5)
    ort = models.CharField(_("Ort"), max_length=100, default="Aachen")
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    raeume = models.TextField(
        _("Räume"), blank=True, help_text=_("z. B. Beratungsraum, Nebenraum für Gruppen")
    )
    barrierefrei = models.BooleanField(_("barrierefrei zugänglich"), default=False)
    hinweise = models.TextField(_("Hinweise"), blank=True)

    class Meta:
        verbose_name = _("Stadtteilbüro")
        verbose_name_plural = _("Stadtteilbüros")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plz__regex=r"^[0-9]{5}$"), name="stadtteilbuero_plz_fuenfstellig"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quartier:buero_detail", args=[self.pk])


class Wochentag(models.IntegerChoices):
    MONTAG = 0, _("Montag")
    DIENSTAG = 1, _("Dienstag")
    MITTWOCH = 2, _("Mittwoch")
    DONNERSTAG = 3, _("Donnerstag")
    FREITAG = 4, _("Freitag")
    SAMSTAG = 5, _("Samstag")
    SONNTAG = 6, _("Sonntag")


class Sprechzeit(models.Model):
    """Eine regelmäßige Sprechzeit des Quartiersmanagements im Stadtteilbüro."""

    buero = models.ForeignKey(
        Stadtteilbuero,
        verbose_name=_("Stadtteilbüro"),
        on_delete=models.CASCADE,
        related_name="sprechzeiten",
    )
    wochentag = models.PositiveSmallIntegerField(_("Wochentag"), choices=Wochentag.choices)
    beginn = models.TimeField(_("von"))
    ende = models.TimeField(_("bis"))
    hinweis = models.CharField(
        _("Hinweis"), max_length=200, blank=True, help_text=_("z. B. „offene Sprechstunde“")
    )

    class Meta:
        verbose_name = _("Sprechzeit")
        verbose_name_plural = _("Sprechzeiten")
        ordering = ["wochentag", "beginn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wochentag__gte=0, wochentag__lte=6), name="sprechzeit_wochentag"
            ),
            models.CheckConstraint(
                condition=Q(ende__gt=models.F("beginn")), name="sprechzeit_ende_nach_beginn"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_wochentag_display()} {self.beginn:%H:%M}–{self.ende:%H:%M} Uhr"


class Stellenart(models.TextChoices):
    ALLGEMEIN = "allgemein", _("allgemeines Quartiersmanagement")
    QFI = "qfi", _("Flüchtlingsintegration (QFI)")
    ALTENGERECHT = "altengerecht", _("Altengerechtes Quartier")
    SOZIALE_STADT = "soziale_stadt", _("Soziale Stadt")


class Stellenstatus(models.TextChoices):
    VORGESCHLAGEN = "vorgeschlagen", _("vorgeschlagen")
    BEANTRAGT = "beantragt", _("beantragt")
    BEWILLIGT = "bewilligt", _("bewilligt")


class QuartiersmanagementQuerySet(models.QuerySet):
    def aktiv_am(self, stichtag: datetime.date) -> "QuartiersmanagementQuerySet":
        """Bewilligte Stellen, die am Stichtag laufen."""
        return self.filter(
            Q(ende__isnull=True) | Q(ende__gte=stichtag),
            status=Stellenstatus.BEWILLIGT,
            beginn__lte=stichtag,
        )

    def aktiv(self) -> "QuartiersmanagementQuerySet":
        return self.aktiv_am(timezone.localdate())

    def mit_anzahl_quartiere(self) -> "QuartiersmanagementQuerySet":
        """Annotiert `anzahl_quartiere`, um den Stellenanteil je Quartier aufzuteilen.

        Als Unterabfrage, weil Prefetches über `quartiere` die Verknüpfung schon filtern.
        """
        # django-stubs verliert nach values().annotate() die Namen (typeddjango/django-stubs#3471)
        anzahl = (
            Quartiersmanagement.quartiere.through.objects.filter(  # type: ignore[misc]
                quartiersmanagement=models.OuterRef("pk")
            )
            .order_by()
            .values("quartiersmanagement")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(anzahl_quartiere=models.Subquery(anzahl))

    def endet_bis(
        self, stichtag: datetime.date, bis: datetime.date
    ) -> "QuartiersmanagementQuerySet":
        """Laufende Stellen, deren Förderung bis zum Datum `bis` endet."""
        return self.aktiv_am(stichtag).filter(ende__isnull=False, ende__lte=bis)


class Quartiersmanagement(models.Model):
    """Eine Stelle im Quartiersmanagement: wer, wo, wie viel, wie lange, finanziert wodurch."""

    bezeichnung = models.CharField(_("Bezeichnung"), max_length=150, unique=True)
    art = models.CharField(_("Art"), max_length=20, choices=Stellenart.choices)
    status = models.CharField(
        _("Status"), max_length=20, choices=Stellenstatus.choices, default=Stellenstatus.BEWILLIGT
    )
    quartiere = models.ManyToManyField(
        Quartier, verbose_name=_("Quartiere"), related_name="quartiersmanagements"
    )
    traeger = models.CharField(
        _("Träger"), max_length=200, help_text=_("z. B. „Stadt Aachen, FB 56“ oder „Caritas“")
    )
    foerderprogramm = models.CharField(_("Förderprogramm"), max_length=200, blank=True)
    stellenanteil = models.DecimalField(
        _("Stellenanteil (VZÄ)"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(
                Decimal("0.05"), message=_("Der Stellenanteil muss mindestens 0,05 VZÄ betragen.")
            )
        ],
        help_text=_("Vollzeitäquivalente, z. B. 0,5 oder 1,0"),
    )
    beginn = models.DateField(_("Beginn"))
    ende = models.DateField(_("Ende"), null=True, blank=True, help_text=_("leer = unbefristet"))
    buero = models.ForeignKey(
        Stadtteilbuero,
        verbose_name=_("Stadtteilbüro"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quartiersmanagements",
    )
    mitarbeitende = models.ManyToManyField(
        User,
        verbose_name=_("Mitarbeitende"),
        related_name="stellen",
        blank=True,
        limit_choices_to={"rolle": Rolle.QUARTIERSMANAGEMENT},
    )
    bemerkung = models.TextField(_("Bemerkung"), blank=True)

    objects = QuartiersmanagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Quartiersmanagement-Stelle")
        verbose_name_plural = _("Quartiersmanagement-Stellen")
        ordering = ["bezeichnung"]
        constraints = [
            models.CheckConstraint(condition=Q(art__in=Stellenart.values), name="qm_art_gueltig"),
            models.CheckConstraint(
                condition=Q(status__in=Stellenstatus.values), name="qm_status_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(stellenanteil__gt=0, stellenanteil__lte=20),
                name="qm_stellenanteil_positiv",
            ),
            models.CheckConstraint(
                condition=Q(ende__isnull=True) | Q(ende__gte=models.F("beginn")),
                name="qm_ende_nach_beginn",
            ),
        ]
        indexes = [
            # für „aktiv am Stichtag“ und „Förderung endet bald“ (Start- und Versorgungsseiten)
            models.Index(fields=["status", "beginn", "ende"], name="qm_laufzeit_idx"),
        ]

    def __str__(self) -> str:
        return self.bezeichnung

    def ist_aktiv_am(self, stichtag: datetime.date) -> bool:
        return (
            self.status == Stellenstatus.BEWILLIGT
            and self.beginn <= stichtag
            and (self.ende is None or self.ende >= stichtag)
        )

    @property
    def ist_aktiv(self) -> bool:
        return self.ist_aktiv_am(timezone.localdate())

    def anteil_je_quartier(self) -> Decimal:
        """Der Stellenanteil, den ein Quartier von dieser Stelle bekommt (gleich verteilt).

        Braucht `mit_anzahl_quartiere()`; eine Stelle für Kronenberg und Kullen zählt je 0,5.
        """
        anzahl = getattr(self, "anzahl_quartiere", None) or 1
        return self.stellenanteil / anzahl

    def endet_bald(self, stichtag: datetime.date | None = None, tage: int = 365) -> bool:
        """Läuft und endet innerhalb der nächsten `tage` Tage."""
        stichtag = stichtag or timezone.localdate()
        return (
            self.ist_aktiv_am(stichtag)
            and self.ende is not None
            and self.ende <= stichtag + datetime.timedelta(days=tage)
        )


# --- Exporte im Hintergrund (quartier/exporte.py) ------------------------------------------


class Exportstatus(models.TextChoices):
    WARTET = "wartet", _("wartet")
    LAEUFT = "laeuft", _("läuft")
    FERTIG = "fertig", _("fertig")
    FEHLGESCHLAGEN = "fehlgeschlagen", _("fehlgeschlagen")


class Exportformat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


def export_ablage(auftrag: "Exportauftrag", dateiname: str) -> str:
    """Zufallsname unter MEDIA_ROOT/exporte/: nie öffentlich (keine URL zeigt auf MEDIA_ROOT),
    ausgeliefert nur über `quartier:export_datei` an die Person, die den Export angestoßen hat."""
    return f"exporte/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{auftrag.format}"


class Exportauftrag(models.Model):
    """Ein Export, der im Hintergrund entsteht (`manage.py db_worker`): wer ihn angestoßen hat,
    welche Tabelle (`quelle`, siehe `exporte.QUELLEN`) mit welchen Filtern (`parameter`, die
    GET-Parameter der Seite), wie weit er ist und wo die Datei liegt. Der Status ändert sich nur
    in quartier/exporte.py."""

    person = models.ForeignKey(
        User,
        verbose_name=_("angestoßen von"),
        on_delete=models.CASCADE,
        related_name="exportauftraege",
        editable=False,
    )
    quelle = models.CharField(_("Tabelle"), max_length=40, editable=False)
    titel = models.CharField(_("Titel"), max_length=200, editable=False)
    format = models.CharField(
        _("Format"), max_length=10, choices=Exportformat.choices, editable=False
    )
    parameter = models.JSONField(_("Filter"), default=dict, blank=True, editable=False)
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=Exportstatus.choices,
        default=Exportstatus.WARTET,
        editable=False,
    )
    zeilen_bisher = models.PositiveIntegerField(_("Zeilen bisher"), default=0, editable=False)
    zeilen_gesamt = models.PositiveIntegerField(
        _("Zeilen gesamt (geschätzt)"), null=True, blank=True, editable=False
    )
    datei = models.FileField(
        _("Datei"), upload_to=export_ablage, max_length=200, blank=True, editable=False
    )
    dateiname = models.CharField(_("Dateiname"), max_length=200, blank=True, editable=False)
    meldung = models.CharField(_("Meldung"), max_length=300, blank=True, editable=False)
    erstellt_am = models.DateTimeField(_("angestoßen am"), default=timezone.now, editable=False)
    begonnen_am = models.DateTimeField(_("begonnen am"), null=True, blank=True, editable=False)
    fertig_am = models.DateTimeField(_("fertig am"), null=True, blank=True, editable=False)
    ablauf_am = models.DateTimeField(_("bereit bis"), editable=False)

    class Meta:
        verbose_name = _("Exportauftrag")
        verbose_name_plural = _("Exportaufträge")
        ordering = ["-erstellt_am", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Exportstatus.values), name="exportauftrag_status_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(format__in=Exportformat.values), name="exportauftrag_format_gueltig"
            ),
        ]
        indexes = [
            # für „Meine Exporte“: die jüngsten Aufträge einer Person
            models.Index(fields=["person", "-erstellt_am"], name="exportauftrag_person_idx"),
            # für `exporte_aufraeumen`: abgelaufene Aufträge
            models.Index(fields=["ablauf_am"], name="exportauftrag_ablauf_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.titel} ({self.get_format_display()}, {self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("quartier:exporte")

    @property
    def ist_offen(self) -> bool:
        return self.status in (Exportstatus.WARTET, Exportstatus.LAEUFT)

    @property
    def prozent(self) -> int | None:
        if not self.zeilen_gesamt:
            return None
        return min(100, self.zeilen_bisher * 100 // self.zeilen_gesamt)
