"""`partnernet restore DIR`: a backup of `partnernet backup` into an EMPTY database and the file
storage, then every table and file checked against the manifest. Exit 0: restored and
identical; 1: restored, but tables or files differ (named); 2: refused, nothing written."""

import sys
import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.core.backup import BackupError, backup_restore
from partnernet.lib.cli import cli_language


class Command(BaseCommand):
    help = "Restore a backup into an empty database and check it against its manifest."
    # The database is empty until the restore: the system checks must not need its tables.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `partnernet backup`.")

    def handle(self, *args, folder: str, **options):
        with translation.override(cli_language()):
            started = time.perf_counter()
            try:
                manifest, verification = backup_restore(
                    connection=connection, storage=default_storage, folder=Path(folder)
                )
            except BackupError as error:
                self.stderr.write(_(error.message) % error.parameters)
                sys.exit(2)
            if verification.tables:
                self.stderr.write(
                    _("Restored, but these tables differ from the backup: %(names)s")
                    % {"names": ", ".join(verification.tables)}
                )
            if verification.files:
                self.stderr.write(
                    _("Restored, but these files differ from the backup: %(names)s")
                    % {"names": ", ".join(verification.files)}
                )
            if not verification.ok:
                sys.exit(1)
            self.stdout.write(
                _(
                    "Restored %(folder)s in %(seconds).1f s and verified: %(tables)d tables and "
                    "%(files)d files identical to the backup of %(created)s."
                )
                % {
                    "folder": folder,
                    "seconds": time.perf_counter() - started,
                    "tables": len(manifest.tables),
                    "files": len(manifest.files),
                    "created": manifest.created_at,
                }
            )
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                self.stdout.write(
                    _("This code has newer migrations than the backup: run `partnernet migrate`.")
                )
