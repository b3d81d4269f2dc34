"""Pure ledger maths over immutable records: no database, no Django.

Sign convention: an Entry's amount is positive for both kinds; `kind` says
whether it is income or cost. A fund's closing balance is
opening + income - costs. Totals are always derived from entries, never
stored next to them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from samverkan.lib.money import ZERO

Kind = Literal["income", "cost"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One accounts line as the maths sees it.

    fund, category: slugs. transfer: a key shared by the two lines of a
    transfer between funds (cost in the sending fund, income in the receiving
    one), empty otherwise. member, project, grant: optional slugs or codes.
    """

    fund: str
    category: str
    kind: Kind
    amount: Decimal
    text: str = ""
    transfer: str = ""
    member: str = ""
    project: str = ""
    grant: str = ""
    derived: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FundBalance:
    fund: str
    opening: Decimal = ZERO
    income: Decimal = ZERO
    costs: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.income - self.costs

    @property
    def result(self) -> Decimal:
        return self.income - self.costs


@dataclass(frozen=True, slots=True, kw_only=True)
class CategoryTotal:
    category: str
    kind: Kind
    amount: Decimal
    entries: tuple[Entry, ...] = field(default_factory=tuple)


def signed(entry: Entry) -> Decimal:
    """The entry's effect on its fund's balance: + for income, - for cost."""
    return entry.amount if entry.kind == "income" else -entry.amount


def fund_balances(
    entries: Iterable[Entry], openings: Mapping[str, Decimal], funds: Iterable[str] = ()
) -> dict[str, FundBalance]:
    """Opening, income and costs per fund.

    Every fund that has an opening balance, an entry, or is named in `funds`
    gets a row; rows keep the order in which funds are first seen (named
    funds first, then openings, then entries).
    """
    order: list[str] = []
    income: dict[str, Decimal] = defaultdict(lambda: ZERO)
    costs: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def see(slug: str) -> None:
        if slug not in income and slug not in costs:
            income[slug] = ZERO
            costs[slug] = ZERO
            order.append(slug)

    for slug in funds:
        see(slug)
    for slug in openings:
        see(slug)
    for entry in entries:
        see(entry.fund)
        if entry.kind == "income":
            income[entry.fund] += entry.amount
        else:
            costs[entry.fund] += entry.amount
    return {
        slug: FundBalance(
            fund=slug, opening=openings.get(slug, ZERO), income=income[slug], costs=costs[slug]
        )
        for slug in order
    }


def total(balances: Iterable[FundBalance]) -> FundBalance:
    """The sum row over funds."""
    opening = income = costs = ZERO
    for row in balances:
        opening += row.opening
        income += row.income
        costs += row.costs
    return FundBalance(fund="", opening=opening, income=income, costs=costs)


def category_totals(entries: Iterable[Entry], fund: str) -> list[CategoryTotal]:
    """One fund's entries summed per (kind, category), in first-seen order."""
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        if entry.fund == fund:
            grouped.setdefault((entry.kind, entry.category), []).append(entry)
    return [
        CategoryTotal(
            category=category,
            kind=kind,  # type: ignore[arg-type]
            amount=sum((e.amount for e in items), ZERO),
            entries=tuple(items),
        )
        for (kind, category), items in grouped.items()
    ]


def transfer_imbalances(entries: Iterable[Entry]) -> dict[str, Decimal]:
    """Transfers whose two sides do not cancel: key -> income minus cost (0 is dropped)."""
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if entry.transfer:
            net[entry.transfer] += signed(entry)
    return {key: value for key, value in net.items() if value != ZERO}


def carry_forward(previous: Mapping[str, FundBalance]) -> dict[str, Decimal]:
    """Next year's opening balances: each fund's closing balance, zero balances dropped."""
    return {slug: row.closing for slug, row in previous.items() if row.closing != ZERO}


def fee_charges(rate: Decimal, populations: Mapping[str, int]) -> dict[str, Decimal]:
    """Each member's fee: rate (kronor per inhabitant) times its basis population."""
    return {code: rate * Decimal(population) for code, population in populations.items()}


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeCharge:
    """One member's fee of a year: the rate times its population at the basis date."""

    member_code: str
    member_name: str
    basis_date: dt.date
    population: int | None
    rate: Decimal
    amount: Decimal | None  # None when the basis population is missing
    source: str = ""  # where the basis population came from (PopulationFigure.source_label)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeSchedule:
    """The members' fees of a year (members.fees.fee_schedule builds it from the database)."""

    year: int
    rate: Decimal | None
    basis_date: dt.date | None
    charges: tuple[FeeCharge, ...]

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.charges if c.amount is not None), Decimal(0))

    @property
    def basis_population(self) -> int:
        return sum(c.population or 0 for c in self.charges)

    @property
    def missing(self) -> list[FeeCharge]:
        return [c for c in self.charges if c.amount is None]


@dataclass(frozen=True, slots=True, kw_only=True)
class YearAccounts:
    """A year's accounts: its entries, each fund's balances and the members' fees.

    finance.accounts builds it from the database; everything here is immutable
    (the mappings are read-only views), so one object can be shared.
    """

    year: int
    entries: tuple[Entry, ...]
    balances: Mapping[str, FundBalance]
    stated_openings: Mapping[str, Decimal]
    previous_closing: Mapping[str, Decimal] | None  # None: the previous year is not in the system
    fees: FeeSchedule
    fees_derived: bool  # True: fee income computed from the rule; False: booked lines exist
    fee_category: str | None

    @property
    def total(self) -> FundBalance:
        return total(self.balances.values())
