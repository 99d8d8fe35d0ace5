"""Formulare des Quartiersmanagements: Anliegen erfassen und die Schritte des Kreislaufs.

Sie prüfen die Eingabe; die Regeln des Ablaufs (Zustand, Recht, „erst Rückmeldung, dann
abschließen“) prüft anliegen/workflow.py und meldet sie auf die Felder zurück. Felder, die der
Ablauf selbst prüft, sind hier nicht Pflicht, damit seine deutschen Meldungen erscheinen.
"""

import datetime
import re
import uuid
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netzwerke.forms.netzwerke import datumsfeld
from netzwerke.forms.projekte import AntragAuswahl
from netzwerke.models import Akteur, Sitzung
from netzwerke.permissions import sichtbare_akteure, sichtbare_antraege
from quartier.forms import DeutscheDezimalzahlFeld, KernFormMixin, auswahl
from quartier.models import Fachbereich, Quartier, User
from quartier.permissions import eigene_quartiere

from .. import workflow
from ..datenschutz import Maske
from ..duplikate import aehnliche_anliegen
from ..models import (
    OFFENE_WSTATUS,
    Abschlussgrund,
    Anliegen,
    Art,
    Bedarf,
    Kanal,
    Meldende,
    Rueckmeldekanal,
    Textbaustein,
    Thema,
    Weg,
    Weiterleitung,
    WStatus,
    Zweck,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from ..textbausteine import werte as baustein_werte
from .anhaenge import dateien_feld, freigeben_feld
from .textbausteine import TextbausteinMixin

BITTE_WAEHLEN = _("– bitte wählen –")
KEINE_ANGABE = _("– keine Angabe –")


def _koordinate(label, grenze: int, beispiel: str) -> DeutscheDezimalzahlFeld:
    bereich = _("Bitte einen Wert zwischen −%(g)s und %(g)s eingeben.") % {"g": grenze}
    return DeutscheDezimalzahlFeld(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-grenze,
        max_value=grenze,
        help_text=_("optional, z. B. %(beispiel)s") % {"beispiel": beispiel},
        error_messages={
            "invalid": _("Bitte eine Zahl eingeben, z. B. %(beispiel)s.") % {"beispiel": beispiel},
            "min_value": bereich,
            "max_value": bereich,
            "max_decimal_places": _("Bitte höchstens sechs Nachkommastellen angeben."),
            "max_digits": bereich,
            "max_whole_digits": bereich,
        },
    )


class _SitzungAuswahl(forms.ModelChoiceField):
    def label_from_instance(self, sitzung: Sitzung) -> str:
        return f"{sitzung.netzwerk.name}, {timezone.localtime(sitzung.beginn):%d.%m.%Y}"


def thema_ziel(thema: Thema | None) -> str:
    """Wohin ein Thema geleitet wird (Routing-Tabelle), als Hinweis unter der Themenwahl."""
    if thema is None:
        return str(_("Nach der Wahl eines Themas steht hier, an welchen Fachbereich es geht."))
    fb = thema.fachbereich
    if fb is None or not fb.aktiv:
        return str(_("Ohne Fachbereich: das Quartiersmanagement kümmert sich oder vermittelt."))
    return _("Wird an %(fb)s weitergeleitet.") % {"fb": fb}


class _ThemaSelect(forms.Select):
    """Jede Option trägt ihren Hinweis in data-ql-ziel; static/js/app.js zeigt ihn bei der Wahl."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        thema = getattr(value, "instance", None)
        if thema is not None:
            option["attrs"]["data-ql-ziel"] = thema_ziel(thema)
        return option


class ErfassenForm(KernFormMixin, forms.Form):
    """Schnell auf dem Tablet: oben das Anliegen, unten die Person (oder „anonym“)."""

    KONTAKTFELDER = ("name", "email", "telefon", "anschrift")
    # Welcher Rückmeldeweg welche Angabe braucht.
    KANAL_BRAUCHT: "dict[str, tuple[str | None, StrOrPromise]]" = {
        Rueckmeldekanal.EMAIL: (
            "email",
            _("Für eine Rückmeldung per E-Mail bitte eine E-Mail-Adresse angeben."),
        ),
        Rueckmeldekanal.TELEFON: (
            "telefon",
            _("Für eine Rückmeldung per Telefon bitte eine Telefonnummer angeben."),
        ),
        Rueckmeldekanal.BRIEF: (
            "anschrift",
            _("Für eine Rückmeldung per Brief bitte eine Anschrift angeben."),
        ),
    }

    einreichung = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Das Formular ist unvollständig. Bitte laden Sie die Seite neu."),
            "invalid": _("Das Formular ist unvollständig. Bitte laden Sie die Seite neu."),
        },
    )
    quartier: "forms.ModelChoiceField[Quartier]" = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Bitte das Quartier wählen."),
            "invalid_choice": _("Anliegen erfassen Sie nur für Ihre eigenen Quartiere."),
        },
    )
    titel = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("In wenigen Worten, z. B. „Sperrmüll an der Bushaltestelle“"),
        error_messages={
            "required": _("Bitte einen kurzen Titel eingeben."),
            "max_length": _("Bitte höchstens %(limit_value)d Zeichen für den Titel."),
        },
    )
    beschreibung = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte beschreiben, worum es geht.")},
    )
    ort = forms.CharField(
        label=_("Ort"),
        max_length=250,
        required=False,
        help_text=_("Adresse oder Stelle, z. B. „Ecke Nordstraße/Parkweg“"),
    )
    breite = _koordinate(_("Breitengrad"), 90, "50,7753")
    laenge = _koordinate(_("Längengrad"), 180, "6,0839")
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        widget=_ThemaSelect,
        queryset=Thema.objects.filter(aktiv=True).select_related("fachbereich"),
        empty_label=BITTE_WAEHLEN,
        help_text=_("Bestimmt, an welchen Fachbereich weitergeleitet wird."),
        error_messages={"required": _("Bitte ein Thema wählen.")},
    )
    bedarfe = forms.ModelMultipleChoiceField(
        label=_("Bedarfe"),
        queryset=Bedarf.objects.filter(aktiv=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Planungsthemen für die Sozialplanung; mehrere möglich."),
    )
    art = forms.ChoiceField(
        label=_("Art"),
        choices=Art.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte die Art des Anliegens wählen.")},
    )
    kanal = forms.ChoiceField(
        label=_("Eingang über"),
        choices=Kanal.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen, wie das Anliegen eingegangen ist.")},
    )
    sitzung = _SitzungAuswahl(
        label=_("Sitzung"),
        queryset=None,
        required=False,
        empty_label=KEINE_ANGABE,
        help_text=_("Pflicht, wenn das Anliegen in einer Stadtteilkonferenz eingebracht wurde."),
    )
    akteur: "forms.ModelChoiceField[Akteur]" = forms.ModelChoiceField(
        label=_("eingebracht von Akteur"),
        queryset=None,
        required=False,
        empty_label=KEINE_ANGABE,
    )
    fondsantrag = AntragAuswahl(
        label=_("führte zum Antrag an den Stadtteilfonds"),
        queryset=None,
        required=False,
        empty_label=KEINE_ANGABE,
        help_text=_("Nur Anträge an Stadtteilkonferenzen Ihrer Quartiere."),
        error_messages={
            "invalid_choice": _(
                "Bitte einen Antrag an den Stadtteilfonds einer Stadtteilkonferenz Ihrer "
                "Quartiere wählen."
            )
        },
    )
    anonym = forms.BooleanField(
        label=_("anonym – ohne Angaben zur Person"),
        required=False,
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-Mail"),
        required=False,
        error_messages={"invalid": _("Bitte eine gültige E-Mail-Adresse eingeben.")},
    )
    telefon = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    anschrift = forms.CharField(label=_("Anschrift"), max_length=250, required=False)
    einwilligung = forms.BooleanField(
        label=_("Die Person ist einverstanden, dass ihre Kontaktdaten gespeichert werden."),
        required=False,
    )
    rueckmeldung_gewuenscht = forms.BooleanField(
        label=_("möchte Rückmeldung"), required=False, initial=True
    )
    bevorzugter_kanal = forms.ChoiceField(
        label=_("bevorzugter Weg der Rückmeldung"),
        choices=[("", KEINE_ANGABE), *Rueckmeldekanal.choices],
        required=False,
    )
    anhaenge = dateien_feld(required=False)
    anhaenge_freigegeben = freigeben_feld()
    # Entscheidung zu ähnlichen offenen Anliegen (templates/anliegen/_aehnliche.html):
    # „neu“ = trotzdem neu erfassen, eine Nummer = nach dem Erfassen darunter bündeln,
    # leer = noch nicht gesehen (dann zeigt die Seite die Vorschläge, bevor sie speichert).
    zuordnen = forms.CharField(required=False, max_length=20)

    # Felder, deren Änderung (mit JavaScript) die Vorschläge neu lädt.
    AEHNLICH_FELDER = ("quartier", "thema", "ort", "breite", "laenge")

    def __init__(self, *args, user: User, meldende: Meldende | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        einschliessen = ",".join(f"[name={f}]" for f in self.AEHNLICH_FELDER)
        for name in self.AEHNLICH_FELDER:
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("anliegen:aehnliche"),
                    "hx-trigger": "change",
                    "hx-target": "#ql-aehnliche",
                    "hx-include": einschliessen,
                    "hx-sync": "closest form:replace",
                }
            )
        self.meldende = meldende
        quartiere = eigene_quartiere(user).order_by("name")
        auswahl(self.fields["quartier"]).queryset = quartiere
        auswahl(self.fields["sitzung"]).queryset = (
            Sitzung.objects.filter(
                netzwerk__quartiere__in=quartiere,
                beginn__gte=timezone.now() - datetime.timedelta(days=365),
                # Eingebracht wird in einer Sitzung, die stattgefunden hat (oder heute ist);
                # die Auswahl ist zugleich die Prüfung.
                beginn__date__lte=timezone.localdate(),
            )
            .select_related("netzwerk")
            .distinct()
            .order_by("-beginn")
        )
        auswahl(self.fields["akteur"]).queryset = sichtbare_akteure(user).filter(aktiv=True)
        # Die Auswahl ist zugleich die Prüfung: nur Anträge der eigenen Quartiere.
        auswahl(self.fields["fondsantrag"]).queryset = (
            sichtbare_antraege(user)
            .filter(fonds__netzwerk__quartiere__in=quartiere)
            .select_related("antragsteller", "fonds__netzwerk")
            .distinct()
            .order_by("-fonds__jahr", "vorhaben", "pk")
        )
        if meldende is not None:
            # „Weiteres Anliegen dieser Person“: die Person ist schon bekannt.
            for feld in ("anonym", *self.KONTAKTFELDER, "einwilligung"):
                del self.fields[feld]
            for feld in ("rueckmeldung_gewuenscht", "bevorzugter_kanal"):
                del self.fields[feld]

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        breite, laenge = daten.get("breite"), daten.get("laenge")
        beide = _("Bitte Breite und Länge angeben oder beide leer lassen.")
        if "breite" not in self.errors and "laenge" not in self.errors:
            if breite is None and laenge is not None:
                self.add_error("breite", beide)
            if laenge is None and breite is not None:
                self.add_error("laenge", beide)
        konferenz = daten.get("kanal") == Kanal.STADTTEILKONFERENZ
        if konferenz and not daten.get("sitzung") and "sitzung" not in self.errors:
            self.add_error(
                "sitzung",
                _("Bitte die Sitzung wählen, in der das Anliegen eingebracht wurde."),
            )
        if self.meldende is None:
            self._person_pruefen(daten)
        return daten

    def _person_pruefen(self, daten: dict) -> None:
        kontakt = [f for f in self.KONTAKTFELDER if daten.get(f, "").strip()]
        if daten.get("anonym"):
            if kontakt:
                self.add_error(
                    "anonym",
                    _("Anonym heißt: ohne Angaben zur Person. Bitte Haken oder Angaben entfernen."),
                )
            return
        if not kontakt and not daten.get("akteur"):
            self.add_error(
                "anonym",
                _("Bitte Angaben zur Person machen oder „anonym“ ankreuzen."),
            )
            return
        if kontakt and not daten.get("einwilligung"):
            self.add_error(
                "einwilligung", _("Ohne Einwilligung bitte keine Kontaktdaten speichern.")
            )
        feld, meldung = self.KANAL_BRAUCHT.get(daten.get("bevorzugter_kanal", ""), (None, ""))
        if feld and not daten.get(feld, "").strip() and feld not in self.errors:
            self.add_error(feld, meldung)

    def clean_zuordnen(self) -> str:
        wert = self.cleaned_data["zuordnen"].strip()
        if wert and wert != "neu" and not re.fullmatch(r"\d{4}-\d{5}", wert):
            raise forms.ValidationError(
                _("Bitte „Trotzdem neu erfassen“ oder ein Anliegen wählen.")
            )
        return wert

    def thema_ziel(self) -> str:
        """Der Hinweis zur aktuellen Wahl (nach einem Fehler kommt die Seite mit ihr wieder)."""
        return thema_ziel(getattr(self, "cleaned_data", {}).get("thema"))

    def thema_ziel_leer(self) -> str:
        return thema_ziel(None)

    def routing(self) -> list[tuple[str, str]]:
        """Die Routing-Tabelle (Thema → Fachbereich) für den Hinweis ohne JavaScript."""
        themen = auswahl(self.fields["thema"]).queryset
        assert themen is not None  # im Formular gesetzt
        return [
            (
                thema.name,
                str(thema.fachbereich)
                if thema.fachbereich is not None and thema.fachbereich.aktiv
                else str(_("ohne Fachbereich (Quartiersmanagement)")),
            )
            for thema in themen
        ]

    def aehnlich_kriterien(self) -> dict:
        d = self.cleaned_data
        return {f: d.get(f) for f in self.AEHNLICH_FELDER}

    def anliegen_daten(self) -> dict:
        d = self.cleaned_data
        felder = ["quartier", "titel", "beschreibung", "ort", "breite", "laenge", "thema"]
        daten = {f: d[f] for f in felder}
        daten.update(
            art=d["art"],
            kanal=d["kanal"],
            sitzung=d["sitzung"],
            akteur=d["akteur"],
            fondsantrag=d["fondsantrag"],
            titel=d["titel"].strip(),
            beschreibung=d["beschreibung"].strip(),
            ort=d["ort"].strip(),
        )
        return daten

    def personen_warnung(self) -> str:
        """Warnung (kein Fehler), wenn Titel oder Beschreibung Name, Telefon, E-Mail oder
        Anschrift der meldenden Person nennen: Fachbereiche und andere Quartiere sehen sie dort
        maskiert (`datenschutz.Maske`); besser gleich ohne schreiben. Leer ohne Befund."""
        d = getattr(self, "cleaned_data", None) or {}
        if self.meldende is not None:
            person = self.meldende
        else:
            person = Meldende(**{f: (d.get(f) or "").strip() for f in self.KONTAKTFELDER})
        texte = [d.get("titel") or "", d.get("beschreibung") or ""]
        if not any(Maske([person]).trifft(t) for t in texte):
            return ""
        return str(
            _(
                "Die Beschreibung nennt die meldende Person; Fachbereiche und andere Quartiere "
                "sehen sie maskiert. Besser ohne Namen schreiben."
            )
        )

    def neue_meldende(self) -> dict | None:
        """Die Daten einer neu anzulegenden Person; None für anonym, Akteur oder bekannte."""
        d = self.cleaned_data
        if self.meldende is not None or d.get("anonym"):
            return None
        kontakt = {f: d[f].strip() for f in self.KONTAKTFELDER}
        if not any(kontakt.values()):
            return None
        return {
            **kontakt,
            "einwilligung": d["einwilligung"],
            "rueckmeldung_gewuenscht": d["rueckmeldung_gewuenscht"],
            "bevorzugter_kanal": d["bevorzugter_kanal"],
        }


# --- Schritte des Kreislaufs -------------------------------------------------------------


class _MitVersion(KernFormMixin, forms.Form):
    """Die Version, auf der die Eingabe beruht (optimistisches Sperren)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, anliegen: Anliegen, **kwargs) -> None:
        self.anliegen = anliegen
        super().__init__(*args, **kwargs)


