"""The catalogue's search index: one normalised document per partnership.

`names` holds folded and loose spellings of the title, both partners, tags and the cooperation
area; `body` the stems and lemmas of the summaries and descriptions in every language. Both
are plain space-separated ASCII tokens made in Python (`partnernet.catalogue.search`), so the
database only matches whole tokens and both databases return the same rows: PostgreSQL through a
stored generated `tsvector` ('simple', GIN index), SQLite through an FTS5 table kept in sync by
triggers (both created in migration 0002).
"""

from django.db import models

from partnernet.partnerships.models import Partnership


class SearchDocument(models.Model):
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    names = models.TextField(blank=True)
    body = models.TextField(blank=True)
    embedding = models.BinaryField(null=True, blank=True)
    embedded_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "search document"

    def __str__(self) -> str:
        return f"search document of {self.partnership_id}"


class DataVersion(models.Model):
    """One row whose `version` changes (to a random number) on every write to what the catalogue
    shows: partnerships, their tags and goals, vocabularies, municipalities and search documents.

    Database triggers (migration 0003) do the bump, so bulk updates and raw SQL are seen too;
    caches of pages, facets and the search matrix are keyed by it, and reading it is one
    primary-key lookup instead of counting the partnerships on every request."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "catalogue data version"

    def __str__(self) -> str:
        return str(self.version)


class IndexChange(models.Model):
    """One logged write to what the catalogue's facet index shows: the partnership it changed,
    or `None` for a write that may change every partnership (a vocabulary or a municipality).

    Database triggers (migration 0005) add the rows, in the writing transaction, and keep only
    the newest ones; a process whose index is older than the oldest kept row rebuilds it.
    `token` is random, so that an id reused after a rollback (SQLite) is not mistaken for the
    change the index has seen."""

    partnership_id = models.BigIntegerField(null=True)
    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "catalogue index change"

    def __str__(self) -> str:
        return f"change {self.pk} of {self.partnership_id}"
