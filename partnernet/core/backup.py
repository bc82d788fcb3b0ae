"""Backup and restore you can trust (issue 15): a database dump, the uploaded files and a
manifest of what they hold, checked again after every restore.

A backup folder holds

    manifest.json      written last: a folder without it is an unfinished backup
    database.dump      PostgreSQL: `pg_dump --format=custom` (SQLite: database.sqlite3, a copy
                       made with SQLite's backup API)
    files/<name>       every file of the uploaded-file storage (`default_storage`: MEDIA_ROOT in
                       the demo, the S3 bucket with STORAGE_BACKEND=s3), under its storage name

The manifest names the time, Partnernet's version, the last migration of each app, the dump's
size and SHA-256, and per table its row count and a content hash; per file its size and
SHA-256. A table's hash is the SHA-256 of the MD5s of its rows' text, in primary-key order
(bytewise, whatever the collation): computed in PostgreSQL row by row and streamed through a
server-side cursor, so no table is ever held in memory. On PostgreSQL the hashes are computed
in the very snapshot pg_dump dumps (`pg_export_snapshot` + `pg_dump --snapshot`), so a backup
of a running site is consistent with its manifest.

Restore refuses a database that has any table (there is no --force: restoring over data is
never silent; drop and create the database first), checks the dump's and every file's SHA-256
against the manifest before touching anything, restores, then recomputes every table hash and
every file hash from the restored database and storage and compares them with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext_noop

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FILES = "files"
FORMAT = 1
ROW_HASH = "sha256 over md5(row text) in primary-key order"
CHUNK = 1024 * 1024
FETCH_ROWS = 10_000

# Session settings that fix how PostgreSQL writes a row as text, so a hash does not depend on
# the server's or the connection's defaults.
PG_TEXT_SETTINGS = (
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
)
# libpq parameters we pass on from DATABASES' OPTIONS (the others are Django's own), as the
# environment variables pg_dump and pg_restore read.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; `message` is translated by the caller (a msgid
    with its parameters), so the command speaks the terminal's language."""

    def __init__(self, message: str, **parameters: Any) -> None:
        super().__init__(message % parameters if parameters else message)
        self.message = message
        self.parameters = parameters


# --- table hashes --------------------------------------------------------------------------


class RowDigest:
    """The hash of one table: SHA-256 over its rows' MD5 hex digests, in order, and the count."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.rows = 0

    def add(self, row_md5: str) -> None:
        self._hash.update(row_md5.encode("ascii"))
        self.rows += 1

    def result(self) -> dict[str, Any]:
        return {"rows": self.rows, "hash": self._hash.hexdigest()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def postgres_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
        'ORDER BY tablename COLLATE "C"'
    )
    return [row[0] for row in cursor.fetchall()]


def postgres_order_by(cursor, table: str) -> str:
    """The primary key's columns, text ones compared bytewise; the row's own digest for a
    table without one (identical rows have identical digests, so the order is fixed)."""
    cursor.execute(
        "SELECT a.attname, a.attcollation <> 0 FROM pg_catalog.pg_index i "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        [_quote(table)],
    )
    columns = [
        f't.{_quote(name)} COLLATE "C"' if collatable else f"t.{_quote(name)}"
        for name, collatable in cursor.fetchall()
    ]
    return ", ".join(columns) or "1"


def postgres_fingerprints(raw_connection) -> dict[str, dict[str, Any]]:
    """Row count and content hash of every table of the current schema, read through
    `raw_connection` (a psycopg connection) in its current transaction."""
    result: dict[str, dict[str, Any]] = {}
    with raw_connection.cursor() as cursor:
        for statement in PG_TEXT_SETTINGS:
            cursor.execute(statement)
        tables = postgres_tables(cursor)
        orders = {table: postgres_order_by(cursor, table) for table in tables}
    for table in tables:
        digest = RowDigest()
        # Table names come from the catalogue, quoted; no input reaches this statement.
        sql = f"SELECT md5(t::text) FROM {_quote(table)} t ORDER BY {orders[table]}"  # noqa: S608
        with raw_connection.cursor(name=f"pn_backup_{len(result)}") as cursor:
            cursor.itersize = FETCH_ROWS
            cursor.execute(sql)
            for (row_md5,) in cursor:
                digest.add(row_md5)
        result[table] = digest.result()
    return result


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, float):
        return {"real": repr(value)}
    return value


def sqlite_row_md5(row: Iterable[Any]) -> str:
    text = json.dumps([_sqlite_value(value) for value in row], ensure_ascii=False)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def sqlite_fingerprints(database: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Row count and content hash of every table of a SQLite database (hashed in Python)."""
    tables = [
        row[0]
        for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    result = {}
    for table in tables:
        keys = [
            (position, name)
            for _cid, name, _type, _notnull, _default, position in database.execute(
                f"PRAGMA table_info({_quote(table)})"
            )
            if position
        ]
        order = ", ".join(_quote(name) for _position, name in sorted(keys)) or "rowid"
        digest = RowDigest()
        # Table names come from sqlite_master, quoted; no input reaches this statement.
        for row in database.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}"):  # noqa: S608
            digest.add(sqlite_row_md5(row))
        result[table] = digest.result()
    return result


