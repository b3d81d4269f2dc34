"""SIE 4 reader and writer (pure Python; no Django, no ORM).

Read with :func:`read_sie` (whole file) or :func:`iter_sie` (streaming), reconcile with
:func:`reconcile`, write with :func:`write_sie4e`, report with :func:`inspect_path`.
Nothing here raises on bad input: problems come back as :class:`Diagnostic` records.
"""

from __future__ import annotations

from .inspect import (
    InspectReport,
    format_inspect_report,
    inspect_path,
    inspect_report,
    to_json,
)
from .options import LENIENT_INSPECT, STRICT_IMPORT, ReadOptions
from .reader import iter_sie, read_sie
from .reconcile import (
    AccountSum,
    Reconciler,
    Reconciliation,
    ReconciliationRow,
    SeriesCount,
    reconcile,
)
from .records import (
    Account,
    Balance,
    Diagnostic,
    Dimension,
    Entry,
    FiscalYear,
    Header,
    Object,
    SieFile,
    Summary,
    Transaction,
    Voucher,
)
from .writer import SieWriter, write_sie4e, write_sie_file

__all__ = [
    "LENIENT_INSPECT",
    "STRICT_IMPORT",
    "Account",
    "AccountSum",
    "Balance",
    "Diagnostic",
    "Dimension",
    "Entry",
    "FiscalYear",
    "Header",
    "InspectReport",
    "Object",
    "ReadOptions",
    "Reconciler",
    "Reconciliation",
    "ReconciliationRow",
    "SeriesCount",
    "SieFile",
    "SieWriter",
    "Summary",
    "Transaction",
    "Voucher",
    "format_inspect_report",
    "inspect_path",
    "inspect_report",
    "iter_sie",
    "read_sie",
    "reconcile",
    "to_json",
    "write_sie4e",
    "write_sie_file",
]
