"""Indizes der Suche in der Anliegen-Liste, nur auf PostgreSQL (anliegen/suche.py).

- `gin_trgm_ops` auf `UPPER(spalte::text)`: genau der Ausdruck, den das ORM für `icontains`
  erzeugt; so bedient der Index `UPPER(titel::text) LIKE UPPER('%…%')` (Teilwortsuche).
- Volltext mit deutscher Konfiguration über Titel, Beschreibung und Ort: derselbe Ausdruck wie
  `suche.volltext_vektor()` (SearchVector), sonst nutzt PostgreSQL den Index nicht.
  `tests/anliegen/test_suche.py` prüft an den Plänen, dass beide Ausdrücke passen.

Auf SQLite nichts (dort sucht `icontains` ohne Index, wie bisher). Die Indizes stehen nicht in
`Meta.indexes`, weil SQLite weder GIN noch Operatorklassen kennt; `makemigrations` sieht sie
deshalb nicht. `CREATE EXTENSION pg_trgm` braucht einmal ein Konto mit dem Recht dazu
(PostgreSQL 13+: „trusted“, der Eigentümer der Datenbank genügt).
"""

from django.db import migrations

TABELLE = "anliegen_anliegen"

TRIGRAMM = {
    "anliegen_nummer_trgm": "nummer",
    "anliegen_titel_trgm": "titel",
    "anliegen_beschreibung_trgm": "beschreibung",
    "anliegen_ort_trgm": "ort",
}
VOLLTEXT = "anliegen_volltext_gin"
VOLLTEXT_AUSDRUCK = (
    "to_tsvector('german'::regconfig, COALESCE(titel, '') || ' ' || "
    "COALESCE(beschreibung, '') || ' ' || COALESCE(ort, ''))"
)


def anlegen(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, spalte in TRIGRAMM.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABELLE} "
            f"USING gin (UPPER({spalte}::text) gin_trgm_ops)"
        )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {VOLLTEXT} ON {TABELLE} USING gin ({VOLLTEXT_AUSDRUCK})"
    )


def entfernen(apps, schema_editor):
    # Die Erweiterung bleibt: andere können sie nutzen.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*TRIGRAMM, VOLLTEXT]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("anliegen", "0011_liste_indizes"),
    ]

    operations = [
        migrations.RunPython(anlegen, entfernen, elidable=False),
    ]