# --- files ---------------------------------------------------------------------------------


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file of `storage`, walked with listdir, in a fixed order."""
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from storage_names(storage, f"{folder}/{directory}" if folder else directory)


def safe_relative(name: str) -> PurePosixPath:
    """A storage name as a path inside a folder: no absolute path, no `..`."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupError(gettext_noop("Unsafe file name in the backup: %(name)s"), name=name)
    return path


def copy_hashing(source: IO[bytes], target: IO[bytes] | None = None) -> dict[str, Any]:
    """Read `source` to the end (writing it to `target`); its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def file_digest(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return copy_hashing(handle)


def storage_backup(storage: Storage, folder: Path) -> dict[str, dict[str, Any]]:
    """Copy every file of `storage` into `folder`; their sizes and hashes."""
    result = {}
    for name in storage_names(storage):
        target = folder / safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as output:
            result[name] = copy_hashing(source, output)
    return result


def storage_digests(storage: Storage, names: Iterable[str]) -> dict[str, dict[str, Any] | None]:
    """Size and hash of each named file as `storage` holds it (None when it is missing)."""
    result: dict[str, dict[str, Any] | None] = {}
    for name in names:
        if not storage.exists(name):
            result[name] = None
            continue
        with storage.open(name, "rb") as handle:
            result[name] = copy_hashing(handle)
    return result


def storage_restore(storage: Storage, folder: Path, files: dict[str, dict[str, Any]]) -> None:
    """Put each file of the backup into `storage` under its own name. A file already there
    with the same content is left; one with other content is never overwritten."""
    present = storage_digests(storage, [name for name in files if storage.exists(name)])
    clashes = sorted(name for name, found in present.items() if found != files[name])
    if clashes:
        raise BackupError(
            gettext_noop("The file storage already holds other files under these names: %(names)s"),
            names=", ".join(clashes),
        )
    for name in files:
        if name in present:
            continue
        with (folder / safe_relative(name)).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(
                gettext_noop("The file storage renamed %(name)s to %(saved)s"),
                name=name,
                saved=saved,
            )


# --- the manifest --------------------------------------------------------------------------


def last_migrations(raw_connection) -> dict[str, str]:
    """The last applied migration of each app (Django's numbered names sort in order), read
    through a psycopg or sqlite3 connection (in the backup's snapshot)."""
    rows = raw_connection.execute("SELECT app, name FROM django_migrations").fetchall()
    result: dict[str, str] = {}
    for app, name in rows:
        result[app] = max(result.get(app, name), name)
    return dict(sorted(result.items()))


def unknown_migrations(migrations: dict[str, str]) -> list[str]:
    """Migrations of the backup that this code does not have (a newer Partnernet made it)."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known)


@dataclass
class Manifest:
    engine: str
    database: dict[str, Any]
    tables: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]]
    migrations: dict[str, str]
    created_at: str = field(default_factory=lambda: timezone.now().isoformat())
    version: str = field(default_factory=lambda: settings.VERSION)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "created_at": self.created_at,
            "partnernet_version": self.version,
            "engine": self.engine,
            "row_hash": ROW_HASH,
            "database": self.database,
            "migrations": self.migrations,
            "tables": self.tables,
            "files": self.files,
        }

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(
                gettext_noop(
                    "%(folder)s has no manifest.json: it is not a backup, or an unfinished one."
                ),
                folder=folder,
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(data.get("format"))
            return cls(
                engine=data["engine"],
                database=data["database"],
                tables=data["tables"],
                files=data["files"],
                migrations=data["migrations"],
                created_at=data["created_at"],
                version=data["partnernet_version"],
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(
                gettext_noop("%(folder)s/manifest.json cannot be read: %(error)s"),
                folder=folder,
                error=error,
            ) from error

    def write(self, folder: Path) -> None:
        """Write the manifest last and at once (a temporary file renamed into place)."""
        temporary = folder / f".{MANIFEST}.tmp"
        temporary.write_text(
            json.dumps(self.as_json(), indent=1, ensure_ascii=False, sort_keys=False) + "\n",
            encoding="utf-8",
        )
        os.replace(temporary, folder / MANIFEST)


def differing(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """The names whose entry differs, is missing, or is not expected."""
    return sorted(
        name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name)
    )


@dataclass
class Verification:
    tables: list[str]
    files: list[str]

    @property
    def ok(self) -> bool:
        return not self.tables and not self.files


# What a backup read in one snapshot: the tables' counts and hashes, the last migrations.
Snapshot = tuple[dict[str, dict[str, Any]], dict[str, str]]


# --- PostgreSQL ----------------------------------------------------------------------------


def libpq_arguments(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore arguments and environment for a DATABASES entry (the password goes
    in the environment, never on the command line)."""
    arguments = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        arguments += ["--host", database["HOST"]]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    options = database.get("OPTIONS", {})
    for option, variable in LIBPQ_OPTIONS.items():
        if option in options:
            environment[variable] = str(options[option])
    return arguments, environment


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            gettext_noop("%(program)s is not installed (PostgreSQL's client programs)."),
            program=name,
        )
    return found


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            gettext_noop("%(program)s failed: %(error)s"),
            program=Path(command[0]).name,
            error=result.stderr.strip()[-2000:],
        )


