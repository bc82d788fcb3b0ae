"""Facet counts, filters and sort orders for the catalogue, from one in-memory index.

The published partnerships' public facts are read once per data version and kept as numpy
arrays over row positions (rows ordered by id): per facet, the (row, value) pairs grouped by
value; per row, the folded sort keys. Filters are boolean masks (OR within a facet, AND across
facets), counts are `bincount`s, sort orders are computed once per (order, language) and a
subset is ordered by masking the full order. At 100 000 partnerships the index holds no Python
object per partnership.

A write that changes a few partnerships patches their rows instead of rebuilding: database
triggers (migration 0005) log the id of every changed partnership in `IndexChange`, and the
index re-reads only those partnerships' public projections (see `_refreshed`).
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
from django.db import connection
from django.utils.translation import get_language

from partnernet.lib.singleflight import PerVersion
from partnernet.municipalities.countries import COUNTRIES
from partnernet.municipalities.models import Country, Municipality, Region
from partnernet.partnerships.models import CooperationArea, Goal, Network, Partnership, Tag
from partnernet.partnerships.projection import PublicFacts
from partnernet.partnerships.selectors import partnership_public_facts

from .filters import MULTI, CatalogueQuery
from .models import DataVersion, IndexChange

MUNICIPALITY_OPTIONS = 25
EXTRA = ("region",)  # counted for the home page's charts, not offered as a filter
FACETS = (*MULTI, *EXTRA)
LANGUAGES = ("sv", "en", "uk")
# Changes that are patched rather than rebuilt, and how far back late commits are looked for.
PATCH_LIMIT = 500
WINDOW = 1000
KEEP = 10_000  # rows the triggers keep in the change log (migration 0005)
# Text columns hold Python strings (object arrays): a patch copies, concatenates and reorders
# them as pointers (1-2 ms at 100 000 rows, against 80-170 ms for numpy's StringDType, which
# copies every string), and comparisons and lexsort cost about the same.
STRINGS = np.dtype(object)
_latest: PerVersion["FacetIndex"] = PerVersion()
builds = {"full": 0, "patch": 0, "in place": 0}  # counted for the single-flight and refresh tests


@dataclass(frozen=True)
class FacetOption:
    value: str | int
    label: str
    count: int
    selected: bool
    colour: str = ""


@dataclass(frozen=True)
class SortKeys:
    """The sort keys of one partnership: only an input of `index_from_sets` (hand-built indexes
    in tests); the index itself keeps them as arrays."""

    titles: dict[str, str]
    start: date | None
    swedish: dict[str, str]  # names per language, like the titles
    partner: dict[str, str] | None
    slug: str


@dataclass(frozen=True, eq=False)
class Facet:
    """The (row, value) pairs of one facet, grouped by value: the rows having `values[k]` are
    `rows[offsets[k]:offsets[k + 1]]`, each once."""

    values: list
    rows: np.ndarray  # int64 row positions
    codes: np.ndarray  # int64 value code of each pair
    offsets: np.ndarray  # int64, len(values) + 1

    @cached_property
    def lookup(self) -> dict:
        return {value: k for k, value in enumerate(self.values)}


@dataclass(frozen=True, eq=False)
class Columns:
    """The public facts of every row, ordered by id: what a patch keeps and what the sort
    orders are computed from."""

    ids: np.ndarray  # int64, sorted
    titles: dict[str, np.ndarray]  # folded, per language ("" where missing)
    slugs: np.ndarray
    starts: np.ndarray  # int64 proleptic ordinal, 0: no public start
    swedish: np.ndarray  # int64 position in `municipalities`
    partner: np.ndarray  # int64 position in `municipalities`, -1: none or private
    municipalities: list[str]  # codes, sorted
    names: dict[str, np.ndarray]  # folded names of `municipalities` per language


class FacetIndex:
    """The public facts of every published partnership, per data version. Filters, counts,
    sorting, charts and per-municipality lists all read it, so they agree with each other and
    with the public projection."""

    def __init__(
        self,
        version: tuple,
        columns: Columns,
        facets: dict[str, Facet],
        changes: "ChangeState | None" = None,
        vocabulary: tuple | None = None,
    ):
        self.version = version
        # The version of the last full build: a patch re-reads partnerships only, so what they
        # point to (vocabularies, municipalities; their writes force a full build) is as then.
        self.vocabulary = vocabulary or version
        # (the version patched, the partnerships re-read) when this index is a patch: what
        # else is kept per version (the search matrix) can be patched the same way.
        self.patched_from: tuple[tuple, frozenset[int]] | None = None
        self.columns = columns
        self.facets = facets
        self.changes = changes
        self._orders: dict[tuple[str, str], np.ndarray] = {}
        self._orders_lock = threading.RLock()

    @property
    def ids(self) -> np.ndarray:
        """Ids of the published partnerships, ascending."""
        return self.columns.ids

    def __len__(self) -> int:
        return len(self.columns.ids)

    def values(self, name: str) -> list:
        """The values of facet `name` that at least one published partnership has."""
        return list(self.facets[name].values)

    def value_counts(self, name: str) -> dict:
        """Value → number of published partnerships having it."""
        facet = self.facets[name]
        return dict(zip(facet.values, np.diff(facet.offsets).tolist(), strict=True))

    def rows_with(self, name: str, values: Iterable) -> np.ndarray:
        """Row mask of the partnerships having any of `values` in facet `name`."""
        facet = self.facets[name]
        mask = np.zeros(len(self), dtype=bool)
        for value in values:
            k = facet.lookup.get(value)
            if k is not None:
                mask[facet.rows[facet.offsets[k] : facet.offsets[k + 1]]] = True
        return mask

    def rows_of(self, ids: Iterable[int]) -> np.ndarray:
        """Row mask of `ids` (ids not in the index are ignored)."""
        wanted = id_array(ids)
        mask = np.zeros(len(self), dtype=bool)
        if len(self) and len(wanted):
            positions = np.searchsorted(self.ids, wanted).clip(0, len(self) - 1)
            mask[positions[self.ids[positions] == wanted]] = True
        return mask

    def order(self, sort: str, language: str) -> np.ndarray:
        """Every row in the order `sort` (computed once per index, order and language)."""
        language = language if language in LANGUAGES else "sv"
        if sort not in ("swedish_partner", "partner", "start", "-start"):
            sort = "title"
        key = (sort, language)
        order = self._orders.get(key)
        if order is None:
            with self._orders_lock:
                order = self._orders.get(key)
                if order is None:
                    order = self._orders[key] = _order(self, sort, language)
        return order

    # Labels are read only by pages that show facets or charts (the API and the open data
    # never need them), on first use; computing them twice in a race is harmless.
    @cached_property
    def labels(self) -> dict[str, dict]:
        return _labels(self)

    @cached_property
    def colours(self) -> dict[int, str]:
        return dict(Goal.objects.values_list("number", "colour"))


@dataclass(frozen=True)
class ChangeState:
    """Which logged changes an index reflects: every change up to `last`, and exactly the
    change ids `seen` among the recent ones (a later commit of an earlier id is found as a
    recent id not seen; a rolled-back one as a seen id that is gone)."""

    last: int
    seen: frozenset[tuple[int, int]]  # (id, token)


def data_version() -> tuple:
    """Changes with any write to what the catalogue shows, bulk updates and raw SQL included:
    database triggers set `DataVersion.version` to a new random value (migration 0003), so
    this is one primary-key read per request."""
    table = DataVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = 1")  # noqa: S608  (model table name)
        row = cursor.fetchone()
    return (connection.alias, connection.settings_dict["NAME"], row[0] if row else None)


def facet_index(version: tuple | None = None) -> FacetIndex:
    """The index of data version `version` (default: the current one): built or patched once
    per version and process, however many threads ask at once."""
    version = version or data_version()
    return _latest.get(version, lambda cached: _refreshed(cached, version))


def _refreshed(cached: FacetIndex | None, version: tuple) -> FacetIndex:
    """A patch of `cached` when the logged changes since it name a few partnerships, else a
    rebuild (first build, another database, a vocabulary or municipality write, a bulk import,
    a process too far behind the log, a rolled-back change it had seen, an unlogged write)."""
    if cached is None or cached.changes is None or cached.version[:2] != version[:2]:
        return _build(version)
    changed = changed_since(cached.changes)
    if changed is None:
        return _build(version)
    pks, state = changed
    return _patched(cached, version, set(pks), state)


def changed_since(
    state: ChangeState, limit: int | None = None
) -> tuple[frozenset[int], ChangeState] | None:
    """The partnerships written since `state` (at most `limit`) and the state that reflects
    them, from the change log; None when they cannot be named and whatever `state` belongs
    to is to be built afresh: a change it reflects was rolled back, the log was cleaned past
    it, the data version changed without a logged change, a vocabulary or municipality write
    (or a truncate), or more than `limit` partnerships.

    The one reading of the log: the facet index and the search postings (`postings`) each
    keep their own state and patch themselves by it (`limit` defaults to `PATCH_LIMIT`)."""
    limit = PATCH_LIMIT if limit is None else limit
    start = min(min((i for i, _ in state.seen), default=state.last + 1) - 1, state.last)
    rows = _changes_since(start, limit=WINDOW + 4 * limit)
    if rows is None:
        return None
    present = {(i, token) for i, _, token in rows}
    newest = max((i for i, _, _ in rows), default=state.last)
    pks = {pk for i, pk, token in rows if (i, token) not in state.seen}
    if (
        not state.seen <= present  # a change it reflects was rolled back (or cleaned)
        or newest - KEEP > start  # the log was cleaned past what it has seen
        or not pks  # the version changed without a logged change
        or None in pks  # a vocabulary or municipality write
        or len(pks) > limit
    ):
        return None
    return frozenset(int(pk) for pk in pks if pk is not None), _state(rows, newest)


Change = tuple[int, int | None, int]  # id, partnership, token


def _changes_since(start: int, *, limit: int) -> list[Change] | None:
    """Logged changes after `start`, oldest first; None when there are more than `limit`."""
    rows = list(
        IndexChange.objects.filter(id__gt=start)
        .order_by("id")
        .values_list("id", "partnership_id", "token")[: limit + 1]
    )
    return None if len(rows) > limit else rows


def _state(rows: list[Change], newest: int) -> ChangeState:
    return ChangeState(newest, frozenset((i, t) for i, _, t in rows if i > newest - WINDOW))


def current_change_state() -> ChangeState:
    """The change log's state now: read it before reading what it is to describe, so that a
    change committed meanwhile is seen again."""
    newest = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    recent = IndexChange.objects.filter(id__gt=newest - WINDOW).values_list(
        "id", "partnership_id", "token"
    )
    return _state(list(recent), newest)


def _build(version: tuple) -> FacetIndex:
    """Facet values, sort keys and chart counts of every published partnership, read from its
    public projection only: a private value is neither counted, nor filterable, nor sortable."""
    # The log is read first: a change committed while the projection is read is seen again.
    state = current_change_state()
    index = _assemble(version, [_gather(partnership_public_facts())])
    builds["full"] += 1
    return FacetIndex(version, index.columns, index.facets, state)


def _patched(cached: FacetIndex, version: tuple, pks: set[int], state: ChangeState) -> FacetIndex:
    """`cached` with the rows of `pks` re-read from their public projections (removed when no
    longer published)."""
    fresh = partnership_public_facts(pks=pks)
    kept = ~cached.rows_of(pks)
    raw = _gather(fresh)
    in_place = _in_place(cached, raw) if len(fresh) == len(pks) else None
    if in_place is not None:
        columns, facet_map = in_place
        builds["in place"] += 1
    else:
        index = _assemble(version, [_kept(cached, kept), raw])
        columns, facet_map = index.columns, index.facets
    builds["patch"] += 1
    patched = FacetIndex(version, columns, facet_map, state, cached.vocabulary)
    patched.patched_from = (cached.version, frozenset(pks))
    if "labels" in cached.__dict__:  # made already (a cached_property): the same vocabularies
        patched.__dict__["labels"] = cached.labels
    if in_place is not None:
        # Rows changed where they are whose sort keys did not change (a phase, a status, the
        # goals): every key column is as before, so each order is too.
        changed = np.flatnonzero(~kept)
        for (sort, language), order in list(cached._orders.items()):
            old_keys = _keys(cached, sort, language, changed)
            new_keys = _keys(patched, sort, language, changed)
            if all(np.array_equal(a, b) for a, b in zip(old_keys, new_keys, strict=True)):
                patched._orders[(sort, language)] = order
    _carry_orders(cached, patched, kept)
    return patched


def _in_place(cached: FacetIndex, raw: "_Raw") -> tuple[Columns, dict[str, Facet]] | None:
    """The columns and facets of `cached` with the rows of `raw` (partnerships it already
    holds, still published) replaced where they are, when nothing else moves: same ids, no
    municipality or facet value it does not have, none it loses. Copies of the arrays with a
    few rows changed and a few pairs inserted in order, instead of sorting every row and pair
    again (`_assemble`); None when that does not hold (the caller assembles)."""
    c = cached.columns
    n = len(c.ids)
    if not n or not len(raw.ids):
        return None
    rows = np.searchsorted(c.ids, raw.ids).clip(0, n - 1)
    if not (c.ids[rows] == raw.ids).all():
        return None
    position = {code: k for k, code in enumerate(c.municipalities)}
    swedish_codes = raw.swedish if isinstance(raw.swedish, list) else None
    partner_codes = raw.partner if isinstance(raw.partner, list) else None
    if swedish_codes is None or partner_codes is None:
        return None
    if any(code not in position for code in swedish_codes) or any(
        code is not None and code not in position for code in partner_codes
    ):
        return None
    facet_map: dict[str, Facet] = {}
    for name in FACETS:
        facet = cached.facets[name]
        pair_rows, values = raw.pairs[name]
        if any(value not in facet.lookup for value in values):
            return None
        keep = ~np.isin(facet.rows, rows)
        kept_rows, kept_codes = facet.rows[keep], facet.codes[keep]
        added = np.unique(
            np.fromiter((facet.lookup[v] for v in values), dtype=np.int64, count=len(values)) * n
            + rows[pair_rows]
        )
        at = np.searchsorted(kept_codes * n + kept_rows, added)
        new_codes = np.insert(kept_codes, at, added // n)
        new_rows = np.insert(kept_rows, at, added % n)
        counts = np.bincount(new_codes, minlength=len(facet.values))
        if (counts == 0).any():  # a value no row holds any more: the values list changes
            return None
        offsets = np.zeros(len(facet.values) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        facet_map[name] = Facet(facet.values, new_rows, new_codes, offsets)

    def replaced(column: np.ndarray, fresh: np.ndarray) -> np.ndarray:
        out = column.copy()
        out[rows] = fresh
        return out

    codes_of = np.array([position[code] for code in swedish_codes], dtype=np.int64)
    partner_of = np.array(
        [position[code] if code is not None else -1 for code in partner_codes], dtype=np.int64
    )
    columns = Columns(
        ids=c.ids,
        titles={lang: replaced(c.titles[lang], raw.titles[lang]) for lang in LANGUAGES},
        slugs=replaced(c.slugs, raw.slugs),
        starts=replaced(c.starts, raw.starts),
        swedish=replaced(c.swedish, codes_of),
        partner=replaced(c.partner, partner_of),
        municipalities=c.municipalities,
        names=c.names,  # the municipalities and their names are the same (no vocabulary write)
    )
    return columns, facet_map


def _carry_orders(old: FacetIndex, new: FacetIndex, kept: np.ndarray) -> None:
    """The sort orders `old` had computed, for `new`: the kept rows keep their order and each
    re-read row is put in its place by comparing keys (a few vector comparisons per changed
    row instead of sorting every row again, ~1 s at 100 000)."""
    if not old._orders:
        return
    new_row = np.searchsorted(new.ids, old.ids).clip(0, max(len(new) - 1, 0))
    from_old = np.zeros(len(new), dtype=bool)
    from_old[new_row[kept]] = True
    inserted = np.flatnonzero(~from_old)
    rows = np.arange(len(new))
    for (sort, language), order in list(old._orders.items()):
        if (sort, language) in new._orders:  # known to be unchanged (`_patched`)
            continue
        base = new_row[order[kept[order]]]
        if len(inserted):
            keys = _keys(new, sort, language)
            places = []
            for r in inserted.tolist():
                before = np.zeros(len(new), dtype=bool)
                same = np.ones(len(new), dtype=bool)
                for key in keys:
                    before |= same & (key < key[r])
                    same &= key == key[r]
                before |= same & (rows < r)
                places.append(int(np.count_nonzero(before & from_old)))
            among = np.lexsort(tuple(k[inserted] for k in reversed(keys)))
            base = np.insert(base, np.array(places)[among], inserted[among])
        new._orders[(sort, language)] = base


def _keys(
    index: FacetIndex, sort: str, language: str, rows: np.ndarray | None = None
) -> list[np.ndarray]:
    """The keys of `_order`, most significant first (ties: by row, as `np.lexsort` keeps);
    of `rows` only when given."""
    c = index.columns

    def pick(column: np.ndarray) -> np.ndarray:
        return column if rows is None else column[rows]

    own, swedish_title = pick(c.titles[language]), pick(c.titles["sv"])
    title = np.where(own != "", own, swedish_title)
    slugs = pick(c.slugs)
    if sort == "title":
        return [title, slugs]
    names = np.where(c.names[language] != "", c.names[language], c.names["sv"])
    if sort == "swedish_partner":
        return [names[pick(c.swedish)], title, slugs]
    partners = pick(c.partner)
    if sort == "partner":
        partner = np.where(partners >= 0, names[partners.clip(0)], "")
        return [partners < 0, partner, title, slugs]
    starts = pick(c.starts)
    undated = starts == 0
    return [undated, starts if sort == "start" else -starts, np.where(undated, title, slugs), slugs]


@dataclass
class _Raw:
    """Rows before assembly: facet pairs by value, sort keys by row (row = position here)."""

    ids: np.ndarray
    pairs: dict[str, tuple[np.ndarray, list]]  # rows, values
    titles: dict[str, np.ndarray]
    slugs: np.ndarray
    starts: np.ndarray
    # Municipality codes (None: no public partner), or coded as (positions, codes; -1: none).
    swedish: list | tuple[np.ndarray, list[str]]
    partner: list | tuple[np.ndarray, list[str]]
    names: dict[str, dict[str, str]]  # code → folded names


def _gather(projections: Iterable[PublicFacts]) -> _Raw:
    ids: list[int] = []
    pairs: dict[str, tuple[list, list]] = {name: ([], []) for name in FACETS}
    titles: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    slugs: list[str] = []
    starts: list[int] = []
    swedish: list[str] = []
    partners: list[str | None] = []
    names: dict[str, dict[str, str]] = {}

    def add(name: str, row: int, value) -> None:
        if value is not None:
            pairs[name][0].append(row)
            pairs[name][1].append(value)

    for row, p in enumerate(projections):
        ids.append(p.pk)
        partner = p.partner
        add("country", row, p.partner_country.code)
        add("swedish_partner", row, p.swedish_partner.code)
        add("partner", row, partner.code if partner else None)
        add("area", row, p.area.slug)
        add("network", row, p.network.slug)
        add("phase", row, p.phase)
        add("status", row, p.status)
        add("year", row, p.start_date.year if p.start_date else None)
        add("region", row, p.swedish_partner.region_id)
        if partner and partner.region_id:
            add("region", row, partner.region_id)
        for goal in p.goals:
            add("sdg", row, goal.number)
        for tag in p.tags:
            add("tag", row, tag.slug)
        for lang in LANGUAGES:
            titles[lang].append(_fold(getattr(p, f"title_{lang}")))
        slugs.append(p.slug)
        starts.append(p.start_date.toordinal() if p.start_date else 0)
        swedish.append(p.swedish_partner.code)
        names.setdefault(p.swedish_partner.code, _folded_names(p.swedish_partner))
        partners.append(partner.code if partner else None)
        if partner:
            names.setdefault(partner.code, _folded_names(partner))
    return _Raw(
        ids=np.array(ids, dtype=np.int64),
        pairs={k: (np.array(r, dtype=np.int64), v) for k, (r, v) in pairs.items()},
        titles={lang: _strings(t) for lang, t in titles.items()},
        slugs=_strings(slugs),
        starts=np.array(starts, dtype=np.int64),
        swedish=swedish,
        partner=partners,
        names=names,
    )


def _kept(index: FacetIndex, kept: np.ndarray) -> _Raw:
    """The rows of `index` where `kept`, as rows before assembly (values stay coded: a patch
    touches no Python object per row)."""
    c = index.columns
    position = np.cumsum(kept) - 1  # old row → new row
    pairs: dict = {}
    for name, facet in index.facets.items():
        keep = kept[facet.rows]
        pairs[name] = (position[facet.rows[keep]], facet.codes[keep], facet.values)
    codes = c.municipalities
    return _Raw(
        ids=c.ids[kept],
        pairs=pairs,
        titles={lang: t[kept] for lang, t in c.titles.items()},
        slugs=c.slugs[kept],
        starts=c.starts[kept],
        swedish=(c.swedish[kept], codes),
        partner=(c.partner[kept], codes),  # -1: none or private
        names={
            code: {lang: str(c.names[lang][k]) for lang in LANGUAGES}
            for k, code in enumerate(codes)
        },
    )


def _coded(pair: tuple) -> tuple[np.ndarray, np.ndarray, list]:
    """(rows, value codes, values) of one part's facet pairs, given as (rows, values) or
    already coded as (rows, codes, values)."""
    if len(pair) == 3:
        return pair
    rows, raw = pair
    values = sorted(set(raw))
    lookup = {v: k for k, v in enumerate(values)}
    return rows, np.fromiter((lookup[v] for v in raw), dtype=np.int64, count=len(raw)), values


def _municipality_codes(part, vocabulary: dict[str, int]) -> np.ndarray:
    """Positions in the merged municipality list of one part's codes (-1: none)."""
    if isinstance(part, tuple):
        positions, codes = part
        remap = np.array([vocabulary.get(c, -1) for c in codes] + [-1], dtype=np.int64)
        return remap[positions]  # -1 indexes the appended -1
    return np.array([vocabulary[c] if c is not None else -1 for c in part], dtype=np.int64)


