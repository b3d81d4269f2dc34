"""Projects: the list, and one page per project with its financing, grants, payments and cost lines."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.finance.models import LineSource
from samverkan.members.models import Year
from samverkan.members.services import DomainError
from samverkan.projects.models import Grant, Project
from samverkan.projects.services import delete_project, project_dependents, save_project
from samverkan.web.access import get_record_for_user, get_year_for_user, require
from samverkan.web.register_forms import (
    ProjectForm,
    add_service_errors,
    project_formsets,
    row_edits,
)
from samverkan.web.views.editing import confirm_delete, see_other
from samverkan.web.views.plan import year_context


@require_GET
def projects(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    rows = (
        Project.objects.filter(year=found)
        .select_related("focus_area")
        .prefetch_related(
            "financing", Prefetch("grants", queryset=Grant.objects.prefetch_related("payments"))
        )
    )
    return render(
        request,
        "web/projects.html",
        year_context(
            found,
            standing,
            "projects",
            rows=rows,
            can_edit=standing.can(Capability.EDIT_REGISTERS) and not found.is_locked,
        ),
    )


def _project_page(
    request: HttpRequest, found: Year, standing: Standing, project: Project | None
) -> HttpResponse:
    status, error = 200, ""
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, instance=project, year=found)
    formsets = project_formsets(data, project, found)
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for f in formsets.values()):
            try:
                saved = save_project(
                    found,
                    project,
                    actor=request.user,
                    values=form.cleaned_data,
                    **{name: row_edits(formset) for name, formset in formsets.items()},
                )
            except ValidationError as exc:
                add_service_errors(exc, form, formsets)
                status = 400
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Projektet är sparat."))
                return see_other("web:project-edit", found.cooperation.slug, found.year, saved.pk)
        else:
            status = 400
    imported = (
        project.lines.filter(year=found, source=LineSource.SIE).select_related("fund", "category")
        if project is not None
        else []
    )
    return render(
        request,
        "web/project_form.html",
        year_context(
            found,
            standing,
            "projects",
            form=form,
            formsets=formsets,
            record=project,
            error=error,
            imported_lines=imported,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_REGISTERS)
    return _project_page(request, found, standing, None)


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    project, found, standing = get_record_for_user(
        request, coop, year, Project.objects.all(), pk, capability=Capability.EDIT_REGISTERS
    )
    return _project_page(request, found, standing, project)


@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    project, found, standing = get_record_for_user(
        request, coop, year, Project.objects.all(), pk, capability=Capability.EDIT_REGISTERS
    )
    return confirm_delete(
        request,
        found,
        standing,
        section="projects",
        what=_("projektet ”%(name)s”") % {"name": project.name},
        back=reverse("web:projects", args=[coop, year]),
        dependents=project_dependents(project),
        delete=lambda: delete_project(project, actor=request.user),
        done=_("Projektet är borttaget."),
    )
