"""Grant receivables: what a grant paid in arrears has earned and not yet been paid."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from samverkan.finance.models import LedgerLine
from samverkan.lib.money import ZERO
from samverkan.members.models import Year
from samverkan.projects.balances import GrantBalance
from samverkan.projects.models import Grant, GrantPayment, GrantTiming, Project


def grant_balances(year: Year, *, project: Project | None = None) -> tuple[GrantBalance, ...]:
    """Every grant of the cooperation decided by `year`, at its end, in the grants' order (three queries).

    Booked grant income up to and including the year, and the payments made
    by its last day; the fund is where the income was booked (the newest line).
    Only grants decided by the year count: a later year's grant is not yet known.
    `project`: that project's grants alone, decided by the year or later (its page lists them all).
    """
    chosen = (
        Grant.objects.filter(project=project).order_by("year__year", "order", "id")
        if project is not None
        else Grant.objects.filter(
            project__cooperation_id=year.cooperation_id, year__year__lte=year.year
        )
    )
    grants = list(chosen.select_related("project"))
    booked: dict[int, Decimal] = defaultdict(lambda: ZERO)
    fund: dict[int, str] = {}
    for grant_id, amount, fund_slug in (
        LedgerLine.objects.filter(grant__in=chosen, year__year__lte=year.year, kind="income")
        .order_by("order", "id")
        .values_list("grant_id", "amount", "fund__slug")
    ):
        booked[grant_id] += amount
        fund[grant_id] = fund_slug
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for grant_id, amount in GrantPayment.objects.filter(
        grant__in=chosen, date__lte=year.end()
    ).values_list("grant_id", "amount"):
        paid[grant_id] += amount
    return tuple(
        GrantBalance(
            pk=g.pk,
            slug=g.slug,
            name=str(g),
            grantor=g.grantor,
            project=g.project.name,
            project_slug=g.project.slug,
            in_arrears=g.timing == GrantTiming.ARREARS,
            expected_payment_year=g.expected_payment_year,
            booked=booked[g.pk],
            paid=paid[g.pk],
            fund=fund.get(g.pk, ""),
        )
        for g in grants
    )


def open_receivables(year: Year) -> list[tuple[Grant, str, Decimal]]:
    """Open receivables of arrears grants at the end of `year`: (grant, fund slug of its income, amount)."""
    open_ = [b for b in grant_balances(year) if b.is_open]
    grants = Grant.objects.in_bulk([b.pk for b in open_])
    return [(grants[b.pk], b.fund, b.receivable) for b in open_]
