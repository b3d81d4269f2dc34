"""Members' fees are derived from the fee rule and SCB population figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from samverkan.finance.accounts import year_accounts
from samverkan.members.fees import fee_schedule
from samverkan.members.models import Year


@pytest.mark.parametrize(
    ("year", "expected", "basis"),
    [
        (2018, Decimal("1954940"), dt.date(2017, 12, 31)),
        (2019, Decimal("1984804"), dt.date(2018, 12, 31)),
        (2020, Decimal("2012800"), dt.date(2019, 12, 31)),
    ],
)
def test_fee_income_of_the_demo_years_is_exact(
    demo: None, year: int, expected: Decimal, basis: dt.date
) -> None:
    schedule = fee_schedule(Year.objects.get(cooperation__slug="sodertorn", year=year))
    assert schedule.total == expected
    assert schedule.basis_date == basis
    assert len(schedule.charges) == 8 and not schedule.missing


def test_fee_income_goes_to_the_operating_fund(demo: None) -> None:
    accounts = year_accounts(Year.objects.get(cooperation__slug="sodertorn", year=2020))
    assert accounts.fees_derived
    assert accounts.balances["drift-2020"].income == Decimal("2012800")


def test_a_member_without_a_population_figure_has_no_fee(demo_open: None) -> None:
    year = Year.objects.get(cooperation__slug="sodertorn", year=2018)
    year.cooperation.members.get(code="0128").population_figures.filter(
        date=dt.date(2017, 12, 31)
    ).delete()
    schedule = fee_schedule(year)
    assert [c.member_code for c in schedule.missing] == ["0128"]
    assert schedule.total == Decimal("1954940") - 4 * 16665
