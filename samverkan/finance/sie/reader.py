"""Reading SIE files: bytes → typed records and diagnostics.

:func:`iter_sie` streams: it decodes the bytes a chunk at a time, reads them line by line and
yields each record as soon as it is complete, so memory does not grow with the number of
vouchers. :func:`read_sie` collects the stream into a :class:`~.records.SieFile`.

Neither ever raises on bad input: whatever is wrong with the bytes becomes a
:class:`~.records.Diagnostic` (see the module docstring of :mod:`.options` for how the read
options move findings between severities).

The state machine behind them is :class:`_Reader`: the main loop over the lines and the
dispatch of each record are here; the rules for each group of records are mixins in the
private modules beside this one (:mod:`._identification`, :mod:`._chart`,
:mod:`._balances`, :mod:`._vouchers`, :mod:`._checksum`, :mod:`._endcheck`), on the state
and field helpers of :mod:`._state` and :mod:`._fields`, with the lines decoded by
:mod:`._lines`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, BinaryIO, cast

from . import _fast
from ._balances import BalanceRecords
from ._checksum import ChecksumRecords
from ._endcheck import EndChecks
from ._fast import pairs
from ._labels import BALANCES, CHART, IDENTIFICATION, KNOWN, ROWS
from ._lines import LineDecoding
from ._state import OpenVoucher, vid
from .encoding import detect_encoding
from .options import LENIENT_INSPECT, STRICT_IMPORT, ReadOptions
from .records import (
    Account,
    Balance,
    Diagnostic,
    Dimension,
    Entry,
    Header,
    Object,
    SieFile,
    Summary,
    Transaction,
    TransactionKind,
    Voucher,
)
from .tokenizer import Field, tokenize

__all__ = ["LENIENT_INSPECT", "STRICT_IMPORT", "ReadOptions", "Source", "iter_sie", "read_sie"]

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
"""Raw bytes, a path, or a binary file object."""


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
        yield _io_error(f"The file could not be opened: {exc}.")
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
            yield _io_error(f"The file could not be read: {exc}.")
            return
        yield from _Reader(options, detected).run(stream)
    finally:
        if close:
            stream.close()


def _io_error(message: str) -> Diagnostic:
    return Diagnostic(severity="error", line=None, code="io_error", message=message)


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


class _Reader(LineDecoding, EndChecks, BalanceRecords, ChecksumRecords):
    """State machine over the lines of one file: the main loop and the dispatch of records
    to the rules of each group (the mixins). Not reusable."""

    def run(self, stream: BinaryIO) -> Iterator[Entry]:
        """Read every line and yield entries as they complete (see :func:`iter_sie`)."""
        out = self.out
        out.extend(self.detected.diagnostics)
        self.stream_start = stream.tell()
        check_line = self.detected.check_latin1 or self.detected.check_replacement
        # Looked up on _fast at each read, so that tests can switch the fast paths off there.
        trans_match = _fast.TRANS_RE.match
        common_match = _fast.COMMON_TRANS_RE.match
        dates = self.dates
        parse_date = self.parse_date
        ks_parts = self.ks_parts
        ks_active = False
        ver_ready = False
        # Local names: the hot path below runs once per row of a million-row file.
        new_object = _fast.new_object
        set_account, set_amount, set_objects = (
            _fast.set_account,
            _fast.set_amount,
            _fast.set_objects,
        )
        set_date, set_text, set_quantity = _fast.set_date, _fast.set_text, _fast.set_quantity
        set_sign, set_kind, set_line = _fast.set_sign, _fast.set_kind, _fast.set_line
        used_accounts = self.used_accounts
        # The voucher whose { } block is open; while set, each line is first tried as an
        # ordinary #TRANS row before any other work is done on it.
        block: OpenVoucher | None = None
        lineno = 0
        for chunk in self.lines(stream):
            if ks_parts:
                self.ks_flush()
            for line in chunk:
                lineno += 1
                if block is not None:
                    # The hot path: one regular expression reads the commonest row shape.
                    m = common_match(line)
                    if m is not None and block.pending_rtrans is None:
                        account, inner, amount_text, date_text, text = m.groups()
                        if "\\" in text:
                            text = text.replace('\\"', '"')
                        if not inner:
                            elements: tuple[str, ...] = ()
                        elif '"' in inner:
                            elements = tuple(inner.replace('"', "").split())
                        else:
                            elements = tuple(inner.split())
                        n_elements = len(elements)
                        if not n_elements & 1:
                            if check_line:
                                self.check_characters(line.strip(), lineno)
                            if ks_active:
                                ks_parts.append(
                                    "#TRANS"
                                    + account
                                    + "".join(elements)
                                    + amount_text
                                    + date_text
                                    + text
                                )
                                if elements:
                                    self.ks_lists = True
                            if account not in used_accounts:
                                self.account_used(account, lineno, "#TRANS")
                            # A Transaction built slot by slot (see the setters in _fast).
                            t = new_object(Transaction)
                            set_account(t, account)
                            set_amount(t, Decimal(amount_text))
                            set_objects(
                                t,
                                ()
                                if not n_elements
                                else ((elements[0], elements[1]),)
                                if n_elements == 2
                                else pairs(elements, n_elements),
                            )
                            set_date(
                                t, dates.get(date_text) or parse_date(date_text, lineno, "#TRANS")
                            )
                            set_text(t, text)
                            set_quantity(t, None)
                            set_sign(t, "")
                            set_kind(t, "TRANS")
                            set_line(t, lineno)
                            block.rows.append(t)
                            continue
                line = line.strip()
                if not line:
                    continue
                if check_line:
                    self.check_characters(line, lineno)
                first = line[0]
                if first == "#":
                    if block is not None and (m := trans_match(line)) is not None:
                        # Other #TRANS shapes the general expression still reads.
                        self.fast_trans(block, m, lineno)
                    elif not (
                        ver_ready
                        and line.startswith("#VER")
                        and self.voucher is None
                        and self.fast_ver(line, lineno)
                    ):
                        fields, flags = tokenize(line)
                        self.record(cast(str, fields[0]), fields, flags, line, lineno)
                        ks_active = self.ks_open and self.ks_compute
                        # The #VER fast path skips what record() does for the first records.
                        ver_ready = (
                            self.chart_sent and self.flagga_checked and self.ks_closed_at is None
                        )
                elif line == "{":
                    voucher = self.voucher
                    if voucher is not None and not voucher.in_block:
                        voucher.in_block = True
                        block = voucher
                        continue
                    self.open_brace(lineno)
                elif line == "}":
                    self.close_brace(lineno)
                elif lineno == 1 and first == "\ufeff":
                    # A UTF-8 byte-order mark: read the rest of the line as usual.
                    fields, flags = tokenize(line[1:])
                    if fields:
                        self.record(cast(str, fields[0]), fields, flags, line[1:], lineno)
                    ks_active = self.ks_open and self.ks_compute
                    ver_ready = self.chart_sent and self.flagga_checked
                else:
                    self.diag(
                        "warning",
                        lineno,
                        "not_a_record",
                        f"Line {lineno} is not a record (it does not start with '#'); ignored.",
                    )
                voucher = self.voucher
                block = voucher if voucher is not None and voucher.in_block else None
                if out:
                    yield from out
                    out.clear()
        if self.ks_alt_expected is not None:
            self.alternative_checksum(stream, self.ks_alt_expected)
        self.finish(lineno)
        yield from out
        out.clear()

    def record(self, label: str, fields: list[Field], flags: int, line: str, lineno: int) -> None:
        """Read one tokenized record: checksum and order checks, then its group's rules."""
        if flags:
            self.tokenizer_flags(flags, lineno)
        if label not in KNOWN and label.upper() in KNOWN:
            label = label.upper()
        self.records_seen += 1
        if label == "#KSUMMA":
            self.ksumma(fields, lineno)
            return
        if self.ks_open:
            if self.ks_compute:
                self.checksum(fields, line)
        elif self.ks_closed_at is not None and not self.after_ks_reported:
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
            if label in ROWS:
                if not voucher.in_block:
                    self.diag(
                        "error",
                        voucher.line,
                        "missing_opening_brace",
                        f"Voucher {vid(voucher)} (line {voucher.line}): no '{{' line "
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
                    f"Voucher {vid(voucher)} (line {voucher.line}): its block has no closing "
                    f"'}}' before line {lineno}; the voucher was closed there.",
                )
            else:
                self.diag(
                    "error",
                    voucher.line,
                    "missing_opening_brace",
                    f"Voucher {vid(voucher)} (line {voucher.line}): no '{{' line follows "
                    "the #VER; the voucher has no rows.",
                )
            self.close_voucher()
        elif label in ROWS:
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
        elif label in BALANCES:
            self.start_chart_data(lineno)
            self.balance(label, fields, lineno)
        elif label in CHART:
            self.ensure_header()
            self.chart(label, fields, lineno)
        elif label in IDENTIFICATION:
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
