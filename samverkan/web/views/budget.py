"""The year's budget per fund and cost category, entered as one grid; budget against outcome."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.accounts.roles import Capability
from samverkan.finance.accounts import fund_labels
from samverkan.finance.budget import budget_comparison, year_funds
from samverkan.finance.models import BudgetLine, CostCategory
from samverkan.finance.services import save_budget
from samverkan.governance.models import Event
from samverkan.members.services import DomainError, EditConflict
from samverkan.web.access import acting_user, get_year_for_user, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.plan_forms import BudgetGrid
from samverkan.web.views.plan import year_context
from samverkan.web.views.plan_edit import _see_other


@require_http_methods(["GET", "POST"])
def budget(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """Everyone reads the budget and its outcome; the secretariat enters it while the plan is open.

    The grid carries the digest of the budget as read (`EditGuard`): a save from a grid read
    before someone else saved the budget is refused (409), with the stored budget shown above
    the amounts the user typed."""
    found, standing = get_year_for_user(request, coop, year)
    if request.method == "POST":
        require(standing, Capability.EDIT_PLAN)
    funds = year_funds(found)
    categories = list(
        CostCategory.objects.filter(cooperation_id=found.cooperation_id).order_by("kind", "order")
    )
    # Income first, then costs, each in the cooperation's order.
    categories.sort(key=lambda c: (c.kind != "income", c.order))
    events = list(Event.objects.filter(year=found).order_by("order"))
    stored: dict[tuple[int, int], Decimal] = {
        (b.fund_id, b.category_id): b.amount for b in BudgetLine.objects.filter(year=found)
    }
    grid = BudgetGrid(
        found,
        funds,
        categories,
        events,
        stored,
        data=request.POST if request.method == "POST" else None,
        labels=fund_labels(found),
    )
    guard = EditGuard(request, found, found)
    error = ""
    status = 200
    if request.method == "POST":
        if refusal := guard.missing():
            error, status = refusal, 400
        elif grid.is_valid():
            try:
                save_budget(
                    found,
                    actor=acting_user(request),
                    amounts=grid.amounts,
                    caps=grid.caps,
                    read_as=guard.read_as,
                )
            except EditConflict as exc:
                error, status = guard.conflict(exc), 409
            except DomainError as exc:
                error, status = exc.message, 409
            else:
                messages.success(request, _("Budgeten är sparad."))
                return _see_other("web:budget", coop, year)
        else:
            error, status = _("Budgeten är inte sparad: rätta de markerade beloppen."), 400
    editable = (
        standing.can(Capability.EDIT_PLAN) and not found.is_locked and not found.plan_is_adopted
    )
    return render(
        request,
        "web/cycle/budget.html",
        year_context(
            found,
            standing,
            "budget",
            grid=grid,
            editable=editable,
            error=error,
            edit_guard=guard,
            comparison=budget_comparison(found),
        ),
        status=status,
    )
