"""The catalogue's background work (`partnernet.jobs`): a partnership's embedding is computed
after the change that altered its text, outside the request."""

from partnernet.jobs.registry import job

from .services import EMBEDDING_JOB, search_document_embed


@job(EMBEDDING_JOB)
def refresh_embeddings(partnership_id: int) -> bool:
    return search_document_embed(partnership_id=partnership_id)
