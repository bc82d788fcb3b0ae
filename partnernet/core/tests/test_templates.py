"""Templates and styles (issue 11.7): every link comes from `{% url %}` / `{% static %}`, every
form is drawn by the one form renderer, every data table scrolls the one way on a phone, and no
CSS rule is written twice."""

import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

import partnernet
from partnernet.accounts.testing import sign_in

ROOT = Path(partnernet.__file__).resolve().parent
TEMPLATES = sorted(ROOT.glob("**/templates/**/*.html"))
STYLESHEETS = sorted(p for p in ROOT.glob("**/static/**/*.css") if "leaflet" not in p.parts)
LANGUAGES = ("sv", "uk", "en")

# An address written out: href="/…", action="/…" or src="/…" (a `{% url %}` starts with `{`).
HARD_CODED = re.compile(r"""\b(?:href|action|src)\s*=\s*["']/""")
# A language prefix written into a path: "/sv/", '/uk/…', /{{ LANG }}/.
LANGUAGE_PREFIX = re.compile(r"""["'/](?:sv|uk|en|\{\{\s*LANG\s*\}\})/""")
# A network written into a template instead of coming from the context.
SLUG = re.compile(r"democratic-resilience")


def _template_ids():
    return [str(p.relative_to(ROOT)) for p in TEMPLATES]


def test_templates_are_found():
    assert len(TEMPLATES) > 30
    assert ROOT / "templates" / "base.html" in TEMPLATES


def test_the_scanners_catch_what_they_should():
    assert HARD_CODED.search('<a href="/open-data/">')
    assert HARD_CODED.search("<form action='/accounts/login/'>")
    assert HARD_CODED.search('<img src="/static/x.png">')
    assert not HARD_CODED.search("<a href=\"{% url 'opendata:index' %}\">")
    assert not HARD_CODED.search('<a href="https://creativecommons.org/licenses/by/4.0/">')
    assert LANGUAGE_PREFIX.search('<a href="/{{ LANG }}/map/">')
    assert LANGUAGE_PREFIX.search('"/sv/partnerships/"')
    assert not LANGUAGE_PREFIX.search("(sv, uk, en)")


@pytest.mark.parametrize("path", TEMPLATES, ids=_template_ids())
def test_no_hard_coded_address(path):
    text = path.read_text(encoding="utf-8")
    assert not HARD_CODED.findall(text), "use {% url %} or {% static %}"
    assert not LANGUAGE_PREFIX.findall(text), "{% url %} adds the language prefix"
    assert not SLUG.findall(text), "slugs come from the context or settings"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menu_links_lead_to_pages_in_the_reader_language(client, language):
    from partnernet.accounts.models import User

    # A coordinator: the menu offers only what the person may open (the queue, applications).
    user = User.objects.get(email="falun@demo.example")
    sign_in(client, user)
    with translation.override(language):
        html = client.get(f"/{language}/").content.decode()
    for href in (
        f'href="/{language}/"',
        f'href="/{language}/partnerships/"',
        f'href="/{language}/map/"',
        f'href="/{language}/municipalities/"',
        'href="/open-data/"',
        f'href="/{language}/queue/democratic-resilience/"',
        f'href="/{language}/grants/"',
        'href="/accounts/"',
        'href="/api/v1/docs"',
    ):
        assert href in html


@pytest.mark.django_db
@override_settings(QUEUE_NETWORK="another-network")
def test_the_queue_link_follows_the_setting(client):
    from partnernet.accounts.models import User

    user = User.objects.get(email="falun@demo.example")
    sign_in(client, user)
    html = client.get("/en/").content.decode()
    assert 'href="/en/queue/another-network/"' in html


def test_the_anonymous_menu_offers_sign_in(client, db):
    html = client.get("/sv/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert "/queue/" not in html


# Ways of drawing a form other than `{{ form }}` / `{{ field.as_field_group }}` (FORM_RENDERER).
OTHER_FORM_RENDERING = re.compile(r"\.as_(?:p|div|table|ul)\b|\.id_for_label|_form\.html")


@pytest.mark.parametrize("path", TEMPLATES, ids=_template_ids())
def test_forms_are_drawn_by_the_form_renderer(path):
    assert not OTHER_FORM_RENDERING.findall(path.read_text(encoding="utf-8"))


def test_a_field_names_its_help_and_errors():
    from django import forms

    class Example(forms.Form):
        name = forms.CharField(label="Name", help_text="Shown in the list.", max_length=5)
        agree = forms.BooleanField(label="I agree")

    html = str(Example(data={"name": "far too long"}))
    assert '<div class="field">' in html
    assert '<label for="id_name">Name:</label>' in html
    assert 'id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    # A checkbox comes before its label.
    assert html.index('type="checkbox"') < html.index('<label for="id_agree"')


TABLE_SCROLL = re.compile(
    r'<div class="table-scroll" role="region" aria-labelledby="[^"]+" tabindex="0">\s*<table\b'
)


@pytest.mark.parametrize("path", TEMPLATES, ids=_template_ids())
def test_every_data_table_scrolls_in_the_one_wrapper(path):
    text = path.read_text(encoding="utf-8")
    assert len(TABLE_SCROLL.findall(text)) == text.count("<table")


def css_rules(text: str) -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """(enclosing at-rules, selector, sorted declarations) of each rule; comments dropped."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules, stack = [], []
    for match in re.finditer(r"([^{}]*)\{|\}", text):
        if match.group(0) == "}":
            if stack:
                stack.pop()
            continue
        head = " ".join(match.group(1).split())
        if head.startswith("@"):
            stack.append(head)
            continue
        body = text[match.end() : text.index("}", match.end())]
        declarations = tuple(sorted(d.strip() for d in body.split(";") if d.strip()))
        rules.append((tuple(s for s in stack if s), head, declarations))
        stack.append("")
    return rules


def test_the_css_parser_sees_media_rules():
    rules = css_rules("a { color: red; } /* x */ @media (min-width: 1px) { a { margin: 0 } }")
    media = ("@media (min-width: 1px)",)
    assert rules == [((), "a", ("color: red",)), (media, "a", ("margin: 0",))]


def test_no_css_rule_is_written_twice():
    selectors: dict[tuple, list[str]] = {}
    blocks: dict[tuple, list[str]] = {}
    for path in STYLESHEETS:
        for media, head, declarations in css_rules(path.read_text(encoding="utf-8")):
            for selector in head.split(","):
                key = (media, " ".join(selector.split()))
                selectors.setdefault(key, []).append(path.name)
            blocks.setdefault((media, declarations), []).append(head)
    assert {k: v for k, v in selectors.items() if len(v) > 1} == {}
    assert {k: v for k, v in blocks.items() if len(v) > 1} == {}


@pytest.mark.parametrize("path", TEMPLATES, ids=_template_ids())
def test_long_templates_are_split_into_includes(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 120
