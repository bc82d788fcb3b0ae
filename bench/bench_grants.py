"""Grants: decision latency under the call lock, the officers' score table and XLSX export for a
call of 200 applications with three reviews each, and queries per application page."""

from decimal import Decimal

from django.db import transaction
from django.test import Client

from bench.util import count_queries, median, metric, timings_ms
from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.grants import services
from partnernet.grants.export import score_workbook
from partnernet.grants.models import (
    RUBRIC,
    Application,
    BudgetLine,
    Call,
    CostCategory,
    Review,
    State,
)
from partnernet.grants.selectors import call_score_table
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network

N_APPLICATIONS = 200
TITLE = "Bench call (generated)"


class Rollback(Exception):
    pass


def _person(email: str, role: str, funder: Organisation) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": email})
    RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=funder, partnership=None
    )
    return user


def ensure_bench_call() -> Call:
    """A project call with 200 applications in review, each with a budget and three reviews."""
    call = Call.objects.filter(title=TITLE).first()
    if call:
        return call
    network = Network.objects.get(slug="democratic-resilience")
    call = Call.objects.create(
        network=network, component="project", title=TITLE, budget=Decimal(N_APPLICATIONS) * 450_000
    )
    area = CooperationArea.objects.get(slug="education")
    swedish = list(Municipality.objects.filter(country_id="SE").order_by("code"))
    partners = list(Municipality.objects.filter(country_id="UA").order_by("code")[:N_APPLICATIONS])
    apps = Application.objects.bulk_create(
        [
            Application(
                call=call,
                swedish_partner=swedish[i % len(swedish)],
                partner=partners[i],
                title=f"Bench application {i}",
                state=State.IN_REVIEW,
                area=area,
            )
            for i in range(N_APPLICATIONS)
        ]
    )
    travel = CostCategory.objects.get(slug="travel")
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                application=a, category=travel, description="Visits", amount=Decimal(300_000)
            )
            for a in apps
        ]
    )
    funder = Organisation.objects.filter(kind="funder").order_by("id").first()
    reviewers = [
        _person(f"bench-reviewer{i}@bench.example", Role.REVIEWER, funder) for i in range(3)
    ]
    from django.utils import timezone

    now = timezone.now()
    Review.objects.bulk_create(
        [
            Review(
                application=a,
                reviewer=r,
                scores={k: (a.pk + j) % 5 + 1 for j, (k, _l) in enumerate(RUBRIC)},
                comments="Generated",
                submitted_at=now,
            )
            for a in apps
            for r in reviewers
        ]
    )
    return call


def _grant_once(application_id: int, officer: User) -> None:
    try:
        with transaction.atomic():
            services.application_grant(
                application_id=application_id,
                actor=officer,
                amount=Decimal(400_000),
                reasons="Bench",
            )
            raise Rollback
    except Rollback:
        pass


def run(ctx: dict) -> dict:
    call = ensure_bench_call()
    funder = Organisation.objects.filter(kind="funder").order_by("id").first()
    officer = _person("bench-officer@bench.example", Role.PROGRAMME_OFFICER, funder)
    first = call.applications.order_by("id").first()
    grant_ms = timings_ms(lambda: _grant_once(first.pk, officer), 20)
    table_ms = timings_ms(lambda: call_score_table(call=call), 5)
    rows = call_score_table(call=call)
    export_ms = timings_ms(lambda: score_workbook(rows), 3)
    client = Client()
    client.force_login(officer)
    client.get(f"/en/grants/applications/{first.pk}/")
    return {
        "grant_decision_median_ms": metric(median(grant_ms), "ms"),
        "call_score_table_200_apps_median_ms": metric(median(table_ms), "ms"),
        "call_score_table_queries": metric(
            count_queries(lambda: call_score_table(call=call)), "queries"
        ),
        "call_scores_xlsx_200_apps_ms": metric(median(export_ms), "ms"),
        "call_page_200_apps_queries": metric(
            count_queries(lambda: client.get(f"/en/grants/calls/{call.pk}/")), "queries"
        ),
        "application_page_queries": metric(
            count_queries(lambda: client.get(f"/en/grants/applications/{first.pk}/")), "queries"
        ),
    }
