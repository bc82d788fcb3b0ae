"""Issue 12.6: both partners sign off before submitting, a change clears the sign-offs, and a
grant above the requested amount or without the call's minimum of completed reviews needs an
exception approved by a second programme officer. Refusals first."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partnernet.accounts.testing import sign_in
from partnernet.audit.models import AuditEntry

from .. import services
from ..drafts import SectionEdit
from ..models import Application, DecisionException, DecisionLetter, State
from . import factories as f

pytestmark = pytest.mark.django_db


def _actions(application) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="grants.application", object_id=str(application.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


def _code(raised) -> str:
    """The code of a refusal (of its last message when it has several)."""
    return raised.value.error_list[-1].code


def _fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


# Sign-offs -------------------------------------------------------------------------------------
def test_submit_is_refused_without_both_sign_offs():
    application, writer = f.complete_application(f.call(), signed=False)
    with pytest.raises(ValidationError) as none:
        services.application_submit(application_id=application.pk, actor=writer)
    assert none.value.messages == [
        f"{application.swedish_partner} has not signed the application off.",
        f"{application.partner} has not signed the application off.",
    ]
    services.application_sign_off(application_id=application.pk, actor=writer)
    with pytest.raises(ValidationError) as one:
        services.application_submit(application_id=application.pk, actor=writer)
    assert one.value.messages == [f"{application.partner} has not signed the application off."]
    assert _fresh(application).state == State.DRAFT
    services.application_sign_off(
        application_id=application.pk, actor=f.coordinator(application.partner)
    )
    services.application_submit(application_id=application.pk, actor=writer)
    assert _fresh(application).state == State.SUBMITTED


def test_only_a_partners_coordinator_signs_off_once_for_their_own_side_when_complete():
    application, writer = f.complete_application(f.call(), signed=False)
    stranger = f.coordinator(f.pair(5)[0])
    with pytest.raises(ValidationError) as other:
        services.application_sign_off(application_id=application.pk, actor=stranger)
    assert other.value.messages == ["Only a coordinator of one of the partners can sign off."]
    with pytest.raises(ValidationError) as officer:
        services.application_sign_off(application_id=application.pk, actor=f.officer())
    assert officer.value.messages == ["Only a coordinator of one of the partners can sign off."]
    services.application_sign_off(application_id=application.pk, actor=writer)
    with pytest.raises(ValidationError) as twice:
        services.application_sign_off(application_id=application.pk, actor=writer)
    assert twice.value.messages == ["Your side has already answered."]
    incomplete, incomplete_writer = f.complete_application(f.call(), index=1, signed=False)
    incomplete.letter_of_intent = ""
    Application.objects.filter(pk=incomplete.pk).update(letter_of_intent="")
    with pytest.raises(ValidationError) as unfinished:
        services.application_sign_off(application_id=incomplete.pk, actor=incomplete_writer)
    assert unfinished.value.messages == [
        "The application is not complete yet, so it cannot be signed off:",
        "Upload the letter of intent signed by both partners.",
    ]


def test_a_sign_off_is_withdrawn_only_by_its_side_and_only_while_the_application_is_a_draft():
    application, writer = f.complete_application(f.call(), signed=False)
    partner_writer = f.coordinator(application.partner)
    with pytest.raises(ValidationError) as not_given:
        services.application_sign_off_withdraw(application_id=application.pk, actor=writer)
    assert not_given.value.messages == ["Your side has not answered."]
    services.application_sign_off(application_id=application.pk, actor=writer)
    with pytest.raises(ValidationError) as others:
        services.application_sign_off_withdraw(application_id=application.pk, actor=partner_writer)
    assert others.value.messages == ["Your side has not answered."]
    services.application_sign_off_withdraw(application_id=application.pk, actor=writer)
    fresh = _fresh(application)
    assert fresh.swedish_signed_off_at is None and fresh.swedish_signed_off_by is None
    assert _actions(application)[-2:] == ["sign_off", "withdraw_sign_off"]
    f.sign_off_both(application, swedish_writer=writer, partner_writer=partner_writer)
    services.application_submit(application_id=application.pk, actor=writer)
    with pytest.raises(ValidationError) as submitted:
        services.application_sign_off_withdraw(application_id=application.pk, actor=writer)
    assert submitted.value.messages == ["This application can no longer be edited."]
    assert _fresh(application).signed_off


def test_a_change_after_the_sign_offs_clears_both_and_says_so(django_capture_on_commit_callbacks):
    application, writer = f.complete_application(f.call(), signed=False)
    partner_writer = f.coordinator(application.partner)
    f.sign_off_both(application, swedish_writer=writer, partner_writer=partner_writer)
    assert _fresh(application).signed_off
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.budget_line_add(
            application_id=application.pk,
            actor=writer,
            category=f.category("travel"),
            description="A third visit",
            amount=Decimal(10_000),
        )
    fresh = _fresh(application)
    assert not fresh.signed_off
    assert fresh.swedish_signed_off_at is None and fresh.partner_signed_off_at is None
    assert fresh.signoffs_cleared_by == writer and fresh.signoffs_cleared_at is not None
    assert _actions(application)[-2:] == ["add_budget_line", "clear_sign_offs"]
    # the partner who had signed off is told; the writer who changed it is not
    assert [message.to for message in mail.outbox] == [[partner_writer.email]]
    # in her language (Swedish unless she chose another)
    assert "båda parternas godkännanden har tagits bort" in mail.outbox[0].body
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application_id=application.pk, actor=writer)
    assert len(refused.value.messages) == 2
    # the page says it too, to both partners
    page = Client()
    page.force_login(partner_writer)
    html = page.get(f"/en/grants/applications/{application.pk}/").content.decode()
    assert "The sign-offs were cleared because" in html and 'id="signoffs-cleared"' in html


@pytest.mark.parametrize(
    "change",
    ["text", "team", "budget_remove", "letter"],
)
def test_every_kind_of_change_clears_the_sign_offs(change):
    application, writer = f.complete_application(f.call(), signed=True)
    assert _fresh(application).signed_off
    if change == "text":
        section = application.sections.get(key="summary")
        services.application_draft_save(
            application_id=application.pk,
            actor=writer,
            sections={
                "summary": SectionEdit(
                    texts={"sv": "Nya skolor"}, source="sv", version=section.version
                )
            },
        )
    elif change == "team":
        services.team_member_add(
            application_id=application.pk,
            actor=writer,
            side="swedish",
            role="civil_servant",
            name="Eva",
        )
    elif change == "budget_remove":
        services.budget_line_remove(line_id=application.budget_lines.get().pk, actor=writer)
    else:
        services.application_letter_upload(
            application_id=application.pk,
            actor=writer,
            upload=SimpleUploadedFile("loi.pdf", f.PDF),
        )
    assert not _fresh(application).signed_off


def test_a_save_that_changes_nothing_keeps_the_sign_offs():
    application, writer = f.complete_application(f.call(), signed=True)
    services.application_draft_save(application_id=application.pk, actor=writer, sections={})
    assert _fresh(application).signed_off


def test_the_partner_sees_who_changed_which_section_and_when():
    application, writer = f.complete_application(f.call(), signed=False)
    partner_writer = f.coordinator(application.partner, full_name="Olena Kovalenko")
    section = application.sections.get(key="background")
    services.application_draft_save(
        application_id=application.pk,
        actor=partner_writer,
        sections={
            "background": SectionEdit(
                texts={"uk": "Потреби громади"}, source="uk", version=section.version
            )
        },
    )
    client = Client()
    client.force_login(writer)
    html = client.get(f"/en/grants/applications/{application.pk}/").content.decode()
    assert "Last changed by Olena Kovalenko" in html
    assert f"Last changed by {writer.full_name}" in html  # the summary and the budget
    # nobody outside the application reads it: another coordinator gets a 404
    outsider = Client()
    outsider.force_login(f.coordinator(f.pair(6)[0]))
    assert outsider.get(f"/en/grants/applications/{application.pk}/").status_code == 404


# Exceptions to the decision rules ----------------------------------------------------------------
def test_a_grant_above_the_requested_amount_is_refused_without_an_exception():
    application = f.in_review(f.call(), amount=Decimal(40_000))
    staff = f.officer()
    with pytest.raises(ValidationError) as refused:
        services.application_grant(
            application_id=application.pk, actor=staff, amount=Decimal(200_000), reasons="Good"
        )
    assert _code(refused) == "exception_needed"
    assert refused.value.messages == [
        "The amount is above the SEK 40\xa0000 the partners asked for.",
        "Such a grant needs an exception approved by a second programme officer: ask for one, "
        "with your reason, under “Exception”.",
    ]
    assert _fresh(application).state == State.IN_REVIEW
    assert not DecisionLetter.objects.filter(application=application).exists()


def test_a_grant_without_the_minimum_of_completed_reviews_is_refused_without_an_exception():
    application = f.in_review(f.call(min_reviews=2), reviewed=False)
    conflicted = f.reviewer()
    review = services.review_assign(
        application_id=application.pk, reviewer=conflicted, actor=conflicted
    )
    services.review_submit(
        review_id=review.pk,
        actor=conflicted,
        scores={},
        comments="",
        conflict_of_interest=True,
        conflict_explanation="My brother works there",
    )
    f.review_done(application)  # one completed review; the conflict of interest is none
    with pytest.raises(ValidationError) as refused:
        services.application_grant(
            application_id=application.pk,
            actor=f.officer(),
            amount=Decimal(150_000),
            reasons="Good",
        )
    assert refused.value.messages[0] == (
        "The call asks for 2 completed reviews before a grant; this application has 1."
    )
    assert _fresh(application).state == State.IN_REVIEW


def test_an_exception_is_refused_when_not_needed_or_without_a_reason():
    application = f.in_review(f.call())
    staff = f.officer()
    with pytest.raises(ValidationError) as not_needed:
        services.decision_exception_request(
            application_id=application.pk, actor=staff, amount=Decimal(150_000), reason="Why not"
        )
    assert _code(not_needed) == "not_needed"
    with pytest.raises(ValidationError) as no_reason:
        services.decision_exception_request(
            application_id=application.pk, actor=staff, amount=Decimal(200_000), reason="  "
        )
    assert no_reason.value.messages == ["Say why the exception is needed."]
    assert not DecisionException.objects.exists()


def test_self_approval_is_refused_and_a_declined_exception_lets_nothing_through():
    application = f.in_review(f.call())
    asker, second = f.officer(), f.officer()
    exception = services.decision_exception_request(
        application_id=application.pk,
        actor=asker,
        amount=Decimal(200_000),
        reason="Visa costs rose",
    )
    with pytest.raises(ValidationError) as self_approval:
        services.decision_exception_answer(exception_id=exception.pk, actor=asker, approve=True)
    assert _code(self_approval) == "self_approval"
    assert self_approval.value.messages == [
        "You asked for this exception; a second programme officer must answer it."
    ]
    with pytest.raises(ValidationError):  # still only requested: no grant
        services.application_grant(
            application_id=application.pk, actor=asker, amount=Decimal(200_000), reasons="Good"
        )
    with pytest.raises(ValidationError) as no_note:
        services.decision_exception_answer(exception_id=exception.pk, actor=second, approve=False)
    assert no_note.value.messages == ["Say why the exception is declined."]
    services.decision_exception_answer(
        exception_id=exception.pk, actor=second, approve=False, note="Keep to the budget"
    )
    with pytest.raises(ValidationError) as declined:
        services.application_grant(
            application_id=application.pk, actor=asker, amount=Decimal(200_000), reasons="Good"
        )
    assert _code(declined) == "exception_needed"
    with pytest.raises(ValidationError) as answered:
        services.decision_exception_answer(exception_id=exception.pk, actor=second, approve=True)
    assert answered.value.messages == ["This exception has already been answered."]


def test_the_approver_may_not_decide_and_another_amount_is_not_covered():
    application = f.in_review(f.call())
    asker, second = f.officer(), f.officer()
    exception = services.decision_exception_request(
        application_id=application.pk,
        actor=asker,
        amount=Decimal(200_000),
        reason="Visa costs rose",
    )
    services.decision_exception_answer(exception_id=exception.pk, actor=second, approve=True)
    with pytest.raises(ValidationError) as approver:
        services.application_grant(
            application_id=application.pk, actor=second, amount=Decimal(200_000), reasons="Good"
        )
    assert _code(approver) == "approver_decides"
    with pytest.raises(ValidationError) as other_amount:
        services.application_grant(
            application_id=application.pk, actor=asker, amount=Decimal(210_000), reasons="Good"
        )
    assert _code(other_amount) == "exception_needed"
    assert _fresh(application).state == State.IN_REVIEW


def test_with_a_second_officers_approved_exception_the_grant_goes_through_and_every_step_is_audited(
    django_capture_on_commit_callbacks,
):
    application = f.in_review(f.call(), amount=Decimal(40_000), reviewed=False)
    asker, second = f.officer(email="asker@grants.test"), f.officer(email="second@grants.test")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        exception = services.decision_exception_request(
            application_id=application.pk,
            actor=asker,
            amount=Decimal(60_000),
            reason="Two more visits are needed before the winter",
        )
    assert exception.above_requested and exception.too_few_reviews
    assert "second@grants.test" in {a for m in mail.outbox for a in m.to}
    assert "asker@grants.test" not in {a for m in mail.outbox for a in m.to}
    services.decision_exception_answer(
        exception_id=exception.pk, actor=second, approve=True, note="Agreed"
    )
    services.application_grant(
        application_id=application.pk,
        actor=asker,
        amount=Decimal(60_000),
        reasons="Strong plan",
        reasons_language="en",
    )
    fresh = _fresh(application)
    assert fresh.state == State.GRANTED and fresh.granted_amount == Decimal(60_000)
    exception.refresh_from_db()
    assert exception.status == DecisionException.Status.USED
    assert exception.answered_by == second
    actions = _actions(application)
    steps = ["request_exception", "approve_exception", "grant", "use_exception"]
    assert [action for action in actions if action in steps] == steps
    # used once: a second decision on the same exception is not possible
    with pytest.raises(ValidationError):
        services.application_grant(
            application_id=application.pk, actor=asker, amount=Decimal(60_000), reasons="Again"
        )


# Decision letters ------------------------------------------------------------------------------
def test_a_decision_writes_a_letter_in_each_partners_language_quoting_the_reasons_as_written():
    application = f.in_review(f.call())
    services.application_grant(
        application_id=application.pk,
        actor=f.officer(),
        amount=Decimal(150_000),
        reasons="Ett starkt och realistiskt program.",
        reasons_language="sv",
    )
    swedish = DecisionLetter.objects.get(application=application, side="swedish")
    partner = DecisionLetter.objects.get(application=application, side="partner")
    assert (swedish.language, partner.language) == ("sv", "uk")
    assert "150\xa0000" in swedish.body
    assert '<blockquote lang="sv">' in swedish.body and '<blockquote lang="sv">' in partner.body
    assert "Ett starkt och realistiskt program." in partner.body
    assert 'lang="uk"' in partner.body
    # the Ukrainian letter says the reasons are quoted in Swedish; the Swedish one needs no note
    assert "Svenska" in partner.body and "document-note" not in swedish.body


def test_a_rejection_writes_letters_too():
    application = f.in_review(f.call())
    services.application_reject(
        application_id=application.pk,
        actor=f.officer(),
        reasons="The plan does not fit the call.",
        reasons_language="en",
    )
    assert DecisionLetter.objects.filter(application=application).count() == 2


# Documents through the pages --------------------------------------------------------------------
def _granted():
    application = f.in_review(f.call())
    services.application_grant(
        application_id=application.pk, actor=f.officer(), amount=Decimal(150_000), reasons="Good"
    )
    return _fresh(application)


def test_documents_are_refused_to_people_who_may_not_see_them():
    application = _granted()
    base = f"/en/grants/applications/{application.pk}"
    outsider = Client()
    outsider.force_login(f.coordinator(f.pair(7)[0]))
    for path in ("/decision-letters/partner/", "/agreement/text/", "/letter-of-intent.pdf"):
        assert outsider.get(base + path).status_code == 404, path
    assessor = sign_in(Client(), application.reviews.get().reviewer)
    assert assessor.get(base + "/decision-letters/partner/").status_code == 403
    assert assessor.get(base + "/agreement/text/").status_code == 403
    assert assessor.get(base + "/letter-of-intent.pdf").status_code == 200
    writer = Client()
    writer.force_login(f.coordinator(application.partner))
    assert writer.get(base + "/decision-letters/nobody/").status_code == 404
    assert Client().get(base + "/agreement/text/").status_code == 302  # sign in first


def test_the_partners_download_their_documents_and_read_the_agreement_before_accepting():
    application = _granted()
    base = f"/en/grants/applications/{application.pk}"
    partner = Client()
    partner.force_login(f.coordinator(application.partner))
    letter = partner.get(base + "/decision-letters/partner/")
    assert letter.status_code == 200 and 'lang="uk"' in letter.content.decode()
    loi = partner.get(base + "/letter-of-intent.pdf")
    assert loi.status_code == 200 and loi["Content-Type"] == "application/pdf"
    assert b"".join(loi.streaming_content).startswith(b"%PDF-")
    text = partner.get(base + "/agreement/text/").content.decode()
    assert "Grant agreement" in text and "Salaries and per diems are not eligible" in text
    page = partner.get(base + "/").content.decode()
    # the agreement's text comes before the button that accepts it
    assert page.index('id="agreement-text"') < page.index('id="accept-form"')


# The same through the pages ---------------------------------------------------------------------
def test_through_the_pages_a_second_officer_approves_and_the_first_one_grants():
    application = f.in_review(f.call(), amount=Decimal(40_000))
    base = f"/en/grants/applications/{application.pk}"
    first, second = sign_in(Client(), f.officer()), sign_in(Client(), f.officer())
    decision = {
        "decision-decision": "grant",
        "decision-amount": "60000",
        "decision-reasons": "Two more visits are needed",
        "decision-reasons_language": "en",
    }
    refused = first.post(base + "/decision/", decision)
    assert refused.status_code == 400
    assert "above the SEK 40\xa0000 the partners asked for" in refused.content.decode()
    empty = first.post(base + "/exceptions/", {"exception-amount": "60000"})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    asked = first.post(
        base + "/exceptions/",
        {"exception-amount": "60000", "exception-reason": "Visa costs rose"},
    )
    assert asked.status_code == 302 and asked["Location"].endswith("#assessment")
    exception = DecisionException.objects.get(application=application)
    own = first.post(
        base + f"/exceptions/{exception.pk}/", {f"answer-{exception.pk}-answer": "approve"}
    )
    assert own.status_code == 400 and "a second programme officer must answer it" in (
        own.content.decode()
    )
    page = second.get(base + "/").content.decode()
    assert f'id="answer-form-{exception.pk}"' in page and "Visa costs rose" in page
    approved = second.post(
        base + f"/exceptions/{exception.pk}/", {f"answer-{exception.pk}-answer": "approve"}
    )
    assert approved.status_code == 302
    assert second.post(base + "/decision/", decision).status_code == 400  # the approver
    granted = first.post(base + "/decision/", decision)
    assert granted.status_code == 302
    assert _fresh(application).state == State.GRANTED
    page = first.get(base + "/").content.decode()
    assert "exception approved by a second officer" in page  # in the history


def test_through_the_page_a_writer_signs_off_and_withdraws():
    application, writer = f.complete_application(f.call(), signed=False)
    client = Client()
    client.force_login(writer)
    base = f"/en/grants/applications/{application.pk}"
    signed = client.post(base + "/sign-off/", {})
    assert signed.status_code == 302 and signed["Location"].endswith("#sign-off")
    assert _fresh(application).swedish_signed_off_by == writer
    page = client.get(base + "/").content.decode()
    assert 'id="withdraw-sign-off"' in page and "not signed off yet" in page
    withdrawn = client.post(base + "/sign-off/", {"withdraw": "1"})
    assert withdrawn.status_code == 302 and _fresh(application).swedish_signed_off_at is None
    again = client.post(base + "/sign-off/", {"withdraw": "1"})
    assert again.status_code == 400 and "Your side has not answered." in again.content.decode()


def test_the_autosave_answer_says_when_a_change_cleared_the_sign_offs():
    application, writer = f.complete_application(f.call(), signed=True)
    client = Client()
    client.force_login(writer)
    values = f.draft_form_values(client, application)
    response = client.post(
        f"/en/grants/applications/{application.pk}/autosave/",
        values | {"summary_sv": "Demokratiska skolor för alla"},
        headers={"X-Requested-With": "fetch"},
    )
    body = response.json()
    assert response.status_code == 200 and body["signoffs_cleared"] is True
    assert "both partners' sign-offs were cleared" in body["message"]
    again = client.post(
        f"/en/grants/applications/{application.pk}/autosave/",
        f.draft_form_values(client, application) | {"summary_sv": "Skolor för alla"},
        headers={"X-Requested-With": "fetch"},
    )
    assert again.json()["signoffs_cleared"] is False  # nothing left to clear
