"""The report object: what it derives from the data, and where each text of the year goes."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.finance.models import FundYear, PublishedFigure
from samverkan.governance.models import Network
from samverkan.members.models import Year, YearText
from samverkan.plan.models import Activity, FollowUp
from samverkan.projects.models import Project, ProjectYear
from samverkan.reports.api import render_report
from samverkan.reports.assembly import build_annual_report


def network(report, slug):
    found = [n for c in report.follow_up for a in c.focus_areas for n in a.networks]
    found += list(report.administration.networks)
    return next(n for n in found if n.slug == slug)


def test_the_population_at_year_end_is_summed_from_the_members_figures_when_all_exist(demo_year):
    population = build_annual_report(demo_year(2018)).introduction.population

    assert population.derived
    assert population.population == 496_201  # not the 494 358 the 2018 text quotes for 30 September


def test_the_printed_population_is_used_when_the_members_figures_are_missing(demo_year):
    population = build_annual_report(demo_year(2020)).introduction.population

    assert not population.derived
    assert (population.population, population.note) == (507_552, "Vid årets slut")


def test_the_population_series_holds_only_dates_where_every_member_has_a_figure(demo_year):
    series = build_annual_report(demo_year(2020)).introduction.population_series

    assert [(p.date.isoformat(), p.population) for p in series] == [
        ("2017-12-31", 488_735),
        ("2018-12-31", 496_201),
        ("2019-12-31", 503_200),
    ]


def test_the_fee_basis_date_comes_from_the_fee_rule_not_from_the_text(demo_year):
    fees = build_annual_report(demo_year(2018)).accounts.fees

    assert fees.basis_date.isoformat() == "2017-12-31"  # the 2018 text says 31 December 2018
    assert fees.total == Decimal("1954940")


def test_the_summary_total_is_the_sum_of_the_fund_rows(demo_year):
    accounts = build_annual_report(demo_year(2020)).accounts

    assert accounts.total.opening == sum(row.opening for row in accounts.summary)
    assert (
        accounts.total.closing == sum(row.closing for row in accounts.summary) == Decimal("1381129")
    )


def test_a_fund_is_named_by_the_years_label_else_by_name_in_its_first_year_else_by_its_carried_name(
    demo_year,
):
    year = demo_year(2020)
    FundYear.objects.filter(year=year, fund__slug__in=["drift-2018", "drift-2020"]).update(label="")

    labels = {row.slug: row.label for row in build_annual_report(year).accounts.summary}

    assert labels["drift-2020"] == "Södertörnssamarbetet drift"  # the operating fund: its name
    assert (
        labels["drift-2018"] == "Södertörnssamarbetet drift från 2018"
    )  # a later year: carried name
    assert labels["drift-2019"] == "Södertörnsamarbetet drift från 2019"  # the year's own label
    assert labels["kommunikationsprojekt"] == "Kommunikationsprojekt"  # no carried name: its name


def test_a_projects_cost_is_booked_from_its_lines_and_stated_only_without_lines(editable_demo_year):
    year = editable_demo_year(2020)
    project = Project.objects.create(
        cooperation=year.cooperation, start_year=year, slug="utan-rader", name="Utan rader"
    )
    ProjectYear.objects.create(project=project, year=year, stated_cost=Decimal("12000"), order=99)

    projects = {p.slug: p for p in build_annual_report(year).projects}

    assert (
        projects["naringslivsanalys-great"].cost,
        projects["naringslivsanalys-great"].cost_is_booked,
    ) == (Decimal("297800"), True)  # the Great and Bisnode lines; the text states 298 000
    assert (projects["utan-rader"].cost, projects["utan-rader"].cost_is_booked) == (
        Decimal("12000"),
        False,
    )


def test_network_meetings_are_counted_from_the_register_by_form_and_kind(demo_year):
    snug = network(build_annual_report(demo_year(2020)), "snug")

    assert (snug.meetings.total, snug.meetings.digital, snug.meetings.physical) == (15, 13, 2)
    assert (snug.meetings.ordinary, snug.meetings.extra) == (7, 8)


def test_a_network_tells_who_takes_part_and_who_stays_away(demo_year):
    klimat = network(build_annual_report(demo_year(2020)), "klimatstrategier")

    assert klimat.absent == ("Salem",)
    assert "Salem" not in klimat.participants and len(klimat.participants) == 7
    assert not klimat.all_members


def test_a_network_with_meetings_but_no_summary_is_shown_under_administration(demo_year):
    report = build_annual_report(demo_year(2018))

    assert [n.slug for n in report.administration.networks] == ["yh-natverket"]


def test_the_event_cost_per_participant_is_derived_and_compared_with_the_cap(demo_year):
    radslag = build_annual_report(demo_year(2018)).administration.events[0]

    assert (radslag.costs, radslag.cost_per_participant, radslag.cost_cap_per_participant) == (
        Decimal("106791"),
        Decimal("731"),
        Decimal("1600"),
    )
    assert radslag.co_financing_total == Decimal("106791")
    assert radslag.co_financing[0] == ("Botkyrka", Decimal("16718"))


def test_an_arrears_grant_booked_but_unpaid_is_an_open_receivable(demo_year):
    receivables = build_annual_report(demo_year(2018)).accounts.receivables

    assert [(r.grantor, r.amount) for r in receivables] == [("Tillväxtverket", Decimal("26121"))]
    assert build_annual_report(demo_year(2020)).accounts.receivables == ()


def test_each_text_goes_to_its_chapter(demo_year):
    report = build_annual_report(demo_year(2018))

    assert [t.key for t in report.introduction.texts] == ["introduction"]
    assert [t.key for t in report.goals.texts] == ["area_groups_intro"]
    assert [t.key for b in report.administration.bodies for t in b.texts] == [
        "committee",
        "management_group",
        "secretariat",
    ]
    assert [t.key for e in report.administration.events for t in e.texts] == [
        "radslag",
        "sodertornskonferensen",
        "nyckeltal",
    ]
    assert [t.key for t in report.administration.closing_texts] == ["administration"]
    assert [t.key for t in report.accounts.texts] == ["accounts"]
    assert report.other_texts == ()


def test_a_text_keyed_by_a_focus_area_goes_to_that_focus_area(editable_demo_year):
    year = editable_demo_year(2020)
    YearText.objects.create(year=year, key="utbildning", body="Om utbildningen.", order=50)

    area = next(
        a
        for c in build_annual_report(year).follow_up
        for a in c.focus_areas
        if a.slug == "utbildning"
    )

    assert [t.body for t in area.texts] == ["Om utbildningen."]


def test_a_text_no_chapter_claims_is_printed_not_dropped(editable_demo_year):
    year = editable_demo_year(2020)
    YearText.objects.create(
        year=year, key="miljo-redovisning", body="Samarbetet har mätt sina resor.", order=60
    )

    report = build_annual_report(year)
    text = render_report(year, "md")[0].decode()

    assert [t.key for t in report.other_texts] == ["miljo-redovisning"]
    assert "### Miljo redovisning\n\nSamarbetet har mätt sina resor." in text
    assert text.index("## 7. Övrigt") < text.index("## 8. Bokslut 2020")


def test_a_printed_figure_that_differs_is_printed_as_adopted_with_the_derived_one_beside_it(
    demo_year,
):
    year = demo_year(2020)
    PublishedFigure.objects.filter(year=year, key="fund.sodertornsmodellen.closing").update(
        amount=Decimal("7654321")
    )

    text = render_report(year, "md")[0].decode().replace("\u00a0", " ")

    assert "| Södertörnsmodellen | 521 307 |  | 1 450 | 7 654 321 |" in text
    assert (
        "Södertörnsmodellen, utgående balans: 7 654 321 kr som i den antagna årsredovisningen. "
        "Summan av delarna är 519 857 kr (7 134 464 kr mindre)." in text
    )


def test_a_year_without_printed_figures_prints_only_derived_ones_and_no_notes(demo_year):
    year = demo_year(2020)
    Year.objects.filter(pk=year.pk).update(status="draft")  # a year made in the system
    PublishedFigure.objects.filter(year=year).delete()

    text = render_report(year, "md")[0].decode().replace("\u00a0", " ")

    assert "som i den antagna årsredovisningen" not in text
    assert "Årets överskott landar på totalt 188 431 kr." in text


def test_the_number_of_queries_does_not_grow_with_the_activities(
    editable_demo_year, django_assert_max_num_queries
):
    year = editable_demo_year(2020)
    build_annual_report(year)
    with CaptureQueriesContext(connection) as before:
        build_annual_report(year)
    area = year.focus_areas.first()
    snug = Network.objects.get(cooperation=year.cooperation, slug="snug")
    for n in range(40):
        activity = Activity.objects.create(focus_area=area, title=f"Aktivitet {n}", order=100 + n)
        activity.networks.add(snug)
        FollowUp.objects.create(activity=activity, status="done", text="- gjort")

    with django_assert_max_num_queries(len(before.captured_queries)):
        report = build_annual_report(year)

    assert sum(len(a.activities) for c in report.follow_up for a in c.focus_areas) > 40
