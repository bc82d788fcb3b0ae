"""Text search at scale: every hit kept (no truncation), the vectorised ranking equal to the
per-hit `search.combined_score` ranking, the embedding matrix built once per version and shared
through files, rebuilt incrementally, and search correct under eight threads."""

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import numpy as np
import pytest
from django.db import connections

from partnernet.catalogue import facets, matrix_store, search, search_index, shared_files
from partnernet.catalogue.models import SearchDocument
from partnernet.catalogue.plan import query_plan
from partnernet.catalogue.services import search_documents_rebuild
from partnernet.lib import embeddings, lemmas
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Partnership

QUERIES = [
    "water",
    "vatten",
    "громади",
    "vattenförsörjning Kolomyia",
    "демократична освіта",
    "crisis preparedness",
    "skola",
    "Kherson",
    "Херсон",
    "participation",
    "jämställdhet",
    "молодь",
    "zzzz-no-such-word",
]


def naive_ranking(q: str) -> list[int]:
    """The ranking as it was written before vectorising, without the 500 limit: one
    `combined_score` call per hit, sorted by (score, id)."""
    plan = query_plan(q)
    hits = search_index.lexical_hits(plan)
    ids, cosines = search_index.semantic_scores(plan)
    cosine_of: dict[int, float] = {}
    close = search.semantic_rows(cosines) if len(ids) else []
    for row in close:
        cosine_of[int(ids[row])] = float(cosines[row])
    row_of = {int(pk): i for i, pk in enumerate(ids.tolist())}
    for pk in hits:
        if pk in row_of:
            cosine_of[pk] = float(cosines[row_of[pk]])
    scores = {
        pk: search.combined_score(
            lexical=(2 if hits[pk] else 1) if pk in hits else 0, cosine=cosine_of.get(pk)
        )
        for pk in set(hits) | set(cosine_of)
    }
    return sorted(scores, key=lambda pk: (-scores[pk], pk))


def tokens_of(document: SearchDocument) -> tuple[set[str], set[str]]:
    return set(document.names.split()), set(document.body.split())


def naive_hits(q: str) -> dict[int, bool]:
    """Every document holding one token of each query group → whether all are in the names;
    read from the stored texts, not the full-text index."""
    groups = query_plan(q).groups
    hits: dict[int, bool] = {}
    for document in SearchDocument.objects.all():
        names, body = tokens_of(document)
        if groups and all(set(g) & (names | body) for g in groups):
            hits[document.pk] = all(set(g) & names for g in groups)
    return hits


