"""The members' co-financing of an event: income lines of the event's fund, one per member.

An event's cost is what its fund has booked as costs in the year; the
members' shares are income lines of that fund with a member, outside the fee
category. `Event.co_financing_errors` holds the rule; the functions here read
the two sides of it from the ledger, for every writer alike.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from samverkan.finance.models import CostCategory, LedgerLine, LineKind


def co_financing_lines(year_id: int, fund_id: int) -> QuerySet[LedgerLine]:
    """The members' shares of the event fund's income in the year."""
    return (
        LedgerLine.objects.filter(
            year_id=year_id, fund_id=fund_id, kind=LineKind.INCOME, member__isnull=False
        )
        .exclude(category__is_fee=True)
        .select_related("member", "category")
    )


def booked_costs(year_id: int, fund_id: int) -> Decimal:
    """The costs the event's fund has booked in the year (corrections, negative lines, included)."""
    total = LedgerLine.objects.filter(
        year_id=year_id, fund_id=fund_id, kind=LineKind.COST
    ).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


def co_financing_category(cooperation_id: int, year_id: int, fund_id: int) -> CostCategory | None:
    """The category the shares are booked under: the one the fund's shares use, else the
    cooperation's "medfinansiering", else its first income category that is not the fee."""
    used = co_financing_lines(year_id, fund_id).values_list("category_id", flat=True).first()
    categories = CostCategory.objects.filter(cooperation_id=cooperation_id)
    if used is not None:
        return categories.get(pk=used)
    return (
        categories.filter(slug="medfinansiering").first()
        or categories.filter(kind=LineKind.INCOME, is_fee=False).order_by("order").first()
    )


def event_co_financing_errors(event: Any) -> dict[str, str]:
    """The co-financing rule of an event, asked of the ledger as it stands."""
    if event.fund_id is None:
        return {}
    shares = [line.amount for line in co_financing_lines(event.year_id, event.fund_id)]
    return type(event).co_financing_errors(shares, booked_costs(event.year_id, event.fund_id))
