"""`{{ text|maskiert:maske }}`: Freitext ohne die Werte der meldenden Person, für wer sie nicht
sehen darf. `maske` bildet die View einmal je Seite (`anliegen.datenschutz.maske_fuer`); ist sie
leer (None), bleibt der Text, wie er ist. Fehlt `maske` im Kontext, ist das ein Fehler (lieber
eine Fehlerseite als ein Name, den jemand nicht sehen darf). Vor `linebreaksbr` anwenden: der
Filter gibt unmarkierten Text zurück, die Vorlage maskiert HTML danach wie sonst."""

from django import template

from anliegen.datenschutz import Maske

register = template.Library()


@register.filter
def maskiert(text: object, maske: Maske | None) -> object:
    if maske is not None and not isinstance(maske, Maske):
        raise TypeError(f"maskiert: eine Maske oder None erwartet, nicht {maske!r}")
    if not maske or not isinstance(text, str):
        return text
    return maske(text)
