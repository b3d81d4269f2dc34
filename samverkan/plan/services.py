"""Changes to the plan and its follow-up: atomic, audited, refused in a locked year (the plan: once adopted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samverkan.audit.services import Actor, diff, record, user_of
from samverkan.core.validation import check_record
from samverkan.governance.models import Network
from samverkan.governance.networks import networks_of_year
from samverkan.members.conflicts import EditConflict, refuse_if_changed
from samverkan.members.models import Year, YearStatus
from samverkan.members.services import DomainError, lock_year_for_edit
from samverkan.members.year_services import lock_plan_for_edit, slug_for
from samverkan.plan.models import (
    Activity,
    ActivityProposal,
    AreaGroup,
    AreaGroupKind,
    FocusArea,
    FollowUp,
    FollowUpStatus,
    ProposalStatus,
    SubGoal,
)

FOLLOW_UP_FIELDS = ("status", "status_reason", "continues", "text")

__all__ = ["EditConflict"]  # shared (samverkan.members.conflicts); imported from here before


def _state(follow_up: FollowUp) -> dict[str, Any]:
    return {name: getattr(follow_up, name) for name in FOLLOW_UP_FIELDS}


def conflict_message(current: FollowUp) -> str:
    who = current.updated_by.get_username() if current.updated_by else _("någon annan")
    return _(
        "Uppföljningen sparades av %(who)s %(when)s medan du redigerade. Dina ändringar har inte "
        "sparats. Läs den nya versionen nedan och gör om ändringen."
    ) % {"who": who, "when": date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")}


@transaction.atomic
def update_follow_up(
    follow_up: FollowUp,
    *,
    actor: Actor,
    version: int,
    status: str,
    status_reason: str = "",
    continues: bool = False,
    text: str = "",
) -> FollowUp:
    """Save a follow-up that was read at `version`; refuse if it changed since.

    The row is updated only where its version is still `version` and the
    version goes up by one, so two people who read the same version cannot
    both save: the second gets EditConflict, whatever the database's timing.
    Saving unchanged values writes nothing. Raises YearLocked in a decided or
    published year.
    """
    activity = follow_up.activity
    year = lock_year_for_edit(activity.focus_area.year_id)
    current = FollowUp.objects.select_related("updated_by").get(pk=follow_up.pk)
    if current.version != version:
        raise EditConflict(conflict_message(current), current)
    after = {
        "status": status,
        "status_reason": status_reason.strip(),
        "continues": continues,
        "text": text.replace("\r\n", "\n"),
    }
    # The row is written with a conditional UPDATE (the version guard), so the model's rules
    # are asked of an unsaved copy carrying the new values.
    check_record(
        FollowUp(pk=current.pk, activity_id=current.activity_id, **after), exclude=["activity"]
    )
    changes = diff(_state(current), after)
    if not changes:
        return current
    user = user_of(actor)
    updated = FollowUp.objects.filter(pk=follow_up.pk, version=version).update(
        **after, version=version + 1, updated_at=timezone.now(), updated_by=user
    )
    if updated == 0:
        # Saved by someone else between the read above and this update.
        current = FollowUp.objects.select_related("updated_by").get(pk=follow_up.pk)
        raise EditConflict(conflict_message(current), current)
    changes["version"] = {"before": version, "after": version + 1}
    saved = FollowUp.objects.select_related("updated_by").get(pk=follow_up.pk)
    record(
        actor=actor,
        action="plan.follow_up.update",
        cooperation=year.cooperation,
        year=year.year,
        obj=saved,
        changes=changes,
    )
    return saved


# --- the plan: focus areas, goals and activities --------------------------------------------
#
# Every change below is atomic, takes the plan's lock (`lock_plan_for_edit`: the year's lock,
# and the plan not yet adopted) first and writes one audit entry. Marking an activity cancelled
# is follow-up, not planning: it passes the year's lock only, so it goes on after adoption.


def _plan_record(
    year: Year, action: str, obj: Any, changes: dict[str, Any], *, actor: Actor, message: str = ""
) -> None:
    record(
        actor=actor,
        action=action,
        cooperation=year.cooperation,
        year=year.year,
        obj=obj,
        changes=changes,
        message=message,
    )


def _year_networks(year: Year) -> set[int]:
    return set(networks_of_year(year).values_list("pk", flat=True))


def check_networks(year: Year, networks: Sequence[Network]) -> None:
    """Owners must be networks of this year (`networks_of_year`), which also makes them the cooperation's."""
    allowed = _year_networks(year)
    stray = [str(n) for n in networks if n.pk not in allowed]
    if stray:
        raise DomainError(
            _("Nätverket %(names)s är inte med i %(year)s.")
            % {"names": ", ".join(stray), "year": year.year}
        )