def _municipalities_of(part) -> set[str]:
    if isinstance(part, tuple):
        positions, codes = part
        return {codes[k] for k in np.unique(positions[positions >= 0]).tolist()}
    return {c for c in part if c is not None}


def _assemble(version: tuple, parts: list[_Raw]) -> FacetIndex:
    """One index from rows before assembly: rows ordered by id, each facet's values sorted
    (so that a patched index equals a rebuilt one), pairs grouped by value."""
    offsets = np.cumsum([0, *(len(p.ids) for p in parts)])
    ids = np.concatenate([p.ids for p in parts])
    by_id = np.argsort(ids, kind="stable")
    row_of = np.empty(len(ids), dtype=np.int64)
    row_of[by_id] = np.arange(len(ids))
    facets = {}
    for name in FACETS:
        coded = [_coded(p.pairs[name]) for p in parts]
        values = sorted(set().union(*(v for _, _, v in coded)))
        lookup = {v: k for k, v in enumerate(values)}
        rows = np.concatenate(
            [row_of[r + o] for (r, _, _), o in zip(coded, offsets[:-1], strict=True)]
        )
        codes = np.concatenate(
            [
                np.array([lookup[v] for v in vocabulary], dtype=np.int64)[c]
                if len(vocabulary)
                else np.zeros(0, dtype=np.int64)
                for _, c, vocabulary in coded
            ]
        )
        used = np.zeros(len(values), dtype=bool)
        used[codes] = True
        if not used.all():  # a value no longer held by any row (a patch removed its last)
            codes = (np.cumsum(used) - 1)[codes]
            values = [v for v, u in zip(values, used.tolist(), strict=True) if u]
        facets[name] = _facet(rows, codes, values)
    names = {code: n for p in parts for code, n in p.names.items()}
    municipalities = sorted(
        set().union(*(_municipalities_of(x) for p in parts for x in (p.swedish, p.partner)))
    )
    position = {code: k for k, code in enumerate(municipalities)}
    swedish = np.concatenate([_municipality_codes(p.swedish, position) for p in parts])
    partner = np.concatenate([_municipality_codes(p.partner, position) for p in parts])
    columns = Columns(
        ids=ids[by_id],
        titles={lang: np.concatenate([p.titles[lang] for p in parts])[by_id] for lang in LANGUAGES},
        slugs=np.concatenate([p.slugs for p in parts])[by_id],
        starts=np.concatenate([p.starts for p in parts])[by_id],
        swedish=swedish.reshape(-1)[by_id],
        partner=partner.reshape(-1)[by_id],
        municipalities=municipalities,
        names={lang: _strings([names[c][lang] for c in municipalities]) for lang in LANGUAGES},
    )
    return FacetIndex(version, columns, facets)


