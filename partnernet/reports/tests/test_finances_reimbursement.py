"""Reimbursement: only for an approved report, at most its approved actual costs, once; two
finance officers at the same moment make one reimbursement (PostgreSQL, real connections)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from partnernet.accounts.models import User
from partnernet.audit.models import AuditEntry
from partnernet.grants.models import CostCategory
from partnernet.notifications.models import Notification
from partnernet.reports.models import Expenditure, Reimbursement, Report
from partnernet.reports.services.reimbursement import reimbursement_record

from .finances_helpers import client_of, own_report, url


def _approved(amount: Decimal = Decimal("12000")) -> Report:
    report = own_report()
    Expenditure.objects.create(
        report=report,
        category=CostCategory.objects.get(slug="travel"),
        description="Resa",
        paid_on=report.period_start,
        amount=amount,
        rate_date=report.period_start,
        amount_sek=amount,
    )
    report.submit()
    report.save()
    report.approve()
    report.save()
    return report


def _finance() -> User:
    return User.objects.get(email="finance@icld.example")


@pytest.mark.django_db
def test_a_draft_report_is_not_reimbursed():
    report = own_report()
    with pytest.raises(ValidationError) as refused:
        reimbursement_record(
            report=report,
            amount=Decimal(1),
            paid_on=date(2026, 1, 1),
            reference="R1",
            actor=_finance(),
        )
    assert refused.value.code == "not_approved"


@pytest.mark.django_db
def test_amount_rules_and_one_per_report(django_capture_on_commit_callbacks):
    report = _approved()
    for amount in (Decimal(0), Decimal("12000.01")):
        with pytest.raises(ValidationError):
            reimbursement_record(
                report=report,
                amount=amount,
                paid_on=date(2026, 1, 1),
                reference="R1",
                actor=_finance(),
            )
    with django_capture_on_commit_callbacks(execute=True):
        reimbursement_record(
            report=report,
            amount=Decimal("12000"),
            paid_on=date(2026, 1, 1),
            reference="R1",
            actor=_finance(),
        )
    assert AuditEntry.objects.filter(action="reimburse", object_id=str(report.pk)).exists()
    told = set(Notification.objects.values_list("recipient__email", flat=True))
    assert {"falun@demo.example", "kolomyia@demo.example"} <= told
    with pytest.raises(ValidationError) as again:
        reimbursement_record(
            report=report,
            amount=Decimal("1"),
            paid_on=date(2026, 1, 1),
            reference="R2",
            actor=_finance(),
        )
    assert again.value.code == "already"


@pytest.mark.django_db
def test_the_finance_officer_records_it_on_the_page():
    report = _approved()
    client = client_of("finance@icld.example")
    assert client.get(url("reimburse", report)).status_code == 200
    response = client.post(
        url("reimburse", report), {"amount": "12000", "paid_on": "2026-05-01", "reference": "X1"}
    )
    assert response.status_code == 302
    response = client.post(
        url("reimburse", report), {"amount": "100", "paid_on": "2026-05-01", "reference": "X2"}
    )
    assert response.status_code in (200, 409)
    assert Reimbursement.objects.filter(report=report).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="row locks need PostgreSQL")
def test_two_finance_officers_at_once_make_one_reimbursement():
    report = _approved()
    officers = [_finance(), User.objects.get(email="finance@icld.example")]
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def work(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = reimbursement_record(
                report=report,
                amount=Decimal("12000"),
                paid_on=date(2026, 5, 1),
                reference=f"R{index}",
                actor=officers[index],
            )
        except Exception as error:  # noqa: BLE001  (the outcome is what the test inspects)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), outcomes
    assert errors[0].code == "already"
    assert Reimbursement.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_the_officer_who_approved_a_report_does_not_also_pay_it_out():
    """Programme officers may record reimbursements (so they may make finance officers), but
    never of a report they approved themselves: four eyes on public money."""
    officer = User.objects.get(email="officer@icld.example")
    report = _approved()
    Report.objects.filter(pk=report.pk).update(decided_by=officer)
    report.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        reimbursement_record(
            report=report,
            amount=Decimal("100"),
            paid_on=date(2026, 1, 1),
            reference="R1",
            actor=officer,
        )
    assert refused.value.code == "four_eyes"
    assert not Reimbursement.objects.filter(report=report).exists()
    reimbursement_record(
        report=report,
        amount=Decimal("100"),
        paid_on=date(2026, 1, 1),
        reference="R1",
        actor=User.objects.get(email="finance@icld.example"),
    )
    assert Reimbursement.objects.filter(report=report).count() == 1
