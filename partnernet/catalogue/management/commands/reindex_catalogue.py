"""`partnernet reindex_catalogue`: rebuild the search documents (and embeddings) of every
partnership, for example after a bulk import or a change of the normalisation rules."""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.catalogue.services import search_documents_rebuild
from partnernet.lib import embeddings
from partnernet.lib.cli import cli_language


class Command(BaseCommand):
    help = "Rebuild the catalogue's search index of every partnership."

    def handle(self, *args, **options):
        with translation.override(cli_language()):
            count = search_documents_rebuild()
            self.stdout.write(_("Indexed %(count)d partnerships.") % {"count": count})
            if not embeddings.available():
                self.stdout.write(_("Embeddings unavailable: search is lexical only."))
