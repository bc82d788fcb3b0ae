"""Bar charts of the home page as plain numbers: drawn as SVG by a template, with a table."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from partnernet.partnerships.models import Goal, Partnership
from partnernet.partnerships.selectors import partnership_public_list

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
    public = partnership_public_list().prefetch_related(None).order_by()
    area_field, region = f"area__name_{language}", "partner__region__name"
    rows = list(
        public.values_list(area_field, "area__name", region, "swedish_partner__region__name")
    )
    areas = Counter(a or b for a, b, _, _ in rows).most_common()
    regions = Counter(r for _, _, r, _ in rows if r) + Counter(s for _, _, _, s in rows if s)
    goal_ids = Partnership.goals.through.objects.filter(partnership_id__in=public.values("id"))
    goals = Counter(goal_ids.values_list("goal_id", flat=True))
    goal_rows = Goal.objects.filter(number__in=goals).values_list(
        "number", f"short_name_{language}", "short_name", "colour"
    )
    by_goal = [
        (f"{n}. {name or fallback}", goals[n], colour) for n, name, fallback, colour in goal_rows
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
