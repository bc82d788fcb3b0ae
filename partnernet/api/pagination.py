"""Paged lists of /api/v1 through django-ninja's own pagination (`ninja.pagination`).

`NumberedPages` is a `PaginationBase` that keeps the public page shape of the contract:
`count`, `page`, `page_size`, `pages`, `next`, `previous`, `results`. An operation declares
`response=list[Item]` and `@paginate(NumberedPages)`; ninja adds the `page` and `page_size`
parameters, slices what the view returns and documents the page schema (`Paged<Item>`).

A view may return a queryset, a list, or a `Presented` sequence: something that knows its
length and turns only the requested slice into response items (one page of rows loaded, then
presented), so a page costs the same queries as before.
"""

from collections.abc import Callable, Sequence
from math import ceil
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


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

    def __init__(self, *, count: Callable[[], int], rows: Callable[[int, int], list], present):
        self._count, self._rows, self._present = count, rows, present
        self._length: int | None = None

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


def _link(request: HttpRequest, target: int, pages: int) -> str | None:
    if target < 1 or target > pages:
        return None
    query = request.GET.copy()
    query["page"] = str(target)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()
