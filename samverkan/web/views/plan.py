"""The signed-in start: home, the year dashboard, an activity and its follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing, cooperations_for
from samverkan.audit.models import AuditEntry
from samverkan.governance.models import Network
from samverkan.members.models import Year
from samverkan.members.services import DomainError
from samverkan.plan.services import EditConflict, update_follow_up
from samverkan.web.access import (
    acting_user,
    follow_up_refusal,
    get_activity_for_user,
    get_standing,
    get_year_for_user,
)
from samverkan.web.findings import year_findings
from samverkan.web.forms import FollowUpForm
from samverkan.web.summaries import accounts_overview, plan_overview


def year_context(year: Year, standing: Standing, section: str, **extra: Any) -> dict[str, Any]:
    """What every page of a year needs: the year, the user's standing, the year switcher."""
    return {
        "year": year,
        "cooperation": year.cooperation,
        "standing": standing,
        "section": section,
        "all_years": list(
            Year.objects.filter(cooperation=year.cooperation).values_list("year", flat=True)
        ),
        "can_manage": standing.can(Capability.MANAGE_YEAR),
        "can_audit": standing.can(Capability.VIEW_AUDIT),
        "can_edit_registers": standing.can(Capability.EDIT_REGISTERS),
        # The header names the networks a lead leads: what they may write follows from them.
        "led_networks": list(Network.objects.filter(pk__in=standing.network_ids))
        if standing.network_ids
        else [],
        "can_edit_members": standing.can(Capability.EDIT_MEMBERS),
        "can_manage_users": standing.can(Capability.MANAGE_USERS),
        **extra,
    }


def _latest_year_url(standing: Standing) -> str | None:
    latest = Year.objects.filter(cooperation=standing.cooperation).order_by("-year").first()
    if latest is None:
        return None
    return reverse("web:dashboard", args=[standing.cooperation.slug, latest.year])


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """After login: the latest year of the user's (first) cooperation."""
    cooperations = cooperations_for(request.user)
    if len(cooperations) == 1:
        url = _latest_year_url(get_standing(request, cooperations[0].slug))
        if url:
            return HttpResponseRedirect(url)
    return render(request, "web/home.html", {"cooperations": cooperations})


@require_GET
def cooperation_home(request: HttpRequest, coop: str) -> HttpResponse:
    standing = get_standing(request, coop)
    url = _latest_year_url(standing)
    if url is None:
        if standing.can(
            Capability.EDIT_PLAN
        ):  # a new cooperation: its secretariat starts the first year
            return HttpResponseRedirect(reverse("web:year-new", args=[coop]))
        return render(request, "web/home.html", {"cooperations": []})
    return HttpResponseRedirect(url)


@require_GET
def dashboard(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    plan = plan_overview(found, standing)
    mine = [row for row in plan.rows if row.editable] if standing.network_ids else []
    return render(
        request,
        "web/dashboard.html",
        year_context(
            found,
            standing,
            "dashboard",
            plan=plan,
            mine=mine,
            accounts=accounts_overview(found),
            findings=year_findings(found),
        ),
    )


@require_http_methods(["GET", "POST"])
def activity(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """An activity and its follow-up; POST saves the follow-up (the activity's owners and the secretariat)."""
    found_activity, found_year, standing = get_activity_for_user(
        request, coop, year, pk, edit=request.method == "POST"
    )
    follow_up = found_activity.follow_up
    editable = standing.can_edit_activity(found_activity) and not found_year.is_locked
    status = 200
    error = ""
    current = None
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_follow_up(
                    follow_up,
                    actor=acting_user(request),
                    version=data["version"],
                    status=data["status"],
                    status_reason=data["status_reason"],
                    continues=data["continues"],
                    text=data["text"],
                )
            except EditConflict as exc:
                status, error, current = 409, exc.message, exc.current
                # The form keeps what the user wrote, now against the newest version: saving
                # again is a deliberate choice made after reading the other person's text.
                form = FollowUpForm(initial={**data, "version": exc.current.version})
            except ValidationError as exc:
                status = 400
                form.add_error(None, exc)
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Uppföljningen är sparad."))
                return redirect("web:activity", coop, year, pk)
        else:
            status = 400
    else:
        form = FollowUpForm.for_follow_up(follow_up)
    history = None
    if standing.can(Capability.VIEW_AUDIT):
        history = AuditEntry.objects.filter(
            cooperation=found_year.cooperation,
            object_type=follow_up._meta.label_lower,
            object_id=str(follow_up.pk),
        ).select_related("actor")[:20]
    return render(
        request,
        "web/activity.html",
        year_context(
            found_year,
            standing,
            "dashboard",
            activity=found_activity,
            follow_up=follow_up,
            owners=found_activity.owners(),
            form=form,
            editable=editable,
            # Why there is no form: the year's lock banner says it for a locked year.
            read_only_reason=""
            if editable or found_year.is_locked
            else follow_up_refusal(found_activity),
            error=error,
            current=current,
            history=history,
        ),
        status=status,
    )
