"""Issue 13's must-show journey in Chromium, at 360 px, axe on every page visited.

Falun's coordinator plans a visit to Kolomyia (in Swedish); Kolomyia's coordinator (in
Ukrainian) adds a participant and writes in the visit's conversation; Falun's coordinator marks
the visit done with a short report, public, and uploads the minutes and a second document; a
programme officer (in English) publishes the minutes only. The public partnership page then
shows exactly what was published: the done visit with its report and the minutes (their
download works), not the unpublished document, the comment or the team's names."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.conversations.models import Message
from partnernet.documents import samples
from partnernet.documents.models import Document
from partnernet.workspace.models import Activity, ActivityStatus, TeamMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OWN = "falun-kolomyia"
WIDTH, HEIGHT = 360, 740
TITLE = "Studiebesök i Kolomyja om skolmåltider"
COMMENT = "Чекаємо на вас у Коломиї! Зустріч у міській раді о 10:00."
REPORT = "Delegationen från Falun besökte tre skolor i Kolomyja och lagade lunch med köket."
MINUTES = "Protokoll från studiebesöket i Kolomyja"
DRAFT = "Utkast till budget 2027"


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"slug": OWN, **kwargs})


def tab_for(browser, live_server, email: str | None, *, locale: str):
    """A phone-sized tab, signed in as `email` (None: a member of the public)."""
    context = browser.new_context(base_url=live_server.url, locale=locale)
    if email is not None:
        client = sign_in(Client(), User.objects.get(email=email))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
    page = context.new_page()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


class Checked:
    """axe-core and the width of every page a tab shows, the problems collected."""

    def __init__(self) -> None:
        self.axe, self.problems, self.seen = Axe(), [], []

    def __call__(self, page, language: str) -> None:
        page.wait_for_load_state("networkidle")
        address = page.url
        self.seen.append(address)
        assert page.locator("html").get_attribute("lang") == language, address
        result = self.axe.run(page)
        if result.violations_count:
            rules = sorted({v["id"] for v in result.response["violations"]})
            self.problems.append(f"{address}: {', '.join(rules)}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH + 1:
            self.problems.append(f"{address}: {width} px wide")


def submit(page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").click()
    page.wait_for_load_state()


def test_a_visit_planned_done_and_published_shows_exactly_what_was_published(
    browser, live_server, tmp_path
):
    check = Checked()

    # Falun's coordinator, in Swedish: the workspace, then a new visit to Kolomyia.
    falun = tab_for(browser, live_server, "falun@demo.example", locale="sv")
    falun.goto(url("workspace:home", "sv"))
    check(falun, "sv")
    falun.get_by_role("link", name="Aktiviteter", exact=True).first.click()
    check(falun, "sv")
    falun.goto(url("workspace:activity_create", "sv"))
    check(falun, "sv")
    falun.select_option("#id_kind", "visit")
    falun.fill("#id_title", TITLE)
    falun.select_option("#id_travelling_side", "swedish")
    falun.fill("#id_starts_on", "2026-11-16")
    falun.fill("#id_ends_on", "2026-11-19")
    falun.fill("#id_place", "Kolomyja")
    falun.fill("#id_purpose", "Vi lär oss hur skolköken i Kolomyja arbetar.")
    submit(falun, "#activity-form")
    check(falun, "sv")
    assert falun.locator("h1").inner_text() == TITLE
    visit = Activity.objects.get(title=TITLE)
    assert visit.status == ActivityStatus.PLANNED and visit.travelling_side == "swedish"

    # Kolomyia's coordinator, in Ukrainian: a participant from their side, then a comment in
    # the visit's conversation, reached from the visit's page.
    kolomyia = tab_for(browser, live_server, "kolomyia@demo.example", locale="uk")
    participant = (
        TeamMember.objects.filter(partnership__slug=OWN, side="partner").order_by("pk").first()
    )
    assert participant is not None  # the demo's team
    kolomyia.goto(url("workspace:activity", "uk", pk=visit.pk))
    check(kolomyia, "uk")
    kolomyia.get_by_role("link", name="Редагувати захід").click()
    check(kolomyia, "uk")
    kolomyia.locator(f"input[name=participants][value='{participant.pk}']").check()
    submit(kolomyia, "#activity-form")
    check(kolomyia, "uk")
    assert participant.name in kolomyia.locator("main").inner_text()
    assert visit.participants.filter(pk=participant.pk).exists()
    kolomyia.get_by_role("link", name="Обговорення цього заходу").click()
    check(kolomyia, "uk")
    assert kolomyia.url.endswith(url("conversations:activity_thread", "uk", activity_pk=visit.pk))
    kolomyia.fill("textarea[name=body]", COMMENT)
    kolomyia.select_option("select[name=language]", "uk")
    kolomyia.get_by_role("button", name="Надіслати").click()
    check(kolomyia, "uk")
    assert kolomyia.locator(".message-body[lang=uk]", has_text=COMMENT).count() == 1
    message = Message.objects.get(body=COMMENT)
    assert message.thread.activity_id == visit.pk

    # Falun's coordinator, in Swedish: done, with a short report, on the public page.
    falun.goto(url("workspace:activity", "sv", pk=visit.pk))
    check(falun, "sv")
    assert COMMENT not in falun.locator("main").inner_text()  # the comment is in its thread
    falun.fill("#id_done-report", REPORT)
    falun.select_option("#id_done-report_language", "sv")
    falun.locator("#id_done-is_public").check()
    submit(falun, "#done-form")
    check(falun, "sv")
    visit.refresh_from_db()
    assert visit.status == ActivityStatus.DONE and visit.is_public and visit.report == REPORT

    # … and uploads the minutes and a draft, from the documents area the workspace links.
    falun.get_by_role("link", name="Dokument", exact=True).first.click()
    check(falun, "sv")
    for title, category, text in (
        (MINUTES, "minutes", "Minutes of the study visit"),
        (DRAFT, "other", "Budget draft"),
    ):
        falun.goto(url("documents:upload", "sv"))
        check(falun, "sv")
        pdf = tmp_path / f"{category}.pdf"
        pdf.write_bytes(samples.pdf(text))
        falun.fill("input[name=title]", title)
        falun.select_option("select[name=category]", category)
        falun.select_option("select[name=language]", "sv")
        falun.set_input_files("input[name=file]", str(pdf))
        falun.get_by_role("button", name="Ladda upp", exact=True).click()
        check(falun, "sv")
        assert falun.locator("h1").inner_text() == title
    minutes, draft = Document.objects.get(title=MINUTES), Document.objects.get(title=DRAFT)
    assert not minutes.is_published and not draft.is_published

    # A programme officer, in English: publishes the minutes, leaves the draft.
    officer = tab_for(browser, live_server, "officer@icld.example", locale="en")
    officer.goto(url("documents:list", "en"))
    check(officer, "en")
    officer.get_by_role("link", name=MINUTES).click()
    check(officer, "en")
    officer.get_by_role("button", name="Publish on the public page").click()
    check(officer, "en")
    minutes.refresh_from_db()
    draft.refresh_from_db()
    assert minutes.is_published and not draft.is_published

    # The public page, for anyone, in each language: exactly what was published.
    team = list(TeamMember.objects.filter(partnership__slug=OWN).values_list("name", flat=True))
    assert participant.name in team
    for language in ("en", "uk", "sv"):
        public = tab_for(browser, live_server, None, locale=language)
        public.goto(url("catalogue:partnership", language))
        check(public, language)
        text = public.locator("main").inner_text()
        done = public.locator("section.partnership-done").inner_text()
        assert TITLE in done and REPORT in done, language
        assert public.get_by_role("link", name=MINUTES).count() == 1, language
        assert DRAFT not in text and COMMENT not in text, language
        assert [name for name in team if name in text] == [], language
        public.context.close()
    public = tab_for(browser, live_server, None, locale="en")
    public.goto(url("catalogue:partnership", "en"))
    with public.expect_download() as download:
        public.get_by_role("link", name=MINUTES).click()
    assert download.value.suggested_filename == "minutes.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"

    assert check.problems == [], "\n".join(check.problems)
    assert len(check.seen) >= 20