class WegForm(_MitVersion):
    weg = forms.ChoiceField(
        label=_("Wie geht es weiter?"),
        choices=[(w.value, w.label) for w in (Weg.SELBST, Weg.KONTAKT, Weg.BEDARF)],
        widget=forms.RadioSelect,
        help_text=_("Zum Weiterleiten an einen Fachbereich bitte „Weiterleiten“ wählen."),
        error_messages={
            "required": _("Bitte einen Weg wählen."),
            "invalid_choice": _("Zum Weiterleiten bitte „Weiterleiten“ wählen."),
        },
    )
    vermittelt_an = forms.ModelChoiceField(
        label=_("vermittelt an (Akteur)"),
        queryset=Akteur.objects.filter(aktiv=True),
        required=False,
        empty_label=KEINE_ANGABE,
        help_text=_("Nur bei „Kontakt vermitteln“."),
    )
    vermittelt_an_text = forms.CharField(
        label=_("vermittelt an (Freitext)"),
        max_length=250,
        required=False,
        help_text=_("Wenn die Stelle nicht in der Liste steht, z. B. „Schuldnerberatung“."),
    )


class _FachbereichAuswahl(forms.ModelMultipleChoiceField):
    def label_from_instance(self, fb: Fachbereich) -> str:
        return _("%(name)s (%(kuerzel)s), Antwort üblich in %(tage)s Arbeitstagen") % {
            "name": fb.name,
            "kuerzel": fb.kuerzel,
            "tage": fb.antwortfrist_tage,
        }


