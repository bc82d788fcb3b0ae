"""Backup and restore (issue 15): `partnernet backup DIR` and `partnernet restore DIR`.

The drill at the end backs up the PostgreSQL test database (seed network, documents uploaded
here), restores it into a fresh database on the same server with the command run as a
subprocess, and proves the restored rows and files identical with hashes of its own."""

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection, connections
from psycopg import sql

from partnernet.accounts.models import User
from partnernet.core.backup import (
    MANIFEST,
    BackupError,
    Manifest,
    backup_create,
    backup_restore,
    differing,
    safe_relative,
    sqlite_fingerprints,
    storage_backup,
    storage_restore,
)
from partnernet.documents import samples
from partnernet.documents.models import Document
from partnernet.documents.services import document_upload
from partnernet.lib.testing_services import PROJECT_DIR, server_environment
from partnernet.partnerships.models import Partnership

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- refusals first ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "a/../../b", "", "a\\..\\b"])
def test_a_file_name_that_leaves_the_backup_folder_is_refused(name):
    with pytest.raises(BackupError, match="Unsafe file name"):
        safe_relative(name)


def test_a_folder_without_a_manifest_is_no_backup(tmp_path):
    (tmp_path / "database.dump").write_bytes(b"half a dump")
    with pytest.raises(BackupError, match="no manifest.json"):
        Manifest.read(tmp_path)


def test_a_manifest_of_another_format_is_refused(tmp_path):
    (tmp_path / MANIFEST).write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(BackupError, match="cannot be read"):
        Manifest.read(tmp_path)


@pytest.mark.django_db
def test_a_backup_never_writes_into_a_folder_that_has_files(tmp_path, sqlite_file_database):
    alias, _path = sqlite_file_database()
    (tmp_path / "earlier.txt").write_text("keep me")
    with pytest.raises(BackupError, match="not empty"):
        backup_create(
            connection=connections[alias], storage=FileSystemStorage(tmp_path), folder=tmp_path
        )
    assert (tmp_path / "earlier.txt").read_text() == "keep me"


def _manifest(folder: Path, **changes) -> Path:
    folder.mkdir()
    (folder / "database.sqlite3").write_bytes(b"")
    data = {
        "format": 1,
        "created_at": "2026-12-02T02:30:00+00:00",
        "partnernet_version": "0.1.0",
        "engine": "sqlite",
        "database": {"file": "database.sqlite3", "size": 0, "sha256": EMPTY_SHA256},
        "migrations": {"documents": "0001_initial"},
        "tables": {},
        "files": {},
        **changes,
    }
    (folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"engine": "postgresql"}, "This backup is of a postgresql database"),
        ({"migrations": {"documents": "0999_from_the_future"}}, "documents.0999_from_the_future"),
        (
            {"files": {"a.pdf": {"size": 1, "sha256": EMPTY_SHA256}}},
            "differ from its manifest: a.pdf",
        ),
    ],
)
def test_restore_refuses_another_engine_a_newer_version_and_missing_files(
    tmp_path, sqlite_file_database, changes, refusal
):
    alias, path = sqlite_file_database()
    folder = _manifest(tmp_path / "backup", **changes)
    with pytest.raises(BackupError, match=refusal):
        backup_restore(
            connection=connections[alias], storage=FileSystemStorage(tmp_path / "m"), folder=folder
        )
    assert not Path(path).exists() or Path(path).stat().st_size == 0


def test_restoring_files_never_overwrites_another_file_of_the_same_name(tmp_path):
    source, target = tmp_path / "backup", FileSystemStorage(tmp_path / "storage")
    (source / "documents").mkdir(parents=True)
    (source / "documents" / "a.pdf").write_bytes(b"from the backup")
    target.save("documents/a.pdf", ContentFile(b"already here"))
    files = {"documents/a.pdf": {"size": 15, "sha256": sha256(b"from the backup")}}
    with pytest.raises(BackupError, match="documents/a.pdf"):
        storage_restore(target, source, files)
    assert target.open("documents/a.pdf").read() == b"already here"


def test_differing_names_what_changed_went_missing_or_appeared():
    expected = {"a": {"rows": 1}, "b": {"rows": 2}, "c": {"rows": 3}}
    found = {"a": {"rows": 1}, "b": {"rows": 5}, "d": {"rows": 0}}
    assert differing(expected, found) == ["b", "c", "d"]
    assert differing(expected, dict(expected)) == []


# --- the parts -----------------------------------------------------------------------------