def _next_order(queryset: Any) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _next_number(year: Year) -> str:
    """ "3.4" after "3.1"–"3.3"; empty when the year's areas are not numbered that way."""
    numbers = [n for n in FocusArea.objects.filter(year=year).values_list("number", flat=True) if n]
    parts = [n.split(".") for n in numbers]
    if parts and all(len(p) == 2 and p[0].isdigit() and p[1].isdigit() for p in parts):
        chapter = max(int(p[0]) for p in parts)
        return f"{chapter}.{max(int(p[1]) for p in parts if int(p[0]) == chapter) + 1}"
    return ""


@transaction.atomic
def add_focus_area(year: Year, *, actor: Actor, title: str, main_goal: str = "") -> FocusArea:
    """A new focus area at the end of the plan, in the year's last area group (made if the year has none)."""
    locked = lock_plan_for_edit(year.pk)
    group = AreaGroup.objects.filter(year=locked).order_by("-order").first()
    if group is None:
        group = AreaGroup.objects.create(
            year=locked, slug="fokusomraden", name=_("Fokusområden"), kind=AreaGroupKind.REGIONAL
        )
    area = FocusArea(
        year=locked,
        group=group,
        title=title.strip(),
        main_goal=main_goal.strip(),
        number=_next_number(locked),
        order=_next_order(FocusArea.objects.filter(year=locked)),
        slug=slug_for(title, FocusArea.objects.filter(year=locked).values_list("slug", flat=True)),
    )
    area.full_clean()
    area.save()
    _plan_record(
        locked,
        "plan.focus_area.create",
        area,
        {"title": {"before": None, "after": area.title}},
        actor=actor,
    )
    return area


def focus_area_state(area: FocusArea) -> dict[str, Any]:
    """What a focus area's edit form changes, as its audit entries compare it (and the form's
    digest covers it)."""
    return {"title": area.title, "main_goal": area.main_goal}


@transaction.atomic
def update_focus_area(
    area: FocusArea, *, actor: Actor, title: str, main_goal: str, read_as: str | None = None
) -> FocusArea:
    """Rename a focus area and change its main goal. `read_as`: the digest of the area as the
    form read it; EditConflict, and nothing saved, if it changed since."""
    locked = lock_plan_for_edit(area.year_id)
    area = FocusArea.objects.select_for_update().get(pk=area.pk)
    before = focus_area_state(area)
    refuse_if_changed(area, before, read_as, what=_("Fokusområdet"))
    area.title, area.main_goal = title.strip(), main_goal.strip()
    area.full_clean()
    area.save(update_fields=["title", "main_goal"])
    changes = diff(before, focus_area_state(area))
    if changes:
        _plan_record(locked, "plan.focus_area.update", area, changes, actor=actor)
    return area


def _swap(items: list[Any], obj: Any, direction: str) -> list[Any]:
    """The list with `obj` moved one place up or down (unchanged at either end)."""
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    return items


def _renumber(items: list[Any]) -> None:
    for order, item in enumerate(items, 1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])


