"""A report's actual costs: adding, changing and removing expenditures, their receipts, the
bulk import of a file, and what keeps the finances from being submitted.

Every write locks the report (`select_for_update`), refuses a report that is not being written
(draft or returned) or that changed since the form was read (`version`), checks the row with
the one validator (`expenditure_import.check_row`) and the agreement's ceiling over all its
reports, bumps `Report.version`, and leaves an audit entry. A refusal is a `ValidationError`
with a translated reason and nothing written.

The rule for submitting (`expenditure_problems`): every expenditure of at least
`RECEIPT_THRESHOLD` SEK needs at least one receipt document; smaller ones may be listed without
(the funder's practice for small costs, whose receipts the partner keeps for the audit).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.documents.models import Category, Document
from partnernet.documents.services import document_upload
from partnernet.grants import rules
from partnernet.grants.models import BudgetLine, CostCategory
from partnernet.grants.selectors import ceiling_for
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.money import format_money

from .. import expenditure_import as rows
from ..models import ExchangeRate, Expenditure, ExpenditureImport, Report

RECEIPT_THRESHOLD = Decimal(5000)
PREVIEW_PAGE_SIZE = 50


class StaleReport(ValidationError):
    """The report's finances changed since the page was read: the write is refused."""


# What a row is checked against ---------------------------------------------------------------
def row_context(report: Report) -> rows.RowContext:
    """The categories, the budget lines of the report's application and the recorded rates
    (three queries)."""
    categories: dict[str, rows.CategoryInfo] = {}
    for category in CostCategory.objects.all():
        info = rows.CategoryInfo(
            pk=category.pk,
            name=category.name,
            eligible=category.eligible,
            explanation=category.explanation or "",
        )
        spellings = [str(category.pk), category.slug, category.name]
        spellings += [getattr(category, f"name_{code}", "") or "" for code in LANGUAGES]
        for spelling in spellings:
            if spelling:
                categories.setdefault(spelling.casefold(), info)
    lines: dict[int, rows.BudgetLineInfo] = {}
    if report.agreement is not None:
        for line in BudgetLine.objects.filter(
            application_id=report.agreement.application_id
        ).select_related("category"):
            lines[line.pk] = rows.BudgetLineInfo(
                pk=line.pk,
                category_pk=line.category_id,
                category_name=line.category.name,
                description=line.description,
            )
    rates: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    for currency, on, rate in ExchangeRate.objects.filter(on__lte=report.period_end).values_list(
        "currency", "on", "rate"
    ):
        rates[currency].append((on, rate))
    return rows.RowContext(
        period_start=report.period_start,
        period_end=report.period_end,
        categories=categories,
        budget_lines=lines,
        rates=dict(rates),
    )


def proposed_rate(currency: str, paid_on: date) -> tuple[Decimal, date] | None:
    """The rate a form proposes: the latest recorded on or before the payment (1 for SEK)."""
    if currency == "SEK":
        return Decimal(1), paid_on
    found = (
        ExchangeRate.objects.filter(currency=currency, on__lte=paid_on)
        .order_by("-on")
        .values_list("rate", "on")
        .first()
    )
    return (found[0], found[1]) if found else None


def latest_rates(report: Report) -> list[tuple[str, Decimal, date]]:
    """What the form proposes, per currency: the latest recorded rate up to the end of the
    report's period (one query)."""
    latest: dict[str, tuple[Decimal, date]] = {}
    for currency, rate, on in (
        ExchangeRate.objects.filter(on__lte=report.period_end)
        .exclude(currency="SEK")
        .order_by("currency", "-on")
        .values_list("currency", "rate", "on")[:500]
    ):
        latest.setdefault(currency, (rate, on))
    return [(currency, rate, on) for currency, (rate, on) in sorted(latest.items())]


def _ceiling_errors(
    report: Report, new: list[tuple[int, rows.CleanRow]], *, exclude: int | None = None
) -> list[tuple[int, str]]:
    """The agreement's actual costs over all its reports, with `new`, above its ceiling: each
    problem with the line of the first new row that goes over."""
    agreement = report.agreement
    if agreement is None or not new:
        return []
    ceiling = ceiling_for(agreement.application.call)
    if ceiling is None:
        return []
    per_year = ceiling.per_year
    existing = Expenditure.objects.filter(report__agreement_id=agreement.pk)
    if exclude is not None:
        existing = existing.exclude(pk=exclude)

    def line(amount: Decimal, paid_on: date) -> rules.Line:
        year = rows.project_year(agreement.starts_on, paid_on)
        return rules.Line(category="", eligible=True, amount=amount, year=year)

    lines = [line(a, p) for a, p in existing.values_list("amount_sek", "paid_on")]
    lines += [line(row.amount_sek, row.paid_on) for _number, row in new]

    # Only the totals the new rows add to count (an older excess is the officer's matter),
    # each named by the first new row that takes it over the ceiling.
    def key(item: rules.Line) -> int:
        return item.year if per_year else 0

    old, added = lines[: len(lines) - len(new)], lines[len(lines) - len(new) :]
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for item in old:
        totals[key(item)] += item.amount
    found: list[tuple[int, str]] = []
    reported: set[int] = set()
    for (number, _row), item in zip(new, added, strict=True):
        totals[key(item)] += item.amount
        if totals[key(item)] > ceiling.amount and key(item) not in reported:
            reported.add(key(item))
            same = [line for line in lines if key(line) == key(item)]
            found.extend(
                (number, problem)
                for problem in rows.ceiling_problems(
                    same, ceiling=ceiling.amount, per_year=per_year
                )
            )
    return found


