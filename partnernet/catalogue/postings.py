"""Whole-token matching from memory: the inverted index of every search document, per data
version, shared between processes.

The database's full-text indexes (GIN, FTS5) return ids only, but a broad query still made
PostgreSQL visit every matching row (25 000 heap rows, 90 ms, for "urban planning" at 100 000
partnerships). Here each token of the documents maps to the rows that hold it, so a query is a
few array slices and boolean operations however many partnerships match:

- two inverted indexes, every token (names and texts, as the tsvector and FTS5 hold them) and
  the names' tokens only; a token is found by a 64-bit hash (searchsorted) and then compared
  byte for byte, so a collision can never match a wrong token;
- built once from every document (`_built`), written to files that every process maps
  read-only (`shared_files`), so a worker touches only the pages of the tokens it is asked for;
- patched after a write: the partnerships the change log names since the index was made
  (`facets.changed_since`) are read again and kept beside the files (their rows in the files are
  void), up to `OVERLAY_LIMIT` partnerships, after which the index is built again once. A patch
  is written too (the files linked, not copied), so a process that starts later maps it.

Results are those of the database's indexes, hit by hit (`tests/test_postings.py`).
"""

import hashlib
import json
import logging
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from partnernet.lib.singleflight import PerVersion

from . import facets, shared_files
from .models import SearchDocument

logger = logging.getLogger("partnernet.catalogue")
DIRECTORY = "search-postings"
LAYOUT = "postings-1"
OVERLAY_LIMIT = 2_000  # partnerships re-read since the files were built
_BATCH = 2_000
_FILL = 1 << 20  # postings placed at a time while building
_PARTS = ("hashes", "text", "starts", "offsets", "rows")


def token_hash(token: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(token, digest_size=8).digest(), "little", signed=True)


@dataclass(frozen=True)
class Inverted:
    """Token → rows. Token k (in the order of `hashes`, ascending) is
    `text[starts[k]:starts[k+1]]`; its rows are `rows[offsets[k]:offsets[k+1]]`."""

    hashes: np.ndarray  # int64, ascending
    text: np.ndarray  # uint8
    starts: np.ndarray  # int64
    offsets: np.ndarray  # int64
    rows: np.ndarray  # int32

    def code(self, token: str) -> int:
        """The token's position, -1 when no document holds it."""
        raw = token.encode()
        wanted = token_hash(raw)
        k = int(np.searchsorted(self.hashes, wanted))
        while k < len(self.hashes) and int(self.hashes[k]) == wanted:
            if self.text[int(self.starts[k]) : int(self.starts[k + 1])].tobytes() == raw:
                return k
            k += 1
        return -1

    def mask(self, groups: Sequence[Sequence[str]], size: int) -> np.ndarray:
        """Rows holding, for every group, at least one of its tokens."""
        matched = np.ones(size, dtype=bool)
        for group in groups:
            any_of = np.zeros(size, dtype=bool)
            for token in group:
                k = self.code(token)
                if k >= 0:
                    any_of[self.rows[int(self.offsets[k]) : int(self.offsets[k + 1])]] = True
            matched &= any_of
        return matched