class WeiterleitenForm(_MitVersion):
    an = _FachbereichAuswahl(
        label=_("an Fachbereich(e)"),
        queryset=Fachbereich.objects.filter(aktiv=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nachricht = forms.CharField(
        label=_("Nachricht an den Fachbereich"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Der Fachbereich sieht keine Kontaktdaten der Person, außer Sie teilen sie."),
    )
    frist = datumsfeld(_("Antwort bis"), required=False)
    kontakt_teilen = forms.BooleanField(
        label=_("Kontakt der meldenden Person mit dem Fachbereich teilen"),
        required=False,
        help_text=_(
            "Die Person hat eingewilligt; teilen Sie nur, wenn der Fachbereich sie braucht."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        anliegen = self.anliegen
        vorschlag = anliegen.thema.fachbereich
        hilfe: StrOrPromise = _("Leer lassen für die übliche Frist des jeweiligen Fachbereichs")
        if vorschlag is not None and vorschlag.aktiv:
            offen = anliegen.weiterleitungen.filter(
                fachbereich=vorschlag, status__in=OFFENE_WSTATUS
            ).exists()
            if not offen:
                self.fields["an"].initial = [vorschlag.pk]
            self.fields["an"].help_text = _("Vorschlag nach dem Thema „%(thema)s“: %(fb)s") % {
                "thema": anliegen.thema.name,
                "fb": vorschlag.name,
            }
            hilfe = _("%(hilfe)s (für %(fb)s: %(datum)s).") % {
                "hilfe": hilfe,
                "fb": vorschlag.name,
                "datum": workflow.standardfrist(vorschlag).strftime("%d.%m.%Y"),
            }
        else:
            hilfe = f"{hilfe}."
        self.fields["frist"].help_text = hilfe
        meldende = anliegen.meldende
        if not (meldende and meldende.einwilligung):
            del self.fields["kontakt_teilen"]


def antworten_vorschlag(anliegen: Anliegen) -> str:
    """Die jüngsten Antworten der Fachbereiche, seit der letzten erreichten Rückmeldung
    (bei einem gebündelten Anliegen auch die seines Hauptanliegens)."""
    ids = [anliegen.pk, anliegen.uebergeordnet_id]
    beantwortet = Weiterleitung.objects.filter(
        anliegen_id__in=[i for i in ids if i], status=WStatus.BEANTWORTET
    )
    letzte = (
        anliegen.rueckmeldungen.filter(erreicht=True)
        .order_by("-zeitpunkt")
        .values_list("zeitpunkt", flat=True)
        .first()
    )
    neue = beantwortet.filter(beantwortet_am__gt=letzte) if letzte else beantwortet
    antworten = list(neue.select_related("fachbereich").order_by("beantwortet_am"))
    if not antworten:
        juengste = beantwortet.select_related("fachbereich").order_by("-beantwortet_am")
        antworten = list(juengste[:1])
    teile = []
    for w in antworten:
        satz = _("Antwort von %(fb)s: %(entscheidung)s.") % {
            "fb": w.fachbereich.name,
            "entscheidung": w.get_entscheidung_display(),
        }
        if w.erwartet_am:
            satz += " " + _("Voraussichtlich bis %(am)s.") % {
                "am": w.erwartet_am.strftime("%d.%m.%Y")
            }
        teile.append(f"{satz}\n{w.antwort}")
    return "\n\n".join(teile)


class RueckmeldenForm(TextbausteinMixin, _MitVersion):
    text = forms.CharField(
        label=_("Text für die meldende Person"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "Was der Person mitgeteilt wird, in verständlichen Worten. Interne Notizen gehören "
            "nicht hierher. Per E-Mail geht dieser Text an die Person."
        ),
    )
    kanal = forms.ChoiceField(
        label=_("Weg"),
        choices=Rueckmeldekanal.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    erreicht = forms.BooleanField(
        label=_("Die Person wurde erreicht"),
        required=False,
        initial=True,
        help_text=_("Ohne Haken wird ein vergeblicher Versuch festgehalten."),
    )
    an_gebuendelte = forms.BooleanField(
        label=_("auch an die Personen der gebündelten Anliegen"),
        required=False,
        initial=True,
        help_text=_(
            "Per E-Mail erreichbare Personen bekommen denselben Text; alle anderen stehen danach "
            "auf der Seite als „noch zu informieren“. Den Text daher ohne Namen schreiben."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.anliegen.gebuendelte.exclude(status="abgeschlossen").exists():
            del self.fields["an_gebuendelte"]
        meldende = self.anliegen.meldende
        if meldende and meldende.bevorzugter_kanal:
            self.fields["kanal"].initial = meldende.bevorzugter_kanal
            self.fields["kanal"].help_text = _("Gewünscht: %(kanal)s") % {
                "kanal": meldende.get_bevorzugter_kanal_display()
            }
        vorschlag = self.vorschlag()
        self.fields["text"].initial = vorschlag
        bausteine = Textbaustein.objects.passend(
            [Zweck.RUECKMELDUNG, Zweck.TELEFONNOTIZ], thema_id=self.anliegen.thema_id
        )
        self.bausteine_anbieten(
            list(bausteine), baustein_werte(self.anliegen, fuer_person=True), vorschlag
        )

    def vorschlag(self) -> str:
        return antworten_vorschlag(self.anliegen)


class AbschliessenForm(_MitVersion):
    VORSCHLAG: dict[str, str] = {
        Weg.SELBST: Abschlussgrund.ERLEDIGT,
        Weg.KONTAKT: Abschlussgrund.KONTAKT_VERMITTELT,
        Weg.BEDARF: Abschlussgrund.ALS_BEDARF_ERFASST,
        Weg.WEITERLEITEN: Abschlussgrund.ERLEDIGT,
    }

    grund = forms.ChoiceField(
        label=_("Abschlussgrund"),
        choices=Abschlussgrund.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Ist das Anliegen noch weitergeleitet, geht nur „Duplikat“ oder „zurückgezogen“; "
            "offene Weiterleitungen werden dann zurückgezogen."
        ),
    )

    gebuendelte = forms.BooleanField(
        label=_("auch die gebündelten Anliegen abschließen"),
        required=False,
        initial=True,
        help_text=_(
            "Nur die, deren Person die Antwort erfahren hat oder keine Rückmeldung braucht; "
            "die übrigen bleiben offen."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        vorschlag = self.VORSCHLAG.get(self.anliegen.weg)
        if vorschlag:
            self.fields["grund"].initial = vorschlag
        if not self.anliegen.gebuendelte.exclude(status="abgeschlossen").exists():
            del self.fields["gebuendelte"]


class WiedereroeffnenForm(_MitVersion):
    grund = forms.CharField(
        label=_("Warum wird das Anliegen wieder geöffnet?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def einreichungsfeld() -> forms.UUIDField:
    """Ein Schlüssel je angezeigtem Formular: zweimal gesendet, einmal gespeichert."""
    return forms.UUIDField(
        widget=forms.HiddenInput,
        initial=uuid.uuid4,
        error_messages={
            "required": _("Das Formular ist unvollständig. Bitte laden Sie die Seite neu."),
            "invalid": _("Das Formular ist unvollständig. Bitte laden Sie die Seite neu."),
        },
    )


class NotizForm(_MitVersion):
    einreichung = einreichungsfeld()
    text = forms.CharField(
        label=_("Notiz"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    intern = forms.BooleanField(
        label=_("interne Notiz"),
        required=False,
        initial=True,
        help_text=_("Interne Notizen erscheinen nie in Texten für die meldende Person."),
    )


class BriefForm(TextbausteinMixin, _MitVersion):
    """Anrede und Text des Rückmeldebriefs; Absender, Anschrift und Betreff setzt die Seite."""

    anrede = forms.CharField(
        label=_("Anrede"),
        max_length=150,
        error_messages={"required": _("Bitte eine Anrede angeben, z. B. „Guten Tag,“.")},
    )
    text = forms.CharField(
        label=_("Text des Briefs"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "In verständlichen Worten. Dieser Text wird als Rückmeldung (Brief) festgehalten."
        ),
        error_messages={"required": _("Bitte den Text des Briefs schreiben.")},
    )

    def vorschlag(self) -> str:
        # Derselbe Vorschlag wie bei der Rückmeldung: die jüngsten Antworten der Fachbereiche.
        return antworten_vorschlag(self.anliegen)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        werte = baustein_werte(self.anliegen, fuer_person=True)
        vorschlag = self.vorschlag()
        self.fields["anrede"].initial = werte["anrede"]
        self.fields["text"].initial = vorschlag
        bausteine = Textbaustein.objects.passend(
            Zweck.RUECKMELDUNG, thema_id=self.anliegen.thema_id
        )
        self.bausteine_anbieten(list(bausteine), werte, vorschlag)


class BuendelnForm(_MitVersion):
    """Unter welchem Hauptanliegen bündeln: ein Vorschlag oder eine eingegebene Nummer."""

    unter = forms.ChoiceField(
        label=_("Ähnliche offene Anliegen"),
        widget=forms.RadioSelect,
        required=False,
    )
    nummer = forms.CharField(
        label=_("oder Nummer des Hauptanliegens"),
        max_length=20,
        required=False,
        help_text=_("z. B. 2026-00012; geht vor der Auswahl oben."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        a = self.anliegen
        self.vorschlaege = vorschlaege = aehnliche_anliegen(
            quartier=a.quartier_id,
            thema=a.thema_id,
            ort=a.ort,
            breite=a.breite,
            laenge=a.laenge,
            ausser=a,
        )
        cast(forms.ChoiceField, self.fields["unter"]).choices = [
            (v.nummer, f"{v.nummer} – {v.titel} ({v.status_text}, {', '.join(v.gruende)})")
            for v in vorschlaege
        ]
        if not vorschlaege:
            del self.fields["unter"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        daten = self.cleaned_data
        gewaehlt = (daten.get("nummer") or "").strip() or daten.get("unter") or ""
        if not gewaehlt and not self.errors:
            self.add_error("nummer", _("Bitte ein Anliegen wählen oder seine Nummer eingeben."))
        daten["gewaehlt"] = gewaehlt
        return daten


class EntbuendelnForm(_MitVersion):
    """Nur die Bestätigung (mit Version)."""
