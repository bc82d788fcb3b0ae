from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from partnernet.lib.cli import cli_language
from partnernet.municipalities.services import ImportRejected, municipalities_import


class Command(BaseCommand):
    help = (
        "Validate and import a registry CSV (Swedish or Ukrainian format); "
        "any bad row: nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        with translation.override(cli_language()):
            self._import(file)

    def _import(self, file: Path) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        try:
            result = municipalities_import(data=data)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(rejected.errors)} error(s); nothing was imported.") from None
        self.stdout.write(f"{file}: {result.created} created, {result.updated} updated.")
