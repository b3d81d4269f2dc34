"""Identification records (#FLAGGA … #VALUTA): the file's :class:`~.records.Header`.

Each record has its handler here (:data:`_RECORDS`); :func:`read_identification` runs the
checks they share. The header is sent once, when the first record of a later group
arrives; identification records that come after that still count and send an updated
header.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from ._fast import field_text
from ._fields import date_field, int_field
from ._state import Handler, ReadState
from .records import FiscalYear, Header
from .tokenizer import Field

# How many fields (after the label) each identification record has in the specification.
_FIELD_COUNTS = {
    "#FLAGGA": 1,
    "#PROGRAM": 2,
    "#FORMAT": 1,
    "#GEN": 2,
    "#SIETYP": 1,
    "#PROSA": 1,
    "#FTYP": 1,
    "#FNR": 1,
    "#ORGNR": 3,
    "#BKOD": 1,
    "#ADRESS": 4,
    "#FNAMN": 1,
    "#RAR": 3,
    "#TAXAR": 1,
    "#OMFATTN": 1,
    "#KPTYP": 1,
    "#VALUTA": 1,
}
_ORG_NUMBER_RE = re.compile(r"\d{6}-\d{4}")
# The chart types the specification names, the yearly BAS charts (BAS2014, …) and the
# municipalities' Kommun-Bas, which the hosts of a cooperation use.
_KPTYP_RE = re.compile(
    r"BAS9[56]|EUBAS97|NE2007|K[1-4]|BAS20\d\d|EUBAS20\d\d|KOMMUN-?BAS(?:\s?\d+)?",
    re.IGNORECASE,
)
# Records whose one field is a free text: an unquoted text of several words is read whole.
_FREE_TEXT = {"#FNAMN": "company_name", "#PROSA": "prosa"}
_ADDRESS_PARTS = ("contact", "street", "postal address", "telephone")


def read_identification(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    """Handler of every identification record: the checks they share, the record's own
    handler, and a new header when the first one was already sent."""
    if state.header_sent:
        late(state, label, lineno)
    extra = len(fields) - 1 - _FIELD_COUNTS[label]
    if extra > 0 and label not in _FREE_TEXT:
        state.diag(
            "warning",
            lineno,
            "extra_fields",
            f"Line {lineno}: {label} has {extra} field(s) more than the specification "
            f"gives it ({_FIELD_COUNTS[label]}); they were ignored.",
            record=label,
            expected=_FIELD_COUNTS[label],
            found=len(fields) - 1,
        )
    changed = _RECORDS[label](state, label, fields, lineno)
    if state.header_sent and changed is not False:
        state.out.append(Header(**state.head))


def _flagga(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    state.head["flag"] = int_field(state, fields, 1, lineno, label)


def _program(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    head = state.head
    head["program"] = field_text(fields, 1)
    head["program_version"] = field_text(fields, 2)
    if not head["program_version"].strip():
        state.diag(
            "info",
            lineno,
            "missing_program_version",
            f"Line {lineno}: #PROGRAM names no version of {head['program'][:60]!r}.",
            program=head["program"][:60],
        )


def _format(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    fmt = field_text(fields, 1)
    state.head["format"] = fmt
    if fmt.upper() != "PC8":
        state.diag(
            "warning",
            lineno,
            "unknown_format",
            f"Line {lineno}: #FORMAT is {fmt!r}; the only value the spec allows is PC8.",
            value=str(fmt)[:40],
        )


def _gen(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    state.head["generated_on"] = date_field(state, fields, 1, lineno, label, required=True)
    state.head["generated_by"] = field_text(fields, 2)


def _sietyp(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    sie_type = int_field(state, fields, 1, lineno, label)
    if sie_type is not None and not 1 <= sie_type <= 4:
        state.diag(
            "warning",
            lineno,
            "unknown_sie_type",
            f"Line {lineno}: #SIETYP {sie_type} is not one of 1, 2, 3, 4.",
            value=str(sie_type)[:40],
        )
    state.head["sie_type"] = sie_type


def _orgnr(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    org_number = state.head["org_number"] = field_text(fields, 1)
    if not _ORG_NUMBER_RE.fullmatch(org_number.strip()):
        state.diag(
            "info",
            lineno,
            "org_number_form",
            f"Line {lineno}: organisation number {org_number[:40]!r} is not in the "
            "form NNNNNN-NNNN."
            if org_number.strip()
            else f"Line {lineno}: #ORGNR gives no organisation number.",
            org_number=org_number[:40],
        )


def _adress(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    address = state.head["address"] = tuple(field_text(fields, i) for i in range(1, 5))
    missing = [p for p, v in zip(_ADDRESS_PARTS, address, strict=True) if not v.strip()]
    if missing:
        state.diag(
            "info",
            lineno,
            "address_incomplete",
            f"Line {lineno}: #ADRESS lacks its {', '.join(missing)}.",
            missing=", ".join(missing),
        )


def _fnamn(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    name = free_text(state, label, fields, lineno)
    if not name.strip():
        state.diag(
            "warning",
            lineno,
            "empty_company_name",
            f"Line {lineno}: #FNAMN gives no company name.",
        )


def _rar(state: ReadState, label: str, fields: list[Field], lineno: int) -> bool:
    """A fiscal year; False (header unchanged) when its index cannot be read."""
    index = int_field(state, fields, 1, lineno, label)
    if index is None:
        return False
    if any(y.index == index for y in state.years):
        state.diag(
            "warning",
            lineno,
            "duplicate_year",
            f"Line {lineno}: #RAR {index} declared twice; the later one is used.",
            value=index,
        )
        state.years = [y for y in state.years if y.index != index]
    start = date_field(state, fields, 2, lineno, label)
    end = date_field(state, fields, 3, lineno, label)
    if start and end and end < start:
        state.diag(
            "error",
            lineno,
            "bad_date",
            f"Line {lineno}: fiscal year {index} ends ({end}) before it starts ({start}).",
            file_start=start,
            file_end=end,
        )
    year = FiscalYear(index=index, start=start, end=end, line=lineno)
    for other in state.years:
        if other.index == index - 1:
            adjacent_years(state, other, year, lineno)
        elif other.index == index + 1:
            adjacent_years(state, year, other, lineno)
    state.years.append(year)
    state.head["fiscal_years"] = tuple(sorted(state.years, key=lambda y: -y.index))
    return True


def _kptyp(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    kptyp = state.head["kptyp"] = field_text(fields, 1)
    if not _KPTYP_RE.fullmatch(kptyp):
        state.diag(
            "info",
            lineno,
            "unknown_kptyp",
            f"Line {lineno}: chart type {kptyp[:40]!r} is none the specification "
            "names (BAS95, BAS96, EUBAS97, NE2007, BAS + year …).",
            kptyp=kptyp[:40],
        )


def _taxar(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    state.head["tax_year"] = int_field(state, fields, 1, lineno, label)


def _omfattn(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    state.head["omfattn"] = date_field(state, fields, 1, lineno, label, required=True)


def _text_field(key: str) -> Handler:
    """Handler of a record whose one field goes to the header as it is."""

    def handler(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
        state.head[key] = field_text(fields, 1)

    return handler


def _prosa(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    free_text(state, label, fields, lineno)


def free_text(state: ReadState, label: str, fields: list[Field], lineno: int) -> str:
    """#FNAMN, #PROSA: a text of several words must be quoted; an unquoted one is read
    whole instead of being cut at its first space."""
    words = [field_text(fields, i) for i in range(1, len(fields))]
    text = state.head[_FREE_TEXT[label]] = " ".join(words)
    if len(words) > 1:
        state.diag(
            "warning",
            lineno,
            "unquoted_text",
            f"Line {lineno}: {label} {text[:60]!r} is not quoted; its {len(words)} words "
            "were read as one text (with single spaces between them).",
            record=label,
            text=text[:60],
            words=len(words),
        )
    return text


def adjacent_years(state: ReadState, earlier: FiscalYear, later: FiscalYear, lineno: int) -> None:
    """Fiscal year ``later`` starts the day after ``earlier`` ends (index −1 before 0)."""
    if earlier.end is None or later.start is None:
        return
    expected = earlier.end + timedelta(days=1)
    if later.start == expected:
        return
    code, what = (
        ("fiscal_years_overlap", "overlap")
        if later.start < expected
        else ("fiscal_years_gap", "leave a gap")
    )
    state.diag(
        "warning",
        lineno,
        code,
        f"Line {lineno}: fiscal years {earlier.index} ({earlier.start}–{earlier.end}) and "
        f"{later.index} ({later.start}–{later.end}) {what}: year {later.index} should "
        f"start on {expected}.",
        earlier=earlier.index,
        earlier_end=earlier.end,
        later=later.index,
        later_start=later.start,
        days=(later.start - expected).days,
    )


def ensure_header(state: ReadState) -> None:
    if not state.header_sent:
        state.header_sent = True
        state.out.append(Header(**state.head))


def late(state: ReadState, label: str, lineno: int) -> None:
    if not state.late_reported:
        state.late_reported = True
        state.diag(
            "info",
            lineno,
            "record_out_of_order",
            f"Line {lineno}: {label} comes after records of a later group; it was still "
            "used (later out-of-order records are not reported).",
            record=label[:40],
        )


# Each handler returns None, or False when it left the header as it was.
_RECORDS: dict[str, Callable[[ReadState, str, list[Field], int], bool | None]] = {
    "#FLAGGA": _flagga,
    "#PROGRAM": _program,
    "#FORMAT": _format,
    "#GEN": _gen,
    "#SIETYP": _sietyp,
    "#PROSA": _prosa,
    "#FTYP": _text_field("company_type"),
    "#FNR": _text_field("company_id"),
    "#ORGNR": _orgnr,
    "#BKOD": _text_field("sni_code"),
    "#ADRESS": _adress,
    "#FNAMN": _fnamn,
    "#RAR": _rar,
    "#TAXAR": _taxar,
    "#OMFATTN": _omfattn,
    "#KPTYP": _kptyp,
    "#VALUTA": _text_field("currency"),
}

HANDLERS: dict[str, Handler] = dict.fromkeys(_RECORDS, read_identification)
"""The handler of each identification record."""