def clone_partnerships(count: int) -> list[int]:
    """`count` more published partnerships, copies of the seed's (same texts, new rows)."""
    originals = list(Partnership.objects.order_by("pk"))
    used = set(Partnership.objects.values_list("swedish_partner_id", "partner_id", "network_id"))
    partners = itertools.cycle(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    made = []
    for i in range(count):
        copy = originals[i % len(originals)]
        # One partnership per pair in a network: the copy gets another partner municipality.
        copy.partner_id = next(
            pk for pk in partners if (copy.swedish_partner_id, pk, copy.network_id) not in used
        )
        used.add((copy.swedish_partner_id, copy.partner_id, copy.network_id))
        copy.pk = None
        copy.id = None
        copy.slug = f"{copy.slug[:40]}-copy-{i}"
        copy.save()
        made.append(copy.pk)
    search_documents_rebuild(partnership_ids=made)
    return made


@pytest.fixture
def many(db):
    return clone_partnerships(520)


def test_an_unknown_word_and_an_empty_query_find_nothing(db):
    assert search_index.search_ranking(query_plan("zzzz-no-such-word")) == [] or all(
        pk not in search_index.lexical_hits(query_plan("zzzz-no-such-word"))
        for pk in search_index.search_ranking(query_plan("zzzz-no-such-word"))
    )
    ids, names = search_index.lexical_arrays(query_plan(""))
    assert len(ids) == len(names) == 0


def test_lexical_hits_agree_with_the_stored_texts(db):
    checked = 0
    for q in QUERIES:
        expected = naive_hits(q)
        assert search_index.lexical_hits(query_plan(q)) == expected, q
        checked += len(expected)
    assert checked > 5  # not vacuous


def test_a_broad_query_keeps_every_hit_beyond_five_hundred(many):
    plan = query_plan("partnership partnerskap партнерство")
    everyone = search_index.lexical_hits(query_plan(plan.text))
    if len(everyone) <= 500:  # the seed's words differ: fall back to the commonest token
        counts: dict[str, int] = {}
        for document in SearchDocument.objects.all():
            for token in set(document.names.split()) | set(document.body.split()):
                counts[token] = counts.get(token, 0) + 1
        word = max(counts, key=lambda t: (counts[t], t))
        plan = query_plan(word)
    ranking = search_index.search_ranking(plan)
    hits = naive_hits(plan.text)
    assert len(hits) > 500
    assert set(hits) <= set(ranking)
    assert len(ranking) == len(set(ranking))


def test_the_vectorised_ranking_equals_one_score_per_hit(many):
    compared = 0
    for q in QUERIES:
        assert search_index.search_ranking(query_plan(q)) == naive_ranking(q), q
        compared += len(naive_ranking(q))
    assert compared > 500


def test_semantic_only_hits_stay_capped(db):
    plan = query_plan("cooperation between towns")
    with (
        mock.patch.object(search, "SEMANTIC_FLOOR", -1.0),
        mock.patch.object(search, "SEMANTIC_MARGIN", 10.0),
    ):
        ranking = search_index.search_ranking(plan)
    if plan.embedding is None:
        pytest.skip("no embedding model")
    lexical = search_index.lexical_hits(plan)
    assert len([pk for pk in ranking if pk not in lexical]) <= search.SEMANTIC_LIMIT


@pytest.fixture
def shared_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    matrix_store.forget()
    yield tmp_path
    matrix_store.forget()


def file_version() -> tuple:
    """A version with a database identity, so that the store uses files even for a test
    database in memory."""
    return ("default", "pn-test-matrix", search_index.index_version()[2])


def test_one_build_per_version_however_many_threads_miss_together(db, shared_dir):
    version = search_index.index_version()
    real = matrix_store.build
    with mock.patch.object(matrix_store, "build", side_effect=real) as built:
        start = threading.Barrier(8)

        def run(_):
            start.wait()
            return matrix_store.matrix(version).ids.tolist()

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(run, range(8)))
    assert built.call_count == 1
    assert all(r == results[0] for r in results)


def test_another_process_maps_the_file_instead_of_building(db, shared_dir):
    with mock.patch.object(shared_files, "database_tag", return_value="t" * 16):
        version = file_version()
        first = matrix_store.matrix(version)
        matrix_store.forget()  # as a second worker: nothing in memory
        with mock.patch.object(matrix_store, "build") as built:
            second = matrix_store.matrix(version)
        assert built.call_count == 0
    assert isinstance(second.vectors, np.memmap)
    assert not second.vectors.flags.writeable
    assert np.array_equal(first.ids, second.ids)
    assert np.array_equal(np.asarray(first.vectors), np.asarray(second.vectors))
    assert not list(shared_dir.glob("search-matrix/*.tmp-*"))


def test_an_incremental_build_equals_one_from_scratch(db, shared_dir):
    previous = matrix_store.build(("v", "db", 1))
    assert len(previous.ids) >= 2
    gone, changed = previous.ids[0].item(), previous.ids[1].item()
    SearchDocument.objects.filter(pk=gone).delete()
    vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    vector[7] = 1.0
    SearchDocument.objects.filter(pk=changed).update(
        embedding=embeddings.to_bytes(vector), embedded_hash="c" * 64
    )
    with mock.patch.object(
        matrix_store, "_read_vectors", side_effect=matrix_store._read_vectors
    ) as partial:
        incremental = matrix_store.build(("v", "db", 2), previous=previous)
    scratch = matrix_store.build(("v", "db", 3))
    assert partial.call_count == 1
    assert partial.call_args.args[0].tolist() == [changed]  # only the changed row is read
    assert gone not in incremental.ids.tolist()
    assert np.array_equal(incremental.ids, scratch.ids)
    assert np.array_equal(np.asarray(incremental.vectors), np.asarray(scratch.vectors))
    row = incremental.ids.tolist().index(changed)
    assert incremental.vectors[row][7] * incremental.scales[row] == pytest.approx(1.0)
    assert np.array_equal(incremental.scales, scratch.scales)


