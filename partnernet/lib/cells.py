"""Spreadsheet cells that cannot run: the one rule every CSV and XLSX writer applies.

A spreadsheet program treats a cell that starts with `=`, `+`, `-` or `@` as a formula (and a
leading tab or carriage return can hide such a start), so text a person wrote, such as an
application title or a review comment, could call out to the network or run a command on the
reader's machine ("CSV injection", OWASP). Text that starts like that gets an apostrophe in front,
which every spreadsheet shows as the start of plain text. Numbers, dates and empty cells are left
as they are, so a negative amount stays a number.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise(-12.5), neutralise("Falun")
    (-12.5, 'Falun')
"""

import re
from collections.abc import Iterable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX file (XML 1.0) cannot hold; openpyxl refuses a cell that contains one.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(value: object) -> object:
    """`value`, with an apostrophe in front when it is text that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through `neutralise`."""
    return [neutralise(value) for value in values]


def xlsx_row(values: Iterable[object]) -> list[object]:
    """A row for an XLSX sheet: neutralised, without characters XML cannot hold."""
    return [
        neutralise(_NOT_IN_XML.sub("", value) if isinstance(value, str) else value)
        for value in values
    ]
