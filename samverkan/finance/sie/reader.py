"""Reading SIE files: bytes → typed records and diagnostics.

:func:`iter_sie` streams: it reads one line at a time and yields each record as soon as it is
complete, so memory does not grow with the number of vouchers. :func:`read_sie` collects the
stream into a :class:`~.records.SieFile`.

Neither ever raises on bad input: whatever is wrong with the bytes becomes a
:class:`~.records.Diagnostic` (see the module docstring of :mod:`.options` for how the read
options move findings between severities).
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any, BinaryIO, cast

from .encoding import LATIN1_MISREAD_AS_CP437, DetectedEncoding, detect_encoding
from .options import LENIENT_INSPECT, STRICT_IMPORT, ReadOptions
from .records import (
    Account,
    AccountType,
    Balance,
    BalanceKind,
    Diagnostic,
    Dimension,
    Entry,
    FiscalYear,
    Header,
    KsummaState,
    Object,
    ObjectList,
    Severity,
    SieFile,
    Summary,
    Transaction,
    TransactionKind,
    Voucher,
)
from .tokenizer import (
    STRAY_BRACE,
    UNTERMINATED_LIST,
    UNTERMINATED_QUOTE,
    Field,
    checksum_text,
    checksum_text_raw_lists,
    tokenize,
)

__all__ = ["LENIENT_INSPECT", "STRICT_IMPORT", "ReadOptions", "Source", "iter_sie", "read_sie"]

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
"""Raw bytes, a path, or a binary file object."""

_AMOUNT_RE = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_INT_RE = re.compile(r"[-+]?\d+")
_LATIN1_RE = re.compile(f"[{LATIN1_MISREAD_AS_CP437}]")

_IDENTIFICATION = frozenset(
    {
        "#FLAGGA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#SIETYP",
        "#PROSA",
        "#FTYP",
        "#FNR",
        "#ORGNR",
        "#BKOD",
        "#ADRESS",
        "#FNAMN",
        "#RAR",
        "#TAXAR",
        "#OMFATTN",
        "#KPTYP",
        "#VALUTA",
    }
)
_CHART = frozenset({"#KONTO", "#KTYP", "#ENHET", "#SRU", "#DIM", "#UNDERDIM", "#OBJEKT"})
_BALANCES = frozenset({"#IB", "#UB", "#RES", "#OIB", "#OUB", "#PSALDO", "#PBUDGET"})
_ROWS = frozenset({"#TRANS", "#RTRANS", "#BTRANS"})
_ACCOUNT_TYPES = frozenset({"T", "S", "K", "I"})
_MISSING: Any = object()


def read_sie(source: Source, *, options: ReadOptions = STRICT_IMPORT) -> SieFile:
    """Read a whole SIE file (types 1–4, 4E and 4I) into memory.

    ``source`` is the file's bytes, a path, or a binary file object. Never raises on bad
    content; check ``result.ok`` / ``result.diagnostics``. Later ``Header`` and ``Account``
    entries of the stream replace earlier ones (files that break the record order).
    """
    header = Header()
    accounts: dict[str, Account] = {}
    dimensions: dict[str, Dimension] = {}
    objects: dict[tuple[str, str], Object] = {}
    balances: list[Balance] = []
    vouchers: list[Voucher] = []
    diagnostics: list[Diagnostic] = []
    summary: Summary | None = None
    for entry in iter_sie(source, options=options):
        if isinstance(entry, Voucher):
            vouchers.append(entry)
        elif isinstance(entry, Balance):
            balances.append(entry)
        elif isinstance(entry, Diagnostic):
            diagnostics.append(entry)
        elif isinstance(entry, Account):
            accounts[entry.number] = entry
        elif isinstance(entry, Object):
            objects[(entry.dimension, entry.id)] = entry
        elif isinstance(entry, Dimension):
            dimensions[entry.number] = entry
        elif isinstance(entry, Header):
            header = entry
        else:
            summary = entry
    return SieFile(
        header=header,
        accounts=tuple(accounts.values()),
        dimensions=tuple(dimensions.values()),
        objects=tuple(objects.values()),
        balances=tuple(balances),
        vouchers=tuple(vouchers),
        diagnostics=tuple(diagnostics),
        summary=summary,
    )


def iter_sie(source: Source, *, options: ReadOptions = STRICT_IMPORT) -> Iterator[Entry]:
    """Stream the entries of a SIE file one at a time.

    Yields, in file order: a :class:`Header` (once the identification records are read),
    the chart (:class:`Account`, :class:`Dimension`, :class:`Object`), then
    :class:`Balance` and :class:`Voucher` records as they complete, interleaved with
    :class:`Diagnostic` findings, and finally one :class:`Summary`. Only the current voucher
    is held in memory. Never raises on bad content; an unreadable path is an ``io_error``.
    """
    try:
        stream, close = _open(source)
    except OSError as exc:
        yield Diagnostic(
            severity="error",
            line=None,
            code="io_error",
            message=f"The file could not be opened: {exc}.",
        )
        yield Summary(
            encoding="", line_count=0, voucher_count=0, transaction_count=0, ksumma="absent"
        )
        return
    try:
        try:
            start = stream.tell()
            detected = detect_encoding(stream, options.encoding)
            stream.seek(start)
        except OSError as exc:
            yield Diagnostic(
                severity="error",
                line=None,
                code="io_error",
                message=f"The file could not be read: {exc}.",
            )
            return
        yield from _Reader(options, detected).run(stream)
    finally:
        if close:
            stream.close()


def _open(source: Source) -> tuple[BinaryIO, bool]:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True  # noqa: SIM115 - closed by iter_sie's finally
    stream = cast(BinaryIO, source)
    if not stream.seekable():
        # Detection needs a first pass over the bytes; a pipe cannot be rewound.
        return io.BytesIO(stream.read()), True
    return stream, False


@dataclass(slots=True)
class _OpenVoucher:
    """The voucher being read: its #VER fields and the rows seen so far."""

    series: str
    number: str
    date: date | None
    text: str
    reg_date: date | None
    sign: str
    line: int
    rows: list[Transaction] = field(default_factory=list)
    history: list[Transaction] = field(default_factory=list)
    pending_rtrans: Transaction | None = None
    unreadable_rows: int = 0
    in_block: bool = False


