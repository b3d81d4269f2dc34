"""The year's workflow (secretariat), its audit trail, and the report preview and downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.roles import Capability, Standing
from samverkan.members.models import Year
from samverkan.members.services import (
    DomainError,
    decide_year,
    publish_year,
    reopen_year,
    set_year_status,
)
from samverkan.web.access import acting_user, get_year_for_user, require
from samverkan.web.findings import errors_once_decided, year_findings
from samverkan.web.forms import DecideForm, PublishForm, ReopenForm, YearStatusForm
from samverkan.web.reports import formats, report_response
from samverkan.web.views.plan import year_context


def _status_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """The status page with a fresh form per action; `bound` replaces the one just submitted."""
    findings = year_findings(found)
    context: dict[str, Any] = {
        "findings": findings,
        "open_errors": errors_once_decided(found),
        "status_form": YearStatusForm(initial={"status": found.status}),
        "decide_form": DecideForm(),
        "publish_form": PublishForm(),
        "reopen_form": ReopenForm(),
        **(bound or {}),
    }
    return render(
        request,
        "web/year_status.html",
        year_context(found, standing, "status", error=error, **context),
        status=status,
    )


@require_GET
def year_status(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.MANAGE_YEAR)
    return _status_page(request, found, standing)


def _year_action(
    request: HttpRequest,
    coop: str,
    year: int,
    form_class: type[forms.Form],
    form_name: str,
    action: Callable[[Year, dict[str, Any]], Year],
    done: str,
) -> HttpResponse:
    """Validate the action's form, run its service, redirect; a refusal re-renders the page (409)."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.MANAGE_YEAR)
    form = form_class(request.POST)
    if not form.is_valid():
        return _status_page(request, found, standing, status=400, bound={form_name: form})
    try:
        action(found, form.cleaned_data)
    except DomainError as exc:
        return _status_page(
            request, found, standing, status=409, error=exc.message, bound={form_name: form}
        )
    messages.success(request, done)
    return redirect("web:year-status", coop, year)


@require_POST
def year_set_status(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    return _year_action(
        request,
        coop,
        year,
        YearStatusForm,
        "status_form",
        lambda y, data: set_year_status(y, data["status"], actor=acting_user(request)),
        _("Årets status är ändrad."),
    )


@require_POST
def year_decide(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """Decide the year; with error-level findings only after an explicit confirmation and a reason."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.MANAGE_YEAR)
    form = DecideForm(request.POST)
    open_errors = errors_once_decided(found)
    if not form.is_valid() or not form.require_confirmation(open_errors):
        return _status_page(request, found, standing, status=400, bound={"decide_form": form})
    try:
        decide_year(
            found,
            form.cleaned_data["decided_on"],
            actor=acting_user(request),
            open_errors=open_errors,
            reason=form.cleaned_data["errors_reason"],
        )
    except DomainError as exc:
        return _status_page(
            request, found, standing, status=409, error=exc.message, bound={"decide_form": form}
        )
    messages.success(request, _("Året är beslutat och låst."))
    return redirect("web:year-status", coop, year)


@require_POST
def year_publish(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    return _year_action(
        request,
        coop,
        year,
        PublishForm,
        "publish_form",
        lambda y, data: publish_year(y, actor=acting_user(request)),
        _("Året är publicerat."),
    )


@require_POST
def year_reopen(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    return _year_action(
        request,
        coop,
        year,
        ReopenForm,
        "reopen_form",
        lambda y, data: reopen_year(y, actor=acting_user(request), reason=data["reason"]),
        _("Året är öppnat igen och kan ändras."),
    )


@require_GET
def report(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    return render(
        request,
        "web/report.html",
        year_context(found, standing, "report", report_formats=formats()),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report_file(request: HttpRequest, coop: str, year: int, fmt: str) -> HttpResponseBase:
    """The report in one format; POST asks again for a PDF or Word edition that could not be made."""
    found, _standing = get_year_for_user(request, coop, year)
    return report_response(request, found, fmt, may_retry=True)
