"""Paged lists of /api/v1 through django-ninja's own pagination (`ninja.pagination`).

`NumberedPages` is a `PaginationBase` that keeps the public page shape of the contract:
`count`, `page`, `page_size`, `pages`, `next`, `previous`, `results`. An operation declares
`response=list[Item]` and `@paginate(NumberedPages)`; ninja adds the `page` and `page_size`
parameters, slices what the view returns and documents the page schema (`Paged<Item>`).

A view may return a queryset, a list, or a `Presented` sequence: something that knows its
length and turns only the requested slice into response items (one page of rows loaded, then
presented), so a page costs the same queries as before.

`CursorPages` adds keyset pagination for deep pages: every page also answers `next_cursor`, an
opaque token naming the last item of the page (its id in the list's order) and the filters it
was made for; sending it back as `cursor` continues right after that item, so a write between
two requests neither repeats nor skips an item that is still listed. A cursor that cannot be
read, was made for other filters, or names an item no longer listed answers 400.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from math import ceil
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .problems import InvalidCursor, request_language

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
# As the catalogue's pages: 20 partnerships are ~19 KB (50 were ~47 KB and cost 2.5 times the
# rendering), and clients follow `next` or `next_cursor` whatever the size; up to 100 on request.
DEFAULT_PAGE_SIZE = 20


class PageParams(Schema):
    """`page` and `page_size` of every paged list."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page (at most {MAX_PAGE_SIZE}).",
    )


class Presented(Sequence):
    """A sequence of response items made page by page: `rows(start, stop)` loads one slice of
    the underlying data and `present(row)` turns each row into the response item."""

    def __init__(
        self,
        *,
        count: Callable[[], int],
        rows: Callable[[int, int], list],
        present,
        keys: "Sequence[int] | np.ndarray | None" = None,
    ):
        self._count, self._rows, self._present = count, rows, present
        self._length: int | None = None
        # The position keys (ids in the list's order) when the list takes cursors.
        self.keys = keys

    @classmethod
    def of(cls, items: QuerySet | list, present) -> "Presented":
        """A queryset (counted by the database) or a list, presented one page at a time."""
        if isinstance(items, QuerySet):
            return cls(count=items.count, rows=lambda a, b: list(items[a:b]), present=present)
        return cls(count=lambda: len(items), rows=lambda a, b: items[a:b], present=present)

    def __len__(self) -> int:
        if self._length is None:
            self._length = self._count()
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Presented is read one page (slice) at a time")
        start, stop, _step = index.indices(len(self))
        return [self._present(row) for row in self._rows(start, stop)] if stop > start else []


class NumberedPages(PaginationBase):
    """Page-number pagination with totals and links to the neighbouring pages (the same
    parameters, another `page`); `previous` is null past the last page."""

    items_attribute = "results"

    Input = PageParams  # type: ignore[assignment]  # ninja's documented way to set the params

    class Output(Schema):
        count: int = Field(description="Items matching, on every page.")
        page: int
        page_size: int
        pages: int
        next: str | None
        previous: str | None
        results: list[Any]

    def paginate_queryset(
        self, queryset, pagination: PageParams, request: HttpRequest, **params: Any
    ) -> dict:
        number, size = pagination.page, pagination.page_size
        count = len(queryset) if isinstance(queryset, Sequence) else self._items_count(queryset)
        pages = max(1, ceil(count / size))
        start = (number - 1) * size
        return {
            "count": count,
            "page": number,
            "page_size": size,
            "pages": pages,
            "next": _link(request, number + 1, pages),
            "previous": _link(request, number - 1, pages) if number <= pages else None,
            "results": queryset[start : start + size] if start < count else [],
        }


class CursorPageParams(PageParams):
    """`page` and `page_size`, and `cursor` for deep pages."""

    cursor: str | None = Field(
        None,
        max_length=200,
        description="`next_cursor` of the previous page: continues right after its last item "
        "(replaces `page`). 400 when it cannot be read, was made for other filters, or its item "
        "is no longer listed; start again from the first page then.",
    )


class CursorPages(NumberedPages):
    """Numbered pages as `NumberedPages`, plus keyset continuation (`cursor` in,
    `next_cursor` out). The view returns a `Presented` with `keys`: the ids in the list's
    order, held in memory, so finding the cursor's item costs no query."""

    Input = CursorPageParams  # type: ignore[assignment]  # ninja's documented way

    class Output(NumberedPages.Output):
        next_cursor: str | None = Field(
            description="Pass as `cursor` to get the items after this page; null on the last."
        )

    def paginate_queryset(
        self, queryset, pagination: PageParams, request: HttpRequest, **params: Any
    ) -> dict:
        # ninja builds `Input` (CursorPageParams); the base class's type keeps the override sound
        cursor = getattr(pagination, "cursor", None)
        keys = queryset.keys
        size = pagination.page_size
        count = len(keys)
        scope = _scope(request)
        if cursor is None:
            start = (pagination.page - 1) * size
        else:
            start = _position_after(keys, cursor, scope)
        stop = min(start + size, count)
        number = start // size + 1
        pages = max(1, ceil(count / size))
        has_more = stop < count
        next_cursor = encode_cursor(keys[stop - 1], scope) if has_more and stop > start else None
        if cursor is None:
            following = _link(request, number + 1, pages)
            previous = _link(request, number - 1, pages) if number <= pages else None
        else:
            # Cursors go forward only; the numbered pages stay available for going back.
            following = _cursor_link(request, next_cursor) if next_cursor else None
            previous = None
        return {
            "count": count,
            "page": number,
            "page_size": size,
            "pages": pages,
            "next": following,
            "previous": previous,
            "next_cursor": next_cursor,
            "results": queryset[start:stop] if start < count else [],
        }


IGNORED_IN_SCOPE = ("page", "page_size", "cursor")


def _scope(request: HttpRequest) -> str:
    """What the list depends on besides the position: its filters, order and language
    (titles sort per language), as a short digest carried by the cursor."""
    params = sorted(
        (name, sorted(request.GET.getlist(name)))
        for name in request.GET
        if name not in IGNORED_IN_SCOPE
    )
    text = json.dumps([request.path, request_language(request), params], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def encode_cursor(after: int, scope: str) -> str:
    """The opaque token for "the items after `after`, in the list made for `scope`"."""
    raw = json.dumps([int(after), scope], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[int, str]:
    """(after, scope) of a token from `encode_cursor`; `InvalidCursor` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        after, scope = json.loads(raw.decode())
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidCursor("malformed") from None
    if type(after) is not int or not isinstance(scope, str):
        raise InvalidCursor("malformed")
    return after, scope


def _position_after(keys: "Sequence[int] | np.ndarray", token: str, scope: str) -> int:
    after, made_for = decode_cursor(token)
    if made_for != scope:
        raise InvalidCursor("other-filters")
    if isinstance(keys, np.ndarray):  # the catalogue's ids: found without a Python int each
        found = np.flatnonzero(keys == after)
        if not len(found):
            raise InvalidCursor("stale")
        return int(found[0]) + 1
    try:
        return keys.index(after) + 1
    except ValueError:
        raise InvalidCursor("stale") from None


def _cursor_link(request: HttpRequest, cursor: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["cursor"] = cursor
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def _link(request: HttpRequest, target: int, pages: int) -> str | None:
    if target < 1 or target > pages:
        return None
    query = request.GET.copy()
    query["page"] = str(target)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()
