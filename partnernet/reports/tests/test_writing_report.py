"""Co-writing a report's narrative, submitting it and reviewing it: refusals first."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partnernet.audit.models import AuditEntry
from partnernet.notifications.models import Notification
from partnernet.reports.models import (
    Report,
    ReportSection,
    ReportState,
    ReviewComment,
)
from partnernet.reports.services import submission
from partnernet.reports.services.submission import (
    SUBMIT_CHECKS,
    register_submit_check,
    report_review,
    report_submit,
)
from partnernet.reports.services.writing import narrative_problems

from .writing_fixtures import FETCH, client_of, fill, page_form, report_of, section, url

OWN = "falun-kolomyia"


@pytest.fixture
def report(db) -> Report:
    return report_of(OWN)


@pytest.fixture
def falun(db):
    return client_of("falun@demo.example")


@pytest.fixture
def kolomyia(db):
    return client_of("kolomyia@demo.example")


@pytest.fixture
def officer(db):
    return client_of("officer@icld.example")


def submitted(report: Report) -> Report:
    from partnernet.accounts.models import User

    fill(report)
    return report_submit(report_id=report.pk, actor=User.objects.get(email="falun@demo.example"))


# Who may -------------------------------------------------------------------------------------
def test_another_partnerships_coordinator_gets_404_everywhere(report):
    umea = client_of("umea@demo.example")
    assert umea.get(url("detail", report)).status_code == 404
    for name in ("save", "submit"):
        assert umea.post(url(name, report), {"summary_sv": "x"}).status_code == 404
    # (a coordinator never reviews: refused for the role, whichever report it is)
    assert umea.post(url("review", report), {"decision": "approve"}).status_code == 403
    assert not ReportSection.objects.filter(report=report, text_sv="x").exists()


def test_a_report_under_another_partnerships_address_is_404_even_for_an_officer(report, officer):
    other = report_of("ronneby-ternopil")
    wrong = url("detail", other).replace("ronneby-ternopil", OWN)
    assert officer.get(wrong).status_code == 404


def test_a_steering_member_reads_the_report_but_may_not_write_submit_or_review(report):
    steering = client_of("steering@demo.example")
    page = steering.get(url("detail", report))
    assert page.status_code == 200 and b'id="draft-form"' not in page.content
    for name in ("save", "submit", "review"):
        assert steering.post(url(name, report), {"summary_sv": "x"}).status_code == 403
    assert not section(report, "summary").text_sv


def test_a_project_member_writes_but_does_not_submit(report):
    member = client_of("member@demo.example")
    form = page_form(member, report)
    form["summary_sv"] = "Skrivet av projektmedlemmen"
    assert member.post(url("save", report), form).status_code == 302
    assert section(report, "summary").text_sv == "Skrivet av projektmedlemmen"
    fill(report)
    assert member.post(url("submit", report)).status_code == 403
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_an_officer_reads_but_does_not_write(report, officer):
    page = officer.get(url("detail", report))
    assert page.status_code == 200 and b'id="draft-form"' not in page.content
    assert officer.post(url("save", report), {"summary_sv": "x"}).status_code == 403


# Co-writing ----------------------------------------------------------------------------------
def test_sections_are_created_once_when_the_page_is_first_opened(report, falun):
    assert not report.sections.exists()
    falun.get(url("detail", report))
    falun.get(url("detail", report))
    assert sorted(report.sections.values_list("key", flat=True)) == sorted(ReportSection.Key.values)


def test_a_stale_version_is_a_conflict_nothing_overwritten_both_texts_offered(
    report, falun, kolomyia
):
    mine, theirs = page_form(falun, report), page_form(kolomyia, report)
    theirs["summary_uk"] = "Текст з Коломиї"
    assert kolomyia.post(url("save", report), theirs, **FETCH).status_code == 200
    mine["summary_uk"] = "Text from Falun in Ukrainian"
    response = falun.post(url("save", report), mine, **FETCH)
    assert response.status_code == 409
    conflict = response.json()["conflicts"][0]
    assert conflict["key"] == "summary"
    assert conflict["yours"] == {"uk": "Text from Falun in Ukrainian"}
    assert conflict["theirs"]["uk"] == "Текст з Коломиї"
    assert section(report, "summary").text_uk == "Текст з Коломиї"
    # Without script: the page comes back 409 with the writer's text and theirs beside it.
    page = falun.post(url("save", report), mine)
    assert page.status_code == 409
    assert "Text from Falun in Ukrainian" in page.content.decode()
    assert "Текст з Коломиї" in page.content.decode()
    # Keeping the merged text (posted on the rebased form) then saves it.
    merged = {k: v for k, v in page_form_from(page).items()}
    merged["summary_uk"] = "Текст з Коломиї. Text from Falun."
    assert falun.post(url("save", report), merged, **FETCH).status_code == 200
    assert section(report, "summary").text_uk == "Текст з Коломиї. Text from Falun."


def page_form_from(response) -> dict[str, str]:
    from partnernet.grants.tests.factories import parse_draft_form

    return parse_draft_form(response.content.decode())


def test_two_writers_of_different_sections_both_keep_their_text(report, falun, kolomyia):
    mine, theirs = page_form(falun, report), page_form(kolomyia, report)
    mine["summary_sv"] = "Falun skriver sammanfattningen"
    theirs["activities_uk"], theirs["activities_source"] = "Коломия пише про заходи", "uk"
    assert falun.post(url("save", report), mine, **FETCH).status_code == 200
    response = kolomyia.post(url("save", report), theirs, **FETCH)
    assert response.status_code == 200
    assert response.json()["sections"]["summary"]["outcome"] == "updated"
    assert section(report, "summary").text_sv == "Falun skriver sammanfattningen"
    activities = section(report, "activities")
    assert activities.text_uk == "Коломия пише про заходи" and activities.source_language == "uk"


def test_a_partial_post_blanks_nothing(report, falun):
    fill(report)
    form = page_form(falun, report)
    partial = {
        "summary_sv": "Bara sammanfattningen",
        "summary_version": form["summary_version"],
        "summary_base": form["summary_base"],
    }
    assert falun.post(url("save", report), partial, **FETCH).status_code == 200
    assert section(report, "summary").text_sv == "Bara sammanfattningen"
    assert section(report, "activities").text_sv == "Text om activities"


def test_a_translation_is_stamped_and_an_original_change_makes_it_outdated(report, falun):
    form = page_form(falun, report)
    form["summary_sv"], form["summary_uk"] = "Original", "Переклад"
    falun.post(url("save", report), form, **FETCH)
    summary = section(report, "summary")
    assert summary.translation_state("uk") == "current"
    form = page_form(falun, report)
    form["summary_sv"] = "Original, ändrad"
    falun.post(url("save", report), form, **FETCH)
    assert section(report, "summary").translation_state("uk") == "outdated"


def test_a_write_to_a_submitted_or_approved_report_is_refused_with_the_reason(report, falun):
    form = page_form(falun, report)
    submitted(report)
    form["summary_sv"] = "För sent"
    response = falun.post(url("save", report, "en"), form, **FETCH)
    assert response.status_code == 409 and "no longer" in response.json()["message"]
    page = falun.post(url("save", report, "en"), form)
    assert page.status_code == 409 and b'id="refusal"' in page.content
    assert section(report, "summary").text_sv == "Text om summary"
    page = falun.get(url("detail", report))
    assert b'id="draft-form"' not in page.content


# Submitting ----------------------------------------------------------------------------------
def test_submitting_with_missing_parts_lists_every_one(report, falun):
    fill(report, {"summary": "Klar", "activities": "", "results": "  "})
    response = falun.post(url("submit", report, "en"))
    assert response.status_code == 400
    text = response.content.decode()
    assert text.count("is empty in its original language") == 2
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_every_registered_check_is_listed(report, monkeypatch):
    monkeypatch.setattr(submission, "SUBMIT_CHECKS", list(SUBMIT_CHECKS))
    register_submit_check(lambda r: ["An indicator has no value."])
    register_submit_check(lambda r: ["An expenditure has no receipt."])
    fill(report)
    with pytest.raises(ValidationError) as refused:
        submitted(report)
    assert refused.value.messages == [
        "An indicator has no value.",
        "An expenditure has no receipt.",
    ]


def test_the_narrative_check_is_registered_once():
    register_submit_check(narrative_problems)
    assert SUBMIT_CHECKS.count(narrative_problems) == 1


def test_submitting_tells_the_programme_officers_in_their_language_with_a_link(report, kolomyia):
    fill(report)
    mail.outbox.clear()
    with_commit = kolomyia.post(url("submit", report))
    assert with_commit.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.submitted_by.email == (
        "kolomyia@demo.example"
    )
    entry = AuditEntry.objects.filter(action="submit", object_id=str(report.pk)).get()
    assert entry.before == {"state": "draft"} and entry.after == {"state": "submitted"}


def test_submitting_twice_is_refused(report, falun):
    submitted(report)
    response = falun.post(url("submit", report))
    assert response.status_code in (403, 409)
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED


# Reviewing -----------------------------------------------------------------------------------
def test_approving_a_draft_is_refused(report, officer):
    fill(report)
    response = officer.post(url("review", report), {"decision": "approve"})
    assert response.status_code == 409 and b'id="refusal"' in response.content
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_returning_without_a_comment_is_refused(report, officer):
    submitted(report)
    response = officer.post(url("review", report), {"decision": "return", "comment_summary": " "})
    assert response.status_code == 400 and b'id="review-errors"' in response.content
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED
    from partnernet.accounts.models import User

    with pytest.raises(ValidationError):
        report_review(
            report_id=report.pk,
            actor=User.objects.get(email="officer@icld.example"),
            approve=False,
            comments={"summary": ""},
        )
    assert not ReviewComment.objects.filter(report=report).exists()


def test_a_return_keeps_its_comments_shows_them_beside_the_section_and_allows_correcting(
    report, officer, falun
):
    submitted(report)
    response = officer.post(
        url("review", report),
        {
            "decision": "return",
            "comment_results": "Beskriv förändringen",
            "comment_expenditures": "Kvitto saknas",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    comments = ReviewComment.objects.filter(report=report)
    assert {(c.part, c.decision) for c in comments} == {
        ("results", "returned"),
        ("expenditures", "returned"),
    }
    page = falun.get(url("detail", report)).content.decode()
    assert page.index("Beskriv förändringen") > page.index('id="section-results"')
    assert "Kvitto saknas" in page and 'id="draft-form"' in page
    form = page_form(falun, report)
    form["results_sv"] = "Förändringen beskriven"
    assert falun.post(url("save", report), form).status_code == 302
    assert falun.post(url("submit", report)).status_code == 302
    assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED
    assert officer.post(url("review", report), {"decision": "approve"}).status_code == 302
    report.refresh_from_db()
    assert (
        report.state == ReportState.APPROVED and report.decided_by.email == "officer@icld.example"
    )
    actions = list(
        AuditEntry.objects.filter(
            object_id=str(report.pk), action__in=["submit", "approve", "return_for_changes"]
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["submit", "return_for_changes", "submit", "approve"]


def test_decisions_tell_both_sides_coordinators_and_finance_in_their_language(
    report, django_capture_on_commit_callbacks
):
    from partnernet.accounts.models import User

    officer = User.objects.get(email="officer@icld.example")
    with django_capture_on_commit_callbacks(execute=True):
        submitted(report)
    told = set(
        Notification.objects.filter(subject="A report is waiting for your review").values_list(
            "recipient__email", flat=True
        )
    )
    assert "officer@icld.example" in told
    with django_capture_on_commit_callbacks(execute=True):
        report_review(
            report_id=report.pk, actor=officer, approve=False, comments={"summary": "Mer"}
        )
    told = set(
        Notification.objects.filter(
            subject="Your report has been returned for changes"
        ).values_list("recipient__email", flat=True)
    )
    assert {"falun@demo.example", "kolomyia@demo.example"} <= told
    assert "finance@icld.example" not in told
    fill(report)
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report_id=report.pk, actor=User.objects.get(email="kolomyia@demo.example"))
        report_review(report_id=report.pk, actor=officer, approve=True, comments={})
    approved = Notification.objects.filter(subject="Your report has been approved")
    assert {"falun@demo.example", "kolomyia@demo.example"} <= set(
        approved.values_list("recipient__email", flat=True)
    )
    reimburse = Notification.objects.filter(
        subject="An approved report is waiting for its reimbursement"
    )
    assert "finance@icld.example" in set(reimburse.values_list("recipient__email", flat=True))
    ukrainian = approved.get(recipient__email="kolomyia@demo.example")
    assert ukrainian.link.endswith(f"/partnerships/{OWN}/work/reports/{report.pk}/")


def test_a_second_decision_on_a_decided_report_is_refused(report):
    from partnernet.accounts.models import User

    officer = User.objects.get(email="officer@icld.example")
    submitted(report)
    report_review(report_id=report.pk, actor=officer, approve=True, comments={})
    with pytest.raises(ValidationError):
        report_review(report_id=report.pk, actor=officer, approve=False, comments={"summary": "x"})
    assert Report.objects.get(pk=report.pk).state == ReportState.APPROVED


# The page's cost -----------------------------------------------------------------------------
def test_the_report_page_costs_a_fixed_number_of_queries(
    report, falun, officer, django_assert_num_queries
):
    falun.get(url("detail", report))  # sections created
    with django_assert_num_queries(PAGE_QUERIES):
        assert falun.get(url("detail", report)).status_code == 200
    submitted(report)
    from partnernet.accounts.models import User

    report_review(
        report_id=report.pk,
        actor=User.objects.get(email="officer@icld.example"),
        approve=False,
        comments={"summary": "a", "results": "b", "finances": "c"},
    )
    with django_assert_num_queries(PAGE_QUERIES):
        assert falun.get(url("detail", report)).status_code == 200


PAGE_QUERIES = 8


def test_a_decision_reads_in_the_recipients_language_with_the_report_named(
    report, django_capture_on_commit_callbacks
):
    from partnernet.accounts.models import User
    from partnernet.notifications.rendering import link_for, render

    submitted(report)
    officer = User.objects.get(email="officer@icld.example")
    with django_capture_on_commit_callbacks(execute=True):
        report_review(report_id=report.pk, actor=officer, approve=True, comments={})
    stored = Notification.objects.get(
        subject="Your report has been approved", recipient__email="kolomyia@demo.example"
    )
    subject, body = render(
        stored.subject, stored.body, stored.params["uk"], link_for(stored.link, "uk"), "uk"
    )
    assert subject == "Ваш звіт затверджено"
    assert (
        "Milestone report" in body and f"/uk/partnerships/{OWN}/work/reports/{report.pk}/" in body
    )
