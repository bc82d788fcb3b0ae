"""Attack on the officer's call form and the public call pages (issue 12.2): impossible local
times, huge texts, out-of-range numbers and a budget below what the call already granted are
refused with a message, nothing changes. Expected values are written by hand."""

from decimal import Decimal

import pytest

from .. import services
from ..models import Call
from . import factories as f
from .test_public_calls import form_data, officer_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # 02:30 on the last Sunday of March does not exist in Stockholm (clocks go forward)
        ({"opens_at": "2027-03-28T02:30"}, "couldn’t be interpreted in time zone"),
        ({"closes_at": "2027-13-40T25:00"}, "Enter a valid date/time."),
        ({"closes_at": "2027-01-01T08:00"}, "The call must close after it opens."),
        ({"budget": "-1"}, "The budget cannot be negative."),
        ({"budget": "9" * 40}, "digits"),
        # accepted before (and beyond 32 767 a database error on PostgreSQL)
        ({"min_reviews": "99999999"}, "Ensure this value is less than or equal to 20."),
        ({"min_reviews": "21"}, "Ensure this value is less than or equal to 20."),
        ({"min_reviews": "-1"}, "greater than or equal to 0"),
        ({"component": "holiday"}, "Select a valid choice."),
        ({"network": "9" * 30}, "Select a valid choice."),
        ({"title_sv": "x" * 100_000}, "Ensure this value has at most"),
    ],
)
def test_bad_call_input_is_refused_with_a_message(changes, message):
    before = Call.objects.count()
    response = officer_client().post("/en/grants/calls/new/", form_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Call.objects.count() == before


def test_the_budget_cannot_go_below_what_the_call_already_granted():
    """The budget of a call that had granted SEK 150 000 could be cut to SEK 1 000: the call
    was then committed beyond its budget, which every decision is locked to prevent."""
    the_call = f.call(budget=Decimal(1_000_000))
    application = f.in_review(the_call)
    services.application_grant(
        application_id=application.pk, actor=f.officer(), amount=Decimal(150_000), reasons="Good"
    )
    client = officer_client()
    page = client.post(
        f"/en/grants/calls/{the_call.pk}/edit/",
        form_data(network=the_call.network_id, component=the_call.component, budget="1000"),
    )
    assert page.status_code == 400
    assert (
        "cannot be less than the SEK 150\xa0000 already granted from this call."
        in page.content.decode()
    )
    swedish = client.post(
        f"/sv/grants/calls/{the_call.pk}/edit/",
        form_data(network=the_call.network_id, component=the_call.component, budget="1000"),
    )
    assert swedish.status_code == 400
    assert "mindre än de 150\xa0000 kr som redan har beviljats" in swedish.content.decode()
    the_call.refresh_from_db()
    assert the_call.budget == Decimal(1_000_000)
    kept = client.post(
        f"/en/grants/calls/{the_call.pk}/edit/",
        form_data(network=the_call.network_id, component=the_call.component, budget="150000"),
    )
    assert kept.status_code == 302
    the_call.refresh_from_db()
    assert the_call.budget == Decimal(150_000)