class _Reader:
    """State machine over the lines of one file. Not reusable."""

    def __init__(self, options: ReadOptions, detected: DetectedEncoding) -> None:
        self.options = options
        self.detected = detected
        self.out: list[Entry] = []
        self.counts: dict[str, int] = {}
        self.suppressed: dict[str, tuple[int, Severity]] = {}
        self.dates: dict[str, date] = {}
        # header
        self.head: dict[str, Any] = {}
        self.years: list[FiscalYear] = []
        self.header_sent = False
        self.records_seen = 0
        self.flagga_checked = False
        # chart
        self.accounts: dict[str, Account] = {}
        self.dimensions: dict[str, Dimension] = {}
        self.objects: list[Object] = []
        self.chart_sent = False
        self.late_reported = False
        self.unknown_labels: set[str] = set()
        # vouchers and balances
        self.voucher: _OpenVoucher | None = None
        self.voucher_count = 0
        self.transaction_count = 0
        self.period_balances = 0
        # checksum
        self.ks_state: KsummaState = "absent"
        self.ks_compute = options.verify_ksumma != "ignore"
        self.ks_open = False
        self.ks_crc = 0
        self.ks_crc_alt = 0
        self.ks_lists = False
        self.ks_closed_at: int | None = None
        self.after_ks_reported = False
        # encoding findings
        self.lossy_lines = 0
        self.lossy_first: int | None = None

    # -- diagnostics ---------------------------------------------------------------------

    def diag(self, severity: Severity, line: int | None, code: str, message: str) -> None:
        """Queue a finding, unless this code already hit ``max_repeats``."""
        n = self.counts.get(code, 0) + 1
        self.counts[code] = n
        if n > self.options.max_repeats:
            count, worst = self.suppressed.get(code, (0, "info"))
            self.suppressed[code] = (count + 1, _worse(worst, severity))
            return
        self.out.append(Diagnostic(severity=severity, line=line, code=code, message=message))

    # -- main loop -----------------------------------------------------------------------

    def run(self, stream: BinaryIO) -> Iterator[Entry]:
        out = self.out
        out.extend(self.detected.diagnostics)
        codec = self.detected.codec
        errors = "replace"
        check_latin1 = self.detected.check_latin1
        check_replacement = self.detected.check_replacement
        ks_compute = self.ks_compute
        lineno = 0
        trans_label = "#TRANS"
        for raw in stream:
            lineno += 1
            line = raw.decode(codec, errors).strip()
            if not line:
                continue
            if lineno == 1 and line[0] == "\ufeff":
                line = line[1:].strip()
                if not line:
                    continue
            if check_latin1 and _LATIN1_RE.search(line):
                self.latin1_line(lineno, line)
            if check_replacement and "\ufffd" in line:
                self.lossy_lines += 1
                if self.lossy_first is None:
                    self.lossy_first = lineno
            first = line[0]
            if first == "#":
                fields, flags = tokenize(line)
                label = fields[0]
                voucher = self.voucher
                if label == trans_label and voucher is not None and voucher.in_block and not flags:
                    # Hot path: an ordinary #TRANS row inside a voucher block.
                    if ks_compute and self.ks_open:
                        self.checksum(fields, line)
                    self.row(voucher, fields, lineno, "TRANS")
                else:
                    self.record(cast(str, label), fields, flags, line, lineno)
            elif line == "{":
                self.open_brace(lineno)
            elif line == "}":
                self.close_brace(lineno)
            else:
                self.diag(
                    "warning",
                    lineno,
                    "not_a_record",
                    f"Line {lineno} is not a record (it does not start with '#'); ignored.",
                )
            if out:
                yield from out
                out.clear()
        self.finish(lineno)
        yield from out
        out.clear()

    # -- records -------------------------------------------------------------------------

    def record(self, label: str, fields: list[Field], flags: int, line: str, lineno: int) -> None:
        if flags:
            self.tokenizer_flags(flags, lineno)
        if label not in _KNOWN and label.upper() in _KNOWN:
            label = label.upper()
        self.records_seen += 1
        if label == "#KSUMMA":
            self.ksumma(fields, lineno)
            return
        if self.ks_open and self.ks_compute:
            self.checksum(fields, line)
        elif self.ks_state != "absent" and not self.after_ks_reported:
            self.after_ks_reported = True
            self.diag(
                "warning",
                lineno,
                "after_ksumma",
                f"Line {lineno}: records after the closing #KSUMMA are outside the checksum.",
            )
        if not self.flagga_checked:
            self.flagga_checked = True
            if label != "#FLAGGA":
                self.diag(
                    "warning",
                    lineno,
                    "flagga_not_first",
                    f"Line {lineno}: the first record is {label}, not #FLAGGA.",
                )

        voucher = self.voucher
        if voucher is not None:
            if label in _ROWS:
                if not voucher.in_block:
                    self.diag(
                        "error",
                        voucher.line,
                        "missing_opening_brace",
                        f"Voucher {_vid(voucher)} (line {voucher.line}): no '{{' line "
                        "before its rows; rows read as if it were there.",
                    )
                    voucher.in_block = True
                kind = cast(TransactionKind, label[1:])
                self.row(voucher, fields, lineno, kind)
                return
            if voucher.in_block:
                self.diag(
                    "error",
                    voucher.line,
                    "missing_closing_brace",
                    f"Voucher {_vid(voucher)} (line {voucher.line}): its block has no closing "
                    f"'}}' before line {lineno}; the voucher was closed there.",
                )
            else:
                self.diag(
                    "error",
                    voucher.line,
                    "missing_opening_brace",
                    f"Voucher {_vid(voucher)} (line {voucher.line}): no '{{' line follows "
                    "the #VER; the voucher has no rows.",
                )
            self.close_voucher()
        elif label in _ROWS:
            self.diag(
                "error",
                lineno,
                "trans_outside_voucher",
                f"Line {lineno}: {label} outside a #VER block; the row was ignored.",
            )
            return

        if label == "#VER":
            self.start_chart_data(lineno)
            self.ver(fields, lineno)
        elif label in _BALANCES:
            self.start_chart_data(lineno)
            self.balance(label, fields, lineno)
        elif label in _CHART:
            self.ensure_header()
            self.chart(label, fields, lineno)
        elif label in _IDENTIFICATION:
            self.identification(label, fields, lineno)
        else:
            if label not in self.unknown_labels:
                self.unknown_labels.add(label)
                self.diag(
                    "info",
                    lineno,
                    "unknown_label",
                    f"Line {lineno}: unknown record {label[:40]} ignored "
                    "(further ones with this label are not reported).",
                )

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

    def latin1_line(self, lineno: int, line: str) -> None:
        found = "".join(sorted(set(_LATIN1_RE.findall(line))))
        self.diag(
            "warning",
            lineno,
            "encoding_latin1",
            f"Line {lineno} holds Latin-1 byte(s) for Swedish letters in a CP437 file; they "
            f"were read as CP437 {found!r} and are probably meant as Å/Ä/Ö/å/ä/ö.",
        )

    # -- identification ------------------------------------------------------------------

    def identification(self, label: str, fields: list[Field], lineno: int) -> None:
        head = self.head
        if self.header_sent:
            self.late(label, lineno)
        if label == "#FLAGGA":
            head["flag"] = self.int_field(fields, 1, lineno, label)
        elif label == "#PROGRAM":
            head["program"] = _text(fields, 1)
            head["program_version"] = _text(fields, 2)
        elif label == "#FORMAT":
            fmt = _text(fields, 1)
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
            head["generated_by"] = _text(fields, 2)
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
            head["prosa"] = _text(fields, 1)
        elif label == "#FTYP":
            head["company_type"] = _text(fields, 1)
        elif label == "#FNR":
            head["company_id"] = _text(fields, 1)
        elif label == "#ORGNR":
            head["org_number"] = _text(fields, 1)
        elif label == "#BKOD":
            head["sni_code"] = _text(fields, 1)
        elif label == "#ADRESS":
            head["address"] = tuple(_text(fields, i) for i in range(1, 5))
        elif label == "#FNAMN":
            head["company_name"] = _text(fields, 1)
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
            head["kptyp"] = _text(fields, 1)
        elif label == "#VALUTA":
            head["currency"] = _text(fields, 1)
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

    # -- chart of accounts ---------------------------------------------------------------

    def chart(self, label: str, fields: list[Field], lineno: int) -> None:
        if self.chart_sent:
            self.late(label, lineno)
        if label == "#DIM" or label == "#UNDERDIM":
            number = _text(fields, 1)
            if not number:
                self.missing(label, "dimension number", lineno, "warning")
                return
            parent = _text(fields, 3) or None if label == "#UNDERDIM" else None
            if label == "#UNDERDIM" and parent is None:
                self.missing(label, "super-dimension", lineno, "warning")
            dim = Dimension(number=number, name=_text(fields, 2), parent=parent, line=lineno)
            self.dimensions[number] = dim
            if self.chart_sent:
                self.out.append(dim)
            return
        if label == "#OBJEKT":
            dimension, obj_id = _text(fields, 1), _text(fields, 2)
            if not dimension or not obj_id:
                self.missing(label, "dimension number or object id", lineno, "warning")
                return
            obj = Object(dimension=dimension, id=obj_id, name=_text(fields, 3), line=lineno)
            if self.chart_sent:
                self.out.append(obj)
            else:
                self.objects.append(obj)
            return
        number = _text(fields, 1)
        if not number:
            self.missing(label, "account number", lineno, "warning")
            return
        account = self.accounts.get(number) or Account(number=number, line=lineno)
        if label == "#KONTO":
            account = Account(
                number=number,
                name=_text(fields, 2),
                type=account.type,
                unit=account.unit,
                sru=account.sru,
                line=lineno,
            )
        elif label == "#KTYP":
            value = _text(fields, 2).upper()
            if value not in _ACCOUNT_TYPES:
                self.diag(
                    "warning",
                    lineno,
                    "bad_account_type",
                    f"Line {lineno}: #KTYP {number} has type {value!r}, not one of T, S, K, I; "
                    "ignored.",
                )
                return
            account = _replace_account(account, type=cast(AccountType, value))
        elif label == "#ENHET":
            account = _replace_account(account, unit=_text(fields, 2))
        else:  # #SRU: several per account are allowed
            code = _text(fields, 2)
            if not code:
                self.missing(label, "SRU code", lineno, "warning")
                return
            account = _replace_account(account, sru=(*account.sru, code))
        self.accounts[number] = account
        if self.chart_sent:
            self.out.append(account)

    def start_chart_data(self, lineno: int) -> None:
        if self.chart_sent:
            return
        self.ensure_header()
        self.chart_sent = True
        self.out.extend(self.accounts.values())
        self.out.extend(self.dimensions.values())
        self.out.extend(self.objects)
        self.objects = []

    # -- balances ------------------------------------------------------------------------

    def balance(self, label: str, fields: list[Field], lineno: int) -> None:
        kind = cast(BalanceKind, label[1:])
        year = self.int_field(fields, 1, lineno, label)
        if year is None:
            return
        i = 2
        period: str | None = None
        if kind == "PSALDO" or kind == "PBUDGET":
            self.period_balances += 1
            period = _text(fields, 2)
            if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
                self.diag(
                    "error",
                    lineno,
                    "bad_period",
                    f"Line {lineno}: {label} period {period!r} is not a valid YYYYMM.",
                )
                return
            i = 3
        account = _text(fields, i)
        if not account:
            self.missing(label, "account number", lineno)
            return
        objects: ObjectList = ()
        if kind in ("OIB", "OUB", "PSALDO", "PBUDGET"):
            raw = fields[i + 1] if i + 1 < len(fields) else ()
            if isinstance(raw, str):
                self.diag(
                    "error",
                    lineno,
                    "missing_object_list",
                    f"Line {lineno}: {label} has no object list {{…}} after account {account}.",
                )
                return
            objects = self.object_pairs(raw, lineno)
            i += 1
        amount = self.amount_field(fields, i + 1, lineno, label)
        if amount is None:
            return
        quantity = self.quantity_field(fields, i + 2, lineno, label)
        self.out.append(
            Balance(
                kind=kind,
                year_index=year,
                account=account,
                objects=objects,
                amount=amount,
                period=period,
                quantity=quantity,
                line=lineno,
            )
        )

    # -- vouchers ------------------------------------------------------------------------

    def ver(self, fields: list[Field], lineno: int) -> None:
        # Series and number may be empty in 4I files; the receiving system assigns them.
        self.voucher = _OpenVoucher(
            series=_text(fields, 1),
            number=_text(fields, 2),
            date=self.date_field(fields, 3, lineno, "#VER", required=True),
            text=_text(fields, 4),
            reg_date=self.date_field(fields, 5, lineno, "#VER"),
            sign=_text(fields, 6),
            line=lineno,
        )

    def open_brace(self, lineno: int) -> None:
        voucher = self.voucher
        if voucher is not None and not voucher.in_block:
            voucher.in_block = True
            return
        self.diag(
            "error",
            lineno,
            "unexpected_brace",
            f"Line {lineno}: '{{' that does not follow a #VER; ignored.",
        )

    def close_brace(self, lineno: int) -> None:
        voucher = self.voucher
        if voucher is not None and voucher.in_block:
            self.close_voucher()
            return
        self.diag(
            "error",
            lineno,
            "unexpected_brace",
            f"Line {lineno}: '}}' without an open #VER block; ignored.",
        )

    def row(self, voucher: _OpenVoucher, fields: list[Field], lineno: int, kind: str) -> None:
        """Read one #TRANS/#RTRANS/#BTRANS row into the open voucher (the hot path)."""
        n = len(fields)
        account = fields[1] if n > 1 else ""
        objects_field = fields[2] if n > 2 else ()
        i = 3
        if objects_field.__class__ is str:
            if objects_field and _AMOUNT_RE.fullmatch(cast(str, objects_field)):
                # Some writers leave out the (empty) object list; read on without it.
                self.diag(
                    "warning",
                    lineno,
                    "missing_object_list",
                    f"Line {lineno}: #{kind} has no object list {{…}}; read as empty.",
                )
                i = 2
            elif objects_field:
                self.diag(
                    "warning",
                    lineno,
                    "bad_object_list",
                    f"Line {lineno}: #{kind} has {_text(fields, 2)[:40]!r} where the object "
                    "list {…} belongs; read as empty.",
                )
            objects_field = ()
        if not account or account.__class__ is not str:
            voucher.unreadable_rows += 1
            self.missing(f"#{kind}", "account number", lineno)
            return
        amount_text = fields[i] if i < n else ""
        if amount_text.__class__ is str and _AMOUNT_RE.fullmatch(cast(str, amount_text)):
            amount = Decimal(cast(str, amount_text))
        else:
            voucher.unreadable_rows += 1
            self.bad_amount(amount_text, lineno, f"#{kind}")
            return
        if objects_field:
            objects = (
                self.object_pairs(objects_field, lineno)
                if objects_field.__class__ is tuple
                else ()
            )
        else:
            objects = ()
        # Optional fields: date, text, quantity, sign (absent or "").
        trans_date = None
        text = ""
        quantity = None
        sign = ""
        if n > i + 1:
            date_text = fields[i + 1]
            if date_text:
                trans_date = self.dates.get(cast(str, date_text)) or self.date_field(
                    fields, i + 1, lineno, f"#{kind}"
                )
            if n > i + 2:
                text = _text(fields, i + 2)
                if n > i + 3:
                    quantity = self.quantity_field(fields, i + 3, lineno, f"#{kind}")
                    if n > i + 4:
                        sign = _text(fields, i + 4)
        transaction = Transaction(
            account=cast(str, account),
            objects=objects,
            amount=amount,
            date=trans_date,
            text=text,
            quantity=quantity,
            sign=sign,
            kind=cast(TransactionKind, kind),
            line=lineno,
        )
        if kind == "TRANS":
            pending = voucher.pending_rtrans
            if pending is not None:
                voucher.pending_rtrans = None
                if (pending.account, pending.objects, pending.amount) != (
                    transaction.account,
                    transaction.objects,
                    transaction.amount,
                ):
                    self.rtrans_without_twin(voucher, pending, differs=True)
            voucher.rows.append(transaction)
            return
        if self.options.rtrans_mode == "ignore":
            return
        if voucher.pending_rtrans is not None:
            self.rtrans_without_twin(voucher, voucher.pending_rtrans, differs=False)
            voucher.pending_rtrans = None
        voucher.history.append(transaction)
        if kind == "RTRANS":
            voucher.pending_rtrans = transaction

    def rtrans_without_twin(
        self, voucher: _OpenVoucher, rtrans: Transaction, *, differs: bool
    ) -> None:
        # An #RTRANS is an added row; without its #TRANS twin it is still part of the voucher.
        voucher.rows.append(rtrans)
        what = "is followed by a #TRANS that differs from it" if differs else "has no #TRANS twin"
        self.diag(
            "warning",
            rtrans.line,
            "rtrans_without_twin",
            f"Line {rtrans.line}: #RTRANS in voucher {_vid(voucher)} {what}; the #RTRANS row "
            "was counted as part of the voucher.",
        )

    def close_voucher(self) -> None:
        voucher = self.voucher
        if voucher is None:
            return
        self.voucher = None
        if voucher.pending_rtrans is not None:
            self.rtrans_without_twin(voucher, voucher.pending_rtrans, differs=False)
        rows = tuple(voucher.rows)
        if not rows and not voucher.unreadable_rows:
            self.diag(
                "warning",
                voucher.line,
                "empty_voucher",
                f"Voucher {_vid(voucher)} (line {voucher.line}) has no #TRANS rows.",
            )
        elif voucher.unreadable_rows:
            self.diag(
                "error",
                voucher.line,
                "unreadable_rows",
                f"Voucher {_vid(voucher)} (line {voucher.line}): {voucher.unreadable_rows} "
                "row(s) could not be read, so its balance was not checked.",
            )
        else:
            total = Decimal(0)
            for t in rows:
                total += t.amount
            if total:
                self.diag(
                    self.options.unbalanced_severity(),
                    voucher.line,
                    "unbalanced_voucher",
                    f"Voucher {_vid(voucher)} (line {voucher.line}) does not balance: its "
                    f"#TRANS rows sum to {total} instead of 0.",
                )
        self.out.append(
            Voucher(
                series=voucher.series,
                number=voucher.number,
                date=voucher.date,
                text=voucher.text,
                reg_date=voucher.reg_date,
                sign=voucher.sign,
                transactions=rows,
                history=tuple(voucher.history),
                line=voucher.line,
                index_in_file=self.voucher_count,
            )
        )
        self.voucher_count += 1
        self.transaction_count += len(rows)

    # -- checksum ------------------------------------------------------------------------

    def checksum(self, fields: list[Field], line: str) -> None:
        text = checksum_text(fields)
        self.ks_crc = zlib.crc32(text.encode("cp437", "replace"), self.ks_crc)
        if any(f.__class__ is tuple and f for f in fields):
            self.ks_lists = True
            alt = checksum_text_raw_lists(fields, line)
        else:
            alt = text
        self.ks_crc_alt = zlib.crc32(alt.encode("cp437", "replace"), self.ks_crc_alt)

    def ksumma(self, fields: list[Field], lineno: int) -> None:
        value = _text(fields, 1)
        if not value:
            if self.ks_state != "absent" or self.ks_open:
                self.diag(
                    "warning",
                    lineno,
                    "ksumma_misplaced",
                    f"Line {lineno}: a second opening #KSUMMA; ignored.",
                )
                return
            if self.records_seen > 2:
                self.diag(
                    "warning",
                    lineno,
                    "ksumma_misplaced",
                    f"Line {lineno}: the opening #KSUMMA should follow #FLAGGA directly; "
                    "records before it are outside the checksum.",
                )
            self.ks_open = True
            self.ks_state = "not_checked" if not self.ks_compute else "truncated"
            return
        if not self.ks_open:
            self.diag(
                "warning",
                lineno,
                "ksumma_misplaced",
                f"Line {lineno}: closing #KSUMMA {value} without an opening #KSUMMA; ignored.",
            )
            return
        self.ks_open = False
        self.ks_closed_at = lineno
        if not self.ks_compute:
            self.ks_state = "not_checked"
            return
        if not _INT_RE.fullmatch(value):
            self.ks_state = "mismatch"
            self.diag(
                self.options.ksumma_severity(),
                lineno,
                "ksumma_mismatch",
                f"Line {lineno}: #KSUMMA value {value!r} is not a number.",
            )
            return
        expected = int(value)
        if expected == self.ks_crc:
            self.ks_state = "verified"
            self.diag(
                "info", lineno, "ksumma_verified", f"Line {lineno}: the #KSUMMA checksum matches."
            )
        elif self.ks_lists and expected == self.ks_crc_alt:
            self.ks_state = "verified"
            self.diag(
                "warning",
                lineno,
                "ksumma_alternative_reading",
                f"Line {lineno}: #KSUMMA matches only when object lists are summed as written "
                "(quotes and spaces kept); accepted.",
            )
        else:
            self.ks_state = "mismatch"
            # The rule for non-empty object lists is not settled (no checksummed sample has
            # one), so a mismatch there may be the writer's reading rather than damage.
            severity: Severity = "warning" if self.ks_lists else self.options.ksumma_severity()
            unsure = (
                " Both readings of object lists were tried." if self.ks_lists else ""
            )
            self.diag(
                severity,
                lineno,
                "ksumma_mismatch",
                f"Line {lineno}: #KSUMMA says {expected} but the records sum to {self.ks_crc}; "
                f"the file was changed or damaged after export.{unsure}",
            )

    # -- end of file ---------------------------------------------------------------------

    def finish(self, lineno: int) -> None:
        voucher = self.voucher
        if voucher is not None:
            self.diag(
                "error",
                voucher.line,
                "missing_closing_brace",
                f"Voucher {_vid(voucher)} (line {voucher.line}): the file ends inside its "
                "block (no closing '}').",
            )
            self.close_voucher()
        self.start_chart_data(lineno)
        opts = self.options
        if self.records_seen == 0:
            self.diag("error", None, "no_records", "The input holds no SIE records.")
        if self.ks_open:
            self.ks_state = "truncated"
            self.diag(
                opts.ksumma_severity(),
                None,
                "truncated",
                "The file has an opening #KSUMMA but no closing one: it is truncated.",
            )
        elif self.ks_state == "absent" and opts.verify_ksumma == "require":
            self.diag(
                "error",
                None,
                "missing_ksumma",
                "The file has no #KSUMMA checksum, which the read options require.",
            )
        head = self.head
        sie_type = head.get("sie_type")
        if sie_type is None and self.records_seen:
            self.diag(
                "info", None, "missing_sietyp", "The file has no #SIETYP; type 1 is assumed."
            )
        if sie_type in (2, 3) and self.period_balances and head.get("omfattn") is None:
            self.diag(
                opts.omfattn_severity(),
                None,
                "missing_omfattn",
                f"The type {sie_type} file has {self.period_balances} period balance(s) but "
                "no #OMFATTN saying up to which date they run.",
            )
        omfattn = head.get("omfattn")
        year0 = next((y for y in self.years if y.index == 0), None)
        if omfattn and year0 and year0.start and year0.end:
            if not year0.start <= omfattn <= year0.end:
                self.diag(
                    "warning",
                    None,
                    "implausible_omfattn",
                    f"#OMFATTN {omfattn} lies outside the current fiscal year "
                    f"({year0.start}–{year0.end}).",
                )
        if sie_type in (1, 2, 3) and self.voucher_count:
            self.diag(
                "warning",
                None,
                "vouchers_in_balance_file",
                f"A type {sie_type} file holds {self.voucher_count} voucher(s); only type 4 "
                "files may.",
            )
        if self.lossy_lines:
            self.diag(
                "warning",
                self.lossy_first,
                "lossy_text",
                f"{self.lossy_lines} line(s) hold U+FFFD replacement characters (first on line "
                f"{self.lossy_first}): letters were lost before or while reading; they cannot "
                "be recovered.",
            )
        for code, (count, severity) in sorted(self.suppressed.items()):
            self.out.append(
                Diagnostic(
                    severity=severity,
                    line=None,
                    code="suppressed_diagnostics",
                    message=f"{count} further {code!r} finding(s) were not listed.",
                )
            )
        self.out.append(
            Summary(
                encoding=self.detected.codec,
                line_count=lineno,
                voucher_count=self.voucher_count,
                transaction_count=self.transaction_count,
                ksumma=self.ks_state,
            )
        )

    # -- field helpers -------------------------------------------------------------------

    def missing(
        self, label: str, what: str, lineno: int, severity: Severity = "error"
    ) -> None:
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
        if isinstance(value, str) and _AMOUNT_RE.fullmatch(value):
            return Decimal(value)
        self.bad_amount(value, lineno, label)
        return None

    def quantity_field(
        self, fields: list[Field], i: int, lineno: int, label: str
    ) -> Decimal | None:
        value = fields[i] if i < len(fields) else ""
        if not value:
            return None
        if isinstance(value, str) and _AMOUNT_RE.fullmatch(value):
            return Decimal(value)
        self.diag(
            "warning",
            lineno,
            "bad_quantity",
            f"Line {lineno}: {label} quantity {_text(fields, i)[:40]!r} is not a number; ignored.",
        )
        return None

    def int_field(self, fields: list[Field], i: int, lineno: int, label: str) -> int | None:
        value = _text(fields, i)
        if _INT_RE.fullmatch(value):
            return int(value)
        what = f"{value[:40]!r} is not a whole number" if value else "is missing"
        self.diag(
            "error",
            lineno,
            "bad_field",
            f"Line {lineno}: field {i} of {label} {what}; the record was ignored"
            if label not in _IDENTIFICATION
            else f"Line {lineno}: field {i} of {label} {what}.",
        )
        return None

    def date_field(
        self, fields: list[Field], i: int, lineno: int, label: str, *, required: bool = False
    ) -> date | None:
        value = _text(fields, i)
        if not value:
            if required:
                self.diag(
                    "error",
                    lineno,
                    "bad_date",
                    f"Line {lineno}: {label} has no date where one is required.",
                )
            return None
        cached = self.dates.get(value)
        if cached is not None:
            return cached
        parsed = _parse_date(value)
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


_KNOWN = _IDENTIFICATION | _CHART | _BALANCES | _ROWS | {"#VER", "#KSUMMA"}


def _text(fields: list[Field], i: int) -> str:
    if i >= len(fields):
        return ""
    value = fields[i]
    if isinstance(value, str):
        return value
    # An unquoted text that happened to contain braces: give it back as written.
    return "{" + " ".join(value) + "}"


def _parse_date(value: str) -> date | None:
    if len(value) != 8 or not value.isdigit() or not value.isascii():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _vid(voucher: _OpenVoucher) -> str:
    empty = '""'
    return f"{voucher.series or empty} {voucher.number or empty}"


def _replace_account(account: Account, **changes: Any) -> Account:
    values = {
        "number": account.number,
        "name": account.name,
        "type": account.type,
        "unit": account.unit,
        "sru": account.sru,
        "line": account.line,
    }
    values.update(changes)
    return Account(**values)


_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _worse(a: Severity, b: Severity) -> Severity:
    return a if _SEVERITY_RANK[a] >= _SEVERITY_RANK[b] else b