def _facet(rows: np.ndarray, codes: np.ndarray, values: list) -> Facet:
    # Grouped by value, each row once per value (a region can be both partners'). One stable
    # sort of one integer key: a patched index's pairs are nearly in order already, and
    # timsort then takes one pass instead of a full sort.
    order = np.argsort(codes * (int(rows.max()) + 1 if len(rows) else 1) + rows, kind="stable")
    rows, codes = rows[order], codes[order]
    if len(rows):
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (codes[1:] != codes[:-1])
        rows, codes = rows[first], codes[first]
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=len(values)), out=offsets[1:])
    return Facet(values, rows, codes, offsets)


def _order(index: FacetIndex, sort: str, language: str) -> np.ndarray:
    """Rows in one order, with the keys of today's selectors: folded title in the reader's
    language (Swedish where it is missing) then address; a private partner last, as if
    unknown; dated oldest (or newest) first, equal dates by address, then undated by title."""
    c = index.columns
    title = np.where(c.titles[language] != "", c.titles[language], c.titles["sv"])
    if sort == "title":
        return np.lexsort((c.slugs, title))
    names = np.where(c.names[language] != "", c.names[language], c.names["sv"])
    if sort == "swedish_partner":
        return np.lexsort((c.slugs, title, names[c.swedish]))
    if sort == "partner":
        partner = np.where(c.partner >= 0, names[c.partner.clip(0)], "")
        return np.lexsort((c.slugs, title, partner, c.partner < 0))
    by_title = index.order("title", language)
    undated = by_title[c.starts[by_title] == 0]
    dated = np.flatnonzero(c.starts)
    starts = c.starts[dated] if sort == "start" else -c.starts[dated]
    dated = dated[np.lexsort((c.slugs[dated], starts))]
    return np.concatenate([dated, undated])


