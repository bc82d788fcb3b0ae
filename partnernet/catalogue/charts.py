"""Bar charts of the home page as plain numbers: drawn as SVG by a template, with a table."""

from collections import Counter
from dataclasses import dataclass
from typing import cast

from django.utils.translation import gettext_lazy as _

from .facets import facet_index


def _name(index, name: str, value, language: str) -> str:
    names = index.labels.get(name, {}).get(value, {})
    return names.get(language) or names.get("sv") or names.get("en") or str(value)


BAR_HEIGHT = 24
GAP = 8
LABEL_WIDTH = 0  # labels sit above their bars so long names never overflow at 360 px
WIDTH = 300


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: int
    y: int
    colour: str


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    bars: list[Bar]
    height: int


def bars(counts: list[tuple[str, int, str]]) -> tuple[list[Bar], int]:
    """Bars scaled to the largest count, each with room for its label above it (pure)."""
    top = max((c for _, c, _ in counts), default=0) or 1
    result, y = [], 0
    for label, count, colour in counts:
        result.append(Bar(label, count, max(2, round(WIDTH * count / top)), y + 18, colour))
        y += 18 + BAR_HEIGHT + GAP
    return result, y


def _chart(slug: str, title, description, counts: list[tuple[str, int, str]]) -> Chart:
    drawn, height = bars(counts)
    return Chart(slug, str(title), str(description), drawn, height)


def home_charts(language: str) -> list[Chart]:
    """Counts from the public index: a partner kept private adds nothing to its region."""
    index = facet_index()

    def counted(name: str) -> list[tuple[object, str, int]]:
        rows = [
            (v, _name(index, name, v, language), n) for v, n in index.value_counts(name).items()
        ]
        return sorted(rows, key=lambda r: (-r[2], r[1]))

    areas = [(label, n) for _, label, n in counted("area")]
    regions = Counter({label: n for _, label, n in counted("region")})
    by_goal = [
        (f"{v}. {label}", n, index.colours.get(cast(int, v), ""))
        for v, label, n in sorted(counted("sdg"), key=lambda r: cast(int, r[0]))
    ]
    return [
        _chart(
            "areas",
            _("Partnerships by cooperation area"),
            _("Number of published partnerships in each cooperation area."),
            [(label, n, "#0b5394") for label, n in areas],
        ),
        _chart(
            "goals",
            _("Partnerships by global goal"),
            _("Number of published partnerships contributing to each global goal."),
            by_goal,
        ),
        _chart(
            "regions",
            _("Partnerships by region"),
            _("Number of published partnerships with a partner in each county or oblast."),
            [(label, n, "#1e6b35") for label, n in regions.most_common(12)],
        ),
    ]
