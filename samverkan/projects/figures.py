"""A project's figures year by year, for its page: each year's part, costs and grants."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from samverkan.finance.models import LedgerLine, LineKind
from samverkan.lib.money import ZERO
from samverkan.members.models import Year
from samverkan.projects.balances import year_cost
from samverkan.projects.models import Grant, Project, ProjectYear


@dataclass(frozen=True, slots=True, kw_only=True)
class YearFigures:
    """One year of a project: its part (if any), what was booked, and the grants decided."""

    year: Year
    part: ProjectYear | None
    booked_cost: Decimal | None  # the year's cost lines on the project; None without any
    grant_income: Decimal  # income booked on the project's grants in the year
    grants: tuple[Grant, ...]  # the grants decided in the year

    @property
    def cost(self) -> Decimal | None:
        return year_cost(self.booked_cost, self.part.stated_cost if self.part is not None else None)


def years_of(project: Project) -> list[YearFigures]:
    """Every year the project has a part, cost lines, grant income or a grant in, in order."""
    parts = {
        part.year_id: part
        for part in ProjectYear.objects.filter(project=project).select_related("focus_area")
    }
    booked: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for year_id, amount in LedgerLine.objects.filter(
        project=project, kind=LineKind.COST, transfer=""
    ).values_list("year_id", "amount"):
        booked[year_id] += amount
    income: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for year_id, amount in LedgerLine.objects.filter(
        grant__project=project, kind=LineKind.INCOME
    ).values_list("year_id", "amount"):
        income[year_id] += amount
    grants: dict[int, list[Grant]] = defaultdict(list)
    for grant in project.grants.all():
        grants[grant.year_id].append(grant)
    ids = set(parts) | set(booked) | set(income) | set(grants)
    return [
        YearFigures(
            year=year,
            part=parts.get(year.pk),
            booked_cost=booked.get(year.pk),
            grant_income=income.get(year.pk, ZERO),
            grants=tuple(grants.get(year.pk, ())),
        )
        for year in Year.objects.filter(pk__in=ids).order_by("year")
    ]


def total_cost(years: list[YearFigures]) -> Decimal | None:
    """The costs of all the years listed; None when no year has one."""
    known = [y.cost for y in years if y.cost is not None]
    return sum(known, ZERO) if known else None
