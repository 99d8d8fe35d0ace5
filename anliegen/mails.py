"""Mails des Lotsen-Kreislaufs: Vorlagen unter templates/anliegen/mail/, ein Helfer.

Je Mail zwei Vorlagen: `<name>_betreff.txt` (eine Zeile) und `<name>.txt` (der Text). Sie
werden als Text gerendert – ohne HTML-Maskierung, ein `&` im Titel bleibt ein `&` – und über
`send_mail` in den Postausgang von django-mailer gelegt, also in derselben Transaktion wie die
Änderung, die sie auslöst: eine zurückgerollte Operation verschickt nichts.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.mail import send_mail
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates


def _rendern(name: str, kontext: Mapping[str, Any]) -> str:
    # Die Django-Engine selbst (statt render_to_string), um das Maskieren für Text
    # abzuschalten, ohne dass jede Vorlage daran denken muss.
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    vorlage = backend.engine.get_template(f"anliegen/mail/{name}")
    return vorlage.render(Context(dict(kontext), autoescape=False))


def rendern(vorlage: str, kontext: Mapping[str, Any]) -> tuple[str, str]:
    """Betreff (Zeilenumbrüche zu Leerzeichen) und Text der Mail `vorlage`."""
    betreff = " ".join(_rendern(f"{vorlage}_betreff.txt", kontext).split())
    text = _rendern(f"{vorlage}.txt", kontext).strip()
    return betreff, text


def mail_vormerken(vorlage: str, kontext: Mapping[str, Any], an: Iterable[str]) -> None:
    """Legt die Mail `vorlage` an alle nicht leeren Adressen in `an` in den Postausgang;
    ohne Empfänger geschieht nichts (z. B. ein Fachbereich ohne Postfach)."""
    empfaenger = [a for a in an if a]
    if empfaenger:
        betreff, text = rendern(vorlage, kontext)
        send_mail(betreff, text, None, empfaenger)
