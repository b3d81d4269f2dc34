"""The fee rules (standing data): the list with the years each rule governs, add a rule from a
year, change a rule's rate, remove a rule. A change that reaches a decided or published year's
fees is refused naming the year (the year lock)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.members.fees import rules_and_years
from samverkan.members.models import FeeRule, Year
from samverkan.members.services import (
    DomainError,
    add_fee_rule,
    change_fee_rule,
    delete_fee_rule,
)
from samverkan.web.access import acting_user, get_year_for_capability, get_year_for_user
from samverkan.web.edit_guard import EditGuard
from samverkan.web.member_forms import FeeRateForm, FeeRuleForm
from samverkan.web.once import stored_once
from samverkan.web.register_forms import add_service_errors
from samverkan.web.views.editing import confirm_delete, see_other
from samverkan.web.views.plan import year_context


def _editor(request: HttpRequest, coop: str, year: int) -> tuple[Year, Standing]:
    """The year, for a user who may change the fee rules (403 with a reason otherwise)."""
    return get_year_for_capability(
        request, coop, year, Capability.EDIT_MEMBERS, _("Avgiftsreglerna ändras av kansliet.")
    )


def _rule(found: Year, pk: int) -> FeeRule:
    return get_object_or_404(FeeRule, pk=pk, cooperation_id=found.cooperation_id)


@require_GET
def fee_rules(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    return render(
        request,
        "web/fee_rules.html",
        year_context(
            found,
            standing,
            "members",
            rows=rules_and_years(found.cooperation_id),
            can_edit=standing.can(Capability.EDIT_MEMBERS),
        ),
    )


def _form_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    form: Form,
    rule: FeeRule | None,
    *,
    status: int = 200,
    error: str = "",
    guard: EditGuard | None = None,
) -> HttpResponse:
    return render(
        request,
        "web/fee_rule_form.html",
        year_context(
            found, standing, "members", form=form, record=rule, error=error, edit_guard=guard
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def fee_rule_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = _editor(request, coop, year)
    if request.method != "POST":
        return _form_page(request, found, standing, FeeRuleForm(), None)
    form = FeeRuleForm(request.POST)
    status, error = 400, ""
    if form.is_valid():
        try:
            add_fee_rule(found.cooperation, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(exc, form)
        except DomainError as exc:
            status, error = 409, exc.message
        else:
            messages.success(request, _("Avgiftsregeln är sparad."))
            return see_other("web:fee-rules", coop, year)
    return _form_page(request, found, standing, form, None, status=status, error=error)


@require_http_methods(["GET", "POST"])
def fee_rule_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found, standing = _editor(request, coop, year)
    rule = _rule(found, pk)
    guard = EditGuard(request, rule, found)
    if request.method != "POST":
        form = FeeRateForm(initial={"rate": rule.rate, "basis": rule.basis})
        return _form_page(request, found, standing, form, rule, guard=guard)
    form = FeeRateForm(request.POST)
    status, error = guard.save(
        form,
        lambda: change_fee_rule(
            rule, actor=acting_user(request), read_as=guard.read_as, **form.cleaned_data
        ),
    )
    if not status:
        messages.success(request, _("Avgiftsregeln är sparad."))
        return see_other("web:fee-rules", coop, year)
    if status == 409:
        rule.refresh_from_db()
    return _form_page(request, found, standing, form, rule, status=status, error=error, guard=guard)


@require_http_methods(["GET", "POST"])
def fee_rule_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found, standing = _editor(request, coop, year)
    rule = _rule(found, pk)
    return confirm_delete(
        request,
        found,
        standing,
        section="members",
        what=_("avgiftsregeln från %(year)s") % {"year": rule.from_year},
        back=reverse("web:fee-rules", args=[coop, year]),
        dependents=[],
        record=rule,
        delete=lambda read_as: delete_fee_rule(rule, actor=acting_user(request), read_as=read_as),
        done=_("Avgiftsregeln är borttagen."),
    )
