"""Read-only views of a year as the pages show them: the plan with its follow-ups, the funds.

Each function reads with a fixed number of queries, whatever the size of the
year, so the dashboard stays fast.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Prefetch

from samverkan.accounts.roles import Standing
from samverkan.finance.ledger import (
    CategoryTotal,
    FeeSchedule,
    FundBalance,
    YearAccounts,
    category_totals,
)
from samverkan.governance.models import Network
from samverkan.members.models import Year
from samverkan.plan.models import Activity, FocusArea, FollowUp, FollowUpStatus
from samverkan.reports.figures import YearFigures
from samverkan.reports.figures_from_db import build_year_figures
from samverkan.reports.versions import figures_version


@dataclass(frozen=True, slots=True)
class ActivityRow:
    activity: Activity
    follow_up: FollowUp
    owners: tuple[Network, ...]
    editable: bool

    @property
    def lacks_follow_up(self) -> bool:
        return self.follow_up.is_empty


@dataclass(slots=True)
class AreaSummary:
    focus_area: FocusArea
    rows: list[ActivityRow] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(status, label, number of activities) for every status, in the order of the choices."""
        found = Counter(row.follow_up.status for row in self.rows)
        return [(value, str(label), found.get(value, 0)) for value, label in FollowUpStatus.choices]

    @property
    def lacking(self) -> list[ActivityRow]:
        return [row for row in self.rows if row.lacks_follow_up]


@dataclass(frozen=True, slots=True)
class PlanOverview:
    areas: list[AreaSummary]

    @property
    def rows(self) -> list[ActivityRow]:
        return [row for area in self.areas for row in area.rows]

    @property
    def lacking(self) -> list[ActivityRow]:
        return [row for row in self.rows if row.lacks_follow_up]

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        found = Counter(row.follow_up.status for row in self.rows)
        return [(value, str(label), found.get(value, 0)) for value, label in FollowUpStatus.choices]


def plan_overview(year: Year, standing: Standing | None = None) -> PlanOverview:
    """The year's focus areas with their activities and follow-ups (five queries)."""
    activities = Activity.objects.select_related(
        "follow_up", "follow_up__updated_by"
    ).prefetch_related("networks")
    areas = (
        FocusArea.objects.filter(year=year)
        .select_related("group")
        .prefetch_related("responsible_networks", Prefetch("activities", queryset=activities))
        .order_by("group__order", "order")
    )
    summaries = []
    for area in areas:
        summary = AreaSummary(focus_area=area)
        for activity in area.activities.all():
            follow_up = getattr(activity, "follow_up", None) or FollowUp(activity=activity)
            summary.rows.append(
                ActivityRow(
                    activity=activity,
                    follow_up=follow_up,
                    owners=tuple(activity.owners()),
                    editable=standing is not None and standing.can_edit_activity(activity),
                )
            )
        summaries.append(summary)
    return PlanOverview(areas=summaries)


@dataclass(frozen=True, slots=True)
class FundRow:
    slug: str
    name: str
    balance: FundBalance
    categories: tuple[tuple[str, CategoryTotal], ...]  # (category name, total)


@dataclass(frozen=True, slots=True)
class AccountsOverview:
    accounts: YearAccounts
    funds: list[FundRow]

    @property
    def total(self) -> FundBalance:
        return self.accounts.total

    @property
    def fees(self) -> FeeSchedule:
        return self.accounts.fees


def year_figures(year: Year) -> YearFigures:
    """The year's figures (reports.figures), kept per process for as long as the data version holds.

    Computing them walks every earlier year of the cooperation; the object is
    immutable and safe to share, and a new audit entry (any change to the
    data) gives a new version (`reports.versions.figures_version`).
    """
    return _year_figures(year.pk, figures_version(year))


@lru_cache(maxsize=64)
def _year_figures(year_pk: int, version: str) -> YearFigures:
    return build_year_figures(Year.objects.select_related("cooperation").get(pk=year_pk))


def accounts_overview(year: Year) -> AccountsOverview:
    """Opening, income, costs and closing balance per fund, with the totals per category."""
    return _accounts_overview(year.pk, figures_version(year))


@lru_cache(maxsize=64)
def _accounts_overview(year_pk: int, version: str) -> AccountsOverview:
    return compute_accounts_overview(_year_figures(year_pk, version))


def compute_accounts_overview(figures: YearFigures) -> AccountsOverview:
    accounts = figures.accounts
    rows = [
        FundRow(
            slug=slug,
            name=figures.fund_label(slug),
            balance=balance,
            categories=tuple(
                (figures.category_names.get(t.category, t.category), t)
                for t in category_totals(accounts.entries, slug)
            ),
        )
        for slug, balance in accounts.balances.items()
    ]
    return AccountsOverview(accounts=accounts, funds=rows)
