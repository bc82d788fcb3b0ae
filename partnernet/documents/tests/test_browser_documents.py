"""In the browser: a coordinator of Kolomyia writes in Ukrainian on the partnership's
conversation, a coordinator of Falun uploads minutes (a small real PDF), a programme officer
(verified by two factors) publishes them, and the public partnership page lists them. Then axe
finds nothing on the documents and conversation pages in sv, uk and en, wide and at 360 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.documents import samples
from partnernet.documents.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "falun-kolomyia"
WIDTHS = {"desktop": (1280, 800), "phone": (360, 740)}


def tab_for(browser, live_server, email: str, *, locale: str = "en"):
    """A browser tab signed in as `email` (staff with a session verified by two factors)."""
    client = sign_in(Client(), User.objects.get(email=email))
    context = browser.new_context(base_url=live_server.url, locale=locale)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return context.new_page()


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"slug": SLUG, **kwargs})


def test_write_upload_publish_and_the_public_page_lists_it(browser, live_server, tmp_path):
    kolomyia = tab_for(browser, live_server, "kolomyia@demo.example", locale="uk")
    kolomyia.goto(url("conversations:thread", "uk"))
    kolomyia.fill("textarea[name=body]", "Дякуємо за зустріч! Надішліть, будь ласка, протокол.")
    kolomyia.select_option("select[name=language]", "uk")
    kolomyia.get_by_role("button", name="Надіслати").click()
    kolomyia.wait_for_load_state()
    written = kolomyia.locator(".message-body[lang=uk]", has_text="Дякуємо за зустріч!")
    assert written.count() == 1

    minutes = tmp_path / "Протокол зустрічі.pdf"
    minutes.write_bytes(samples.pdf("Minutes of the steering group"))
    falun = tab_for(browser, live_server, "falun@demo.example", locale="sv")
    falun.goto(url("documents:upload", "sv"))
    falun.fill("input[name=title]", "Protokoll från styrgruppen, december")
    falun.select_option("select[name=category]", "minutes")
    falun.select_option("select[name=language]", "sv")
    falun.set_input_files("input[name=file]", str(minutes))
    falun.get_by_role("button", name="Ladda upp", exact=True).click()
    falun.wait_for_load_state()
    assert falun.locator("h1").inner_text() == "Protokoll från styrgruppen, december"
    document = Document.objects.get(title="Protokoll från styrgruppen, december")
    assert document.versions.get().original_name == "Протокол зустрічі.pdf"
    assert not document.is_published

    officer = tab_for(browser, live_server, "officer@icld.example")
    officer.goto(url("documents:detail", "en", pk=document.pk))
    officer.get_by_role("button", name="Publish on the public page").click()
    officer.wait_for_load_state()
    document.refresh_from_db()
    assert document.is_published

    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(url("catalogue:partnership", "en"))
    link = public.get_by_role("link", name="Protokoll från styrgruppen, december")
    assert link.count() == 1
    with public.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Протокол зустрічі.pdf"


def test_documents_and_conversation_pages_have_no_axe_violations(browser, live_server):
    document = Document.objects.filter(partnership__slug=SLUG).order_by("pk").first()
    assert document is not None  # the demo's
    tab = tab_for(browser, live_server, "falun@demo.example")
    axe, found = Axe(), []
    for width_name, (width, height) in WIDTHS.items():
        tab.set_viewport_size({"width": width, "height": height})
        for language in ("sv", "uk", "en"):
            pages = [
                url("documents:list", language),
                url("documents:upload", language),
                url("documents:detail", language, pk=document.pk),
                url("documents:version_add", language, pk=document.pk),
                url("conversations:thread", language),
            ]
            for address in pages:
                response = tab.goto(address)
                assert response is not None and response.status == 200, address
                tab.wait_for_load_state("networkidle")
                result = axe.run(tab)
                if result.violations_count:
                    rules = sorted({v["id"] for v in result.response["violations"]})
                    found.append(f"{address} [{width_name}]: {', '.join(rules)}")
                scroll = tab.evaluate("document.documentElement.scrollWidth")
                if scroll > width + 1:
                    found.append(f"{address} [{width_name}]: {scroll} px wide")
    assert found == [], "\n".join(found)
