"""Anliegen und der Lotsen-Kreislauf.

Darf `netzwerke` und `quartier` importieren. Status ändern sich nur über anliegen/workflow.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netzwerke.models import Akteur, Sitzung
from quartier.models import Fachbereich, Quartier

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
        return self.name or str(_("ohne Namen"))


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
    # Doppeltes Absenden desselben Formulars legt nichts doppelt an.
    einreichung = models.UUIDField(
        _("Einreichungsschlüssel"), unique=True, null=True, editable=False
    )
    version = models.PositiveIntegerField(default=0, editable=False)

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
        ]

    def __str__(self) -> str:
        return f"{self.nummer} {self.titel}"

    def get_absolute_url(self) -> str:
        return reverse("anliegen:detail", args=[self.nummer])


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
    beantwortet_am = models.DateTimeField(_("beantwortet am"), null=True, editable=False)
    beantwortet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwortet von"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=0, editable=False)

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
        ]

    def __str__(self) -> str:
        return f"{self.anliegen.nummer} → {self.fachbereich.kuerzel}"

    @property
    def ist_offen(self) -> bool:
        return self.status in OFFENE_WSTATUS

    @property
    def ist_ueberfaellig(self) -> bool:
        return self.ist_offen and self.frist < timezone.localdate()


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


class Ereignis(models.Model):
    """Verlauf eines Anliegens: nur anhängen, nie ändern. Codes und Daten; Text beim Anzeigen."""

    anliegen = models.ForeignKey(
        Anliegen, verbose_name=_("Anliegen"), on_delete=models.CASCADE, related_name="ereignisse"
    )
    art = models.CharField(_("Art"), max_length=30)
    daten = models.JSONField(_("Daten"), default=dict, blank=True)
    intern = models.BooleanField(_("interne Notiz"), default=False)
    von = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("von"), on_delete=models.PROTECT, related_name="+"
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

    def __str__(self) -> str:
        return f"{self.anliegen.nummer}: {self.art}"

    def text(self) -> str:
        """Der Eintrag als deutscher Satz, erst beim Anzeigen aus `art` und `daten` gebildet.

        Enthält bei Rückmeldungen deren Text (kann personenbezogen sein); die Seiten zeigen ihn
        nur, wer Personendaten sehen darf (siehe `anliegen.views.liste`)."""
        import datetime

        d = self.daten or {}

        def datum(iso) -> str:
            try:
                return datetime.date.fromisoformat(iso).strftime("%d.%m.%Y")
            except (TypeError, ValueError):
                return str(iso or "")

        def label(auswahl, wert) -> str:
            try:
                return str(auswahl(wert).label)
            except ValueError:
                return str(wert or "")

        fb = d.get("fachbereich", "")
        if self.art == "erfasst":
            return _("Anliegen %(nummer)s erfasst.") % {"nummer": d.get("nummer", "")}
        if self.art == "weg":
            satz = _("Weg festgelegt: %(weg)s.") % {"weg": label(Weg, d.get("weg"))}
            if d.get("vermittelt_an"):
                satz += " " + _("Vermittelt an: %(an)s.") % {"an": d["vermittelt_an"]}
            return satz
        if self.art == "weitergeleitet":
            satz = _("Weitergeleitet an %(fb)s, Antwort bis %(frist)s.") % {
                "fb": fb,
                "frist": datum(d.get("frist")),
            }
            if d.get("kontakt_geteilt"):
                satz += " " + _("Kontakt der meldenden Person geteilt.")
            return satz
        if self.art == "angenommen":
            return _("%(fb)s hat das Anliegen angenommen.") % {"fb": fb}
        if self.art == "zurueckgegeben":
            wer = "; ".join(w for w in (d.get("zustaendig"), d.get("hinweis")) if w)
            return _("%(fb)s ist nicht zuständig. Zuständig ist: %(wer)s") % {"fb": fb, "wer": wer}
        if self.art == "beantwortet":
            satz = _("Antwort von %(fb)s: %(entscheidung)s.") % {
                "fb": fb,
                "entscheidung": label(Entscheidung, d.get("entscheidung")),
            }
            if d.get("erwartet_am"):
                satz += " " + _("Umsetzung erwartet am %(am)s.") % {"am": datum(d["erwartet_am"])}
            if d.get("grund"):
                satz += " " + _("Grund: %(grund)s.") % {"grund": d["grund"]}
            if d.get("antwort"):
                satz += " " + _("„%(antwort)s“") % {"antwort": d["antwort"]}
            return satz
        if self.art == "zwischenbescheid":
            return _("Zwischenbescheid von %(fb)s: „%(antwort)s“") % {
                "fb": fb,
                "antwort": d.get("antwort", ""),
            }
        if self.art == "rueckmeldung":
            vorlage = (
                _("Rückmeldung gegeben (%(kanal)s): „%(text)s“")
                if d.get("erreicht", True)
                else _("Rückmeldung versucht, nicht erreicht (%(kanal)s): „%(text)s“")
            )
            return vorlage % {
                "kanal": label(Rueckmeldekanal, d.get("kanal")),
                "text": d.get("text", ""),
            }
        if self.art == "abgeschlossen":
            satz = _("Abgeschlossen: %(grund)s.") % {"grund": label(Abschlussgrund, d.get("grund"))}
            if d.get("ohne_rueckmeldung"):
                satz += " " + _("Ohne Rückmeldung: %(grund)s.") % {"grund": d["ohne_rueckmeldung"]}
            if d.get("zurueckgezogen"):
                satz += " " + _("Weiterleitung zurückgezogen: %(fb)s.") % {
                    "fb": ", ".join(d["zurueckgezogen"])
                }
            return satz
        if self.art == "wiedereroeffnet":
            return _("Wieder geöffnet: %(grund)s") % {"grund": d.get("grund", "")}
        if self.art == "notiz":
            return str(d.get("text", ""))
        return self.art