@pytest.mark.parametrize("vendor_shared", [False, True])
@pytest.mark.parametrize("one_gone", [False, True])
def test_after_a_write_the_matrix_is_patched_from_the_change_log_and_equals_a_fresh_one(
    db, shared_dir, vendor_shared, one_gone
):
    tag = "t" * 16 if vendor_shared else None
    with mock.patch.object(shared_files, "database_tag", return_value=tag):
        matrix_store.forget()
        facets.facet_index()  # the catalogue's index of this version (pages build it)
        before = matrix_store.matrix(search_index.index_version())
        assert len(before.ids) >= 3
        gone, changed, other = before.ids[:3].tolist()
        vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
        vector[5] = 1.0
        SearchDocument.objects.filter(pk=changed).update(
            embedding=embeddings.to_bytes(vector), embedded_hash="d" * 64
        )
        if one_gone:
            SearchDocument.objects.filter(pk=gone).delete()
        version = search_index.index_version()
        with mock.patch.object(matrix_store, "_fingerprints") as every_row:
            patched = matrix_store.matrix(version)
        assert not every_row.called  # only the changed partnerships' documents were read
        scratch = matrix_store.build(version)
    assert patched.version == version
    assert np.array_equal(patched.ids, scratch.ids)
    assert (gone in patched.ids.tolist()) != one_gone
    # An edit goes to the overlay (the files' matrix is not copied); a removal rewrites it.
    assert len(patched.overlay_rows) == (0 if one_gone else 1)
    vectors, scales = patched.dense()
    assert np.array_equal(np.asarray(vectors), np.asarray(scratch.vectors))
    assert np.array_equal(scales, scratch.scales)
    assert np.array_equal(patched.fingerprints, scratch.fingerprints)
    row = patched.ids.tolist().index(changed)
    assert vectors[row][5] * scales[row] == pytest.approx(1.0)
    assert other in patched.ids.tolist()
    # The scores through the overlay are those of the whole matrix written afresh.
    query = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    query[5] = 1.0
    assert np.array_equal(patched.scores(query), scratch.scores(query))
    assert patched.scores(query)[row] == pytest.approx(1.0, abs=0.02)


def test_a_new_version_replaces_the_old_files(db, shared_dir):
    with mock.patch.object(shared_files, "database_tag", return_value="t" * 16):
        matrix_store.matrix(("default", "pn", 1))
        matrix_store.matrix(("default", "pn", 2))
    assert len([p for p in (shared_dir / "search-matrix").iterdir() if p.is_dir()]) == 1


def test_the_query_cache_can_be_cleared_so_queries_are_embedded_anew():
    calls = []

    class Model:
        def query(self, text):
            calls.append(text)
            return np.ones(embeddings.DIMENSIONS, dtype=np.float32)

    embeddings.clear_query_cache()
    with mock.patch.object(embeddings, "_model", return_value=Model()):
        embeddings.embed_query("vatten")
        embeddings.embed_query("vatten")
        embeddings.clear_query_cache()
        embeddings.embed_query("vatten")
    embeddings.clear_query_cache()
    assert calls == ["vatten", "vatten"]


class FakeModel:
    """A cheap deterministic embedding (a hashed bag of words), so that the threads test can
    run thousands of searches; the real model runs in the smaller test below."""

    def query(self, text: str) -> np.ndarray:
        vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
        for word in text.lower().split():
            vector[sum(word.encode()) % embeddings.DIMENSIONS] += 1.0
        return vector / max(float(np.linalg.norm(vector)), 1e-9)


