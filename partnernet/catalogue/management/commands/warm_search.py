"""`partnernet warm_search`: build the search files of the current data version (the embedding
matrix and the lexical postings under `VAR_DIR`) before the application server starts, so that
its workers map them instead of each building them (deploy/systemd/partnernet-web.service)."""

import time

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.catalogue import matrix_store, postings, search_index
from partnernet.lib.cli import cli_language


class Command(BaseCommand):
    help = "Build the catalogue's shared search files before the server starts."

    def handle(self, *args, **options):
        with translation.override(cli_language()):
            started = time.perf_counter()
            version = search_index.index_version()
            found = matrix_store.matrix(version)  # a row per search document
            postings.postings(version)
            self.stdout.write(
                _("Search files ready: %(documents)d documents, %(seconds).1f s.")
                % {"documents": len(found.ids), "seconds": time.perf_counter() - started}
            )