def _strings(values: list[str]) -> np.ndarray:
    """A one-dimensional text column (`np.array` of equal-length lists would nest them)."""
    column = np.empty(len(values), dtype=STRINGS)
    column[:] = values
    return column


def _fold(text: str) -> str:
    return (text or "").casefold()


def _folded_names(municipality) -> dict[str, str]:
    # Per language: the index is shared by readers of every language.
    return {lang: _fold(getattr(municipality, f"name_{lang}")) for lang in LANGUAGES}


def _names(model, key: str, field_name: str, **filters) -> dict:
    columns = [f"{field_name}_{lang}" for lang in LANGUAGES]
    return {
        row[0]: dict(zip(LANGUAGES, row[1:], strict=True))
        for row in model.objects.filter(**filters).values_list(key, *columns)
    }


def _labels(index: FacetIndex) -> dict[str, dict]:
    """The labels of every value a facet can hold, not only of those the index holds: they
    depend on the vocabularies alone, so a patched index keeps its predecessor's (a patch
    re-reads partnerships, never a vocabulary) and a value a patch adds is labelled too."""
    municipalities = _names(Municipality, "code", "name")
    countries = {
        code: {"sv": name, "en": name, "uk": name}
        for code, name in Country.objects.values_list("code", "name")
    }
    labels = {
        "country": countries,
        "swedish_partner": municipalities,
        "partner": municipalities,
        "area": _names(CooperationArea, "slug", "name"),
        "network": _names(Network, "slug", "name"),
        "sdg": _names(Goal, "number", "short_name"),
        "tag": _names(Tag, "slug", "name"),
        "phase": {v: {"": str(label)} for v, label in Partnership.Phase.choices},
        "status": {v: {"": str(label)} for v, label in Partnership.Status.choices},
    }
    labels["region"] = _names(Region, "pk", "name")
    return labels


