"""Writing SIE 4E files from typed records.

Output is CP437 (``#FORMAT PC8``), starts with ``#FLAGGA 0`` and is wrapped in a
``#KSUMMA`` pair whose CRC-32 follows the spec's rule (label and field contents without
separators, quotes, braces or block lines; see :mod:`.reader`). Free texts and object ids
are always quoted; other fields only when they need it.

Strings in SIE cannot hold control characters, so tabs and line breaks in texts are
written as spaces. Two things cannot be represented and raise ``ValueError`` (the writer
works on our own data, so this is a programming error, not bad input): characters outside
CP437 (unless ``errors="replace"``, which writes ``?``) and a quoted text ending in a
backslash (the spec has no escape for it: ``\\"`` is a quote). Amounts must have at most
two decimals.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import BinaryIO, Literal

from .records import (
    Account,
    Balance,
    Dimension,
    Header,
    Object,
    ObjectList,
    SieFile,
    Transaction,
    Voucher,
)

__all__ = ["SieWriter", "write_sie4e", "write_sie_file"]

WriteErrors = Literal["strict", "replace"]
_CENT = Decimal("0.01")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_NEEDS_QUOTES_RE = re.compile(r'[\s"{}]')


class _Quoted(str):
    """A field that is always written in quotes (names, texts, object ids)."""

    __slots__ = ()


WriterField = str | ObjectList


def write_sie4e(
    *,
    header: Header,
    accounts: Iterable[Account] = (),
    dimensions: Iterable[Dimension] = (),
    objects: Iterable[Object] = (),
    balances: Iterable[Balance] = (),
    vouchers: Iterable[Voucher] = (),
    checksum: bool = True,
    errors: WriteErrors = "strict",
) -> bytes:
    """Return a complete SIE 4E file for the given records.

    ``header.flag``, ``header.format`` and ``header.sie_type`` are ignored: the file is
    always ``#FLAGGA 0``, ``#FORMAT PC8``, ``#SIETYP 4``. ``header.fiscal_years`` must
    contain year 0. Raises ``ValueError`` for values SIE cannot represent.
    """
    buffer = io.BytesIO()
    writer = SieWriter(buffer, checksum=checksum, errors=errors)
    writer.write_header(header)
    writer.write_chart(accounts=accounts, dimensions=dimensions, objects=objects)
    for balance in balances:
        writer.write_balance(balance)
    for voucher in vouchers:
        writer.write_voucher(voucher)
    writer.finish()
    return buffer.getvalue()


def write_sie_file(sie: SieFile, *, checksum: bool = True, errors: WriteErrors = "strict") -> bytes:
    """Write a :class:`SieFile` (e.g. one read with :func:`read_sie`) as SIE 4E."""
    return write_sie4e(
        header=sie.header,
        accounts=sie.accounts,
        dimensions=sie.dimensions,
        objects=sie.objects,
        balances=sie.balances,
        vouchers=sie.vouchers,
        checksum=checksum,
        errors=errors,
    )


class SieWriter:
    """Streaming SIE 4E writer: call :meth:`write_header`, then the chart, balances and
    vouchers in that order, then :meth:`finish`. Memory does not grow with the output."""

    def __init__(
        self,
        stream: BinaryIO,
        *,
        checksum: bool = True,
        errors: WriteErrors = "strict",
        newline: str = "\r\n",
    ) -> None:
        self._stream = stream
        self._checksum = checksum
        self._errors = errors
        self._newline = newline
        self._crc = 0
        self._in_sum = False

    # -- records ---------------------------------------------------------------------

    def write_header(self, header: Header) -> None:
        """Write the identification records, opening the checksum after ``#FLAGGA``."""
        if header.fiscal_year(0) is None:
            raise ValueError("a SIE 4E file needs fiscal year 0 (#RAR 0)")
        self.record("#FLAGGA", ["0"])
        if self._checksum:
            self._line("#KSUMMA")
            self._in_sum = True
        self.record(
            "#PROGRAM", [_Quoted(header.program or "Samverkan"), _Quoted(header.program_version)]
        )
        self.record("#FORMAT", ["PC8"])
        self.record(
            "#GEN",
            _trim([_date(header.generated_on or date.today()), _Quoted(header.generated_by)], 1),
        )
        self.record("#SIETYP", ["4"])
        if header.prosa:
            self.record("#PROSA", [_Quoted(header.prosa)])
        if header.company_type:
            self.record("#FTYP", [header.company_type])
        if header.company_id:
            self.record("#FNR", [_Quoted(header.company_id)])
        if header.org_number:
            self.record("#ORGNR", [header.org_number])
        if header.sni_code:
            self.record("#BKOD", [header.sni_code])
        if header.address:
            parts = (*header.address, "", "", "", "")[:4]
            self.record("#ADRESS", [_Quoted(p) for p in parts])
        self.record("#FNAMN", [_Quoted(header.company_name)])
        for year in sorted(header.fiscal_years, key=lambda y: -y.index):
            start = _date(year.start) if year.start else ""
            end = _date(year.end) if year.end else ""
            self.record("#RAR", _trim([str(year.index), start, end], 1))
        if header.tax_year is not None:
            self.record("#TAXAR", [str(header.tax_year)])
        if header.omfattn is not None:
            self.record("#OMFATTN", [_date(header.omfattn)])
        if header.kptyp:
            self.record("#KPTYP", [header.kptyp])
        if header.currency:
            self.record("#VALUTA", [header.currency])

    def write_chart(
        self,
        *,
        accounts: Iterable[Account] = (),
        dimensions: Iterable[Dimension] = (),
        objects: Iterable[Object] = (),
    ) -> None:
        """Write ``#KONTO``/``#KTYP``/``#ENHET``/``#SRU``, ``#DIM``/``#UNDERDIM``, ``#OBJEKT``."""
        for account in accounts:
            self.record("#KONTO", [account.number, _Quoted(account.name)])
            if account.type:
                self.record("#KTYP", [account.number, account.type])
            if account.unit:
                self.record("#ENHET", [account.number, _Quoted(account.unit)])
            for code in account.sru:
                self.record("#SRU", [account.number, code])
        for dim in dimensions:
            if dim.parent is None:
                self.record("#DIM", [dim.number, _Quoted(dim.name)])
            else:
                self.record("#UNDERDIM", [dim.number, _Quoted(dim.name), dim.parent])
        for obj in objects:
            self.record("#OBJEKT", [obj.dimension, _Quoted(obj.id), _Quoted(obj.name)])

    def write_balance(self, balance: Balance) -> None:
        """Write one ``#IB #UB #RES #OIB #OUB #PSALDO #PBUDGET`` record."""
        fields: list[WriterField] = [str(balance.year_index)]
        if balance.kind in ("PSALDO", "PBUDGET"):
            if balance.period is None:
                raise ValueError(f"#{balance.kind} needs a period (YYYYMM)")
            fields.append(balance.period)
        fields.append(balance.account)
        if balance.kind in ("OIB", "OUB", "PSALDO", "PBUDGET"):
            fields.append(balance.objects)
        elif balance.objects:
            raise ValueError(f"#{balance.kind} cannot carry objects; use #O{balance.kind}")
        fields.append(_amount(balance.amount))
        if balance.quantity is not None:
            fields.append(_number(balance.quantity))
        self.record(f"#{balance.kind}", fields)

    def write_voucher(self, voucher: Voucher) -> None:
        """Write a ``#VER`` block. History rows come first, each ``#RTRANS`` directly
        followed by its ``#TRANS`` twin (the first current row with the same account,
        objects and amount), then the remaining current rows."""
        if voucher.date is None:
            raise ValueError(f"voucher {voucher.label} has no date")
        self.record(
            "#VER",
            _trim(
                [
                    voucher.series,
                    voucher.number,
                    _date(voucher.date),
                    _Quoted(voucher.text),
                    _date(voucher.reg_date) if voucher.reg_date else "",
                    _Quoted(voucher.sign),
                ]
            ),
        )
        self._line("{")
        remaining = list(voucher.transactions)
        for row in voucher.history:
            self._row(row, row.kind)
            if row.kind == "RTRANS":
                key = (row.account, row.objects, row.amount)
                for i, current in enumerate(remaining):
                    if (current.account, current.objects, current.amount) == key:
                        if current.kind == "TRANS":
                            self._row(current, "TRANS")
                        del remaining[i]
                        break
        for row in remaining:
            self._row(row, row.kind)
        self._line("}")

    def finish(self) -> None:
        """Close the checksum with ``#KSUMMA <crc>``."""
        if self._in_sum:
            self._in_sum = False
            self._line(f"#KSUMMA {self._crc}")

    # -- low level -------------------------------------------------------------------

    def _row(self, row: Transaction, kind: str) -> None:
        self.record(
            f"#{kind}",
            _trim(
                [
                    row.account,
                    row.objects,
                    _amount(row.amount),
                    _date(row.date) if row.date else "",
                    _Quoted(row.text),
                    _number(row.quantity) if row.quantity is not None else "",
                    _Quoted(row.sign),
                ],
                keep=3,
            ),
        )

    def record(self, label: str, fields: Sequence[WriterField]) -> None:
        """Write one record line and add it to the checksum."""
        parts = [label]
        content = [label]
        for f in fields:
            if isinstance(f, tuple):
                items = []
                for dim, obj in f:
                    dim_text, obj_text = self._clean(dim), self._clean(obj)
                    items.append(f"{_field(dim_text)} {_quote(obj_text)}")
                    content.append(dim_text)
                    content.append(obj_text)
                parts.append("{" + " ".join(items) + "}")
            else:
                text = self._clean(f)
                content.append(text)
                parts.append(_quote(text) if isinstance(f, _Quoted) else _field(text))
        if self._in_sum:
            self._crc = zlib.crc32("".join(content).encode("cp437"), self._crc)
        self._line(" ".join(parts))

    def _clean(self, value: str) -> str:
        value = _CONTROL_RE.sub(" ", value)
        try:
            value.encode("cp437")
        except UnicodeEncodeError:
            if self._errors == "strict":
                raise ValueError(
                    f"{value!r} holds characters that CP437 cannot represent"
                ) from None
            value = value.encode("cp437", "replace").decode("cp437")
        return value

    def _line(self, text: str) -> None:
        self._stream.write((text + self._newline).encode("cp437"))


def _quote(text: str) -> str:
    if text.endswith("\\"):
        if not _NEEDS_QUOTES_RE.search(text):
            return text  # a bare token is read verbatim, backslash included
        raise ValueError(
            f"{text!r} ends in a backslash, which SIE cannot quote (it would escape the quote)"
        )
    return '"' + text.replace('"', '\\"') + '"'


def _field(text: str) -> str:
    if text and not _NEEDS_QUOTES_RE.search(text):
        return text
    return _quote(text)


def _trim(fields: list[WriterField], keep: int = 3) -> list[WriterField]:
    """Drop empty optional fields at the end (empty ones in the middle stay as ``""``)."""
    while len(fields) > keep and fields[-1] in ("", ()):
        fields.pop()
    return fields


def _date(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _amount(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"amount {value} is not a finite number")
    rounded = value.quantize(_CENT)
    if rounded != value:
        raise ValueError(f"amount {value} has more than two decimals")
    return f"{rounded:f}"


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"quantity {value} is not a finite number")
    return f"{value:f}"
