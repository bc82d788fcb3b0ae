"""The start page per role (`/{lang}/me/`), where sign-in lands, the menus, and the language
that sticks on pages without a prefix (issue 12.3 and 12.4)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.audit.services import audit_record
from partnernet.core.demo_accounts import DEMO_PASSWORD
from partnernet.grants.models import Agreement, Application, ReportingDeadline, Review, State
from partnernet.lib.systemtext import system_text
from partnernet.matchmaking import services as queue
from partnernet.matchmaking.demo import queue_fill
from partnernet.matchmaking.models import LetterOfIntent, MatchProposal, QueueEntry, Stage
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network, Partnership
from partnernet.reports.tests.clean import reports_cleared

pytestmark = pytest.mark.django_db

FALUN = "falun@demo.example"  # coordinator of Falun (Falun–Kolomyia)
KHERSON = "kherson@demo.example"  # coordinator of Kherson (Umeå–Kherson)
UMEA = "umea@demo.example"
OFFICER = "officer@icld.example"
REVIEWER = "reviewer@icld.example"
NETWORK = "democratic-resilience"


def person(email: str, language: str = "sv") -> User:
    User.objects.filter(email=email).update(preferred_language=language)
    return User.objects.get(email=email)


def signed_in(email: str, language: str = "sv") -> Client:
    return sign_in(Client(), person(email, language))


def items(response) -> list[tuple[str, str]]:
    """(kind, link) of every waiting item on the page."""
    html = response.content.decode()
    return re.findall(r'<li data-kind="(\w+)"><a href="([^"]+)"', html)


def a_proposal_for_falun() -> MatchProposal:
    falun = Partnership.objects.get(slug="falun-kolomyia").swedish_partner
    partner = Municipality.objects.filter(country_id="UA", international_partnerships=None)
    return MatchProposal.objects.create(
        network=Network.objects.get(slug=NETWORK), swedish_partner=falun, partner=partner.first()
    )


# Refusals first ------------------------------------------------------------------------------
def test_the_start_page_asks_an_anonymous_visitor_to_sign_in():
    response = Client().get("/uk/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/uk/me/")


def test_another_municipalitys_proposal_does_not_wait_for_me():
    proposal = a_proposal_for_falun()
    response = signed_in(UMEA).get("/sv/me/")
    assert response.status_code == 200
    assert f"/sv/queue/proposals/{proposal.pk}/" not in response.content.decode()


def test_an_answered_proposal_no_longer_waits():
    proposal = a_proposal_for_falun()
    MatchProposal.objects.filter(pk=proposal.pk).update(
        swedish_response="accepted", swedish_responded_at=timezone.now()
    )
    assert ("proposal", f"/sv/queue/proposals/{proposal.pk}/") not in items(
        signed_in(FALUN).get("/sv/me/")
    )


def test_an_officer_is_not_asked_to_answer_every_municipalitys_proposal():
    a_proposal_for_falun()
    kinds = {kind for kind, _link in items(signed_in(OFFICER).get("/sv/me/"))}
    assert "proposal" not in kinds and "letter" not in kinds


def test_a_project_member_sees_no_menu_entries_they_may_not_open():
    html = signed_in("member@demo.example").get("/sv/me/").content.decode()
    assert 'href="/sv/grants/"' not in html and 'href="/accounts/people/"' not in html
    assert f'href="/sv/queue/{NETWORK}/"' not in html
    assert 'href="/sv/me/"' in html and 'href="/accounts/"' in html


# What waits, with the exact page -------------------------------------------------------------
def test_a_coordinator_is_asked_to_answer_a_proposal_and_confirm_a_letter():
    proposal = a_proposal_for_falun()
    letter = LetterOfIntent.objects.create(
        network=proposal.network, swedish_partner=proposal.swedish_partner, partner=proposal.partner
    )
    response = signed_in(FALUN, "uk").get("/uk/me/")
    assert response.status_code == 200
    found = items(response)
    assert ("proposal", f"/uk/queue/proposals/{proposal.pk}/") in found
    assert ("letter", f"/uk/queue/letters/{letter.pk}/") in found
    html = response.content.decode()
    assert "Дайте відповідь на запропоновану пару" in html and "Моя стартова сторінка" in html


def test_the_coordinator_sees_their_partnership_and_queue_place():
    html = signed_in(FALUN).get("/sv/me/").content.decode()
    entry = QueueEntry.objects.get(municipality__code="2080", network__slug=NETWORK)
    assert f'href="/sv/queue/{NETWORK}/entries/{entry.pk}/"' in html
    assert 'href="/sv/partnerships/falun-kolomyia/"' in html


def test_a_reviewer_is_asked_for_their_review_and_an_officer_for_the_decision():
    application = Application.objects.filter(partnership__slug="falun-kolomyia").first()
    Application.objects.filter(pk=application.pk).update(state=State.IN_REVIEW)
    reviewer = person(REVIEWER)
    Review.objects.get_or_create(application=application, reviewer=reviewer)
    assert ("review", f"/sv/grants/applications/{application.pk}/review/") in items(
        sign_in(Client(), reviewer).get("/sv/me/")
    )
    assert ("decide", f"/en/grants/applications/{application.pk}/decision/") in items(
        signed_in(OFFICER).get("/en/me/")
    )


def test_sections_changed_by_the_partner_wait_for_the_other_coordinator():
    application = Application.objects.filter(partnership__slug="falun-kolomyia").first()
    Application.objects.filter(pk=application.pk).update(state=State.DRAFT)
    application.refresh_from_db()
    kolomyia = User.objects.filter(email="kolomyia@demo.example").first()
    audit_record(
        actor=kolomyia, action="save_draft", obj=application, after={"changed": ["summary"]}
    )
    link = ("changed", f"/sv/grants/applications/{application.pk}/")
    assert link in items(signed_in(FALUN).get("/sv/me/"))
    # Once Falun's coordinator has worked on it since, it no longer waits.
    audit_record(actor=person(FALUN), action="save_draft", obj=application, after={})
    assert link not in items(signed_in(FALUN).get("/sv/me/"))


# Sign-in lands on the start page, in the person's language -----------------------------------
def test_a_ukrainian_coordinator_signing_in_lands_on_the_ukrainian_start_page():
    person(KHERSON, "uk")
    response = Client().post("/accounts/login/", {"email": KHERSON, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/uk/me/"
    assert response.cookies["django_language"].value == "uk"


def test_a_safe_next_wins_and_an_unsafe_one_is_ignored():
    person(KHERSON, "uk")
    client = Client()
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"email": KHERSON, "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/uk/me/"
    response = Client().post(
        "/accounts/login/?next=/sv/partnerships/", {"email": KHERSON, "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/sv/partnerships/"


# Pages without a prefix follow the person's language, unless they switch ---------------------
def test_unprefixed_pages_follow_the_preferred_language_until_the_person_switches():
    client = signed_in(KHERSON, "uk")
    for path in ("/accounts/", "/open-data/", "/api/v1/tokens/"):
        response = client.get(path)
        if response.status_code == 404:
            continue
        assert '<html lang="uk">' in response.content.decode(), path
    page = client.get("/accounts/").content.decode()
    # The language switch of an unprefixed page sets the language (a link would not change it).
    assert 'action="/i18n/setlang/"' in page and 'name="language" value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert '<html lang="en">' in client.get("/accounts/").content.decode()


def test_an_anonymous_visitors_chosen_language_sticks_on_unprefixed_pages():
    client = Client()
    client.post("/i18n/setlang/", {"language": "uk", "next": "/accounts/login/"})
    assert '<html lang="uk">' in client.get("/accounts/login/").content.decode()
    assert '<html lang="uk">' in client.get("/open-data/").content.decode()


def test_a_prefixed_page_keeps_its_prefixs_language():
    client = signed_in(KHERSON, "uk")
    assert '<html lang="sv">' in client.get("/sv/").content.decode()


def test_changing_ones_language_moves_the_unprefixed_pages_with_it():
    client = signed_in(KHERSON, "uk")
    response = client.post("/accounts/", {"full_name": "Olena", "preferred_language": "en"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/accounts/").content.decode()


# E-mails: the recipient's language, a full link to the exact page ----------------------------
def test_a_queue_move_is_mailed_to_each_coordinator_in_their_language_with_a_link(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://partnernet.example"
    person(KHERSON, "uk")
    kherson = Municipality.objects.get(international_partnerships__slug="umea-kherson")
    network = Network.objects.get(slug=NETWORK)
    entry = QueueEntry.objects.get(municipality=kherson, network=network)
    QueueEntry.objects.filter(pk=entry.pk).update(stage=Stage.INTERESTED)
    with django_capture_on_commit_callbacks(execute=True):
        queue.queue_entry_move(
            municipality=kherson,
            network=network,
            stage=Stage.MATCHED,
            actor=None,
            reason=system_text("Matched by ICLD"),
        )
    [message] = [m for m in mail.outbox if m.to == [KHERSON]]
    assert "Ваше місце в черзі змінилося" in message.subject or re.search("[а-яі]", message.subject)
    assert "Пару утворено ICLD" in message.body and "Matched by ICLD" not in message.body
    link = f"https://partnernet.example/uk/queue/{NETWORK}/entries/{entry.pk}/"
    assert link in message.body


def test_an_invitation_takes_a_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "createuser",
            "--email",
            "olena@hromada.example",
            "--role",
            "reviewer",
            "--language",
            "uk",
            stdout=io.StringIO(),
        )
    olena = User.objects.get(email="olena@hromada.example")
    assert olena.preferred_language == "uk"
    [message] = mail.outbox
    assert re.search("[а-яі]", message.subject) and "/accounts/password/set/" in message.body


def test_an_invitation_with_an_unknown_language_is_refused():
    with pytest.raises((CommandError, SystemExit)):
        call_command(
            "createuser", "--email", "x@example.org", "--role", "reviewer", "--language", "de"
        )
    assert not User.objects.filter(email="x@example.org").exists()


# A constant number of queries, whatever the size of the queue --------------------------------
def _fill_queue(count: int) -> None:
    queue_fill(network=Network.objects.get(slug=NETWORK), count=count, spacing=timedelta(days=1))


def _queries(django_assert_max_num_queries, email: str, size: int, limit: int):
    _fill_queue(size - QueueEntry.objects.count())
    client = signed_in(email)
    client.get("/sv/me/")  # warm: session, translations
    with django_assert_max_num_queries(limit) as captured:
        assert client.get("/sv/me/").status_code == 200
    return len(captured)


@pytest.mark.parametrize("email", [FALUN, OFFICER])
def test_the_start_page_reads_a_fixed_number_of_queries(email, django_assert_max_num_queries):
    small = _queries(django_assert_max_num_queries, email, 20, 25)
    large = _queries(django_assert_max_num_queries, email, 1000, 25)
    assert small == large


def test_the_people_form_invites_in_the_chosen_language(django_capture_on_commit_callbacks):
    client = signed_in(OFFICER)
    form = {"email": "mykola@hromada.example", "role": "reviewer", "organisation": "funder"}
    response = client.post("/accounts/people/", {**form, "language": "de"})
    assert response.status_code == 400  # an unknown language is refused, nobody is invited
    assert not User.objects.filter(email="mykola@hromada.example").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/people/", {**form, "language": "uk"})
    assert response.status_code == 200
    assert User.objects.get(email="mykola@hromada.example").preferred_language == "uk"
    [message] = mail.outbox
    assert re.search("[а-яі]", message.subject)
    assert "https://" in message.body or "http://" in message.body


def test_an_agreement_to_accept_and_a_report_due_soon_wait_for_the_coordinator():
    application = Application.objects.filter(partnership__slug="falun-kolomyia").first()
    Application.objects.filter(pk=application.pk).update(state=State.GRANTED)
    reports_cleared(application.partnership)  # the demo's report on the agreement
    Agreement.objects.filter(application=application).delete()
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        application=application, starts_on=today, ends_on=today + timedelta(days=365)
    )
    url = f"/sv/grants/applications/{application.pk}/"
    assert ("agreement", f"{url}#agreement-heading") in items(signed_in(FALUN).get("/sv/me/"))
    # Accepted by Falun's side: no longer Falun's to do; reports come once it is signed.
    Agreement.objects.filter(pk=agreement.pk).update(swedish_accepted_at=timezone.now())
    Application.objects.filter(pk=application.pk).update(state=State.ACTIVE)
    ReportingDeadline.objects.create(
        agreement=agreement, kind="annual", due_on=today + timedelta(30)
    )
    ReportingDeadline.objects.create(
        agreement=agreement, kind="final", due_on=today + timedelta(300)
    )
    found = items(signed_in(FALUN).get("/sv/me/"))
    assert [kind for kind, _ in found if kind in ("agreement", "report")] == ["report"]
    assert ("report", url) in found
    assert ("report", url) not in items(signed_in(UMEA).get("/sv/me/"))
