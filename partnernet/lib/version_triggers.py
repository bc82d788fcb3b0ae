"""The SQL of the catalogue data-version triggers (pure: statements from names). A table whose
writes change what the public pages show gets them in its app's migration, so the pages'
validator changes with it; `catalogue/0003` defines `catalogue_bump_version()`."""

EVENTS = ("INSERT", "UPDATE", "DELETE")


def create_statements(vendor: str, table: str) -> list[str]:
    """The statements that make every write to `table` bump the data version."""
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER catalogue_version_{table} AFTER INSERT OR UPDATE OR DELETE OR "
            f'TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump_version()'
        ]
    if vendor == "sqlite":
        # The table names are the migrations' own constants, never input.
        return [
            f"CREATE TRIGGER catalogue_version_{table}_{event[:3].lower()} AFTER {event} "  # noqa: S608
            f'ON "{table}" BEGIN INSERT INTO catalogue_dataversion (id, version) '
            "VALUES (1, random()) ON CONFLICT (id) DO UPDATE SET version = excluded.version; END"
            for event in EVENTS
        ]
    return []


def drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS catalogue_version_{table} ON "{table}"']
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS catalogue_version_{table}_{event[:3].lower()}"
            for event in EVENTS
        ]
    return []
