"""The year's plan in the app: focus areas, goals and activities (secretariat), read by everyone.

One page lists the plan and carries its decision (adopt, publish, reopen);
one page per focus area edits its name, main goal, sub-goals and
activities; one page per activity edits, moves, deletes or cancels it.
Each POST names its `action`; a refused change re-renders the page with the
message next to the form it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.accounts.roles import Capability, Standing
from samverkan.members.models import Year
from samverkan.members.services import DomainError, EditConflict
from samverkan.plan.models import (
    Activity,
    ActivityProposal,
    FocusArea,
    FollowUp,
    ProposalStatus,
    SubGoal,
)
from samverkan.plan.services import (
    add_focus_area,
    add_sub_goal,
    adopt_plan,
    cancel_activity,
    delete_activity,
    delete_sub_goal,
    move_activity,
    move_focus_area,
    move_sub_goal,
    publish_plan,
    reopen_plan,
    save_activity,
    update_focus_area,
    update_sub_goal,
)
from samverkan.web.access import acting_user, get_year_for_user, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.once import stored_once
from samverkan.web.plan_forms import (
    ActivityForm,
    AdoptPlanForm,
    CancelActivityForm,
    ChosenRecordForm,
    FocusAreaForm,
    MoveActivityForm,
    NewSubGoalForm,
    PublishPlanForm,
    ReopenPlanForm,
    SubGoalForm,
)
from samverkan.web.reports import formats, report_response
from samverkan.web.views.editing import confirm_delete
from samverkan.web.views.editing import see_other as _see_other
from samverkan.web.views.plan import year_context

DIRECTIONS = ("up", "down")


def _attempt(form: forms.Form, call: Callable[[], Any]) -> bool:
    """Run the service; a refusal becomes the form's error (shown inside the form). True when it ran.

    A record rule (the model's clean()) names its field: the error goes next to that field when
    the form has it.
    """
    try:
        call()
    except EditConflict:
        raise
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    except ValidationError as exc:
        for field, messages_ in (
            exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        ).items():
            form.add_error(field if field in form.fields else None, messages_)
        return False
    return True


def _save_guarded(
    form: forms.Form,
    guard: EditGuard,
    call: Callable[[str | None], Any],
    *,
    refused: int = 400,
) -> int | None:
    """Save an edit form of an existing record through its guard: None when saved, else the
    status of the page that shows why not (400: no digest or bad input, 409: someone saved
    in between; `refused` when the service refused), the reason on the form, what is stored
    on the guard. The page's other forms that change the record (move, delete, cancel) go
    the same way: they carry the digest of the record the page shows."""
    if refusal := guard.missing():
        form.add_error(None, refusal)
        return 400
    if not form.is_valid():
        return 400
    try:
        if _attempt(form, lambda: call(guard.read_as)):
            return None
    except EditConflict as exc:
        form.add_error(None, guard.conflict(exc))
        return 409
    return refused


def _editable(year: Year, standing: Standing) -> bool:
    return standing.can(Capability.EDIT_PLAN) and not year.is_locked and not year.plan_is_adopted


def _plan_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    areas = list(
        FocusArea.objects.filter(year=found)
        .order_by("order", "id")
        .prefetch_related("activities", "sub_goals", "responsible_networks")
    )
    proposals = ActivityProposal.objects.filter(focus_area__year=found)
    context: dict[str, Any] = {
        "areas": areas,
        "editable": _editable(found, standing),
        "can_plan": standing.can(Capability.EDIT_PLAN),
        "open_proposals": proposals.filter(status=ProposalStatus.PROPOSED).count(),
        "all_proposals": proposals.count(),
        "can_propose": standing.can(Capability.PROPOSE_ACTIVITY) and bool(standing.network_ids),
        "area_form": FocusAreaForm(),
        "adopt_form": AdoptPlanForm(),
        "publish_form": PublishPlanForm(),
        "reopen_form": ReopenPlanForm(),
        "plan_formats": formats(),
        **(bound or {}),
    }
    return render(
        request,
        "web/cycle/plan.html",
        year_context(found, standing, "plan", **context),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def plan(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """The year's plan; POST (secretariat) adds a focus area or moves one up or down."""
    found, standing = get_year_for_user(request, coop, year)
    if request.method == "GET":
        return _plan_page(request, found, standing)
    require(standing, Capability.EDIT_PLAN)
    action = request.POST.get("action", "")
    if action in DIRECTIONS:
        area = _chosen(request, "area", FocusArea.objects.filter(year=found))
        form: forms.Form = forms.Form()
        if _attempt(form, lambda: move_focus_area(area, action, actor=acting_user(request))):
            return _redirect(request.path, f"area-{area.pk}")
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        return _redirect(request.path)
    form = FocusAreaForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        created: list[FocusArea] = []
        if _attempt(
            form,
            lambda: created.append(
                add_focus_area(
                    found,
                    actor=acting_user(request),
                    title=data["title"],
                    main_goal=data["main_goal"],
                )
            ),
        ):
            messages.success(request, _("Fokusområdet är tillagt."))
            return _see_other("web:plan-area", coop, year, created[0].pk)
    return _plan_page(request, found, standing, status=400, bound={"area_form": form})


def _chosen(request: HttpRequest, name: str, queryset: Any) -> Any:
    """The record a hidden field names among `queryset`; 404 when it names none (or no number)."""
    chosen = ChosenRecordForm(request.POST, name=name, queryset=queryset).chosen()
    if chosen is None:
        raise Http404
    return chosen


def _plan_decision(
    request: HttpRequest,
    coop: str,
    year: int,
    form_class: type[forms.Form],
    form_name: str,
    call: Callable[[Year, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_PLAN)
    form = form_class(request.POST)
    if form.is_valid() and _attempt(form, lambda: call(found, form.cleaned_data)):
        messages.success(request, done)
        return _see_other("web:plan", coop, year)
    found.refresh_from_db()
    return _plan_page(
        request,
        found,
        standing,
        status=400 if not form.non_field_errors() else 409,
        bound={form_name: form},
    )


@require_POST
def plan_adopt(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    return _plan_decision(
        request,
        coop,
        year,
        AdoptPlanForm,
        "adopt_form",
        lambda y, d: adopt_plan(y, d["adopted_on"], actor=acting_user(request)),
        _("Verksamhetsplanen är antagen och låst för ändringar."),
    )


@require_POST
def plan_publish(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    return _plan_decision(
        request,
        coop,
        year,
        PublishPlanForm,
        "publish_form",
        lambda y, d: publish_plan(y, actor=acting_user(request)),
        _("Verksamhetsplanen är publicerad."),
    )


@require_POST
def plan_reopen(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    return _plan_decision(
        request,
        coop,
        year,
        ReopenPlanForm,
        "reopen_form",
        lambda y, d: reopen_plan(y, actor=acting_user(request), reason=d["reason"]),
        _("Verksamhetsplanen är öppnad igen och kan ändras."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def plan_file(request: HttpRequest, coop: str, year: int, fmt: str) -> HttpResponseBase:
    """The plan as a document in one format (drafts included, for the people of the cooperation)."""
    found, _standing = get_year_for_user(request, coop, year)
    return report_response(request, found, fmt, may_retry=True, document="plan")


# --- one focus area ------------------------------------------------------------------------


def _area_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    area: FocusArea,
    *,
    status: int = 200,
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    bound = bound or {}
    goals = list(area.sub_goals.order_by("order", "id"))
    goal_forms = [
        (
            goal,
            bound.get(f"goal-{goal.pk}")
            or SubGoalForm(initial={"text": goal.text}, prefix=f"goal-{goal.pk}"),
            bound.get(f"goal-{goal.pk}-guard") or EditGuard(request, goal, found, posted=False),
        )
        for goal in goals
    ]
    activities = list(
        area.activities.order_by("order", "id")
        .prefetch_related("networks")
        .select_related("follow_up")
    )
    context = {
        "area": area,
        "editable": _editable(found, standing),
        "rename_form": bound.get("rename_form")
        or FocusAreaForm(initial={"title": area.title, "main_goal": area.main_goal}),
        "rename_guard": bound.get("rename_guard") or EditGuard(request, area, found, posted=False),
        "goal_forms": goal_forms,
        "new_goal_form": bound.get("new_goal_form") or NewSubGoalForm(prefix="new-goal"),
        "activities": activities,
        "activity_form": bound.get("activity_form") or ActivityForm(year=found, prefix="new"),
        "proposals": area.proposals.select_related("network", "proposed_by", "activity"),
        "proposing": standing.proposing_networks(area),
        "error": bound.get("error", ""),
    }
    return render(
        request,
        "web/cycle/plan_area.html",
        year_context(found, standing, "plan", **context),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def plan_area(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """A focus area of the plan; POST (secretariat) changes it, by `action`."""
    found, standing = get_year_for_user(request, coop, year)
    area = get_object_or_404(FocusArea.objects.select_related("year"), pk=pk, year=found)
    if request.method == "GET":
        return _area_page(request, found, standing, area)
    require(standing, Capability.EDIT_PLAN)
    action = request.POST.get("action", "")
    user = acting_user(request)
    here = request.path
    if action == "rename":
        form: forms.Form = FocusAreaForm(request.POST)
        guard = EditGuard(request, area, found)
        status = _save_guarded(
            form,
            guard,
            lambda read_as: update_focus_area(
                area,
                actor=user,
                title=form.cleaned_data["title"],
                main_goal=form.cleaned_data["main_goal"],
                read_as=read_as,
            ),
        )
        if status is None:
            messages.success(request, _("Fokusområdet är sparat."))
            return _redirect(here)
        return _area_page(
            request,
            found,
            standing,
            area,
            status=status,
            bound={"rename_form": form, "rename_guard": guard},
        )
    if action == "add_goal":
        form = NewSubGoalForm(request.POST, prefix="new-goal")
        if form.is_valid() and _attempt(
            form, lambda: add_sub_goal(area, actor=user, text=form.cleaned_data["text"])
        ):
            messages.success(request, _("Delmålet är tillagt."))
            return _redirect(here, "sub-goals")
        return _area_page(request, found, standing, area, status=400, bound={"new_goal_form": form})
    if action.startswith("goal_"):
        goal = _chosen(request, "goal", SubGoal.objects.filter(focus_area=area))
        form = SubGoalForm(request.POST, prefix=f"goal-{goal.pk}")
        goal_guard = EditGuard(request, goal, found)
        verb = action.removeprefix("goal_")
        status = 400
        if verb == "save":
            saved = _save_guarded(
                form,
                goal_guard,
                lambda read_as: update_sub_goal(
                    goal, actor=user, text=form.cleaned_data["text"], read_as=read_as
                ),
            )
            ok, status = saved is None, saved or 400
        elif verb in DIRECTIONS:
            ok = _attempt(form, lambda: move_sub_goal(goal, verb, actor=user))
        elif verb == "delete":
            # Asks first, as every other delete does (the button sits beside "Spara delmålet"),
            # showing the sub-goal as stored; the confirmation carries its digest.
            return confirm_delete(
                request,
                found,
                standing,
                section="plan",
                what=_("delmålet ”%(text)s”") % {"text": goal.text},
                back=f"{here}#sub-goals",
                dependents=[],
                record=goal,
                delete=lambda read_as: delete_sub_goal(goal, actor=user, read_as=read_as),
                done=_("Delmålet är borttaget."),
                hidden=[("action", "goal_delete"), ("goal", goal.pk), ("confirmed", "1")],
                confirmed=request.POST.get("confirmed") == "1",
            )
        else:
            ok = False
            form.add_error(None, _("Okänd åtgärd."))
        if ok:
            messages.success(request, _("Delmålen är sparade."))
            return _redirect(here, "sub-goals")
        return _area_page(
            request,
            found,
            standing,
            area,
            status=status,
            bound={f"goal-{goal.pk}": form, f"goal-{goal.pk}-guard": goal_guard},
        )
    if action == "add_activity":
        activity_form = ActivityForm(request.POST, year=found, prefix="new")
        if activity_form.is_valid() and _attempt(
            activity_form,
            lambda: save_activity(area, actor=user, **activity_form.service_arguments()),
        ):
            messages.success(request, _("Aktiviteten är tillagd."))
            return _redirect(here, "activities")
        return _area_page(
            request, found, standing, area, status=400, bound={"activity_form": activity_form}
        )
    return _area_page(
        request, found, standing, area, status=400, bound={"error": _("Okänd åtgärd.")}
    )


def _redirect(path: str, anchor: str = "") -> HttpResponse:
    response = redirect(f"{path}#{anchor}" if anchor else path)
    response.status_code = 303
    return response


# --- one activity ----------------------------------------------------------------------------


def _activity_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    activity: Activity,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
    guard: EditGuard | None = None,
) -> HttpResponse:
    bound = bound or {}
    follow_up = FollowUp.objects.filter(activity=activity).first()
    context = {
        "activity": activity,
        "follow_up": follow_up,
        "has_follow_up": follow_up is not None and follow_up.is_started,
        "editable": _editable(found, standing),
        "may_cancel": standing.can(Capability.EDIT_PLAN) and not found.is_locked,
        "form": bound.get("form")
        or ActivityForm(initial=ActivityForm.initial_for(activity), year=found),
        "edit_guard": guard or EditGuard(request, activity, found, posted=False),
        "move_form": bound.get("move_form")
        or MoveActivityForm(initial={"focus_area": activity.focus_area_id}, year=found),
        "cancel_form": bound.get("cancel_form") or CancelActivityForm(),
        "delete_form": bound.get("delete_form") or forms.Form(),
    }
    return render(
        request,
        "web/cycle/plan_activity.html",
        year_context(found, standing, "plan", **context),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def plan_activity(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """Edit an activity of the plan (secretariat): save, move, delete or cancel, by `action`."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_PLAN)
    activity = get_object_or_404(
        Activity.objects.select_related("focus_area"), pk=pk, focus_area__year=found
    )
    if request.method == "GET":
        return _activity_page(request, found, standing, activity)
    action = request.POST.get("action", "")
    user = acting_user(request)
    area_url = ("web:plan-area", coop, year, activity.focus_area_id)
    if action == "save":
        form = ActivityForm(request.POST, year=found)
        guard = EditGuard(request, activity, found)
        status = _save_guarded(
            form,
            guard,
            lambda read_as: save_activity(
                activity.focus_area,
                activity,
                actor=user,
                read_as=read_as,
                **form.service_arguments(),
            ),
        )
        if status is None:
            messages.success(request, _("Aktiviteten är sparad."))
            return _see_other(*area_url)
        return _activity_page(
            request, found, standing, activity, status=status, bound={"form": form}, guard=guard
        )
    # Moving, deleting and cancelling carry the digest of the activity the page showed: what
    # the person decided on is what is stored, or nothing is done and the page shows it (409).
    guard = EditGuard(request, activity, found)
    if action == "move":
        move_form = MoveActivityForm(request.POST, year=found)
        status = _save_guarded(
            move_form,
            guard,
            lambda read_as: move_activity(
                activity, move_form.cleaned_data["focus_area"], actor=user, read_as=read_as
            ),
        )
        if status is None:
            messages.success(request, _("Aktiviteten är flyttad."))
            return _see_other("web:plan-area", coop, year, move_form.cleaned_data["focus_area"].pk)
        return _activity_page(
            request,
            found,
            standing,
            activity,
            status=status,
            bound={"move_form": move_form},
            guard=guard,
        )
    if action == "delete":
        delete_form = forms.Form(request.POST)
        status = _save_guarded(
            delete_form,
            guard,
            lambda read_as: delete_activity(activity, actor=user, read_as=read_as),
            refused=409,
        )
        if status is None:
            messages.success(request, _("Aktiviteten är borttagen."))
            return _see_other(*area_url)
        return _activity_page(
            request,
            found,
            standing,
            activity,
            status=status,
            bound={"delete_form": delete_form},
            guard=guard,
        )
    if action == "cancel":
        cancel_form = CancelActivityForm(request.POST)
        status = _save_guarded(
            cancel_form,
            guard,
            lambda read_as: cancel_activity(
                activity, actor=user, reason=cancel_form.cleaned_data["reason"], read_as=read_as
            ),
        )
        if status is None:
            messages.success(request, _("Aktiviteten är markerad som inställd."))
            return _see_other(*area_url)
        return _activity_page(
            request,
            found,
            standing,
            activity,
            status=status,
            bound={"cancel_form": cancel_form},
            guard=guard,
        )
    return _activity_page(request, found, standing, activity, status=400)
