"""A year's accounts assembled from the database: entries, fee income, opening balances.

The maths is in finance.ledger; this module only gathers the records. The
opening balance of a fund is the previous year's closing balance when that
year is in the system, otherwise the balance the year file states.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from django.db.models import Min

from samverkan.finance.ledger import (
    Entry,
    YearAccounts,
    carry_forward,
    fund_balances,
)
from samverkan.finance.models import CostCategory, Fund, FundYear, LedgerLine, LineSource
from samverkan.members.fees import fee_schedule
from samverkan.members.models import Year

__all__ = ["YearAccounts", "accounts_chain", "fund_labels", "year_accounts"]


def _entries(year: Year) -> list[Entry]:
    """The year's lines as entries. Where a fund has lines imported from the books
    (SIE), they replace the lines typed or transcribed for that fund, except the members'
    co-financing shares set with an event in the app: the books (an SIE file has no
    member) cannot hold them, and the check of an event's co-financing compares them
    with the costs the import books."""
    imported = set(
        LedgerLine.objects.filter(year=year, source=LineSource.SIE)
        .values_list("fund__slug", flat=True)
        .distinct()
    )
    rows = (
        LedgerLine.objects.filter(year=year)
        .order_by("order", "id")
        .values_list(
            "fund__slug",
            "category__slug",
            "kind",
            "amount",
            "text",
            "transfer",
            "member__code",
            "project__slug",
            "grant__slug",
            "source",
        )
    )
    return [
        Entry(
            fund=f,
            category=c,
            kind="income" if k == "income" else "cost",
            amount=a,
            # An imported line's text is the voucher's, not a label for the report.
            text="" if src == LineSource.SIE else t,
            transfer=tr,
            member=m or "",
            project=p or "",
            grant=g or "",
        )
        for f, c, k, a, t, tr, m, p, g, src in rows.iterator(chunk_size=5000)
        if src == LineSource.SIE or f not in imported or (src == LineSource.MANUAL and m)
    ]


def year_accounts(year: Year) -> YearAccounts:
    """Build the accounts of `year`, computing earlier years of the chain as needed."""
    return accounts_chain(year)[-1]


def accounts_chain(year: Year) -> tuple[YearAccounts, ...]:
    """The accounts of every year of the cooperation up to and including `year`, oldest first.

    One pass: each year's opening balances are the previous year's closing
    balances when that year is in the system (no gap), so every year is
    computed once.
    """
    chain = list(
        Year.objects.filter(cooperation_id=year.cooperation_id, year__lte=year.year).order_by(
            "year"
        )
    )
    fee_category = (
        CostCategory.objects.filter(cooperation_id=year.cooperation_id, is_fee=True)
        .values_list("slug", flat=True)
        .first()
    )
    funds = list(Fund.objects.filter(cooperation_id=year.cooperation_id).values_list("pk", "slug"))
    result: list[YearAccounts] = []
    previous: YearAccounts | None = None
    for item in chain:
        if previous is not None and previous.year != item.year - 1:
            previous = None  # a gap: the year before is not in the system
        previous = _one_year(item, previous, fee_category, funds)
        result.append(previous)
    return tuple(result)


def _one_year(
    year: Year,
    previous: YearAccounts | None,
    fee_category: str | None,
    funds: Sequence[tuple[int, str]],
) -> YearAccounts:
    """One year's accounts; `funds`: the cooperation's (pk, slug) in their standing order."""
    fund_years = list(FundYear.objects.filter(year=year).select_related("fund").order_by("order"))
    stated = {fy.fund.slug: fy.opening_stated for fy in fund_years if fy.opening_stated is not None}
    previous_closing = carry_forward(previous.balances) if previous is not None else None
    openings = previous_closing if previous_closing is not None else dict(stated)

    entries = _entries(year)
    slugs = dict(funds)
    fees = fee_schedule(year)
    booked_fees = fee_category is not None and any(e.category == fee_category for e in entries)
    derived: list[Entry] = []
    if not booked_fees and fee_category and year.operating_fund_id and fees.rate is not None:
        fund_slug = slugs[year.operating_fund_id]
        derived = [
            Entry(
                fund=fund_slug,
                category=fee_category,
                kind="income",
                amount=c.amount,
                member=c.member_code,
                derived=True,
            )
            for c in fees.charges
            if c.amount is not None
        ]
    all_entries = derived + entries
    listed = [fy.fund.slug for fy in fund_years]
    if year.operating_fund_id:
        op = slugs[year.operating_fund_id]
        listed = [op, *[s for s in listed if s != op]]
    balances = fund_balances(all_entries, openings, listed)
    # Keep the standing order of funds (as the cooperation lists them) for rows not named by the year.
    order = {slug: i for i, (_pk, slug) in enumerate(funds)}
    named = [s for s in listed if s in balances]
    rest = sorted((s for s in balances if s not in named), key=lambda s: order.get(s, 10**6))
    balances = {s: balances[s] for s in named + rest}
    return YearAccounts(
        year=year.year,
        entries=tuple(all_entries),
        balances=MappingProxyType(balances),
        stated_openings=MappingProxyType(stated),
        previous_closing=None if previous_closing is None else MappingProxyType(previous_closing),
        fees=fees,
        fees_derived=bool(derived),
        fee_category=fee_category,
    )


def fund_labels(year: Year) -> dict[str, str]:
    """Every fund of the cooperation by slug -> its name in `year` (the rule is `Fund.label`)."""
    own = dict(
        FundYear.objects.filter(year=year).exclude(label="").values_list("fund__slug", "label")
    )
    first: dict[str, int] = {}
    coop = year.cooperation_id
    for rows in (
        FundYear.objects.filter(fund__cooperation_id=coop)
        .values("fund__slug")
        .annotate(first=Min("year__year"))
        .values_list("fund__slug", "first"),
        LedgerLine.objects.filter(fund__cooperation_id=coop)
        .values("fund__slug")
        .annotate(first=Min("year__year"))
        .values_list("fund__slug", "first"),
    ):
        for slug, first_year in rows:
            first[slug] = min(first_year, first.get(slug, first_year))
    return {
        fund.slug: fund.label(
            year.year,
            year_label=own.get(fund.slug, ""),
            operating=fund.pk == year.operating_fund_id,
            first_year=first.get(fund.slug),
        )
        for fund in Fund.objects.filter(cooperation_id=coop)
    }
