"""Filter für das Protokoll: Schlüssel von Antwortlinks erscheinen nie im Klartext.

Django protokolliert bei abgelehnten Formularen (CSRF, `django.security.csrf`) und bei
Serverfehlern (`django.request`) den Pfad der Anfrage – bei einem Antwortlink steht darin der
Schlüssel, der Zugang ohne Konto. Der Filter ersetzt ihn, bevor ein Handler schreibt.
"""

import logging
import re

SCHLUESSEL_IM_PFAD = re.compile(r"(/antwort/)[^/\s\"']+")


def ausblenden(text: str) -> str:
    return SCHLUESSEL_IM_PFAD.sub(r"\1[ausgeblendet]", text)


class SchluesselAusblenden(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        nachricht = record.getMessage()
        if "/antwort/" in nachricht:
            record.msg = ausblenden(nachricht)
            record.args = None
        return True
