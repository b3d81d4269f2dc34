"""The ledger maths, without a database."""

from __future__ import annotations

from decimal import Decimal

from samverkan.finance.ledger import (
    Entry,
    FundBalance,
    carry_forward,
    category_totals,
    fee_charges,
    fund_balances,
    total,
    transfer_imbalances,
)

D = Decimal


def income(fund: str, amount: str, category: str = "avgifter", **kw: str) -> Entry:
    return Entry(fund=fund, category=category, kind="income", amount=D(amount), **kw)


def cost(fund: str, amount: str, category: str = "personal", **kw: str) -> Entry:
    return Entry(fund=fund, category=category, kind="cost", amount=D(amount), **kw)


def test_closing_is_opening_plus_income_minus_costs() -> None:
    balances = fund_balances(
        [income("drift", "1954940"), cost("drift", "1844088")], {"drift": D("10")}
    )
    assert balances["drift"] == FundBalance(
        fund="drift", opening=D("10"), income=D("1954940"), costs=D("1844088")
    )
    assert balances["drift"].closing == D("110862")


def test_a_fund_with_only_an_opening_balance_gets_a_row() -> None:
    balances = fund_balances([], {"drift-2018": D("110852")})
    assert balances["drift-2018"].closing == D("110852")


def test_named_funds_come_first_and_keep_their_order() -> None:
    balances = fund_balances([cost("b", "1"), cost("a", "1")], {}, funds=["c", "a"])
    assert list(balances) == ["c", "a", "b"]


def test_the_total_row_sums_every_column() -> None:
    row = total(
        [
            FundBalance(fund="a", opening=D(1), income=D(2), costs=D(3)),
            FundBalance(fund="b", opening=D(10), income=D(20), costs=D(5)),
        ]
    )
    assert (row.opening, row.income, row.costs, row.closing) == (D(11), D(22), D(8), D(25))


def test_category_totals_sum_a_funds_lines_per_category() -> None:
    entries = [
        cost("p", "417334", "konsult"),
        cost("p", "15195", "lokal"),
        cost("p", "273121", "konsult"),
        cost("q", "5", "konsult"),
    ]
    totals = {t.category: t.amount for t in category_totals(entries, "p")}
    assert totals == {"konsult": D("690455"), "lokal": D("15195")}


def test_a_transfer_whose_sides_cancel_is_not_reported() -> None:
    entries = [cost("drift", "179849", transfer="t1"), income("projekt", "179849", transfer="t1")]
    assert transfer_imbalances(entries) == {}


def test_a_transfer_with_a_missing_or_different_side_is_reported() -> None:
    entries = [
        cost("drift", "179849", transfer="t1"),
        income("projekt", "179848", transfer="t1"),
        cost("drift", "10", transfer="t2"),
    ]
    assert transfer_imbalances(entries) == {"t1": D("-1"), "t2": D("-10")}


def test_carry_forward_takes_closing_balances_and_drops_zeros() -> None:
    previous = {
        "a": FundBalance(fund="a", income=D(5)),
        "b": FundBalance(fund="b", income=D(5), costs=D(5)),
    }
    assert carry_forward(previous) == {"a": D(5)}


def test_fee_is_rate_times_population_exactly() -> None:
    fees = fee_charges(D("4"), {"0127": 91925, "0126": 110003})
    assert fees == {"0127": D("367700"), "0126": D("440012")}
