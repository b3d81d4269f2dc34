"""One data version per year: it keys the stored report editions and the web app's figures alike."""

from __future__ import annotations

from collections.abc import Callable

from samverkan.audit.services import record
from samverkan.members.models import Year, YearStatus
from samverkan.reports.api import render_report
from samverkan.reports.editions import stored_edition
from samverkan.reports.renderers import get_renderer
from samverkan.reports.versions import data_version
from samverkan.web.summaries import year_figures


def change(year: Year, action: str = "plan.follow_up.save", in_year: int | None = None) -> None:
    record(
        actor="tests",
        action=action,
        cooperation=year.cooperation,
        year=year.year if in_year is None else in_year,
    )


def test_every_change_to_a_drafts_data_gives_a_new_version(
    editable_demo_year: Callable[[int], Year],
) -> None:
    year = editable_demo_year(2020)
    before = data_version(year)
    change(year, "plan.follow_up.save")
    after_follow_up = data_version(year)
    change(year, "members.member.update", in_year=None)
    assert len({before, after_follow_up, data_version(year)}) == 3


def test_logins_and_roles_are_in_no_report_and_leave_the_version_alone(
    editable_demo_year: Callable[[int], Year],
) -> None:
    year = editable_demo_year(2020)
    before = data_version(year)
    change(year, "accounts.role.grant")
    assert data_version(year) == before


def test_a_decided_years_version_moves_only_with_its_own_entries(
    editable_demo_year: Callable[[int], Year],
) -> None:
    year = editable_demo_year(2019)
    Year.objects.filter(pk=year.pk).update(status=YearStatus.DECIDED)
    year.refresh_from_db()
    before = data_version(year)
    change(year, "plan.follow_up.save", in_year=2020)
    assert data_version(year) == before
    change(year, "members.year.reopen")
    assert data_version(year) != before


def test_the_stored_edition_and_the_web_figures_are_renewed_by_the_same_change(
    editable_demo_year: Callable[[int], Year],
) -> None:
    year = editable_demo_year(2020)
    render_report(year, "md")
    figures = year_figures(year)
    assert stored_edition(year, get_renderer("md"), "sv") is not None
    assert year_figures(year) is figures  # kept while the version holds

    change(year)

    assert stored_edition(year, get_renderer("md"), "sv") is None
    assert year_figures(year) is not figures
