"""A small programme in its own network, for the dashboard and budget tests: the expected sums
are written by hand in the tests, never computed by the code under test.

Network `programme-test`, two calls (A: project, B: inception):
  P1  project/active,  education;  call A, active, granted 400 000, agreement 380 000
  P2  inception/active, urban planning; call B, granted 100 000, no agreement
  P3  project/paused,  education;  call A, rejected (999: not committed)
Reports:
  R1  P1 annual approved (agreement): costs 10 000 + 5 500.40; reimbursed 15 000
  R2  P1 final submitted (agreement): cost 2 000
  R3  P2 annual draft, due in 20 days (no agreement): cost 7 000 (not reported: a draft)
  R4  P2 milestone approved, no agreement: cost 1 000; not reimbursed yet
  R5  P1 ad hoc returned, due 10 days ago (agreement)
P1's approved plan: I1 10 → 20 actual 20 (R1: on track), I2 10 → 20 actual 12 (R2: behind),
I3 10 → 20 with a value only in the returned R5 (no data).
Queue: two Swedish municipalities waiting 10 and 30 days, one Ukrainian 5 days, one Swedish
granted (not waiting).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partnernet.accounts.models import User
from partnernet.grants.models import Agreement, Application, Call, CostCategory
from partnernet.matchmaking.models import QueueEntry
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network, Partnership
from partnernet.reports.models import (
    Expenditure,
    IndicatorValue,
    PlanIndicator,
    PlanStatement,
    PlanTarget,
    Reimbursement,
    Report,
    ResultsPlan,
)

NETWORK = "programme-test"


def free_municipalities(country: str, count: int, offset: int = 0) -> list[Municipality]:
    rows = Municipality.objects.filter(country_id=country)
    if country == "SE":
        rows = rows.filter(swedish_partnerships__isnull=True)
    else:
        rows = rows.filter(international_partnerships__isnull=True)
    return list(rows.order_by("code")[offset : offset + count])


def network() -> Network:
    return Network.objects.get_or_create(
        slug=NETWORK, defaults={"name": "Programme test network", "funder": "ICLD"}
    )[0]


def partnership(net: Network, swedish, partner, area, **fields) -> Partnership:
    return Partnership.objects.create(
        slug=f"{swedish.code}-{partner.code}".lower(),
        title=f"{swedish.name} – {partner.name}",
        title_sv=f"{swedish.name} – {partner.name}",
        swedish_partner=swedish,
        partner=partner,
        network=net,
        area=area,
        **fields,
    )


def expense(report: Report, amount: str, category: CostCategory) -> Expenditure:
    today = timezone.localdate()
    return Expenditure.objects.create(
        report=report,
        category=category,
        description="Cost",
        paid_on=today,
        amount=Decimal(amount),
        rate_date=today,
        amount_sek=Decimal(amount),
    )


def report(p: Partnership, state: str, kind: str, agreement=None, due_in: int = 90, **kw):
    today = timezone.localdate()
    return Report.objects.create(
        partnership=p,
        agreement=agreement,
        kind=kind,
        component=kw.pop("component", "project"),
        period_start=today - timedelta(days=365),
        period_end=today - timedelta(days=kw.pop("ended", 1)),
        due_on=today + timedelta(days=due_in),
        state=state,
        **kw,
    )


def build() -> dict:
    net = network()
    today = timezone.localdate()
    now = timezone.now()
    education = CooperationArea.objects.get(slug="education")
    urban = CooperationArea.objects.get(slug="urban-planning")
    call_a = Call.objects.create(
        network=net, component="project", title="Call A", title_sv="Call A"
    )
    call_b = Call.objects.create(
        network=net, component="inception", title="Call B", title_sv="Call B"
    )
    se = free_municipalities("SE", 7)
    ua = free_municipalities("UA", 4)
    p1 = partnership(net, se[0], ua[0], education, phase="project", status="active")
    p2 = partnership(net, se[1], ua[1], urban, phase="inception", status="active")
    p3 = partnership(net, se[2], ua[2], education, phase="project", status="paused")

    def grant(p, call, state, amount):
        return Application.objects.create(
            call=call,
            swedish_partner=p.swedish_partner,
            partner=p.partner,
            partnership=p,
            state=state,
            granted_amount=Decimal(amount),
            decided_at=now,
        )

    a1 = grant(p1, call_a, "active", 400_000)
    grant(p2, call_b, "granted", 100_000)
    grant(p3, call_a, "rejected", 999)
    agreement = Agreement.objects.create(
        application=a1,
        amount=Decimal(380_000),
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=400),
    )
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    assert category is not None
    r1 = report(p1, "approved", "annual", agreement, accounting_year=today.year - 1)
    r2 = report(p1, "submitted", "final", agreement)
    r3 = report(p2, "draft", "annual", None, due_in=20, component="inception", accounting_year=1)
    r4 = report(p2, "approved", "milestone", None, component="inception")
    r5 = report(p1, "returned", "adhoc", agreement, due_in=-10)
    expense(r1, "10000", category)
    expense(r1, "5500.40", category)
    expense(r2, "2000", category)
    expense(r3, "7000", category)
    expense(r4, "1000", category)
    finance = User.objects.get(email="finance@icld.example")
    Reimbursement.objects.create(
        report=r1, amount=Decimal(15_000), paid_on=today, reference="P-1", recorded_by=finance
    )
    plan = ResultsPlan.objects.create(partnership=p1, application=a1, component="project")
    plan.accept()
    plan.save()
    statement = PlanStatement.objects.create(plan=plan, level="objective", text="Objective")
    values = {}
    for name, actual, in_report in (("I1", 20, r1), ("I2", 12, r2), ("I3", 20, r5)):
        indicator = PlanIndicator.objects.create(
            statement=statement, name=name, baseline_value=Decimal(10)
        )
        PlanTarget.objects.create(indicator=indicator, year=today.year, value=Decimal(20))
        IndicatorValue.objects.create(report=in_report, indicator=indicator, value=actual)
        values[name] = indicator
    for municipality, days, stage in (
        (se[3], 10, "interested"),
        (se[4], 30, "matched"),
        (ua[3], 5, "interested"),
        (se[5], 50, "granted"),
    ):
        QueueEntry.objects.create(
            municipality=municipality,
            network=net,
            stage=stage,
            joined_at=now - timedelta(days=days, hours=1),
        )
    return {"network": net, "call_a": call_a, "call_b": call_b, "p1": p1, "p2": p2, "p3": p3}


def grow(net: Network, count: int, offset: int = 10) -> None:
    """`count` more granted partnerships in `net`, each with an agreement, a submitted report
    with two costs, and an approved report with a reimbursement: for query-count tests."""
    call = Call.objects.filter(network=net).order_by("pk").first()
    category = CostCategory.objects.filter(eligible=True).order_by("pk").first()
    finance = User.objects.get(email="finance@icld.example")
    area = CooperationArea.objects.order_by("pk").first()
    today = timezone.localdate()
    se = free_municipalities("SE", count, offset)
    ua = free_municipalities("UA", count, offset)
    for swedish, partner in zip(se, ua, strict=True):
        p = partnership(net, swedish, partner, area, phase="project", status="active")
        application = Application.objects.create(
            call=call,
            swedish_partner=swedish,
            partner=partner,
            partnership=p,
            state="active",
            granted_amount=Decimal(1000),
            decided_at=timezone.now(),
        )
        agreement = Agreement.objects.create(
            application=application, amount=Decimal(1000), starts_on=today, ends_on=today
        )
        submitted = report(p, "submitted", "final", agreement)
        approved = report(p, "approved", "annual", agreement, accounting_year=today.year)
        expense(submitted, "10", category)
        expense(approved, "20", category)
        Reimbursement.objects.create(
            report=approved, amount=Decimal(20), paid_on=today, reference="x", recorded_by=finance
        )
