"""The reports demo (reports/demo.py), as loaded in every test database: the six seed pairs'
plans and reports in every state, with their parts; a second run creates nothing."""

import time
from decimal import Decimal

import pytest
from django.utils import timezone

from partnernet.audit.models import AuditEntry
from partnernet.grants.models import Agreement
from partnernet.reports.demo import STORIES, reports_demo_load
from partnernet.reports.models import (
    ExchangeRate,
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanStatement,
    PlanTarget,
    Reimbursement,
    Report,
    ReportSection,
    ResultsPlan,
    ReviewComment,
)

pytestmark = pytest.mark.django_db
MODELS = [
    Agreement,
    ResultsPlan,
    PlanStatement,
    PlanIndicator,
    PlanTarget,
    Report,
    ReportSection,
    IndicatorValue,
    Expenditure,
    ExchangeRate,
    ReviewComment,
    Reimbursement,
    AuditEntry,
]


def test_each_pair_has_an_approved_plan_and_one_report_in_its_state():
    reports = {r.partnership.slug: r for r in Report.objects.select_related("partnership")}
    assert set(reports) == set(STORIES)
    states = {slug: r.state for slug, r in reports.items()}
    assert sorted(states.values()) == [
        "approved",
        "approved",
        "draft",
        "draft",
        "returned",
        "submitted",
    ]
    assert Reimbursement.objects.get().report == reports["umea-kherson"]
    today = timezone.localdate()
    assert reports["falun-kolomyia"].due_on > today  # due, not yet overdue
    assert reports["ronneby-ternopil"].due_on < today  # overdue
    returned = reports["lidingo-slavuta"]
    assert ReviewComment.objects.filter(report=returned, decision="returned").exists()
    for plan in ResultsPlan.objects.filter(state="approved"):
        levels = list(plan.statements.values_list("level", flat=True))
        assert levels.count("objective") == 1 and levels.count("outcome") == 2
        assert levels.count("output") >= 2
        indicators = PlanIndicator.objects.filter(statement__plan=plan)
        assert 2 <= indicators.count() <= 4
        for indicator in indicators:
            assert indicator.unit and indicator.baseline_date is not None
            assert indicator.targets.count() == 2
    assert ResultsPlan.objects.filter(state="approved").count() == 6


def test_reports_carry_texts_values_and_expenditures_at_recorded_rates():
    for report in Report.objects.all():
        sections = list(report.sections.all())
        assert len(sections) >= 4
        assert all(s.text_sv and s.text_uk and s.text_en for s in sections)
        assert IndicatorValue.objects.filter(report=report).count() >= 2
        expenditures = list(report.expenditures.select_related("category"))
        assert {e.currency for e in expenditures} == {"SEK", "EUR", "UAH"}
        for e in expenditures:
            assert e.category.eligible
            assert report.period_start <= e.paid_on <= report.period_end
            assert e.amount_sek == (e.amount * e.rate).quantize(Decimal("0.01"))
            if e.currency != "SEK":
                recorded = ExchangeRate.objects.get(currency=e.currency, on=e.rate_date)
                assert recorded.rate == e.rate
    paid = Reimbursement.objects.get()
    total = sum(e.amount_sek for e in paid.report.expenditures.all())
    assert paid.amount == total.quantize(Decimal("1"))


def test_every_state_change_was_audited():
    for report in Report.objects.exclude(state="draft"):
        actions = set(
            AuditEntry.objects.filter(
                object_type="reports.report", object_id=str(report.pk)
            ).values_list("action", flat=True)
        )
        assert "submit" in actions
        if report.state in ("approved", "returned"):
            assert {"approve", "return"} & actions


def test_a_second_run_creates_nothing_and_is_fast():
    before = {m: m.objects.count() for m in MODELS}
    started = time.perf_counter()
    reports_demo_load()
    assert time.perf_counter() - started < 1
    assert {m: m.objects.count() for m in MODELS} == before
