"""`partnernet backup DIR`: the database (pg_dump, or SQLite's backup API), every uploaded file
and a manifest of row counts and hashes, into a new folder (`partnernet.core.backup`)."""

import sys
import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.core.backup import BackupError, backup_create
from partnernet.lib.cli import cli_language


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new (or empty) folder for the backup.")

    def handle(self, *args, folder: str, **options):
        with translation.override(cli_language()):
            started = time.perf_counter()
            try:
                manifest = backup_create(
                    connection=connection, storage=default_storage, folder=Path(folder)
                )
            except BackupError as error:
                self.stderr.write(_(error.message) % error.parameters)
                sys.exit(2)
            self.stdout.write(
                _(
                    "Backup written to %(folder)s in %(seconds).1f s: %(tables)d tables with "
                    "%(rows)d rows (database %(size)s), %(files)d files (%(files_size)s)."
                )
                % {
                    "folder": folder,
                    "seconds": time.perf_counter() - started,
                    "tables": len(manifest.tables),
                    "rows": sum(table["rows"] for table in manifest.tables.values()),
                    "size": filesizeformat(manifest.database["size"]),
                    "files": len(manifest.files),
                    "files_size": filesizeformat(sum(f["size"] for f in manifest.files.values())),
                }
            )
