"""Zivilgesellschaft im Quartier: Akteure, Netzwerke, Sitzungen, Projekte, Stadtteilfonds.

Darf `quartier` importieren, nie `anliegen`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from quartier.models import Quartier, Stadtteilbuero, Wochentag

# --- Akteure -----------------------------------------------------------------------------


class Akteursart(models.TextChoices):
    JUGENDARBEIT = "jugendarbeit", _("Jugendarbeit")
    SCHULE = "schule", _("Schule")
    KITA = "kita", _("Kita")
    FAMILIENZENTRUM = "familienzentrum", _("Familienzentrum")
    BEGEGNUNGSZENTRUM = "begegnungszentrum", _("Begegnungszentrum")
    MEHRGENERATIONENHAUS = "mehrgenerationenhaus", _("Mehrgenerationenhaus")
    BERATUNG = "beratung", _("Beratungsstelle")
    WOHLFAHRTSVERBAND = "wohlfahrtsverband", _("Träger der Freien Wohlfahrtspflege")
    KIRCHE = "kirche", _("Kirchengemeinde")
    VEREIN = "verein", _("Verein")
    INITIATIVE = "initiative", _("Initiative")
    WOHNUNGSUNTERNEHMEN = "wohnungsunternehmen", _("Wohnungsunternehmen")
    BEZIRKSAMT = "bezirksamt", _("Bezirksamt")
    STAEDTISCHE_STELLE = "staedtische_stelle", _("Städtische Stelle")
    EINZELPERSON = "einzelperson", _("Einzelperson")
    SONSTIGE = "sonstige", _("Sonstige")


class Zielgruppe(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Akteur(models.Model):
    """Eine Einrichtung, ein Träger, eine Initiative oder eine Person, die im Quartier wirkt."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    art = models.CharField(_("Art"), max_length=30, choices=Akteursart.choices)
    traeger = models.ForeignKey(
        "self",
        verbose_name=_("Träger"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="einrichtungen",
        help_text=_("z. B. Caritas als Träger eines Familienzentrums"),
    )
    quartiere = models.ManyToManyField(
        Quartier, verbose_name=_("Quartiere"), related_name="akteure", blank=True
    )
    zielgruppen = models.ManyToManyField(
        Zielgruppe, verbose_name=_("Zielgruppen"), related_name="akteure", blank=True
    )
    strasse = models.CharField(_("Straße und Hausnummer"), max_length=150, blank=True)
    plz = models.CharField(_("PLZ"), max_length=5, blank=True)
    ort = models.CharField(_("Ort"), max_length=100, blank=True, default="Aachen")
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    angebote = models.TextField(_("Angebote"), blank=True)
    aktiv = models.BooleanField(_("aktiv"), default=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)
    # Optimistisches Sperren (quartier.sperren): zwei Bearbeitungen überschreiben sich nicht.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Akteur")
        verbose_name_plural = _("Akteure")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(art__in=Akteursart.values), name="akteur_art_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(plz="") | Q(plz__regex=r"^[0-9]{5}$"), name="akteur_plz_fuenfstellig"
            ),
            # Ein Akteur ist nicht sein eigener Träger.
            models.CheckConstraint(
                condition=~Q(traeger=F("pk")), name="akteur_nicht_eigener_traeger"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("netzwerke:akteur_detail", args=[self.pk])


class Ansprechperson(models.Model):
    """Personenbezogene Daten: nur Mitarbeitende der Verwaltung sehen sie, nie die Sozialplanung."""

    akteur = models.ForeignKey(
        Akteur, verbose_name=_("Akteur"), on_delete=models.CASCADE, related_name="ansprechpersonen"
    )
    name = models.CharField(_("Name"), max_length=150)
    funktion = models.CharField(_("Funktion"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.akteur})"


class Angebotszeit(models.Model):
    """Bürogemeinschaft: die eigene Sprechzeit eines Akteurs in einem Stadtteilbüro."""

    akteur = models.ForeignKey(
        Akteur, verbose_name=_("Akteur"), on_delete=models.CASCADE, related_name="angebotszeiten"
    )
    buero = models.ForeignKey(
        Stadtteilbuero,
        verbose_name=_("Stadtteilbüro"),
        on_delete=models.CASCADE,
        related_name="angebotszeiten",
    )
    angebot = models.CharField(
        _("Angebot"), max_length=200, help_text=_("z. B. „Sprechstunde des ASD“")
    )
    wochentag = models.PositiveSmallIntegerField(_("Wochentag"), choices=Wochentag.choices)
    beginn = models.TimeField(_("von"))
    ende = models.TimeField(_("bis"))
    hinweis = models.CharField(_("Hinweis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Angebotszeit im Stadtteilbüro")
        verbose_name_plural = _("Angebotszeiten im Stadtteilbüro (Bürogemeinschaft)")
        ordering = ["wochentag", "beginn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wochentag__gte=0, wochentag__lte=6), name="angebotszeit_wochentag"
            ),
            models.CheckConstraint(
                condition=Q(ende__gt=F("beginn")), name="angebotszeit_ende_nach_beginn"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.akteur}: {self.angebot}, {self.get_wochentag_display()} "
            f"{self.beginn:%H:%M}–{self.ende:%H:%M} Uhr"
        )


# --- Netzwerke und Sitzungen -------------------------------------------------------------


class Netzwerkart(models.TextChoices):
    STADTTEILKONFERENZ = "stadtteilkonferenz", _("Stadtteilkonferenz")
    OEAG = "oeag", _("Örtliche Arbeitsgemeinschaft der Altenarbeit")
    ARBEITSKREIS = "arbeitskreis", _("Arbeitskreis")
    RUNDER_TISCH = "runder_tisch", _("Runder Tisch")


class Netzwerk(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    art = models.CharField(_("Art"), max_length=30, choices=Netzwerkart.choices)
    uebergeordnet = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnetes Netzwerk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arbeitsgruppen",
        help_text=_("Arbeitskreise einer Stadtteilkonferenz hängen unter ihr."),
    )
    quartiere = models.ManyToManyField(
        Quartier, verbose_name=_("Quartiere"), related_name="netzwerke", blank=True
    )
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    aktiv = models.BooleanField(_("aktiv"), default=True)
    # Optimistisches Sperren (quartier.sperren).
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(art__in=Netzwerkart.values), name="netzwerk_art_gueltig"
            ),
            models.CheckConstraint(
                condition=~Q(uebergeordnet=F("pk")), name="netzwerk_nicht_eigene_untergruppe"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("netzwerke:netzwerk_detail", args=[self.pk])


class Mitgliedsrolle(models.TextChoices):
    MITGLIED = "mitglied", _("Mitglied")
    SPRECHERTEAM = "sprecherteam", _("Sprecherteam")
    GAST = "gast", _("ständiger Gast")


class MitgliedschaftQuerySet(models.QuerySet):
    def aktiv_am(self, stichtag: datetime.date) -> "MitgliedschaftQuerySet":
        return self.filter(Q(bis__isnull=True) | Q(bis__gte=stichtag), seit__lte=stichtag)

    def aktiv(self) -> "MitgliedschaftQuerySet":
        return self.aktiv_am(timezone.localdate())


class Mitgliedschaft(models.Model):
    netzwerk = models.ForeignKey(
        Netzwerk,
        verbose_name=_("Netzwerk"),
        on_delete=models.CASCADE,
        related_name="mitgliedschaften",
    )
    akteur = models.ForeignKey(
        Akteur, verbose_name=_("Akteur"), on_delete=models.CASCADE, related_name="mitgliedschaften"
    )
    rolle = models.CharField(
        _("Rolle"), max_length=20, choices=Mitgliedsrolle.choices, default=Mitgliedsrolle.MITGLIED
    )
    seit = models.DateField(_("seit"))
    bis = models.DateField(_("bis"), null=True, blank=True)

    objects = MitgliedschaftQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["netzwerk", "akteur__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rolle__in=Mitgliedsrolle.values), name="mitgliedschaft_rolle_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(bis__isnull=True) | Q(bis__gte=F("seit")),
                name="mitgliedschaft_bis_nach_seit",
            ),
            # Eine laufende Mitgliedschaft je Akteur und Netzwerk; frühere bleiben als Geschichte.
            models.UniqueConstraint(
                fields=["netzwerk", "akteur"],
                condition=Q(bis__isnull=True),
                name="mitgliedschaft_eine_laufende",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.akteur} in {self.netzwerk} ({self.get_rolle_display()})"


class SitzungQuerySet(models.QuerySet):
    def kommende(self) -> "SitzungQuerySet":
        return self.filter(beginn__gte=timezone.now()).order_by("beginn")


class Sitzung(models.Model):
    netzwerk = models.ForeignKey(
        Netzwerk, verbose_name=_("Netzwerk"), on_delete=models.PROTECT, related_name="sitzungen"
    )
    beginn = models.DateTimeField(_("Beginn"))
    ende = models.DateTimeField(_("Ende"), null=True, blank=True)
    ort = models.CharField(_("Ort"), max_length=200)
    protokoll = models.TextField(_("Protokoll"), blank=True)
    teilnehmende = models.ManyToManyField(
        Akteur, verbose_name=_("anwesende Akteure"), related_name="sitzungen", blank=True
    )
    weitere_teilnehmende = models.PositiveSmallIntegerField(
        _("weitere Teilnehmende"),
        default=0,
        help_text=_("Bürger:innen und Gäste ohne Akteur, nur als Anzahl"),
    )
    # Optimistisches Sperren (quartier.sperren): zwei Tablets in derselben Sitzung
    # überschreiben sich nicht.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = SitzungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-beginn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ende__isnull=True) | Q(ende__gt=F("beginn")),
                name="sitzung_ende_nach_beginn",
            ),
        ]
        indexes = [
            # für „nächste Sitzungen je Netzwerk“
            models.Index(fields=["netzwerk", "beginn"], name="sitzung_netzwerk_beginn_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.netzwerk}, {timezone.localtime(self.beginn):%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("netzwerke:sitzung_detail", args=[self.pk])


class Tagesordnungspunkt(models.Model):
    sitzung = models.ForeignKey(
        Sitzung, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="tagesordnung"
    )
    nummer = models.PositiveSmallIntegerField(_("Nr."))
    titel = models.CharField(_("Titel"), max_length=200)
    ergebnis = models.TextField(_("Ergebnis"), blank=True)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["sitzung", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["sitzung", "nummer"], name="top_nummer_eindeutig"),
        ]

    def __str__(self) -> str:
        return f"TOP {self.nummer}: {self.titel}"


# --- Projekte ----------------------------------------------------------------------------


class Projektart(models.TextChoices):
    STADTTEILFEST = "stadtteilfest", _("Stadtteilfest")
    FAHRRADWERKSTATT = "fahrradwerkstatt", _("Fahrradwerkstatt")
    KOCHAKTION = "kochaktion", _("Kochaktion")
    FILMABEND = "filmabend", _("Filmabend")
    BEPFLANZUNGSAKTION = "bepflanzungsaktion", _("Bepflanzungsaktion")
    AUSFLUG = "ausflug", _("Ausflug")
    WANDERCAFE = "wandercafe", _("Wandercafé")
    SONSTIGES = "sonstiges", _("Sonstiges")


class Projektstatus(models.TextChoices):
    IDEE = "idee", _("Idee")
    IN_PLANUNG = "in_planung", _("in Planung")
    LAUFEND = "laufend", _("laufend")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")


class Projekt(models.Model):
    titel = models.CharField(_("Titel"), max_length=200)
    art = models.CharField(_("Art"), max_length=30, choices=Projektart.choices)
    status = models.CharField(
        _("Status"), max_length=20, choices=Projektstatus.choices, default=Projektstatus.IDEE
    )
    fortschritt = models.PositiveSmallIntegerField(
        _("Fortschritt (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    quartiere = models.ManyToManyField(
        Quartier, verbose_name=_("Quartiere"), related_name="projekte"
    )
    partner = models.ManyToManyField(
        Akteur, verbose_name=_("Partner"), related_name="projekte", blank=True
    )
    verantwortlich = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verantwortlich"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projekte",
    )
    beginn = models.DateField(_("Beginn"), null=True, blank=True)
    ende = models.DateField(_("Ende"), null=True, blank=True)
    teilnehmende = models.PositiveIntegerField(_("Teilnehmende"), null=True, blank=True)
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    oeffentlich = models.BooleanField(
        _("öffentlich"), default=False, help_text=_("für die Öffentlichkeitsarbeit im Quartier")
    )
    oeffentlicher_text = models.TextField(
        _("Text für die Öffentlichkeit"), max_length=600, blank=True
    )
    antrag = models.OneToOneField(
        "Antrag",
        verbose_name=_("gefördert durch Antrag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projekt",
    )
    # Optimistisches Sperren (quartier.sperren).
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["-beginn", "titel"]
        constraints = [
            models.CheckConstraint(
                condition=Q(art__in=Projektart.values), name="projekt_art_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Projektstatus.values), name="projekt_status_gueltig"
            ),
            models.CheckConstraint(
                condition=Q(fortschritt__lte=100), name="projekt_fortschritt_bis_100"
            ),
            models.CheckConstraint(
                condition=Q(ende__isnull=True) | Q(beginn__isnull=True) | Q(ende__gte=F("beginn")),
                name="projekt_ende_nach_beginn",
            ),
            # Wer öffentlich zeigt, braucht einen Text dafür.
            models.CheckConstraint(
                condition=Q(oeffentlich=False) | ~Q(oeffentlicher_text=""),
                name="projekt_oeffentlich_mit_text",
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("netzwerke:projekt_detail", args=[self.pk])


# --- Stadtteilfonds ----------------------------------------------------------------------

# Anträge, deren bewilligter Betrag das Budget belastet.
BELASTENDE_STATUS = ("bewilligt", "ausgezahlt", "nachweis_liegt_vor", "abgeschlossen")


class Stadtteilfonds(models.Model):
    """Das Jahresbudget einer Stadtteilkonferenz für kleine Projekte im Quartier."""

    netzwerk = models.ForeignKey(
        Netzwerk,
        verbose_name=_("Stadtteilkonferenz"),
        on_delete=models.PROTECT,
        related_name="fonds",
        limit_choices_to={"art": Netzwerkart.STADTTEILKONFERENZ},
    )
    jahr = models.PositiveSmallIntegerField(_("Jahr"))
    budget = models.DecimalField(
        _("Budget (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0"), message=_("Das Budget darf nicht negativ sein."))
        ],
    )

    class Meta:
        verbose_name = _("Stadtteilfonds")
        verbose_name_plural = _("Stadtteilfonds")
        ordering = ["-jahr", "netzwerk__name"]
        constraints = [
            models.UniqueConstraint(fields=["netzwerk", "jahr"], name="fonds_eins_je_jahr"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="fonds_budget_nicht_negativ"),
            models.CheckConstraint(
                condition=Q(jahr__gte=2000, jahr__lte=2100), name="fonds_jahr_plausibel"
            ),
        ]

    def __str__(self) -> str:
        return f"Stadtteilfonds {self.netzwerk} {self.jahr}"

    def get_absolute_url(self) -> str:
        return reverse("netzwerke:fonds_detail", args=[self.pk])

    def bewilligt_summe(self) -> Decimal:
        summe = self.antraege.filter(status__in=BELASTENDE_STATUS).aggregate(
            s=Sum("bewilligt_betrag")
        )["s"]
        return summe or Decimal("0")

    def restbudget(self) -> Decimal:
        return self.budget - self.bewilligt_summe()


class Antragsstatus(models.TextChoices):
    EINGEREICHT = "eingereicht", _("eingereicht")
    EMPFOHLEN = "empfohlen", _("von der Konferenz empfohlen")
    NICHT_EMPFOHLEN = "nicht_empfohlen", _("von der Konferenz nicht empfohlen")
    BEWILLIGT = "bewilligt", _("bewilligt")
    ABGELEHNT = "abgelehnt", _("abgelehnt")
    AUSGEZAHLT = "ausgezahlt", _("ausgezahlt")
    NACHWEIS_LIEGT_VOR = "nachweis_liegt_vor", _("Verwendungsnachweis liegt vor")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")
    ZURUECKGEZOGEN = "zurueckgezogen", _("zurückgezogen")


class Antrag(models.Model):
    """Ein Antrag an den Stadtteilfonds. Der Status ändert sich nur über netzwerke/fonds.py."""

    fonds = models.ForeignKey(
        Stadtteilfonds,
        verbose_name=_("Stadtteilfonds"),
        on_delete=models.PROTECT,
        related_name="antraege",
    )
    antragsteller = models.ForeignKey(
        Akteur, verbose_name=_("Antragsteller"), on_delete=models.PROTECT, related_name="antraege"
    )
    vorhaben = models.CharField(_("Vorhaben"), max_length=200)
    beschreibung = models.TextField(_("Beschreibung"))
    beantragt = models.DecimalField(_("beantragter Betrag (€)"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("Status"),
        max_length=30,
        choices=Antragsstatus.choices,
        default=Antragsstatus.EINGEREICHT,
        editable=False,
    )
    eingereicht_am = models.DateField(_("eingereicht am"), default=timezone.localdate)

    # Beratung in der Stadtteilkonferenz
    sitzung = models.ForeignKey(
        Sitzung,
        verbose_name=_("beraten in Sitzung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="antraege",
        editable=False,
    )
    quartiersbezug = models.BooleanField(_("Bezug zum Quartier"), null=True, editable=False)
    beteiligung = models.BooleanField(_("beteiligungsorientiert"), null=True, editable=False)
    eigeninitiative = models.BooleanField(_("Eigeninitiative"), null=True, editable=False)
    stimmen_ja = models.PositiveSmallIntegerField(_("Ja-Stimmen"), null=True, editable=False)
    stimmen_nein = models.PositiveSmallIntegerField(_("Nein-Stimmen"), null=True, editable=False)
    stimmen_enthaltung = models.PositiveSmallIntegerField(
        _("Enthaltungen"), null=True, editable=False
    )
    befangene = models.ManyToManyField(
        Akteur, verbose_name=_("befangene Mitglieder"), related_name="befangen_bei", blank=True
    )

    # Entscheidung der Verwaltung
    bewilligt_betrag = models.DecimalField(
        _("bewilligter Betrag (€)"), max_digits=10, decimal_places=2, null=True, editable=False
    )
    begruendung = models.TextField(_("Begründung"), blank=True, editable=False)
    entschieden_am = models.DateTimeField(_("entschieden am"), null=True, editable=False)

    # Auszahlung und Verwendungsnachweis
    ausgezahlt_am = models.DateField(_("ausgezahlt am"), null=True, editable=False)
    verausgabt = models.DecimalField(
        _("verausgabter Betrag (€)"), max_digits=10, decimal_places=2, null=True, editable=False
    )
    bericht = models.TextField(_("Kurzbericht"), blank=True, editable=False)

    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Antrag an den Stadtteilfonds")
        verbose_name_plural = _("Anträge an den Stadtteilfonds")
        ordering = ["-eingereicht_am", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Antragsstatus.values), name="antrag_status_gueltig"
            ),
            models.CheckConstraint(condition=Q(beantragt__gt=0), name="antrag_betrag_positiv"),
            # Bewilligt wird höchstens, was beantragt ist, und nie ein negativer Betrag.
            models.CheckConstraint(
                condition=Q(bewilligt_betrag__isnull=True)
                | Q(bewilligt_betrag__gt=0, bewilligt_betrag__lte=F("beantragt")),
                name="antrag_bewilligt_bis_beantragt",
            ),
            models.CheckConstraint(
                condition=Q(verausgabt__isnull=True) | Q(verausgabt__gte=0),
                name="antrag_verausgabt_nicht_negativ",
            ),
            # Belastende Status haben immer einen bewilligten Betrag.
            models.CheckConstraint(
                condition=~Q(status__in=BELASTENDE_STATUS) | Q(bewilligt_betrag__isnull=False),
                name="antrag_bewilligt_mit_betrag",
            ),
        ]
        indexes = [
            # für Restbudget je Fonds: Summe über die belastenden Anträge
            models.Index(fields=["fonds", "status"], name="antrag_fonds_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.vorhaben} ({self.antragsteller})"

    def get_absolute_url(self) -> str:
        return reverse("netzwerke:antrag_detail", args=[self.pk])


class AntragEreignis(models.Model):
    """Verlauf eines Antrags: nur anhängen, nie ändern. Codes und Daten, Text erst beim Anzeigen."""

    antrag = models.ForeignKey(
        Antrag, verbose_name=_("Antrag"), on_delete=models.CASCADE, related_name="ereignisse"
    )
    art = models.CharField(_("Art"), max_length=30)
    daten = models.JSONField(_("Daten"), default=dict, blank=True)
    von = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("von"), on_delete=models.PROTECT, related_name="+"
    )
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("Ereignis eines Antrags")
        verbose_name_plural = _("Ereignisse der Anträge")
        ordering = ["zeitpunkt", "pk"]

    def __str__(self) -> str:
        return f"{self.antrag}: {self.art}"

    def text(self) -> str:
        """Der Eintrag als deutscher Satz, erst beim Anzeigen aus Code und Daten gebildet."""
        d = self.daten
        if self.art == "eingereicht":
            return _("Antrag über %(betrag)s € eingereicht.") % {"betrag": _betrag(d, "beantragt")}
        if self.art == "abgestimmt":
            ergebnis = _("empfohlen") if d.get("empfohlen") else _("nicht empfohlen")
            return _(
                "Votum der Stadtteilkonferenz: %(ergebnis)s (Ja %(ja)s, Nein %(nein)s, "
                "Enthaltung %(enthaltung)s; befangen: %(befangene)s)."
            ) % {
                "ergebnis": ergebnis,
                "ja": d.get("ja"),
                "nein": d.get("nein"),
                "enthaltung": d.get("enthaltung"),
                "befangene": len(d.get("befangene", [])),
            }
        if self.art == "bewilligt":
            vorlage = (
                _("Teilweise bewilligt: %(betrag)s €.")
                if d.get("teilweise")
                else _("Bewilligt: %(betrag)s €.")
            )
            return vorlage % {"betrag": _betrag(d, "betrag")}
        if self.art == "abgelehnt":
            return _("Abgelehnt. Begründung: %(grund)s") % {"grund": d.get("begruendung", "")}
        if self.art == "ausgezahlt":
            return _("Ausgezahlt am %(am)s.") % {"am": _datum(d.get("am", ""))}
        if self.art == "nachweis":
            return _("Verwendungsnachweis über %(betrag)s € erfasst.") % {
                "betrag": _betrag(d, "verausgabt")
            }
        if self.art == "abgeschlossen":
            return str(_("Abgeschlossen."))
        if self.art == "zurueckgezogen":
            return _("Zurückgezogen: %(grund)s") % {"grund": d.get("grund", "")}
        return self.art


def _betrag(daten: dict, schluessel: str) -> str:
    try:
        return number_format(Decimal(daten.get(schluessel, "0")), 2, force_grouping=True)
    except ArithmeticError:
        return str(daten.get(schluessel, ""))


def _datum(iso: str) -> str:
    try:
        return datetime.date.fromisoformat(iso).strftime("%d.%m.%Y")
    except ValueError:
        return iso