@transaction.atomic
def move_focus_area(area: FocusArea, direction: str, *, actor: Actor) -> None:
    """Move a focus area one place up or down in the plan; the numbers follow the new order."""
    locked = lock_plan_for_edit(area.year_id)
    areas = list(FocusArea.objects.filter(year=locked).order_by("order", "id"))
    numbers = [a.number for a in areas]
    before = [a.slug for a in areas]
    areas = _swap(areas, area, direction)
    _renumber(areas)
    if all(numbers):
        for item, number in zip(areas, numbers, strict=True):
            if item.number != number:
                item.number = number
                item.save(update_fields=["number"])
    _plan_record(
        locked,
        "plan.focus_area.move",
        area,
        diff({"order": before}, {"order": [a.slug for a in areas]}),
        actor=actor,
    )


@transaction.atomic
def add_sub_goal(area: FocusArea, *, actor: Actor, text: str) -> SubGoal:
    locked = lock_plan_for_edit(area.year_id)
    goal = SubGoal(focus_area=area, text=text.strip(), order=_next_order(area.sub_goals.all()))
    goal.full_clean()
    goal.save()
    _plan_record(
        locked,
        "plan.sub_goal.create",
        goal,
        {"text": {"before": None, "after": goal.text}},
        actor=actor,
    )
    return goal


def sub_goal_state(goal: SubGoal) -> dict[str, Any]:
    """What a sub-goal's form changes (its text), as its audit entries name it."""
    return {"text": goal.text}


@transaction.atomic
def update_sub_goal(
    goal: SubGoal, *, actor: Actor, text: str, read_as: str | None = None
) -> SubGoal:
    """Change a sub-goal's text. `read_as`: the digest of the sub-goal as the form read it;
    EditConflict, and nothing saved, if it changed since."""
    locked = lock_plan_for_edit(goal.focus_area.year_id)
    goal = SubGoal.objects.select_for_update().get(pk=goal.pk)
    refuse_if_changed(goal, sub_goal_state(goal), read_as, what=_("Delmålet"))
    before = goal.text
    goal.text = text.strip()
    goal.full_clean()
    goal.save(update_fields=["text"])
    if before != goal.text:
        _plan_record(
            locked,
            "plan.sub_goal.update",
            goal,
            {"text": {"before": before, "after": goal.text}},
            actor=actor,
        )
    return goal


@transaction.atomic
def move_sub_goal(goal: SubGoal, direction: str, *, actor: Actor) -> None:
    locked = lock_plan_for_edit(goal.focus_area.year_id)
    goals = list(SubGoal.objects.filter(focus_area_id=goal.focus_area_id).order_by("order", "id"))
    before = [g.pk for g in goals]
    goals = _swap(goals, goal, direction)
    _renumber(goals)
    _plan_record(
        locked,
        "plan.sub_goal.move",
        goal,
        diff({"order": before}, {"order": [g.pk for g in goals]}),
        actor=actor,
    )


@transaction.atomic
def delete_sub_goal(goal: SubGoal, *, actor: Actor, read_as: str | None = None) -> None:
    """Remove a sub-goal of a focus area. `read_as`: the digest of the sub-goal as the page showed it; EditConflict, and nothing
    removed, if it changed since."""
    locked = lock_plan_for_edit(goal.focus_area.year_id)
    goal = SubGoal.objects.select_for_update().get(pk=goal.pk)
    refuse_if_changed(goal, sub_goal_state(goal), read_as, what=_("Delmålet"), removing=True)
    _plan_record(
        locked,
        "plan.sub_goal.delete",
        goal,
        {"text": {"before": goal.text, "after": None}},
        actor=actor,
    )
    goal.delete()


def activity_state(activity: Activity) -> dict[str, Any]:
    """An activity's state as its audit entries compare it (and its edit form's digest covers it)."""
    return {
        "title": activity.title,
        "description": activity.description,
        "focus_area": activity.focus_area.slug,
        "networks": sorted(n.slug for n in activity.networks.all()) if activity.pk else [],
        "start": activity.start.isoformat() if activity.start else None,
        "end": activity.end.isoformat() if activity.end else None,
    }


