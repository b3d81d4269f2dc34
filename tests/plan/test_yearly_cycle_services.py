"""The services of the yearly cycle: starting a year, editing the plan, proposals, budget, adopting the plan.

The cooperation is the small one of tests/data/cycle (one year, 2020, in
draft); each test starts from it as loaded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from samverkan.audit.models import AuditEntry
from samverkan.finance.accounts import year_accounts
from samverkan.finance.budget import budget_comparison
from samverkan.finance.models import BudgetLine, CostCategory, Fund, FundYear
from samverkan.finance.services import save_budget
from samverkan.governance.models import Network, NetworkYear
from samverkan.members.models import Cooperation, Year, YearStatus
from samverkan.members.services import DomainError, YearLocked, decide_year, set_year_status
from samverkan.members.year_services import PlanAdopted, preview_year, start_year
from samverkan.plan.models import (
    Activity,
    ActivityProposal,
    FocusArea,
    FollowUp,
    FollowUpStatus,
    ProposalStatus,
)
from samverkan.plan.services import (
    accept_proposal,
    add_focus_area,
    adopt_plan,
    cancel_activity,
    decline_proposal,
    delete_activity,
    move_focus_area,
    propose_activity,
    publish_plan,
    reopen_plan,
    save_activity,
    update_follow_up,
)
from samverkan.projects.models import Project, ProjectYear
from samverkan.web.plan_forms import parse_amount

DATA = Path(__file__).resolve().parents[1] / "data" / "cycle"
ACTOR = "tests"


@pytest.fixture
def coop(db: None) -> Cooperation:
    from samverkan.yearfile.services import load_files

    load_files([DATA / "cooperation.yaml", DATA / "2020.yaml"], actor=ACTOR)
    return Cooperation.objects.get(slug="malardalen")


@pytest.fixture
def y2020(coop: Cooperation) -> Year:
    return Year.objects.select_related("operating_fund").get(cooperation=coop, year=2020)


@pytest.fixture
def y2021(coop: Cooperation, y2020: Year) -> Year:
    return start_year(coop, 2021, from_year=y2020, actor=ACTOR)


def network(slug: str) -> Network:
    return Network.objects.get(cooperation__slug="malardalen", slug=slug)


# --- starting a year --------------------------------------------------------------------------


def test_a_started_year_opens_each_fund_at_last_years_closing_balance_derived_not_typed(
    y2020: Year, y2021: Year
) -> None:
    closing = {slug: b.closing for slug, b in year_accounts(y2020).balances.items()}
    opening = {slug: b.opening for slug, b in year_accounts(y2021).balances.items() if b.opening}
    assert (
        opening
        == closing
        == {
            "drift-2020": Decimal("112950.00"),
            "analysfond": Decimal("120000.00"),
            "tillvaxt-bidrag": Decimal("40000.00"),
        }
    )
    assert not FundYear.objects.filter(year=y2021, opening_stated__isnull=False).exists()


def test_a_started_year_has_a_new_operating_fund_and_carries_the_old_one_under_its_later_name(
    y2021: Year,
) -> None:
    assert y2021.operating_fund.slug == "drift-2021"
    labels = {fy.fund.slug: fy.label for fy in FundYear.objects.filter(year=y2021)}
    assert labels["drift-2020"] == "Samarbetet drift från 2020"
    assert y2021.status == YearStatus.PLANNING


def test_the_unpaid_grant_receivable_is_carried_forward(y2020: Year, y2021: Year) -> None:
    preview = preview_year(y2021.cooperation, 2022, from_year=y2021)
    assert [(r.grantor, r.amount) for r in preview.receivables] == [
        ("Tillväxtverket", Decimal("40000.00"))
    ]
    assert FundYear.objects.filter(year=y2021, fund__slug="tillvaxt-bidrag").exists()


def test_the_plan_carries_over_with_the_activities_marked_as_continuing(y2021: Year) -> None:
    areas = FocusArea.objects.filter(year=y2021).order_by("order")
    assert [(a.number, a.title, a.main_goal) for a in areas] == [
        ("3.1", "Infrastruktur", "God tillgänglighet i hela regionen"),
        ("3.2", "Klimat", "Minskade utsläpp"),
    ]
    assert [s.text for s in areas[0].sub_goals.all()] == ["Snabbare regionala tåg"]
    activities = Activity.objects.filter(focus_area__year=y2021)
    assert sorted(a.title for a in activities) == [
        "Gemensamt remissvar om länsplanen",
        "Klimatlöften för kommunerna",
    ]
    assert all(
        FollowUp.objects.get(activity=a).status == FollowUpStatus.NOT_STARTED for a in activities
    )


def test_the_secretariat_chooses_which_activities_continue(coop: Cooperation, y2020: Year) -> None:
    chosen = Activity.objects.get(focus_area__year=y2020, title="Kartläggning av pendlingen")
    year = start_year(coop, 2021, from_year=y2020, continuing_activity_ids=[chosen.pk], actor=ACTOR)
    assert [a.title for a in Activity.objects.filter(focus_area__year=year)] == [
        "Kartläggning av pendlingen"
    ]


def test_a_project_of_the_year_before_is_offered_and_ticked_only_when_planned_to_run_on(
    coop: Cooperation, y2020: Year
) -> None:
    analysis = Project.objects.get(cooperation=coop, slug="pendlingsanalys")
    offered = preview_year(coop, 2021, from_year=y2020).projects
    assert offered == [(analysis, False)], "a part in 2020 and no planned end: offered, not ticked"

    Project.objects.filter(pk=analysis.pk).update(end_year=2022)
    assert preview_year(coop, 2021, from_year=y2020).projects == [(analysis, True)]
    Project.objects.filter(pk=analysis.pk).update(end_year=2020)
    assert preview_year(coop, 2021, from_year=y2020).projects == [], "it ended in 2020"


def test_a_project_that_continues_gets_its_part_in_the_new_year_under_the_same_focus_area(
    coop: Cooperation, y2020: Year
) -> None:
    analysis = Project.objects.get(cooperation=coop, slug="pendlingsanalys")
    year = start_year(
        coop, 2021, from_year=y2020, continuing_project_ids=[analysis.pk], actor=ACTOR
    )

    part = ProjectYear.objects.get(project=analysis, year=year)
    assert part.focus_area is not None and part.focus_area.year_id == year.pk
    assert part.focus_area.slug == "infrastruktur"
    assert ProjectYear.objects.filter(project=analysis).count() == 2, "2020's part stays"
    started = AuditEntry.objects.get(action="year.start", year=2021)
    assert started.changes["projects"]["after"] == ["Pendlingsanalys"]
    assert AuditEntry.objects.filter(action="projects.project.continue", year=2021).count() == 1


def test_without_a_choice_the_projects_planned_to_run_on_continue(
    coop: Cooperation, y2020: Year
) -> None:
    Project.objects.filter(cooperation=coop, slug="pendlingsanalys").update(end_year=2021)
    year = start_year(coop, 2021, from_year=y2020, actor=ACTOR)
    assert [p.project.slug for p in ProjectYear.objects.filter(year=year)] == ["pendlingsanalys"]


def test_a_project_not_offered_is_refused_and_the_year_is_not_started(
    coop: Cooperation, y2020: Year
) -> None:
    Project.objects.filter(cooperation=coop, slug="pendlingsanalys").update(end_year=2020)
    ended = Project.objects.get(cooperation=coop, slug="pendlingsanalys")
    with pytest.raises(DomainError, match="Ett valt projekt kan inte fortsätta 2021"):
        start_year(coop, 2021, from_year=y2020, continuing_project_ids=[ended.pk], actor=ACTOR)
    assert not Year.objects.filter(cooperation=coop, year=2021).exists()


def test_every_network_carries_over_with_who_stays_away(y2021: Year) -> None:
    records = NetworkYear.objects.filter(year=y2021)
    assert {r.network.slug for r in records} == {"planchefer", "klimat", "naringsliv"}
    assert [m.code for m in records.get(network__slug="klimat").absent.all()] == ["0513"]


def test_starting_a_year_that_exists_is_refused_with_a_clear_message(
    coop: Cooperation, y2020: Year, y2021: Year
) -> None:
    with pytest.raises(DomainError, match="Året 2021 finns redan"):
        start_year(coop, 2021, from_year=y2020, actor=ACTOR)
    assert Year.objects.filter(cooperation=coop).count() == 2


def test_a_year_starts_only_from_the_year_before_and_of_the_same_cooperation(
    coop: Cooperation, y2020: Year
) -> None:
    with pytest.raises(DomainError, match="året före"):
        start_year(coop, 2022, from_year=y2020, actor=ACTOR)
    other = Cooperation.objects.create(slug="annan", name="Annan")
    with pytest.raises(DomainError, match="annan samverkan"):
        start_year(other, 2021, from_year=y2020, actor=ACTOR)


def test_a_year_can_start_empty_and_a_new_cooperations_first_year_has_no_from(
    coop: Cooperation,
) -> None:
    empty = start_year(coop, 2021, actor=ACTOR)
    assert not FocusArea.objects.filter(year=empty).exists() and empty.operating_fund is None
    first = start_year(
        Cooperation.objects.create(slug="ny", name="Ny samverkan"), 2026, actor=ACTOR
    )
    assert first.status == YearStatus.PLANNING


def test_starting_a_year_is_audited(y2021: Year) -> None:
    entry = AuditEntry.objects.get(action="year.start", year=2021)
    assert entry.changes["from"]["after"] == 2020
    assert entry.changes["openings"]["after"]["analysfond"] == "120000.00"


# --- editing the plan ---------------------------------------------------------------------------


def test_an_activity_without_a_title_is_refused_next_to_the_field(y2021: Year) -> None:
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    with pytest.raises(ValidationError) as refused:
        save_activity(area, actor=ACTOR, title="  ")
    assert "title" in refused.value.message_dict


def test_an_activity_ending_before_it_starts_is_refused(y2021: Year) -> None:
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    with pytest.raises(ValidationError) as refused:
        save_activity(
            area, actor=ACTOR, title="Baklänges", start=dt.date(2021, 5, 1), end=dt.date(2021, 4, 1)
        )
    assert "end" in refused.value.message_dict


def test_an_owner_from_another_cooperation_is_refused_and_nothing_is_saved(y2021: Year) -> None:
    other = Network.objects.create(
        cooperation=Cooperation.objects.create(slug="annan", name="Annan"),
        slug="x",
        name="Främmande nätverket",
    )
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    before = Activity.objects.count()
    with pytest.raises(DomainError, match="Främmande"):
        save_activity(area, actor=ACTOR, title="Ny", networks=[other])
    assert Activity.objects.count() == before


def test_an_activity_in_a_locked_year_is_refused(y2020: Year) -> None:
    decide_year(y2020, dt.date(2021, 2, 1), actor=ACTOR)
    area = FocusArea.objects.get(year=y2020, slug="infrastruktur")
    with pytest.raises(YearLocked):
        save_activity(area, actor=ACTOR, title="För sent")


def test_focus_areas_move_up_and_down_and_keep_their_numbers_in_order(y2021: Year) -> None:
    added = add_focus_area(y2021, actor=ACTOR, title="Näringsliv")
    assert (added.number, added.slug) == ("3.3", "naringsliv")
    move_focus_area(added, "up", actor=ACTOR)
    assert [str(a) for a in FocusArea.objects.filter(year=y2021).order_by("order")] == [
        "3.1 Infrastruktur",
        "3.2 Näringsliv",
        "3.3 Klimat",
    ]


def test_an_activity_with_a_follow_up_is_cancelled_with_a_reason_not_deleted(y2021: Year) -> None:
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    fresh = save_activity(area, actor=ACTOR, title="Ny idé")
    delete_activity(fresh, actor=ACTOR)
    assert not Activity.objects.filter(pk=fresh.pk).exists()

    followed = save_activity(area, actor=ACTOR, title="Påbörjad")
    update_follow_up(followed.follow_up, actor=ACTOR, version=1, status="ongoing", text="Igång")
    with pytest.raises(DomainError, match="inställd"):
        delete_activity(followed, actor=ACTOR)
    with pytest.raises(DomainError, match="Ange varför"):
        cancel_activity(followed, actor=ACTOR, reason=" ")
    cancel_activity(followed, actor=ACTOR, reason="Ingen budget")
    stored = FollowUp.objects.get(activity=followed)
    assert (stored.status, stored.status_reason, stored.text) == (
        "cancelled",
        "Ingen budget",
        "Igång",
    )


def test_a_follow_up_cancelled_without_a_reason_breaks_the_record_rule(y2021: Year) -> None:
    follow_up = FollowUp.objects.filter(activity__focus_area__year=y2021).first()
    follow_up.status = FollowUpStatus.CANCELLED
    with pytest.raises(ValidationError):
        follow_up.full_clean()


# --- proposals ----------------------------------------------------------------------------------


def test_a_network_proposes_only_for_the_areas_it_answers_for(y2021: Year) -> None:
    infrastructure = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    with pytest.raises(DomainError, match="ansvarar inte"):
        propose_activity(infrastructure, actor=ACTOR, network=network("klimat"), title="Cykelplan")
    proposal = propose_activity(
        infrastructure, actor=ACTOR, network=network("planchefer"), title="Cykelplan"
    )
    assert proposal.status == ProposalStatus.PROPOSED


def test_proposals_are_taken_only_while_the_year_is_planned(y2020: Year) -> None:
    area = FocusArea.objects.get(year=y2020, slug="infrastruktur")
    with pytest.raises(DomainError, match="planeras"):
        propose_activity(area, actor=ACTOR, network=network("planchefer"), title="Sent förslag")


def test_an_accepted_proposal_becomes_an_activity_as_edited(y2021: Year) -> None:
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    proposal = propose_activity(area, actor=ACTOR, network=network("planchefer"), title="Cykelplan")
    activity = accept_proposal(
        proposal, actor=ACTOR, title="Regional cykelplan", networks=[network("planchefer")]
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.activity, activity.title) == (
        "accepted",
        activity,
        "Regional cykelplan",
    )
    with pytest.raises(DomainError, match="redan"):
        decline_proposal(proposal, actor=ACTOR, reason="För sent")


def test_a_failed_acceptance_leaves_the_proposal_proposed_and_adds_no_activity(y2021: Year) -> None:
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    proposal = propose_activity(area, actor=ACTOR, network=network("planchefer"), title="Cykelplan")
    stranger = Network.objects.create(
        cooperation=Cooperation.objects.create(slug="annan", name="Annan"),
        slug="x",
        name="Främmande nätverket",
    )
    before = Activity.objects.count()
    with pytest.raises(DomainError):
        accept_proposal(proposal, actor=ACTOR, title="Cykelplan", networks=[stranger])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and Activity.objects.count() == before


def test_a_proposal_is_declined_only_with_a_reason(y2021: Year) -> None:
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    proposal = propose_activity(area, actor=ACTOR, network=network("planchefer"), title="Cykelplan")
    with pytest.raises(ValidationError):
        decline_proposal(proposal, actor=ACTOR, reason="")
    decline_proposal(proposal, actor=ACTOR, reason="Ryms inte")
    assert ActivityProposal.objects.get(pk=proposal.pk).decision_reason == "Ryms inte"


# --- budget and adoption ------------------------------------------------------------------------


def test_the_budget_is_compared_with_the_outcome_per_fund_and_category(y2020: Year) -> None:
    fund = Fund.objects.get(slug="drift-2020")
    staff = CostCategory.objects.get(slug="personalkostnader")
    save_budget(y2020, actor=ACTOR, amounts={(fund.pk, staff.pk): Decimal("450000")})
    (drift,) = budget_comparison(y2020)
    row = next(r for r in drift.rows if r.category == "Personalkostnader")
    assert (row.budget, row.outcome, row.deviation) == (
        Decimal("450000"),
        Decimal("500000.00"),
        Decimal("50000.00"),
    )
    save_budget(y2020, actor=ACTOR, amounts={(fund.pk, staff.pk): None})
    assert not BudgetLine.objects.exists()


def test_a_budget_amount_that_is_not_a_number_is_refused() -> None:
    assert parse_amount("1 600,50") == Decimal("1600.50")
    assert parse_amount("") is None
    for text in ("abc", "1.2.3", "NaN", "1,005"):
        with pytest.raises(ValueError):
            parse_amount(text)


def test_an_adopted_plan_is_locked_for_planning_while_the_follow_up_goes_on(y2021: Year) -> None:
    area = FocusArea.objects.get(year=y2021, slug="infrastruktur")
    activity = Activity.objects.filter(focus_area=area).first()
    adopt_plan(y2021, dt.date(2020, 12, 10), actor=ACTOR)
    with pytest.raises(PlanAdopted):
        save_activity(area, actor=ACTOR, title="Efter beslutet")
    with pytest.raises(PlanAdopted):
        save_budget(y2021, actor=ACTOR, amounts={})
    set_year_status(y2021, YearStatus.FOLLOW_UP, actor=ACTOR)
    update_follow_up(activity.follow_up, actor=ACTOR, version=1, status="ongoing", text="Pågår")
    publish_plan(y2021, actor=ACTOR)
    reopen_plan(y2021, actor=ACTOR, reason="Revidering")
    y2021.refresh_from_db()
    assert (y2021.plan_adopted_on, y2021.plan_published_at) == (None, None)
    assert [
        e.action
        for e in AuditEntry.objects.filter(action__startswith="plan.", year=2021).order_by("id")
    ] == ["plan.adopt", "plan.follow_up.update", "plan.publish", "plan.reopen"]


def test_only_an_adopted_plan_is_published(y2021: Year) -> None:
    with pytest.raises(DomainError, match="antagen"):
        publish_plan(y2021, actor=ACTOR)


def test_the_plan_document_prints_the_action_plan_and_the_budget(y2021: Year) -> None:
    from samverkan.reports.api import render_report

    fund = Fund.objects.get(slug="drift-2021")
    staff = CostCategory.objects.get(slug="personalkostnader")
    save_budget(y2021, actor=ACTOR, amounts={(fund.pk, staff.pk): Decimal("550000")})
    text = render_report(y2021, "md", document="plan")[0].decode()
    assert text.startswith("# Mälardalskommunernas samarbete: Verksamhetsplan 2021")
    assert "Handlingsplan 2021" in text and "Gemensamt remissvar om länsplanen" in text
    assert "Budget 2021 – Samarbetet drift" in text and "550\u00a0000" in text
    assert "Uppföljning" not in text, "the plan has no follow-up"