def _label(index: FacetIndex, name: str, value, language: str | None = None) -> str:
    language = language or get_language() or "sv"
    if name == "year":
        return str(value)
    if name == "country" and value in COUNTRIES:
        return COUNTRIES[value].names.get(language) or COUNTRIES[value].names["sv"]
    if name in ("phase", "status"):
        return str(dict(getattr(Partnership, name.title()).choices).get(value, value))
    names = index.labels.get(name, {}).get(value, {})
    label = names.get(language) or names.get("sv") or names.get("en") or str(value)
    return f"{value}. {label}" if name == "sdg" else label


def label_of(index: FacetIndex, name: str, value) -> str:
    """The label of one facet value in the reader's language."""
    return _label(index, name, value)


def id_array(ids: Iterable[int] | np.ndarray | None) -> np.ndarray:
    """`ids` as an int64 array: an array as it is (no Python int per id), anything else read
    once. The catalogue's ids travel as such arrays; only one page of them becomes a list."""
    if isinstance(ids, np.ndarray):
        return ids.astype(np.int64, copy=False)
    return np.fromiter(ids or (), dtype=np.int64)


def matching_mask(index: FacetIndex, query: CatalogueQuery) -> np.ndarray:
    """Row mask of the published partnerships matching every active filter: values within one
    facet are alternatives (OR), different facets combine (AND)."""
    mask = np.ones(len(index), dtype=bool)
    for name, values in query.active_filters().items():
        mask &= index.rows_with(name, values)
    return mask