@transaction.atomic
def save_activity(
    area: FocusArea,
    activity: Activity | None = None,
    *,
    actor: Actor,
    title: str,
    description: str = "",
    networks: Sequence[Network] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    read_as: str | None = None,
) -> Activity:
    """Add an activity to a focus area (activity=None) or change one of its activities.

    Owners are networks of the year; no owners means the focus area's
    responsible networks. A new activity gets its (empty) follow-up at once,
    so that it can be followed up from its own page. `read_as`: the digest of the activity as
    its edit form read it; EditConflict, and nothing saved, if it changed since.
    """
    locked = lock_plan_for_edit(area.year_id)
    check_networks(locked, networks)
    creating = activity is None
    if activity is None:
        activity = Activity(focus_area=area, order=_next_order(area.activities.all()))
        before: dict[str, Any] = {}
    else:
        if activity.focus_area.year_id != locked.pk:
            raise DomainError(_("Aktiviteten hör inte till det här året."))
        activity = (
            Activity.objects.select_for_update().select_related("focus_area").get(pk=activity.pk)
        )
        before = activity_state(activity)
        refuse_if_changed(activity, before, read_as, what=_("Aktiviteten"))
    activity.title, activity.description = title.strip(), description.replace("\r\n", "\n").strip()
    activity.start, activity.end = start, end
    check_record(activity, extra=Activity.network_errors(locked.cooperation_id, networks))
    activity.save()
    activity.networks.set(networks)
    if creating:
        FollowUp.objects.create(activity=activity)
    changes = diff(before, activity_state(activity))
    if changes:
        _plan_record(
            locked,
            "plan.activity.create" if creating else "plan.activity.update",
            activity,
            changes,
            actor=actor,
        )
    return activity


@transaction.atomic
def move_activity(
    activity: Activity, to_area: FocusArea, *, actor: Actor, read_as: str | None = None
) -> Activity:
    """Move an activity to another focus area of the same year (last there).

    `read_as`: the digest of the activity as the page showed it; EditConflict, and nothing
    moved, if it changed since."""
    locked = lock_plan_for_edit(activity.focus_area.year_id)
    if to_area.year_id != locked.pk:
        raise DomainError(_("Fokusområdet hör inte till samma år."))
    activity = Activity.objects.select_for_update().select_related("focus_area").get(pk=activity.pk)
    refuse_if_changed(activity, activity_state(activity), read_as, what=_("Aktiviteten"))
    before = activity.focus_area.slug
    if activity.focus_area_id != to_area.pk:
        activity.focus_area = to_area
        activity.order = _next_order(to_area.activities.all())
        activity.save(update_fields=["focus_area", "order"])
        _plan_record(
            locked,
            "plan.activity.move",
            activity,
            {"focus_area": {"before": before, "after": to_area.slug}},
            actor=actor,
        )
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, actor: Actor, read_as: str | None = None) -> None:
    """Delete an activity that has not been followed up; one with a follow-up is cancelled instead.

    `read_as`: the digest of the activity as the page showed it; EditConflict, and nothing
    removed, if it changed since."""
    locked = lock_plan_for_edit(activity.focus_area.year_id)
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("focus_area")
        .get(pk=activity.pk)
    )
    refuse_if_changed(
        activity, activity_state(activity), read_as, what=_("Aktiviteten"), removing=True
    )
    follow_up = FollowUp.objects.filter(activity=activity).first()
    if follow_up is not None and follow_up.is_started:
        raise DomainError(
            _(
                "Aktiviteten har en uppföljning och kan inte tas bort. Markera den som inställd i stället."
            )
        )
    _plan_record(
        locked, "plan.activity.delete", activity, diff(activity_state(activity), {}), actor=actor
    )
    activity.delete()


