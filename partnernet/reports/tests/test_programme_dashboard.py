"""The programme at a glance and the funder's budget: who may, the figures against a small
programme whose sums are written here by hand, constant queries, the XLSX export, the charts."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from partnernet.accounts.models import User
from partnernet.accounts.testing import sign_in
from partnernet.reports import programme
from partnernet.reports.progress import indicator_status

from . import programme_fixture

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "sv", **params) -> str:
    with translation.override(language):
        address = reverse(f"programme:{name}")
    if params:
        from urllib.parse import urlencode

        address += "?" + urlencode(params)
    return address


def client_of(email: str) -> Client:
    return sign_in(Client(), User.objects.get(email=email))


@pytest.fixture
def small():
    return programme_fixture.build()


# Who may ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["dashboard", "budget", "export"])
@pytest.mark.parametrize("email", ["officer@icld.example", "finance@icld.example"])
def test_programme_and_finance_officers_get_in(name, email):
    assert client_of(email).get(url(name)).status_code == 200


@pytest.mark.parametrize("name", ["dashboard", "budget", "export"])
@pytest.mark.parametrize(
    "email",
    [
        "falun@demo.example",
        "kolomyia@demo.example",
        "member@demo.example",
        "steering@demo.example",
        "reviewer@icld.example",
    ],
)
def test_everyone_else_is_refused(name, email):
    assert client_of(email).get(url(name)).status_code == 403


@pytest.mark.parametrize("name", ["dashboard", "budget", "export"])
def test_anonymous_is_sent_to_sign_in(name):
    response = Client().get(url(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "params",
    [{"network": "no-such-network"}, {"call": "x"}, {"call": "999999"}, {"year": "1800"}],
)
@pytest.mark.parametrize("name", ["dashboard", "budget", "export"])
def test_a_bad_filter_is_a_400_page_never_a_500(name, params):
    response = client_of("officer@icld.example").get(url(name, **params))
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


# The figures, against sums written by hand ------------------------------------------------------
def test_the_dashboard_figures_match_the_hand_computed_programme(small):
    with translation.override("en"):
        board = programme.dashboard(programme.Filters(network=small["network"]), language="en")
    assert board.partnerships == 3
    assert board.money.granted == Decimal("480000")  # 380 000 (agreement) + 100 000
    assert board.money.reported == Decimal("18500.40")  # 10 000 + 5 500.40 + 2 000 + 1 000
    assert board.money.reimbursed == Decimal("15000")
    assert board.money.remaining == Decimal("465000")
    assert board.reports == {"due_soon": 1, "overdue": 1, "submitted": 1, "approved_unpaid": 1}
    assert board.results == {"on_track": 1, "behind": 1, "no_data": 1}
    assert dict(board.portfolio["phase"]) == {"project": 2, "inception": 1}
    assert dict(board.portfolio["status"]) == {"active": 2, "paused": 1}
    assert dict(board.portfolio["area"]) == {"Education": 2, "Urban planning": 1}
    assert dict(board.portfolio["call"]) == {"Call A": 1, "Call B": 1}
    assert sum(n for _l, n in board.portfolio["region"]) == 3
    queue = {q.country: (q.waiting, q.median_days, q.longest_days) for q in board.queue}
    assert queue == {"SE": (2, 20.0, 30), "UA": (1, 5.0, 5)}


def test_the_call_filter_narrows_every_figure(small):
    with translation.override("en"):
        board = programme.dashboard(
            programme.Filters(network=small["network"], call=small["call_a"]), language="en"
        )
    assert board.partnerships == 1  # P1 (P3 was rejected)
    assert board.money.granted == Decimal("380000")
    assert board.money.reported == Decimal("17500.40")
    assert board.money.reimbursed == Decimal("15000")


def test_the_budget_tables_match_by_hand_and_add_up(small):
    with translation.override("en"):
        figures = programme.budget(programme.Filters(network=small["network"]), language="en")

    def table(rows):
        return {r.label: (r.granted, r.reported, r.reimbursed, r.remaining) for r in rows}

    d = Decimal
    assert table(figures.calls) == {
        "Call A": (d(380000), d("17500.40"), d(15000), d(365000)),
        "Call B": (d(100000), d(0), d(0), d(100000)),
        "without a call": (d(0), d(1000), d(0), d(0)),
    }
    assert table(figures.components) == {
        "project": (d(380000), d("17500.40"), d(15000), d(365000)),
        "inception": (d(100000), d(1000), d(0), d(100000)),
    }
    p1, p2 = small["p1"].title, small["p2"].title
    assert table(figures.partnerships) == {
        p1: (d(380000), d("17500.40"), d(15000), d(365000)),
        p2: (d(100000), d(1000), d(0), d(100000)),
    }
    for total in figures.totals.values():
        assert (total.granted, total.reported, total.reimbursed) == (
            d(480000),
            d("18500.40"),
            d(15000),
        )


def test_the_pages_show_the_figures(small):
    officer = client_of("officer@icld.example")
    page = officer.get(url("dashboard", "en", network="programme-test")).content.decode()
    assert 'data-figure="granted">SEK\xa0480,000<' in page
    assert 'data-figure="reported">SEK\xa018,500<' in page
    assert 'data-figure="remaining">SEK\xa0465,000<' in page
    budget = officer.get(url("budget", "sv", network="programme-test")).content.decode()
    assert "480\xa0000" in budget and "18\xa0500" in budget and "465\xa0000" in budget


def test_every_chart_has_a_title_a_description_and_a_table_of_the_same_numbers(small):
    page = (
        client_of("finance@icld.example")
        .get(url("dashboard", "en", network="programme-test"))
        .content.decode()
    )
    assert page.count('role="img"') == 9
    for slug in ("portfolio-phase", "reports", "money", "results", "queue"):
        assert f'<title id="chart-{slug}-title">' in page
        assert f'<desc id="chart-{slug}-desc">' in page
        assert f'data-chart="{slug}"' in page
    # the same numbers in the bars' labels and in the table rows
    assert "Waiting for review: 1</text>" in page
    assert '<th scope="row">Waiting for review</th><td>1</td>' in page
    assert "Granted: SEK\xa0480,000</text>" in page
    assert '<th scope="row">Granted</th><td>SEK\xa0480,000</td>' in page
    assert '<th scope="row">on track</th><td>1</td>' in page


def test_the_export_holds_the_figures_of_the_page(small):
    response = client_of("officer@icld.example").get(url("export", "en", network="programme-test"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Portfolio", "Reports", "Money", "Results", "Queue"]
    money = {row[0]: row[1] for row in book["Money"].iter_rows(min_row=2, values_only=True)}
    assert money == {
        "Granted": 480000,
        "Reported": pytest.approx(18500.40),
        "Reimbursed": 15000,
        "Remaining": 465000,
    }
    assert "SEK" in book["Money"]["B2"].number_format
    reports = dict(book["Reports"].iter_rows(min_row=2, values_only=True))
    assert reports == {
        "Due in the next 60 days": 1,
        "Overdue": 1,
        "Waiting for review": 1,
        "Approved, waiting for reimbursement": 1,
    }
    assert dict(book["Results"].iter_rows(min_row=2, values_only=True)) == {
        "on track": 1,
        "behind": 1,
        "no data": 1,
    }
    portfolio = {(g, c): n for g, c, n in book["Portfolio"].iter_rows(min_row=2, values_only=True)}
    assert portfolio[("Partnerships by phase", "project")] == 2
    assert portfolio[("Partnerships by call", "Call B")] == 1
    queue = [row for row in book["Queue"].iter_rows(min_row=2, values_only=True)]
    assert queue == [("Sweden", 2, 20, 30), ("Ukraine", 1, 5, 5)]


def test_the_export_headings_are_in_the_readers_language(small):
    response = client_of("officer@icld.example").get(url("export", "uk", network="programme-test"))
    book = load_workbook(BytesIO(response.content))
    assert "Portfolio" not in book.sheetnames
    assert book["Money" if "Money" in book.sheetnames else book.sheetnames[2]]["A1"].value != (
        "Figure"
    )


# Constant queries -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["dashboard", "budget"])
def test_the_pages_take_the_same_number_of_queries_at_2_and_40_partnerships(
    small, name, django_assert_num_queries
):
    officer = client_of("officer@icld.example")
    address = url(name, network="programme-test")
    officer.get(address)
    programme_fixture.grow(small["network"], 2, offset=10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert officer.get(address).status_code == 200
    programme_fixture.grow(small["network"], 38, offset=12)
    with django_assert_num_queries(len(few)):
        response = officer.get(address)
    assert response.status_code == 200


def test_the_dashboard_figures_take_a_pinned_number_of_queries(small, django_assert_num_queries):
    filters = programme.Filters(network=small["network"])
    # portfolio 5, reports 1, money 1, results 1, queue 1
    with django_assert_num_queries(9):
        programme.dashboard(filters, language="sv")
    with django_assert_num_queries(3):  # one per table
        programme.budget(filters, language="sv")


# The status rule --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("baseline", "target", "actual", "share", "status"),
    [
        (10, 20, 20, 1.0, "on_track"),
        (10, 20, 19, 1.0, "behind"),
        (10, 20, 15, 0.5, "on_track"),
        (10, 20, 14, 0.5, "behind"),
        (10, 4, 4, 1.0, "on_track"),  # a falling target
        (10, 4, 9, 1.0, "behind"),
        (10, 4, 7, 0.5, "on_track"),
        (10, 20, None, 1.0, "no_data"),
        (10, None, 12, 1.0, "no_data"),
        (5, 5, 5, 1.0, "on_track"),
    ],
)
def test_indicator_status(baseline, target, actual, share, status):
    assert (
        indicator_status(baseline=baseline, target=target, actual=actual, share_elapsed=share)
        == status
    )


def test_the_year_filter_takes_the_grants_decided_and_the_reports_due_in_it(small):
    from django.utils import timezone

    this_year = timezone.localdate().year
    with translation.override("en"):
        later = programme.dashboard(
            programme.Filters(network=small["network"], year=this_year + 5), language="en"
        )
    assert later.money.granted == later.money.reported == later.money.reimbursed == Decimal(0)
    assert later.reports == {"due_soon": 0, "overdue": 0, "submitted": 0, "approved_unpaid": 0}
    assert later.partnerships == 3  # their periods are not known: they count in every year
