"""Strictness switches for the SIE reader, and the two presets used in the project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .records import Severity

KsummaMode = Literal["require", "verify", "ignore"]
EncodingChoice = Literal["auto", "cp437", "utf-8", "cp1252"]
RtransMode = Literal["history", "ignore"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    """How strict the reader is. The reader never raises; options only move findings
    between severities or switch checks on and off.

    - ``allow_unbalanced``: an unbalanced voucher is a *warning* instead of an *error*.
    - ``verify_ksumma``: ``"require"`` – a file without the ``#KSUMMA`` pair is an error and a
      wrong checksum is an error; ``"verify"`` – the checksum is checked when present (wrong
      ⇒ error); ``"ignore"`` – not computed, and a missing closing ``#KSUMMA`` is only a
      warning.
    - ``require_omfattn``: a type 2/3 file with period balances but no ``#OMFATTN`` is an
      *error* (else a *warning*).
    - ``encoding``: ``"auto"`` detects (see :mod:`.encoding`); anything else forces a codec.
    - ``rtrans_mode``: ``"history"`` keeps ``#RTRANS``/``#BTRANS`` rows in
      ``Voucher.history`` and skips each ``#RTRANS``'s ``#TRANS`` twin from the history
      checks; ``"ignore"`` drops both kinds, as an old reader would. Either way only the
      ``#TRANS`` rows form the voucher and its balance.
    - ``max_repeats``: after this many diagnostics with the same code the rest are counted
      and reported in one closing ``suppressed_diagnostics`` finding, so that a damaged
      50 MB file cannot produce millions of findings.
    """

    allow_unbalanced: bool = False
    verify_ksumma: KsummaMode = "verify"
    require_omfattn: bool = True
    encoding: EncodingChoice = "auto"
    rtrans_mode: RtransMode = "history"
    max_repeats: int = 200

    def unbalanced_severity(self) -> Severity:
        """Severity of ``unbalanced_voucher``."""
        return "warning" if self.allow_unbalanced else "error"

    def omfattn_severity(self) -> Severity:
        """Severity of ``missing_omfattn``."""
        return "error" if self.require_omfattn else "warning"

    def ksumma_severity(self) -> Severity:
        """Severity of checksum problems (mismatch, truncated file)."""
        return "warning" if self.verify_ksumma == "ignore" else "error"


STRICT_IMPORT = ReadOptions()
"""For importing into the ledger: unbalanced vouchers, wrong checksums, truncated files and a
missing ``#OMFATTN`` in period-balance files are errors that must block the import."""

LENIENT_INSPECT = ReadOptions(allow_unbalanced=True, require_omfattn=False)
"""For looking at a file: the same checks, but unbalanced vouchers and a missing
``#OMFATTN`` are warnings, so the rest of the file can still be examined. Checksum
mismatches and truncation stay errors: they mean the bytes are not what was exported."""