THREAD_QUERIES = [
    *QUERIES,
    "vattenförsörjningen i kommunerna",
    "демократії та освіти",
    "waste management water supply",
    "jämställd stadsplanering Cherson",
    "молодь та цифрова комунікація",
    "local democracy",
    "avfallshantering",
    "стійкість громад",
]


def hammer(per_thread: int) -> None:
    version = search_index.index_version()

    def rank(q: str) -> list[int]:
        return search_index.search_ranking(query_plan(q), version)

    expected = {q: rank(q) for q in THREAD_QUERIES}
    assert sum(1 for r in expected.values() if r) >= len(THREAD_QUERIES) // 2  # not vacuous
    lemmas.lemma_uk.cache_clear()
    embeddings.clear_query_cache()
    matrix_store.forget()  # the threads also race for the matrix build
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def run(offset: int) -> int:
        start.wait()
        wrong = 0
        try:
            for i in range(per_thread):
                q = THREAD_QUERIES[(offset + i) % len(THREAD_QUERIES)]
                try:
                    if rank(q) != expected[q]:
                        wrong += 1
                except BaseException as exc:  # counted, not raised: every thread must finish
                    errors.append(exc)
        finally:
            connections.close_all()  # each thread has its own connection
        return wrong

    with ThreadPoolExecutor(8) as pool:
        wrong = sum(pool.map(run, range(8)))
    assert not errors, errors[:3]
    assert wrong == 0


# The seed only: each thread has its own connection, which sees committed rows only.
def test_eight_threads_thousand_searches_each_rank_as_one_thread(
    db, shared_dir, eager_thread_switching
):
    embeddings.clear_query_cache()
    with mock.patch.object(embeddings, "_model", return_value=FakeModel()):
        hammer(per_thread=1_000)
    embeddings.clear_query_cache()


def test_eight_threads_with_the_real_model_rank_as_one_thread(
    db, shared_dir, eager_thread_switching
):
    if not embeddings.available():
        pytest.skip("no embedding model")
    hammer(per_thread=len(THREAD_QUERIES))


@pytest.mark.parametrize("limit", [matrix_store.OVERLAY_LIMIT, 1])
def test_edits_patched_twice_are_mapped_by_another_process_with_the_same_scores(
    db, shared_dir, limit
):
    query = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    query[3] = 1.0
    with (
        mock.patch.object(shared_files, "database_tag", return_value="o" * 16),
        mock.patch.object(matrix_store, "OVERLAY_LIMIT", limit),
    ):
        facets.facet_index()
        first = matrix_store.matrix(search_index.index_version())
        edited = first.ids[:2].tolist()
        for turn, pk in enumerate(edited + edited[:1]):  # the first one twice
            vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
            vector[3 + turn] = 1.0
            SearchDocument.objects.filter(pk=pk).update(
                embedding=embeddings.to_bytes(vector), embedded_hash=f"{turn}" * 64
            )
            facets.facet_index()
            patched = matrix_store.matrix(search_index.index_version())
        version = search_index.index_version()
        matrix_store.forget()  # another worker: maps the files the patches wrote
        with mock.patch.object(matrix_store, "_fingerprints") as every_row:
            mapped = matrix_store.matrix(version)
        assert not every_row.called
        scratch = matrix_store.build(version)
    # Within the limit the two edited rows stay beside the files; with a limit of one the
    # second edit wrote the matrix whole and the third began a new overlay.
    assert len(patched.overlay_rows) == (2 if limit > 1 else 1)
    assert len(mapped.overlay_rows) == len(patched.overlay_rows)
    assert isinstance(mapped.vectors, np.memmap)
    for found in (patched, mapped):
        assert np.array_equal(found.scores(query), scratch.scores(query))
        assert np.array_equal(found.dense()[0], np.asarray(scratch.vectors))
    # The first document's newest vector (turn 2: index 5) won over its first (index 3).
    row = scratch.ids.tolist().index(edited[0])
    assert mapped.scores(query)[row] == pytest.approx(0.0, abs=0.02)
