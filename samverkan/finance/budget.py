"""Budget against outcome, per fund and cost category of a year.

Sign convention: budget and outcome are positive amounts on their side
(income or cost), as the ledger's lines are. The deviation is outcome minus
budget: for a cost a positive deviation is an overrun, for income a
positive deviation is more income than budgeted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from samverkan.finance.accounts import YearAccounts, fund_labels, year_accounts
from samverkan.finance.models import BudgetLine, CostCategory, Fund, FundYear
from samverkan.lib.money import ZERO
from samverkan.members.models import Year


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetRow:
    category: str  # the category's name
    kind: str  # income | cost
    budget: Decimal
    outcome: Decimal

    @property
    def deviation(self) -> Decimal:
        return self.outcome - self.budget


@dataclass(frozen=True, slots=True, kw_only=True)
class FundBudget:
    slug: str
    label: str
    rows: tuple[BudgetRow, ...]

    def total(self, kind: str) -> BudgetRow:
        rows = [r for r in self.rows if r.kind == kind]
        return BudgetRow(
            category="",
            kind=kind,
            budget=sum((r.budget for r in rows), ZERO),
            outcome=sum((r.outcome for r in rows), ZERO),
        )


def year_funds(year: Year) -> list[Fund]:
    """The funds a year's budget is entered for: the operating fund, then the year's other funds."""
    funds = [
        fy.fund
        for fy in FundYear.objects.filter(year=year).select_related("fund").order_by("order")
    ]
    if year.operating_fund_id and all(f.pk != year.operating_fund_id for f in funds):
        funds.insert(0, Fund.objects.get(pk=year.operating_fund_id))
    return funds


def budget_comparison(year: Year, accounts: YearAccounts | None = None) -> tuple[FundBudget, ...]:
    """Per fund with a budget: every category budgeted or booked, with budget, outcome and deviation.

    Empty when the year has no budget at all.
    """
    lines = list(BudgetLine.objects.filter(year=year).select_related("fund", "category"))
    if not lines:
        return ()
    accounts = accounts or year_accounts(year)
    budget: dict[tuple[str, str], Decimal] = {
        (b.fund.slug, b.category.slug): b.amount for b in lines
    }
    outcome: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for entry in accounts.entries:
        outcome[(entry.fund, entry.category)] += entry.amount
    categories = list(
        CostCategory.objects.filter(cooperation_id=year.cooperation_id).order_by("order", "id")
    )
    labels = fund_labels(year)
    funds = {b.fund.slug: b.fund for b in lines}
    result = []
    for fund in year_funds(year) + [f for f in funds.values() if f not in year_funds(year)]:
        if fund.slug not in funds:
            continue
        rows = tuple(
            BudgetRow(
                category=c.name,
                kind=c.kind,
                budget=budget.get((fund.slug, c.slug), ZERO),
                outcome=outcome.get((fund.slug, c.slug), ZERO),
            )
            for c in categories
            if (fund.slug, c.slug) in budget or outcome.get((fund.slug, c.slug))
        )
        result.append(FundBudget(slug=fund.slug, label=labels.get(fund.slug, fund.name), rows=rows))
    return tuple(result)
