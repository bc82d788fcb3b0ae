"""Attack on sign-offs, decision exceptions, decisions and decision letters through the pages
(issue 12.6): bad and huge input is refused with a message and nothing is written, keys of
another application are not found, nobody answers for a side or an exception they do not hold,
an exception is answered only while the application can still be granted, a used exception
lets nothing through twice. Expected values are written by hand."""

from decimal import Decimal

import pytest
from django.test import Client

from partnernet.accounts.testing import sign_in

from .. import services
from ..models import Application, CallState, DecisionException, DecisionLetter, State
from . import factories as f

pytestmark = pytest.mark.django_db


def _fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def _asked(application, amount=Decimal(60_000)):
    first = f.officer()
    exception = services.decision_exception_request(
        application_id=application.pk, actor=first, amount=amount, reason="Visa costs rose"
    )
    return first, exception


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"exception-amount": "-5", "exception-reason": "x"}, "greater than or equal to 1"),
        ({"exception-amount": "9" * 40, "exception-reason": "x"}, "no more than 12 digits"),
        ({"exception-amount": "1e400", "exception-reason": "x"}, "no more than 12 digits"),
        ({"exception-amount": "NaN", "exception-reason": "x"}, "Enter a number."),
        ({"exception-amount": "60000", "exception-reason": "   "}, "This field is required."),
        (
            {"exception-amount": "60000", "exception-reason": "x" * 100_000},
            "Ensure this value has at most 2000 characters (it has 100000).",
        ),
    ],
)
def test_bad_exception_requests_are_refused_with_a_message(data, message):
    application = f.in_review(f.call(), amount=Decimal(40_000))
    client = sign_in(Client(), f.officer())
    response = client.post(f"/en/grants/applications/{application.pk}/exceptions/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DecisionException.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"decision-decision": "grant", "decision-amount": "9" * 40, "decision-reasons": "x"},
            "no more than 12 digits",
        ),
        (
            {"decision-decision": "grant", "decision-amount": "", "decision-reasons": "x"},
            "Enter the amount granted.",
        ),
        (
            {"decision-decision": "maybe", "decision-amount": "1", "decision-reasons": "x"},
            "Select a valid choice.",
        ),
        (
            {
                "decision-decision": "grant",
                "decision-amount": "100",
                "decision-reasons": "x",
                "decision-reasons_language": "de",
            },
            "Select a valid choice.",
        ),
        (
            {"decision-decision": "reject", "decision-reasons": "x" * 100_000},
            "Ensure this value has at most 4000 characters (it has 100000).",
        ),
    ],
)
def test_bad_decisions_are_refused_with_a_message(data, message):
    application = f.in_review(f.call(), amount=Decimal(40_000))
    client = sign_in(Client(), f.officer())
    response = client.post(f"/en/grants/applications/{application.pk}/decision/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _fresh(application).state == State.IN_REVIEW
    assert not DecisionLetter.objects.exists()


def test_a_huge_reason_is_refused_in_swedish_and_ukrainian():
    application = f.in_review(f.call(), amount=Decimal(40_000))
    client = sign_in(Client(), f.officer())
    data = {"decision-decision": "reject", "decision-reasons": "x" * 100_000}
    sv = client.post(f"/sv/grants/applications/{application.pk}/decision/", data)
    assert sv.status_code == 400 and "som mest 4000 tecken (den har 100000)" in sv.content.decode()
    uk = client.post(f"/uk/grants/applications/{application.pk}/decision/", data)
    assert uk.status_code == 400 and "не більше ніж 4000 символів" in uk.content.decode()
    assert _fresh(application).state == State.IN_REVIEW


def test_an_exception_answer_with_bad_input_is_refused_and_nothing_changes():
    application = f.in_review(f.call(), amount=Decimal(40_000))
    _first, exception = _asked(application)
    client = sign_in(Client(), f.officer())
    url = f"/en/grants/applications/{application.pk}/exceptions/{exception.pk}/"
    p = f"answer-{exception.pk}"
    assert client.post(url, {f"{p}-answer": "yes"}).status_code == 400
    blank = client.post(url, {f"{p}-answer": "decline", f"{p}-note": " "})
    assert blank.status_code == 400 and "Say why the exception is declined." in (
        blank.content.decode()
    )
    huge = client.post(url, {f"{p}-answer": "decline", f"{p}-note": "x" * 100_000})
    assert huge.status_code == 400
    assert "Ensure this value has at most 2000 characters (it has 100000)." in (
        huge.content.decode()
    )
    exception.refresh_from_db()
    assert exception.status == DecisionException.Status.REQUESTED and exception.answer_note == ""


def test_an_exception_is_not_found_through_another_application():
    one = f.in_review(f.call(), amount=Decimal(40_000))
    other = f.in_review(f.call(), index=1, amount=Decimal(40_000))
    _first, exception = _asked(other)
    client = sign_in(Client(), f.officer())
    url = f"/en/grants/applications/{one.pk}/exceptions/{exception.pk}/"
    assert client.post(url, {f"answer-{exception.pk}-answer": "approve"}).status_code == 404
    url = f"/en/grants/applications/{one.pk}/exceptions/{'9' * 30}/"
    assert client.post(url, {"answer-1-answer": "approve"}).status_code == 404
    exception.refresh_from_db()
    assert exception.status == DecisionException.Status.REQUESTED


def test_partners_and_reviewers_neither_ask_for_nor_answer_exceptions():
    application = f.in_review(f.call(), amount=Decimal(40_000))
    _first, exception = _asked(application)
    url = f"/en/grants/applications/{application.pk}/exceptions/{exception.pk}/"
    for person in (f.coordinator(application.partner), application.reviews.get().reviewer):
        client = sign_in(Client(), person)
        answered = client.post(url, {f"answer-{exception.pk}-answer": "approve"})
        assert answered.status_code in (403, 404)
        asked = client.post(
            f"/en/grants/applications/{application.pk}/exceptions/",
            {"exception-amount": "60000", "exception-reason": "x"},
        )
        assert asked.status_code in (403, 404)
    exception.refresh_from_db()
    assert exception.status == DecisionException.Status.REQUESTED
    assert DecisionException.objects.count() == 1


def test_an_exception_is_not_answered_once_the_application_is_decided():
    """Approving an exception of a rejected application was recorded (and e-mailed to the
    officer who asked) as if the grant could still go on."""
    application = f.in_review(f.call(), amount=Decimal(40_000))
    first, exception = _asked(application)
    services.application_reject(application_id=application.pk, actor=first, reasons="No")
    second = sign_in(Client(), f.officer())
    base = f"/en/grants/applications/{application.pk}"
    assert f'id="answer-form-{exception.pk}"' not in second.get(base + "/").content.decode()
    refused = second.post(
        base + f"/exceptions/{exception.pk}/", {f"answer-{exception.pk}-answer": "approve"}
    )
    assert refused.status_code == 400
    assert "This step is not possible while the application is rejected." in (
        refused.content.decode()
    )
    exception.refresh_from_db()
    assert exception.status == DecisionException.Status.REQUESTED
    assert exception.answered_by is None


def test_a_used_exception_lets_nothing_through_twice():
    application = f.in_review(f.call(), amount=Decimal(40_000))
    first, exception = _asked(application)
    services.decision_exception_answer(exception_id=exception.pk, actor=f.officer(), approve=True)
    client = sign_in(Client(), first)
    decision = {
        "decision-decision": "grant",
        "decision-amount": "60000",
        "decision-reasons": "Two more visits",
        "decision-reasons_language": "en",
    }
    url = f"/en/grants/applications/{application.pk}/decision/"
    assert client.post(url, decision).status_code == 302
    again = client.post(url, decision)
    assert again.status_code == 400
    assert "This step is not possible while the application is granted." in again.content.decode()
    exception.refresh_from_db()
    assert exception.status == DecisionException.Status.USED
    assert _fresh(application).granted_amount == Decimal(60_000)


def test_nobody_signs_off_for_a_side_they_do_not_hold():
    application, writer = f.complete_application(f.call(), signed=False)
    url = f"/en/grants/applications/{application.pk}/sign-off/"
    outsider = sign_in(Client(), f.coordinator(f.pair(5)[0]))
    assert outsider.post(url, {}).status_code == 404
    officer = sign_in(Client(), f.officer())
    assert officer.post(url, {}).status_code in (400, 403)
    client = sign_in(Client(), writer)
    assert client.post(url, {"side": "partner"}).status_code == 302  # the side is not read
    fresh = _fresh(application)
    assert fresh.swedish_signed_off_by == writer and fresh.partner_signed_off_by is None


def test_a_draft_of_a_closed_call_is_not_submitted():
    application, writer = f.complete_application(f.call())
    staff = sign_in(Client(), f.officer())
    assert staff.post(f"/en/grants/calls/{application.call.pk}/close/", {}).status_code == 302
    application.call.refresh_from_db()
    assert application.call.state == CallState.CLOSED
    client = sign_in(Client(), writer)
    client.post(f"/en/grants/applications/{application.pk}/submit/", {})
    assert _fresh(application).state == State.DRAFT
    assert Client().get(f"/en/calls/{application.call.pk}/").status_code == 404


def test_a_draft_call_is_nowhere_public():
    call = f.call(state=CallState.DRAFT, title_en="Secret draft call Qwxz")
    anonymous = Client()
    assert anonymous.get(f"/en/calls/{call.pk}/").status_code == 404
    for url in ("/en/calls/", "/sitemap.xml", "/en/"):
        page = anonymous.get(url, follow=True)
        assert page.status_code == 200 and "Qwxz" not in page.content.decode(), url


def test_a_decision_letter_is_not_found_under_an_unknown_side():
    application = f.in_review(f.call())
    services.application_grant(
        application_id=application.pk, actor=f.officer(), amount=Decimal(150_000), reasons="Good"
    )
    base = f"/en/grants/applications/{application.pk}"
    swedish = sign_in(Client(), f.coordinator(application.swedish_partner))
    assert swedish.get(base + "/decision-letters/swedish/").status_code == 200
    for side in ("SWEDISH", "swedish-", "nobody"):
        assert swedish.get(base + f"/decision-letters/{side}/").status_code == 404, side
