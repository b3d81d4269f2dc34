"""Reading single fields of a record, with the findings when one is missing or malformed.

The functions here turn tokenized fields into amounts, quantities, whole numbers, dates and
object lists for the record handlers; a field that cannot be read becomes a finding and
``None`` (the caller decides whether the record is still usable). :func:`tokenizer_flags`
reports what the tokenizer flagged on a line (unterminated quotes or lists, stray braces).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ._fast import AMOUNT_RE, INT_RE, field_text, parse_yyyymmdd
from ._labels import IDENTIFICATION
from ._state import ReadState
from .records import ObjectList, Severity
from .tokenizer import STRAY_BRACE, UNTERMINATED_LIST, UNTERMINATED_QUOTE, Field


def tokenizer_flags(state: ReadState, flags: int, lineno: int) -> None:
    if flags & UNTERMINATED_QUOTE:
        state.diag(
            "warning",
            lineno,
            "unterminated_quote",
            f"Line {lineno}: a quoted field has no closing quote; it was closed at the end "
            "of the line.",
        )
    if flags & UNTERMINATED_LIST:
        state.diag(
            "warning",
            lineno,
            "unterminated_object_list",
            f"Line {lineno}: an object list has no closing '}}'; it was closed at the end "
            "of the line.",
        )
    if flags & STRAY_BRACE:
        state.diag(
            "warning",
            lineno,
            "stray_brace",
            f"Line {lineno}: a brace outside an object list (or nested in one) was ignored.",
        )


def account_used(state: ReadState, number: str, lineno: int, label: str) -> None:
    """Note the first record that uses an account (callers skip the call for accounts
    already in ``used_accounts``); the end of the file names those never declared."""
    state.used_accounts[number] = (label, lineno)
    if number not in state.checked_numbers:
        account_number(state, number, lineno, label)


def account_number(state: ReadState, number: str, lineno: int, label: str) -> None:
    """The form of an account number, checked where the number first appears: the
    specification's numbers are numeric, of four to six digits (BAS uses four)."""
    state.checked_numbers.add(number)
    if not (number.isdigit() and number.isascii()):
        state.diag(
            "error",
            lineno,
            "account_not_numeric",
            f"Line {lineno}: {label} account {number[:40]!r} is not a number; SIE account "
            "numbers are numeric, so it cannot be placed in a chart of accounts.",
            account=number[:40],
            record=label,
        )
    elif len(number) > 6:
        state.diag(
            "error",
            lineno,
            "account_too_long",
            f"Line {lineno}: {label} account {number[:40]} has {len(number)} digits; SIE "
            "account numbers have at most six.",
            account=number[:40],
            record=label,
            digits=len(number),
        )
    elif len(number) < 4:
        state.diag(
            "warning",
            lineno,
            "account_too_short",
            f"Line {lineno}: {label} account {number} has {len(number)} digit(s); BAS "
            "account numbers have four (a leading zero or digit may be missing).",
            account=number,
            record=label,
            digits=len(number),
        )


def missing(
    state: ReadState, label: str, what: str, lineno: int, severity: Severity = "error"
) -> None:
    state.diag(
        severity,
        lineno,
        "missing_field",
        f"Line {lineno}: {label} lacks its {what}; the record was ignored.",
        record=label[:40],
    )


def bad_amount(state: ReadState, value: Field, lineno: int, label: str) -> None:
    shown = value if isinstance(value, str) else "{…}"
    if shown == "":
        message = f"Line {lineno}: {label} has no amount; the record was ignored."
    else:
        message = (
            f"Line {lineno}: {label} amount {shown[:40]!r} is not a number; the record was ignored."
        )
    state.diag("error", lineno, "bad_amount", message, record=label[:40], value=shown[:40])


def amount_field(
    state: ReadState, fields: list[Field], i: int, lineno: int, label: str
) -> Decimal | None:
    value = fields[i] if i < len(fields) else ""
    if isinstance(value, str) and AMOUNT_RE.fullmatch(value):
        return Decimal(value)
    bad_amount(state, value, lineno, label)
    return None


def quantity_field(
    state: ReadState, fields: list[Field], i: int, lineno: int, label: str
) -> Decimal | None:
    value = field_text(fields, i)
    if not value:
        return None
    if AMOUNT_RE.fullmatch(value):
        return Decimal(value)
    bad_quantity(state, value, lineno, label)
    return None


def bad_quantity(state: ReadState, value: str, lineno: int, label: str) -> None:
    state.diag(
        "warning",
        lineno,
        "bad_quantity",
        f"Line {lineno}: {label} quantity {value[:40]!r} is not a number; ignored.",
        record=label[:40],
        value=value[:40],
    )


def int_field(state: ReadState, fields: list[Field], i: int, lineno: int, label: str) -> int | None:
    value = field_text(fields, i)
    if INT_RE.fullmatch(value):
        return int(value)
    what = f"{value[:40]!r} is not a whole number" if value else "is missing"
    state.diag(
        "error",
        lineno,
        "bad_field",
        f"Line {lineno}: field {i} of {label} {what}; the record was ignored"
        if label not in IDENTIFICATION
        else f"Line {lineno}: field {i} of {label} {what}.",
        record=label[:40],
        value=value[:40],
    )
    return None


def date_field(
    state: ReadState,
    fields: list[Field],
    i: int,
    lineno: int,
    label: str,
    *,
    required: bool = False,
) -> date | None:
    value = field_text(fields, i)
    if not value:
        if required:
            state.diag(
                "error",
                lineno,
                "bad_date",
                f"Line {lineno}: {label} has no date where one is required.",
                record=label[:40],
            )
        return None
    return state.dates.get(value) or parse_date(state, value, lineno, label)


def parse_date(state: ReadState, value: str, lineno: int, label: str) -> date | None:
    parsed = parse_yyyymmdd(value)
    if parsed is None:
        state.diag(
            "error",
            lineno,
            "bad_date",
            f"Line {lineno}: {label} date {value[:40]!r} is not a valid YYYYMMDD date.",
            record=label[:40],
            value=value[:40],
        )
        return None
    if len(state.dates) < 100_000:
        state.dates[value] = parsed
    return parsed


def object_pairs(state: ReadState, elements: Field, lineno: int) -> ObjectList:
    if isinstance(elements, str) or not elements:
        return ()
    if len(elements) % 2:
        state.diag(
            "warning",
            lineno,
            "odd_object_list",
            f"Line {lineno}: object list {{{' '.join(elements)[:60]}}} has an odd number of "
            "elements; the last one was ignored.",
            text=" ".join(elements)[:60],
        )
    it = iter(elements)
    return tuple(zip(it, it, strict=False))
