"""The yearly cycle: start a year from the one before, and the plan's own lock.

`start_year` is the one way a year comes into being in the app. It copies
what carries over (the programme, area groups, focus areas and their goals,
the activities the secretariat marks as continuing, a new part for each
project that goes on, the networks' year records, chairs and current staff) and opens the year's funds: a new
operating fund, and every fund that closed the previous year with a balance
or holds a grant receivable still unpaid. Opening balances are never copied
as figures: a fund of the new year has no stated opening balance, so
`finance.accounts` derives it from the previous year's closing balance,
which is therefore always the same number.

The fee rule needs no copy: a rule holds from its first year until the
next rule, and its basis date follows from the year (31 December before).

`lock_plan_for_edit` is to the plan what `lock_year_for_edit` is to the
year: once the committee has adopted the plan (`Year.plan_adopted_on`), its
focus areas, goals, activities and budget are the adopted document and
refuse planning edits until the plan is reopened; the year's follow-up
(follow-ups, meetings, the accounts) goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.audit.services import Actor, record
from samverkan.members.models import Cooperation, FeeRule, Year, YearStatus
from samverkan.members.services import DomainError, lock_year_for_edit


class PlanAdopted(DomainError):
    """The year's plan is adopted; planning edits wait until it is reopened."""


def plan_locked_message(year: Year) -> str:
    return _(
        "Verksamhetsplanen för %(year)s är antagen och därför låst för ändringar i planen. "
        "Uppföljningen kan fortsätta; öppna planen igen för att ändra den."
    ) % {"year": year.year}


def lock_plan_for_edit(year_id: int) -> Year:
    """Lock the year row and refuse when the year is locked or its plan adopted."""
    year = lock_year_for_edit(year_id)
    if year.plan_is_adopted:
        raise PlanAdopted(plan_locked_message(year))
    return year


@dataclass(frozen=True, slots=True)
class CarriedFund:
    """A fund the new year opens: its name there and the balance it carries in (derived)."""

    fund_id: int | None  # None: the new operating fund, created by the start
    slug: str
    label: str
    opening: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class CarriedReceivable:
    grantor: str
    project: str
    amount: Decimal


@dataclass(slots=True)
class YearPlanPreview:
    """What `start_year` would create, shown to the secretariat before it does."""

    cooperation: Cooperation
    year: int
    source: Year | None
    exists: bool
    programme: Any
    focus_areas: list[Any] = field(default_factory=list)
    sub_goal_count: int = 0
    activities: list[tuple[Any, bool]] = field(default_factory=list)  # (activity, continues)
    # (project, continues): projects that may go on; ticked when planned to run into the year
    projects: list[tuple[Any, bool]] = field(default_factory=list)
    networks: list[Any] = field(default_factory=list)
    funds: list[CarriedFund] = field(default_factory=list)
    receivables: list[CarriedReceivable] = field(default_factory=list)
    fee_rule: FeeRule | None = None
    basis_date: Any = None


def _operating_fund_plan(source: Year, number: int) -> tuple[str, str, str]:
    """(slug, name, carried_name) of the new year's operating fund, after the previous one's pattern."""
    fund = source.operating_fund
    assert fund is not None
    old = str(source.year)
    slug = fund.slug.replace(old, str(number)) if old in fund.slug else f"{fund.slug}-{number}"
    carried = (
        fund.carried_name.replace(old, str(number))
        if old in fund.carried_name
        else _("%(name)s från %(year)s") % {"name": fund.name, "year": number}
    )
    return slug, fund.name, carried


def _closings(source: Year) -> dict[str, Decimal]:
    from samverkan.finance.accounts import year_accounts
    from samverkan.finance.ledger import carry_forward

    return carry_forward(year_accounts(source).balances)


