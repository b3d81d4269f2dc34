"""Projects: the list of the year, and one page per project and year with the project's years,
its part in the year (financing, grants decided that year, payments and cost lines), and, for a
project from an earlier year without a part this year, the button that continues it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.roles import Capability, Standing
from samverkan.finance.models import LineSource
from samverkan.members.models import Year
from samverkan.members.scope import locked_year
from samverkan.members.services import DomainError, EditConflict
from samverkan.projects.figures import total_cost, years_of
from samverkan.projects.models import Grant, Project, ProjectYear
from samverkan.projects.receivables import grant_balances
from samverkan.projects.services import (
    PART_FIELDS,
    continuable_projects,
    continue_project,
    delete_project,
    project_dependents,
    save_project,
)
from samverkan.web.access import acting_user, get_project_for_user, get_year_for_user, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.once import stored_once
from samverkan.web.register_forms import (
    ProjectForm,
    ProjectYearForm,
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
        ProjectYear.objects.filter(year=found)
        .select_related("project__start_year", "focus_area")
        .prefetch_related(
            "financing",
            Prefetch(
                "project__grants",
                queryset=Grant.objects.filter(year=found).prefetch_related("payments"),
                to_attr="year_grants",
            ),
        )
        .order_by("order", "id")
    )
    can_edit = standing.can(Capability.EDIT_REGISTERS) and not found.is_locked
    return render(
        request,
        "web/projects.html",
        year_context(
            found,
            standing,
            "projects",
            rows=rows,
            can_edit=can_edit,
            continuable=continuable_projects(found) if can_edit else [],
        ),
    )


def _project_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    project: Project | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    part = (
        ProjectYear.objects.filter(project=project, year=found).first()
        if project is not None
        else None
    )
    context: dict[str, Any] = {"record": project, "part": part, "error": error}
    if project is not None:
        years = years_of(project)
        context.update(
            project_years=years,
            project_total=total_cost(years),
            # Name, contractor and period are read by every year of the project; while one of
            # them is decided they cannot change (the year lock would refuse it).
            locked_by=locked_year(project),
            may_continue=part is None
            and not found.is_locked
            and (project.end_year is None or project.end_year >= found.year),
        )
    if project is not None and part is None:
        # A project from an earlier year that has no part this year: its years, and the button.
        return render(
            request,
            "web/project_form.html",
            year_context(found, standing, "projects", **context),
            status=status,
        )
    # A refused continuation shows the page as it stands: its POST is not this form's.
    data = request.POST if request.method == "POST" and not error else None
    guard = EditGuard(request, project, found, posted=data is not None)
    form = ProjectForm(data, instance=project, year=found)
    part_form = ProjectYearForm(data, instance=part, year=found)
    if context.get("locked_by") is not None:
        for field in form.fields.values():
            field.disabled = True
    formsets = project_formsets(data, project, found, part)
    invalid = False
    refusal = guard.missing() if data is not None else ""
    if refusal:
        status, context["error"] = 400, refusal
    elif data is not None:
        forms_valid = form.is_valid() and part_form.is_valid()
        if forms_valid and all(f.is_valid() for f in formsets.values()):
            try:
                saved = save_project(
                    found,
                    project,
                    actor=acting_user(request),
                    read_as=guard.read_as,
                    values={**form.cleaned_data, **part_form.cleaned_data},
                    **{name: row_edits(formset) for name, formset in formsets.items()},
                )
            except EditConflict as exc:
                status, context["error"] = 409, guard.conflict(exc)
            except ValidationError as exc:
                _add_errors(exc, form, part_form, formsets)
                status, invalid = 400, True
            except DomainError as exc:
                status, context["error"] = 409, exc.message
            else:
                messages.success(request, _("Projektet är sparat."))
                return see_other("web:project-edit", found.cooperation.slug, found.year, saved.pk)
        else:
            status, invalid = 400, True
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
            part_form=part_form,
            formsets=formsets,
            imported_lines=imported,
            invalid=invalid,
            edit_guard=guard,
            **context,
            receivables=[
                balance
                for balance in (grant_balances(found, project=project) if project else ())
                if balance.in_arrears
            ],
        ),
        status=status,
    )


def _add_errors(
    exc: ValidationError, form: ProjectForm, part_form: ProjectYearForm, formsets: dict[str, Any]
) -> None:
    """The service's errors on the form they belong to: the part's fields, or the rest."""
    if not hasattr(exc, "error_dict"):
        add_service_errors(exc, form, formsets)
        return
    for key, texts in exc.message_dict.items():
        if key in PART_FIELDS:
            for text in texts:
                part_form.add_error(key, text)
        else:
            add_service_errors(ValidationError({key: texts}), form, formsets)


@require_http_methods(["GET", "POST"])
@stored_once
def project_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_REGISTERS)
    return _project_page(request, found, standing, None)


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    project, found, standing = get_project_for_user(
        request, coop, year, pk, capability=Capability.EDIT_REGISTERS
    )
    return _project_page(request, found, standing, project)


@require_POST
def project_continue(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """Add this year's part to a project that started in an earlier year."""
    project, found, standing = get_project_for_user(
        request, coop, year, pk, capability=Capability.EDIT_REGISTERS
    )
    try:
        continue_project(project, found, actor=acting_user(request))
    except (DomainError, ValidationError) as exc:
        message = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
        return _project_page(request, found, standing, project, error=message, status=409)
    messages.success(
        request, _("Projektet fortsätter år %(year)s. Fyll i årets del.") % {"year": found.year}
    )
    return see_other("web:project-edit", found.cooperation.slug, found.year, project.pk)


@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    project, found, standing = get_project_for_user(
        request, coop, year, pk, capability=Capability.EDIT_REGISTERS
    )
    if not project.years.filter(year=found).exists():
        raise Http404
    starts_here = project.start_year_id == found.pk
    return confirm_delete(
        request,
        found,
        standing,
        section="projects",
        what=(
            _("projektet ”%(name)s”") % {"name": project.name}
            if starts_here
            else _("projektets del år %(year)s (”%(name)s”)")
            % {"year": found.year, "name": project.name}
        ),
        back=reverse("web:projects", args=[coop, year]),
        dependents=project_dependents(project, found),
        record=project,
        delete=lambda read_as: delete_project(
            project, found, actor=acting_user(request), read_as=read_as
        ),
        done=_("Projektet är borttaget.")
        if starts_here
        else _("Årets del av projektet är borttagen."),
    )
