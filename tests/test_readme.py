"""Die README ist die Anleitung: ihre Codeblöcke müssen geschlossen sein, sonst erscheint der
Rest des Abschnitts als Code (so geschehen in „Daten einspielen“)."""

import re
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
README = (WURZEL / "README.md").read_text(encoding="utf-8")


def _codebloecke(text: str) -> tuple[list[list[str]], bool]:
    """Zeilen je Codeblock und ob am Ende noch ein Block offen ist."""
    bloecke: list[list[str]] = []
    offen = False
    for zeile in text.splitlines():
        if zeile.startswith("```"):
            if offen:
                offen = False
            else:
                offen = True
                bloecke.append([])
        elif offen:
            bloecke[-1].append(zeile)
    return bloecke, offen


def test_readme_codezaeune_sind_paarig():
    zaeune = [z for z in README.splitlines() if z.startswith("```")]
    assert len(zaeune) % 2 == 0
    assert not _codebloecke(README)[1]


def test_readme_codebloecke_enthalten_keinen_fliesstext():
    """Ein verrutschter Zaun macht Überschriften und Absätze zu Code."""
    for block in _codebloecke(README)[0]:
        ueberschriften = [z for z in block if re.match(r"#{2,} \S", z)]
        assert not ueberschriften, ueberschriften
        assert len(block) < 40, block[:3]


def test_readme_kuendigt_nichts_vorhandenes_als_folgend_an():
    """Anliegen und Auswertungen gibt es; „Stand:“ und der Projektaufbau sagen es auch."""
    assert "(folgt)" not in README
    assert "Dashboards folgen" not in README