def preview_year(
    cooperation: Cooperation, number: int, *, from_year: Year | None = None
) -> YearPlanPreview:
    """What starting `number` from `from_year` (None: an empty year) would create."""
    from samverkan.finance.models import Fund
    from samverkan.governance.models import Network
    from samverkan.governance.networks import networks_of_year
    from samverkan.plan.models import Activity, FocusArea, SubGoal
    from samverkan.projects.receivables import open_receivables
    from samverkan.projects.services import projects_into

    exists = Year.objects.filter(cooperation=cooperation, year=number).exists()
    rule = (
        FeeRule.objects.filter(cooperation=cooperation, from_year__lte=number)
        .order_by("-from_year")
        .first()
    )
    preview = YearPlanPreview(
        cooperation=cooperation,
        year=number,
        source=from_year,
        exists=exists,
        programme=_programme_for(cooperation, number, from_year),
        fee_rule=rule,
        basis_date=rule.basis_date(number) if rule else None,
    )
    if from_year is None:
        return preview
    preview.focus_areas.extend(FocusArea.objects.filter(year=from_year).select_related("group"))
    preview.sub_goal_count = SubGoal.objects.filter(focus_area__year=from_year).count()
    for activity in Activity.objects.filter(focus_area__year=from_year).select_related(
        "focus_area", "follow_up"
    ):
        follow_up = getattr(activity, "follow_up", None)
        preview.activities.append((activity, bool(follow_up and follow_up.continues)))
    preview.projects.extend(
        (project, project.end_year is not None and project.end_year >= number)
        for project in projects_into(cooperation.pk, number)
    )
    # The cooperation's standing networks all carry over, the previous year's taking part first.
    previous = list(networks_of_year(from_year))
    preview.networks.extend(
        previous
        + [
            n
            for n in Network.objects.filter(cooperation=cooperation).order_by("order", "name")
            if n not in previous
        ]
    )
    if from_year.operating_fund is not None:
        slug, name, _carried = _operating_fund_plan(from_year, number)
        existing = Fund.objects.filter(cooperation=cooperation, slug=slug).first()
        preview.funds.append(
            CarriedFund(
                fund_id=existing.pk if existing else None,
                slug=slug,
                label=name,
                opening=Decimal(0),
                reason=_("årets driftfond"),
            )
        )
    receivables = open_receivables(from_year)
    receivable_funds = {fund_slug for _grant, fund_slug, _amount in receivables if fund_slug}
    funds = {f.slug: f for f in Fund.objects.filter(cooperation=cooperation)}

    # Each fund as the new year will name it: the one rule, on the fund (no label of its own yet,
    # so a fund from an earlier year goes by the name it is carried under).
    def label(slug: str) -> str:
        return funds[slug].label(number, first_year=from_year.year)

    for slug, closing in _closings(from_year).items():
        if slug in funds:
            preview.funds.append(
                CarriedFund(
                    fund_id=funds[slug].pk,
                    slug=slug,
                    label=label(slug),
                    opening=closing,
                    reason=_("utgående balans %(year)s") % {"year": from_year.year},
                )
            )
    carried = {f.slug for f in preview.funds}
    for slug in sorted(receivable_funds - carried):
        preview.funds.append(
            CarriedFund(
                fund_id=funds[slug].pk,
                slug=slug,
                label=label(slug),
                opening=Decimal(0),
                reason=_("bidragsfordran som inte är betald"),
            )
        )
    preview.receivables.extend(
        CarriedReceivable(grantor=grant.grantor, project=grant.project.name, amount=amount)
        for grant, _slug, amount in receivables
    )
    return preview


def _programme_for(cooperation: Cooperation, number: int, source: Year | None) -> Any:
    """The programme in force in `number`: the previous year's while it holds, else the newest that does."""
    from samverkan.plan.models import Programme

    if source is not None and source.programme is not None:
        p = source.programme
        if (p.valid_from or 0) <= number and (p.valid_until is None or number <= p.valid_until):
            return p
    candidates = Programme.objects.filter(cooperation=cooperation).order_by("-valid_from")
    for p in candidates:
        if (p.valid_from or 0) <= number and (p.valid_until is None or number <= p.valid_until):
            return p
    return None


