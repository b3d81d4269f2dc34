"""A year's accounts assembled from the database: entries, fee income, opening balances.

The maths is in finance.ledger; this module only gathers the records. The
opening balance of a fund is the previous year's closing balance when that
year is in the system, otherwise the balance the year file states.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from samverkan.finance.ledger import Entry, FundBalance, carry_forward, fund_balances, total
from samverkan.finance.models import CostCategory, Fund, FundYear, LedgerLine, LineSource
from samverkan.members.fees import FeeSchedule, fee_schedule
from samverkan.members.models import Year


@dataclass(frozen=True, slots=True, kw_only=True)
class YearAccounts:
    year: int
    entries: tuple[Entry, ...]
    balances: dict[str, FundBalance]
    stated_openings: dict[str, Decimal]
    previous_closing: dict[str, Decimal] | None  # None: the previous year is not in the system
    fees: FeeSchedule
    fees_derived: bool  # True: fee income computed from the rule; False: booked lines exist
    fee_category: str | None

    @property
    def total(self) -> FundBalance:
        return total(self.balances.values())


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
    chain = list(
        Year.objects.filter(cooperation_id=year.cooperation_id, year__lte=year.year).order_by(
            "year"
        )
    )
    previous: YearAccounts | None = None
    result: YearAccounts | None = None
    for item in chain:
        if previous is not None and previous.year != item.year - 1:
            previous = None  # a gap: the year before is not in the system
        result = _one_year(item, previous)
        previous = result
    assert result is not None
    return result


def _one_year(year: Year, previous: YearAccounts | None) -> YearAccounts:
    fund_years = list(FundYear.objects.filter(year=year).select_related("fund").order_by("order"))
    stated = {fy.fund.slug: fy.opening_stated for fy in fund_years if fy.opening_stated is not None}
    previous_closing = carry_forward(previous.balances) if previous is not None else None
    openings = previous_closing if previous_closing is not None else dict(stated)

    entries = _entries(year)
    fee_category = (
        CostCategory.objects.filter(cooperation_id=year.cooperation_id, is_fee=True)
        .values_list("slug", flat=True)
        .first()
    )
    fees = fee_schedule(year)
    booked_fees = fee_category is not None and any(e.category == fee_category for e in entries)
    derived: list[Entry] = []
    if not booked_fees and fee_category and year.operating_fund_id and fees.rate is not None:
        fund_slug = (
            Fund.objects.filter(pk=year.operating_fund_id).values_list("slug", flat=True).get()
        )
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
        op = Fund.objects.filter(pk=year.operating_fund_id).values_list("slug", flat=True).get()
        listed = [op, *[s for s in listed if s != op]]
    balances = fund_balances(all_entries, openings, listed)
    # Keep the standing order of funds (as the cooperation lists them) for rows not named by the year.
    order = {
        slug: i
        for i, slug in enumerate(
            Fund.objects.filter(cooperation_id=year.cooperation_id).values_list("slug", flat=True)
        )
    }
    named = [s for s in listed if s in balances]
    rest = sorted((s for s in balances if s not in named), key=lambda s: order.get(s, 10**6))
    balances = {s: balances[s] for s in named + rest}
    return YearAccounts(
        year=year.year,
        entries=tuple(all_entries),
        balances=balances,
        stated_openings=stated,
        previous_closing=previous_closing,
        fees=fees,
        fees_derived=bool(derived),
        fee_category=fee_category,
    )
