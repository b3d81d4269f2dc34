"""From a record's label to its handler, with the checks every record goes through first.

:data:`HANDLERS` maps each label the reader knows to the plain function that reads it;
:func:`read_record` runs the checks that concern the order of records (the first record,
the checksummed part, a voucher that another record ends) and then the handler.
"""

from __future__ import annotations

from typing import cast

from . import _chart, _identification
from ._balances import read_balance
from ._checksum import add_to_checksum, read_ksumma
from ._fields import tokenizer_flags
from ._labels import BALANCES, KNOWN, ROWS
from ._state import Handler, OpenVoucher, ReadState, vid
from ._vouchers import close_voucher, read_row, read_ver
from .tokenizer import Field

HANDLERS: dict[str, Handler] = {
    **_identification.HANDLERS,
    **_chart.HANDLERS,
    **dict.fromkeys(BALANCES, read_balance),
    "#VER": read_ver,
    **dict.fromkeys(ROWS, read_row),
}
"""The handler of every label the reader knows except #KSUMMA, which :func:`read_record`
reads itself because it starts and ends the checksummed part."""


def read_record(state: ReadState, fields: list[Field], flags: int, lineno: int) -> None:
    """Read one tokenized record: checksum and order checks, then its handler."""
    label = cast(str, fields[0])
    if flags:
        tokenizer_flags(state, flags, lineno)
    if label not in KNOWN and label.upper() in KNOWN:
        label = label.upper()
    state.records_seen += 1
    if label == "#KSUMMA":
        read_ksumma(state, fields, lineno)
        return
    if state.ks_open:
        if state.ks_compute:
            add_to_checksum(state, fields)
    elif state.ks_closed_at is not None and not state.after_ks_reported:
        state.after_ks_reported = True
        state.diag(
            "warning",
            lineno,
            "after_ksumma",
            f"Line {lineno}: records after the closing #KSUMMA are outside the checksum.",
        )
    if not state.flagga_checked:
        state.flagga_checked = True
        if label != "#FLAGGA":
            state.diag(
                "warning",
                lineno,
                "flagga_not_first",
                f"Line {lineno}: the first record is {label}, not #FLAGGA.",
                record=label[:40],
            )
    if state.voucher is not None and label not in ROWS:
        _voucher_ended_by(state, lineno)
    handler = HANDLERS.get(label)
    if handler is not None:
        handler(state, label, fields, lineno)
    elif label not in state.unknown_labels:
        state.unknown_labels.add(label)
        state.diag(
            "info",
            lineno,
            "unknown_label",
            f"Line {lineno}: unknown record {label[:40]} ignored "
            "(further ones with this label are not reported).",
            record=label[:40],
        )


def _voucher_ended_by(state: ReadState, lineno: int) -> None:
    """A record other than a row while a voucher is open: its block was never closed (or
    never opened); the voucher ends here."""
    voucher = cast(OpenVoucher, state.voucher)
    if voucher.in_block:
        state.diag(
            "error",
            voucher.line,
            "missing_closing_brace",
            f"Voucher {vid(voucher)} (line {voucher.line}): its block has no closing "
            f"'}}' before line {lineno}; the voucher was closed there.",
            voucher=vid(voucher),
        )
    else:
        state.diag(
            "error",
            voucher.line,
            "missing_opening_brace",
            f"Voucher {vid(voucher)} (line {voucher.line}): no '{{' line follows "
            "the #VER; the voucher has no rows.",
            voucher=vid(voucher),
        )
    close_voucher(state)
