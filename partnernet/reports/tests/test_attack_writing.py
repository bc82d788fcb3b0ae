"""Attacks on the narrative and the review: partial posts (one language of one section) blank
nothing else, stale versions overwrite nothing, and empty, whitespace-only, enormous and
NUL-carrying texts and junk versions are refused or kept clean, never a 500."""

from __future__ import annotations

import pytest

from partnernet.reports.models import Report, ReportSection, ReportState, ReviewComment
from partnernet.reports.services.writing import report_sections_ensure

from .writing_fixtures import client_of, report_of, url

pytestmark = pytest.mark.django_db

SLUG = "falun-kolomyia"


@pytest.fixture
def report():
    report = report_of(SLUG)
    report_sections_ensure(report)
    ReportSection.objects.filter(report=report).update(
        text_sv="Svensk text", text_uk="Український текст", text_en="English text"
    )
    return report


def _texts(report: Report):
    return sorted(
        ReportSection.objects.filter(report=report).values_list("key", "text_sv", "text_uk")
    )


def _falun():
    client = client_of("falun@demo.example")
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "post",
    [
        {"summary_sv": "x\x00y"},
        {"summary_sv": "x" * 100_000},
        {"summary_version": "abc", "summary_sv": "ny"},
        {"summary_version": "-1", "summary_sv": "ny"},
        {"summary_source": "klingon", "summary_sv": "ny"},
        {"summary_base": "b" * 1000, "summary_sv": "ny"},
    ],
)
def test_junk_in_the_narrative_is_refused_and_nothing_is_changed(report, post):
    before = _texts(report)
    response = _falun().post(url("save", report), post)
    assert response.status_code == 400, response.status_code
    assert _texts(report) == before


@pytest.mark.parametrize("version", ["0", "999999999999999999999999999999"])
def test_a_stale_or_invented_version_overwrites_nothing(report, version):
    before = _texts(report)
    response = _falun().post(
        url("save", report), {"summary_version": version, "summary_sv": "överskrivet"}
    )
    assert response.status_code in (400, 409), response.status_code
    assert _texts(report) == before


def test_a_post_of_one_language_of_one_section_blanks_nothing_else(report):
    section = ReportSection.objects.get(report=report, key="summary")
    response = _falun().post(
        url("save", report),
        {"summary_version": section.version, "summary_sv": "Ny svensk text"},
    )
    assert response.status_code in (200, 302, 409)
    rows = dict((k, (sv, uk)) for k, sv, uk in _texts(report))
    assert rows["summary"][1] == "Український текст"
    assert all(
        (sv, uk) == ("Svensk text", "Український текст")
        for key, (sv, uk) in rows.items()
        if key != "summary"
    )


def test_an_empty_post_changes_nothing(report):
    before = _texts(report)
    response = _falun().post(url("save", report), {})
    assert response.status_code < 500
    assert _texts(report) == before


@pytest.mark.parametrize("comment", ["x\x00y", "x" * 100_000, "   "])
def test_junk_review_comments_are_refused_and_the_report_stays_submitted(report, comment):
    Report.objects.filter(pk=report.pk).update(state=ReportState.SUBMITTED)
    officer = client_of("officer@icld.example")
    officer.raise_request_exception = False
    response = officer.post(
        url("review", report), {"decision": "return", "comment_finances": comment}
    )
    assert response.status_code == 400, response.status_code
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert not ReviewComment.objects.filter(report=report).exists()
