"""Writes of the catalogue: keeping the search index in step with partnership text, and the
registry's one write from its pages (an officer adds another country's government)."""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from partnernet.audit.services import audit_record
from partnernet.jobs.models import Job, JobState
from partnernet.jobs.services import job_enqueue
from partnernet.lib import embeddings
from partnernet.municipalities.models import Municipality
from partnernet.municipalities.services import municipality_add
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.projection import public_partnership

from . import search
from .models import SearchDocument

logger = logging.getLogger("partnernet.catalogue")


def _indexed() -> QuerySet[Partnership]:
    return Partnership.objects.select_related(
        "swedish_partner", "partner__country", "area", "network"
    ).prefetch_related("tags", "goals")


def document_fields(partnership: Partnership) -> dict[str, str]:
    """The normalised names and body of one partnership's public projection: a field kept
    private (partner, tags, texts) leaves no token in the search document."""
    public = public_partnership(partnership)
    names = [getattr(public, f"title_{lang}", "") or "" for lang in search.LANGUAGES]
    for municipality in (public.swedish_partner, public.partner):
        if municipality is None:
            continue
        names += search.spellings_from_search_text(municipality.search_text) + [municipality.code]
    tokens = search.name_tokens(names)
    for lang in search.LANGUAGES:
        labels = [getattr(public.area, f"name_{lang}", "") or ""]
        labels += [getattr(tag, f"name_{lang}", "") or "" for tag in public.tags.all()]
        tokens |= search.text_tokens(" ".join(labels), lang)
    tokens |= {tag.slug.replace("-", "") for tag in public.tags.all()}
    body: set[str] = set()
    for lang in search.LANGUAGES:
        texts = [getattr(public, f"{f}_{lang}", "") or "" for f in TEXTS]
        body |= search.text_tokens(" ".join(texts), lang)
    return {"names": search.join_tokens(tokens), "body": search.join_tokens(body)}


TEXTS = ("summary", "description")


def embedding_text(partnership: Partnership) -> str:
    """The text whose meaning is stored: the original language's public focus and description
    (texts kept private are neither indexed nor embedded)."""
    public = public_partnership(partnership)
    for lang in (public.source_language, *search.LANGUAGES):
        text = " ".join(getattr(public, f"{f}_{lang}", "") or "" for f in TEXTS).strip()
        if text:
            return text
    return public.title or ""


EMBEDDING_JOB = "catalogue.refresh_embeddings"


@transaction.atomic
def search_document_update(*, partnership_id: int) -> SearchDocument | None:
    """Re-index one partnership in the caller's transaction (the lexical part: names and body);
    when its text changed, its embedding is recomputed by the job `catalogue.refresh_embeddings`
    after the commit (a worker with a broker, this process right after the commit without one),
    so the model never runs inside the request."""
    partnership = _indexed().filter(pk=partnership_id).first()
    if partnership is None:
        return None
    fields: dict[str, Any] = {**document_fields(partnership)}
    text = embedding_text(partnership)
    document = SearchDocument.objects.filter(pk=partnership_id).first()
    stale = document is None or document.embedded_hash != search.text_hash(text)
    if stale:
        # The old vector goes in this transaction: it may carry the meaning of a text just
        # made private. Until the job has run, the partnership is found by its words only.
        fields.update(embedding=None, embedded_hash="")
    document, _ = SearchDocument.objects.update_or_create(
        partnership_id=partnership_id, defaults=fields
    )
    if text and (stale or document.embedding is None):
        _embedding_refresh_ask(partnership_id)
    return document


def _embedding_refresh_ask(partnership_id: int) -> None:
    """One refresh job per partnership and change: a waiting job nobody runs yet (locked here,
    so it cannot start before this commit) will read the text as committed; a job being run now
    (its row locked, skipped) may have read the text before it, so another one is asked for."""
    waiting = (
        Job.objects.select_for_update(skip_locked=True)
        .filter(
            name=EMBEDDING_JOB,
            state=JobState.PENDING,
            dispatched_at__isnull=True,
            arguments__partnership_id=partnership_id,
        )
        .exists()
    )
    if not waiting:
        job_enqueue(name=EMBEDDING_JOB, arguments={"partnership_id": partnership_id})


@transaction.atomic
def search_document_embed(*, partnership_id: int) -> bool:
    """The job's work: embed the partnership's text when its stored vector is of another text
    (or missing); idempotent, True when a vector was written. Without the model, nothing (search
    stays lexical for it)."""
    partnership = _indexed().filter(pk=partnership_id).first()
    document = SearchDocument.objects.select_for_update().filter(pk=partnership_id).first()
    if partnership is None or document is None:
        return False
    text = embedding_text(partnership)
    digest = search.text_hash(text)
    if document.embedded_hash == digest and document.embedding is not None:
        return False
    vectors = embeddings.embed_passages([text]) if text else None
    if vectors is None:
        if document.embedding is None and not document.embedded_hash:
            return False
        SearchDocument.objects.filter(pk=partnership_id).update(embedding=None, embedded_hash="")
        return False
    SearchDocument.objects.filter(pk=partnership_id).update(
        embedding=embeddings.to_bytes(vectors[0]), embedded_hash=digest
    )
    return True


def search_documents_rebuild(
    *, partnership_ids: Iterable[int] | None = None, batch_size: int = 500
) -> int:
    """Index many partnerships at once (bulk); texts shared by several are embedded once."""
    queryset = _indexed().order_by("pk")
    if partnership_ids is not None:
        queryset = queryset.filter(pk__in=list(partnership_ids))
    cache: dict[str, bytes | None] = {}
    count = 0
    for start in range(0, queryset.count(), batch_size):
        batch = list(queryset[start : start + batch_size])
        count += _index_batch(batch, cache)
    return count


def _index_batch(batch: list[Partnership], cache: dict[str, bytes | None]) -> int:
    texts = {p.pk: embedding_text(p) for p in batch}
    new = sorted({t for t in texts.values() if t and t not in cache})
    vectors = embeddings.embed_passages(new) if new else None
    for i, text in enumerate(new):
        cache[text] = embeddings.to_bytes(vectors[i]) if vectors is not None else None
    documents = [
        SearchDocument(
            partnership_id=p.pk,
            **document_fields(p),
            embedding=cache.get(texts[p.pk]),
            embedded_hash=search.text_hash(texts[p.pk]) if cache.get(texts[p.pk]) else "",
        )
        for p in batch
    ]
    with transaction.atomic():
        SearchDocument.objects.filter(pk__in=[p.pk for p in batch]).delete()
        SearchDocument.objects.bulk_create(documents)
    return len(documents)


def registry_government_add(*, actor: Any, fields: dict[str, str]) -> Municipality:
    """Add a local or regional government of another country to the registry (validated as
    an import row; `ImportRejected` lists every problem) and record who added it."""
    with transaction.atomic():
        municipality = municipality_add(fields=fields)
        audit_record(
            actor=actor,
            action="create",
            obj=municipality,
            after={
                "code": municipality.code,
                "country": municipality.country_id,
                "kind": municipality.kind,
                "official_name": municipality.official_name,
                "name_latin": municipality.name_latin,
            },
        )
    return municipality
