"""Expenditures as plain values: reading a CSV or XLSX file into rows, and the one validator of
a row that both the single form and the bulk import use. Pure: no database, no request; the
service hands in what it read (`RowContext`) and stores what comes out.

The rules of a row (each refusal is a translated sentence naming the problem):
- the payment date is a date within the report's period (no tolerance: a cost paid the day
  after the period belongs to the next report);
- a description (at most 300 characters);
- a cost category the funder knows (by its key or its name in any of the three languages)
  that is eligible (the funder's explanation is given when it is not: `grants.rules`);
- optionally a budget line of the report's own application (by its number), whose category
  the cost then takes (a different category given with it is refused);
- a currency among SEK, EUR, UAH, USD;
- an amount above zero with at most 10 integer digits and two decimals;
- a rate (SEK per unit, above zero, at most 6 integer digits and 6 decimals) with its date:
  SEK always 1; for another currency the rate given (the bank's rate of the payment, dated the
  payment unless a rate date is given), else the latest recorded rate on or before the payment
  date (`conversion.proposed_rate`), else the row is refused asking for the bank's rate;
- the amount in SEK (`conversion.to_sek`) fits 10 integer digits too.

Files: CSV in UTF-8 (with or without a byte-order mark), `;` or `,` between values, decimal
comma or point; XLSX (no macros). Headings may be in Swedish, Ukrainian or English (`HEADINGS`).
The header is line 1, so each error names the line the person's spreadsheet shows.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnernet.grants import rules
from partnernet.lib.cells import neutralise_row, xlsx_row
from partnernet.lib.money import format_money
from partnernet.lib.text import clean_input

from .conversion import SEK, proposed_rate, to_sek

CURRENCIES = ("SEK", "EUR", "UAH", "USD")
FIELDS = (
    "paid_on",
    "description",
    "category",
    "budget_line",
    "currency",
    "amount",
    "rate",
    "rate_date",
)
REQUIRED = ("paid_on", "description", "category", "currency", "amount")
HEADINGS: dict[str, dict[str, str]] = {
    "sv": {
        "paid_on": "Betalningsdatum",
        "description": "Beskrivning",
        "category": "Kostnadskategori",
        "budget_line": "Budgetrad",
        "currency": "Valuta",
        "amount": "Belopp",
        "rate": "Kurs (SEK per enhet)",
        "rate_date": "Kursdatum",
    },
    "uk": {
        "paid_on": "Дата оплати",
        "description": "Опис",
        "category": "Категорія витрат",
        "budget_line": "Рядок бюджету",
        "currency": "Валюта",
        "amount": "Сума",
        "rate": "Курс (SEK за одиницю)",
        "rate_date": "Дата курсу",
    },
    "en": {
        "paid_on": "Paid on",
        "description": "Description",
        "category": "Cost category",
        "budget_line": "Budget line",
        "currency": "Currency",
        "amount": "Amount",
        "rate": "Rate (SEK per unit)",
        "rate_date": "Rate date",
    },
}
# Every accepted heading (any language, any case) → its field.
HEADING_FIELDS = {
    text.casefold(): key for names in HEADINGS.values() for key, text in names.items()
} | {key: key for key in FIELDS}

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 30
# What a workbook may hold once unpacked: 10 000 full rows are a few MB of XML; far above
# that it is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_DESCRIPTION = 300
AMOUNT_INTEGER_DIGITS = 10
RATE_INTEGER_DIGITS = 6
RATE_DECIMALS = 6


@dataclass(frozen=True)
class CategoryInfo:
    pk: int
    name: str
    eligible: bool
    explanation: str = ""


@dataclass(frozen=True)
class BudgetLineInfo:
    pk: int
    category_pk: int
    category_name: str
    description: str


@dataclass(frozen=True)
class RowContext:
    """What a row is checked against, read by the service for one report."""

    period_start: date
    period_end: date
    categories: dict[str, CategoryInfo]  # every accepted spelling (casefolded) → category
    budget_lines: dict[int, BudgetLineInfo] = field(default_factory=dict)
    rates: dict[str, list[tuple[date, Decimal]]] = field(default_factory=dict)


@dataclass(frozen=True)
class CleanRow:
    """A row as it would be saved."""

    paid_on: date
    description: str
    category_pk: int
    category_name: str
    budget_line_pk: int | None
    currency: str
    amount: Decimal
    rate: Decimal
    rate_date: date
    amount_sek: Decimal

    def plain(self) -> dict[str, object]:
        """As the import keeps it (JSON)."""
        return {
            "paid_on": self.paid_on.isoformat(),
            "description": self.description,
            "category_pk": self.category_pk,
            "category_name": self.category_name,
            "budget_line_pk": self.budget_line_pk,
            "currency": self.currency,
            "amount": str(self.amount),
            "rate": str(self.rate),
            "rate_date": self.rate_date.isoformat(),
            "amount_sek": str(self.amount_sek),
        }

    @classmethod
    def from_plain(cls, values: dict) -> CleanRow:
        return cls(
            paid_on=date.fromisoformat(values["paid_on"]),
            description=values["description"],
            category_pk=int(values["category_pk"]),
            category_name=values["category_name"],
            budget_line_pk=values["budget_line_pk"],
            currency=values["currency"],
            amount=Decimal(values["amount"]),
            rate=Decimal(values["rate"]),
            rate_date=date.fromisoformat(values["rate_date"]),
            amount_sek=Decimal(values["amount_sek"]),
        )


class FileRefused(ValueError):
    """The file as a whole cannot be read (not UTF-8, not a workbook, macros, too large)."""


# Plain values --------------------------------------------------------------------------------
def parse_decimal(text: str) -> Decimal | None:
    """`1 234,50`, `1234.50`, `1.234,50`, `1,234.50` → Decimal; None when it is no number."""
    cleaned = text.strip().replace("\xa0", "").replace(" ", "").replace("\u202f", "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:  # InvalidOperation, and Overflow for `1e999999999`
        return None
    return value if value.is_finite() else None


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%Y")


def parse_date(text: str) -> date | None:
    """`2026-03-31` (also `31.03.2026`, `2026/03/31`, `31/03/2026`, a spreadsheet's date and
    time at midnight) → date; None when it is no date."""
    cleaned = text.strip()
    if len(cleaned) > 10 and cleaned[10] in " T" and cleaned[11:].strip("0:. ") == "":
        cleaned = cleaned[:10]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()  # noqa: DTZ007  (a calendar date)
        except ValueError:
            continue
    return None


def _integer_digits(value: Decimal) -> int:
    """Digits before the decimal sign, read from the exponent (never by building the integer:
    `1e999999999` would take the machine's memory, `1e5000` is past `str(int)`'s limit)."""
    # No arithmetic: even `abs()` overflows the context for `1e999999999`.
    if not value.is_finite() or value.is_zero() or value.adjusted() < 0:
        return 0
    return value.adjusted() + 1


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


# One row -------------------------------------------------------------------------------------
def check_row(raw: dict[str, str], ctx: RowContext) -> tuple[CleanRow | None, list[str]]:
    """The row as it would be saved, or every reason it cannot be (never both)."""
    values = {key: str(raw.get(key) or "").strip() for key in FIELDS}
    problems: list[str] = []
    paid_on = _check_date(values["paid_on"], ctx, problems)
    # NUL, direction marks and other control characters are never part of a description.
    description = clean_input(values["description"], max_length=MAX_DESCRIPTION + 1)
    if not description:
        problems.append(_("Describe the cost."))
    elif len(description) > MAX_DESCRIPTION:
        problems.append(
            _("The description is longer than %(max)s characters.") % {"max": MAX_DESCRIPTION}
        )
    category, line = _check_category(values["category"], values["budget_line"], ctx, problems)
    currency = values["currency"].upper() or SEK
    if currency not in CURRENCIES:
        problems.append(
            _("The currency %(currency)s is not one of %(allowed)s.")
            % {"currency": values["currency"], "allowed": ", ".join(CURRENCIES)}
        )
    amount = _check_amount(values["amount"], problems)
    if category is not None and amount is not None:
        problems.extend(
            rules.line_problems(
                rules.Line(
                    category=category.name,
                    eligible=category.eligible,
                    amount=amount,
                    explanation=category.explanation,
                )
            )
        )
    rate = rate_date = None
    if paid_on is not None and currency in CURRENCIES:
        rate, rate_date = _check_rate(values, currency, paid_on, ctx, problems)
    amount_sek = None
    if amount is not None and rate is not None:
        amount_sek = to_sek(amount, rate)
        if _integer_digits(amount_sek) > AMOUNT_INTEGER_DIGITS:
            problems.append(_("The amount in SEK is too large."))
        elif amount_sek <= 0:
            problems.append(_("The amount in SEK rounds to zero öre."))
    if problems:
        return None, list(dict.fromkeys(problems))
    assert paid_on and category and amount and rate and rate_date and amount_sek is not None
    return (
        CleanRow(
            paid_on=paid_on,
            description=description,
            category_pk=category.pk,
            category_name=category.name,
            budget_line_pk=line.pk if line else None,
            currency=currency,
            amount=amount,
            rate=rate,
            rate_date=rate_date,
            amount_sek=amount_sek,
        ),
        [],
    )


def _check_date(text: str, ctx: RowContext, problems: list[str]) -> date | None:
    if not text:
        problems.append(_("Give the date of the payment."))
        return None
    paid_on = parse_date(text)
    if paid_on is None:
        problems.append(_("%(value)s is not a date (write it as 2026-03-31).") % {"value": text})
        return None
    if not ctx.period_start <= paid_on <= ctx.period_end:
        problems.append(
            _("The payment date %(date)s is outside the report's period %(start)s – %(end)s.")
            % {"date": paid_on, "start": ctx.period_start, "end": ctx.period_end}
        )
        return None
    return paid_on


def _check_category(
    text: str, line_text: str, ctx: RowContext, problems: list[str]
) -> tuple[CategoryInfo | None, BudgetLineInfo | None]:
    line = None
    if line_text:
        number = parse_decimal(line_text)
        whole = (
            number is not None
            and _integer_digits(number) <= AMOUNT_INTEGER_DIGITS
            and number == number.to_integral_value()
        )
        line = ctx.budget_lines.get(int(number)) if whole and number is not None else None
        if line is None:
            problems.append(
                _("%(value)s is not a budget line of this report's application.")
                % {"value": line_text}
            )
    category = ctx.categories.get(text.casefold()) if text else None
    if text and category is None:
        problems.append(_("%(value)s is not a cost category.") % {"value": text})
        return None, line
    if line is not None:
        if category is not None and category.pk != line.category_pk:
            problems.append(
                _("Budget line %(line)s is for %(category)s, not %(given)s.")
                % {"line": line.pk, "category": line.category_name, "given": category.name}
            )
            return None, line
        if category is None:
            category = next((c for c in ctx.categories.values() if c.pk == line.category_pk), None)
    if category is None and not text and line is None:
        problems.append(_("Choose the cost category."))
    return category, line


def _check_amount(text: str, problems: list[str]) -> Decimal | None:
    if not text:
        problems.append(_("Give the amount paid."))
        return None
    amount = parse_decimal(text)
    if amount is None:
        problems.append(_("%(value)s is not an amount.") % {"value": text})
        return None
    if amount <= 0:
        problems.append(_("An amount must be more than zero."))
        return None
    if _integer_digits(amount) > AMOUNT_INTEGER_DIGITS:
        problems.append(
            _("An amount may have at most %(digits)s digits before the decimal sign.")
            % {"digits": AMOUNT_INTEGER_DIGITS}
        )
        return None
    if _decimals(amount) > 2:
        problems.append(_("An amount may have at most two decimals (öre, kopiyky, cents)."))
        return None
    return amount


def _check_rate(
    values: dict[str, str], currency: str, paid_on: date, ctx: RowContext, problems: list[str]
) -> tuple[Decimal | None, date | None]:
    given = values["rate"]
    if currency == SEK:
        if given and parse_decimal(given) != 1:
            problems.append(_("An amount in SEK has the rate 1."))
            return None, None
        return Decimal(1), paid_on
    if not given:
        proposal = proposed_rate(currency, paid_on, ctx.rates.get(currency, []))
        if proposal is None:
            problems.append(
                _(
                    "No rate for %(currency)s is recorded on or before %(date)s: "
                    "give the bank's rate."
                )
                % {"currency": currency, "date": paid_on}
            )
            return None, None
        return proposal
    rate = parse_decimal(given)
    if rate is None or rate <= 0:
        problems.append(_("The rate must be a number above zero."))
        return None, None
    if _integer_digits(rate) > RATE_INTEGER_DIGITS or _decimals(rate) > RATE_DECIMALS:
        problems.append(
            _("A rate may have at most %(whole)s digits before and %(decimals)s after the sign.")
            % {"whole": RATE_INTEGER_DIGITS, "decimals": RATE_DECIMALS}
        )
        return None, None
    rate_date: date | None = paid_on
    if values["rate_date"]:
        rate_date = parse_date(values["rate_date"])
        if rate_date is None:
            problems.append(
                _("%(value)s is not a date (write it as 2026-03-31).")
                % {"value": values["rate_date"]}
            )
            return None, None
        if rate_date > paid_on:
            problems.append(_("The rate's date cannot be after the payment."))
            return None, None
    return rate, rate_date


# The ceiling over all the agreement's actual costs -------------------------------------------
def project_year(starts_on: date, paid_on: date) -> int:
    """The year of the project a payment falls in (1 from the agreement's start)."""
    years = paid_on.year - starts_on.year
    if (paid_on.month, paid_on.day) < (starts_on.month, starts_on.day):
        years -= 1
    return max(years + 1, 1)


def ceiling_problems(
    lines: list[rules.Line], *, ceiling: Decimal | None, per_year: bool
) -> list[str]:
    """The actual costs (`lines`: all of the agreement's, the new ones included, `year` the
    project year) above the component's ceiling: per year where the ceiling is yearly, else
    over the whole agreement."""
    if ceiling is None:
        return []
    totals: dict[int, Decimal] = {}
    for line in lines:
        key = line.year if per_year else 0
        totals[key] = totals.get(key, Decimal(0)) + line.amount
    language = get_language() or "sv"
    problems = []
    for year, total in sorted(totals.items()):
        if total <= ceiling:
            continue
        values = {
            "total": format_money(total, "SEK", language),
            "ceiling": format_money(ceiling, "SEK", language),
            "year": year,
        }
        if per_year:
            problems.append(
                _(
                    "The actual costs of year %(year)s of the project would total %(total)s, "
                    "above the yearly ceiling of %(ceiling)s."
                )
                % values
            )
        else:
            problems.append(
                _(
                    "The actual costs of the agreement would total %(total)s, above the "
                    "ceiling of %(ceiling)s."
                )
                % values
            )
    return problems


# Files ---------------------------------------------------------------------------------------
@dataclass
class ParsedFile:
    rows: list[tuple[int, dict[str, str]]]  # (line as the spreadsheet shows it, values)
    errors: list[tuple[int, str]]


def read_file(name: str, data: bytes) -> ParsedFile:
    """The rows of an uploaded file by its kind (XLSX by its name or content, else CSV)."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    lower = name.lower()
    if lower.endswith((".xlsm", ".xltm", ".xls", ".ods")):
        raise FileRefused(_("Upload a CSV file or an Excel workbook (.xlsx) without macros."))
    if lower.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return rows_from_table(_xlsx_table(data))
    return rows_from_table(_csv_table(data))


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("The file is not in UTF-8: save it as “CSV UTF-8” and upload it again.")
        ) from error
    if "\x00" in text:
        raise FileRefused(_("Upload a CSV file or an Excel workbook (.xlsx) without macros."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    for row in reader:
        table.append(row)
        if len(table) > MAX_ROWS + 1:
            raise FileRefused(
                _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
            )
    return table


def _xlsx_table(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise FileRefused(
            _("Upload a CSV file or an Excel workbook (.xlsx) without macros.")
        ) from error
    if unpacked > MAX_UNPACKED_BYTES:
        # A zip bomb (or a workbook far beyond MAX_ROWS rows) is refused before it is unpacked.
        raise FileRefused(_("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS})
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FileRefused(_("The workbook contains macros: save it as .xlsx without macros."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  (openpyxl raises many kinds for a bad file)
        raise FileRefused(
            _("Upload a CSV file or an Excel workbook (.xlsx) without macros.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            table.append([_cell_text(value) for value in row])
            if len(table) > MAX_ROWS + 1:
                raise FileRefused(
                    _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
                )
        return table
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def rows_from_table(table: list[list[str]]) -> ParsedFile:
    """Rows keyed by field from a table whose first row holds the headings."""
    errors: list[tuple[int, str]] = []
    if not table or not any(cell.strip() for cell in table[0]):
        return ParsedFile(rows=[], errors=[(1, _("The first line must hold the headings."))])
    columns: dict[int, str] = {}
    for index, heading in enumerate(table[0]):
        text = heading.strip()
        if not text:
            continue
        key = HEADING_FIELDS.get(text.casefold())
        if key is None:
            errors.append((1, _("The column %(heading)s is not known.") % {"heading": text}))
        elif key in columns.values():
            errors.append((1, _("The column %(heading)s appears twice.") % {"heading": text}))
        else:
            columns[index] = key
    missing = [key for key in REQUIRED if key not in columns.values()]
    for key in missing:
        errors.append((1, _("The column %(heading)s is missing.") % {"heading": heading_in(key)}))
    rows = []
    for number, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        rows.append(
            (
                number,
                {key: row[index] if index < len(row) else "" for index, key in columns.items()},
            )
        )
    if not rows and not errors:
        errors.append((2, _("The file has no expenditures under its headings.")))
    return ParsedFile(rows=rows, errors=errors)


def heading_in(key: str, language: str | None = None) -> str:
    language = language or get_language() or "sv"
    return HEADINGS.get(language[:2], HEADINGS["en"])[key]


def check_rows(
    rows: list[tuple[int, dict[str, str]]], ctx: RowContext
) -> tuple[list[tuple[int, CleanRow]], list[tuple[int, str]]]:
    """Every row checked: the clean ones and every error with its line."""
    clean: list[tuple[int, CleanRow]] = []
    errors: list[tuple[int, str]] = []
    for number, values in rows:
        row, problems = check_row(values, ctx)
        if row is not None:
            clean.append((number, row))
        errors.extend((number, problem) for problem in problems)
    return clean, errors


# The template --------------------------------------------------------------------------------
def template_rows(language: str, sample: dict[str, str]) -> list[list[str]]:
    """The headings in `language` and one sample row (values as a person would type them)."""
    headings = HEADINGS.get(language, HEADINGS["en"])
    return [[headings[key] for key in FIELDS], [sample.get(key, "") for key in FIELDS]]


def template_csv(language: str, sample: dict[str, str]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    for row in template_rows(language, sample):
        writer.writerow(neutralise_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(language: str, sample: dict[str, str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in template_rows(language, sample):
        sheet.append(xlsx_row(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
