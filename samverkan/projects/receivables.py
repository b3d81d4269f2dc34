"""Grant receivables: what a grant paid in arrears has earned and not yet been paid."""

from __future__ import annotations

from decimal import Decimal

from samverkan.lib.money import ZERO
from samverkan.members.models import Year
from samverkan.projects.models import Grant, GrantPayment, GrantTiming


def grant_receivable(grant: Grant, year: Year) -> Decimal:
    """What a grant paid in arrears is owed at the end of `year`: its income booked up to and
    including the year, less its payments by the year's last day (zero for an advance grant)."""
    if grant.timing != GrantTiming.ARREARS:
        return ZERO
    booked = sum(
        (line.amount for line in grant.lines.filter(year__year__lte=year.year, kind="income")),
        ZERO,
    )
    paid = sum(
        (p.amount for p in GrantPayment.objects.filter(grant=grant, date__lte=year.end())), ZERO
    )
    return booked - paid


def open_receivables(year: Year) -> list[tuple[Grant, str, Decimal]]:
    """Open receivables of arrears grants at the end of `year`: (grant, fund slug of its income, amount).

    Booked grant income up to and including the year, less the payments made
    by its last day; the fund is where the income was booked (the newest line).
    Only grants decided by the year count: a later year's grant is not yet known.
    """
    result = []
    for grant in Grant.objects.filter(
        project__cooperation_id=year.cooperation_id,
        timing=GrantTiming.ARREARS,
        year__year__lte=year.year,
    ).select_related("project"):
        owed = grant_receivable(grant, year)
        if owed > 0:
            newest = (
                grant.lines.filter(year__year__lte=year.year, kind="income")
                .select_related("fund")
                .last()
            )
            result.append((grant, newest.fund.slug if newest else "", owed))
    return result
