"""Reconciling vouchers against stated balances (pure; works on records only).

For a file with vouchers, each balance-sheet account must satisfy
``IB(0) + Σ #TRANS = UB(0)`` and each income-statement account ``Σ #TRANS = RES(0)``.
Zero balances may be left out of a file, so an account without a stated balance counts as
zero (``ReconciliationRow.closing_given`` tells the two cases apart). The balance side is
checked only when the file states any ``#UB 0``, the result side only when it states any
``#RES 0`` (4I files carry neither). The opening balance is ``#IB 0`` as stated; ``#UB -1``
is not used in its place, because real files pair a partial ``#UB 0`` with a full ``#UB -1``
(an info finding says so when a file has ``#UB -1`` but no ``#IB 0``).

:class:`Reconciler` accumulates from a stream of entries (constant memory in the number of
vouchers); :func:`reconcile` is the one-call form for a :class:`SieFile`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .records import Account, Balance, Diagnostic, Entry, SieFile, Voucher

AccountKind = Literal["balance", "result"]
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReconciliationRow:
    """One account: what the vouchers imply against what the file states.

    ``difference`` is ``closing_stated - closing_expected``; zero when the account reconciles.
    For result accounts ``opening`` is zero and the closing balance is ``#RES 0``.
    """

    account: str
    kind: AccountKind
    opening: Decimal
    movements: Decimal
    closing_expected: Decimal
    closing_stated: Decimal
    difference: Decimal
    closing_given: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountSum:
    """Movements of one account over all vouchers (current ``#TRANS`` rows only)."""

    account: str
    debit: Decimal
    credit: Decimal
    rows: int

    @property
    def net(self) -> Decimal:
        """Debit minus credit (credit is kept as a positive number)."""
        return self.debit - self.credit


@dataclass(frozen=True, slots=True, kw_only=True)
class SeriesCount:
    """How many vouchers and rows one series holds."""

    series: str
    vouchers: int
    rows: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Reconciliation:
    """Result of :func:`reconcile`: rows per account, sums, counts and findings."""

    rows: tuple[ReconciliationRow, ...]
    account_sums: tuple[AccountSum, ...]
    series: tuple[SeriesCount, ...]
    balance_side_checked: bool
    result_side_checked: bool
    diagnostics: tuple[Diagnostic, ...]

    @property
    def differences(self) -> tuple[ReconciliationRow, ...]:
        """The rows that do not reconcile."""
        return tuple(r for r in self.rows if r.difference)


class Reconciler:
    """Accumulates vouchers, balances and accounts, then reconciles them.

    Feed it every entry of :func:`~.reader.iter_sie` (others are ignored) and call
    :meth:`result`. Memory grows with the number of accounts, not vouchers.
    """

    def __init__(self) -> None:
        # account -> [debit, credit, rows]; one dict lookup per row on the hot path
        self._sums: dict[str, list[Any]] = {}
        self._series: dict[str, list[int]] = {}
        self._stated: dict[tuple[str, int], dict[str, Decimal]] = {}
        self._types: dict[str, str | None] = {}
        self._vouchers = 0

    def add(self, entry: Entry) -> None:
        """Take one entry into account (vouchers, balances, accounts)."""
        if isinstance(entry, Voucher):
            self.add_voucher(entry)
        elif isinstance(entry, Balance):
            self.add_balance(entry)
        elif isinstance(entry, Account):
            self._types[entry.number] = entry.type

    def add_voucher(self, voucher: Voucher) -> None:
        """Add the current rows of one voucher to the per-account sums."""
        rows = voucher.transactions
        self._vouchers += 1
        counts = self._series.get(voucher.series)
        if counts is None:
            counts = self._series[voucher.series] = [0, 0]
        counts[0] += 1
        counts[1] += len(rows)
        sums = self._sums
        for t in rows:
            # Indexing with a rare KeyError is cheaper than get() on this hot path.
            try:
                acc = sums[t.account]
            except KeyError:
                acc = sums[t.account] = [_ZERO, _ZERO, 0]
            amount = t.amount
            if amount.is_signed():
                acc[1] -= amount
            else:
                acc[0] += amount
            acc[2] += 1

    def add_balance(self, balance: Balance) -> None:
        """Remember an account-level ``#IB``/``#UB``/``#RES`` (object balances are ignored)."""
        if balance.kind not in ("IB", "UB", "RES") or balance.objects:
            return
        stated = self._stated.setdefault((balance.kind, balance.year_index), {})
        stated[balance.account] = stated.get(balance.account, _ZERO) + balance.amount

    def result(self) -> Reconciliation:
        """Reconcile what was added so far."""
        sums = tuple(
            AccountSum(account=a, debit=s[0], credit=s[1], rows=s[2])
            for a, s in sorted(self._sums.items())
        )
        series = tuple(
            SeriesCount(series=s, vouchers=c[0], rows=c[1]) for s, c in sorted(self._series.items())
        )
        movements = {s.account: s.net for s in sums}
        closing = self._stated.get(("UB", 0))
        results = self._stated.get(("RES", 0))
        has_vouchers = self._vouchers > 0
        check_balance = has_vouchers and closing is not None
        check_result = has_vouchers and results is not None
        opening = self._stated.get(("IB", 0))
        no_opening = opening is None and ("UB", -1) in self._stated
        opening = opening or {}
        closing = closing or {}
        results = results or {}

        candidates = set(movements)
        if check_balance:
            candidates |= set(closing) | set(opening)
        if check_result:
            candidates |= set(results)
        rows: list[ReconciliationRow] = []
        diagnostics: list[Diagnostic] = []
        unclassified: list[str] = []
        for account in sorted(candidates):
            kind = self._kind(account, closing, opening, results)
            if kind is None:
                unclassified.append(account)
                continue
            moved = movements.get(account, _ZERO)
            if kind == "balance":
                if not check_balance:
                    continue
                start = opening.get(account, _ZERO)
                given = account in closing
                stated = closing.get(account, _ZERO)
            else:
                if not check_result:
                    continue
                start = _ZERO
                given = account in results
                stated = results.get(account, _ZERO)
            expected = start + moved
            row = ReconciliationRow(
                account=account,
                kind=kind,
                opening=start,
                movements=moved,
                closing_expected=expected,
                closing_stated=stated,
                difference=stated - expected,
                closing_given=given,
            )
            rows.append(row)
            if row.difference:
                shown = f"states {stated}" if given else "is absent (zero)"
                what = (
                    f"opening {start} + vouchers {moved} = {expected}, but #UB 0 {shown}"
                    if kind == "balance"
                    else f"vouchers sum to {moved}, but #RES 0 {shown}"
                )
                diagnostics.append(
                    Diagnostic(
                        severity="warning",
                        line=None,
                        code="reconciliation_difference",
                        message=f"Account {account} does not reconcile: {what} "
                        f"(difference {row.difference}).",
                        figures={
                            "account": account,
                            "opening": start,
                            "movements": moved,
                            "expected": expected,
                            "stated": stated if given else None,
                            "difference": row.difference,
                        },
                    )
                )
        if no_opening and check_balance:
            diagnostics.append(
                Diagnostic(
                    severity="info",
                    line=None,
                    code="no_opening_balances",
                    message="The file states no #IB 0, only #UB -1; opening balances were taken "
                    "as zero.",
                )
            )
        if unclassified and (check_balance or check_result):
            diagnostics.append(
                Diagnostic(
                    severity="warning",
                    line=None,
                    code="unclassified_account",
                    message="Not reconciled, since neither #KTYP, stated balances nor the BAS "
                    f"number tell balance from result account: {', '.join(unclassified[:20])}"
                    + (" …" if len(unclassified) > 20 else "")
                    + ".",
                    figures={
                        "accounts": ", ".join(unclassified[:20])
                        + (" …" if len(unclassified) > 20 else "")
                    },
                )
            )
        return Reconciliation(
            rows=tuple(rows),
            account_sums=sums,
            series=series,
            balance_side_checked=check_balance,
            result_side_checked=check_result,
            diagnostics=tuple(diagnostics),
        )

    def _kind(
        self,
        account: str,
        closing: dict[str, Decimal],
        opening: dict[str, Decimal],
        results: dict[str, Decimal],
    ) -> AccountKind | None:
        account_type = self._types.get(account)
        if account_type in ("T", "S"):
            return "balance"
        if account_type in ("K", "I"):
            return "result"
        if account in closing or account in opening:
            return "balance"
        if account in results:
            return "result"
        # BAS chart: classes 1–2 are the balance sheet, 3–8 the income statement.
        first = account[:1]
        if first in ("1", "2"):
            return "balance"
        if first in ("3", "4", "5", "6", "7", "8"):
            return "result"
        return None


def reconcile(source: SieFile | Iterable[Entry]) -> Reconciliation:
    """Reconcile a whole file (or a stream of entries) and return rows and findings."""
    reconciler = Reconciler()
    if isinstance(source, SieFile):
        for account in source.accounts:
            reconciler.add(account)
        for balance in source.balances:
            reconciler.add_balance(balance)
        for voucher in source.vouchers:
            reconciler.add_voucher(voucher)
    else:
        for entry in source:
            reconciler.add(entry)
    return reconciler.result()
