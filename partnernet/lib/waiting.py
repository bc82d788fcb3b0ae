"""One thing waiting for a person (an answer, a confirmation, a review, a decision): what each
app's `waiting_for(user)` selector returns and the start page (`/{lang}/me/`) lists. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class Waiting:
    """`what` is a message id (gettext_noop) with `%(name)s` parameters, rendered in the
    reader's language when shown; `url` is the exact page where it is done."""

    what: str
    url: str
    params: Mapping[str, Any] = field(default_factory=dict)
    since: dt.datetime | dt.date | None = None
    kind: str = ""  # a stable name for tests and styling: "proposal", "review", …

    @property
    def text(self) -> str:
        values = {key: str(value) for key, value in self.params.items()}
        template = gettext(self.what)
        return template % values if values else template


def by_date(items: list[Waiting]) -> list[Waiting]:
    """Oldest first (what has waited longest); undated last, in the order given."""
    dated = [i for i in items if i.since is not None]
    undated = [i for i in items if i.since is None]

    def key(item: Waiting) -> dt.datetime:
        since = item.since
        assert since is not None  # only dated items are sorted
        if isinstance(since, dt.datetime):
            return since.replace(tzinfo=None)
        return dt.datetime.combine(since, dt.time())

    return sorted(dated, key=key) + undated
