"""The pages a public-sector site must have (issue 12.9): the accessibility statement (the DOS
law's content), the privacy notice and the contact page, in three languages, linked from the
footer of every page."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
LANGUAGES = ("sv", "uk", "en")


def test_an_unknown_language_has_no_such_page():
    assert Client().get("/de/accessibility/").status_code == 404


def test_the_pages_answer_only_reading():
    response = Client().post("/en/privacy/")
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("lang", "heading", "words"),
    [
        ("sv", "Tillgänglighetsredogörelse", ["delvis förenlig", "Rapportera brister"]),
        ("uk", "Заява про доступність", ["частково відповідає", "Повідомити про недолік"]),
        ("en", "Accessibility statement", ["partially compliant", "Report a problem"]),
    ],
)
def test_the_accessibility_statement_has_what_the_dos_law_requires(lang, heading, words):
    html = Client().get(f"/{lang}/accessibility/").content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    for word in words:
        assert word in html
    assert "(2018:1937)" in html  # the law
    assert "WCAG" in html and "EN 301 549" in html  # what it is assessed against
    assert "Digg" in html and 'href="https://www.digg.se/tdosanmalan"' in html  # supervision
    assert 'href="mailto:contact@partnernet.localhost"' in html  # how to report
    assert "2026-12-01" in html  # when the statement was reviewed


@pytest.mark.parametrize(
    ("lang", "heading", "basis"),
    [
        ("sv", "Integritetspolicy", "artikel 6.1 e"),
        ("uk", "Повідомлення про конфіденційність", "стаття 6(1)(e)"),
        ("en", "Privacy notice", "Article 6(1)(e)"),
    ],
)
def test_the_privacy_notice_says_what_why_how_long_and_how_to_ask(lang, heading, basis):
    html = Client().get(f"/{lang}/privacy/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert basis in html  # the legal basis
    assert "12" in html and "30" in html  # how long sessions last
    assert 'href="/accounts/export/"' in html  # the export
    assert 'href="mailto:contact@partnernet.localhost"' in html  # erasure is asked for here
    assert "IMY" in html


@override_settings(CONTACT_EMAIL="partnernet@funder.example")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_contact_page_gives_the_configured_address(lang):
    html = Client().get(f"/{lang}/contact/").content.decode()
    assert 'href="mailto:partnernet@funder.example"' in html
    assert f'href="/{lang}/calls/"' in html and f'href="/{lang}/privacy/"' in html


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("sv", ["Tillgänglighet", "Integritet", "Kontakt"]),
        ("uk", ["Доступність", "Конфіденційність", "Контакти"]),
        ("en", ["Accessibility", "Privacy", "Contact"]),
    ],
)
def test_every_page_links_them_from_the_footer_in_its_language(lang, labels):
    for path in (f"/{lang}/", f"/{lang}/partnerships/", f"/{lang}/calls/"):
        html = Client().get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        for page, label in zip(("accessibility", "privacy", "contact"), labels, strict=True):
            assert f'<a href="/{lang}/{page}/">{label}</a>' in footer, (path, label)


def test_the_texts_are_written_in_each_language_not_copied():
    bodies = {lang: Client().get(f"/{lang}/privacy/").content.decode() for lang in LANGUAGES}
    assert "Which personal data" in bodies["en"]
    assert "Which personal data" not in bodies["sv"] and "Which personal data" not in bodies["uk"]
    assert "Vilka personuppgifter" in bodies["sv"] and "Які персональні дані" in bodies["uk"]


def test_the_sitemap_lists_them_and_the_calls_in_every_language():
    body = Client().get("/sitemap.xml").content.decode()
    for lang in LANGUAGES:
        for page in ("accessibility", "privacy", "contact", "calls"):
            assert f"/{lang}/{page}/</loc>" in body, (lang, page)
