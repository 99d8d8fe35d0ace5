"""Misst die Antwortzeiten der Registerseiten mit einer großen Stadt (siehe README)."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from quartier.models import (  # noqa: E402
    Bezirk,
    Kategorie,
    Lebensraum,
    Quartier,
    Quartiersmanagement,
    Sozialraum,
    User,
)

WIEDERHOLUNGEN = 30


def stadt_anlegen() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo_daten", stdout=open(os.devnull, "w"))  # noqa: SIM115
    bezirk = Bezirk.objects.first()
    sozialraum = Sozialraum.objects.create(nummer=99, name="Messraum", bezirk=bezirk)
    for i in range(40):
        lrs = [
            Lebensraum.objects.create(
                nummer=f"9{i:02d}{j}",
                name=f"Mess-LR {i}/{j}",
                sozialraum=sozialraum,
                einwohner=3000 + i,
                kategorie=list(Kategorie)[i % 3],
            )
            for j in range(2)
        ]
        q = Quartier.objects.create(name=f"Messquartier {i}", slug=f"mess-{i}", bezirk=bezirk)
        q.lebensraeume.set(lrs)
        for k in range(2):
            s = Quartiersmanagement.objects.create(
                bezeichnung=f"Messstelle {i}/{k}",
                art="allgemein",
                traeger="Stadt",
                stellenanteil=Decimal("0.5"),
                beginn=datetime.date(2020, 1, 1),
            )
            s.quartiere.set([q])


def messen(client: Client, url: str) -> tuple[float, float]:
    zeiten = []
    for _ in range(WIEDERHOLUNGEN):
        start = time.perf_counter()
        antwort = client.get(url)
        zeiten.append((time.perf_counter() - start) * 1000)
        assert antwort.status_code == 200, (url, antwort.status_code)
    zeiten.sort()
    return statistics.median(zeiten), zeiten[int(len(zeiten) * 0.95) - 1]


def main() -> None:
    setup_test_environment()
    stadt_anlegen()
    client = Client()
    client.force_login(User.objects.get(username="planung"))
    print(f"{'Seite':<40} {'Median ms':>10} {'p95 ms':>10}")
    for url in [
        "/",
        "/quartiere/",
        "/quartiere/ost-rothe-erde/",
        "/lebensraeume/",
        "/stadtteilbueros/",
    ]:
        median, p95 = messen(client, url)
        print(f"{url:<40} {median:>10.1f} {p95:>10.1f}")


if __name__ == "__main__":
    main()
