"""The database's own full-text structures over ``StorefrontSearchEntry``, kept in step by triggers.

PostgreSQL: a weighted ``tsvector`` (name A, headline/town/category B, description/offers C)
computed by a BEFORE trigger, a GIN index on it, and a trigram GIN index on ``name_key``
(``pg_trgm``) for names typed slightly wrong.
SQLite: an FTS5 table with the entry table as its external content, synced by triggers.

If a later migration rebuilds the entry table on SQLite (Django does that for most ALTERs),
drop and recreate these with the functions below.
"""

from django.db import migrations

TABLE = "search_storefrontsearchentry"

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION search_storefront_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.name, '')), 'A') ||
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.keywords, '')), 'B') ||
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.body, '')), 'C');
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER search_storefront_vector BEFORE INSERT OR UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION search_storefront_vector()
    """,
    f"CREATE INDEX search_storefront_vector_gin ON {TABLE} USING gin (search_vector)",
    f"CREATE INDEX search_storefront_name_trgm ON {TABLE} USING gin (name_key gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_storefront_name_trgm",
    "DROP INDEX IF EXISTS search_storefront_vector_gin",
    f"DROP TRIGGER IF EXISTS search_storefront_vector ON {TABLE}",
    "DROP FUNCTION IF EXISTS search_storefront_vector()",
]

SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE search_storefront_fts USING fts5(
        name, keywords, body,
        content='{TABLE}', content_rowid='storefront_id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER search_storefront_fts_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO search_storefront_fts(rowid, name, keywords, body)
        VALUES (new.storefront_id, new.name, new.keywords, new.body);
    END
    """,
    f"""
    CREATE TRIGGER search_storefront_fts_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO search_storefront_fts(search_storefront_fts, rowid, name, keywords, body)
        VALUES ('delete', old.storefront_id, old.name, old.keywords, old.body);
    END
    """,
    f"""
    CREATE TRIGGER search_storefront_fts_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO search_storefront_fts(search_storefront_fts, rowid, name, keywords, body)
        VALUES ('delete', old.storefront_id, old.name, old.keywords, old.body);
        INSERT INTO search_storefront_fts(rowid, name, keywords, body)
        VALUES (new.storefront_id, new.name, new.keywords, new.body);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_storefront_fts_update",
    "DROP TRIGGER IF EXISTS search_storefront_fts_delete",
    "DROP TRIGGER IF EXISTS search_storefront_fts_insert",
    "DROP TABLE IF EXISTS search_storefront_fts",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)


def index_existing_storefronts(apps, schema_editor):
    from search.indexing import rebuild_storefront_index

    rebuild_storefront_index(
        storefront_model=apps.get_model("storefronts", "Storefront"),
        offer_model=apps.get_model("storefronts", "Offer"),
        entry_model=apps.get_model("search", "StorefrontSearchEntry"),
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_storefront_search_entry")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RunPython(index_existing_storefronts, migrations.RunPython.noop),
    ]
