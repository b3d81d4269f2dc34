"""The state of one SIE read, and how findings are queued.

:class:`ReadState` holds everything the reader remembers while it goes through a file (the
header and chart so far, the open voucher, the running checksum, counters) and the two
ways a finding is recorded: :meth:`ReadState.diag` queues it at once, :meth:`ReadState.tally`
counts it for one finding at the end of the file. The record handlers in the other private
modules are plain functions that take this state as their first argument.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from .encoding import DetectedEncoding
from .options import ReadOptions
from .records import (
    Account,
    Diagnostic,
    Dimension,
    Entry,
    Figure,
    FiscalYear,
    KsummaState,
    Object,
    Severity,
    Transaction,
)
from .tokenizer import Field


class OpenVoucher:
    """The voucher being read: its #VER fields and the rows seen so far (mutable)."""

    __slots__ = (
        "series",
        "number",
        "date",
        "text",
        "reg_date",
        "sign",
        "line",
        "rows",
        "history",
        "pending_rtrans",
        "unreadable_rows",
        "in_block",
    )

    def __init__(
        self,
        series: str,
        number: str,
        date: date | None,
        text: str,
        reg_date: date | None,
        sign: str,
        line: int,
    ) -> None:
        self.series = series
        self.number = number
        self.date = date
        self.text = text
        self.reg_date = reg_date
        self.sign = sign
        self.line = line
        self.rows: list[Transaction] = []
        self.history: list[Transaction] = []
        self.pending_rtrans: Transaction | None = None
        self.unreadable_rows = 0
        self.in_block = False


def vid(voucher: OpenVoucher) -> str:
    """The voucher's series and number as findings name it (``""`` for an empty one)."""
    empty = '""'
    return f"{voucher.series or empty} {voucher.number or empty}"


Handler = Callable[["ReadState", str, list[Field], int], None]
"""A record handler: the state of the read, the label, the tokenized fields (the label
first) and the line number."""


class ReadState:
    """What one read of a file remembers, and its queue of findings. Not reusable."""

    def __init__(self, options: ReadOptions, detected: DetectedEncoding) -> None:
        self.options = options
        self.detected = detected
        # What the reader has to yield next: findings and records, in file order.
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
        self.object_lines: dict[tuple[str, str], int] = {}
        self.chart_sent = False
        self.late_reported = False
        self.unknown_labels: set[str] = set()
        # vouchers and balances
        self.voucher: OpenVoucher | None = None
        self.voucher_count = 0
        self.transaction_count = 0
        self.period_balances = 0
        # checksum
        self.ks_state: KsummaState = "absent"
        self.ks_compute = options.verify_ksumma != "ignore"
        self.ks_open = False
        self.ks_crc = 0
        # Checksum texts wait here and are summed in batches: CRC-32 over the joined text
        # equals the chained sums, and one encode per batch is far cheaper than per record.
        self.ks_parts: list[str] = []
        self.ks_alt_expected: int | None = None
        self.ks_opened_at: int | None = None
        self.stream_start = 0
        self.ks_lists = False
        self.ks_closed_at: int | None = None
        self.after_ks_reported = False
        # encoding findings
        self.lossy_lines = 0
        self.lossy_first: int | None = None
        # account numbers: those already checked for their form, the first record that used
        # each (label and line), those a #KONTO declared, and #SRU lines per account
        self.checked_numbers: set[str] = set()
        self.used_accounts: dict[str, tuple[str, int]] = {}
        self.declared_accounts: set[str] = set()
        self.sru_lines: dict[str, int] = {}
        self.account_balances = 0
        # voucher ids: how many vouchers lack a number, and the first line of one that has one
        self.unnumbered_vouchers = 0
        self.first_numbered: int | None = None
        # findings reported once per file: code -> [count, first line, figures of the first]
        self.tallies: dict[str, list[Any]] = {}

    def diag(
        self, severity: Severity, line: int | None, code: str, message: str, **figures: Figure
    ) -> None:
        """Queue a finding, unless this code already hit ``max_repeats``."""
        n = self.counts.get(code, 0) + 1
        self.counts[code] = n
        if n > self.options.max_repeats:
            count, worst = self.suppressed.get(code, (0, "info"))
            self.suppressed[code] = (count + 1, _worse(worst, severity))
            return
        self.out.append(
            Diagnostic(severity=severity, line=line, code=code, message=message, figures=figures)
        )

    def tally(self, code: str, lineno: int, **figures: Figure) -> None:
        """Count a finding that the end of the file reports once, with the count and the
        first line (see :func:`~._endcheck.finish`)."""
        seen = self.tallies.get(code)
        if seen is None:
            self.tallies[code] = [1, lineno, figures]
        else:
            seen[0] += 1


_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _worse(a: Severity, b: Severity) -> Severity:
    return a if _SEVERITY_RANK[a] >= _SEVERITY_RANK[b] else b
