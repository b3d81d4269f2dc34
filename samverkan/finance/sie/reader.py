"""Reading SIE files: bytes → typed records and diagnostics.

:func:`iter_sie` streams: it decodes the bytes a chunk at a time, reads them line by line and
yields each record as soon as it is complete, so memory does not grow with the number of
vouchers. :func:`read_sie` collects the stream into a :class:`~.records.SieFile`.

Neither ever raises on bad input: whatever is wrong with the bytes becomes a
:class:`~.records.Diagnostic` (see the module docstring of :mod:`.options` for how the read
options move findings between severities).

The main loop over the lines (:func:`_read`) and the dispatch of each record
(:func:`read_record`, through :data:`HANDLERS`) are here. Each record type has a plain
handler function in the private module of its group (:mod:`._identification`,
:mod:`._chart`, :mod:`._balances`, :mod:`._vouchers`, :mod:`._checksum`); every handler
takes the :class:`~._state.ReadState` of the read, the label, the tokenized fields and the
line number. :mod:`._endcheck` checks what needs the whole file, :mod:`._fields` reads
single fields and :mod:`._lines` decodes the bytes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, BinaryIO, cast

from . import _fast
from ._checksum import alternative_checksum, ks_flush
from ._dispatch import read_record
from ._endcheck import finish
from ._fast import TransactionSlots, quoted_field, simple_object_list
from ._fields import account_used, parse_date
from ._lines import check_characters, decoded_lines
from ._state import OpenVoucher, ReadState
from ._vouchers import close_brace, close_voucher, open_brace, read_row_match, read_ver_line
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
    ObjectList,
    SieFile,
    Summary,
    Transaction,
    Voucher,
)
from .tokenizer import tokenize

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
        yield from _read(ReadState(options, detected), stream)
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


def _read(state: ReadState, stream: BinaryIO) -> Iterator[Entry]:
    """Read every line and yield entries as they complete (see :func:`iter_sie`).

    Most lines of a large file are ordinary #TRANS rows inside a voucher's block; they are
    read here, inline, with one regular expression and no call per field (a million-row
    file makes every call count). Every other line is tokenized and handed to
    :func:`~._dispatch.read_record`, except the ordinary shapes of #VER and #TRANS that the
    expressions of :mod:`._fast` read with the same results.
    """
    out = state.out
    out.extend(state.detected.diagnostics)
    state.stream_start = stream.tell()
    check_line = state.detected.check_latin1 or state.detected.check_replacement
    # Looked up on _fast at each read, so that tests can switch the fast paths off there.
    common_row = _fast.COMMON_TRANS_RE.match
    ordinary_row = _fast.TRANS_RE.match
    dates = state.dates
    used_accounts = state.used_accounts
    # The object lists of rows read so far (their inner text; None for {}), read once each:
    # a file has few distinct ones. The objects are immutable, so rows can share them.
    object_lists: dict[str | None, tuple[ObjectList, str]] = {None: ((), "")}
    ks_parts = state.ks_parts
    # Whether the records read now count towards the checksum, and whether a #VER line
    # needs none of the checks of read_record (both change only in read_record).
    summing = False
    ver_ready = False
    # The voucher whose { } block is open: while set, each line is first tried as an
    # ordinary #TRANS row before any other work is done on it.
    block: OpenVoucher | None = None
    new_slots = object.__new__
    lineno = 0
    for chunk in decoded_lines(stream, state.detected.codec):
        if ks_parts:
            ks_flush(state)
        for line in chunk:
            lineno += 1
            line = line.strip()
            if block is not None:
                m = common_row(line)
                if m is not None and block.pending_rtrans is None:
                    account, inner, amount_text, date_text, text = m.groups()
                    if "\\" in text or '"' in text:
                        text = quoted_field(text)
                    listed = object_lists.get(inner)
                    if listed is None:
                        listed = simple_object_list(inner)
                        if listed is not None and len(object_lists) < 10_000:
                            object_lists[inner] = listed
                    if text is not None and listed is not None:
                        objects, joined = listed
                        if check_line:
                            check_characters(state, line, lineno)
                        if summing:
                            ks_parts.append(
                                f"#TRANS{account}{joined}{amount_text}{date_text}{text}"
                            )
                            if objects:
                                state.ks_lists = True
                        if account not in used_accounts:
                            account_used(state, account, lineno, "#TRANS")
                        # The Transaction is built in place (see TransactionSlots for why).
                        row = new_slots(TransactionSlots)
                        row.account = account
                        row.amount = Decimal(amount_text)
                        row.objects = objects
                        row.date = dates.get(date_text) or parse_date(
                            state, date_text, lineno, "#TRANS"
                        )
                        row.text = text
                        row.quantity = None
                        row.sign = ""
                        row.kind = "TRANS"
                        row.line = lineno
                        row.__class__ = Transaction  # type: ignore[assignment]
                        block.rows.append(row)  # type: ignore[arg-type]
                        continue
                elif line == "}":
                    close_voucher(state)
                    block = None
                    if out:
                        yield from out
                        out.clear()
                    continue
            if not line:
                continue
            if check_line:
                check_characters(state, line, lineno)
            first = line[0]
            if first == "#":
                if block is not None and (m := ordinary_row(line)) is not None:
                    read_row_match(state, block, m, lineno)
                elif not (
                    ver_ready
                    and state.voucher is None
                    and line.startswith("#VER")
                    and read_ver_line(state, line, lineno)
                ):
                    fields, flags = tokenize(line)
                    read_record(state, fields, flags, lineno)
                    summing = state.ks_open and state.ks_compute
                    ver_ready = (
                        state.chart_sent and state.flagga_checked and state.ks_closed_at is None
                    )
            elif line == "{":
                voucher = state.voucher
                if voucher is not None and not voucher.in_block:
                    voucher.in_block = True
                    block = voucher
                    continue
                open_brace(state, lineno)
            elif line == "}":
                close_brace(state, lineno)
            elif lineno == 1 and first == "\ufeff":
                # A UTF-8 byte-order mark: read the rest of the line as usual.
                fields, flags = tokenize(line[1:])
                if fields and isinstance(fields[0], str):
                    read_record(state, fields, flags, lineno)
                elif fields:  # an object list where the label belongs
                    _not_a_record(state, lineno)
                summing = state.ks_open and state.ks_compute
                ver_ready = state.chart_sent and state.flagga_checked
            else:
                _not_a_record(state, lineno)
            voucher = state.voucher
            block = voucher if voucher is not None and voucher.in_block else None
            if out:
                yield from out
                out.clear()
    if state.ks_alt_expected is not None:
        alternative_checksum(state, stream, state.ks_alt_expected)
    finish(state, lineno)
    yield from out
    out.clear()


def _not_a_record(state: ReadState, lineno: int) -> None:
    state.diag(
        "warning",
        lineno,
        "not_a_record",
        f"Line {lineno} is not a record (it does not start with '#'); ignored.",
    )
