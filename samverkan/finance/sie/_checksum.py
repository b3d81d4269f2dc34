"""The #KSUMMA checksum: a CRC-32 over the records between the opening and closing #KSUMMA.

Record texts wait in ``ks_parts`` and are summed in batches (see :class:`~._state.ReadState`).
Where the file has non-empty object lists and the sum does not match, a second pass after
the last line tries the other reading of the rule for them.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO

from ._fast import INT_RE, cp437_bytes, field_text
from ._state import ReadState
from .records import Severity
from .tokenizer import Field, checksum_text, checksum_text_raw_lists, tokenize


def add_to_checksum(state: ReadState, fields: list[Field]) -> None:
    """Queue a tokenized record's text for the running checksum."""
    state.ks_parts.append(checksum_text(fields))
    if not state.ks_lists and any(isinstance(f, tuple) and f for f in fields):
        state.ks_lists = True


def read_ksumma(state: ReadState, fields: list[Field], lineno: int) -> None:
    """#KSUMMA: without a value it opens the checksummed part, with one it closes it."""
    value = field_text(fields, 1)
    if not value:
        if state.ks_state != "absent" or state.ks_open:
            state.diag(
                "warning",
                lineno,
                "ksumma_misplaced",
                f"Line {lineno}: a second opening #KSUMMA; ignored.",
            )
            return
        if state.records_seen > 2:
            state.diag(
                "warning",
                lineno,
                "ksumma_misplaced",
                f"Line {lineno}: the opening #KSUMMA should follow #FLAGGA directly; "
                "records before it are outside the checksum.",
            )
        state.ks_open = True
        state.ks_opened_at = lineno
        state.ks_state = "not_checked" if not state.ks_compute else "truncated"
        return
    if not state.ks_open:
        state.diag(
            "warning",
            lineno,
            "ksumma_misplaced",
            f"Line {lineno}: closing #KSUMMA {value} without an opening #KSUMMA; ignored.",
        )
        return
    state.ks_open = False
    state.ks_closed_at = lineno
    if not state.ks_compute:
        state.ks_state = "not_checked"
        return
    if not INT_RE.fullmatch(value):
        state.ks_state = "mismatch"
        state.diag(
            state.options.ksumma_severity(),
            lineno,
            "ksumma_mismatch",
            f"Line {lineno}: #KSUMMA value {value!r} is not a number.",
            value=str(value)[:40],
        )
        return
    expected = int(value)
    ks_flush(state)
    if expected == state.ks_crc:
        state.ks_state = "verified"
        state.diag(
            "info", lineno, "ksumma_verified", f"Line {lineno}: the #KSUMMA checksum matches."
        )
    elif state.ks_lists:
        # The rule for non-empty object lists is not settled (no checksummed sample has
        # one); the other reading is tried after the last line, in a second pass.
        state.ks_state = "mismatch"
        state.ks_alt_expected = expected
    else:
        state.ks_state = "mismatch"
        ksumma_mismatch(state, expected, lineno, state.options.ksumma_severity(), "")


def ks_flush(state: ReadState) -> None:
    """Add the waiting checksum texts to the running CRC."""
    state.ks_crc = zlib.crc32(cp437_bytes("".join(state.ks_parts)), state.ks_crc)
    state.ks_parts.clear()


def ksumma_mismatch(
    state: ReadState, expected: int, lineno: int, severity: Severity, note: str
) -> None:
    state.diag(
        severity,
        lineno,
        "ksumma_mismatch",
        f"Line {lineno}: #KSUMMA says {expected} but the records sum to {state.ks_crc}; "
        f"the file was changed or damaged after export.{note}",
        expected=expected,
        found=state.ks_crc,
    )


def alternative_checksum(state: ReadState, stream: BinaryIO, expected: int) -> None:
    """Second pass for a file whose object lists may be summed as written."""
    opened, closed = state.ks_opened_at or 0, state.ks_closed_at or 0
    crc = 0
    try:
        stream.seek(state.stream_start)
        for lineno, raw in enumerate(stream, 1):
            if lineno <= opened:
                continue
            if lineno >= closed:
                break
            line = raw.decode(state.detected.codec, "replace").strip()
            if line.startswith("#"):
                fields, _ = tokenize(line)
                text = checksum_text_raw_lists(fields, line)
                crc = zlib.crc32(text.encode("cp437", "replace"), crc)
    except OSError:
        crc = -1
    if crc == expected:
        state.ks_state = "verified"
        state.diag(
            "warning",
            closed,
            "ksumma_alternative_reading",
            f"Line {closed}: #KSUMMA matches only when object lists are summed as written "
            "(quotes and spaces kept); accepted.",
        )
    else:
        # A mismatch here may be the writer's reading of the unsettled rule rather than
        # damage, hence a warning.
        ksumma_mismatch(
            state, expected, closed, "warning", " Both readings of object lists were tried."
        )
