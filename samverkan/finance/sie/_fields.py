"""Reading single fields of a record, with the findings when one is missing or malformed.

:class:`FieldReader` turns tokenized fields into amounts, quantities, whole numbers, dates
and object lists for the record readers built on it; a field that cannot be read becomes a
finding and ``None`` (the caller decides whether the record is still usable). It also
reports what the tokenizer flagged on a line (unterminated quotes or lists, stray braces).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ._fast import AMOUNT_RE, INT_RE, field_text, parse_yyyymmdd
from ._labels import IDENTIFICATION
from ._state import ReaderState
from .records import ObjectList, Severity
from .tokenizer import STRAY_BRACE, UNTERMINATED_LIST, UNTERMINATED_QUOTE, Field


class FieldReader(ReaderState):
    """Field helpers shared by the record readers."""

    def tokenizer_flags(self, flags: int, lineno: int) -> None:
        if flags & UNTERMINATED_QUOTE:
            self.diag(
                "warning",
                lineno,
                "unterminated_quote",
                f"Line {lineno}: a quoted field has no closing quote; it was closed at the end "
                "of the line.",
            )
        if flags & UNTERMINATED_LIST:
            self.diag(
                "warning",
                lineno,
                "unterminated_object_list",
                f"Line {lineno}: an object list has no closing '}}'; it was closed at the end "
                "of the line.",
            )
        if flags & STRAY_BRACE:
            self.diag(
                "warning",
                lineno,
                "stray_brace",
                f"Line {lineno}: a brace outside an object list (or nested in one) was ignored.",
            )

    def account_used(self, number: str, lineno: int, label: str) -> None:
        """Note the first record that uses an account (callers skip the call for accounts
        already in ``used_accounts``); the end of the file names those never declared."""
        self.used_accounts[number] = (label, lineno)
        if number not in self.checked_numbers:
            self.account_number(number, lineno, label)

    def account_number(self, number: str, lineno: int, label: str) -> None:
        """The form of an account number, checked where the number first appears: the
        specification's numbers are numeric, of four to six digits (BAS uses four)."""
        self.checked_numbers.add(number)
        if not (number.isdigit() and number.isascii()):
            self.diag(
                "error",
                lineno,
                "account_not_numeric",
                f"Line {lineno}: {label} account {number[:40]!r} is not a number; SIE account "
                "numbers are numeric, so it cannot be placed in a chart of accounts.",
                account=number[:40],
                record=label,
            )
        elif len(number) > 6:
            self.diag(
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
            self.diag(
                "warning",
                lineno,
                "account_too_short",
                f"Line {lineno}: {label} account {number} has {len(number)} digit(s); BAS "
                "account numbers have four (a leading zero or digit may be missing).",
                account=number,
                record=label,
                digits=len(number),
            )

    def missing(self, label: str, what: str, lineno: int, severity: Severity = "error") -> None:
        self.diag(
            severity,
            lineno,
            "missing_field",
            f"Line {lineno}: {label} lacks its {what}; the record was ignored.",
        )

    def bad_amount(self, value: Field, lineno: int, label: str) -> None:
        shown = value if isinstance(value, str) else "{…}"
        if shown == "":
            message = f"Line {lineno}: {label} has no amount; the record was ignored."
        else:
            message = (
                f"Line {lineno}: {label} amount {shown[:40]!r} is not a number; "
                "the record was ignored."
            )
        self.diag("error", lineno, "bad_amount", message)

    def amount_field(self, fields: list[Field], i: int, lineno: int, label: str) -> Decimal | None:
        value = fields[i] if i < len(fields) else ""
        if isinstance(value, str) and AMOUNT_RE.fullmatch(value):
            return Decimal(value)
        self.bad_amount(value, lineno, label)
        return None

    def quantity_field(
        self, fields: list[Field], i: int, lineno: int, label: str
    ) -> Decimal | None:
        value = field_text(fields, i)
        if not value:
            return None
        if AMOUNT_RE.fullmatch(value):
            return Decimal(value)
        self.bad_quantity(value, lineno, label)
        return None

    def bad_quantity(self, value: str, lineno: int, label: str) -> None:
        self.diag(
            "warning",
            lineno,
            "bad_quantity",
            f"Line {lineno}: {label} quantity {value[:40]!r} is not a number; ignored.",
        )

    def int_field(self, fields: list[Field], i: int, lineno: int, label: str) -> int | None:
        value = field_text(fields, i)
        if INT_RE.fullmatch(value):
            return int(value)
        what = f"{value[:40]!r} is not a whole number" if value else "is missing"
        self.diag(
            "error",
            lineno,
            "bad_field",
            f"Line {lineno}: field {i} of {label} {what}; the record was ignored"
            if label not in IDENTIFICATION
            else f"Line {lineno}: field {i} of {label} {what}.",
        )
        return None

    def date_field(
        self, fields: list[Field], i: int, lineno: int, label: str, *, required: bool = False
    ) -> date | None:
        value = field_text(fields, i)
        if not value:
            if required:
                self.diag(
                    "error",
                    lineno,
                    "bad_date",
                    f"Line {lineno}: {label} has no date where one is required.",
                )
            return None
        return self.dates.get(value) or self.parse_date(value, lineno, label)

    def parse_date(self, value: str, lineno: int, label: str) -> date | None:
        parsed = parse_yyyymmdd(value)
        if parsed is None:
            self.diag(
                "error",
                lineno,
                "bad_date",
                f"Line {lineno}: {label} date {value[:40]!r} is not a valid YYYYMMDD date.",
            )
            return None
        if len(self.dates) < 100_000:
            self.dates[value] = parsed
        return parsed

    def object_pairs(self, elements: Field, lineno: int) -> ObjectList:
        if isinstance(elements, str) or not elements:
            return ()
        if len(elements) % 2:
            self.diag(
                "warning",
                lineno,
                "odd_object_list",
                f"Line {lineno}: object list {{{' '.join(elements)[:60]}}} has an odd number of "
                "elements; the last one was ignored.",
            )
        it = iter(elements)
        return tuple(zip(it, it, strict=False))
