"""Every view fetches its objects here: one helper per object family.

Outside the user's cooperation everything is 404 (nobody learns that a
cooperation, year or object exists); inside it, a missing right is 403. The
rights themselves are declared in `samverkan.accounts.roles`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from samverkan.accounts.models import RoleAssignment
from samverkan.accounts.roles import Capability, Standing, standing_for
from samverkan.governance.models import Meeting
from samverkan.members.models import Cooperation, Member, Year, YearStatus
from samverkan.plan.models import Activity
from samverkan.projects.models import Project

M = TypeVar("M", bound=Model)


def get_standing(request: HttpRequest, coop_slug: str) -> Standing:
    """The user's standing in the cooperation; 404 when they hold no role there (or it does not exist)."""
    cache: dict[str, Standing | None] = request.__dict__.setdefault("_samverkan_standing", {})
    if coop_slug not in cache:
        coop = Cooperation.objects.filter(slug=coop_slug).first()
        cache[coop_slug] = standing_for(request.user, coop) if coop is not None else None
    standing = cache[coop_slug]
    if standing is None or not standing.can(Capability.READ):
        raise Http404
    return standing


def acting_user(request: HttpRequest) -> User:
    """The signed-in user a change is recorded against (every page that writes is behind the login)."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


# What the 403 page says when a capability is missing: who does it instead, in the user's words.
REFUSALS: dict[Capability, Any] = {
    Capability.MANAGE_YEAR: gettext_lazy(
        "Årets status, beslut, publicering och återöppning sköts av kansliet."
    ),
    Capability.EDIT_MEMBERS: gettext_lazy(
        "Medlemskommuner och invånarantal läggs in och rättas av kansliet."
    ),
    Capability.EDIT_ACCOUNTS: gettext_lazy(
        "Ekonomin (SIE-import, kontomappning och bokföringsrader) ändras av kansliet."
    ),
    Capability.EDIT_REGISTERS: gettext_lazy(
        "Remissvar, projekt, arrangemang och årsredovisningens texter ändras av kansliet."
    ),
    Capability.EDIT_PLAN: format_lazy(
        "{} {}",
        gettext_lazy("Verksamhetsplanen och budgeten ändras av kansliet."),
        gettext_lazy(
            "Nätverksledare föreslår aktiviteter under Verksamhetsplan, Förslag från nätverken."
        ),
    ),
    Capability.PROPOSE_ACTIVITY: gettext_lazy(
        "Aktiviteter föreslås av ledarna för de nätverk som ansvarar för fokusområdet; "
        "kansliet tar in förslagen i planen."
    ),
    Capability.VIEW_AUDIT: gettext_lazy("Ändringsloggen läses av kansliet."),
    Capability.MANAGE_USERS: gettext_lazy(
        "Vilka som har tillgång till samverkan, och med vilken roll, sköts av kansliet."
    ),
}


def refused(capability: Capability | None = None, reason: str = "") -> PermissionDenied:
    """A 403 that says why (the 403 page shows the reason and a way back)."""
    return PermissionDenied(reason or (str(REFUSALS.get(capability, "")) if capability else ""))


def get_year_for_capability(
    request: HttpRequest, coop_slug: str, year: int, capability: Capability, reason: str = ""
) -> tuple[Year, Standing]:
    """The year, for a user whose standing grants `capability`; 403 with `reason` (or the
    capability's own) otherwise."""
    found, standing = get_year_for_user(request, coop_slug, year)
    if not standing.can(capability):
        raise refused(capability, reason)
    return found, standing


def require(standing: Standing, capability: Capability) -> None:
    """403 unless the standing grants the capability."""
    if not standing.can(capability):
        raise refused(capability)


def _names(networks: Iterable[Any]) -> str:
    return ", ".join(str(network) for network in networks)


def get_year_for_user(request: HttpRequest, coop_slug: str, year: int) -> tuple[Year, Standing]:
    """The year of a cooperation the user belongs to, drafts included."""
    standing = get_standing(request, coop_slug)
    found = get_object_or_404(
        Year.objects.select_related("cooperation"), cooperation=standing.cooperation, year=year
    )
    return found, standing


def get_activity_for_user(
    request: HttpRequest, coop_slug: str, year: int, pk: int, *, edit: bool = False
) -> tuple[Activity, Year, Standing]:
    """An activity of the year; with edit=True, 403 unless the user may write its follow-up."""
    found_year, standing = get_year_for_user(request, coop_slug, year)
    activity = get_object_or_404(
        Activity.objects.select_related("focus_area", "follow_up", "follow_up__updated_by"),
        pk=pk,
        focus_area__year=found_year,
    )
    if edit and not standing.can_edit_activity(activity):
        raise refused(reason=follow_up_refusal(activity))
    return activity, found_year, standing


def get_meeting_for_user(
    request: HttpRequest, coop_slug: str, year: int, pk: int, *, edit: bool = False
) -> tuple[Meeting, Year, Standing]:
    """A meeting of the year; with edit=True, 403 unless the user may edit it."""
    found_year, standing = get_year_for_user(request, coop_slug, year)
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk, year=found_year)
    if edit and not standing.can_edit_meeting(meeting):
        raise refused(reason=meeting_refusal(meeting))
    return meeting, found_year, standing


