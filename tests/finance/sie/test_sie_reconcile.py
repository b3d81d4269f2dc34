"""Reconciliation: opening balance plus vouchers against the stated closing balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from samverkan.finance.sie import (
    Account,
    Balance,
    Header,
    Reconciler,
    SieFile,
    Transaction,
    Voucher,
    reconcile,
)


def voucher(series: str, *rows: tuple[str, str]) -> Voucher:
    return Voucher(
        series=series,
        number="1",
        date=date(2024, 1, 5),
        transactions=tuple(Transaction(account=a, amount=Decimal(x)) for a, x in rows),
    )


def balance(kind: str, account: str, amount: str, year: int = 0) -> Balance:
    return Balance(kind=kind, year_index=year, account=account, amount=Decimal(amount))  # type: ignore[arg-type]


def test_a_file_that_reconciles_has_no_differences() -> None:
    sie = SieFile(
        header=Header(),
        balances=(
            balance("IB", "1930", "1000"),
            balance("UB", "1930", "900"),
            balance("RES", "5010", "100"),
        ),
        vouchers=(voucher("A", ("5010", "100"), ("1930", "-100")),),
    )
    result = reconcile(sie)
    assert result.differences == ()
    assert result.balance_side_checked and result.result_side_checked
    row = next(r for r in result.rows if r.account == "1930")
    assert (row.kind, row.opening, row.movements, row.closing_expected, row.closing_stated) == (
        "balance",
        Decimal(1000),
        Decimal(-100),
        Decimal(900),
        Decimal(900),
    )


def test_a_difference_names_the_account_and_the_amounts() -> None:
    sie = SieFile(
        header=Header(),
        balances=(balance("IB", "1930", "1000"), balance("UB", "1930", "950")),
        vouchers=(voucher("A", ("5010", "100"), ("1930", "-100")),),
    )
    result = reconcile(sie)
    (row,) = result.differences
    assert (row.account, row.difference, row.closing_given) == ("1930", Decimal(50), True)
    (finding,) = [d for d in result.diagnostics if d.code == "reconciliation_difference"]
    assert finding.severity == "warning"
    assert "1930" in finding.message and "950" in finding.message and "50" in finding.message
    assert finding.figures == {
        "account": "1930",
        "opening": Decimal(1000),
        "movements": Decimal(-100),
        "expected": Decimal(900),
        "stated": Decimal(950),
        "difference": Decimal(50),
    }
    assert not result.result_side_checked  # no #RES 0 in the file


def test_an_absent_closing_balance_counts_as_zero() -> None:
    sie = SieFile(
        header=Header(),
        balances=(balance("UB", "1930", "-100"),),
        vouchers=(voucher("A", ("2440", "100"), ("1930", "-100")),),
    )
    (row,) = reconcile(sie).differences
    assert (row.account, row.closing_given, row.difference) == ("2440", False, Decimal(-100))


def test_ktyp_decides_the_side_before_the_bas_number() -> None:
    sie = SieFile(
        header=Header(),
        accounts=(Account(number="3999", type="T"), Account(number="1999", type="K")),
        balances=(balance("UB", "3999", "7"), balance("RES", "1999", "-7")),
        vouchers=(voucher("A", ("3999", "7"), ("1999", "-7")),),
    )
    result = reconcile(sie)
    assert {r.account: r.kind for r in result.rows} == {"3999": "balance", "1999": "result"}
    assert result.differences == ()


def test_files_without_closing_balances_are_not_reconciled() -> None:
    sie = SieFile(header=Header(), vouchers=(voucher("A", ("1930", "1"), ("3010", "-1")),))
    result = reconcile(sie)
    assert result.rows == ()
    assert not result.balance_side_checked and not result.result_side_checked


def test_sums_per_account_split_debit_and_credit() -> None:
    sie = SieFile(
        header=Header(),
        vouchers=(
            voucher("A", ("1930", "100"), ("3010", "-100")),
            voucher("A", ("1930", "-30"), ("3010", "30")),
        ),
    )
    sums = {s.account: (s.debit, s.credit, s.net, s.rows) for s in reconcile(sie).account_sums}
    assert sums == {
        "1930": (Decimal(100), Decimal(30), Decimal(70), 2),
        "3010": (Decimal(30), Decimal(100), Decimal(-70), 2),
    }


def test_vouchers_are_counted_per_series() -> None:
    sie = SieFile(
        header=Header(),
        vouchers=(
            voucher("A", ("1930", "1"), ("3010", "-1")),
            voucher("B", ("1930", "1"), ("3010", "-1"), ("3010", "0")),
            voucher("A", ("1930", "1"), ("3010", "-1")),
        ),
    )
    series = [(s.series, s.vouchers, s.rows) for s in reconcile(sie).series]
    assert series == [("A", 2, 4), ("B", 1, 3)]


def test_history_rows_do_not_count() -> None:
    v = Voucher(
        series="A",
        number="1",
        date=date(2024, 1, 5),
        transactions=(Transaction(account="1930", amount=Decimal(5)),),
        history=(Transaction(account="1930", amount=Decimal(500), kind="BTRANS"),),
    )
    sums = reconcile(SieFile(header=Header(), vouchers=(v,))).account_sums
    assert [(s.account, s.net) for s in sums] == [("1930", Decimal(5))]


def test_a_file_with_only_ub_minus_one_takes_openings_as_zero_and_says_so() -> None:
    sie = SieFile(
        header=Header(),
        balances=(balance("UB", "1930", "10", year=-1), balance("UB", "1930", "5")),
        vouchers=(voucher("A", ("1930", "5"), ("3010", "-5")),),
    )
    result = reconcile(sie)
    assert result.differences == ()
    assert [d.code for d in result.diagnostics] == ["no_opening_balances"]


def test_the_streaming_reconciler_gives_the_same_result() -> None:
    sie = SieFile(
        header=Header(),
        balances=(balance("IB", "1930", "1"), balance("UB", "1930", "2")),
        vouchers=(voucher("A", ("1930", "1"), ("3010", "-1")),),
    )
    reconciler = Reconciler()
    for balance_record in sie.balances:
        reconciler.add(balance_record)
    for voucher_record in sie.vouchers:
        reconciler.add(voucher_record)
    assert reconciler.result() == reconcile(sie)