def test_every_file_of_the_storage_is_copied_with_its_size_and_hash(tmp_path):
    storage = FileSystemStorage(tmp_path / "media")
    contents = {
        "grants/letters/brev.pdf": b"%PDF-1.4 letter",
        "documents/2026/12/фото-зустріч.png": b"\x89PNG photo",
        "top.txt": b"",
    }
    for name, data in contents.items():
        storage.save(name, ContentFile(data))
    files = storage_backup(storage, tmp_path / "backup")
    assert files == {
        name: {"size": len(data), "sha256": sha256(data)} for name, data in contents.items()
    }
    assert files["top.txt"]["sha256"] == EMPTY_SHA256
    for name, data in contents.items():
        assert (tmp_path / "backup" / name).read_bytes() == data
    # and back into an empty storage, and again (the same files are left as they are)
    target = FileSystemStorage(tmp_path / "restored")
    storage_restore(target, tmp_path / "backup", files)
    storage_restore(target, tmp_path / "backup", files)
    assert {name: target.open(name).read() for name in contents} == contents


def _sqlite(path: Path, rows: list[tuple]) -> sqlite3.Connection:
    database = sqlite3.connect(path)
    database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, size REAL, data BLOB)")
    database.execute("CREATE TABLE empty (code TEXT PRIMARY KEY)")
    database.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    database.commit()
    return database


def test_a_sqlite_table_hash_follows_content_not_insertion_order(tmp_path):
    rows = [(1, "Falun", 1.5, b"\x00"), (2, "Коломия", None, None), (3, "Umeå", 2.0, b"x")]
    first = sqlite_fingerprints(_sqlite(tmp_path / "a.sqlite3", rows))
    second = sqlite_fingerprints(_sqlite(tmp_path / "b.sqlite3", list(reversed(rows))))
    changed = sqlite_fingerprints(
        _sqlite(tmp_path / "c.sqlite3", [*rows[:2], (3, "Umeå", 2.0, b"y")])
    )
    assert first == second
    assert first["t"]["rows"] == 3 and first["empty"] == {"rows": 0, "hash": EMPTY_SHA256}
    assert changed["t"]["hash"] != first["t"]["hash"]
    assert changed["empty"] == first["empty"]


# --- SQLite, the demo's database: backed up with SQLite's backup API -----------------------


