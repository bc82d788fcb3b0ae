"""The filter form's checkboxes are drawn in Python (`pages.option_items`) for speed; they must
be what the template loop they replaced drew, escaping included, for any value and label."""

import re

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import event, given
from hypothesis import strategies as st

from partnernet.catalogue.facets import FacetOption
from partnernet.catalogue.pages import facet_groups, option_items

# The loop as it stood in catalogue/_filters.html before it moved into Python: the reference.
REFERENCE = Template(
    "{% for o in options %}\n"
    '        <li><input type="checkbox" id="f-{{ name }}-{{ o.value|slugify }}" '
    'name="{{ name }}" value="{{ o.value }}"{% if o.selected %} checked{% endif %}>\n'
    '          <label for="f-{{ name }}-{{ o.value|slugify }}">{{ o.label }} '
    '<span class="count">({{ o.count }})</span></label></li>\n'
    "        {% endfor %}"
)


def squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def reference(name: str, options: list[FacetOption]) -> str:
    return squeezed(REFERENCE.render(Context({"name": name, "options": options})))


HOSTILE = [
    FacetOption('"><script>alert(1)</script>', "<b>bold</b> & 'quoted'", 3, True),
    FacetOption("Åre & Östersund", "Åre · Östersund", 12, False),
    FacetOption("Київ", "Київ (Kyiv)", 1, False),
    FacetOption(16, "16 Peace, justice and strong institutions", 40, True, "#00689d"),
    FacetOption(2024, "2024", 0, False),
]


def test_hostile_values_and_labels_are_escaped_as_the_template_escaped_them():
    drawn = option_items("partner", HOSTILE)
    assert "<script>" not in drawn and "<b>" not in drawn
    assert squeezed(drawn) == reference("partner", HOSTILE)


def test_a_label_already_marked_safe_is_not_escaped_twice_as_the_template_did_not():
    options = [FacetOption("a&b", mark_safe("Fish &amp; chips"), 2, False)]
    assert squeezed(option_items("tag", options)) == reference("tag", options)
    assert "&amp;amp;" not in option_items("tag", options)


def test_no_options_draw_nothing():
    assert option_items("area", []) == ""


@pytest.mark.reaches("selected", "not selected")
@given(
    st.lists(
        st.builds(
            FacetOption,
            st.one_of(st.text(max_size=12), st.integers(0, 3000)),
            st.text(max_size=20),
            st.integers(0, 100_000),
            st.booleans(),
        ),
        max_size=6,
    )
)
def test_any_options_draw_what_the_template_drew(options):
    for option in options:
        event("selected" if option.selected else "not selected")
    assert squeezed(option_items("tag", options)) == reference("tag", options)


def test_a_group_is_open_exactly_when_one_of_its_values_is_chosen():
    groups = {g.name: g for g in facet_groups({"area": HOSTILE[1:3], "partner": HOSTILE})}
    assert groups["area"].open is False
    assert groups["partner"].open is True
    assert [o.value for o in groups["partner"].options] == [o.value for o in HOSTILE]
