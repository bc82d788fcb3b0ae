from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from partnernet.accounts.testing import sign_in

from .. import services
from ..models import ApplicationSection, State
from ..selectors import partnership_results
from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    return sign_in(Client(), user)


def test_grants_pages_need_a_sign_in():
    response = Client().get("/en/grants/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_of_another_municipality_cannot_see_an_application():
    application, _writer = f.complete_application(f.call())
    stranger = f.coordinator(f.pair(5)[0])
    assert client_for(stranger).get(f"/en/grants/applications/{application.pk}/").status_code == 404


def test_coordinators_start_an_application_from_either_side():
    call = f.call()
    swedish, partner = f.pair(2)
    writer = f.coordinator(partner)
    response = client_for(writer).post(
        "/en/grants/applications/start/",
        {
            "call": call.pk,
            "own": partner.pk,
            "partner_code": swedish.code,
            "area": 1,
            "title": "Shared plan",
        },
    )
    assert response.status_code == 302
    application = call.applications.get()
    assert (application.swedish_partner, application.partner) == (swedish, partner)
    page = client_for(f.coordinator(swedish)).get(response["Location"])
    assert page.status_code == 200 and "draft-form" in page.content.decode()


def test_autosave_stores_the_draft_and_tracks_translation_state():
    application, writer = f.complete_application(f.call())
    client = client_for(writer)
    url = f"/en/grants/applications/{application.pk}/autosave/"

    def post(**changes):
        data = f.draft_form_values(client, application) | changes
        response = client.post(url, data, headers={"X-Requested-With": "fetch"})
        assert response.status_code == 200 and response.json()["saved"] is True, response.json()

    post(title="New title", summary_source="uk", summary_uk="Демократичні школи", summary_sv="")
    section = application.sections.get(key=ApplicationSection.Key.SUMMARY)
    assert section.source_language == "uk" and section.text_uk == "Демократичні школи"
    post(summary_sv="Demokratiska skolor")
    section.refresh_from_db()
    assert section.translation_state("sv") == "current"
    post(summary_uk="Нові демократичні школи")
    section.refresh_from_db()
    assert section.translation_state("sv") == "outdated" and section.version == 5


def test_autosave_with_an_expired_session_redirects_to_sign_in_and_stores_nothing():
    application, _writer = f.complete_application(f.call())
    response = Client().post(
        f"/en/grants/applications/{application.pk}/autosave/", {"title": "Lost?"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Democratic schools"


def test_an_ineligible_budget_line_is_refused_with_its_reason_and_the_input_kept():
    application, writer = f.complete_application(f.call())
    response = client_for(writer).post(
        f"/en/grants/applications/{application.pk}/budget/",
        {
            "budget-category": f.category("salaries").pk,
            "budget-description": "Project manager salary",
            "budget-year": 1,
            "budget-amount": 50000,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "not an eligible cost" in body and "each municipality pays its own staff" in body
    assert 'value="Project manager salary"' in body
    assert application.budget_lines.count() == 1


def test_a_letter_that_is_not_a_pdf_is_refused():
    application, writer = f.complete_application(f.call())
    upload = SimpleUploadedFile("letter.pdf", b"GIF89a not really a pdf")
    response = client_for(writer).post(
        f"/en/grants/applications/{application.pk}/letter/", {"letter": upload}
    )
    assert response.status_code == 400 and "not a PDF" in response.content.decode()


def test_a_reviewer_sees_other_reviews_only_after_submitting_their_own():
    application = f.in_review(f.call())
    staff, first, second = f.officer(), f.reviewer(), f.reviewer()
    for person in (first, second):
        services.review_assign(application_id=application.pk, reviewer=person, actor=staff)
    scores = {
        f"score_{key}": 4
        for key in [
            "relevance",
            "participation",
            "transparency",
            "accountability",
            "non_discrimination",
            "feasibility",
            "budget",
        ]
    }
    response = client_for(first).post(
        f"/en/grants/applications/{application.pk}/review/",
        {**scores, "comments": "Convincing first review"},
    )
    assert response.status_code == 302
    page = client_for(second).get(f"/en/grants/applications/{application.pk}/").content.decode()
    assert "Convincing first review" not in page
    services.review_submit(
        review_id=application.reviews.get(reviewer=second).pk,
        actor=second,
        scores={},
        comments="",
        conflict_of_interest=True,
        conflict_explanation="My sister works there",
    )
    page = client_for(second).get(f"/en/grants/applications/{application.pk}/").content.decode()
    assert "Convincing first review" in page


def test_officers_see_scores_side_by_side_in_few_queries_and_export_them(
    django_assert_max_num_queries,
):
    call = f.call(budget=Decimal(5_000_000))
    staff, person = f.officer(), f.reviewer()
    for index in range(4):
        application = f.in_review(call, index, reviewed=False)
        services.review_assign(application_id=application.pk, reviewer=person, actor=staff)
        services.review_submit(
            review_id=application.reviews.get().pk,
            actor=person,
            scores={
                k: 3
                for k in [
                    "relevance",
                    "participation",
                    "transparency",
                    "accountability",
                    "non_discrimination",
                    "feasibility",
                    "budget",
                ]
            },
            comments="ok",
            conflict_of_interest=False,
        )
    client = client_for(staff)
    with django_assert_max_num_queries(15):
        response = client.get(f"/en/grants/calls/{call.pk}/")
    assert response.status_code == 200 and response.content.decode().count("<tr") >= 9
    export = client.get(f"/en/grants/calls/{call.pk}/scores.xlsx")
    book = load_workbook(
        BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Application" and len(rows) == 5 and rows[1][-1] == 21
    assert len(list(book.worksheets[1].iter_rows())) == 5


def test_an_officer_grants_through_the_page_and_bad_input_is_explained():
    application = f.in_review(f.call(), amount=Decimal(180_000))
    client = client_for(f.officer())
    url = f"/en/grants/applications/{application.pk}/decision/"
    response = client.post(
        url, {"decision-decision": "grant", "decision-amount": "", "decision-reasons": "Good plan"}
    )
    assert response.status_code == 400 and "Enter the amount granted" in response.content.decode()
    response = client.post(
        url,
        {
            "decision-decision": "grant",
            "decision-amount": "180000",
            "decision-reasons": "Good plan",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.GRANTED and application.granted_amount == 180000


def test_partnership_results_lists_indicators_with_baseline_target_and_actuals():
    call = f.call(component="project", budget=Decimal(5_000_000))
    application, writer = f.complete_application(call)
    result = services.result_add(
        application_id=application.pk,
        actor=writer,
        level="outcome",
        text="More residents take part",
    )
    indicator = services.indicator_add(
        result_id=result.pk,
        actor=writer,
        name="Residents in hearings",
        unit="people",
        baseline=Decimal(40),
        target=Decimal(200),
    )
    f.sign_off_both(application, swedish_writer=writer)
    services.application_submit(application_id=application.pk, actor=writer)
    staff = f.officer()
    for action in ("screen", "start_review"):
        services.application_move(application_id=application.pk, actor=staff, action=action)
    f.review_done(application)
    services.application_grant(
        application_id=application.pk, actor=staff, amount=Decimal(150_000), reasons="Good"
    )
    application.refresh_from_db()
    for side, person in (("swedish", writer), ("partner", f.coordinator(application.partner))):
        services.agreement_accept(application_id=application.pk, actor=person, side=side)
    services.indicator_actual_record(
        indicator_id=indicator.pk, actor=writer, period="2026", value=Decimal(120)
    )
    results = partnership_results(partnership_ids=[application.partnership_id])
    [item] = results[application.partnership_id]
    assert (item.level, item.baseline, item.target) == ("outcome", Decimal(40), Decimal(200))
    assert [(a.period, a.value) for a in item.actuals] == [("2026", Decimal(120))]


def test_an_officer_creates_a_call_with_times_in_swedish_time():
    client = client_for(f.officer())
    response = client.post(
        "/en/grants/calls/new/",
        {
            "network": f.network().pk,
            "component": "project",
            "region": "europe",
            "title_sv": "Projekt 2027",
            "title_uk": "",
            "title_en": "Projects 2027",
            "opens_at": "2027-01-10T08:00",
            "closes_at": "2027-03-01T16:00",
            "budget": "9000000",
        },
    )
    assert response.status_code == 302
    from ..models import Call

    call = Call.objects.get(title_sv="Projekt 2027")
    assert call.title_en == "Projects 2027"  # the English page keeps the English title
    assert call.closes_at.isoformat() == "2027-03-01T15:00:00+00:00"  # 16:00 in Stockholm (CET)
    bad = client.post(
        "/en/grants/calls/new/",
        {
            "network": f.network().pk,
            "component": "project",
            "region": "europe",
            "title_sv": "X",
            "opens_at": "2027-03-01T16:00",
            "closes_at": "2027-01-10T08:00",
        },
    )
    assert bad.status_code == 400 and "close after it opens" in bad.content.decode()


def test_a_late_submission_through_the_page_explains_why_and_keeps_the_draft():
    from django.utils import timezone

    call = f.call(closes_at=timezone.now() - timezone.timedelta(minutes=5))
    application, writer = f.complete_application(call)
    response = client_for(writer).post(f"/en/grants/applications/{application.pk}/submit/")
    assert response.status_code == 400
    assert "late applications cannot be submitted" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.DRAFT and application.title == "Democratic schools"


def test_a_coordinator_cannot_use_officer_pages():
    application, writer = f.complete_application(f.call())
    client = client_for(writer)
    assert client.get(f"/en/grants/calls/{application.call_id}/").status_code == 403
    response = client.post(
        f"/en/grants/applications/{application.pk}/decision/",
        {"decision-decision": "grant", "decision-amount": "1", "decision-reasons": "x"},
    )
    assert response.status_code == 403
