"""Attacks on the states: writing to a submitted or approved report, reimbursing a draft or a
returned report, approving twice, reimbursing twice, confirming an import twice or after it
was discarded, accepting a plan that is not proposed, and stale versions. Each is refused
(4xx, never a 500) and nothing changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from partnernet.grants.models import CostCategory
from partnernet.reports.models import (
    Expenditure,
    ExpenditureImport,
    Reimbursement,
    Report,
    ReportState,
    ResultsPlan,
)

from .finances_helpers import HEADER, client_of, csv_bytes, good_rows, own_report, url

pytestmark = pytest.mark.django_db


def _client(email: str):
    client = client_of(email)
    client.raise_request_exception = False
    return client


def _in_state(state: str) -> Report:
    report = own_report()
    Expenditure.objects.create(
        report=report,
        category=CostCategory.objects.filter(eligible=True).first(),
        description="Tickets",
        paid_on=report.period_start,
        amount=Decimal(100),
        rate_date=report.period_start,
        amount_sek=Decimal(100),
    )
    Report.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    return report


def _expenditures(report: Report):
    return list(Expenditure.objects.filter(report=report).values_list("description", "amount"))


@pytest.mark.parametrize("state", [ReportState.SUBMITTED, ReportState.APPROVED])
def test_a_submitted_or_approved_report_takes_no_writing_of_any_kind(state):
    report = _in_state(state)
    falun = _client("falun@demo.example")
    before = (_expenditures(report), report.version)
    expenditure = Expenditure.objects.get(report=report)
    data = {
        "version": report.version,
        "paid_on": report.period_start.isoformat(),
        "description": "sneaked in",
        "category": str(expenditure.category_id),
        "currency": "SEK",
        "amount": "5",
    }
    attempts = [
        url("expenditure_add", report),
        url("expenditure_edit", report, expenditure_pk=expenditure.pk),
        url("expenditure_remove", report, expenditure_pk=expenditure.pk),
        url("save", report),
        url("indicators_save", report),
        url("submit", report),
    ]
    for address in attempts:
        response = falun.post(address, data)
        assert 400 <= response.status_code < 500 or response.status_code == 302, address
    upload = falun.post(
        url("import", report),
        {"file": SimpleUploadedFile("x.csv", csv_bytes([HEADER, *good_rows(report, 1)]))},
    )
    assert upload.status_code < 500
    report.refresh_from_db()
    assert (_expenditures(report), report.version) == before
    assert report.state == state
    assert not ExpenditureImport.objects.filter(report=report, status="confirmed").exists()


@pytest.mark.parametrize("state", [ReportState.DRAFT, ReportState.RETURNED, ReportState.SUBMITTED])
def test_only_an_approved_report_is_reimbursed(state):
    report = _in_state(state)
    finance = _client("finance@icld.example")
    response = finance.post(
        url("reimburse", report), {"amount": "100", "paid_on": "2026-05-01", "reference": "R1"}
    )
    assert response.status_code in (400, 409)
    assert not Reimbursement.objects.filter(report=report).exists()


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e309", "-1", "0", "9" * 31, "1e5"])
def test_odd_reimbursement_amounts_are_refused(amount):
    report = _in_state(ReportState.APPROVED)
    finance = _client("finance@icld.example")
    response = finance.post(
        url("reimburse", report), {"amount": amount, "paid_on": "2026-05-01", "reference": "R1"}
    )
    assert response.status_code == 400
    assert not Reimbursement.objects.filter(report=report).exists()


def test_a_report_is_reimbursed_once_and_a_second_try_changes_nothing():
    report = _in_state(ReportState.APPROVED)
    finance = _client("finance@icld.example")
    data = {"amount": "100", "paid_on": "2026-05-01", "reference": "R1"}
    assert finance.post(url("reimburse", report), data).status_code == 302
    again = finance.post(url("reimburse", report), {**data, "amount": "50", "reference": "R2"})
    assert again.status_code == 409
    assert list(Reimbursement.objects.filter(report=report).values_list("reference")) == [("R1",)]


def test_a_report_is_approved_once():
    report = _in_state(ReportState.SUBMITTED)
    officer = _client("officer@icld.example")
    assert officer.post(url("review", report), {"decision": "approve"}).status_code == 302
    report.refresh_from_db()
    decided = (report.state, report.decided_at)
    for decision in ("approve", "return"):
        again = officer.post(url("review", report), {"decision": decision, "comment_finances": "x"})
        assert again.status_code == 409
    report.refresh_from_db()
    assert (report.state, report.decided_at) == decided


def test_a_draft_is_not_approved_and_junk_decisions_are_refused():
    report = _in_state(ReportState.DRAFT)
    officer = _client("officer@icld.example")
    assert officer.post(url("review", report), {"decision": "approve"}).status_code == 409
    Report.objects.filter(pk=report.pk).update(state=ReportState.SUBMITTED)
    for junk in ({}, {"decision": "maybe"}, {"decision": "return"}, {"decision": ["a", "b"]}):
        response = officer.post(url("review", report), junk)
        assert response.status_code == 400, junk
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def _preview(report: Report, falun) -> ExpenditureImport:
    data = csv_bytes([HEADER, *good_rows(report, 2)])
    response = falun.post(url("import", report), {"file": SimpleUploadedFile("x.csv", data)})
    assert response.status_code == 302
    return ExpenditureImport.objects.get(report=report, status="preview")


def test_an_import_is_confirmed_once():
    report = own_report()
    falun = _client("falun@demo.example")
    upload = _preview(report, falun)
    report.refresh_from_db()
    first = falun.post(
        url("import_confirm", report, import_pk=upload.pk), {"version": report.version}
    )
    assert first.status_code == 302
    report.refresh_from_db()
    again = falun.post(
        url("import_confirm", report, import_pk=upload.pk), {"version": report.version}
    )
    assert again.status_code in (302, 400, 409)
    assert Expenditure.objects.filter(report=report).count() == 2


def test_a_discarded_import_cannot_be_confirmed_and_a_confirmed_one_not_discarded():
    report = own_report()
    falun = _client("falun@demo.example")
    upload = _preview(report, falun)
    assert falun.post(url("import_discard", report, import_pk=upload.pk)).status_code == 302
    report.refresh_from_db()
    confirm = falun.post(
        url("import_confirm", report, import_pk=upload.pk), {"version": report.version}
    )
    assert confirm.status_code in (400, 409)
    assert not Expenditure.objects.filter(report=report).exists()
    second = _preview(report, falun)
    report.refresh_from_db()
    falun.post(url("import_confirm", report, import_pk=second.pk), {"version": report.version})
    assert falun.post(url("import_discard", report, import_pk=second.pk)).status_code == 400
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert Expenditure.objects.filter(report=report).count() == 2


def test_a_stale_version_changes_nothing_and_answers_409():
    report = _in_state(ReportState.DRAFT)
    falun = _client("falun@demo.example")
    expenditure = Expenditure.objects.get(report=report)
    stale = report.version - 1
    data = {
        "version": stale,
        "paid_on": report.period_start.isoformat(),
        "description": "overwritten",
        "category": str(expenditure.category_id),
        "currency": "SEK",
        "amount": "5",
    }
    edit = falun.post(url("expenditure_edit", report, expenditure_pk=expenditure.pk), data)
    remove = falun.post(url("expenditure_remove", report, expenditure_pk=expenditure.pk), data)
    add = falun.post(url("expenditure_add", report), data)
    assert {edit.status_code, remove.status_code, add.status_code} == {409}
    assert _expenditures(report) == [("Tickets", Decimal("100.00"))]


def test_a_partial_post_of_an_edit_blanks_nothing():
    report = _in_state(ReportState.DRAFT)
    falun = _client("falun@demo.example")
    expenditure = Expenditure.objects.get(report=report)
    response = falun.post(
        url("expenditure_edit", report, expenditure_pk=expenditure.pk),
        {"version": report.version, "amount": "7"},
    )
    assert response.status_code == 400
    assert _expenditures(report) == [("Tickets", Decimal("100.00"))]


def test_deciding_the_approved_plan_again_changes_nothing():
    report = own_report()
    plan = ResultsPlan.objects.get(partnership=report.partnership, state="approved")
    officer = _client("officer@icld.example")
    before = (plan.state, plan.version, plan.decided_at)
    for step, expected in (("accept", 302), ("decline", 302)):  # "accepted already"
        with translation.override("sv"):
            address = reverse(
                f"results:{step}", kwargs={"slug": report.partnership.slug, "pk": plan.pk}
            )
        assert officer.post(address, {"note": "again"}).status_code == expected
    plan.refresh_from_db()
    assert (plan.state, plan.version, plan.decided_at) == before


@pytest.mark.parametrize("state", ["draft", "superseded"])
def test_only_a_proposed_plan_is_accepted_or_declined(state):
    report = own_report()
    plan = ResultsPlan.objects.create(partnership=report.partnership, component="project")
    ResultsPlan.objects.filter(pk=plan.pk).update(state=state)
    officer = _client("officer@icld.example")
    approved = list(
        ResultsPlan.objects.filter(partnership=report.partnership).values_list("pk", "state")
    )
    for step in ("accept", "decline"):
        with translation.override("sv"):
            address = reverse(
                f"results:{step}", kwargs={"slug": report.partnership.slug, "pk": plan.pk}
            )
        response = officer.post(address, {"version": plan.version, "comment": "no"})
        assert 400 <= response.status_code < 500, (step, state, response.status_code)
    after = list(
        ResultsPlan.objects.filter(partnership=report.partnership).values_list("pk", "state")
    )
    assert sorted(after) == sorted(approved)