def _rows_of_every_table(path: str) -> dict[str, list[tuple]]:
    """The test's own reading of a SQLite file: every row of every table, sorted."""
    database = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql NOT LIKE 'CREATE VIRTUAL%'"
            )
        ]
        # Table names from sqlite_master, quoted.
        return {
            name: sorted(database.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }
    finally:
        database.close()


@pytest.fixture(scope="module")
def seeded_sqlite_file(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """The seeded SQLite test database copied into a file, before any test's transaction
    (SQLite's backup API waits for ever on a shared in-memory database with one open)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pass backs up a SQLite database")
    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
    return path


@pytest.mark.django_db
def test_the_sqlite_demo_database_is_backed_up_and_restored_identical(
    tmp_path, sqlite_file_database, seeded_sqlite_file
):
    source_alias, source_path = sqlite_file_database()
    target_alias, target_path = sqlite_file_database()
    shutil.copyfile(seeded_sqlite_file, source_path)
    media = FileSystemStorage(tmp_path / "media")
    media.save("documents/2026/12/protokoll.pdf", ContentFile(samples.pdf("Minutes")))

    backup_create(connection=connections[source_alias], storage=media, folder=tmp_path / "backup")
    restored_media = FileSystemStorage(tmp_path / "restored-media")
    manifest, verification = backup_restore(
        connection=connections[target_alias], storage=restored_media, folder=tmp_path / "backup"
    )

    assert verification.ok, verification
    assert manifest.engine == "sqlite"
    assert manifest.tables["partnerships_partnership"]["rows"] == 6
    source_rows = _rows_of_every_table(source_path)
    assert len(source_rows["municipalities_municipality"]) > 1000
    assert _rows_of_every_table(target_path) == source_rows
    assert restored_media.open("documents/2026/12/protokoll.pdf").read() == samples.pdf("Minutes")
    with pytest.raises(BackupError, match="already has tables"):
        backup_restore(
            connection=connections[target_alias], storage=restored_media, folder=tmp_path / "backup"
        )


# --- the drill: PostgreSQL, the commands as subprocesses -----------------------------------


def _database_url(database: str) -> str:
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return (
        f"postgres://{config['USER']}{password}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{database}"
    )


def _partnernet(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "partnernet", *arguments],
        env=server_environment(PARTNERNET_LANGUAGE="en", **environment),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _independent_table_hashes(url: str) -> dict[str, tuple[int, str]]:
    """The test's own reading of every table: its count and the md5 of all its rows' text in
    text order (one string per table), not through the code under test."""
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as database:
        database.execute("SET TimeZone = 'UTC'")
        tables = [
            row[0]
            for row in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        result = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                "ORDER BY t::text COLLATE \"C\"), '')) FROM {} t"
            ).format(sql.Identifier(table))
            count, digest = database.execute(query).fetchone()
            result[table] = (count, digest)
        return result


def _restore_refused(folder: Path) -> str:
    """Restore in this process (into the test database, which has tables): must refuse."""
    errors = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("restore", str(folder), stderr=errors)
    assert exited.value.code == 2
    return errors.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_drill_backup_restores_into_a_fresh_database_identical(tmp_path, settings):
    if not settings.IS_POSTGRES or shutil.which("pg_dump") is None:
        pytest.skip("the restore drill needs PostgreSQL and its client programs")
    source_media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    settings.MEDIA_ROOT = source_media
    partnership = Partnership.objects.get(slug="falun-kolomyia")
    author = User.objects.get(email="falun@demo.example")
    uploads = {
        "protokoll.pdf": samples.pdf("Protokoll från styrgruppen"),
        "фото-зустріч.png": samples.png(),
    }
    expected_files = {}
    for name, data in uploads.items():
        document = document_upload(
            actor=author,
            partnership=partnership,
            title=f"Drill {name}",
            category="minutes",
            language="sv",
            file=ContentFile(data, name=name),
        )
        stored = document.versions.get().file.name
        expected_files[stored] = {"size": len(data), "sha256": sha256(data)}
    source_url = _database_url(connection.settings_dict["NAME"])
    folder = tmp_path / "backup"

    backed_up = _partnernet(
        "backup", str(folder), DATABASE_URL=source_url, MEDIA_ROOT=str(source_media)
    )
    assert backed_up.returncode == 0, backed_up.stderr
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"] == expected_files
    assert manifest["tables"]["partnerships_partnership"]["rows"] == Partnership.objects.count()
    assert manifest["tables"]["documents_document"]["rows"] == Document.objects.count()
    assert manifest["migrations"]["documents"].startswith("00")

    # a damaged dump or file is refused before anything is written
    damaged = tmp_path / "damaged-dump"
    shutil.copytree(folder, damaged)
    with (damaged / "database.dump").open("r+b") as dump:
        dump.seek(-100, 2)
        byte = dump.read(1)
        dump.seek(-100, 2)
        dump.write(bytes([byte[0] ^ 0xFF]))
    assert "database.dump" in _restore_refused(damaged)
    tampered = tmp_path / "tampered-file"
    shutil.copytree(folder, tampered)
    name = next(iter(expected_files))
    (tampered / "files" / name).write_bytes(b"%PDF-1.4 not the minutes")
    assert name in _restore_refused(tampered)
    # the test database has tables: refused
    assert "already has tables" in _restore_refused(folder)

    fresh = f"pn_restore_{uuid.uuid4().hex[:10]}"
    other = f"pn_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{other}"')
    try:
        restored = _partnernet(
            "restore",
            str(folder),
            DATABASE_URL=_database_url(fresh),
            MEDIA_ROOT=str(restored_media),
        )
        assert restored.returncode == 0, restored.stderr
        assert "verified" in restored.stdout
        source_hashes = _independent_table_hashes(source_url)
        assert len(source_hashes) == len(manifest["tables"]) > 50
        assert _independent_table_hashes(_database_url(fresh)) == source_hashes
        for stored in expected_files:
            assert (restored_media / stored).read_bytes() == (source_media / stored).read_bytes()

        # a backup whose rows differ from its manifest: restored, then named, exit 1
        differs = tmp_path / "differs"
        shutil.copytree(folder, differs)
        edited = json.loads((differs / MANIFEST).read_text(encoding="utf-8"))
        edited["tables"]["partnerships_partnership"]["hash"] = EMPTY_SHA256
        (differs / MANIFEST).write_text(json.dumps(edited), encoding="utf-8")
        verified = _partnernet(
            "restore",
            str(differs),
            DATABASE_URL=_database_url(other),
            MEDIA_ROOT=str(tmp_path / "m3"),
        )
        assert verified.returncode == 1, verified.stderr
        assert "these tables differ from the backup: partnerships_partnership" in verified.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
            cursor.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')
