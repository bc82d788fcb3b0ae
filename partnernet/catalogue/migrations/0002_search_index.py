"""The full-text index over SearchDocument: a stored generated tsvector with a GIN index on
PostgreSQL, an external-content FTS5 table kept in sync by triggers on SQLite."""

from django.db import migrations

POSTGRES = [
    """ALTER TABLE catalogue_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple', names), 'A') || setweight(to_tsvector('simple', body), 'B')
       ) STORED""",
    "CREATE INDEX catalogue_searchdocument_vector ON catalogue_searchdocument USING GIN (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS catalogue_searchdocument_vector",
    "ALTER TABLE catalogue_searchdocument DROP COLUMN IF EXISTS vector",
]
SQLITE = [
    """CREATE VIRTUAL TABLE catalogue_searchfts USING fts5(
         names, body, content='catalogue_searchdocument', content_rowid='partnership_id',
         tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER catalogue_searchfts_ai AFTER INSERT ON catalogue_searchdocument BEGIN
         INSERT INTO catalogue_searchfts(rowid, names, body)
         VALUES (new.partnership_id, new.names, new.body);
       END""",
    """CREATE TRIGGER catalogue_searchfts_ad AFTER DELETE ON catalogue_searchdocument BEGIN
         INSERT INTO catalogue_searchfts(catalogue_searchfts, rowid, names, body)
         VALUES ('delete', old.partnership_id, old.names, old.body);
       END""",
    """CREATE TRIGGER catalogue_searchfts_au AFTER UPDATE ON catalogue_searchdocument BEGIN
         INSERT INTO catalogue_searchfts(catalogue_searchfts, rowid, names, body)
         VALUES ('delete', old.partnership_id, old.names, old.body);
         INSERT INTO catalogue_searchfts(rowid, names, body)
         VALUES (new.partnership_id, new.names, new.body);
       END""",
    "INSERT INTO catalogue_searchfts(catalogue_searchfts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalogue_searchfts_ai",
    "DROP TRIGGER IF EXISTS catalogue_searchfts_ad",
    "DROP TRIGGER IF EXISTS catalogue_searchfts_au",
    "DROP TABLE IF EXISTS catalogue_searchfts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_search_document")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