def follow_up_refusal(activity: Activity) -> str:
    """Who writes the activity's follow-up, for someone who may only read it."""
    owners = list(activity.owners())
    if not owners:
        return gettext("Uppföljningen av den här aktiviteten skrivs av kansliet.")
    return gettext(
        "Uppföljningen av den här aktiviteten skrivs av ledarna för %(networks)s och av kansliet."
    ) % {"networks": _names(owners)}


def meeting_refusal(meeting: Meeting) -> str:
    """Who keeps the meeting, for someone who may only read it."""
    if meeting.body is not None:
        return gettext("Möten i %(body)s förs av kansliet.") % {"body": meeting.body.name}
    return gettext("Mötet ändras av ledarna för %(networks)s och av kansliet.") % {
        "networks": _names(meeting.networks.all())
    }


def get_record_for_user(
    request: HttpRequest,
    coop_slug: str,
    year: int,
    queryset: QuerySet[M],
    pk: int,
    *,
    year_field: str = "year",
    capability: Capability | None = None,
) -> tuple[M, Year, Standing]:
    """A record of a register of the year (`year_field` leads to its Year).

    With `capability`, 403 unless the user holds it, asked before the record is
    looked up: an insider without the right learns nothing either way, and an
    outsider already got 404 for the year.
    """
    found_year, standing = get_year_for_user(request, coop_slug, year)
    if capability is not None:
        require(standing, capability)
    record = get_object_or_404(queryset, pk=pk, **{year_field: found_year})
    return record, found_year, standing


def get_project_for_user(
    request: HttpRequest, coop_slug: str, year: int, pk: int, *, capability: Capability
) -> tuple[Project, Year, Standing]:
    """A project of the cooperation seen from a year it may run in: the year it started or a
    later one (where it may have a part, or be continued). 403 before the look-up without
    `capability`, as `get_record_for_user`."""
    found_year, standing = get_year_for_user(request, coop_slug, year)
    require(standing, capability)
    project = get_object_or_404(
        Project.objects.select_related("start_year"),
        pk=pk,
        cooperation=found_year.cooperation,
        start_year__year__lte=found_year.year,
    )
    return project, found_year, standing


def require_meeting_author(standing: Standing) -> None:
    """403 unless the user may add meetings (secretariat, or lead of a network)."""
    if not standing.can_add_meeting():
        raise refused(
            reason=gettext(
                "Möten läggs till av kansliet och av nätverkens ledare för sina nätverk."
            )
        )


def get_published_year(coop_slug: str, year: int) -> Year:
    """A published year, for anyone; every other year is 404 to the public."""
    return get_object_or_404(
        Year.objects.select_related("cooperation"),
        cooperation__slug=coop_slug,
        year=year,
        status=YearStatus.PUBLISHED,
    )


def published_years_of(coop_slug: str) -> tuple[Cooperation, list[Year]]:
    """A cooperation and its published years; 404 when it has none (it stays invisible)."""
    years = list(
        Year.objects.select_related("cooperation")
        .filter(cooperation__slug=coop_slug, status=YearStatus.PUBLISHED)
        .order_by("-year")
    )
    if not years:
        raise Http404
    return years[0].cooperation, years


def get_member_for_user(
    request: HttpRequest, coop_slug: str, year: int, pk: int, *, edit: bool = False
) -> tuple[Member, Year, Standing]:
    """A member municipality of the cooperation; with edit=True, 403 unless the user edits standing data."""
    found_year, standing = get_year_for_user(request, coop_slug, year)
    member = get_object_or_404(Member, pk=pk, cooperation=standing.cooperation)
    if edit:
        require(standing, Capability.EDIT_MEMBERS)
    return member, found_year, standing


def get_role_for_user(
    request: HttpRequest, coop_slug: str, year: int, pk: int
) -> tuple[RoleAssignment, Year, Standing]:
    """A role held in the cooperation, for its secretariat (403 before the look-up for others)."""
    found_year, standing = get_year_for_user(request, coop_slug, year)
    require(standing, Capability.MANAGE_USERS)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "network"),
        pk=pk,
        cooperation=standing.cooperation,
    )
    return assignment, found_year, standing


def get_person_for_user(
    request: HttpRequest, coop_slug: str, year: int, pk: int
) -> tuple[User, Year, Standing]:
    """A user holding a role in the cooperation, for its secretariat; anyone else is 404."""
    found_year, standing = get_year_for_user(request, coop_slug, year)
    require(standing, Capability.MANAGE_USERS)
    person = get_object_or_404(
        User.objects.distinct(), pk=pk, roles__cooperation=standing.cooperation
    )
    return person, found_year, standing


def get_year_with_published_plan(coop_slug: str, year: int) -> Year:
    """A year whose activity plan is adopted and published, for anyone; else 404."""
    return get_object_or_404(
        Year.objects.select_related("cooperation"),
        cooperation__slug=coop_slug,
        year=year,
        plan_published_at__isnull=False,
        plan_adopted_on__isnull=False,
    )


def published_plans_of(coop_slug: str) -> list[Year]:
    """The years of a cooperation whose plan is published, newest first."""
    return list(
        Year.objects.select_related("cooperation")
        .filter(
            cooperation__slug=coop_slug,
            plan_published_at__isnull=False,
            plan_adopted_on__isnull=False,
        )
        .order_by("-year")
    )
