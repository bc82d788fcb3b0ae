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

    user = User.objects.create_user(email="reader@example.org", password="x" * 20)
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

    user = User.objects.create_user(email="reader@example.org", password="x" * 20)
    sign_in(client, user)
    html = client.get("/en/").content.decode()
    assert 'href="/en/queue/another-network/"' in html


def test_the_anonymous_menu_offers_sign_in(client, db):
    html = client.get("/sv/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert "/queue/" not in html
