"""Events: the list, and one page per event with its co-financing per member (secretariat)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.finance.cofinancing import booked_costs, co_financing_lines
from samverkan.governance.models import Event
from samverkan.governance.services import (
    delete_event,
    event_dependents,
    save_event,
    split_by_population,
)
from samverkan.lib.money import yaml_number
from samverkan.members.fees import fee_schedule
from samverkan.members.models import Member, Year
from samverkan.members.services import DomainError, EditConflict
from samverkan.web.access import acting_user, get_record_for_user, get_year_for_user, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.once import stored_once
from samverkan.web.register_forms import CoFinancingForm, EventForm, add_service_errors
from samverkan.web.views.editing import confirm_delete, see_other
from samverkan.web.views.plan import year_context


@require_GET
def events(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    rows = Event.objects.filter(year=found).select_related("fund").prefetch_related("hosts")
    return render(
        request,
        "web/events.html",
        year_context(
            found,
            standing,
            "events",
            rows=rows,
            can_edit=standing.can(Capability.EDIT_REGISTERS) and not found.is_locked,
        ),
    )


def _members(found: Year) -> list[Member]:
    return [
        m
        for m in Member.objects.filter(cooperation_id=found.cooperation_id)
        if m.is_member_in(found.year)
    ]


def _initial_shares(event: Event | None, members: list[Member]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if event is None or event.fund_id is None:
        return initial
    for line in co_financing_lines(event.year_id, event.fund_id):
        member = next((m for m in members if m.pk == line.member_id), None)
        if member is not None:
            initial[CoFinancingForm.key(member)] = yaml_number(line.amount)
    # Whole kronor show without "öre" on every database (PostgreSQL's sums carry ".00").
    initial["split_total"] = yaml_number(booked_costs(event.year_id, event.fund_id)) or None
    return initial


def _split(found: Year, data: QueryDict, shares: CoFinancingForm) -> tuple[QueryDict, str]:
    """The posted form with each member's share filled in from the population at the fee basis date."""
    schedule = fee_schedule(found)
    total = shares.cleaned_data.get("split_total") if shares.is_valid() else None
    if not total:
        return data, _("Ange beloppet som ska fördelas.")
    populations = {c.member_code: c.population for c in schedule.charges if c.population}
    if not populations:
        return data, _(
            "Invånarantal saknas för avgiftsunderlagets datum, så beloppet kan inte fördelas."
        )
    split = split_by_population(Decimal(total), populations)
    filled = data.copy()
    for member in shares.members:
        filled[CoFinancingForm.key(member)] = str(split.get(member.code, ""))
    missing = [c.member_name for c in schedule.charges if not c.population]
    note = (
        _("Invånarantal saknas för %(names)s; de har ingen andel.") % {"names": ", ".join(missing)}
        if missing
        else ""
    )
    return filled, note


def _event_page(
    request: HttpRequest, found: Year, standing: Standing, event: Event | None
) -> HttpResponse:
    members = _members(found)
    status, error, notice = 200, "", ""
    invalid = False
    guard = EditGuard(request, event, found)
    if request.method == "POST":
        data: QueryDict = request.POST
        if request.POST.get("action") == "split":
            data, notice = _split(found, data, CoFinancingForm(data, members=members))
        form = EventForm(data, instance=event, year=found)
        shares = CoFinancingForm(data, members=members)
        if request.POST.get("action") == "split":
            if not notice:
                notice = _(
                    "Andelarna är ifyllda efter invånarantal. Granska dem och spara arrangemanget."
                )
        elif refusal := guard.missing():
            status, error = 400, refusal
        elif form.is_valid() and shares.is_valid():
            try:
                saved = save_event(
                    found,
                    event,
                    actor=acting_user(request),
                    read_as=guard.read_as,
                    values={k: v for k, v in form.cleaned_data.items() if k != "hosts"},
                    hosts=list(form.cleaned_data["hosts"]),
                    co_financing=shares.shares(),
                )
            except EditConflict as exc:
                status, error = 409, guard.conflict(exc)
            except ValidationError as exc:
                errors = exc.message_dict
                for text in errors.pop("co_financing", []):
                    shares.add_error(None, text)
                if errors:
                    add_service_errors(ValidationError(errors), form)
                status, invalid = 400, True
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Arrangemanget är sparat."))
                return see_other("web:event-edit", found.cooperation.slug, found.year, saved.pk)
        else:
            status, invalid = 400, True
    else:
        form = EventForm(instance=event, year=found)
        shares = CoFinancingForm(initial=_initial_shares(event, members), members=members)
    schedule = fee_schedule(found)
    populations = {c.member_code: c.population for c in schedule.charges}
    return render(
        request,
        "web/event_form.html",
        year_context(
            found,
            standing,
            "events",
            form=form,
            shares=shares,
            record=event,
            error=error,
            notice=notice,
            invalid=invalid,
            edit_guard=guard,
            basis_date=schedule.basis_date,
            share_rows=[
                (member, field, populations.get(member.code)) for member, field in shares.rows()
            ],
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def event_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_REGISTERS)
    return _event_page(request, found, standing, None)


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    event, found, standing = get_record_for_user(
        request, coop, year, Event.objects.all(), pk, capability=Capability.EDIT_REGISTERS
    )
    return _event_page(request, found, standing, event)


@require_http_methods(["GET", "POST"])
def event_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    event, found, standing = get_record_for_user(
        request, coop, year, Event.objects.all(), pk, capability=Capability.EDIT_REGISTERS
    )
    return confirm_delete(
        request,
        found,
        standing,
        section="events",
        what=_("arrangemanget ”%(name)s”") % {"name": event.name},
        back=reverse("web:events", args=[coop, year]),
        dependents=event_dependents(event),
        record=event,
        delete=lambda read_as: delete_event(event, actor=acting_user(request), read_as=read_as),
        done=_("Arrangemanget är borttaget."),
    )
