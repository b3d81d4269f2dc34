"""A cooperation's accounts of one year as a SIE 4E file.

Each report category becomes an account (the lowest account number mapped to
it, else 9xxx), each fund an object of dimension 1; every accounts line is a
voucher against the bank account 1930. Fund balances carried in are the
opening balance (#IB) of 1930 per fund object (#OIB).
"""

from __future__ import annotations

import datetime as dt

from samverkan.finance.accounts import year_accounts
from samverkan.finance.models import AccountMapping, CostCategory, Fund
from samverkan.finance.sie import (
    Account,
    Balance,
    Dimension,
    FiscalYear,
    Header,
    Object,
    Transaction,
    Voucher,
)
from samverkan.finance.sie.writer import write_sie4e
from samverkan.lib.money import ZERO
from samverkan.members.models import Year

BANK = "1930"


def category_accounts(year: Year) -> dict[str, str]:
    """Category slug -> account number for the export."""
    numbers: dict[str, str] = {}
    for mapping in AccountMapping.objects.filter(cooperation_id=year.cooperation_id).select_related(
        "category"
    ):
        if mapping.account.isdigit():
            number = mapping.account.ljust(4, "0")
            if mapping.category.slug not in numbers or number < numbers[mapping.category.slug]:
                numbers[mapping.category.slug] = number
    used = set(numbers.values())
    spare = (str(n) for n in range(9000, 9999) if str(n) not in used)
    for category in CostCategory.objects.filter(cooperation_id=year.cooperation_id):
        if category.slug not in numbers:
            numbers[category.slug] = next(spare)
    return numbers


def export_sie(year: Year) -> bytes:
    accounts = year_accounts(year)
    numbers = category_accounts(year)
    categories = {
        c.slug: c for c in CostCategory.objects.filter(cooperation_id=year.cooperation_id)
    }
    funds = {f.slug: f for f in Fund.objects.filter(cooperation_id=year.cooperation_id)}
    fund_ids = {slug: str(index + 1) for index, slug in enumerate(funds)}
    vouchers = []
    for index, entry in enumerate(accounts.entries, start=1):
        signed = -entry.amount if entry.kind == "income" else entry.amount
        objects = (("1", fund_ids[entry.fund]),)
        vouchers.append(
            Voucher(
                series="S",
                number=str(index),
                date=dt.date(year.year, 12, 31),
                text=entry.text or categories[entry.category].name,
                transactions=(
                    Transaction(account=numbers[entry.category], amount=signed, objects=objects),
                    Transaction(account=BANK, amount=-signed, objects=objects),
                ),
            )
        )
    opening_total = sum((b.opening for b in accounts.balances.values()), ZERO)
    closing_total = sum((b.closing for b in accounts.balances.values()), ZERO)
    balances = [
        Balance(kind="IB", year_index=0, account=BANK, amount=opening_total),
        Balance(kind="UB", year_index=0, account=BANK, amount=closing_total),
    ]
    balances += [
        Balance(
            kind="OIB", year_index=0, account=BANK, amount=b.opening, objects=(("1", fund_ids[s]),)
        )
        for s, b in accounts.balances.items()
        if b.opening
    ]
    balances += [
        Balance(
            kind="OUB", year_index=0, account=BANK, amount=b.closing, objects=(("1", fund_ids[s]),)
        )
        for s, b in accounts.balances.items()
        if b.closing
    ]
    used = {numbers[e.category] for e in accounts.entries}
    chart = [Account(number=BANK, name="Bank")] + [
        Account(number=numbers[slug], name=category.name)
        for slug, category in categories.items()
        if numbers[slug] in used
    ]
    header = Header(
        program="Samverkan",
        program_version="1",
        generated_on=dt.date.today(),
        company_name=year.cooperation.name,
        fiscal_years=(FiscalYear(index=0, start=year.start(), end=year.end()),),
        currency="SEK",
    )
    return write_sie4e(
        header=header,
        accounts=chart,
        dimensions=[Dimension(number="1", name="Fond")],
        objects=[Object(dimension="1", id=fund_ids[s], name=f.name) for s, f in funds.items()],
        balances=balances,
        vouchers=vouchers,
    )
