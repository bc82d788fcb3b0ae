"""`partnernet export_iati [FILE]`: IATI 2.03 activity XML of everything published."""

import sys

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.lib.cli import cli_language
from partnernet.opendata import exports


class Command(BaseCommand):
    help = "Write the IATI 2.03 activities of every published partnership (stdout without FILE)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Output file; standard output when left out.")

    def handle(self, *args, **options):
        with translation.override(cli_language()):
            path = options.get("file")
            if not path or path == "-":
                exports.iati_activities_write(sys.stdout.buffer)
                sys.stdout.buffer.flush()
                return
            try:
                with open(path, "wb") as output:
                    exports.iati_activities_write(output)
            except OSError as error:
                self.stderr.write(
                    _("Cannot write %(path)s: %(error)s") % {"path": path, "error": error.strerror}
                )
                sys.exit(1)
            self.stderr.write(_("IATI activities written to %(path)s.") % {"path": path})
