"""Found by the journey: the reimbursement form refused an amount written the way the page
shows amounts in Swedish and Ukrainian ("13 500,50", with a space between the thousands),
while the expenditure form takes it. Both now read amounts the same way."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from partnernet.reports.models import Reimbursement, Report, ReportState

from .writing_fixtures import client_of

pytestmark = pytest.mark.django_db


def _approved_unpaid() -> Report:
    report = Report.objects.filter(state=ReportState.APPROVED, reimbursement__isnull=True).first()
    assert report is not None  # the demo has one
    return report


def _address(report: Report, lang: str) -> str:
    with translation.override(lang):
        return reverse(
            "reports:reimburse", kwargs={"slug": report.partnership.slug, "pk": report.pk}
        )


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("sv", "13 500,50"), ("uk", "13\xa0500,50"), ("en", "13,500.50"), ("sv", "13500,50")],
)
def test_an_amount_with_thousands_separated_is_recorded(lang, typed):
    report = _approved_unpaid()
    response = client_of("finance@icld.example").post(
        _address(report, lang), {"amount": typed, "paid_on": "2026-11-02", "reference": "R-1"}
    )
    assert response.status_code == 302
    assert Reimbursement.objects.get(report=report).amount == Decimal("13500.50")


@pytest.mark.parametrize("typed", ["lots", "1,2,3", "NaN"])
def test_an_amount_that_is_no_number_is_refused_and_nothing_recorded(typed):
    report = _approved_unpaid()
    response = client_of("finance@icld.example").post(
        _address(report, "en"), {"amount": typed, "paid_on": "2026-11-02", "reference": "R-1"}
    )
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    assert not Reimbursement.objects.filter(report=report).exists()
