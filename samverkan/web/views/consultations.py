"""The register of consultation responses: list, add, edit, delete (secretariat)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.consultations.models import ConsultationResponse
from samverkan.consultations.services import (
    delete_consultation_response,
    save_consultation_response,
)
from samverkan.members.models import Year
from samverkan.web.access import acting_user, get_record_for_user, get_year_for_user, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.once import stored_once
from samverkan.web.register_forms import ConsultationForm
from samverkan.web.views.editing import confirm_delete, see_other
from samverkan.web.views.plan import year_context


@require_GET
def consultations(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    rows = ConsultationResponse.objects.filter(year=found)
    return render(
        request,
        "web/consultations.html",
        year_context(
            found,
            standing,
            "consultations",
            rows=rows,
            can_edit=standing.can(Capability.EDIT_REGISTERS) and not found.is_locked,
        ),
    )


def _form_page(
    request: HttpRequest, found: Year, standing: Standing, response: ConsultationResponse | None
) -> HttpResponse:
    status, error = 200, ""
    guard = EditGuard(request, response, found)
    if request.method == "POST":
        form = ConsultationForm(request.POST, instance=response)
        status, error = guard.save(
            form,
            lambda: save_consultation_response(
                found,
                response,
                actor=acting_user(request),
                read_as=guard.read_as,
                **form.cleaned_data,
            ),
        )
        if not status:
            messages.success(request, _("Remissvaret är sparat."))
            return see_other("web:consultations", found.cooperation.slug, found.year)
    else:
        form = ConsultationForm(instance=response)
    return render(
        request,
        "web/consultation_form.html",
        year_context(
            found,
            standing,
            "consultations",
            form=form,
            record=response,
            error=error,
            edit_guard=guard,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def consultation_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_REGISTERS)
    return _form_page(request, found, standing, None)


@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    response, found, standing = get_record_for_user(
        request,
        coop,
        year,
        ConsultationResponse.objects.all(),
        pk,
        capability=Capability.EDIT_REGISTERS,
    )
    return _form_page(request, found, standing, response)


@require_http_methods(["GET", "POST"])
def consultation_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    response, found, standing = get_record_for_user(
        request,
        coop,
        year,
        ConsultationResponse.objects.all(),
        pk,
        capability=Capability.EDIT_REGISTERS,
    )
    return confirm_delete(
        request,
        found,
        standing,
        section="consultations",
        what=_("remissvaret ”%(subject)s”") % {"subject": response.subject},
        back=reverse("web:consultations", args=[coop, year]),
        dependents=[],
        record=response,
        delete=lambda read_as: delete_consultation_response(
            response, actor=acting_user(request), read_as=read_as
        ),
        done=_("Remissvaret är borttaget."),
    )
