"""Each check is a pure function of one year's figures: tested on objects built by hand, no database.

The year is 2020 of a small cooperation: an operating fund `drift` and an
event fund `konferens`; members A and B. Every test states the one fact that
makes its check fire (or keeps it quiet) and builds nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType

from samverkan.finance.ledger import (
    Entry,
    FeeCharge,
    FeeSchedule,
    YearAccounts,
    fund_balances,
)
from samverkan.projects.balances import GrantBalance
from samverkan.reports.checks import (
    CHECKS,
    event_co_financing_covers_cost,
    event_cost_within_cap,
    fee_income_is_rate_times_population,
    grant_in_arrears_is_receivable_until_paid,
    opening_balance_is_last_years_closing,
    printed_rows_are_consistent,
    printed_totals_match_derived,
    run_checks,
    stated_population_matches_members,
    transfers_net_to_zero,
)
from samverkan.reports.figures import (
    EventFigures,
    MemberFigures,
    PrintedFigure,
    ProjectFigures,
    StatedPopulation,
    YearFigures,
)
from samverkan.reports.findings import Finding

D = Decimal
BASIS = dt.date(2019, 12, 31)
END = dt.date(2020, 12, 31)
NOT_STATED = StatedPopulation()
MEMBERS = (MemberFigures(code="A", name="Alby"), MemberFigures(code="B", name="Botby"))


def fees(*populations: int | None, rate: str | None = "2") -> FeeSchedule:
    """Members A, B, ... with these basis populations (None: missing) at the rate."""
    if rate is None:
        return FeeSchedule(year=2020, rate=None, basis_date=None, charges=())
    charges = tuple(
        FeeCharge(
            member_code=code,
            member_name=f"Kommun {code}",
            basis_date=BASIS,
            population=population,
            rate=D(rate),
            amount=None if population is None else D(rate) * population,
        )
        for code, population in zip("ABCD", populations, strict=False)
    )
    return FeeSchedule(year=2020, rate=D(rate), basis_date=BASIS, charges=charges)


def accounts(
    *entries: Entry,
    openings: Mapping[str, Decimal] | None = None,
    stated: Mapping[str, Decimal] | None = None,
    previous_closing: Mapping[str, Decimal] | None = None,
    fee_schedule: FeeSchedule | None = None,
    fees_derived: bool = True,
    fee_category: str | None = "avgift",
) -> YearAccounts:
    return YearAccounts(
        year=2020,
        entries=tuple(entries),
        balances=MappingProxyType(fund_balances(entries, openings or {}, ["drift"])),
        stated_openings=MappingProxyType(dict(stated or {})),
        previous_closing=None if previous_closing is None else MappingProxyType(previous_closing),
        fees=fee_schedule or fees(100, 200),
        fees_derived=fees_derived,
        fee_category=fee_category,
    )


def figures(
    year_accounts: YearAccounts | None = None,
    *,
    published: Sequence[PrintedFigure] = (),
    events: Sequence[EventFigures] = (),
    grants: Sequence[GrantBalance] = (),
    projects: Sequence[ProjectFigures] = (),
    population: Mapping[dt.date, Mapping[str, int]] | None = None,
    stated_population: StatedPopulation = NOT_STATED,
    closed: bool = False,
) -> YearFigures:
    return YearFigures(
        year=2020,
        accounts=year_accounts or accounts(),
        closed=closed,
        fund_labels=MappingProxyType({"drift": "Drift 2020", "konferens": "Konferensen"}),
        fee_basis="previous_year_end",
        fee_basis_label="invånare 31 december året före",
        published=tuple(published),
        events=tuple(events),
        grants=tuple(grants),
        projects=MappingProxyType({p.slug: p for p in projects}),
        members=MEMBERS,
        population=MappingProxyType(population or {}),
        stated_population=stated_population,
    )


def income(fund: str, amount: str, **kw: str) -> Entry:
    return Entry(
        fund=fund, category=kw.pop("category", "bidrag"), kind="income", amount=D(amount), **kw
    )


def cost(fund: str, amount: str, **kw: str) -> Entry:
    return Entry(
        fund=fund, category=kw.pop("category", "konsult"), kind="cost", amount=D(amount), **kw
    )


def printed(key: str, amount: str | None = None, *, on: dt.date | None = None) -> PrintedFigure:
    return PrintedFigure(
        key=key,
        place="s. 12",
        printed_in="summary",
        amount=None if amount is None else D(amount),
        date=on,
    )


def grant(
    *, booked: str, paid: str, in_arrears: bool = True, due: int | None = 2020
) -> GrantBalance:
    return GrantBalance(
        pk=1,
        slug="tvv",
        name="Tillväxtverket (Modellen)",
        grantor="Tillväxtverket",
        project="Modellen",
        project_slug="modellen",
        in_arrears=in_arrears,
        expected_payment_year=due,
        booked=D(booked),
        paid=D(paid),
    )


def briefly(found: list[Finding]) -> list[tuple[str, str, object, object]]:
    return [(f.severity, f.where, f.expected, f.found) for f in found]


# -- the registry ------------------------------------------------------------------------------


def test_every_registered_check_is_quiet_on_a_year_without_faults() -> None:
    assert len(CHECKS) == 9
    assert run_checks(figures()) == []


# -- fees ----------------------------------------------------------------------------------------


def test_a_year_without_a_fee_rule_is_a_warning() -> None:
    found = fee_income_is_rate_times_population(figures(accounts(fee_schedule=fees(rate=None))))
    assert briefly(found) == [("warning", "2020 · avgifter", None, None)]


def test_a_member_without_a_basis_population_is_an_error_naming_the_member() -> None:
    (finding,) = fee_income_is_rate_times_population(
        figures(accounts(fee_schedule=fees(100, None)))
    )
    assert (finding.severity, finding.where, finding.record) == (
        "error",
        "2020 · avgifter · Kommun B",
        "member:B",
    )


def test_booked_fee_income_that_differs_from_rate_times_population_is_an_error() -> None:
    booked = accounts(income("drift", "590", category="avgift"), fees_derived=False)
    assert briefly(fee_income_is_rate_times_population(figures(booked))) == [
        ("error", "2020 · avgifter · bokförda intäkter", D(600), D(590))
    ]


def test_booked_fee_income_equal_to_the_rule_is_quiet() -> None:
    booked = accounts(income("drift", "600", category="avgift"), fees_derived=False)
    assert fee_income_is_rate_times_population(figures(booked)) == []


def test_a_printed_fee_income_that_differs_is_an_error_and_a_printed_basis_date_a_warning() -> None:
    found = fee_income_is_rate_times_population(
        figures(
            published=[
                printed("fee_income", "610"),
                printed("fee_basis_date", on=dt.date(2020, 11, 1)),
            ]
        )
    )
    assert briefly(found) == [
        ("error", "2020 · s. 12 · avgiftsintäkt", D(600), D(610)),
        ("warning", "2020 · s. 12 · avgiftens underlag", "2019-12-31", "2020-11-01"),
    ]
    assert "invånare 31 december året före" in found[1].message


# -- printed rows and totals ---------------------------------------------------------------------


def test_a_printed_row_that_does_not_add_up_is_an_error_named_by_the_funds_label() -> None:
    found = printed_rows_are_consistent(
        figures(
            published=[
                printed("fund.drift.opening", "10"),
                printed("fund.drift.income", "5"),
                printed("fund.drift.closing", "14"),
            ]
        )
    )
    assert briefly(found) == [
        ("error", "2020 · s. 12 · Drift 2020 · utgående balans", D(15), D(14))
    ]
    assert found[0].key == "fund.drift.closing"


def test_a_printed_sum_that_is_not_the_sum_of_the_printed_rows_is_an_error() -> None:
    found = printed_rows_are_consistent(
        figures(
            published=[
                printed("fund.drift.costs", "10"),
                printed("fund.konferens.costs", "5"),
                printed("total.costs", "16"),
            ]
        )
    )
    assert briefly(found) == [
        ("error", "2020 · s. 12 · summa av raderna · kostnader", D(15), D(16))
    ]


def test_one_printed_row_beside_a_sum_is_a_figure_in_prose_not_a_table() -> None:
    found = printed_rows_are_consistent(
        figures(published=[printed("fund.drift.costs", "10"), printed("total.costs", "16")])
    )
    assert found == []


def test_a_printed_fund_figure_that_differs_from_the_accounts_is_an_error() -> None:
    books = accounts(cost("drift", "100"), cost("drift", "20"))
    found = printed_totals_match_derived(
        figures(books, published=[printed("fund.drift.costs", "125")])
    )
    assert briefly(found) == [("error", "2020 · s. 12 · Drift 2020, kostnader", D(120), D(125))]


def test_a_projects_stated_cost_that_differs_from_its_booked_costs_is_a_warning() -> None:
    books = accounts(cost("drift", "300", project="modellen"))
    project = ProjectFigures(slug="modellen", name="Modellen", booked_cost=D(300), has_lines=True)
    (finding,) = printed_totals_match_derived(
        figures(books, projects=[project], published=[printed("project.modellen.cost", "310")])
    )
    assert (finding.severity, finding.where, finding.record) == (
        "warning",
        "2020 · s. 12 · Modellen, kostnad",
        "project:modellen",
    )


def test_a_category_figure_is_compared_with_the_lines_of_that_category() -> None:
    books = accounts(cost("drift", "40", category="lokal"), cost("drift", "60", category="konsult"))
    assert (
        printed_totals_match_derived(
            figures(books, published=[printed("fund.drift.category.lokal", "40")])
        )
        == []
    )


# -- opening balances and transfers --------------------------------------------------------------


def test_a_stated_opening_balance_that_differs_from_last_years_closing_is_an_error() -> None:
    books = accounts(stated={"drift": D(110853)}, previous_closing={"drift": D(110852)})
    (finding,) = opening_balance_is_last_years_closing(figures(books))
    assert (finding.where, finding.expected, finding.found) == (
        "2020 · Drift 2020 · ingående balans",
        D(110852),
        D(110853),
    )
    assert "2019" in finding.message


def test_without_last_year_in_the_system_the_stated_opening_is_not_checked() -> None:
    books = accounts(stated={"drift": D(110853)}, previous_closing=None)
    assert opening_balance_is_last_years_closing(figures(books)) == []


def test_a_transfer_whose_two_sides_differ_is_an_error() -> None:
    books = accounts(cost("drift", "100", transfer="t1"), income("konferens", "90", transfer="t1"))
    assert briefly(transfers_net_to_zero(figures(books))) == [
        ("error", "2020 · överföring · t1", D(0), D(-10))
    ]


# -- events --------------------------------------------------------------------------------------


def event(**kw: object) -> EventFigures:
    values: dict[str, object] = {
        "slug": "radslag",
        "name": "Rådslaget",
        "held": True,
        "fund": "konferens",
        "participants": 40,
    }
    values.update(kw)
    return EventFigures(**values)  # type: ignore[arg-type]


def test_the_cost_per_participant_is_the_funds_costs_over_the_participants_in_whole_kronor() -> (
    None
):
    assert event(costs=D("10001")).cost_per_participant == D(250)
    assert event(costs=None).cost_per_participant == D(0)
    assert event(fund=None, costs=D(100)).cost_per_participant is None
    assert event(participants=None, costs=D(100)).cost_per_participant is None


def test_an_event_over_its_cap_per_participant_is_an_error() -> None:
    over = event(costs=D(12000), cost_cap_per_participant=D(250))
    assert briefly(event_cost_within_cap(figures(events=[over]))) == [
        ("error", "2020 · Rådslaget · kostnad per deltagare", D(250), D(300))
    ]


def test_an_event_not_held_is_not_held_to_its_cap() -> None:
    cancelled = event(held=False, costs=D(12000), cost_cap_per_participant=D(250))
    assert event_cost_within_cap(figures(events=[cancelled])) == []


def test_a_printed_cost_per_participant_that_differs_is_an_error() -> None:
    found = event_cost_within_cap(
        figures(
            events=[event(costs=D(8000))],
            published=[printed("event.radslag.cost_per_participant", "210")],
        )
    )
    assert briefly(found) == [("error", "2020 · s. 12 · Rådslaget", D(200), D(210))]


def test_members_co_financing_that_differs_from_the_events_costs_is_an_error() -> None:
    books = accounts(
        cost("konferens", "1000"),
        income("konferens", "600", member="A"),
        income("konferens", "300", member="B"),
    )
    found = event_co_financing_covers_cost(figures(books, events=[event(costs=D(1000))]))
    assert briefly(found) == [("error", "2020 · Rådslaget · medfinansiering", D(1000), D(900))]


def test_each_members_co_financing_is_its_income_in_the_fund_less_refunds_and_not_the_fee() -> None:
    books = accounts(
        income("konferens", "400", member="B"),
        income("konferens", "600", member="A"),
        cost("konferens", "100", member="A"),  # a refund to Alby
        income("konferens", "50", member="A", category="avgift"),  # the fee is not co-financing
        income("drift", "999", member="B"),  # another fund
    )
    year = figures(books)
    assert year.co_financing("konferens") == (("Alby", D(500)), ("Botby", D(400))), "members' order"
    assert year.member_shares("konferens") == D(900)
    assert year.co_financing("drift") == (("Botby", D(999)),)


def test_an_event_without_co_financing_is_not_compared() -> None:
    assert event_co_financing_covers_cost(figures(events=[event(costs=D(1000))])) == []


def test_co_financing_before_the_events_costs_are_booked_is_a_warning_that_says_so() -> None:
    books = accounts(income("konferens", "600", member="A"), income("konferens", "300", member="B"))
    for costs in (None, D(0)):
        found = event_co_financing_covers_cost(figures(books, events=[event(costs=costs)]))
        assert briefly(found) == [("warning", "2020 · Rådslaget · medfinansiering", None, D(900))]
        assert "inte bokförda ännu" in found[0].message
        assert found[0].difference is None, "nothing to compare with yet: no difference shown"


def test_co_financing_without_booked_costs_in_a_decided_year_is_an_error() -> None:
    books = accounts(income("konferens", "900", member="A"))
    found = event_co_financing_covers_cost(figures(books, events=[event()], closed=True))
    assert briefly(found) == [("error", "2020 · Rådslaget · medfinansiering", D(0), D(900))]


def test_co_financing_equal_to_the_booked_costs_is_quiet_in_an_open_year() -> None:
    books = accounts(cost("konferens", "900"), income("konferens", "900", member="A"))
    assert event_co_financing_covers_cost(figures(books, events=[event(costs=D(900))])) == []


# -- grants --------------------------------------------------------------------------------------


def test_a_grant_receivable_is_what_was_booked_less_what_was_paid() -> None:
    assert grant(booked="100", paid="30").receivable == D(70)
    assert grant(booked="100", paid="30").is_open
    assert not grant(booked="100", paid="30", in_arrears=False).is_open


def test_an_arrears_grant_paid_beyond_what_was_booked_is_an_error() -> None:
    found = grant_in_arrears_is_receivable_until_paid(
        figures(grants=[grant(booked="100", paid="150")])
    )
    assert briefly(found) == [
        ("error", "2020 · Tillväxtverket (Modellen) · utbetalning", D(100), D(150))
    ]


def test_a_receivable_still_open_after_the_expected_payment_year_is_a_warning() -> None:
    late = grant(booked="100", paid="30", due=2019)
    assert briefly(grant_in_arrears_is_receivable_until_paid(figures(grants=[late]))) == [
        ("warning", "2020 · Tillväxtverket (Modellen) · fordran", D(0), D(70))
    ]
    assert (
        grant_in_arrears_is_receivable_until_paid(figures(grants=[grant(booked="100", paid="30")]))
        == []
    )


def test_an_advance_grant_is_not_a_receivable() -> None:
    advance = grant(booked="100", paid="150", in_arrears=False, due=2019)
    assert grant_in_arrears_is_receivable_until_paid(figures(grants=[advance])) == []


# -- population ----------------------------------------------------------------------------------


def test_a_stated_population_that_differs_from_the_members_figures_at_its_date_is_a_warning() -> (
    None
):
    on = dt.date(2020, 11, 1)
    found = stated_population_matches_members(
        figures(
            population={on: {"A": 1000, "B": 2000}},
            stated_population=StatedPopulation(total=3100, date=on),
        )
    )
    assert briefly(found) == [("warning", "2020 · invånare", D(3000), D(3100))]
    assert "100 färre" in found[0].message.replace("\xa0", " ")


def test_without_the_stated_date_the_members_figures_at_the_years_end_are_compared() -> None:
    found = stated_population_matches_members(
        figures(
            population={END: {"A": 1000, "B": 2100}}, stated_population=StatedPopulation(total=3000)
        )
    )
    assert briefly(found) == [("warning", "2020 · invånare", D(3100), D(3000))]


def test_a_date_where_a_member_lacks_a_figure_is_not_compared() -> None:
    found = stated_population_matches_members(
        figures(population={END: {"A": 1000}}, stated_population=StatedPopulation(total=3000))
    )
    assert found == []


def test_a_stated_population_equal_to_the_members_sum_is_quiet() -> None:
    found = stated_population_matches_members(
        figures(
            population={END: {"A": 1000, "B": 2000}}, stated_population=StatedPopulation(total=3000)
        )
    )
    assert found == []
