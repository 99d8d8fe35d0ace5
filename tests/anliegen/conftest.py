import pytest

from anliegen import workflow
from anliegen.models import Ablehnungsgrund, Bedarf, Thema
from quartier.models import Rolle
from tests.factories import FachbereichFactory, UserFactory


class Lotse:
    """Stammdaten des Kreislaufs und ein frisch erfasstes Anliegen in Quartier Nord (von `qm`).

    Die meldende Person hat eingewilligt und möchte per E-Mail Antwort (Kanarienwerte).
    Ein zweiter Fachbereich (Grünflächen) mit eigener Mitarbeiterin `fb2`.
    """

    NAME = "Kanarie Bürgerin"
    EMAIL = "buergerin-7f3a@example.invalid"
    TELEFON = "0241 7f3a 000"
    ANSCHRIFT = "Kanarienweg 7f3a"

    def __init__(self, stadt) -> None:
        self.stadt = stadt
        self.stadtbetrieb = stadt.fachbereich
        self.gruen = FachbereichFactory(
            kuerzel="FB 36", name="Grünflächen", email="gruen@example.invalid"
        )
        self.fb2 = UserFactory(username="fb2", rolle=Rolle.FACHBEREICH, fachbereich=self.gruen)
        self.muell = Thema.objects.create(name="Wilder Müll", fachbereich=self.stadtbetrieb)
        self.beratung = Thema.objects.create(name="Beratung")
        self.sauberkeit = Bedarf.objects.create(name="Sauberkeit")
        self.kein_geld = Ablehnungsgrund.objects.create(name="Keine Haushaltsmittel")

    def erfassen(self, *, meldende: dict | None = "standard", durch=None, **daten):
        if meldende == "standard":
            meldende = {
                "name": self.NAME,
                "email": self.EMAIL,
                "telefon": self.TELEFON,
                "anschrift": self.ANSCHRIFT,
                "einwilligung": True,
                "bevorzugter_kanal": "email",
            }
        felder = {
            "titel": "Sperrmüll an der Ecke",
            "beschreibung": "Seit Tagen liegt dort Sperrmüll.",
            "quartier": self.stadt.nord,
            "thema": self.muell,
            "art": "beschwerde",
            "kanal": "sprechstunde",
            "ort": "Ecke Nordstraße",
        }
        felder.update(daten)
        return workflow.erfassen(
            daten=felder,
            bedarfe=[self.sauberkeit],
            neue_meldende=meldende,
            durch=durch or self.stadt.qm,
        )


@pytest.fixture
def lotse(stadt) -> Lotse:
    return Lotse(stadt)


@pytest.fixture(autouse=True)
def _postausgang(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