def matching_ids(index: FacetIndex, query: CatalogueQuery) -> set[int]:
    """Ids of the published partnerships matching every active filter, read from the public
    index: values within one facet are alternatives (OR), different facets combine (AND)."""
    return set(index.ids[matching_mask(index, query)].tolist())


def sorted_rows(index: FacetIndex, mask: np.ndarray, sort: str, language: str) -> np.ndarray:
    """Ids of the rows in `mask`, in the order `sort` (see `sorted_ids`)."""
    order = index.order(sort, language)
    return index.ids[order[mask[order]]]


def sorted_ids(index: FacetIndex, ids, sort: str, language: str) -> list[int]:
    """`ids` in a stable order of public sort keys; a private value sorts last, as if unknown."""
    return sorted_rows(index, index.rows_of(ids), sort, language).tolist()


def _as_mask(index: FacetIndex, matching) -> np.ndarray:
    if isinstance(matching, np.ndarray) and matching.dtype == bool:
        return matching
    return index.rows_of(matching)


def catalogue_facets(
    query: CatalogueQuery, *, matching=None, version: tuple | None = None
) -> dict[str, list[FacetOption]]:
    """Options and counts of every facet: the count of an option is the number of results the
    page would show if it were chosen in addition to the other facets' active filters.

    `matching` restricts to the ids found by the text query (`None`: no text query; ids, or a
    row mask of the index)."""
    index = facet_index(version)
    base = np.ones(len(index), dtype=bool) if matching is None else _as_mask(index, matching)
    active = query.active_filters()
    chosen = {name: index.rows_with(name, values) for name, values in active.items()}
    facets = {}
    for name in MULTI:
        allowed = base.copy()
        for other, mask in chosen.items():
            if other != name:
                allowed &= mask
        facets[name] = _options(index, name, allowed, set(active.get(name, ())))
    return facets


