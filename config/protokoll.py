"""Protokollierung ohne personenbezogene Daten.

Die App selbst schreibt keine Daten meldender Personen ins Protokoll. Fremde Bibliotheken
tun es manchmal (django-mailer: „sending message '…' to adresse@…“); ihr INFO ist deshalb in
den Einstellungen abgeschaltet, und dieser Filter schwärzt E-Mail-Adressen in jeder Zeile,
die trotzdem durchkommt (z. B. Fehlermeldungen des Mailservers mit Empfängeradresse).
"""

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ERSATZ = "[E-Mail]"


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
