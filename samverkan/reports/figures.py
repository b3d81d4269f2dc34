"""The figures of one year, frozen: what the report, the checks, the open data and the pages read.

`reports.figures_from_db.build_year_figures` gathers them from the database
once per year; everything else reads this object. It holds no model and
asks no database: the checks (`reports.checks`) are pure functions over it,
tested on objects built by hand. Every derived figure is computed here, in
one place: a fund's balances (from `finance.ledger`), a project's booked
cost, an event's cost per participant, a grant's receivable
(`projects.balances`), the members' population at a date, and the figure a
published key names (`derived`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from samverkan.finance.ledger import FundBalance, YearAccounts
from samverkan.lib.figures import FigureKey, parse_key
from samverkan.lib.money import ZERO, round_kronor
from samverkan.projects.balances import GrantBalance, year_cost


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintedFigure:
    """A figure the adopted report printed (the year file's `published`), its key read once."""

    key: str
    place: str = ""
    printed_in: str = ""
    amount: Decimal | None = None
    date: dt.date | None = None
    figure: FigureKey = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "figure", parse_key(self.key))


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFigures:
    """An event of the year and the costs its fund has booked.

    costs: the costs booked in the event's fund; None when it has no fund or
    the fund has no row in the year's accounts.
    """

    slug: str
    name: str
    held: bool
    fund: str | None = None
    participants: int | None = None
    cost_cap_per_participant: Decimal | None = None
    costs: Decimal | None = None

    @property
    def cost_per_participant(self) -> Decimal | None:
        """The fund's costs per participant in whole kronor; None without a fund or participants."""
        if self.fund is None or not self.participants:
            return None
        return round_kronor((self.costs or ZERO) / self.participants)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectFigures:
    """A project of the cooperation: its cost as stated, and as booked in the year's lines."""

    slug: str
    name: str
    stated_cost: Decimal | None = None
    booked_cost: Decimal = ZERO
    has_lines: bool = False  # the year has lines of the project
    # The years up to this one with a part or cost lines, and their costs by the same rule
    # (None when no year states one): a project over several years prints its costs so far.
    years_so_far: tuple[int, ...] = ()
    cost_so_far: Decimal | None = None

    @property
    def cost(self) -> Decimal | None:
        """The cost the report prints: booked when the year has its lines, else as stated."""
        return year_cost(self.booked_cost if self.has_lines else None, self.stated_cost)


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberFigures:
    code: str
    name: str
    joined: int | None = None
    left: int | None = None

    def is_member_in(self, year: int) -> bool:
        return (self.joined is None or self.joined <= year) and (
            self.left is None or year <= self.left
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class StatedPopulation:
    """The inhabitants the year's texts state (Year.population_total and its date)."""

    total: int | None = None
    date: dt.date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class YearFigures:
    """One year's figures. Mappings are read-only and sequences tuples: the object can be shared."""

    year: int
    accounts: YearAccounts
    # The year is decided or published: its accounts are final, nothing more will be booked.
    closed: bool = False
    # Closing balance per fund at the end of every year in the system up to this one, oldest first.
    closings: tuple[tuple[int, Mapping[str, Decimal]], ...] = ()
    fund_labels: Mapping[str, str] = field(default_factory=_empty)  # slug -> name (Fund.label)
    category_names: Mapping[str, str] = field(default_factory=_empty)
    # Transfers between funds are their own kind (report option transfers: separate): a fund's
    # income and costs are then compared without them, as the report prints them.
    transfers_apart: bool = False
    fee_basis: str = ""  # the fee rule's basis, "" without a rule
    fee_basis_label: str = ""
    published: tuple[PrintedFigure, ...] = ()
    events: tuple[EventFigures, ...] = ()
    projects: Mapping[str, ProjectFigures] = field(default_factory=_empty)
    grants: tuple[GrantBalance, ...] = ()
    members: tuple[MemberFigures, ...] = ()
    # Population figures the system holds: date -> member code -> inhabitants.
    population: Mapping[dt.date, Mapping[str, int]] = field(default_factory=_empty)
    stated_population: StatedPopulation = StatedPopulation()

    # --- places and names -------------------------------------------------------------------

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def where(self, *parts: str) -> str:
        """A finding's place: "2020 · part · part" (empty parts left out)."""
        return " · ".join([str(self.year), *[p for p in parts if p]])

    def fund_label(self, slug: str) -> str:
        return self.fund_labels.get(slug, slug)

    def project_name(self, slug: str) -> str:
        project = self.projects.get(slug)
        return project.name if project else slug

    # --- accounts ---------------------------------------------------------------------------

    def fund_balance(self, slug: str) -> FundBalance:
        """The fund's row of the year's accounts (zeros when the fund has none)."""
        return self.accounts.balances.get(slug, FundBalance(fund=slug))

    def transfers(self, kind: str, fund: str | None = None) -> Decimal:
        """Transfer lines of one kind (in one fund, or all), when transfers are shown apart."""
        if not self.transfers_apart:
            return ZERO
        return sum(
            (
                e.amount
                for e in self.accounts.entries
                if e.transfer and e.kind == kind and (fund is None or e.fund == fund)
            ),
            ZERO,
        )

    def booked_fee_income(self) -> Decimal:
        """Income less costs in the fee category, as booked (0 without a fee category)."""
        category = self.accounts.fee_category
        return sum(
            (
                e.amount if e.kind == "income" else -e.amount
                for e in self.accounts.entries
                if category and e.category == category
            ),
            ZERO,
        )

    def co_financing(self, fund: str) -> tuple[tuple[str, Decimal], ...]:
        """What each member paid into `fund` (an event's co-financing), as (name, amount) in the
        members' order: a member's income lines in the fund, less its cost lines, leaving out the
        membership fee."""
        paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for e in self.accounts.entries:
            if e.fund == fund and e.member and e.category != self.accounts.fee_category:
                paid[e.member] += e.amount if e.kind == "income" else -e.amount
        return tuple((m.name, paid[m.code]) for m in self.members if m.code in paid)

    def member_shares(self, fund: str) -> Decimal:
        """The members' co-financing of `fund` in all (`co_financing`, summed)."""
        return sum((amount for _name, amount in self.co_financing(fund)), ZERO)

    def open_receivables(self) -> tuple[GrantBalance, ...]:
        """Grants paid in arrears with a receivable at the year's end, in the grants' order."""
        return tuple(g for g in self.grants if g.is_open)

    # --- population -------------------------------------------------------------------------

    def current_members(self) -> tuple[MemberFigures, ...]:
        return tuple(m for m in self.members if m.is_member_in(self.year))

    def members_population(self, date: dt.date) -> int | None:
        """The year's members' inhabitants summed at `date`; None unless every member has a figure."""
        members = self.current_members()
        held = self.population.get(date, {})
        if not members or any(m.code not in held for m in members):
            return None
        return sum(held[m.code] for m in members)

    def population_series(self) -> tuple[tuple[dt.date, int], ...]:
        """(date, total) up to the year's end where every member of that date's year has a figure."""
        points = []
        for date in sorted(self.population):
            if date > self.end:
                continue
            held = self.population[date]
            expected = sum(1 for m in self.members if m.is_member_in(date.year))
            if len(held) >= expected:
                points.append((date, sum(held.values())))
        return tuple(points)

    # --- published keys ---------------------------------------------------------------------

    def derived(self, key: str | FigureKey) -> Decimal | None:
        """The figure a published-figure key names, derived from its parts; None for an unknown key.

        The same keys serve the year file's `published` list and the `{{ key }}`
        placeholders in a year's texts (see docs/yearfile.md).
        """
        figure = parse_key(key) if isinstance(key, str) else key
        known = self.fund_labels
        if figure.kind in ("fund", "category") and known and figure.subject not in known:
            return None  # no such fund: a typing error in a text, not a fund without lines
        moved = {"income": "income", "costs": "cost"}
        if figure.kind == "simple" and figure.field == "fee_income":
            return self.accounts.fees.total
        if figure.kind == "total":
            value = _row_field(self.accounts.total, figure.field)
            if figure.field in moved:
                return value - self.transfers(moved[figure.field])
            return value
        if figure.kind == "fund":
            value = _row_field(self.fund_balance(figure.subject), figure.field)
            if figure.field in moved:
                return value - self.transfers(moved[figure.field], figure.subject)
            return value
        if figure.kind == "category":
            return sum(
                (
                    e.amount
                    for e in self.accounts.entries
                    if e.fund == figure.subject and e.category == figure.field
                ),
                ZERO,
            )
        if figure.kind == "project":
            project = self.projects.get(figure.subject)
            return project.booked_cost if project else ZERO
        if figure.kind == "event":
            event = self.event(figure.subject)
            if event is None or event.fund is None:
                return None
            if figure.field == "cost_per_participant":
                return event.cost_per_participant
            return _row_field(self.fund_balance(event.fund), figure.field)
        return None

    def event(self, slug: str) -> EventFigures | None:
        return next((e for e in self.events if e.slug == slug), None)


FIELD_NAMES = {
    "opening": "ingående balans",
    "income": "intäkter",
    "costs": "kostnader",
    "closing": "utgående balans",
}


def _row_field(row: FundBalance, name: str) -> Decimal:
    return row.closing if name == "closing" else getattr(row, name)


def booked_project_costs(accounts: YearAccounts) -> dict[str, Decimal]:
    """Each project's costs booked in the year (transfers left out): the one place they are summed."""
    booked: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for e in accounts.entries:
        if e.project:
            booked[e.project] += e.amount if e.kind == "cost" and not e.transfer else ZERO
    return dict(booked)
