"""Hilfen für tests/test_fuzz.py: alle URLs der App, eine Testwelt mit echten Objekten und die
Formularfelder jeder Seite (aus dem HTML gelesen).

Die URL-Liste kommt aus der URL-Konfiguration; jedes Muster braucht hier eine Regel, wie seine
Platzhalter mit echten ids gefüllt werden (`PLATZHALTER`). Ein neues Muster ohne Regel lässt
`test_jedes_url_muster_hat_eine_regel` fehlschlagen – so wird jede neue Seite mitgefuzzt.
"""

import datetime
import io
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from mailer.models import Message
from PIL import Image

# Die Verwaltung (Django-Admin) hat eigene, von Django getestete Formulare; der Fuzz-Test
# prüft dort nur die Änderungslisten mit feindlichen Filtern (siehe test_fuzz.py).
OHNE = {"admin"}


@dataclass(frozen=True)
class Muster:
    name: str  # "namespace:name"
    route: str  # "anliegen/<str:nummer>/<slug:aktion>/"
    platzhalter: tuple[str, ...]
    modul: str  # Modul der View (für die Aktionslisten)

    def __str__(self) -> str:
        return self.name


def alle_muster() -> list[Muster]:
    gefunden: list[Muster] = []

    def laufen(muster, praefix: str, namensraum: str) -> None:
        for p in muster:
            if isinstance(p, URLResolver):
                if p.namespace in OHNE or p.app_name in OHNE:
                    continue
                ns = f"{namensraum}{p.namespace}:" if p.namespace else namensraum
                laufen(p.url_patterns, praefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                gefunden.append(
                    Muster(
                        name=namensraum + p.name,
                        route=praefix + str(p.pattern),
                        platzhalter=tuple(p.pattern.converters),
                        modul=getattr(p.callback, "__module__", ""),
                    )
                )

    laufen(get_resolver().url_patterns, "", "")
    return gefunden


# --- Testwelt ----------------------------------------------------------------------------


class Welt:
    """Stadt, Netz und Lotse aus den conftests, dazu je ein Objekt jeder Art mit URL:
    ein Anliegen in Nord (weitergeleitet an den Stadtbetrieb, mit Antwortlink und Anhang),
    eines in Süd, ein Projekt je Quartier."""

    def __init__(self, stadt, netz, lotse) -> None:
        from anliegen import anhaenge, workflow
        from netzwerke.models import Mitgliedschaft, Projekt

        self.stadt, self.netz, self.lotse = stadt, netz, lotse
        self.anliegen = lotse.erfassen()
        self.anliegen_sued = lotse.erfassen(quartier=stadt.sued, durch=stadt.qm2, meldende=None)
        (self.weiterleitung,) = workflow.weiterleiten(
            self.anliegen,
            an=[lotse.stadtbetrieb],
            nachricht="Bitte abholen.",
            durch=stadt.qm,
        )
        mail = Message.objects.order_by("-pk").first()
        self.schluessel = re.findall(r"/antwort/([A-Za-z0-9_-]+)/", mail.email.body)[0]
        self.anliegen.refresh_from_db()
        puffer = io.BytesIO()
        Image.new("RGB", (8, 6), "red").save(puffer, "JPEG")
        datei = SimpleUploadedFile("foto.jpg", puffer.getvalue(), content_type="image/jpeg")
        (self.anhang,) = workflow.anhaenge_hinzufuegen(
            self.anliegen, dateien=[anhaenge.pruefen(datei)], freigegeben=False, durch=stadt.qm
        )
        self.anliegen.refresh_from_db()
        self.projekt = Projekt.objects.create(
            titel="Fahrradwerkstatt",
            art="fahrradwerkstatt",
            status="laufend",
            verantwortlich=stadt.qm,
            beginn=datetime.date(2026, 4, 1),
        )
        self.projekt.quartiere.set([stadt.nord])
        self.projekt_sued = Projekt.objects.create(
            titel="Bänke", art="sonstiges", status="idee", verantwortlich=stadt.qm2
        )
        self.projekt_sued.quartiere.set([stadt.sued])
        self.mitgliedschaft = Mitgliedschaft.objects.filter(netzwerk=netz.konferenz_nord).first()
        self.mitgliedschaft_sued = Mitgliedschaft.objects.filter(
            netzwerk=netz.konferenz_sued
        ).first()
        # Ein fertiger Export des QM (Download nur für ihn; andere Personas: 404).
        from quartier.models import Exportauftrag

        self.exportauftrag = Exportauftrag.objects.create(
            person=stadt.qm,
            quelle="anliegen",
            titel="Anliegen",
            format="csv",
            status="fertig",
            ablauf_am=timezone.now() + datetime.timedelta(days=1),
        )

    def pks(self, name: str) -> list[int]:
        """Kandidaten für `<int:pk>`: eigenes Objekt, fremdes Objekt, unbekannte id."""
        n, s = self.netz, self
        eigen_fremd = {
            "anliegen:anhang": [s.anhang.pk],
            "anliegen:anhang_freigabe": [s.anhang.pk],
            "anliegen:eingang_detail": [s.weiterleitung.pk],
            "anliegen:eingang_aktion": [s.weiterleitung.pk],
            "anliegen:antwortlink_verwalten": [s.weiterleitung.pk],
            "netzwerke:akteur_detail": [n.familienzentrum.pk, n.verein_sued.pk],
            "netzwerke:akteur_bearbeiten": [n.familienzentrum.pk, n.verein_sued.pk],
            "netzwerke:netzwerk_detail": [n.konferenz_nord.pk, n.konferenz_sued.pk],
            "netzwerke:netzwerk_bearbeiten": [n.konferenz_nord.pk, n.konferenz_sued.pk],
            "netzwerke:mitgliedschaft_neu": [n.konferenz_nord.pk, n.konferenz_sued.pk],
            "netzwerke:sitzung_neu": [n.konferenz_nord.pk, n.konferenz_sued.pk],
            "netzwerke:mitgliedschaft_beenden": [s.mitgliedschaft.pk, s.mitgliedschaft_sued.pk],
            "netzwerke:sitzung_detail": [n.sitzung_nord.pk, n.sitzung_sued.pk],
            "netzwerke:sitzung_bearbeiten": [n.sitzung_nord.pk, n.sitzung_sued.pk],
            "netzwerke:sitzung_protokoll": [n.sitzung_nord.pk, n.sitzung_sued.pk],
            "netzwerke:projekt_detail": [s.projekt.pk, s.projekt_sued.pk],
            "netzwerke:projekt_bearbeiten": [s.projekt.pk, s.projekt_sued.pk],
            "netzwerke:fonds_detail": [n.fonds_nord.pk, n.fonds_sued.pk],
            "netzwerke:antrag_neu": [n.fonds_nord.pk, n.fonds_sued.pk],
            "netzwerke:antrag_detail": [n.antrag_nord.pk, n.antrag_sued.pk],
            "netzwerke:antrag_aktion": [n.antrag_nord.pk, n.antrag_sued.pk],
            "quartier:buero_detail": [self.stadt.buero.pk],
            "quartier:export_datei": [s.exportauftrag.pk],
        }
        if name.startswith("anliegen:eingang_"):
            # Jeder Schritt im Posteingang hat seine feste Adresse (anliegen/views/schritte.py).
            eigen_fremd[name] = [s.weiterleitung.pk]
        return [*eigen_fremd[name], 2**64, 0]


def aktionen(muster: Muster) -> list[str]:
    """Die gültigen Werte von `<slug:aktion>` für ein Muster (aus dem Modul seiner View)."""
    if muster.name == "anliegen:antwortlink_verwalten":
        return ["widerrufen", "erneuern"]
    modul = sys.modules[muster.modul]
    tabelle = getattr(modul, "LINK_AKTIONEN", None) or getattr(modul, "AKTIONEN", None)
    assert tabelle, f"{muster}: keine Aktionsliste in {muster.modul}"
    return sorted(tabelle)


def platzhalter_werte(welt: Welt, muster: Muster, name: str) -> list[str]:
    """Kandidaten für einen Platzhalter; der erste ist das „eigene“ Objekt der Welt."""
    if name == "nummer":
        return [welt.anliegen.nummer, welt.anliegen_sued.nummer, "2099-99999", "x" * 300]
    if name == "schluessel":
        return [welt.schluessel, "ungueltig"]
    if name == "slug":
        return ["nord", "sued", "gibt-es-nicht"]
    if name == "pk":
        return [str(pk) for pk in welt.pks(muster.name)]
    if name == "uidb64":
        return [urlsafe_base64_encode(force_bytes(welt.stadt.qm.pk)), "AAAA"]
    if name == "token":
        return [default_token_generator.make_token(welt.stadt.qm), "set-password"]
    raise KeyError(f"{muster}: keine Regel für den Platzhalter <{name}>")


BEKANNTE_PLATZHALTER = {"nummer", "schluessel", "slug", "pk", "uidb64", "token", "aktion"}


def adresse(route: str, werte: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: werte[m.group(1)], route)


# --- Formularfelder aus dem HTML ---------------------------------------------------------


@dataclass
class Feld:
    name: str
    art: str  # text, textarea, select, select-multiple, checkbox, radio, hidden, file, date …
    werte: list[str] = field(default_factory=list)  # Optionen bzw. vorbelegter Wert


class _Formulare(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.felder: dict[str, dict[str, Feld]] = {"post": {}, "get": {}}
        self._methode: str | None = None
        self._select: Feld | None = None

    def _feld(self, name: str, art: str) -> Feld | None:
        if self._methode is None or not name:
            return None
        return self.felder[self._methode].setdefault(name, Feld(name, art))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._methode = "post" if a.get("method", "get").lower() == "post" else "get"
        elif tag == "input":
            art = a.get("type", "text").lower()
            if art in ("submit", "button", "reset", "image"):
                if a.get("name"):
                    feld = self._feld(a["name"], "submit")
                    if feld is not None:
                        feld.werte.append(a.get("value", ""))
                return
            feld = self._feld(a.get("name", ""), art)
            if feld is not None and (a.get("value") or art in ("checkbox", "radio")):
                feld.werte.append(a.get("value", "on"))
        elif tag == "textarea":
            self._feld(a.get("name", ""), "textarea")
        elif tag == "select":
            art = "select-multiple" if "multiple" in a else "select"
            self._select = self._feld(a.get("name", ""), art)
        elif tag == "option" and self._select is not None and a.get("value"):
            self._select.werte.append(a["value"])
        elif tag == "button" and a.get("name"):
            feld = self._feld(a["name"], "submit")
            if feld is not None:
                feld.werte.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._methode = None
        elif tag == "select":
            self._select = None


def formularfelder(html: str) -> dict[str, dict[str, Feld]]:
    """{"post": {name: Feld}, "get": {name: Feld}} aller Formulare der Seite."""
    leser = _Formulare()
    leser.feed(html)
    return leser.felder
