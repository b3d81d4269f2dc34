"""Build one year's frozen figures (`reports.figures.YearFigures`) from the database.

The one module that reads the records the figures come from; it does so
with a fixed number of queries per year (the accounts: a few per year of the
chain, computed once each). The report's assembly, the checks, the open
data and the pages' summaries all read the object it returns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from types import MappingProxyType

from samverkan.finance.accounts import accounts_chain, fund_labels
from samverkan.finance.ledger import YearAccounts
from samverkan.finance.models import CostCategory, LedgerLine, LineKind, PublishedFigure
from samverkan.governance.models import Event, EventStatus
from samverkan.lib.money import ZERO
from samverkan.lib.report_settings import Settings, merged
from samverkan.members.fees import rule_for
from samverkan.members.models import Member, PopulationFigure, Year
from samverkan.projects.balances import year_cost
from samverkan.projects.models import Project, ProjectYear
from samverkan.projects.receivables import grant_balances
from samverkan.reports.checks import run_checks
from samverkan.reports.figures import (
    EventFigures,
    MemberFigures,
    PrintedFigure,
    ProjectFigures,
    StatedPopulation,
    YearFigures,
    booked_project_costs,
)
from samverkan.reports.findings import Finding


def build_year_figures(year: Year) -> YearFigures:
    """The figures of `year`, gathered once."""
    chain = accounts_chain(year)
    accounts = chain[-1]
    settings = Settings(merged(year.cooperation.report_settings, year.report_settings))
    rule = rule_for(year)
    return YearFigures(
        year=year.year,
        accounts=accounts,
        closings=tuple(
            (item.year, MappingProxyType({slug: b.closing for slug, b in item.balances.items()}))
            for item in chain
        ),
        fund_labels=MappingProxyType(fund_labels(year)),
        category_names=MappingProxyType(
            dict(
                CostCategory.objects.filter(cooperation_id=year.cooperation_id).values_list(
                    "slug", "name"
                )
            )
        ),
        transfers_apart=settings.option("transfers") == "separate",
        fee_basis=rule.basis if rule else "",
        fee_basis_label=str(rule.get_basis_display()) if rule else "",
        published=tuple(
            PrintedFigure(
                key=p.key, place=p.place, printed_in=p.printed_in, amount=p.amount, date=p.date
            )
            for p in PublishedFigure.objects.filter(year=year)
        ),
        closed=year.is_locked,
        events=_event_figures(year, accounts),
        projects=MappingProxyType(project_figures(year, accounts)),
        grants=grant_balances(year),
        members=tuple(
            MemberFigures(code=m.code, name=m.name, joined=m.joined, left=m.left)
            for m in Member.objects.filter(cooperation_id=year.cooperation_id)
        ),
        population=_population(year),
        stated_population=StatedPopulation(
            total=year.population_total,
            date=year.population_total_date,
            note=year.population_total_note,
        ),
    )


def check_year(year: Year) -> list[Finding]:
    """All findings of the registered checks for `year` (what `samverkan check` prints)."""
    return run_checks(build_year_figures(year))


def project_figures(year: Year, accounts: YearAccounts) -> dict[str, ProjectFigures]:
    """Every project of the cooperation with the cost its part in `year` states and the cost
    booked, and its costs in the years up to `year` (nothing of a later year, so that a decided
    report stays as decided)."""
    booked = booked_project_costs(accounts)
    stated = dict(ProjectYear.objects.filter(year=year).values_list("project__slug", "stated_cost"))
    so_far = _costs_so_far(year)
    figures = {}
    for slug, name in Project.objects.filter(cooperation_id=year.cooperation_id).values_list(
        "slug", "name"
    ):
        costs = so_far.get(slug, {})
        known = [cost for cost in costs.values() if cost is not None]
        figures[slug] = ProjectFigures(
            slug=slug,
            name=name,
            stated_cost=stated.get(slug),
            booked_cost=booked.get(slug, ZERO),
            has_lines=slug in booked,
            years_so_far=tuple(sorted(costs)),
            cost_so_far=sum(known, ZERO) if known else None,
        )
    return figures


def _costs_so_far(year: Year) -> dict[str, dict[int, Decimal | None]]:
    """Per project slug: each year up to `year` with a part or cost lines, and its cost
    (`projects.figures.year_cost`, the rule the project's page uses); two queries."""
    stated: dict[tuple[str, int], Decimal | None] = {
        (slug, number): cost
        for slug, number, cost in ProjectYear.objects.filter(
            project__cooperation_id=year.cooperation_id, year__year__lte=year.year
        ).values_list("project__slug", "year__year", "stated_cost")
    }
    booked: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for slug, number, amount in LedgerLine.objects.filter(
        year__cooperation_id=year.cooperation_id,
        year__year__lte=year.year,
        project__isnull=False,
        kind=LineKind.COST,
        transfer="",
    ).values_list("project__slug", "year__year", "amount"):
        booked[slug, number] += amount
    costs: dict[str, dict[int, Decimal | None]] = defaultdict(dict)
    for slug, number in set(stated) | set(booked):
        costs[slug][number] = year_cost(booked.get((slug, number)), stated.get((slug, number)))
    return costs


def _event_figures(year: Year, accounts: YearAccounts) -> tuple[EventFigures, ...]:
    return tuple(
        EventFigures(
            slug=event.slug,
            name=event.name,
            held=event.status == EventStatus.HELD,
            fund=event.fund.slug if event.fund else None,
            participants=event.participants,
            cost_cap_per_participant=event.cost_cap_per_participant,
            costs=(
                accounts.balances[event.fund.slug].costs
                if event.fund is not None and event.fund.slug in accounts.balances
                else None
            ),
        )
        for event in Event.objects.filter(year=year).select_related("fund").order_by("order", "id")
    )


def _population(year: Year) -> MappingProxyType[dt.date, MappingProxyType[str, int]]:
    held: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for code, date, population in PopulationFigure.objects.filter(
        member__cooperation_id=year.cooperation_id
    ).values_list("member__code", "date", "population"):
        held[date][code] = population
    return MappingProxyType({date: MappingProxyType(by_member) for date, by_member in held.items()})
