"""Each consistency check fires on the fault it describes and stays quiet otherwise."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from samverkan.finance.models import CostCategory, Fund, FundYear, LedgerLine, PublishedFigure
from samverkan.governance.models import Event
from samverkan.members.models import PopulationFigure, Year
from samverkan.projects.models import Grant, GrantPayment
from samverkan.reports.checks import (
    event_cost_within_cap,
    fee_income_is_rate_times_population,
    grant_in_arrears_is_receivable_until_paid,
    opening_balance_is_last_years_closing,
    printed_rows_are_consistent,
    printed_totals_match_derived,
    transfers_net_to_zero,
)
from samverkan.reports.figures_from_db import build_year_figures, check_year

D = Decimal


def year(number: int) -> Year:
    return Year.objects.get(cooperation__slug="sodertorn", year=number)


def findings(check, number: int) -> list[tuple[str, Decimal | str | None, Decimal | str | None]]:  # type: ignore[no-untyped-def]
    return [(f.where, f.expected, f.found) for f in check(build_year_figures(year(number)))]


# -- the demo: every real discrepancy of the two published reports, and nothing else --------------

EXPECTED_DEMO = {
    ("fee_income", "2018 · Avsnitt 8, text · avgiftens underlag", "2017-12-31", "2018-12-31"),
    ("printed_totals", "2018 · Sammanställning 2018 · Projekt, intäkter", "705650.00", "698998.00"),
    (
        "printed_totals",
        "2018 · Sammanställning 2018 · Projekt, kostnader",
        "705650.00",
        "698998.00",
    ),
    (
        "printed_totals",
        "2018 · Sammanställning 2018 · Södertörns Rådslag, intäkter",
        "106791.00",
        "106790.00",
    ),
    (
        "printed_totals",
        "2018 · Sammanställning 2018 · Södertörns Rådslag, kostnader",
        "106791.00",
        "106790.00",
    ),
    (
        "printed_rows",
        "2020 · Sammanställning 2020 · summa · utgående balans",
        "1381131.00",
        "1381130.00",
    ),
    (
        "printed_rows",
        "2020 · Sammanställning 2020 · summa av raderna · utgående balans",
        "1381131.00",
        "1381130.00",
    ),
    (
        "printed_totals",
        "2020 · Sammanställning 2020 · Södertörnsamarbetet drift, kostnader",
        "1824369.00",
        "1824368.00",
    ),
    (
        "printed_totals",
        "2020 · Detaljtabell Södertörnsamarbetet drift, Summa · Södertörnsamarbetet drift, kostnader",
        "1824369.00",
        "1824368.00",
    ),
    (
        "printed_totals",
        "2020 · Sammanställning 2020 · Södertörnsamarbetet drift, utgående balans",
        "188431.00",
        "188432.00",
    ),
    (
        "printed_totals",
        "2020 · Avsnitt 7, text · Södertörnsamarbetet drift, utgående balans",
        "188431.00",
        "188432.00",
    ),
    (
        "printed_totals",
        "2020 · Sammanställning 2020 · Södertörnsamarbetet drift från 2018, ingående balans",
        "110852.00",
        "110853.00",
    ),
    (
        "printed_totals",
        "2020 · Sammanställning 2020 · Södertörnsamarbetet drift från 2018, utgående balans",
        "110852.00",
        "110853.00",
    ),
    (
        "printed_totals",
        "2020 · Sammanställning 2020 · summa, ingående balans",
        "1143648.00",
        "1143649.00",
    ),
    (
        "printed_totals",
        "2020 · Sammanställning 2020 · summa, kostnader",
        "1825819.00",
        "1825818.00",
    ),
    (
        "printed_totals",
        "2020 · Sammanställning 2020 · summa, utgående balans",
        "1381129.00",
        "1381130.00",
    ),
    (
        "printed_totals",
        "2020 · Avsnitt 7, text · summa, utgående balans",
        "1381129.00",
        "1381130.00",
    ),
    (
        "printed_totals",
        "2020 · Avsnitt 5.1 · Extra analyser av näringslivet på Södertörn som följd av Corona, kostnad",
        "297800.00",
        "298000.00",
    ),
    ("stated_population", "2018 · invånare", "496201.00", "494358.00"),
    (
        "opening_balance",
        "2020 · Södertörnsamarbetet drift från 2018 · ingående balans",
        "110852.00",
        "110853.00",
    ),
}


def test_check_on_the_demo_lists_exactly_the_published_reports_discrepancies(
    demo: None, capsys
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_:
        call_command("check", cooperation="sodertorn", json=True)
    assert exit_.value.code == 1
    found = json.loads(capsys.readouterr().out)
    assert {(f["check"], f["where"], f["expected"], f["found"]) for f in found} == EXPECTED_DEMO
    assert len(found) == len(EXPECTED_DEMO)
    first = next(f for f in found if f["where"].endswith("Projekt, intäkter"))
    assert first == {
        "check": "printed_totals",
        "severity": "error",
        "where": "2018 · Sammanställning 2018 · Projekt, intäkter",
        "message": "Den tryckta summan skiljer sig från summan av delarna.",
        "expected": "705650.00",
        "found": "698998.00",
        "difference": "-6652.00",
    }


def test_check_exits_zero_when_a_year_has_no_error(demo: None, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("check", cooperation="sodertorn", year=2019)
    assert "0 anmärkningar, varav 0 fel." in capsys.readouterr().out


# -- fee income ------------------------------------------------------------------------------------


def test_fee_check_is_quiet_when_the_printed_fee_is_right(demo: None) -> None:
    assert findings(fee_income_is_rate_times_population, 2020) == []


def test_fee_check_fires_on_a_missing_population_figure(demo_open: None) -> None:
    PopulationFigure.objects.filter(member__code="0140", date=dt.date(2019, 12, 31)).delete()
    result = findings(fee_income_is_rate_times_population, 2020)
    assert ("2020 · avgifter · Nykvarn", None, None) in result
    # ...and the printed 2 012 800 now disagrees with the derived fee without Nykvarn
    assert (
        "2020 · Detaljtabell Södertörnsamarbetet drift, Intäkt kommunerna · avgiftsintäkt",
        D("1968744"),
        D("2012800"),
    ) in result


def test_fee_check_compares_booked_fee_lines_with_rate_times_population(demo_open: None) -> None:
    y = year(2020)
    LedgerLine.objects.create(
        year=y,
        fund=Fund.objects.get(slug="drift-2020"),
        category=CostCategory.objects.get(slug="avgifter"),
        kind="income",
        amount=D("2012000"),
        date=dt.date(2020, 3, 1),
    )
    assert ("2020 · avgifter · bokförda intäkter", D("2012800"), D("2012000")) in findings(
        fee_income_is_rate_times_population, 2020
    )


# -- printed rows and totals -----------------------------------------------------------------------


def test_printed_rows_check_is_quiet_where_the_printed_table_adds_up(demo: None) -> None:
    assert findings(printed_rows_are_consistent, 2018) == []


def test_printed_rows_check_fires_on_a_row_that_does_not_add_up(demo: None) -> None:
    PublishedFigure.objects.filter(
        year=year(2018), key="fund.kommunikationsprojekt.closing", place="Sammanställning 2018"
    ).update(amount=D("80001"))
    assert findings(printed_rows_are_consistent, 2018) == [
        (
            "2018 · Sammanställning 2018 · Kommunikationsprojekt · utgående balans",
            D("80000"),
            D("80001"),
        )
    ]


def test_printed_totals_check_is_quiet_once_the_printed_figure_is_right(demo: None) -> None:
    PublishedFigure.objects.filter(year=year(2018), amount=D("698998")).update(amount=D("705650"))
    PublishedFigure.objects.filter(year=year(2018), amount=D("106790")).update(amount=D("106791"))
    assert findings(printed_totals_match_derived, 2018) == []


# -- balances carried forward -----------------------------------------------------------------------


def test_opening_balance_check_is_quiet_when_the_stated_opening_is_last_years_closing(
    demo: None,
) -> None:
    FundYear.objects.filter(year=year(2020), fund__slug="drift-2018").update(
        opening_stated=D("110852")
    )
    assert findings(opening_balance_is_last_years_closing, 2020) == []


def test_opening_balance_is_derived_from_last_year_not_from_the_stated_figure(demo: None) -> None:
    ctx = build_year_figures(year(2020))
    assert ctx.accounts.balances["drift-2018"].opening == D("110852")
    assert ctx.accounts.stated_openings["drift-2018"] == D("110853")


def test_without_the_previous_year_the_stated_opening_is_used_and_not_checked(
    demo_open: None,
) -> None:
    Year.objects.filter(cooperation__slug="sodertorn", year=2019).delete()
    ctx = build_year_figures(year(2020))
    assert ctx.accounts.balances["drift-2018"].opening == D("110853")
    assert opening_balance_is_last_years_closing(ctx) == []


# -- transfers ---------------------------------------------------------------------------------------


def test_transfer_check_is_quiet_when_both_sides_match(demo: None) -> None:
    assert findings(transfers_net_to_zero, 2018) == []


def test_transfer_check_fires_when_one_side_differs(demo: None) -> None:
    LedgerLine.objects.filter(
        year=year(2018), transfer="t-2018-teknisk-forsorjning", kind="income"
    ).update(amount=D("179000"))
    assert findings(transfers_net_to_zero, 2018) == [
        ("2018 · överföring · t-2018-teknisk-forsorjning", D("0"), D("-849"))
    ]


# -- events ------------------------------------------------------------------------------------------


def test_event_check_is_quiet_within_the_cap_and_with_the_right_printed_figure(demo: None) -> None:
    assert findings(event_cost_within_cap, 2018) == []


def test_event_check_fires_above_the_cap(demo: None) -> None:
    Event.objects.filter(slug="radslag-2018").update(cost_cap_per_participant=D("700"))
    assert findings(event_cost_within_cap, 2018) == [
        ("2018 · Södertörns Rådslag · kostnad per deltagare", D("700"), D("731"))
    ]


def test_event_check_fires_on_a_wrong_printed_cost_per_participant(demo: None) -> None:
    Event.objects.filter(slug="radslag-2018").update(participants=100)
    result = findings(event_cost_within_cap, 2018)
    assert len(result) == 1 and result[0][1:] == (D("1068"), D("731"))


# -- grants ------------------------------------------------------------------------------------------


def test_grant_check_is_quiet_when_the_arrears_grant_is_paid_as_booked(demo: None) -> None:
    for number in (2018, 2019, 2020):
        assert findings(grant_in_arrears_is_receivable_until_paid, number) == []


def test_grant_paid_before_it_was_booked_is_not_in_arrears(demo_open: None) -> None:
    GrantPayment.objects.create(
        year=year(2018),
        grant=Grant.objects.get(slug="tillvaxtverket-systemanalys"),
        date=dt.date(2018, 5, 1),
        amount=D("50000"),
    )
    assert findings(grant_in_arrears_is_receivable_until_paid, 2018) == [
        (
            "2018 · Tillväxtverket (Systemanalys resor och transporter på Södertörn) · utbetalning",
            D("26121"),
            D("50000"),
        )
    ]


def test_an_unpaid_receivable_after_the_expected_year_is_reported(demo_open: None) -> None:
    GrantPayment.objects.all().delete()
    assert (
        findings(grant_in_arrears_is_receivable_until_paid, 2019) == []
    )  # 2019 is the expected year
    result = findings(grant_in_arrears_is_receivable_until_paid, 2020)
    assert [r[2] for r in result] == [D("303914")]


def test_run_checks_collects_every_check(demo: None) -> None:
    assert {f.check for f in check_year(year(2020))} == {
        "printed_rows",
        "printed_totals",
        "opening_balance",
    }


def test_a_stated_population_that_differs_from_the_members_figures_for_the_year_end_is_a_finding(
    demo: None,
) -> None:
    (finding,) = [f for f in check_year(year(2018)) if f.check == "stated_population"]

    assert (finding.found, finding.expected) == (D("494358"), D("496201"))
    assert finding.message == (
        "Årsredovisningen anger 494\u00a0358 invånare den 30 september 2018; medlemskommunernas "
        "invånarantal den 31 december 2018 är 496\u00a0201 (1\u00a0843 fler)."
    )


def test_a_stated_population_that_agrees_is_no_finding(demo: None) -> None:
    Year.objects.filter(year=2018, cooperation__slug="sodertorn").update(population_total=496201)
    y = year(2018)

    assert [f for f in check_year(y) if f.check == "stated_population"] == []
