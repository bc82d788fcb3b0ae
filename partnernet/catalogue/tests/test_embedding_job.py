"""A partnership's embedding is computed by the job `catalogue.refresh_embeddings` after the
change that altered its text commits, not in the request: the change itself re-indexes the
words and drops the old vector (it may carry the meaning of a text just made private)."""

import pytest
from django.db import transaction

from partnernet.catalogue.models import SearchDocument
from partnernet.catalogue.search import text_hash
from partnernet.catalogue.services import (
    EMBEDDING_JOB,
    embedding_text,
    search_document_embed,
    search_documents_rebuild,
)
from partnernet.jobs.models import Job, JobState
from partnernet.lib import embeddings
from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
needs_model = pytest.mark.skipif(not embeddings.available(), reason="no embedding model")


def jobs_for(partnership: Partnership) -> list[Job]:
    return list(
        Job.objects.filter(name=EMBEDDING_JOB, arguments__partnership_id=partnership.pk).exclude(
            state=JobState.DONE
        )
    )


def document(partnership: Partnership) -> SearchDocument:
    return SearchDocument.objects.get(pk=partnership.pk)


def retitle(partnership: Partnership, summary: str) -> None:
    partnership.summary_en = partnership.summary_sv = partnership.summary_uk = summary
    partnership.save()


def test_a_rolled_back_change_asks_for_nothing_and_keeps_the_vector():
    p = Partnership.objects.get(slug="vaxjo-kalush")
    before = document(p).embedding
    with pytest.raises(RuntimeError), transaction.atomic():
        retitle(p, "Water supply and sanitation for schools.")
        raise RuntimeError("the change failed")
    assert jobs_for(p) == [] and document(p).embedding == before


def test_an_unchanged_text_asks_for_no_job():
    p = Partnership.objects.get(slug="vaxjo-kalush")
    doc = document(p)
    assert doc.embedded_hash == text_hash(embedding_text(p)) or doc.embedding is None
    p.save()
    if doc.embedding is not None:
        assert jobs_for(p) == []


@needs_model
def test_a_changed_text_is_embedded_after_the_commit_by_one_job(
    django_capture_on_commit_callbacks,
):
    p = Partnership.objects.get(slug="vaxjo-kalush")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retitle(p, "Water supply and sanitation for schools in the region.")
        p.tags.set(p.tags.all())  # a second signal in the same change
        doc = document(p)
        assert doc.embedding is None and doc.embedded_hash == ""  # dropped in the change
        assert len(jobs_for(p)) == 1  # one job however many signals
    for callback in callbacks:
        callback()
    doc = document(p)
    assert doc.embedding is not None
    assert doc.embedded_hash == text_hash(embedding_text(Partnership.objects.get(pk=p.pk)))
    assert jobs_for(p) == []
    assert search_document_embed(partnership_id=p.pk) is False  # done: nothing to do again


def test_the_job_for_a_missing_partnership_does_nothing():
    assert search_document_embed(partnership_id=999_999) is False


@needs_model
def test_a_bulk_rebuild_embeds_inline_and_asks_for_no_jobs():
    ids = list(Partnership.objects.values_list("pk", flat=True)[:3])
    SearchDocument.objects.filter(pk__in=ids).update(embedding=None, embedded_hash="")
    waiting = Job.objects.filter(name=EMBEDDING_JOB, state=JobState.PENDING).count()
    assert search_documents_rebuild(partnership_ids=ids) == 3
    assert not SearchDocument.objects.filter(pk__in=ids, embedding__isnull=True).exists()
    assert Job.objects.filter(name=EMBEDDING_JOB, state=JobState.PENDING).count() == waiting