# Locks and versions --------------------------------------------------------------------------
def _lock(report: Report, version: int | None) -> Report:
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("agreement__application__call")
        .get(pk=report.pk)
    )
    if not locked.is_writable:
        raise ValidationError(
            _("The report is %(state)s: its finances can no longer be changed.")
            % {"state": locked.get_state_display()},
            code="not_writable",
        )
    if version is not None and locked.version != version:
        raise StaleReport(
            _(
                "Someone changed the report's finances since you opened the page. Nothing was "
                "saved: look at the list as it is now and try again."
            ),
            code="stale",
        )
    return locked


def _bump(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
    report.refresh_from_db(fields=["version"])


def _checked(
    report: Report, values: dict[str, str], *, exclude: int | None = None
) -> rows.CleanRow:
    row, problems = rows.check_row(values, row_context(report))
    if problems:
        raise ValidationError(problems, code="invalid")
    assert row is not None
    ceiling = _ceiling_errors(report, [(0, row)], exclude=exclude)
    if ceiling:
        raise ValidationError([message for _line, message in ceiling], code="over_ceiling")
    return row


def _fields(row: rows.CleanRow) -> dict:
    return {
        "category_id": row.category_pk,
        "budget_line_id": row.budget_line_pk,
        "description": row.description,
        "paid_on": row.paid_on,
        "currency": row.currency,
        "amount": row.amount,
        "rate": row.rate,
        "rate_date": row.rate_date,
        "amount_sek": row.amount_sek,
    }


def _snapshot(expenditure: Expenditure) -> dict:
    return {
        "category": expenditure.category_id,
        "budget_line": expenditure.budget_line_id,
        "paid_on": str(expenditure.paid_on),
        "currency": expenditure.currency,
        "amount": str(expenditure.amount),
        "rate": str(expenditure.rate),
        "rate_date": str(expenditure.rate_date),
        "amount_sek": str(expenditure.amount_sek),
    }


# Single expenditures -------------------------------------------------------------------------
def expenditure_add(
    *, report: Report, version: int, values: dict[str, str], actor: User
) -> Expenditure:
    """A new expenditure of the report from the form's plain values."""
    with transaction.atomic():
        locked = _lock(report, version)
        row = _checked(locked, values)
        expenditure = Expenditure.objects.create(report=locked, created_by=actor, **_fields(row))
        _bump(locked)
        audit_record(actor=actor, action="create", obj=expenditure, after=_snapshot(expenditure))
    report.version = locked.version
    return expenditure


def expenditure_edit(
    *,
    report: Report,
    expenditure_pk: int,
    version: int,
    values: dict[str, str],
    actor: User,
) -> Expenditure:
    with transaction.atomic():
        locked = _lock(report, version)
        expenditure = _own(locked, expenditure_pk)
        before = _snapshot(expenditure)
        row = _checked(locked, values, exclude=expenditure.pk)
        for name, value in _fields(row).items():
            setattr(expenditure, name, value)
        expenditure.save()
        _bump(locked)
        audit_record(
            actor=actor,
            action="update",
            obj=expenditure,
            before=before,
            after=_snapshot(expenditure),
        )
    report.version = locked.version
    return expenditure


def expenditure_remove(*, report: Report, expenditure_pk: int, version: int, actor: User) -> None:
    with transaction.atomic():
        locked = _lock(report, version)
        expenditure = _own(locked, expenditure_pk)
        audit_record(actor=actor, action="delete", obj=expenditure, before=_snapshot(expenditure))
        expenditure.delete()
        _bump(locked)
    report.version = locked.version


def _own(report: Report, expenditure_pk: int) -> Expenditure:
    expenditure = Expenditure.objects.filter(pk=expenditure_pk, report=report).first()
    if expenditure is None:
        raise ValidationError(_("This expenditure is not part of the report."), code="missing")
    return expenditure


def receipt_add(
    *,
    report: Report,
    expenditure_pk: int,
    version: int,
    actor: User,
    file: IO[bytes] | None = None,
    title: str = "",
    language: str = "",
    document_pk: int | None = None,
) -> Document:
    """A receipt for an expenditure: a new document of the partnership (`file`), or one of its
    existing documents (`document_pk`); a document of another partnership is refused."""
    if (file is None) == (document_pk is None):
        raise ValidationError(
            _("Upload a receipt or choose one of the partnership's documents."), code="receipt"
        )
    with transaction.atomic():
        locked = _lock(report, version)
        expenditure = _own(locked, expenditure_pk)
        if document_pk is not None:
            document = Document.objects.filter(
                pk=document_pk, partnership_id=locked.partnership_id
            ).first()
            if document is None:
                raise ValidationError(
                    _("The receipt must be a document of this partnership."), code="receipt"
                )
        else:
            assert file is not None
            document = document_upload(
                actor=actor,
                partnership=locked.partnership,
                title=title.strip() or _("Receipt: %(what)s") % {"what": expenditure.description},
                category=Category.RECEIPT,
                language=language,
                file=file,
            )
        expenditure.receipts.add(document)
        _bump(locked)
        audit_record(
            actor=actor,
            action="receipt_add",
            obj=expenditure,
            after={"document": document.pk},
        )
    report.version = locked.version
    return document


# What keeps the finances from being submitted ------------------------------------------------
def expenditure_problems(report: Report) -> list[str]:
    """Every expenditure of at least `RECEIPT_THRESHOLD` SEK needs a receipt document."""
    missing = list(
        report.expenditures.filter(amount_sek__gte=RECEIPT_THRESHOLD)
        .annotate(receipt_count=Count("receipts"))
        .filter(receipt_count=0)
        .order_by("paid_on", "id")
        .values_list("description", "paid_on")
    )
    threshold = format_money(RECEIPT_THRESHOLD, "SEK", get_language() or "sv")
    return [
        _("%(description)s (%(date)s) needs a receipt: every cost from %(threshold)s does.")
        % {"description": description, "date": paid_on, "threshold": threshold}
        for description, paid_on in missing
    ]


# The finances page ---------------------------------------------------------------------------
@dataclass
class Comparison:
    label: str
    budget: Decimal
    actual: Decimal
    actual_agreement: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual_agreement


def finances_overview(report: Report) -> dict:
    """The report's expenditures with their receipts, and budget against actual per cost
    category and per budget line (a constant number of queries, however many rows)."""
    expenditures = list(
        report.expenditures.select_related("category", "budget_line").prefetch_related("receipts")
    )
    application_id = report.agreement.application_id if report.agreement is not None else None
    budget_lines = (
        list(BudgetLine.objects.filter(application_id=application_id).select_related("category"))
        if application_id
        else []
    )
    agreement_actuals: dict[tuple[str, int | None], Decimal] = {}
    if report.agreement_id:
        for category_id, line_id, total in (
            Expenditure.objects.filter(report__agreement_id=report.agreement_id)
            .values_list("category_id", "budget_line_id")
            .annotate(total=Sum("amount_sek"))
            .order_by()
        ):
            agreement_actuals[("c", category_id)] = (
                agreement_actuals.get(("c", category_id), Decimal(0)) + total
            )
            if line_id is not None:
                agreement_actuals[("l", line_id)] = (
                    agreement_actuals.get(("l", line_id), Decimal(0)) + total
                )
    else:
        for item in expenditures:
            for key in (("c", item.category_id), ("l", item.budget_line_id)):
                agreement_actuals[key] = agreement_actuals.get(key, Decimal(0)) + item.amount_sek
    categories: dict[int, Comparison] = {}
    for line in budget_lines:
        entry = categories.setdefault(
            line.category_id, Comparison(line.category.name, Decimal(0), Decimal(0), Decimal(0))
        )
        entry.budget += line.amount
    report_lines: dict[int, Decimal] = defaultdict(Decimal)
    for item in expenditures:
        entry = categories.setdefault(
            item.category_id, Comparison(item.category.name, Decimal(0), Decimal(0), Decimal(0))
        )
        entry.actual += item.amount_sek
        if item.budget_line_id:
            report_lines[item.budget_line_id] += item.amount_sek
    for category_id, entry in categories.items():
        entry.actual_agreement = agreement_actuals.get(("c", category_id), entry.actual)
    by_line = [
        (
            line,
            Comparison(
                line.description,
                line.amount,
                report_lines.get(line.pk, Decimal(0)),
                agreement_actuals.get(("l", line.pk), Decimal(0)),
            ),
        )
        for line in budget_lines
    ]
    total = Comparison(
        _("Total"),
        sum((line.amount for line in budget_lines), Decimal(0)),
        sum((item.amount_sek for item in expenditures), Decimal(0)),
        sum(
            (v for (kind, _pk), v in agreement_actuals.items() if kind == "c"),
            Decimal(0),
        ),
    )
    return {
        "expenditures": expenditures,
        "by_category": list(categories.values()),
        "by_line": by_line,
        "total": total,
        "budget_lines": budget_lines,
    }


# Bulk import ---------------------------------------------------------------------------------
def expenditure_import_preview(
    *, report: Report, file_name: str, data: bytes, actor: User
) -> ExpenditureImport:
    """Read and check a whole file; keep its rows and every error for the preview. Nothing
    reaches the report's expenditures here."""
    with transaction.atomic():
        locked = _lock(report, None)
        try:
            parsed = rows.read_file(file_name, data)
        except rows.FileRefused as error:
            raise ValidationError(str(error), code="file") from error
        clean, errors = rows.check_rows(parsed.rows, row_context(locked))
        errors = parsed.errors + errors
        if not errors:
            errors = _ceiling_errors(locked, clean)
        errors.sort(key=lambda item: item[0])
        upload = ExpenditureImport.objects.create(
            report=locked,
            file_name=file_name[:255],
            rows=[{"line": number, **row.plain()} for number, row in clean],
            errors=[{"line": number, "message": message} for number, message in errors],
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="import_preview",
            obj=upload,
            after={"rows": len(clean), "errors": len(errors), "lines": len(parsed.rows)},
        )
    return upload


def _import_of(report: Report, import_pk: int, *, lock: bool) -> ExpenditureImport:
    found = ExpenditureImport.objects.filter(pk=import_pk, report_id=report.pk)
    upload = (found.select_for_update() if lock else found).first()
    if upload is None:
        raise ValidationError(_("This import is not part of the report."), code="missing")
    return upload


def expenditure_import_confirm(
    *, report: Report, import_pk: int, version: int, actor: User
) -> tuple[ExpenditureImport, int]:
    """Write every row of a file without errors, in one transaction; returns the import and
    how many rows this call wrote (0 when it had already been confirmed: confirming twice
    imports once)."""
    with transaction.atomic():
        upload = _import_of(report, import_pk, lock=True)
        if upload.status == ExpenditureImport.Status.CONFIRMED:
            return upload, 0
        if upload.status == ExpenditureImport.Status.DISCARDED:
            raise ValidationError(_("This file was discarded: upload it again."), code="discarded")
        if upload.errors:
            raise ValidationError(
                _("The file has errors: correct them and upload it again. Nothing was imported."),
                code="errors",
            )
        locked = _lock(report, version)
        clean = [(item["line"], rows.CleanRow.from_plain(item)) for item in upload.rows]
        ceiling = _ceiling_errors(locked, clean)
        if ceiling:
            raise ValidationError(
                [_("Line %(line)s: %(message)s") % {"line": n, "message": m} for n, m in ceiling],
                code="over_ceiling",
            )
        Expenditure.objects.bulk_create(
            [
                Expenditure(report=locked, imported_from=upload, created_by=actor, **_fields(row))
                for _number, row in clean
            ],
            batch_size=1000,
        )
        upload.status = ExpenditureImport.Status.CONFIRMED
        upload.confirmed_at = timezone.now()
        upload.save(update_fields=["status", "confirmed_at"])
        _bump(locked)
        audit_record(actor=actor, action="import_confirm", obj=upload, after={"rows": len(clean)})
    report.version = locked.version
    return upload, len(clean)


def expenditure_import_discard(*, report: Report, import_pk: int, actor: User) -> ExpenditureImport:
    with transaction.atomic():
        upload = _import_of(report, import_pk, lock=True)
        if upload.status == ExpenditureImport.Status.CONFIRMED:
            raise ValidationError(
                _("This file has been imported already: remove its expenditures one by one."),
                code="confirmed",
            )
        if upload.status != ExpenditureImport.Status.DISCARDED:
            upload.status = ExpenditureImport.Status.DISCARDED
            upload.save(update_fields=["status"])
            audit_record(actor=actor, action="import_discard", obj=upload)
    return upload


def import_sample(report: Report, language: str) -> dict[str, str]:
    """The template's sample row: the first day of the period, an eligible category named in
    the reader's language, an amount in EUR with a rate."""
    category = CostCategory.objects.filter(eligible=True).order_by("order", "slug").first()
    name = ""
    if category is not None:
        name = getattr(category, f"name_{language}", "") or category.name
    samples = {
        "sv": "Tågbiljetter",
        "uk": "Квитки на потяг",
        "en": "Train tickets",
    }
    return {
        "paid_on": report.period_start.isoformat(),
        "description": samples.get(language, samples["en"]),
        "category": name,
        "budget_line": "",
        "currency": "EUR",
        "amount": "120,50" if language in ("sv", "uk") else "120.50",
        "rate": "11,25" if language in ("sv", "uk") else "11.25",
        "rate_date": report.period_start.isoformat(),
    }
