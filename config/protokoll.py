"""Protokollierung ohne personenbezogene Daten und ohne Zugangsschlüssel.

Die App selbst schreibt keine Daten meldender Personen ins Protokoll. Fremde Bibliotheken
tun es manchmal (django-mailer: „sending message '…' to adresse@…“); ihr INFO ist deshalb in
den Einstellungen abgeschaltet, und `OhneEmailAdressen` schwärzt E-Mail-Adressen in jeder
Zeile, die trotzdem durchkommt (z. B. Fehlermeldungen des Mailservers mit Empfängeradresse).

Django protokolliert bei abgelehnten Formularen (CSRF, `django.security.csrf`) und bei
Serverfehlern (`django.request`) den Pfad der Anfrage – bei einem Antwortlink steht darin der
Schlüssel, der Zugang ohne Konto. `SchluesselAusblenden` ersetzt ihn, bevor ein Handler
schreibt.
"""

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ERSATZ = "[E-Mail]"

SCHLUESSEL_IM_PFAD = re.compile(r"(/antwort/)[^/\s\"']+")


def ausblenden(text: str) -> str:
    return SCHLUESSEL_IM_PFAD.sub(r"\1[ausgeblendet]", text)


class OhneEmailAdressen(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        nachricht = record.getMessage()
        geschwaerzt = _EMAIL.sub(ERSATZ, nachricht)
        if geschwaerzt != nachricht:
            record.msg = geschwaerzt
            record.args = None
        if record.exc_info and not record.exc_text:
            # Der Formatter nimmt den vorbereiteten Text statt die Ausnahme neu zu formatieren.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _EMAIL.sub(ERSATZ, record.exc_text)
        return True


class SchluesselAusblenden(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        nachricht = record.getMessage()
        if "/antwort/" in nachricht:
            record.msg = ausblenden(nachricht)
            record.args = None
        if record.exc_text and "/antwort/" in record.exc_text:
            record.exc_text = ausblenden(record.exc_text)
        return True
