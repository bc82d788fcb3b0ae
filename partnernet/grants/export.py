"""A call's applications and scores as an XLSX workbook for the decision meeting.

Every row goes through `partnernet.lib.cells.xlsx_row`: titles, names and review comments
are people's text, and a cell that starts like a formula must stay text in the spreadsheet.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from partnernet.lib.cells import xlsx_row

from .models import RUBRIC, State
from .selectors import ScoreRow


def score_workbook(rows: list[ScoreRow]) -> bytes:
    """One sheet of applications with average scores, one of every individual review."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Applications")[:31]
    sheet.append(
        [
            _("Application"),
            _("Swedish partner"),
            _("International partner"),
            _("State"),
            _("Amount requested (SEK)"),
            _("Amount granted (SEK)"),
            *[str(label) for _k, label in RUBRIC],
            _("Average total"),
        ]
    )
    for row in rows:
        app = row.application
        sheet.append(
            xlsx_row(
                [
                    str(app),
                    str(app.swedish_partner),
                    str(app.partner),
                    str(State(app.state).label),
                    float(app.requested_amount()),
                    _number(app.granted_amount),
                    *[row.averages.get(k) for k, _l in RUBRIC],
                    row.total,
                ]
            )
        )
    reviews = book.create_sheet(_("Reviews")[:31])
    reviews.append(
        [
            _("Application"),
            _("Reviewer"),
            _("Conflict of interest"),
            *[str(label) for _k, label in RUBRIC],
            _("Comments"),
        ]
    )
    for row in rows:
        for review in row.reviews:
            reviews.append(
                xlsx_row(
                    [
                        str(row.application),
                        str(review.reviewer),
                        _("yes") if review.conflict_of_interest else _("no"),
                        *[review.scores.get(k) for k, _l in RUBRIC],
                        review.comments,
                    ]
                )
            )
    for worksheet in (sheet, reviews):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(value):
    return float(value) if value is not None else None