def _options(index: FacetIndex, name: str, allowed: np.ndarray, selected: set) -> list:
    facet = index.facets[name]
    counts = np.bincount(facet.codes[allowed[facet.rows]], minlength=len(facet.values))
    shown = np.flatnonzero(counts)
    capped = name in ("swedish_partner", "partner")
    if capped and len(shown) > MUNICIPALITY_OPTIONS:
        # Only the values that can be among the first MUNICIPALITY_OPTIONS (every tie at the
        # boundary included) get a label: thousands of municipalities would cost ~40 ms.
        least = np.partition(counts[shown], -MUNICIPALITY_OPTIONS)[-MUNICIPALITY_OPTIONS]
        shown = shown[counts[shown] >= least]
    codes = set(shown.tolist())
    if selected:
        codes |= {code for code, value in enumerate(facet.values) if value in selected}
    language = get_language() or "sv"
    options = []
    for code in sorted(codes):
        value, count = facet.values[code], int(counts[code])
        options.append(
            FacetOption(
                value,
                _label(index, name, value, language),
                count,
                value in selected,
                index.colours.get(value, "") if name == "sdg" else "",
            )
        )
    if name in ("sdg", "year", "phase", "status"):
        options.sort(key=lambda o: o.value)
    else:
        options.sort(key=lambda o: (-o.count, o.label))
    if capped and len(options) > MUNICIPALITY_OPTIONS:
        keep = options[:MUNICIPALITY_OPTIONS]
        options = keep + [o for o in options[MUNICIPALITY_OPTIONS:] if o.selected]
    return options


