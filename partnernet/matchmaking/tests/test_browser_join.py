"""In Chromium, on a 360 px screen, in Ukrainian: a hromada that is not in the network finds
itself with a misspelt name, creates its coordinator account and profile, confirms its e-mail
address by the link in the mail, waits for verification (invisible to the public), and an
officer verifies it from the queue; then it waits in the queue. Every page has zero axe-core
violations and fits the screen; the coordinator's e-mails are in Ukrainian with links."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from partnernet.matchmaking.models import JoinRequest, QueueEntry
from partnernet.municipalities.models import Municipality

from .test_browser import sign_in_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NETWORK = "democratic-resilience"
PASSWORD = "довгий-пароль-для-громади-1"


def _check(page, axe: Axe) -> None:
    result = axe.run(page)
    assert result.violations_count == 0, f"{page.url}: {result.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways ({width}px)"


def _path(link: str) -> str:
    return urlsplit(link).path


def _link_in(body: str) -> str:
    start = body.index(settings.SITE_URL)
    return body[start:].split()[0]


def test_a_hromada_joins_by_itself_in_ukrainian_on_a_phone(page, live_server):
    axe = Axe()
    page.set_viewport_size({"width": 360, "height": 740})
    hromada = (
        Municipality.objects.filter(country_id="UA", kind="urban", queue_entries__isnull=True)
        .exclude(name_latin="")
        .order_by("code")
        .first()
    )
    assert hromada is not None
    name = hromada.name_uk or hromada.name  # as the Ukrainian pages name it
    # From the home page, in Ukrainian.
    page.goto("/uk/")
    page.get_by_role("link", name="Приєднатися до мережі").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Приєднатися до мережі")
    _check(page, axe)
    # The Latin name in lower case, y written i and a letter doubled: the live search (htmx)
    # still finds it.
    latin = hromada.name_latin.lower().replace("y", "i")
    typo = latin[:3] + latin[2] + latin[3:]
    page.get_by_label("Назва вашого муніципалітету, громади чи області").fill(typo)
    choice = page.locator(f'#join-choices a[href*="municipality={hromada.code}"]')
    expect(choice).to_be_visible()
    _check(page, axe)
    choice.click()
    expect(page.get_by_role("heading", level=2, name=f"Запит для {name}")).to_be_visible()
    page.get_by_label("Ваше ім’я").fill("Оксана Коваль")
    page.get_by_label("Ваша службова електронна адреса").fill("oksana@hromada.example")
    page.get_by_label("Освіта").check()
    page.get_by_label("Чого потребує ваша громада, за сферами співпраці").fill(
        "Нам потрібна допомога з демократичною освітою для молоді."
    )
    _check(page, axe)
    page.get_by_role("button", name="Надіслати запит").click()
    expect(page.get_by_role("heading", name="Перевірте свою пошту")).to_be_visible()
    _check(page, axe)

    request = JoinRequest.objects.get(municipality=hromada)
    assert request.status == JoinRequest.Status.UNCONFIRMED
    assert request.user.preferred_language == "uk"
    [confirmation] = [m for m in mail.outbox if "oksana@hromada.example" in m.to]
    assert (
        confirmation.subject == "Підтвердьте свою електронну адресу, щоб приєднатися до Partnernet"
    )
    link = _link_in(confirmation.body)
    assert _path(link).startswith("/uk/join/confirm/")

    # Before confirming, and after, nothing of it is public.
    page.goto(f"/uk/queue/{NETWORK}/")
    assert name not in page.content() and hromada.code not in page.content()
    page.goto(_path(link))
    _check(page, axe)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Підтвердити").click()
    expect(page.get_by_role("heading", name="Запит підтверджено")).to_be_visible()
    _check(page, axe)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.AWAITING
    page.goto(f"/uk/queue/{NETWORK}/")
    assert name not in page.content() and hromada.code not in page.content()
    assert not QueueEntry.objects.filter(municipality=hromada).exists()

    # The officer sees it awaiting verification and verifies it.
    sign_in_officer(page, live_server)
    page.goto(f"/uk/queue/{NETWORK}/")
    awaiting = page.get_by_role("region", name="Очікують перевірки")
    expect(awaiting.get_by_role("link", name=name)).to_be_visible()
    _check(page, axe)
    awaiting.get_by_role("link", name=name).click()
    _check(page, axe)
    page.get_by_label("Підтвердити: громада стає в чергу").check()
    page.get_by_role("button", name="Записати рішення").click()
    expect(page.get_by_role("status")).to_contain_text("тепер громада чекає в черзі")
    entry = QueueEntry.objects.get(municipality=hromada)
    assert entry.stage == "interested"
    # Now it waits: in the officer's queue among the waiting, and counted for the public.
    waiting_rows = page.locator("tr", has=page.get_by_role("link", name=name))
    expect(waiting_rows).to_have_count(1)
    expect(waiting_rows).to_contain_text("зацікавлен")
    assert page.get_by_role("region", name="Очікують перевірки").count() == 0
    _check(page, axe)

    mails = [m for m in mail.outbox if "oksana@hromada.example" in m.to]
    assert [m.subject for m in mails] == [
        "Підтвердьте свою електронну адресу, щоб приєднатися до Partnernet",
        "Ваша громада в черзі",
    ]
    assert _path(_link_in(mails[1].body)) == f"/uk/queue/{NETWORK}/entries/{entry.pk}/"
    assert "перевірено" in mails[1].body

    # The coordinator signs in (the language of the sign-in page is the browser's) and lands
    # on their start page in Ukrainian, with their place in the queue linked.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("input[name=email]").fill("oksana@hromada.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/uk/me/")
    assert page.locator("html").get_attribute("lang") == "uk"
    expect(page.get_by_role("heading", level=1)).to_have_text("Моя стартова сторінка")
    queue = page.get_by_role("region", name="Моє місце в черзі")
    place = queue.get_by_role("link", name=name)
    expect(place).to_have_attribute("href", f"/uk/queue/{NETWORK}/entries/{entry.pk}/")
    _check(page, axe)
