"""Networks propose activities for next year's plan; the secretariat takes them in or declines them.

A network lead proposes for the focus areas a network they lead answers
for, while the year is in planning, and may change the proposal until the
secretariat has decided. Everyone in the cooperation reads the proposals
and their outcome.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.members.models import Year, YearStatus
from samverkan.plan.models import ActivityProposal, ProposalStatus
from samverkan.plan.services import (
    accept_proposal,
    decline_proposal,
    propose_activity,
    update_proposal,
)
from samverkan.web.access import acting_user, get_year_for_user, refused, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.once import stored_once
from samverkan.web.plan_forms import ActivityForm, DeclineForm, ProposalEditForm, ProposalForm
from samverkan.web.views.plan import year_context
from samverkan.web.views.plan_edit import _attempt, _save_guarded, _see_other


def _open_for_proposals(year: Year) -> bool:
    return year.status == YearStatus.PLANNING and not year.plan_is_adopted


@require_GET
def proposals(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    rows = ActivityProposal.objects.filter(focus_area__year=found).select_related(
        "focus_area", "network", "proposed_by", "decided_by", "activity"
    )
    return render(
        request,
        "web/cycle/proposals.html",
        year_context(
            found,
            standing,
            "plan",
            proposals=rows,
            open=_open_for_proposals(found),
            can_propose=standing.can(Capability.PROPOSE_ACTIVITY) and bool(standing.network_ids),
        ),
    )


@require_http_methods(["GET", "POST"])
@stored_once
def proposal_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """A network lead proposes an activity (the secretariat adds activities directly in the plan)."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.PROPOSE_ACTIVITY)
    if not standing.network_ids:
        raise refused(Capability.PROPOSE_ACTIVITY)
    initial = {"focus_area": request.GET.get("omrade")} if request.GET.get("omrade") else None
    form = ProposalForm(
        request.POST or None, initial=initial, year=found, network_ids=standing.network_ids
    )
    status = 200
    if request.method == "POST":
        created: list[ActivityProposal] = []
        if form.is_valid() and _attempt(
            form,
            lambda: created.append(
                propose_activity(
                    form.cleaned_data["focus_area"],
                    actor=acting_user(request),
                    network=form.cleaned_data["network"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            ),
        ):
            messages.success(request, _("Förslaget är skickat till kansliet."))
            return _see_other("web:proposal", coop, year, created[0].pk)
        status = 400
    return render(
        request,
        "web/cycle/proposal_new.html",
        year_context(found, standing, "plan", form=form, open=_open_for_proposals(found)),
        status=status,
    )


def _proposal_refusal(proposal: ActivityProposal) -> str:
    return _("Förslaget ändras av ledarna för %(network)s innan kansliet beslutar.") % {
        "network": proposal.network
    }


def _proposal_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    proposal: ActivityProposal,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
    guard: EditGuard | None = None,
) -> HttpResponse:
    bound = bound or {}
    undecided = proposal.status == ProposalStatus.PROPOSED
    may_decide = (
        standing.can(Capability.EDIT_PLAN)
        and undecided
        and not found.is_locked
        and not found.plan_is_adopted
    )
    may_edit = standing.can_edit_proposal(proposal) and undecided and _open_for_proposals(found)
    context: dict[str, Any] = {
        "proposal": proposal,
        "may_decide": may_decide,
        "may_edit": may_edit,
        # Why a lead of another network, or a reader, gets no form while it is still open.
        "read_only_reason": _proposal_refusal(proposal)
        if undecided and not (may_edit or may_decide) and _open_for_proposals(found)
        else "",
        "edit_form": bound.get("edit_form")
        or ProposalEditForm(initial={"title": proposal.title, "description": proposal.description}),
        "edit_guard": guard or EditGuard(request, proposal, found, posted=False),
        "accept_form": bound.get("accept_form")
        or ActivityForm(
            initial={
                "title": proposal.title,
                "description": proposal.description,
                "networks": [proposal.network_id],
            },
            year=found,
            prefix="accept",
        ),
        "decline_form": bound.get("decline_form") or DeclineForm(prefix="decline"),
    }
    return render(
        request,
        "web/cycle/proposal.html",
        year_context(found, standing, "plan", **context),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """A proposal and its outcome; POST: its network's lead edits it, the secretariat accepts or declines it."""
    found, standing = get_year_for_user(request, coop, year)
    found_proposal = get_object_or_404(
        ActivityProposal.objects.select_related(
            "focus_area", "network", "proposed_by", "decided_by", "activity"
        ),
        pk=pk,
        focus_area__year=found,
    )
    if request.method == "GET":
        return _proposal_page(request, found, standing, found_proposal)
    action = request.POST.get("action", "")
    user = acting_user(request)
    if action == "edit":
        if not standing.can_edit_proposal(found_proposal):
            raise refused(reason=_proposal_refusal(found_proposal))
        form: forms.Form = ProposalEditForm(request.POST)
        guard = EditGuard(request, found_proposal, found)
        status = _save_guarded(
            form,
            guard,
            lambda read_as: update_proposal(
                found_proposal,
                actor=user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                read_as=read_as,
            ),
        )
        if status is None:
            messages.success(request, _("Förslaget är sparat."))
            return _see_other("web:proposal", coop, year, pk)
        return _proposal_page(
            request,
            found,
            standing,
            found_proposal,
            status=status,
            bound={"edit_form": form},
            guard=guard,
        )
    require(standing, Capability.EDIT_PLAN)
    # A decision carries the digest of the proposal the page showed: one its network changed
    # since is not decided on unseen (409, the page shows it as stored now).
    guard = EditGuard(request, found_proposal, found)
    if action == "accept":
        accept = ActivityForm(request.POST, year=found, prefix="accept")
        status = _save_guarded(
            accept,
            guard,
            lambda read_as: accept_proposal(
                found_proposal, actor=user, read_as=read_as, **accept.service_arguments()
            ),
        )
        if status is None:
            messages.success(request, _("Förslaget är intaget i planen."))
            return _see_other("web:plan-area", coop, year, found_proposal.focus_area_id)
        return _proposal_page(
            request,
            found,
            standing,
            found_proposal,
            status=status,
            bound={"accept_form": accept},
            guard=guard,
        )
    if action == "decline":
        decline = DeclineForm(request.POST, prefix="decline")
        status = _save_guarded(
            decline,
            guard,
            lambda read_as: decline_proposal(
                found_proposal,
                actor=user,
                reason=decline.cleaned_data["reason"],
                read_as=read_as,
            ),
        )
        if status is None:
            messages.success(request, _("Förslaget är avböjt."))
            return _see_other("web:proposal", coop, year, pk)
        return _proposal_page(
            request,
            found,
            standing,
            found_proposal,
            status=status,
            bound={"decline_form": decline},
            guard=guard,
        )
    return _proposal_page(request, found, standing, found_proposal, status=400)
