"""The dashboard's figures as an XLSX workbook: one sheet per figure group, the same numbers
as the page, headings in the reader's language, amounts as numbers in an SEK format. Every row
goes through `lib.cells.xlsx_row` (names are people's text)."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from partnernet.lib.cells import xlsx_row

from .programme import (
    PORTFOLIO_GROUPS,
    REPORT_FIGURES,
    Dashboard,
    money_labels,
    portfolio_titles,
    report_labels,
)
from .progress import STATUS_LABELS, STATUSES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEK_FORMAT = '#,##0.00 "SEK"'


def _sheet(book: Workbook, title: str, headings: list[str], rows: list[list], first: bool = False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append(xlsx_row(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(xlsx_row(row))
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 20
    return sheet


def dashboard_workbook(board: Dashboard, country_name) -> bytes:
    book = Workbook()
    titles = portfolio_titles()
    _sheet(
        book,
        _("Portfolio"),
        [_("Group"), _("Category"), _("Partnerships")],
        [
            [str(titles[group]), text, n]
            for group in PORTFOLIO_GROUPS
            for text, n in board.portfolio[group]
        ],
        first=True,
    )
    labels = report_labels()
    _sheet(
        book,
        _("Reports"),
        [_("Reports"), _("Number")],
        [[str(labels[key]), board.reports[key]] for key in REPORT_FIGURES],
    )
    names = money_labels()
    money = _sheet(
        book,
        _("Money"),
        [_("Figure"), _("Amount (SEK)")],
        [
            [str(names[key]), float(getattr(board.money, key))]
            for key in ("granted", "reported", "reimbursed", "remaining")
        ],
    )
    for (cell,) in money.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = SEK_FORMAT
    _sheet(
        book,
        _("Results"),
        [_("Indicators"), _("Number")],
        [[str(STATUS_LABELS[key]), board.results[key]] for key in STATUSES],
    )
    _sheet(
        book,
        _("Queue"),
        [_("Country"), _("Waiting"), _("Median wait (days)"), _("Longest wait (days)")],
        [[country_name(q.country), q.waiting, q.median_days, q.longest_days] for q in board.queue],
    )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
