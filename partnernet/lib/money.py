"""How an amount of money is written, in each of the three languages: the one owner.

Pure. Whole kronor (grants are decided in whole SEK); thousands grouped the way each language
groups them, with a no-break space so "450 000" never wraps on a phone.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\xa0"
GROUPING = {"sv": NBSP, "uk": NBSP, "en": ","}
# Swedish and Ukrainian put the currency after the number, English before it.
CURRENCY_FIRST = {"en"}


def format_money(amount: object, currency: str = "SEK", language: str = "sv") -> str:
    """`450 000 SEK` (sv, uk), `SEK 450,000` (en), `450 000` without a currency; empty for no
    amount; a value that is not a number is returned as written rather than guessed at."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(amount)
    sign = "−" if value < 0 else ""
    digits = _grouped(int(value), language)
    if not currency:  # the column heading names the currency
        return f"{sign}{digits}"
    if language in CURRENCY_FIRST:
        return f"{sign}{currency}{NBSP}{digits}"
    return f"{sign}{digits}{NBSP}{currency}"


def _grouped(whole: int, language: str) -> str:
    return f"{abs(whole):,}".replace(",", GROUPING.get(language, NBSP))


def format_number(value: object, language: str = "sv") -> str:
    """A whole number (a count, a figure) grouped as `language` groups it: `5 000 000` (sv,
    uk, with a no-break space), `5,000,000` (en); a value that is not a number as written."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return ("−" if number < 0 else "") + _grouped(int(number), language)