@dataclass(frozen=True)
class Postings:
    """Every search document's tokens as of `version`: the files' rows (`ids`, ascending) less
    the `void` ones, plus the documents re-read since (`fresh`: id → every token, names' tokens).
    `changes` is the change log's state the index reflects."""

    version: tuple
    ids: np.ndarray
    everywhere: Inverted
    names: Inverted
    void: np.ndarray  # bool per row: the partnership was re-read (or its document removed)
    fresh: dict[int, tuple[frozenset[str], frozenset[str]]]
    changes: facets.ChangeState
    files: Path | None = None  # the directory of the built files, when shared

    def hits(self, groups: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(ids ascending, whether every group is in the names) of the documents holding a token
        of every group."""
        if not groups:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        size = len(self.ids)
        everywhere = self.everywhere.mask(groups, size) & ~self.void
        rows = np.flatnonzero(everywhere)
        ids = self.ids[rows]
        in_names = self.names.mask(groups, size)[rows]
        extra = [
            (pk, all(any(t in names for t in group) for group in groups))
            for pk, (tokens, names) in self.fresh.items()
            if all(any(t in tokens for t in group) for group in groups)
        ]
        if not extra:
            return ids, in_names
        extra_ids = np.fromiter((pk for pk, _ in extra), dtype=np.int64, count=len(extra))
        extra_names = np.fromiter((n for _, n in extra), dtype=bool, count=len(extra))
        all_ids = np.concatenate([ids, extra_ids])
        order = np.argsort(all_ids, kind="stable")
        return all_ids[order], np.concatenate([in_names, extra_names])[order]


_latest: PerVersion[Postings] = PerVersion()


def postings(version: tuple) -> Postings:
    """The index of `version`: kept, mapped from another process's files, patched or built."""
    return _latest.get(version, lambda previous: _refreshed(previous, version))


def forget() -> None:
    """Drop this process's index (tests, benchmarks): the next search maps or builds again."""
    _latest.keep(None)


def _refreshed(previous: Postings | None, version: tuple) -> Postings:
    """Patched from this process's previous index when the change log names what changed
    (a read of those documents only), else mapped from the files of `version`, else patched
    from the newest files or built. A version no file holds yet is written for processes that
    start later."""
    tag = shared_files.database_tag(version)
    patched = _patch(previous, version)
    if tag is None:
        return patched or _built(version)
    root = shared_files.directory(DIRECTORY)
    final = shared_files.version_path(root, tag, LAYOUT, version)
    with shared_files.locked(root, tag):
        if (final / "meta.json").exists():
            if patched is not None:
                return patched
            try:
                return _load(final, version)
            except (OSError, ValueError, KeyError):
                logger.warning("search postings at %s unreadable: built again", final)
        if patched is None:
            on_disk = _newest_on_disk(root, tag, version)
            patched = _patch(on_disk, version) or _built(version)
        _write(patched, final)
        shared_files.clean(root, tag, keep=final)
        return _load(final, version, patched)


def _patch(previous: Postings | None, version: tuple) -> Postings | None:
    """`previous` patched to `version`, None when the change log cannot say what changed or
    more than `OVERLAY_LIMIT` partnerships would be kept aside (then it is built again)."""
    if previous is None or previous.version[:2] != version[:2]:
        return None
    changed = facets.changed_since(previous.changes, limit=OVERLAY_LIMIT)
    if changed is None:
        return None
    pks, state = changed
    if (
        len(set(previous.fresh) | pks) > OVERLAY_LIMIT
        or int(previous.void.sum()) + len(pks) > OVERLAY_LIMIT
    ):
        return None
    return _patched(previous, version, pks, state)


def _patched(
    previous: Postings, version: tuple, pks: frozenset[int], state: facets.ChangeState
) -> Postings:
    """`previous` with the documents of `pks` read again (added, changed or removed)."""
    started = time.perf_counter()
    fresh = {pk: tokens for pk, tokens in previous.fresh.items() if pk not in pks}
    rows = SearchDocument.objects.filter(pk__in=sorted(pks)).values_list("pk", "names", "body")
    for pk, names, body in rows:
        name_tokens = frozenset(names.split())
        fresh[pk] = (name_tokens | frozenset(body.split()), name_tokens)
    void = previous.void.copy()
    if len(previous.ids) and pks:
        wanted = np.fromiter(sorted(pks), dtype=np.int64, count=len(pks))
        at = np.searchsorted(previous.ids, wanted).clip(0, len(previous.ids) - 1)
        void[at[previous.ids[at] == wanted]] = True
    void.setflags(write=False)
    logger.info(
        "search postings (patch): %d re-read, %d kept aside, %.0f ms",
        len(pks),
        len(fresh),
        (time.perf_counter() - started) * 1000,
    )
    return replace(previous, version=version, void=void, fresh=fresh, changes=state)


class _Collector:
    """Token codes of one inverted index as documents are read, 4 bytes a token."""

    def __init__(self) -> None:
        self.vocabulary: dict[bytes, int] = {}
        self.codes = array("i")
        self.counts = array("i")

    def add(self, tokens: set[bytes]) -> None:
        vocabulary = self.vocabulary
        self.codes.extend([vocabulary.setdefault(t, len(vocabulary)) for t in tokens])
        self.counts.append(len(tokens))

    def inverted(self) -> Inverted:
        """The index of what was added. The rows are placed token by token in slices of
        `_FILL` postings (a counting sort), so building never holds more than the codes, the
        result and one slice's work: about 80 MB above the vocabulary at 100 000 documents,
        where one argsort of every posting took 300 MB."""
        tokens = list(self.vocabulary)
        self.vocabulary = {}
        hashes = np.fromiter((token_hash(t) for t in tokens), dtype=np.int64, count=len(tokens))
        order = np.argsort(hashes, kind="stable")
        rank = np.empty(len(tokens), dtype=np.int32)
        rank[order] = np.arange(len(tokens), dtype=np.int32)
        codes = np.frombuffer(self.codes, dtype=np.int32) if len(self.codes) else rank[:0]
        counts = np.bincount(rank[codes], minlength=len(tokens)) if len(codes) else rank[:0]
        offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        ends = np.cumsum(np.frombuffer(self.counts, dtype=np.int32), dtype=np.int64)
        rows = np.empty(len(codes), dtype=np.int32)
        cursor = offsets[:-1].copy()  # where the next row of each token goes
        for start in range(0, len(codes), _FILL):
            part = rank[codes[start : start + _FILL]]
            # The document of each posting: postings are in document order.
            owners = np.searchsorted(ends, np.arange(start, start + len(part)), side="right")
            by_token = np.argsort(part, kind="stable")
            sorted_part = part[by_token]
            first = np.searchsorted(sorted_part, sorted_part, side="left")
            at = cursor[sorted_part] + (np.arange(len(part)) - first)
            rows[at] = owners[by_token]
            cursor += np.bincount(part, minlength=len(tokens))
        starts = np.zeros(len(tokens) + 1, dtype=np.int64)
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        np.cumsum(lengths[order], out=starts[1:])
        text = np.frombuffer(b"".join([tokens[k] for k in order.tolist()]), dtype=np.uint8)
        return Inverted(hashes[order], text, starts, offsets, rows)


def _built(version: tuple) -> Postings:
    """The index of every search document, read in batches."""
    started = time.perf_counter()
    state = facets.current_change_state()  # first: a change committed meanwhile is seen again
    everywhere, names = _Collector(), _Collector()
    ids = array("q")
    rows = SearchDocument.objects.order_by("pk").values_list("pk", "names", "body")
    for pk, name_text, body in rows.iterator(chunk_size=_BATCH):
        # Bytes, not str: a third less memory for the vocabulary while building.
        name_tokens = set(name_text.encode().split())
        names.add(name_tokens)
        name_tokens.update(body.encode().split())
        everywhere.add(name_tokens)
        ids.append(pk)
    made = Postings(
        version=version,
        ids=np.frombuffer(ids, dtype=np.int64).copy() if len(ids) else np.zeros(0, np.int64),
        everywhere=everywhere.inverted(),
        names=names.inverted(),
        void=np.zeros(len(ids), dtype=bool),
        fresh={},
        changes=state,
    )
    logger.info(
        "search postings (build): %d documents, %d tokens, %.0f ms",
        len(ids),
        len(made.everywhere.rows),
        (time.perf_counter() - started) * 1000,
    )
    return made


def _write(made: Postings, final: Path) -> None:
    """The files of `made`: the built arrays (linked when they are another version's), the
    void rows and the re-read documents."""
    arrays: dict[str, np.ndarray] = {"void": np.flatnonzero(made.void)}
    links: dict[str, Path] = {}
    if made.files is not None and (made.files / "ids.npy").exists():
        for name in ("ids", *(f"{p}_{k}" for p in ("all", "names") for k in _PARTS)):
            links[f"{name}.npy"] = made.files / f"{name}.npy"
    else:
        arrays["ids"] = made.ids
        for prefix, inverted in (("all", made.everywhere), ("names", made.names)):
            for part in _PARTS:
                arrays[f"{prefix}_{part}"] = getattr(inverted, part)
    meta = {
        "fresh": {str(pk): [sorted(a), sorted(n)] for pk, (a, n) in made.fresh.items()},
        "changes": [made.changes.last, sorted(made.changes.seen)],
    }
    shared_files.write_arrays(final, arrays, links, texts={"meta.json": json.dumps(meta)})


def _load(path: Path, version: tuple, known: Postings | None = None) -> Postings:
    """The index in `path`, its arrays mapped; the re-read documents and the log's state from
    `known` when this process has just written them."""
    ids = np.load(path / "ids.npy")

    def inverted(prefix: str) -> Inverted:
        parts = {p: np.load(path / f"{prefix}_{p}.npy", mmap_mode="r") for p in _PARTS}
        return Inverted(**parts)

    void = np.zeros(len(ids), dtype=bool)
    void[np.load(path / "void.npy")] = True
    void.setflags(write=False)
    if known is not None:
        fresh, changes = known.fresh, known.changes
    else:
        meta = json.loads((path / "meta.json").read_text())
        last, seen = meta["changes"]
        fresh = {int(pk): (frozenset(a), frozenset(n)) for pk, (a, n) in meta["fresh"].items()}
        changes = facets.ChangeState(last, frozenset((i, t) for i, t in seen))
    return Postings(
        version=version,
        ids=ids,
        everywhere=inverted("all"),
        names=inverted("names"),
        void=void,
        fresh=fresh,
        changes=changes,
        files=path,
    )


def _newest_on_disk(root: Path, tag: str, version: tuple) -> Postings | None:
    """The newest index another process wrote for this database (patched from it when the
    change log still covers it)."""
    for path in shared_files.others(root, tag):
        try:
            return _load(path, (*version[:2], "previous"))
        except (OSError, ValueError, KeyError):
            continue
    return None
