"""Die Abhängigkeiten zeigen in eine Richtung: quartier ← netzwerke ← anliegen."""

import ast
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parent.parent
VERBOTEN = {"quartier": {"netzwerke", "anliegen"}, "netzwerke": {"anliegen"}}


def _importierte_module(datei: Path) -> set[str]:
    baum = ast.parse(datei.read_text(encoding="utf-8"))
    module: set[str] = set()
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.Import):
            module.update(alias.name.split(".")[0] for alias in knoten.names)
        elif isinstance(knoten, ast.ImportFrom) and knoten.module and knoten.level == 0:
            module.add(knoten.module.split(".")[0])
    return module


@pytest.mark.parametrize("app", sorted(VERBOTEN))
def test_keine_importe_gegen_die_richtung(app):
    verstoesse = {
        str(datei.relative_to(WURZEL)): sorted(_importierte_module(datei) & VERBOTEN[app])
        for datei in (WURZEL / app).rglob("*.py")
        if _importierte_module(datei) & VERBOTEN[app]
    }
    assert not verstoesse


def test_pruefung_erkennt_einen_verstoss(tmp_path):
    datei = tmp_path / "x.py"
    datei.write_text("from anliegen.models import Anliegen\nimport netzwerke\n")
    assert _importierte_module(datei) >= {"anliegen", "netzwerke"}
