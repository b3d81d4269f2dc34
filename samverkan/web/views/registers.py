"""The registers of a year: meetings (editable), networks, consultation responses, projects, events, accounts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.governance.models import Meeting, Network, NetworkYear
from samverkan.members.models import Year
from samverkan.members.services import DomainError, EditConflict
from samverkan.plan.models import Activity
from samverkan.web.access import (
    acting_user,
    get_meeting_for_user,
    get_year_for_user,
    require_meeting_author,
)
from samverkan.web.edit_guard import EditGuard
from samverkan.web.forms import MeetingForm
from samverkan.web.once import stored_once
from samverkan.web.services import delete_meeting, save_meeting
from samverkan.web.summaries import accounts_overview
from samverkan.web.views.editing import confirm_delete
from samverkan.web.views.plan import year_context


@require_GET
def meetings(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    rows = [
        (meeting, standing.can_edit_meeting(meeting))
        for meeting in Meeting.objects.filter(year=found)
        .select_related("body")
        .prefetch_related("networks")
    ]
    return render(
        request,
        "web/meetings.html",
        year_context(
            found,
            standing,
            "meetings",
            rows=rows,
            can_add=standing.can_add_meeting() and not found.is_locked,
            any_editable=not found.is_locked and any(editable for _meeting, editable in rows),
            # A network lead keeps some meetings and reads the rest: say which.
            meeting_networks=[]
            if standing.can(Capability.EDIT_ANY_MEETING) or found.is_locked
            else list(Network.objects.filter(pk__in=standing.network_ids)),
        ),
    )


def _meeting_form(
    request: HttpRequest, found: Year, standing: Standing, meeting: Meeting | None
) -> HttpResponse:
    status = 200
    error = ""
    guard = EditGuard(request, meeting, found)
    if request.method == "POST":
        form = MeetingForm(request.POST, year=found, standing=standing)
        refusal = guard.missing()
        if refusal:
            status, error = 400, refusal
        elif form.is_valid():
            try:
                save_meeting(
                    found,
                    meeting,
                    actor=acting_user(request),
                    read_as=guard.read_as,
                    **form.service_arguments(),
                )
            except EditConflict as exc:
                status, error = 409, guard.conflict(exc)
            except ValidationError as exc:
                status = 400
                form.add_error(None, exc)
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Mötet är sparat."))
                return redirect("web:meetings", found.cooperation.slug, found.year)
        else:
            status = 400
    else:
        initial = MeetingForm.initial_for(meeting) if meeting else {}
        form = MeetingForm(initial=initial, year=found, standing=standing)
    return render(
        request,
        "web/meeting_form.html",
        year_context(
            found,
            standing,
            "meetings",
            form=form,
            meeting=meeting,
            error=error,
            edit_guard=guard,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def meeting_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require_meeting_author(standing)
    return _meeting_form(request, found, standing, None)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    meeting, found, standing = get_meeting_for_user(request, coop, year, pk, edit=True)
    return _meeting_form(request, found, standing, meeting)


@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """Asks first, then removes the meeting; whoever may edit a meeting may delete it."""
    meeting, found, standing = get_meeting_for_user(request, coop, year, pk, edit=True)
    return confirm_delete(
        request,
        found,
        standing,
        section="meetings",
        what=_("mötet %(meeting)s") % {"meeting": meeting},
        back=reverse("web:meetings", args=[coop, year]),
        dependents=[],
        record=meeting,
        delete=lambda read_as: delete_meeting(meeting, actor=acting_user(request), read_as=read_as),
        done=_("Mötet är borttaget."),
    )


@require_GET
def networks(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    summaries = {
        ny.network_id: ny
        for ny in NetworkYear.objects.filter(year=found)
        .select_related("focus_area")
        .prefetch_related("absent")
    }
    owned: dict[int, int] = {}
    for activity in Activity.objects.filter(focus_area__year=found).prefetch_related(
        "networks", "focus_area__responsible_networks"
    ):
        for network in activity.owners():
            owned[network.pk] = owned.get(network.pk, 0) + 1
    meeting_counts: dict[int, int] = {}
    for meeting in Meeting.objects.filter(year=found, cancelled=False).prefetch_related("networks"):
        for network in meeting.networks.all():
            meeting_counts[network.pk] = meeting_counts.get(network.pk, 0) + meeting.count
    rows = [
        (
            network,
            summaries.get(network.pk),
            owned.get(network.pk, 0),
            meeting_counts.get(network.pk, 0),
        )
        for network in Network.objects.filter(cooperation=found.cooperation).prefetch_related(
            "members"
        )
    ]
    return render(
        request, "web/networks.html", year_context(found, standing, "networks", rows=rows)
    )


@require_GET
def accounts(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    return render(
        request,
        "web/accounts.html",
        year_context(
            found,
            standing,
            "accounts",
            accounts=accounts_overview(found),
        ),
    )
