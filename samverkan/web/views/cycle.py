"""Start the next year (secretariat): a preview of what carries over, then one service that creates it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.accounts.roles import Capability
from samverkan.members.models import Year
from samverkan.members.services import DomainError
from samverkan.members.year_services import next_year_number, preview_year, start_year
from samverkan.web.access import acting_user, get_standing, require
from samverkan.web.once import stored_once
from samverkan.web.plan_forms import StartYearForm
from samverkan.web.views.plan_edit import _see_other


def _number(raw: str | None, default: int | None) -> int | None:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) != 4:
        raise Http404
    return int(raw)


def project_choice(project: Any) -> str:
    """A project as the new-year page offers it: its name and the years it runs."""
    if project.end_year is None:
        return _("%(name)s (sedan %(start)s, inget slutår angivet)") % {
            "name": project.name,
            "start": project.start_year.year,
        }
    return f"{project.name} ({project.start_year.year}–{project.end_year})"


@require_http_methods(["GET", "POST"])
@stored_once
def year_new(request: HttpRequest, coop: str) -> HttpResponse:
    """`?ar=2021&fran=2020` previews 2021 started from 2020 (`fran=` empty: an empty year); POST starts it."""
    standing = get_standing(request, coop)
    require(standing, Capability.EDIT_PLAN)
    cooperation = standing.cooperation
    params = request.POST if request.method == "POST" else request.GET
    latest = Year.objects.filter(cooperation=cooperation).order_by("-year").first()
    number = _number(params.get("ar"), next_year_number(cooperation))
    if number is None:  # the cooperation's very first year: this year, empty
        from django.utils import timezone

        number = timezone.localdate().year
    default_from = str(latest.year) if latest is not None and latest.year == number - 1 else ""
    from_number = _number(params.get("fran", default_from), None)
    source = None
    if from_number is not None:
        source = (
            Year.objects.filter(cooperation=cooperation, year=from_number)
            .select_related("operating_fund", "programme")
            .first()
        )
        if source is None:
            raise Http404
    preview = preview_year(cooperation, number, from_year=source)
    choices = [(a.pk, f"{a.focus_area} – {a.title}") for a, _continues in preview.activities]
    form = StartYearForm(
        request.POST or None,
        initial={
            "activities": [a.pk for a, continues in preview.activities if continues],
            "projects": [p.pk for p, continues in preview.projects if continues],
        },
        choices=choices,
        project_choices=[(p.pk, project_choice(p)) for p, _continues in preview.projects],
    )
    error = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                start_year(
                    cooperation,
                    number,
                    from_year=source,
                    continuing_activity_ids=form.cleaned_data["activities"],
                    continuing_project_ids=form.cleaned_data["projects"],
                    actor=acting_user(request),
                )
            except DomainError as exc:
                error, status = exc.message, 409
            else:
                messages.success(
                    request, _("Året %(year)s är startat och står i planering.") % {"year": number}
                )
                return _see_other("web:plan", coop, number)
        else:
            status = 400
    elif preview.exists:
        error = _("Året %(year)s finns redan för %(name)s. Öppna det i stället.") % {
            "year": number,
            "name": cooperation.name,
        }
    other_sources = list(
        Year.objects.filter(cooperation=cooperation, year=number - 1).values_list("year", flat=True)
    )
    return render(
        request,
        "web/cycle/year_new.html",
        {
            "cooperation": cooperation,
            "standing": standing,
            "preview": preview,
            "form": form,
            "error": error,
            "number": number,
            "source": source,
            "other_sources": other_sources,
            "latest": latest,
        },
        status=status,
    )
