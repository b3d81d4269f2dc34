"""The member municipalities (standing data): list, add, correct a name, mark as having left."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.roles import Capability, Standing
from samverkan.members.models import Member, PopulationFigure, Year
from samverkan.members.services import (
    DomainError,
    add_member,
    mark_member_left,
    rename_member,
)
from samverkan.web.access import acting_user, get_member_for_user, get_year_for_user, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.member_forms import LeftForm, MemberForm, RenameForm
from samverkan.web.once import stored_once
from samverkan.web.register_forms import add_service_errors
from samverkan.web.views.editing import see_other
from samverkan.web.views.plan import year_context


@require_GET
def members(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    latest = PopulationFigure.objects.order_by("-date")
    rows = [
        (member, member.is_member_in(found.year), next(iter(member.figures_newest_first), None))
        for member in Member.objects.filter(cooperation=standing.cooperation).prefetch_related(
            Prefetch("population_figures", queryset=latest, to_attr="figures_newest_first")
        )
    ]
    return render(
        request,
        "web/members.html",
        year_context(
            found,
            standing,
            "members",
            rows=rows,
            can_edit=standing.can(Capability.EDIT_MEMBERS),
        ),
    )


@require_http_methods(["GET", "POST"])
@stored_once
def member_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_MEMBERS)
    status = 200
    if request.method == "POST":
        form = MemberForm(request.POST)
        if form.is_valid():
            try:
                member = add_member(
                    standing.cooperation, actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
                status = 400
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request, _("%(name)s är tillagd som medlem.") % {"name": member.name}
                )
                return see_other("web:members", coop, year)
        else:
            status = 400
    else:
        form = MemberForm(initial={"joined": found.year})
    return render(
        request,
        "web/member_form.html",
        year_context(found, standing, "members", form=form),
        status=status,
    )


def _member_page(
    request: HttpRequest,
    member: Member,
    found: Year,
    standing: Standing,
    *,
    rename: RenameForm | None = None,
    left: LeftForm | None = None,
    guard: EditGuard | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "web/member.html",
        year_context(
            found,
            standing,
            "members",
            member=member,
            figures=member.population_figures.order_by("-date"),
            rename_form=rename or RenameForm(initial={"name": member.name}),
            edit_guard=guard or EditGuard(request, member, found, posted=False),
            left_form=left or LeftForm(initial={"left": member.left}),
            can_edit=standing.can(Capability.EDIT_MEMBERS),
        ),
        status=status,
    )


@require_GET
def member(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found_member, found, standing = get_member_for_user(request, coop, year, pk)
    return _member_page(request, found_member, found, standing)


@require_POST
def member_rename(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found_member, found, standing = get_member_for_user(request, coop, year, pk, edit=True)
    form = RenameForm(request.POST)
    guard = EditGuard(request, found_member, found)
    status, error = guard.save(
        form,
        lambda: rename_member(
            found_member,
            actor=acting_user(request),
            name=form.cleaned_data["name"],
            read_as=guard.read_as,
        ),
    )
    if not status:
        messages.success(request, _("Namnet är rättat."))
        return see_other("web:member", coop, year, pk)
    if error:
        form.add_error(None, error)
    return _member_page(
        request, found_member, found, standing, rename=form, guard=guard, status=status
    )


@require_POST
def member_left(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found_member, found, standing = get_member_for_user(request, coop, year, pk, edit=True)
    form = LeftForm(request.POST)
    guard = EditGuard(request, found_member, found)
    status, error = guard.save(
        form,
        lambda: mark_member_left(
            found_member,
            actor=acting_user(request),
            left=form.cleaned_data["left"],
            read_as=guard.read_as,
        ),
    )
    if not status:
        messages.success(request, _("Medlemskapets slutår är sparat."))
        return see_other("web:member", coop, year, pk)
    if error:
        form.add_error(None, error)
    found_member.refresh_from_db()
    return _member_page(
        request, found_member, found, standing, left=form, guard=guard, status=status
    )