@transaction.atomic
def cancel_activity(
    activity: Activity, *, actor: Actor, reason: str, read_as: str | None = None
) -> FollowUp:
    """Mark an activity cancelled (inställd) with a reason, in its follow-up.

    Follow-up, not planning: allowed after the plan is adopted, refused only in a locked year.
    `read_as`: the digest of the activity as the page showed it; EditConflict, and nothing
    cancelled, if it changed since.
    """
    year = lock_year_for_edit(activity.focus_area.year_id)
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("focus_area")
        .get(pk=activity.pk)
    )
    refuse_if_changed(
        activity, activity_state(activity), read_as, what=_("Aktiviteten"), removing=True
    )
    if not reason.strip():
        raise DomainError(_("Ange varför aktiviteten ställs in."))
    follow_up, _created = FollowUp.objects.select_for_update().get_or_create(activity=activity)
    before = _state(follow_up)
    follow_up.status, follow_up.status_reason = FollowUpStatus.CANCELLED, reason.strip()
    follow_up.version += 1
    follow_up.updated_by = user_of(actor)
    follow_up.full_clean()
    follow_up.save()
    record(
        actor=actor,
        action="plan.follow_up.update",
        cooperation=year.cooperation,
        year=year.year,
        obj=follow_up,
        changes={
            **diff(before, _state(follow_up)),
            "version": {"before": follow_up.version - 1, "after": follow_up.version},
        },
    )
    return follow_up


# --- proposals from the networks ------------------------------------------------------------


def proposal_state(p: ActivityProposal) -> dict[str, Any]:
    """A proposal's state as its audit entries compare it (and its edit form's digest covers it)."""
    return {
        "title": p.title,
        "description": p.description,
        "status": p.status,
        "decision_reason": p.decision_reason,
        "focus_area": p.focus_area.slug,
        "network": p.network.slug,
    }


def _lock_for_proposal(year_id: int) -> Year:
    year = lock_plan_for_edit(year_id)
    if year.status != YearStatus.PLANNING:
        raise DomainError(_("Förslag tas emot medan året planeras."))
    return year


@transaction.atomic
def propose_activity(
    area: FocusArea, *, actor: Actor, network: Network, title: str, description: str = ""
) -> ActivityProposal:
    """A network proposes an activity for a focus area it is responsible for, while the year is planned."""
    locked = _lock_for_proposal(area.year_id)
    if not area.responsible_networks.filter(pk=network.pk).exists():
        raise DomainError(
            _("%(network)s ansvarar inte för fokusområdet %(area)s.")
            % {"network": network, "area": area}
        )
    proposal = ActivityProposal(
        focus_area=area,
        network=network,
        title=title.strip(),
        description=description.replace("\r\n", "\n").strip(),
        proposed_by=user_of(actor),
    )
    proposal.full_clean()
    proposal.save()
    _plan_record(
        locked, "plan.proposal.create", proposal, diff({}, proposal_state(proposal)), actor=actor
    )
    return proposal


