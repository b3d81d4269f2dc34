"""A readable account of what a SIE file holds: the ``samverkan sie inspect FILE`` report.

:func:`inspect_report` works on a :class:`SieFile` or directly on the stream of
:func:`iter_sie` (constant memory in the number of vouchers); :func:`format_inspect_report`
renders it as text and :func:`to_json` as JSON. :func:`inspect_path` does all three steps for
the command line and returns the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .encoding import display_name
from .options import LENIENT_INSPECT, ReadOptions
from .reader import iter_sie
from .reconcile import AccountSum, Reconciler, Reconciliation, SeriesCount
from .records import (
    Account,
    Balance,
    Diagnostic,
    Dimension,
    Entry,
    Header,
    KsummaState,
    Object,
    SieFile,
    Summary,
    Voucher,
)

__all__ = [
    "LABELS",
    "DimensionSummary",
    "InspectReport",
    "format_inspect_report",
    "inspect_path",
    "inspect_report",
    "to_json",
]

LABELS: dict[str, str] = {
    "title": "SIE file",
    "program": "Program",
    "company": "Company",
    "org_number": "Org. number",
    "sie_type": "SIE type",
    "encoding": "Encoding",
    "lines": "Lines",
    "generated": "Generated",
    "fiscal_years": "Fiscal years",
    "currency": "Currency",
    "chart": "Chart of accounts",
    "accounts": "Accounts",
    "dimensions": "Dimensions and objects",
    "objects": "objects",
    "balances": "Balance records",
    "vouchers": "Vouchers",
    "rows": "rows",
    "series": "Series",
    "account_sums": "Movements per account",
    "debit": "Debit",
    "credit": "Credit",
    "net": "Net",
    "reconciliation": "Reconciliation (opening + vouchers = closing)",
    "not_checked": "not checked (no vouchers, or no #UB 0 / #RES 0 in the file)",
    "reconciled": "all {n} accounts reconcile",
    "differences": "{n} of {total} accounts differ",
    "account": "Account",
    "opening": "Opening",
    "movements": "Vouchers",
    "expected": "Expected",
    "stated": "Stated",
    "difference": "Difference",
    "ksumma": "Checksum (#KSUMMA)",
    "diagnostics": "Findings",
    "none": "none",
    "verdict_ok": "Result: no errors ({warnings} warnings).",
    "verdict_errors": "Result: {errors} errors, {warnings} warnings.",
    "ksumma.absent": "not present",
    "ksumma.verified": "verified",
    "ksumma.mismatch": "MISMATCH",
    "ksumma.truncated": "opening without closing: file truncated",
    "ksumma.not_checked": "present, not checked",
}
"""Every user-facing label of the text report, in one place (English)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DimensionSummary:
    """A dimension and how many objects the file declares in it."""

    number: str
    name: str
    parent: str | None
    objects: int


@dataclass(frozen=True, slots=True, kw_only=True)
class InspectReport:
    """Everything the inspect command shows about one file."""

    header: Header
    encoding: str
    line_count: int
    ksumma: KsummaState
    accounts: int
    dimensions: tuple[DimensionSummary, ...]
    balance_counts: tuple[tuple[str, int], ...]
    voucher_count: int
    transaction_count: int
    series: tuple[SeriesCount, ...]
    account_sums: tuple[AccountSum, ...]
    reconciliation: Reconciliation
    diagnostics: tuple[Diagnostic, ...]

    @property
    def all_diagnostics(self) -> tuple[Diagnostic, ...]:
        """Reader findings followed by reconciliation findings."""
        return self.diagnostics + self.reconciliation.diagnostics

    @property
    def error_count(self) -> int:
        """Number of findings of severity ``error``."""
        return sum(1 for d in self.all_diagnostics if d.severity == "error")

    @property
    def warning_count(self) -> int:
        """Number of findings of severity ``warning``."""
        return sum(1 for d in self.all_diagnostics if d.severity == "warning")

    @property
    def exit_code(self) -> int:
        """0 when there is no error, 1 otherwise."""
        return 1 if self.error_count else 0


def inspect_report(source: SieFile | Iterable[Entry]) -> InspectReport:
    """Build the report from a whole file or from the entries of :func:`iter_sie`."""
    entries = _entries_of(source) if isinstance(source, SieFile) else source
    header = Header()
    accounts: set[str] = set()
    dimensions: dict[str, Dimension] = {}
    objects: set[tuple[str, str]] = set()
    balance_counts: dict[str, int] = {}
    diagnostics: list[Diagnostic] = []
    summary: Summary | None = None
    reconciler = Reconciler()
    vouchers = 0
    rows = 0
    for entry in entries:
        if isinstance(entry, Voucher):
            vouchers += 1
            rows += len(entry.transactions)
            reconciler.add_voucher(entry)
        elif isinstance(entry, Balance):
            balance_counts[entry.kind] = balance_counts.get(entry.kind, 0) + 1
            reconciler.add_balance(entry)
        elif isinstance(entry, Diagnostic):
            diagnostics.append(entry)
        elif isinstance(entry, Account):
            accounts.add(entry.number)
            reconciler.add(entry)
        elif isinstance(entry, Object):
            objects.add((entry.dimension, entry.id))
        elif isinstance(entry, Dimension):
            dimensions[entry.number] = entry
        elif isinstance(entry, Header):
            header = entry
        else:
            summary = entry
    per_dim: dict[str, int] = {}
    for dim, _ in objects:
        per_dim[dim] = per_dim.get(dim, 0) + 1
    dim_numbers = sorted(set(dimensions) | set(per_dim), key=_natural)
    dims = tuple(
        DimensionSummary(
            number=n,
            name=dimensions[n].name if n in dimensions else "",
            parent=dimensions[n].parent if n in dimensions else None,
            objects=per_dim.get(n, 0),
        )
        for n in dim_numbers
    )
    reconciliation = reconciler.result()
    order = ("IB", "UB", "RES", "OIB", "OUB", "PSALDO", "PBUDGET")
    return InspectReport(
        header=header,
        encoding=summary.encoding if summary else "",
        line_count=summary.line_count if summary else 0,
        ksumma=summary.ksumma if summary else "absent",
        accounts=len(accounts),
        dimensions=dims,
        balance_counts=tuple((k, balance_counts[k]) for k in order if k in balance_counts),
        voucher_count=vouchers,
        transaction_count=rows,
        series=reconciliation.series,
        account_sums=reconciliation.account_sums,
        reconciliation=reconciliation,
        diagnostics=tuple(diagnostics),
    )


