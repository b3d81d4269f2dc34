"""Identification records (#FLAGGA … #VALUTA): the file's :class:`~.records.Header`.

The header is sent once, when the first record of a later group arrives; identification
records that come after that still count and send an updated header.
"""

from __future__ import annotations

from ._fast import field_text
from ._fields import FieldReader
from .records import FiscalYear, Header
from .tokenizer import Field


class IdentificationRecords(FieldReader):
    """Reads the identification records into the header."""

    def identification(self, label: str, fields: list[Field], lineno: int) -> None:
        head = self.head
        if self.header_sent:
            self.late(label, lineno)
        if label == "#FLAGGA":
            head["flag"] = self.int_field(fields, 1, lineno, label)
        elif label == "#PROGRAM":
            head["program"] = field_text(fields, 1)
            head["program_version"] = field_text(fields, 2)
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
            head["prosa"] = field_text(fields, 1)
        elif label == "#FTYP":
            head["company_type"] = field_text(fields, 1)
        elif label == "#FNR":
            head["company_id"] = field_text(fields, 1)
        elif label == "#ORGNR":
            head["org_number"] = field_text(fields, 1)
        elif label == "#BKOD":
            head["sni_code"] = field_text(fields, 1)
        elif label == "#ADRESS":
            head["address"] = tuple(field_text(fields, i) for i in range(1, 5))
        elif label == "#FNAMN":
            head["company_name"] = field_text(fields, 1)
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
            self.years.append(FiscalYear(index=index, start=start, end=end, line=lineno))
            head["fiscal_years"] = tuple(sorted(self.years, key=lambda y: -y.index))
        elif label == "#TAXAR":
            head["tax_year"] = self.int_field(fields, 1, lineno, label)
        elif label == "#OMFATTN":
            head["omfattn"] = self.date_field(fields, 1, lineno, label, required=True)
        elif label == "#KPTYP":
            head["kptyp"] = field_text(fields, 1)
        elif label == "#VALUTA":
            head["currency"] = field_text(fields, 1)
        if self.header_sent:
            self.out.append(Header(**head))

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
