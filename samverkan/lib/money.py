"""Money as Decimal: parsing, rounding and Swedish formatting.

Sign convention in the whole project: an accounts line carries a positive
amount and a kind (income or cost); balances are opening + income - costs.
Floats never touch amounts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
ORE = Decimal("0.01")
KRONA = Decimal("1")
NBSP = "\u00a0"
MINUS = "\u2212"


class MoneyError(ValueError):
    """Raised when a value cannot be read as an amount of money."""


def to_decimal(value: object) -> Decimal:
    """Read an int, a str or a Decimal as an amount with at most two decimals.

    Floats are refused: a YAML or JSON number that arrives as float is
    converted through its repr so that 4351.5 stays 4351.50 and not a binary
    approximation; more than two decimals is an error.
    """
    if isinstance(value, bool):
        raise MoneyError(f"not an amount: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(NBSP, "").replace(" ", "").replace(MINUS, "-")
        text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise MoneyError(f"not an amount: {value!r}") from exc
    else:
        raise MoneyError(f"not an amount: {value!r}")
    if not result.is_finite():
        raise MoneyError(f"not an amount: {value!r}")
    if result != result.quantize(ORE):
        raise MoneyError(f"more than two decimals: {value!r}")
    return result.quantize(ORE)


def round_kronor(value: Decimal) -> Decimal:
    """Round to whole kronor, half away from zero, as printed reports do."""
    return value.quantize(KRONA, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A plain decimal string with two decimals ("705650.00"), for JSON and CSV."""
    return str(value.quantize(ORE))


def yaml_number(value: Decimal) -> int | Decimal:
    """The shortest exact form for the year file: whole kronor as int."""
    if value == value.to_integral_value():
        return int(value)
    return value.quantize(ORE)


def group_thousands(digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_amount(value: Decimal, *, lang: str = "sv", decimals: int | None = None) -> str:
    """Format an amount the way a Swedish (or English) report prints it.

    Swedish: "1 954 940" with no-break spaces, decimal comma, true minus sign.
    English: "1,954,940". Decimals are shown only when the amount has öre,
    unless `decimals` says otherwise.
    """
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded < 0
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if lang == "sv":
        body = group_thousands(whole, NBSP) + ("," + fraction if fraction else "")
        return (MINUS if negative else "") + body
    body = group_thousands(whole, ",") + ("." + fraction if fraction else "")
    return ("-" if negative else "") + body


def format_kr(value: Decimal, *, lang: str = "sv", decimals: int | None = None) -> str:
    """An amount followed by its unit: "1 954 940 kr" / "SEK 1,954,940"."""
    if lang == "sv":
        return f"{format_amount(value, lang=lang, decimals=decimals)}{NBSP}kr"
    return f"SEK{NBSP}{format_amount(value, lang=lang, decimals=decimals)}"