def index_from_sets(
    version: tuple,
    sets: dict[str, dict],
    *,
    ids: Iterable[int] | None = None,
    sort_keys: dict[int, SortKeys] | None = None,
) -> FacetIndex:
    """An index from facet value → ids and per-id sort keys (hand-built indexes in tests and
    small tools): `ids` defaults to every id of `sets` and `sort_keys`."""
    sort_keys = sort_keys or {}
    every = set(ids) if ids is not None else set(sort_keys)
    for values in sets.values():
        for members in values.values():
            every |= set(members)
    pks = sorted(every)
    row = {pk: k for k, pk in enumerate(pks)}
    empty = SortKeys(dict.fromkeys(LANGUAGES, ""), None, dict.fromkeys(LANGUAGES, ""), None, "")
    keys = [sort_keys.get(pk, empty) for pk in pks]
    pairs = {}
    for name in FACETS:
        found = [
            (row[pk], value) for value, members in sets.get(name, {}).items() for pk in members
        ]
        pairs[name] = (np.array([r for r, _ in found], dtype=np.int64), [v for _, v in found])
    names: dict[str, dict[str, str]] = {}
    swedish, partner = [], []
    for k in keys:
        swedish.append(_name_code(names, k.swedish))
        partner.append(_name_code(names, k.partner) if k.partner is not None else None)
    raw = _Raw(
        ids=np.array(pks, dtype=np.int64),
        pairs=pairs,
        titles={lang: _strings([k.titles.get(lang, "") for k in keys]) for lang in LANGUAGES},
        slugs=_strings([k.slug for k in keys]),
        starts=np.array([k.start.toordinal() if k.start else 0 for k in keys], dtype=np.int64),
        swedish=swedish,
        partner=partner,
        names=names,
    )
    return _assemble(version, [raw])


def _name_code(names: dict[str, dict[str, str]], folded: dict[str, str]) -> str:
    # Hand-built sort keys carry names, not municipalities: one made-up code per spelling.
    code = "|".join(folded.get(lang, "") for lang in LANGUAGES)
    names.setdefault(code, {lang: folded.get(lang, "") for lang in LANGUAGES})
    return code
