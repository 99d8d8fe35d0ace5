"""Textbausteine in Formularen: die Auswahl „Textbaustein einfügen“, das Einfügen ohne
JavaScript und die Pflege im Admin.

Einfügen – dieselbe Regel mit und ohne JavaScript (static/js/app.js): Ist das Textfeld leer
oder steht dort noch unverändert der automatische Vorschlag, ersetzt der Baustein ihn. Hat
jemand schon etwas geschrieben, kommt der Baustein darunter (nach einer Leerzeile). So geht
nie etwas Getipptes verloren, und es braucht keine Rückfrage.
"""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import Textbaustein, Zweck
from ..textbausteine import PLATZHALTER, ausfuellen, unbekannte

EINFUEGEN = "einfuegen"  # Name des Knopfs „Einfügen“ (ohne JavaScript ein Absenden)


class BausteinSelect(forms.Select):
    """Auswahl, deren Optionen den fertig ausgefüllten Text in `data-ql-text` tragen."""

    texte: dict[str, str]
    entscheidungen: dict[str, str]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        schluessel = str(value)
        if schluessel in getattr(self, "texte", {}):
            option["attrs"]["data-ql-text"] = self.texte[schluessel]
            entscheidung = self.entscheidungen.get(schluessel, "")
            if entscheidung:
                option["attrs"]["data-ql-entscheidung"] = entscheidung
        return option


def _beschriftung(baustein: Textbaustein) -> str:
    if baustein.entscheidung:
        return f"{baustein.titel} ({baustein.get_entscheidung_display()})"
    return baustein.titel


if TYPE_CHECKING:
    _Formular = forms.BaseForm
else:
    _Formular = object


class TextbausteinMixin(_Formular):
    """Für Formulare mit einem Textfeld, in das Bausteine eingefügt werden können."""

    baustein_ziel = "text"

    def bausteine_anbieten(
        self, bausteine: list[Textbaustein], werte: dict[str, str], vorschlag: str = ""
    ) -> None:
        """Fügt vor dem Zielfeld die Auswahl ein (nur, wenn es passende Bausteine gibt)."""
        self.baustein_vorschlag = vorschlag
        self.baustein_texte = {str(b.pk): ausfuellen(b.text, werte) for b in bausteine}
        ziel = self.fields[self.baustein_ziel]
        if vorschlag:
            ziel.widget.attrs["data-ql-vorschlag"] = vorschlag
        if not bausteine:
            return
        zwecke = {b.zweck for b in bausteine}
        optionen: list = [("", _("– Textbaustein wählen –"))]
        if len(zwecke) > 1:
            for zweck in Zweck:
                gruppe = [(str(b.pk), _beschriftung(b)) for b in bausteine if b.zweck == zweck]
                if gruppe:
                    optionen.append((zweck.label, gruppe))
        else:
            optionen += [(str(b.pk), _beschriftung(b)) for b in bausteine]
        widget = BausteinSelect(
            attrs={
                "class": "kern-form-input__select",
                "data-ql-textbaustein": f"id_{self.baustein_ziel}",
            }
        )
        widget.texte = self.baustein_texte
        widget.entscheidungen = {str(b.pk): b.entscheidung for b in bausteine}
        feld = forms.ChoiceField(
            label=_("Textbaustein einfügen"),
            choices=optionen,
            required=False,
            widget=widget,
            help_text=_(
                "Wählen und „Einfügen“: Ein leeres Feld oder der unveränderte Vorschlag wird "
                "ersetzt, eigener Text bleibt stehen und der Baustein kommt darunter. Danach "
                "können Sie alles bearbeiten."
            ),
        )
        # Die Auswahl steht direkt vor dem Textfeld.
        felder: dict[str, forms.Field] = {}
        for name, f in self.fields.items():
            if name == self.baustein_ziel:
                felder["textbaustein"] = feld
            felder[name] = f
        self.fields = felder

    def mit_baustein(self) -> tuple[dict, bool]:
        """Die Eingaben wie abgeschickt, mit eingefügtem Baustein (Einfügen ohne JavaScript).

        Gibt die Werte für ein ungebundenes Formular zurück (damit keine Fehler erscheinen,
        bevor abgeschickt wurde) und ob ein Baustein gewählt war."""
        werte = {
            name: feld.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, feld in self.fields.items()
        }
        text = getattr(self, "baustein_texte", {}).get(str(werte.get("textbaustein") or ""))
        if text is None:
            return werte, False
        jetzt = (werte.get(self.baustein_ziel) or "").strip()
        if not jetzt or jetzt == self.baustein_vorschlag.strip():
            werte[self.baustein_ziel] = text
        else:
            werte[self.baustein_ziel] = f"{jetzt}\n\n{text}"
        return werte, True


def baustein_einfuegen(request: HttpRequest, form: TextbausteinMixin, form_klasse, **kwargs):
    """Das Formular neu, ungebunden, mit den Eingaben und dem eingefügten Baustein."""
    werte, gewaehlt = form.mit_baustein()
    if not gewaehlt:
        messages.warning(request, _("Bitte zuerst einen Textbaustein wählen."))
    return form_klasse(None, initial=werte, **kwargs)


class TextbausteinAdminForm(forms.ModelForm):
    """Prüft, dass nur bekannte Platzhalter vorkommen."""

    class Meta:
        model = Textbaustein
        fields = ["titel", "zweck", "thema", "entscheidung", "text", "aktiv", "reihenfolge"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("Platzhalter: %(liste)s") % {
            "liste": "; ".join(f"{{{name}}} – {text}" for name, text in PLATZHALTER.items())
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        fremd = unbekannte(text)
        if fremd:
            raise forms.ValidationError(
                _(
                    "Unbekannte Platzhalter: %(fremd)s. Erlaubt sind: %(erlaubt)s. "
                    "Bitte die Schreibweise prüfen (kleingeschrieben, in einfachen "
                    "geschweiften Klammern)."
                ),
                params={
                    "fremd": ", ".join(f"{{{n}}}" for n in fremd),
                    "erlaubt": ", ".join(f"{{{n}}}" for n in PLATZHALTER),
                },
                code="platzhalter",
            )
        return text