@transaction.atomic
def start_year(
    cooperation: Cooperation,
    year: int,
    *,
    from_year: Year | None = None,
    continuing_activity_ids: Iterable[int] | None = None,
    continuing_project_ids: Iterable[int] | None = None,
    actor: Actor,
) -> Year:
    """Create `year` in planning, from `from_year` (the plan, networks and funds carry over) or empty.

    `continuing_activity_ids` names the previous year's activities that
    continue (None: those whose follow-up says "continues next year");
    `continuing_project_ids` the projects that get a part in the new year
    (None: those planned to run into it), each as "Fortsätt projektet" does. The
    cooperation row is locked first, so that two starts of the same year
    cannot both pass the existence check. Refuses a year that exists, a
    source of another cooperation, and a source that is not the year before.
    """
    from samverkan.finance.models import Fund, FundKind, FundYear
    from samverkan.governance.models import Chair, NetworkYear, StaffMember
    from samverkan.plan.models import Activity, AreaGroup, FocusArea, FollowUp, SubGoal
    from samverkan.projects.services import continue_project

    Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    if Year.objects.filter(cooperation=cooperation, year=year).exists():
        raise DomainError(
            _("Året %(year)s finns redan för %(name)s. Öppna det i stället.")
            % {"year": year, "name": cooperation.name}
        )
    if not 1900 <= year <= 2999:
        raise DomainError(_("Ange ett år med fyra siffror."))
    source: Year | None = None
    if from_year is not None:
        if from_year.cooperation_id != cooperation.pk:
            raise DomainError(_("Året som planen hämtas från hör till en annan samverkan."))
        if from_year.year != year - 1:
            raise DomainError(
                _("Ett år kan bara startas från året före (%(year)s).") % {"year": year - 1}
            )
        source = Year.objects.select_related("operating_fund", "programme").get(pk=from_year.pk)
    preview = preview_year(cooperation, year, from_year=source)
    new = Year(
        cooperation=cooperation, year=year, status=YearStatus.PLANNING, programme=preview.programme
    )
    counts: dict[str, Any] = {"from": source.year if source else None}
    if source is None:
        new.full_clean()
        new.save()
    else:
        new.officer_name, new.officer_email = source.officer_name, source.officer_email
        if source.operating_fund is not None:
            slug, name, carried = _operating_fund_plan(source, year)
            fund = Fund.objects.filter(cooperation=cooperation, slug=slug).first()
            if fund is None:
                fund = Fund(
                    cooperation=cooperation,
                    slug=slug,
                    name=name,
                    carried_name=carried,
                    kind=FundKind.OPERATIONS,
                    order=source.operating_fund.order + 1,
                )
                fund.full_clean()
                fund.save()
            new.operating_fund = fund
        new.full_clean()
        new.save()
        funds = {f.slug: f for f in Fund.objects.filter(cooperation=cooperation)}
        for order, carried_fund in enumerate(preview.funds):
            fund_year = FundYear(
                year=new,
                fund=funds[carried_fund.slug],
                order=order,
                label="" if order == 0 else carried_fund.label,
            )
            fund_year.full_clean(exclude=["year"])
            fund_year.save()
        counts["funds"] = [f.slug for f in preview.funds]
        counts["openings"] = {f.slug: str(f.opening) for f in preview.funds}

        groups = {}
        for group in AreaGroup.objects.filter(year=source):
            groups[group.pk] = AreaGroup.objects.create(
                year=new,
                slug=group.slug,
                name=group.name,
                kind=group.kind,
                purpose=group.purpose,
                steering_document=group.steering_document,
                order=group.order,
            )
        areas = {}
        for area in FocusArea.objects.filter(year=source).prefetch_related(
            "responsible_networks", "responsible_bodies", "sub_goals"
        ):
            copy = FocusArea.objects.create(
                year=new,
                group=groups[area.group_id],
                slug=area.slug,
                number=area.number,
                title=area.title,
                main_goal=area.main_goal,
                responsible_text=area.responsible_text,
                order=area.order,
            )
            copy.responsible_networks.set(area.responsible_networks.all())
            copy.responsible_bodies.set(area.responsible_bodies.all())
            SubGoal.objects.bulk_create(
                SubGoal(focus_area=copy, text=s.text, order=s.order) for s in area.sub_goals.all()
            )
            areas[area.pk] = copy
        chosen = _chosen(
            preview.activities,
            continuing_activity_ids,
            _("En vald aktivitet hör inte till %(year)s.") % {"year": source.year},
        )
        continued = []
        for activity in (
            Activity.objects.filter(pk__in=chosen)
            .prefetch_related("networks")
            .order_by("focus_area__order", "order")
        ):
            new_activity = Activity(
                focus_area=areas[activity.focus_area_id],
                title=activity.title,
                description=activity.description,
                order=activity.order,
            )
            new_activity.full_clean(exclude=["focus_area"])
            new_activity.save()
            new_activity.networks.set(activity.networks.all())
            FollowUp.objects.create(activity=new_activity)
            continued.append(activity.title)
        projects = _chosen(
            preview.projects,
            continuing_project_ids,
            _("Ett valt projekt kan inte fortsätta %(year)s.") % {"year": year},
        )
        for project, _continues in preview.projects:
            if project.pk in projects:
                continue_project(project, new, actor=actor)
        areas_by_slug = {a.slug: a for a in areas.values()}
        # Every network of the previous year gets a year record, with who stays away; the
        # network's summary is the new year's to write.
        records = {
            ny.network_id: ny
            for ny in NetworkYear.objects.filter(year=source).prefetch_related("absent")
        }
        for order, network in enumerate(preview.networks):
            network_year = records.get(network.pk)
            copy_ny = NetworkYear.objects.create(
                year=new,
                network=network,
                order=network_year.order if network_year else order,
                participation_note=network_year.participation_note if network_year else "",
                focus_area=(
                    areas_by_slug.get(network_year.focus_area.slug)
                    if network_year and network_year.focus_area
                    else None
                ),
            )
            if network_year is not None:
                copy_ny.absent.set(network_year.absent.all())
        for chair in Chair.objects.filter(year=source):
            Chair.objects.create(
                year=new,
                body=chair.body,
                role=chair.role,
                person=chair.person,
                member=chair.member,
                order=chair.order,
            )
        for staff in StaffMember.objects.filter(year=source):
            if staff.end is None or staff.end >= new.start():
                StaffMember.objects.create(
                    year=new,
                    person=staff.person,
                    role=staff.role,
                    start=staff.start,
                    end=staff.end,
                    note=staff.note,
                    order=staff.order,
                )
        counts.update(
            focus_areas=len(areas),
            sub_goals=preview.sub_goal_count,
            activities=continued,
            projects=[p.name for p, _continues in preview.projects if p.pk in projects],
            networks=[n.slug for n in preview.networks],
            receivables=[f"{r.grantor}: {r.amount}" for r in preview.receivables],
        )
    record(
        actor=actor,
        action="year.start",
        cooperation=cooperation,
        year=year,
        obj=new,
        changes={key: {"before": None, "after": value} for key, value in counts.items()},
    )
    return new


def _chosen(
    offered: list[tuple[Any, bool]], ids: Iterable[int] | None, unknown_message: str
) -> set[int]:
    """The ids chosen among what the preview offers (None: those it ticks); an id it does not
    offer is refused with `unknown_message`."""
    if ids is None:
        return {item.pk for item, ticked in offered if ticked}
    chosen = set(ids)
    if chosen - {item.pk for item, _ticked in offered}:
        raise DomainError(unknown_message)
    return chosen


def next_year_number(cooperation: Cooperation) -> int | None:
    latest = (
        Year.objects.filter(cooperation=cooperation)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest + 1 if latest is not None else None


def slug_for(text: str, taken: Iterable[str]) -> str:
    """A slug from a title, unique among `taken` ("klimat", "klimat-2", ...)."""
    from django.utils.text import slugify

    base = re.sub(
        r"-+", "-", slugify(text.replace("å", "a").replace("ä", "a").replace("ö", "o"))
    ).strip("-")[:40]
    base = base or "omrade"
    taken = set(taken)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