def _entries_of(sie: SieFile) -> Iterable[Entry]:
    yield sie.header
    yield from sie.accounts
    yield from sie.dimensions
    yield from sie.objects
    yield from sie.balances
    yield from sie.vouchers
    yield from sie.diagnostics
    if sie.summary is not None:
        yield sie.summary


def format_inspect_report(report: InspectReport) -> str:
    """Render the report as plain text for a terminal."""
    L = LABELS
    h = report.header
    out: list[str] = [L["title"], "=" * len(L["title"])]

    def kv(key: str, value: object) -> None:
        out.append(f"{L[key] + ':':<20}{value}")

    kv("program", f"{h.program} {h.program_version}".strip() or "–")
    kv("company", h.company_name or "–")
    kv("org_number", h.org_number or "–")
    kv("sie_type", h.sie_type if h.sie_type is not None else "–")
    kv("encoding", display_name(report.encoding) if report.encoding else "–")
    kv("lines", report.line_count)
    kv("generated", h.generated_on or "–")
    years = ", ".join(f"{y.index}: {y.start or '?'}–{y.end or '?'}" for y in h.fiscal_years)
    kv("fiscal_years", years or "–")
    kv("currency", h.effective_currency)
    kv("ksumma", L[f"ksumma.{report.ksumma}"])
    out.append("")
    kv("accounts", report.accounts)
    if report.balance_counts:
        kv("balances", ", ".join(f"#{k} {n}" for k, n in report.balance_counts))
    out.append(f"{L['dimensions']}:")
    if not report.dimensions:
        out.append(f"  {L['none']}")
    for d in report.dimensions:
        parent = f" (< {d.parent})" if d.parent else ""
        out.append(f"  {d.number:>4} {d.name}{parent}: {d.objects} {L['objects']}")
    out.append("")
    kv("vouchers", f"{report.voucher_count} ({report.transaction_count} {L['rows']})")
    for s in report.series:
        out.append(
            f"  {L['series']} {s.series or chr(34) * 2}: {s.vouchers} ({s.rows} {L['rows']})"
        )
    if report.account_sums:
        out.append("")
        out.append(f"{L['account_sums']}:")
        out.append(f"  {L['account']:<10}{L['debit']:>16}{L['credit']:>16}{L['net']:>16}")
        for a in report.account_sums:
            out.append(f"  {a.account:<10}{a.debit:>16}{a.credit:>16}{a.net:>16}")
    out.append("")
    rec = report.reconciliation
    if not (rec.balance_side_checked or rec.result_side_checked):
        out.append(f"{L['reconciliation']}: {L['not_checked']}")
    else:
        diff = rec.differences
        status = (
            L["differences"].format(n=len(diff), total=len(rec.rows))
            if diff
            else L["reconciled"].format(n=len(rec.rows))
        )
        out.append(f"{L['reconciliation']}: {status}")
        if diff:
            out.append(
                f"  {L['account']:<10}{L['opening']:>15}{L['movements']:>15}"
                f"{L['expected']:>15}{L['stated']:>15}{L['difference']:>15}"
            )
            for r in diff:
                out.append(
                    f"  {r.account:<10}{r.opening:>15}{r.movements:>15}"
                    f"{r.closing_expected:>15}{r.closing_stated:>15}{r.difference:>15}"
                )
    out.append("")
    out.append(f"{L['diagnostics']}:")
    listed = [d for d in report.all_diagnostics if d.code != "reconciliation_difference"]
    if not listed:
        out.append(f"  {L['none']}")
    for finding in listed:
        where = f"line {finding.line}" if finding.line is not None else "file"
        out.append(f"  {finding.severity.upper():<8}{finding.code} ({where}): {finding.message}")
    out.append("")
    if report.error_count:
        out.append(
            L["verdict_errors"].format(errors=report.error_count, warnings=report.warning_count)
        )
    else:
        out.append(L["verdict_ok"].format(warnings=report.warning_count))
    return "\n".join(out) + "\n"


def to_json(report: InspectReport) -> str:
    """Render the report as JSON (amounts as strings, dates as ISO 8601)."""
    return json.dumps(_plain(report), ensure_ascii=False, indent=2, default=_default)


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        data = {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
        if isinstance(value, InspectReport):
            data["error_count"] = value.error_count
            data["warning_count"] = value.warning_count
            data["exit_code"] = value.exit_code
        return data
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _natural(number: str) -> tuple[int, str]:
    return (int(number), "") if number.isdigit() else (1 << 30, number)


def inspect_path(
    path: str, *, options: ReadOptions = LENIENT_INSPECT, as_json: bool = False
) -> tuple[str, int]:
    """Inspect the SIE file at ``path`` through the streaming reader.

    Returns the report (text or JSON) and the exit code: 0 without errors, 1 with errors
    (including a file that cannot be opened).
    """
    report = inspect_report(iter_sie(path, options=options))
    text = to_json(report) if as_json else format_inspect_report(report)
    return text, report.exit_code