def postgres_backup(connection: BaseDatabaseWrapper, dump: Path) -> Snapshot:
    """Dump the database into `dump` and hash its tables, both in one snapshot."""
    pg_dump = _program("pg_dump")
    arguments, environment = libpq_arguments(connection.settings_dict)
    connection.ensure_connection()
    raw = connection.connection
    with raw.transaction():
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(
            [pg_dump, *arguments, "--format=custom", "--snapshot", snapshot, "--file", str(dump)],
            environment,
        )
        return postgres_fingerprints(raw), last_migrations(raw)


def postgres_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    pg_restore = _program("pg_restore")
    arguments, environment = libpq_arguments(connection.settings_dict)
    _run(
        [
            pg_restore,
            *arguments,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ],
        environment,
    )
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def postgres_hashes(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    connection.ensure_connection()
    raw = connection.connection
    with raw.transaction():
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return postgres_fingerprints(raw)


def postgres_server(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return {"server_version": cursor.fetchone()[0]}


# --- SQLite --------------------------------------------------------------------------------


def sqlite_backup(connection: BaseDatabaseWrapper, copy: Path) -> Snapshot:
    """Copy the database with SQLite's backup API (consistent while others write) and hash
    the copy, which is what the backup holds."""
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
        return sqlite_fingerprints(target), last_migrations(target)
    finally:
        target.close()


def sqlite_restore(connection: BaseDatabaseWrapper, copy: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def sqlite_hashes(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    """Hashes read through a plain connection (Django's turns dates into objects)."""
    connection.close()
    database = sqlite3.connect(f"file:{connection.settings_dict['NAME']}?mode=ro", uri=True)
    try:
        return sqlite_fingerprints(database)
    finally:
        database.close()


# --- the two operations --------------------------------------------------------------------


@dataclass
class Engine:
    dump_name: str
    backup: Callable[[BaseDatabaseWrapper, Path], Snapshot]
    restore: Callable[[BaseDatabaseWrapper, Path], None]
    hashes: Callable[[BaseDatabaseWrapper], dict[str, dict[str, Any]]]
    dump_format: str


ENGINES = {
    "postgresql": Engine(
        POSTGRES_DUMP, postgres_backup, postgres_restore, postgres_hashes, "pg_dump custom"
    ),
    "sqlite": Engine(SQLITE_COPY, sqlite_backup, sqlite_restore, sqlite_hashes, "sqlite3 backup"),
}


def engine_of(connection: BaseDatabaseWrapper) -> Engine:
    if connection.vendor not in ENGINES:
        raise BackupError(
            gettext_noop("Cannot back up or restore a %(vendor)s database."),
            vendor=connection.vendor,
        )
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        raise BackupError(gettext_noop("Cannot back up or restore an in-memory database."))
    return ENGINES[connection.vendor]


def backup_create(*, connection: BaseDatabaseWrapper, storage: Storage, folder: Path) -> Manifest:
    """Write a backup of the database and the file storage into `folder` (new or empty)."""
    engine = engine_of(connection)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(
            gettext_noop("%(folder)s is not empty: a backup goes into a new folder."), folder=folder
        )
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / engine.dump_name
    tables, migrations = engine.backup(connection, dump)
    database = {"file": engine.dump_name, "format": engine.dump_format, **file_digest(dump)}
    if connection.vendor == "postgresql":
        database.update(postgres_server(connection))
    files = storage_backup(storage, folder / FILES)
    manifest = Manifest(
        engine=connection.vendor,
        database=database,
        tables=tables,
        files=files,
        migrations=migrations,
    )
    manifest.write(folder)
    return manifest


def backup_check(folder: Path, manifest: Manifest) -> Verification:
    """Compare the backup folder's dump and files with its manifest (before restoring)."""
    dump = folder / manifest.database["file"]
    found_dump = file_digest(dump) if dump.is_file() else None
    expected_dump = {key: manifest.database[key] for key in ("size", "sha256")}
    tables = [manifest.database["file"]] if found_dump != expected_dump else []
    files = {}
    for name in manifest.files:
        path = folder / FILES / safe_relative(name)
        files[name] = file_digest(path) if path.is_file() else None
    return Verification(tables=tables, files=differing(manifest.files, files))


def database_is_empty(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def backup_restore(
    *, connection: BaseDatabaseWrapper, storage: Storage, folder: Path
) -> tuple[Manifest, Verification]:
    """Restore `folder` into an empty database and the file storage, then verify both
    against the manifest. Refuses (BackupError) before writing anything when the backup is
    damaged, made by another engine or a newer Partnernet, or the database is not empty."""
    manifest = Manifest.read(folder)
    engine = engine_of(connection)
    if manifest.engine != connection.vendor:
        raise BackupError(
            gettext_noop("This backup is of a %(backup)s database; this site runs on %(here)s."),
            backup=manifest.engine,
            here=connection.vendor,
        )
    unknown = unknown_migrations(manifest.migrations)
    if unknown:
        raise BackupError(
            gettext_noop(
                "A newer Partnernet (%(version)s) made this backup: this code lacks the migrations "
                "%(names)s. Restore with that version."
            ),
            version=manifest.version,
            names=", ".join(unknown),
        )
    damaged = backup_check(folder, manifest)
    if not damaged.ok:
        raise BackupError(
            gettext_noop("The backup is damaged: these files differ from its manifest: %(names)s"),
            names=", ".join(damaged.tables + damaged.files),
        )
    if not database_is_empty(connection):
        raise BackupError(
            gettext_noop(
                "The database %(name)s already has tables: a backup is restored only into an empty "
                "database. Create a new one (createdb) or drop and create this one, then run again."
            ),
            name=connection.settings_dict["NAME"],
        )
    engine.restore(connection, folder / manifest.database["file"])
    storage_restore(storage, folder / FILES, manifest.files)
    return manifest, backup_verify(connection=connection, storage=storage, manifest=manifest)


def backup_verify(
    *, connection: BaseDatabaseWrapper, storage: Storage, manifest: Manifest
) -> Verification:
    """Recompute the tables' and the manifest's files' hashes and compare."""
    tables = engine_of(connection).hashes(connection)
    files = storage_digests(storage, manifest.files)
    return Verification(
        tables=differing(manifest.tables, tables), files=differing(manifest.files, files)
    )
