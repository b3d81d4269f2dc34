"""Identification records (#FLAGGA … #VALUTA): the file's :class:`~.records.Header`.

The header is sent once, when the first record of a later group arrives; identification
records that come after that still count and send an updated header.
"""

from __future__ import annotations

import re
from datetime import timedelta

from ._fast import field_text
from ._fields import FieldReader
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


class IdentificationRecords(FieldReader):
    """Reads the identification records into the header."""

    def identification(self, label: str, fields: list[Field], lineno: int) -> None:
        head = self.head
        if self.header_sent:
            self.late(label, lineno)
        extra = len(fields) - 1 - _FIELD_COUNTS[label]
        if extra > 0 and label not in _FREE_TEXT:
            self.diag(
                "warning",
                lineno,
                "extra_fields",
                f"Line {lineno}: {label} has {extra} field(s) more than the specification "
                f"gives it ({_FIELD_COUNTS[label]}); they were ignored.",
                record=label,
                expected=_FIELD_COUNTS[label],
                found=len(fields) - 1,
            )
        if label == "#FLAGGA":
            head["flag"] = self.int_field(fields, 1, lineno, label)
        elif label == "#PROGRAM":
            head["program"] = field_text(fields, 1)
            head["program_version"] = field_text(fields, 2)
            if not head["program_version"].strip():
                self.diag(
                    "info",
                    lineno,
                    "missing_program_version",
                    f"Line {lineno}: #PROGRAM names no version of {head['program'][:60]!r}.",
                    program=head["program"][:60],
                )
        elif label == "#FORMAT":
            fmt = field_text(fields, 1)
            head["format"] = fmt
            if fmt.upper() != "PC8":
                self.diag(
                    "warning",
                    lineno,
                    "unknown_format",
                    f"Line {lineno}: #FORMAT is {fmt!r}; the only value the spec allows is PC8.",
                )
        elif label == "#GEN":
            head["generated_on"] = self.date_field(fields, 1, lineno, label, required=True)
            head["generated_by"] = field_text(fields, 2)
        elif label == "#SIETYP":
            sie_type = self.int_field(fields, 1, lineno, label)
            if sie_type is not None and not 1 <= sie_type <= 4:
                self.diag(
                    "warning",
                    lineno,
                    "unknown_sie_type",
                    f"Line {lineno}: #SIETYP {sie_type} is not one of 1, 2, 3, 4.",
                )
            head["sie_type"] = sie_type
        elif label == "#PROSA":
            self.free_text(label, fields, lineno)
        elif label == "#FTYP":
            head["company_type"] = field_text(fields, 1)
        elif label == "#FNR":
            head["company_id"] = field_text(fields, 1)
        elif label == "#ORGNR":
            org_number = head["org_number"] = field_text(fields, 1)
            if not _ORG_NUMBER_RE.fullmatch(org_number.strip()):
                self.diag(
                    "info",
                    lineno,
                    "org_number_form",
                    f"Line {lineno}: organisation number {org_number[:40]!r} is not in the "
                    "form NNNNNN-NNNN."
                    if org_number.strip()
                    else f"Line {lineno}: #ORGNR gives no organisation number.",
                    org_number=org_number[:40],
                )
        elif label == "#BKOD":
            head["sni_code"] = field_text(fields, 1)
        elif label == "#ADRESS":
            address = head["address"] = tuple(field_text(fields, i) for i in range(1, 5))
            missing = [p for p, v in zip(_ADDRESS_PARTS, address, strict=True) if not v.strip()]
            if missing:
                self.diag(
                    "info",
                    lineno,
                    "address_incomplete",
                    f"Line {lineno}: #ADRESS lacks its {', '.join(missing)}.",
                    missing=", ".join(missing),
                )
        elif label == "#FNAMN":
            name = self.free_text(label, fields, lineno)
            if not name.strip():
                self.diag(
                    "warning",
                    lineno,
                    "empty_company_name",
                    f"Line {lineno}: #FNAMN gives no company name.",
                )
        elif label == "#RAR":
            index = self.int_field(fields, 1, lineno, label)
            if index is None:
                return
            if any(y.index == index for y in self.years):
                self.diag(
                    "warning",
                    lineno,
                    "duplicate_year",
                    f"Line {lineno}: #RAR {index} declared twice; the later one is used.",
                )
                self.years = [y for y in self.years if y.index != index]
            start = self.date_field(fields, 2, lineno, label)
            end = self.date_field(fields, 3, lineno, label)
            if start and end and end < start:
                self.diag(
                    "error",
                    lineno,
                    "bad_date",
                    f"Line {lineno}: fiscal year {index} ends ({end}) before it starts ({start}).",
                )
            year = FiscalYear(index=index, start=start, end=end, line=lineno)
            for other in self.years:
                if other.index == index - 1:
                    self.adjacent_years(other, year, lineno)
                elif other.index == index + 1:
                    self.adjacent_years(year, other, lineno)
            self.years.append(year)
            head["fiscal_years"] = tuple(sorted(self.years, key=lambda y: -y.index))
        elif label == "#KPTYP":
            kptyp = head["kptyp"] = field_text(fields, 1)
            if not _KPTYP_RE.fullmatch(kptyp):
                self.diag(
                    "info",
                    lineno,
                    "unknown_kptyp",
                    f"Line {lineno}: chart type {kptyp[:40]!r} is none the specification "
                    "names (BAS95, BAS96, EUBAS97, NE2007, BAS + year …).",
                    kptyp=kptyp[:40],
                )
        elif label == "#TAXAR":
            head["tax_year"] = self.int_field(fields, 1, lineno, label)
        elif label == "#OMFATTN":
            head["omfattn"] = self.date_field(fields, 1, lineno, label, required=True)
        elif label == "#VALUTA":
            head["currency"] = field_text(fields, 1)
        if self.header_sent:
            self.out.append(Header(**head))

    def free_text(self, label: str, fields: list[Field], lineno: int) -> str:
        """#FNAMN, #PROSA: a text of several words must be quoted; an unquoted one is read
        whole instead of being cut at its first space."""
        words = [field_text(fields, i) for i in range(1, len(fields))]
        text = self.head[_FREE_TEXT[label]] = " ".join(words)
        if len(words) > 1:
            self.diag(
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

    def adjacent_years(self, earlier: FiscalYear, later: FiscalYear, lineno: int) -> None:
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
        self.diag(
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

    def ensure_header(self) -> None:
        if not self.header_sent:
            self.header_sent = True
            self.out.append(Header(**self.head))

    def late(self, label: str, lineno: int) -> None:
        if not self.late_reported:
            self.late_reported = True
            self.diag(
                "info",
                lineno,
                "record_out_of_order",
                f"Line {lineno}: {label} comes after records of a later group; it was still "
                "used (later out-of-order records are not reported).",
            )