@transaction.atomic
def update_proposal(
    proposal: ActivityProposal,
    *,
    actor: Actor,
    title: str,
    description: str = "",
    read_as: str | None = None,
) -> ActivityProposal:
    """The proposing network changes its proposal while it awaits a decision. `read_as`: the
    digest of the proposal as the form read it; EditConflict, and nothing saved, if it changed
    since."""
    locked = _lock_for_proposal(proposal.focus_area.year_id)
    proposal = (
        ActivityProposal.objects.select_for_update()
        .select_related("focus_area", "network")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise DomainError(_("Kansliet har redan tagit ställning till förslaget."))
    before = proposal_state(proposal)
    refuse_if_changed(proposal, before, read_as, what=_("Förslaget"))
    proposal.title, proposal.description = title.strip(), description.replace("\r\n", "\n").strip()
    proposal.full_clean()
    proposal.save()
    changes = diff(before, proposal_state(proposal))
    if changes:
        _plan_record(locked, "plan.proposal.update", proposal, changes, actor=actor)
    return proposal


@transaction.atomic
def accept_proposal(
    proposal: ActivityProposal,
    *,
    actor: Actor,
    title: str,
    description: str = "",
    networks: Sequence[Network] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    read_as: str | None = None,
) -> Activity:
    """Take a proposal into the plan, as proposed or edited: it becomes an activity of its focus area.

    `read_as`: the digest of the proposal as the page showed it; EditConflict, and nothing
    taken in, if its network changed it since."""
    locked = lock_plan_for_edit(proposal.focus_area.year_id)
    proposal = (
        ActivityProposal.objects.select_for_update()
        .select_related("focus_area", "network")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise DomainError(_("Kansliet har redan tagit ställning till förslaget."))
    refuse_if_changed(proposal, proposal_state(proposal), read_as, what=_("Förslaget"))
    activity = save_activity(
        proposal.focus_area,
        actor=actor,
        title=title,
        description=description,
        networks=networks,
        start=start,
        end=end,
    )
    before = proposal_state(proposal)
    proposal.status, proposal.activity = ProposalStatus.ACCEPTED, activity
    proposal.decided_by = user_of(actor)
    proposal.decided_at = timezone.now()
    proposal.save()
    _plan_record(
        locked,
        "plan.proposal.accept",
        proposal,
        diff(before, proposal_state(proposal)),
        actor=actor,
    )
    return activity


@transaction.atomic
def decline_proposal(
    proposal: ActivityProposal, *, actor: Actor, reason: str, read_as: str | None = None
) -> ActivityProposal:
    """Decline a proposal with a reason. `read_as`: the digest of the proposal as the page
    showed it; EditConflict, and nothing declined, if its network changed it since."""
    locked = lock_plan_for_edit(proposal.focus_area.year_id)
    proposal = (
        ActivityProposal.objects.select_for_update()
        .select_related("focus_area", "network")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise DomainError(_("Kansliet har redan tagit ställning till förslaget."))
    refuse_if_changed(
        proposal, proposal_state(proposal), read_as, what=_("Förslaget"), removing=True
    )
    before = proposal_state(proposal)
    proposal.status, proposal.decision_reason = ProposalStatus.DECLINED, reason.strip()
    proposal.decided_by = user_of(actor)
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    _plan_record(
        locked,
        "plan.proposal.decline",
        proposal,
        diff(before, proposal_state(proposal)),
        actor=actor,
    )
    return proposal


# --- adopting and publishing the plan -------------------------------------------------------


def _plan_state(year: Year) -> dict[str, Any]:
    return {
        "plan_adopted_on": year.plan_adopted_on.isoformat() if year.plan_adopted_on else None,
        "plan_published_at": year.plan_published_at.isoformat() if year.plan_published_at else None,
    }


def _save_plan_state(
    year: Year, before: dict[str, Any], action: str, *, actor: Actor, message: str = ""
) -> Year:
    year.full_clean()
    year.save(update_fields=["plan_adopted_on", "plan_published_at"])
    _plan_record(year, action, year, diff(before, _plan_state(year)), actor=actor, message=message)
    return year


@transaction.atomic
def adopt_plan(year: Year, adopted_on: dt.date, *, actor: Actor) -> Year:
    """Record the committee's adoption of the year's plan; the plan is locked from now on.

    Usually the same meeting decides the previous year's report: the two
    decisions are separate records, each with its own date and lock.
    """
    locked = lock_plan_for_edit(year.pk)
    if adopted_on.year > locked.year:
        raise DomainError(_("Planen antas före eller under det år den gäller."))
    before = _plan_state(locked)
    locked.plan_adopted_on = adopted_on
    return _save_plan_state(locked, before, "plan.adopt", actor=actor)


@transaction.atomic
def publish_plan(year: Year, *, actor: Actor) -> Year:
    """Publish an adopted plan: it appears on the cooperation's public page."""
    locked = lock_year_for_edit(year.pk)
    if not locked.plan_is_adopted:
        raise DomainError(_("Bara en antagen verksamhetsplan kan publiceras."))
    before = _plan_state(locked)
    locked.plan_published_at = timezone.now()
    return _save_plan_state(locked, before, "plan.publish", actor=actor)


@transaction.atomic
def reopen_plan(year: Year, *, actor: Actor, reason: str) -> Year:
    """Unlock an adopted plan for a revision; it leaves the public pages until adopted again."""
    locked = lock_year_for_edit(year.pk)
    if not locked.plan_is_adopted:
        raise DomainError(_("Planen är inte antagen."))
    if not reason.strip():
        raise DomainError(_("Ange varför planen öppnas igen."))
    before = _plan_state(locked)
    locked.plan_adopted_on, locked.plan_published_at = None, None
    return _save_plan_state(locked, before, "plan.reopen", actor=actor, message=reason.strip())
