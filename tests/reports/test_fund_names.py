"""A fund has one name in a year, whichever output shows it: the rule is `Fund.label`."""

from __future__ import annotations

from collections.abc import Callable

from samverkan.finance.models import Fund, FundYear
from samverkan.members.models import Year
from samverkan.reports.api import render_report
from samverkan.reports.assembly import build_annual_report
from samverkan.web.open_data import accounts_data

CARRIED = "Södertörnssamarbetet drift från 2019"


def test_a_funds_own_label_for_the_year_comes_first() -> None:
    fund = Fund(slug="drift-2019", name="Drift", carried_name="Drift från 2019")
    assert fund.label(2020, year_label="Drift 2019", first_year=2019) == "Drift 2019"


def test_an_earlier_operating_fund_is_named_by_its_carried_name_in_a_later_year() -> None:
    fund = Fund(slug="drift-2019", name="Drift", carried_name="Drift från 2019")
    assert fund.label(2019, first_year=2019) == "Drift"
    assert fund.label(2020, first_year=2019) == "Drift från 2019"
    assert fund.label(2020, first_year=2019, operating=True) == "Drift"
    assert Fund(slug="x", name="Projekt").label(2020, first_year=2018) == "Projekt"


def test_the_report_and_the_open_data_of_a_year_name_every_fund_alike(
    editable_demo_year: Callable[[int], Year],
) -> None:
    year = editable_demo_year(2020)
    # Without the year's own label the fund is named by the rule alone (carried from 2019).
    FundYear.objects.filter(year=year, fund__slug="drift-2019").update(label="")

    report = build_annual_report(year)
    in_report = {row.slug: row.label for row in report.accounts.summary}
    in_open_data = {fund["slug"]: fund["name"] for fund in accounts_data(year)["funds"]}

    assert in_report["drift-2019"] == CARRIED
    assert in_open_data == in_report
    markdown = render_report(year, "md")[0].decode()
    assert CARRIED in markdown
