"""Der Verlauf eines Anliegens: Einträge anhängen und als deutsche Sätze darstellen.

`anhaengen` ist der einzige Weg, ein `Ereignis` anzulegen (workflow.py, erinnerungen.py,
der Datenschutz; ein Test in tests/anliegen/test_verlauf.py sucht im Quelltext nach anderen).
Gespeichert werden Code (`EreignisArt`) und Parameter (`daten`), keine Sätze: den Text bildet
`text` erst beim Anzeigen aus `DARSTELLUNG`, einer Funktion je Art. Eine Art ohne Darstellung
ist ein Fehler (Test über alle `EreignisArt.values`), kein stiller Rohcode auf der Seite.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from .models import (
    Abschlussgrund,
    Anliegen,
    Entscheidung,
    Ereignis,
    EreignisArt,
    ErinnerungsArt,
    Inhaltstyp,
    Rueckmeldekanal,
    Weg,
)

if TYPE_CHECKING:
    from quartier.models import User

    from .workflow import PerLink

A = EreignisArt


def anhaengen(
    anliegen: Anliegen | int,
    art: EreignisArt | str,
    /,
    *,
    von: "User | None",
    intern: bool = False,
    per_link: "PerLink | None" = None,
    zeitpunkt: datetime.datetime | None = None,
    **daten: Any,
) -> Ereignis:
    """Hängt einen Eintrag an den Verlauf von `anliegen` (Objekt oder pk) an.

    `von`: wer gehandelt hat (leer: die Anwendung selbst oder jemand per Antwortlink).
    `per_link`: Handeln ohne Konto; Name und Kontakt landen in `daten`. `zeitpunkt`: nur,
    wo mehrere Zeilen denselben Zeitpunkt tragen sollen (Vorgabe: jetzt). Eine unbekannte
    Art ist ein `ValueError`, bevor die Datenbank (Constraint) sie abweist. `anliegen` und
    `art` nur positionell, damit `daten` selbst einen Schlüssel `art` tragen kann (Erinnerung)."""
    art = EreignisArt(art)
    if per_link is not None:
        daten.update(per_link=True, name=per_link.name.strip(), kontakt=per_link.kontakt.strip())
    felder: dict[str, Any] = {"art": art, "daten": daten, "intern": intern, "von": von}
    if zeitpunkt is not None:
        felder["zeitpunkt"] = zeitpunkt
    if isinstance(anliegen, Anliegen):
        felder["anliegen"] = anliegen
    else:
        felder["anliegen_id"] = anliegen
    return Ereignis.objects.create(**felder)


def text(ereignis: Ereignis) -> str:
    """Der Eintrag als deutscher Satz (siehe `Ereignis.text`)."""
    return DARSTELLUNG[EreignisArt(ereignis.art)](ereignis.daten or {})


# --- Bausteine ---------------------------------------------------------------------------


def _datum(iso: Any) -> str:
    try:
        return datetime.date.fromisoformat(iso).strftime("%d.%m.%Y")
    except (TypeError, ValueError):
        return str(iso or "")


def _label(auswahl: type[TextChoices], wert: Any) -> str:
    try:
        return str(auswahl(wert).label)
    except ValueError:
        return str(wert or "")


# --- Darstellung je Art ------------------------------------------------------------------


def _erfasst(d: dict) -> str:
    return _("Anliegen %(nummer)s erfasst.") % {"nummer": d.get("nummer", "")}


def _weg(d: dict) -> str:
    satz = _("Weg festgelegt: %(weg)s.") % {"weg": _label(Weg, d.get("weg"))}
    if d.get("vermittelt_an"):
        satz += " " + _("Vermittelt an: %(an)s.") % {"an": d["vermittelt_an"]}
    return satz


def _weitergeleitet(d: dict) -> str:
    satz = _("Weitergeleitet an %(fb)s, Antwort bis %(frist)s.") % {
        "fb": d.get("fachbereich", ""),
        "frist": _datum(d.get("frist")),
    }
    if d.get("kontakt_geteilt"):
        satz += " " + _("Kontakt der meldenden Person geteilt.")
    return satz


def _angenommen(d: dict) -> str:
    return _("%(fb)s hat das Anliegen angenommen.") % {"fb": d.get("fachbereich", "")}


def _zurueckgegeben(d: dict) -> str:
    wer = "; ".join(w for w in (d.get("zustaendig"), d.get("hinweis")) if w)
    return _("%(fb)s ist nicht zuständig. Zuständig ist: %(wer)s") % {
        "fb": d.get("fachbereich", ""),
        "wer": wer,
    }


def _beantwortet(d: dict) -> str:
    satz = _("Antwort von %(fb)s: %(entscheidung)s.") % {
        "fb": d.get("fachbereich", ""),
        "entscheidung": _label(Entscheidung, d.get("entscheidung")),
    }
    if d.get("erwartet_am"):
        satz += " " + _("Umsetzung erwartet am %(am)s.") % {"am": _datum(d["erwartet_am"])}
    if d.get("grund"):
        satz += " " + _("Grund: %(grund)s.") % {"grund": d["grund"]}
    if d.get("antwort"):
        satz += " " + _("„%(antwort)s“") % {"antwort": d["antwort"]}
    return satz


def _zwischenbescheid(d: dict) -> str:
    return _("Zwischenbescheid von %(fb)s: „%(antwort)s“") % {
        "fb": d.get("fachbereich", ""),
        "antwort": d.get("antwort", ""),
    }


def _rueckmeldung(d: dict) -> str:
    vorlage = (
        _("Rückmeldung gegeben (%(kanal)s): „%(text)s“")
        if d.get("erreicht", True)
        else _("Rückmeldung versucht, nicht erreicht (%(kanal)s): „%(text)s“")
    )
    return vorlage % {"kanal": _label(Rueckmeldekanal, d.get("kanal")), "text": d.get("text", "")}


def _abgeschlossen(d: dict) -> str:
    satz = _("Abgeschlossen: %(grund)s.") % {"grund": _label(Abschlussgrund, d.get("grund"))}
    if d.get("ohne_rueckmeldung"):
        satz += " " + _("Ohne Rückmeldung: %(grund)s.") % {"grund": d["ohne_rueckmeldung"]}
    if d.get("zurueckgezogen"):
        satz += " " + _("Weiterleitung zurückgezogen: %(fb)s.") % {
            "fb": ", ".join(d["zurueckgezogen"])
        }
    return satz


def _wiedereroeffnet(d: dict) -> str:
    return _("Wieder geöffnet: %(grund)s") % {"grund": d.get("grund", "")}


def _anhang(d: dict) -> str:
    satz = _("Anhang „%(name)s“ hinzugefügt (%(typ)s).") % {
        "name": d.get("dateiname", ""),
        "typ": _label(Inhaltstyp, d.get("inhaltstyp")),
    }
    if d.get("freigegeben"):
        satz += " " + _("Für Fachbereiche und andere Quartiere freigegeben.")
    return satz


def _anhang_freigabe(d: dict) -> str:
    vorlage = (
        _("Anhang „%(name)s“ für Fachbereiche und andere Quartiere freigegeben.")
        if d.get("freigegeben")
        else _("Freigabe des Anhangs „%(name)s“ zurückgenommen.")
    )
    return vorlage % {"name": d.get("dateiname", "")}


def _notiz(d: dict) -> str:
    return str(d.get("text", ""))


def _anonymisiert(d: dict) -> str:
    if d.get("anlass") == "loeschung":
        satz = _("Daten der meldenden Person gelöscht (Art. 17 DSGVO).")
        if d.get("begruendung"):
            satz += " " + _("Begründung: %(b)s") % {"b": d["begruendung"]}
        return satz
    return _("Daten der meldenden Person anonymisiert (Aufbewahrungsfrist abgelaufen).")


def _auskunft(d: dict) -> str:
    return _("Auskunft nach Art. 15 DSGVO über die meldende Person erteilt.")


def _antwortlink_widerrufen(d: dict) -> str:
    return _("Antwortlink für %(fb)s widerrufen.") % {"fb": d.get("fachbereich", "")}


def _antwortlink_gesendet(d: dict) -> str:
    return _("Neuer Antwortlink an %(fb)s gesendet, gültig bis %(bis)s.") % {
        "fb": d.get("fachbereich", ""),
        "bis": _datum(d.get("gueltig_bis")),
    }


def _erinnerung_vorlagen() -> dict[str, str]:
    # Erst beim Anzeigen übersetzen (aktive Sprache der Anfrage).
    return {
        ErinnerungsArt.FRIST: _(
            "Erinnerung an %(fb)s: Die Antwortfrist (%(bezug)s) ist verstrichen."
        ),
        ErinnerungsArt.FRIST_ESKALATION: _(
            "Eskalation an das Quartiersmanagement: %(fb)s hat seit der Frist "
            "(%(bezug)s) nicht geantwortet."
        ),
        ErinnerungsArt.WACHHUND: _(
            "Nachfrage bei %(fb)s: seit %(bezug)s weder Antwort noch Zwischenbescheid."
        ),
        ErinnerungsArt.RUECKMELDUNG: _(
            "Erinnerung an das Quartiersmanagement: Die Antwort (seit %(bezug)s) "
            "wartet auf Rückmeldung an die Person."
        ),
        ErinnerungsArt.ZUSAGE: _(
            "Nachfrage bei %(fb)s: Die Zusage zum %(bezug)s ist fällig – eingehalten, "
            "verschoben oder entfallen?"
        ),
        ErinnerungsArt.ZUSAGE_ESKALATION: _(
            "Eskalation an das Quartiersmanagement: %(fb)s hat die fällige Zusage "
            "(%(bezug)s) nicht beantwortet."
        ),
    }


def _erinnerung(d: dict) -> str:
    vorlage = _erinnerung_vorlagen().get(str(d.get("art", "")), _("Erinnerung (%(bezug)s)."))
    return vorlage % {"fb": d.get("fachbereich", ""), "bezug": _datum(d.get("bezug"))}


def _zusage_eingehalten(d: dict) -> str:
    satz = _("%(fb)s: Zusage eingehalten.") % {"fb": d.get("fachbereich", "")}
    if d.get("text"):
        satz += " " + _("„%(text)s“") % {"text": d["text"]}
    return satz


def _zusage_verschoben(d: dict) -> str:
    return _("%(fb)s: Zusage verschoben vom %(alt)s auf den %(neu)s. Grund: %(grund)s") % {
        "fb": d.get("fachbereich", ""),
        "alt": _datum(d.get("alt")),
        "neu": _datum(d.get("neu")),
        "grund": d.get("grund", ""),
    }


def _zusage_entfallen(d: dict) -> str:
    return _("%(fb)s: Zusage entfällt. Grund: %(grund)s") % {
        "fb": d.get("fachbereich", ""),
        "grund": d.get("grund", ""),
    }


def _gebuendelt(d: dict) -> str:
    return _("Gebündelt unter Anliegen %(haupt)s.") % {"haupt": d.get("haupt", "")}


def _entbuendelt(d: dict) -> str:
    return _("Bündelung unter Anliegen %(haupt)s gelöst.") % {"haupt": d.get("haupt", "")}


def _buendel_aufgenommen(d: dict) -> str:
    return _("Anliegen %(nr)s hierunter gebündelt.") % {"nr": d.get("gebuendelt", "")}


def _buendel_geloest(d: dict) -> str:
    return _("Bündelung von Anliegen %(nr)s gelöst.") % {"nr": d.get("gebuendelt", "")}


def _antwort_ueber_hauptanliegen(d: dict) -> str:
    return _("Antwort über Hauptanliegen %(haupt)s (%(fb)s); die Person soll sie erfahren.") % {
        "haupt": d.get("haupt", ""),
        "fb": d.get("fachbereich", ""),
    }


def _rueckmeldung_gebuendelte(d: dict) -> str:
    teile = []
    if d.get("per_mail"):
        teile.append(_("per E-Mail an die Personen von %(nr)s") % {"nr": ", ".join(d["per_mail"])})
    if d.get("offen"):
        teile.append(
            _("noch persönlich, telefonisch oder per Brief zu informieren: %(nr)s")
            % {"nr": ", ".join(d["offen"])}
        )
    return _("Rückmeldung an die gebündelten Anliegen: %(teile)s.") % {"teile": "; ".join(teile)}


DARSTELLUNG: dict[EreignisArt, Callable[[dict], str]] = {
    A.ERFASST: _erfasst,
    A.WEG: _weg,
    A.WEITERGELEITET: _weitergeleitet,
    A.ANGENOMMEN: _angenommen,
    A.ZURUECKGEGEBEN: _zurueckgegeben,
    A.BEANTWORTET: _beantwortet,
    A.ZWISCHENBESCHEID: _zwischenbescheid,
    A.RUECKMELDUNG: _rueckmeldung,
    A.ABGESCHLOSSEN: _abgeschlossen,
    A.WIEDEREROEFFNET: _wiedereroeffnet,
    A.ANHANG: _anhang,
    A.ANHANG_FREIGABE: _anhang_freigabe,
    A.NOTIZ: _notiz,
    A.ANONYMISIERT: _anonymisiert,
    A.AUSKUNFT: _auskunft,
    A.ANTWORTLINK_WIDERRUFEN: _antwortlink_widerrufen,
    A.ANTWORTLINK_GESENDET: _antwortlink_gesendet,
    A.ERINNERUNG: _erinnerung,
    A.ZUSAGE_EINGEHALTEN: _zusage_eingehalten,
    A.ZUSAGE_VERSCHOBEN: _zusage_verschoben,
    A.ZUSAGE_ENTFALLEN: _zusage_entfallen,
    A.GEBUENDELT: _gebuendelt,
    A.ENTBUENDELT: _entbuendelt,
    A.BUENDEL_AUFGENOMMEN: _buendel_aufgenommen,
    A.BUENDEL_GELOEST: _buendel_geloest,
    A.ANTWORT_UEBER_HAUPTANLIEGEN: _antwort_ueber_hauptanliegen,
    A.RUECKMELDUNG_GEBUENDELTE: _rueckmeldung_gebuendelte,
}
