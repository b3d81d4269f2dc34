"""The #KSUMMA checksum: a CRC-32 over the records between the opening and closing #KSUMMA.

Record texts wait in ``ks_parts`` and are summed in batches (see :class:`~._state.ReaderState`).
Where the file has non-empty object lists and the sum does not match, a second pass after
the last line tries the other reading of the rule for them.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO

from ._fast import INT_RE, cp437_bytes, field_text
from ._state import ReaderState
from .records import Severity
from .tokenizer import Field, checksum_text, checksum_text_raw_lists, tokenize


class ChecksumRecords(ReaderState):
    """Reads #KSUMMA records and keeps the running checksum."""

    def checksum(self, fields: list[Field], line: str) -> None:
        self.ks_parts.append(checksum_text(fields))
        if not self.ks_lists and any(isinstance(f, tuple) and f for f in fields):
            self.ks_lists = True

    def ksumma(self, fields: list[Field], lineno: int) -> None:
        value = field_text(fields, 1)
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
            self.ks_opened_at = lineno
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
        if not INT_RE.fullmatch(value):
            self.ks_state = "mismatch"
            self.diag(
                self.options.ksumma_severity(),
                lineno,
                "ksumma_mismatch",
                f"Line {lineno}: #KSUMMA value {value!r} is not a number.",
            )
            return
        expected = int(value)
        self.ks_flush()
        if expected == self.ks_crc:
            self.ks_state = "verified"
            self.diag(
                "info", lineno, "ksumma_verified", f"Line {lineno}: the #KSUMMA checksum matches."
            )
        elif self.ks_lists:
            # The rule for non-empty object lists is not settled (no checksummed sample has
            # one); the other reading is tried after the last line, in a second pass.
            self.ks_state = "mismatch"
            self.ks_alt_expected = expected
        else:
            self.ks_state = "mismatch"
            self.ksumma_mismatch(expected, lineno, self.options.ksumma_severity(), "")

    def ks_flush(self) -> None:
        """Add the waiting checksum texts to the running CRC."""
        self.ks_crc = zlib.crc32(cp437_bytes("".join(self.ks_parts)), self.ks_crc)
        self.ks_parts.clear()

    def ksumma_mismatch(self, expected: int, lineno: int, severity: Severity, note: str) -> None:
        self.diag(
            severity,
            lineno,
            "ksumma_mismatch",
            f"Line {lineno}: #KSUMMA says {expected} but the records sum to {self.ks_crc}; "
            f"the file was changed or damaged after export.{note}",
        )

    def alternative_checksum(self, stream: BinaryIO, expected: int) -> None:
        """Second pass for a file whose object lists may be summed as written."""
        opened, closed = self.ks_opened_at or 0, self.ks_closed_at or 0
        crc = 0
        try:
            stream.seek(self.stream_start)
            for lineno, raw in enumerate(stream, 1):
                if lineno <= opened:
                    continue
                if lineno >= closed:
                    break
                line = raw.decode(self.detected.codec, "replace").strip()
                if line.startswith("#"):
                    fields, _ = tokenize(line)
                    text = checksum_text_raw_lists(fields, line)
                    crc = zlib.crc32(text.encode("cp437", "replace"), crc)
        except OSError:
            crc = -1
        if crc == expected:
            self.ks_state = "verified"
            self.diag(
                "warning",
                closed,
                "ksumma_alternative_reading",
                f"Line {closed}: #KSUMMA matches only when object lists are summed as written "
                "(quotes and spaces kept); accepted.",
            )
        else:
            # A mismatch here may be the writer's reading of the unsettled rule rather than
            # damage, hence a warning.
            self.ksumma_mismatch(
                expected, closed, "warning", " Both readings of object lists were tried."
            )
