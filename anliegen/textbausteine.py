"""Platzhalter in Textbausteinen: `{nummer}`, `{ort}`, `{fachbereich}` …

Bewusst keine Template-Sprache: Textbausteine schreibt die Administration, und ein Text wie
`{{ settings.SECRET_KEY }}` oder `{% debug %}` muss wörtlich bleiben. Ersetzt werden nur
bekannte Namen in einfachen geschweiften Klammern; unbekannte und solche ohne Wert (z. B.
`{erwartet_am}`, solange kein Datum feststeht) bleiben sichtbar stehen, damit sie beim
Bearbeiten auffallen.

Datenschutz: Für Antworten der Fachbereiche (`fuer_person=False`) setzt kein Platzhalter
Daten der meldenden Person ein; `{anrede}` ist dort neutral.
"""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Anliegen, Weiterleitung, WStatus

PLATZHALTER = {
    "nummer": gettext_lazy("Nummer des Anliegens, z. B. 2026-00042"),
    "titel": gettext_lazy("Titel des Anliegens"),
    "ort": gettext_lazy("Ort des Anliegens"),
    "quartier": gettext_lazy("Quartier"),
    "thema": gettext_lazy("Thema"),
    "fachbereich": gettext_lazy("Fachbereich der Weiterleitung (bzw. der jüngsten Antwort)"),
    "entscheidung": gettext_lazy("Entscheidung des Fachbereichs, z. B. „wird umgesetzt“"),
    "antwort": gettext_lazy("Antworttext des Fachbereichs (nur für Rückmeldungen)"),
    "datum": gettext_lazy("heutiges Datum, z. B. 03.02.2026"),
    "frist": gettext_lazy("Antwortfrist der Weiterleitung"),
    "erwartet_am": gettext_lazy("Datum, bis wann umgesetzt wird"),
    "quartiersmanagement": gettext_lazy("Name der zuständigen Person im Quartiersmanagement"),
    "anrede": gettext_lazy("„Guten Tag Name,“ – in Antworten der Fachbereiche nur „Guten Tag,“"),
}

# Nur Kleinbuchstaben und Unterstrich: `{ x }`, `{{ … }}`-Innenteile mit Punkt oder
# Leerzeichen und `{% … %}` passen nie.
MUSTER = re.compile(r"\{([a-z_]+)\}")


# Was wie ein Platzhalter aussieht (ohne Leerzeichen), auch falsch geschrieben: `{Datum}`.
AEHNLICH = re.compile(r"\{([^{}\s]+)\}")


def unbekannte(text: str) -> list[str]:
    """Was im Text wie ein Platzhalter aussieht, es aber nicht gibt (in der Reihenfolge,
    ohne Doppelte) – für die Prüfung im Admin."""
    gefunden = [m.group(1) for m in AEHNLICH.finditer(text or "")]
    return list(dict.fromkeys(n for n in gefunden if n not in PLATZHALTER))


def ausfuellen(text: str, werte: dict[str, str]) -> str:
    """Ersetzt `{name}` durch `werte[name]`; fehlt der Wert, bleibt der Platzhalter stehen."""
    return MUSTER.sub(lambda m: werte.get(m.group(1)) or m.group(0), text or "")


def _datum(tag) -> str:
    return tag.strftime("%d.%m.%Y") if tag else ""


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def werte(
    anliegen: Anliegen,
    *,
    weiterleitung: Weiterleitung | None = None,
    fuer_person: bool,
    durch=None,
) -> dict[str, str]:
    """Die Werte der Platzhalter für ein Anliegen.

    `weiterleitung`: die Weiterleitung, auf die ein Fachbereich antwortet; sonst die jüngste
    beantwortete (für Rückmeldungen). `fuer_person`: Text geht an die meldende Person (nur dann
    darf die Anrede ihren Namen enthalten). `durch`: wer den Text schreibt (QM), sonst die
    zuständige Person des Anliegens.
    """
    if weiterleitung is None:
        weiterleitung = (
            anliegen.weiterleitungen.filter(status=WStatus.BEANTWORTET)
            .select_related("fachbereich")
            .order_by("-beantwortet_am")
            .first()
        )
    name = ""
    meldende = anliegen.meldende  # ohne meldende_id None, ohne Abfrage
    if fuer_person and meldende is not None and meldende.anonymisiert_am is None:
        name = meldende.name
    daten = {
        "nummer": anliegen.nummer,
        "titel": anliegen.titel,
        "ort": anliegen.ort,
        "quartier": anliegen.quartier.name,
        "thema": anliegen.thema.name,
        "datum": _datum(timezone.localdate()),
        "quartiersmanagement": _name(durch or anliegen.zustaendig),
        "anrede": _("Guten Tag %(name)s,") % {"name": name} if name else _("Guten Tag,"),
    }
    if weiterleitung is not None:
        daten["fachbereich"] = weiterleitung.fachbereich.name
        daten["frist"] = _datum(weiterleitung.frist)
        daten["erwartet_am"] = _datum(weiterleitung.erwartet_am)
        if weiterleitung.entscheidung:
            daten["entscheidung"] = str(weiterleitung.get_entscheidung_display())
        if fuer_person:
            daten["antwort"] = weiterleitung.antwort
    return {k: v for k, v in daten.items() if v}
