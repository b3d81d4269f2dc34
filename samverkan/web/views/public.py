"""Pages and files for everyone: published years only, everything else is 404."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from samverkan.members.models import Cooperation, YearStatus
from samverkan.web import open_data
from samverkan.web.access import (
    get_published_year,
    get_year_with_published_plan,
    published_plans_of,
    published_years_of,
)
from samverkan.web.reports import formats, report_response
from samverkan.web.summaries import plan_overview


def _json(data: dict[str, Any], filename: str) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    cooperations = (
        Cooperation.objects.filter(
            Q(years__status=YearStatus.PUBLISHED) | Q(years__plan_published_at__isnull=False)
        )
        .distinct()
        .order_by("name")
    )
    rows = [
        (
            coop,
            coop.years.filter(status=YearStatus.PUBLISHED).order_by("-year"),
            published_plans_of(coop.slug),
        )
        for coop in cooperations
    ]
    return render(request, "web/public/index.html", {"rows": rows})


@login_not_required
@require_GET
def public_cooperation(request: HttpRequest, coop: str) -> HttpResponse:
    plans = published_plans_of(coop)
    try:
        cooperation, years = published_years_of(coop)
    except Http404:
        if not plans:
            raise
        cooperation, years = plans[0].cooperation, []
    return render(
        request,
        "web/public/cooperation.html",
        {
            "cooperation": cooperation,
            "years": years,
            "plans": plans,
            "report_formats": formats(),
        },
    )


@login_not_required
@require_safe
def public_plan_document(request: HttpRequest, coop: str, year: int, fmt: str) -> HttpResponseBase:
    """An adopted and published activity plan in one format, for everyone."""
    return report_response(request, get_year_with_published_plan(coop, year), fmt, document="plan")


@login_not_required
@require_GET
def public_year(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found = get_published_year(coop, year)
    return render(
        request,
        "web/public/year.html",
        {
            "year": found,
            "cooperation": found.cooperation,
            "plan": plan_overview(found),
            "report_formats": formats(),
        },
    )


@login_not_required
@require_safe
def public_report(request: HttpRequest, coop: str, year: int, fmt: str) -> HttpResponseBase:
    return report_response(request, get_published_year(coop, year), fmt)


@login_not_required
@require_GET
def public_data_json(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found = get_published_year(coop, year)
    return _json(open_data.year_data(found), f"{coop}-{year}.json")


@login_not_required
@require_GET
def public_plan_json(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found = get_published_year(coop, year)
    return _json(open_data.plan_data(found), f"{coop}-{year}-plan.json")


@login_not_required
@require_GET
def public_plan_csv(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found = get_published_year(coop, year)
    return _csv(open_data.plan_csv(found), f"{coop}-{year}-plan.csv")


@login_not_required
@require_GET
def public_accounts_json(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found = get_published_year(coop, year)
    return _json(open_data.accounts_data(found), f"{coop}-{year}-accounts.json")


@login_not_required
@require_GET
def public_accounts_csv(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found = get_published_year(coop, year)
    return _csv(open_data.accounts_csv(found), f"{coop}-{year}-accounts.csv")
