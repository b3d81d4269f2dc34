"""One data version per year: it keys the stored report editions and the web app's figures alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from samverkan.audit.models import AuditEntry
from samverkan.audit.services import record
from samverkan.consultations.services import save_consultation_response
from samverkan.governance.models import Body, Network
from samverkan.members.models import Year, YearStatus, YearText
from samverkan.members.services import save_year_text
from samverkan.plan.models import FocusArea, FollowUp
from samverkan.plan.services import add_focus_area, save_activity, update_follow_up
from samverkan.reports.api import render_report
from samverkan.reports.editions import stored_edition
from samverkan.reports.figures_from_db import build_year_figures
from samverkan.reports.renderers import get_renderer
from samverkan.reports.versions import FIGURE_NEUTRAL_ACTIONS, data_version
from samverkan.web.findings import year_findings
from samverkan.web.services import save_meeting
from samverkan.web.summaries import year_figures

# One action of each kind that the figures never read (reports.versions.FIGURE_NEUTRAL_ACTIONS).
FIGURE_NEUTRAL_EXAMPLES = (
    "plan.follow_up.update",
    "plan.activity.create",
    "plan.focus_area.create",
    "governance.meeting.create",
    "consultations.response.create",
    "members.year_text.update",
)


def change_every_figure_neutral_kind(year: Year, actor: str = "tests") -> None:
    """Through the services, one change of each kind in FIGURE_NEUTRAL_EXAMPLES."""
    follow_up = FollowUp.objects.filter(activity__focus_area__year=year).first()
    assert follow_up is not None
    update_follow_up(
        follow_up, actor=actor, version=follow_up.version, status="done", text="Genomfört."
    )
    area = add_focus_area(year, actor=actor, title="Nytt område")
    save_activity(
        FocusArea.objects.get(pk=area.pk),
        actor=actor,
        title="Ny aktivitet",
        networks=list(Network.objects.filter(cooperation=year.cooperation)[:1]),
    )
    save_meeting(
        year,
        actor=actor,
        body=Body.objects.filter(cooperation=year.cooperation).first(),
        networks=[],
        format="physical",
        kind="ordinary",
        date=dt.date(year.year, 5, 4),
    )
    save_consultation_response(year, actor=actor, subject="Regional plan", authority="Region")
    text = YearText.objects.filter(year=year).first()
    assert text is not None
    save_year_text(year, text, actor=actor, key=text.key, body=text.body + "\n\nEn mening till.")


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

    change(year, "finance.ledger_lines_saved")

    assert stored_edition(year, get_renderer("md"), "sv") is None
    assert year_figures(year) is not figures


def test_a_follow_up_renews_the_report_but_keeps_the_figures_and_findings(
    editable_demo_year: Callable[[int], Year],
) -> None:
    """The figures never read the plan: a network lead's save must not rebuild every dashboard's accounts."""
    year = editable_demo_year(2020)
    render_report(year, "md")
    figures, findings = year_figures(year), year_findings(year)
    for action in FIGURE_NEUTRAL_EXAMPLES:
        change(year, action)
        assert year_figures(year) is figures, action
        assert year_findings(year) is findings, action
    assert stored_edition(year, get_renderer("md"), "sv") is None, "the report prints the plan"

    for action in (
        "governance.event.update",
        "members.population.save",
        "admin.change",
        "new.kind",
    ):
        change(year, action)
        assert year_figures(year) is not figures, action
        figures = year_figures(year)


def test_the_changes_the_figures_ignore_leave_the_figures_as_built(
    editable_demo_year: Callable[[int], Year],
) -> None:
    """What `figures_version` leaves out is true: each such kind of change, made through its own
    service, leaves the year's figures equal to a fresh build before it."""
    year = editable_demo_year(2020)
    before = build_year_figures(year)
    change_every_figure_neutral_kind(year)
    actions = set(AuditEntry.objects.filter(year=2020).values_list("action", flat=True))
    assert {a for a in actions if a.startswith(FIGURE_NEUTRAL_ACTIONS)} >= set(
        FIGURE_NEUTRAL_EXAMPLES
    )
    assert build_year_figures(Year.objects.get(pk=year.pk)) == before
