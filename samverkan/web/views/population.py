"""Population figures per member and date: the table, a figure by hand, and the SCB file import.

The import has two steps. The upload is streamed to a temporary file, read
(samverkan.lib.scb) and compared with the figures held; the preview page
shows new and changed figures, unknown codes and members that have left.
The figures to store travel to the confirmation signed in a hidden field (no
state is kept on the server, and cancelling is just leaving the page); the
confirmation makes the plan again and stores all of it or nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.roles import Capability, Standing
from samverkan.lib import scb
from samverkan.members.models import Member, PopulationFigure, Year
from samverkan.members.population import (
    ImportPlan,
    ImportSource,
    IncomingFigure,
    from_payload,
    payload,
    plan_import,
    problem_message,
)
from samverkan.members.services import (
    DomainError,
    import_population,
    save_population_figure,
    set_population_total,
)
from samverkan.web.access import acting_user, get_year_for_user, require
from samverkan.web.edit_guard import POPULATION_TOTAL, EditGuard
from samverkan.web.member_forms import (
    PopulationConfirmForm,
    PopulationFigureForm,
    PopulationTotalForm,
    PopulationUploadForm,
)
from samverkan.web.once import stored_once
from samverkan.web.register_forms import add_service_errors
from samverkan.web.uploads import upload_too_large
from samverkan.web.views.members import see_other
from samverkan.web.views.plan import year_context

PLAN_SALT = "samverkan.population.import"
PLAN_MAX_AGE = 60 * 60  # seconds a preview stays valid


@require_GET
def population(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """Every figure held, one row per date and a column per member, with its source."""
    found, standing = get_year_for_user(request, coop, year)
    members = list(Member.objects.filter(cooperation=standing.cooperation))
    held: dict[Any, dict[int, PopulationFigure]] = {}
    for figure in PopulationFigure.objects.filter(
        member__cooperation=standing.cooperation
    ).order_by("-date"):
        held.setdefault(figure.date, {})[figure.member_id] = figure
    rows = [(date, [by_member.get(m.pk) for m in members]) for date, by_member in held.items()]
    return render(
        request,
        "web/population.html",
        year_context(
            found,
            standing,
            "members",
            members=members,
            rows=rows,
            can_edit=standing.can(Capability.EDIT_MEMBERS),
            can_edit_total=standing.can(Capability.EDIT_MEMBERS) and not found.is_locked,
        ),
    )


@require_http_methods(["GET", "POST"])
def population_total(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """The inhabitants the year's report states in its text, with their date and a note."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_MEMBERS)
    status, error = 200, ""
    guard = EditGuard(request, found, found, guarded=POPULATION_TOTAL)
    if request.method == "POST":
        form = PopulationTotalForm(request.POST)

        def write() -> None:
            data = form.cleaned_data
            set_population_total(
                found,
                actor=acting_user(request),
                total=data["population_total"],
                date=data["population_total_date"],
                note=data["population_total_note"],
                read_as=guard.read_as,
            )

        status, error = guard.save(form, write)
        if not status:
            messages.success(request, _("Årets invånarantal är sparat."))
            return see_other("web:population", coop, year)
    else:
        form = PopulationTotalForm(
            initial={
                "population_total": found.population_total,
                "population_total_date": found.population_total_date,
                "population_total_note": found.population_total_note,
            }
        )
    return render(
        request,
        "web/population_total_form.html",
        year_context(found, standing, "members", form=form, error=error, edit_guard=guard),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def population_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_MEMBERS)
    status = 200
    if request.method == "POST":
        form = PopulationFigureForm(request.POST, cooperation=standing.cooperation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                save_population_figure(
                    data["member"],
                    actor=acting_user(request),
                    date=data["date"],
                    population=data["population"],
                    source=data["source"],
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
                status = 400
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Invånarantalet är sparat."))
                return see_other("web:population", coop, year)
        else:
            status = 400
    else:
        form = PopulationFigureForm(
            cooperation=standing.cooperation,
            year=found.year,
            initial={"member": request.GET.get("member")},
        )
    return render(
        request,
        "web/population_form.html",
        year_context(found, standing, "members", form=form),
        status=status,
    )


def _upload_page(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    *,
    form: PopulationUploadForm,
    errors: list[str] | None = None,
    file_name: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "web/population_import.html",
        year_context(
            found,
            standing,
            "members",
            form=form,
            errors=errors or [],
            file_name=file_name,
            max_size=filesizeformat(settings.UPLOAD_MAX_BYTES),
        ),
        status=status,
    )


def _preview(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    plan: ImportPlan,
    notes: list[str],
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    signed = signing.dumps(
        {
            "file": plan.source.file_name,
            "table": plan.source.table,
            "digest": plan.digest(),
            "figures": payload([p.incoming for p in plan.changes]),
        },
        salt=PLAN_SALT,
        compress=True,
    )
    return render(
        request,
        "web/population_preview.html",
        year_context(
            found,
            standing,
            "members",
            plan=plan,
            notes=notes,
            error=error,
            confirm_form=PopulationConfirmForm(initial={"plan": signed}),
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def population_import(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """GET: the upload form. POST: read the file and show the preview (nothing is stored yet)."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_MEMBERS)
    if request.method == "GET":
        return _upload_page(request, found, standing, form=PopulationUploadForm())
    form = PopulationUploadForm(request.POST, request.FILES)
    if upload_too_large(request):
        form = PopulationUploadForm()
        message = _("Filen är större än %(limit)s och togs inte emot.") % {
            "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
        }
        return _upload_page(request, found, standing, form=form, errors=[message], status=413)
    if not form.is_valid():
        return _upload_page(request, found, standing, form=form, status=400)
    upload = form.cleaned_data["file"]
    upload.seek(0)
    read = scb.read_file(upload.file, upload.name)
    if not read.ok:
        return _upload_page(
            request,
            found,
            standing,
            form=PopulationUploadForm(),
            file_name=upload.name,
            errors=[problem_message(p) for p in read.errors],
            status=400,
        )
    incoming = [IncomingFigure.from_scb(f) for f in read.figures]
    plan = plan_import(standing.cooperation, incoming, ImportSource(file_name=upload.name))
    return _preview(request, found, standing, plan, [problem_message(p) for p in read.notes])


@require_POST
def population_import_confirm(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """Store the previewed figures, all or nothing; a preview that no longer holds is shown again."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_MEMBERS)
    form = PopulationConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise signing.BadSignature
        data = signing.loads(form.cleaned_data["plan"], salt=PLAN_SALT, max_age=PLAN_MAX_AGE)
        source = ImportSource(file_name=str(data["file"]), table=str(data["table"]))
        figures = from_payload(data["figures"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        message = _("Förhandsgranskningen är för gammal eller ofullständig. Ladda upp filen igen.")
        return _upload_page(
            request, found, standing, form=PopulationUploadForm(), errors=[message], status=400
        )
    try:
        plan = import_population(
            standing.cooperation,
            figures,
            actor=acting_user(request),
            source=source,
            expected_digest=str(data["digest"]),
        )
    except DomainError as exc:
        again = plan_import(standing.cooperation, figures, source)
        return _preview(request, found, standing, again, [], status=409, error=exc.message)
    messages.success(
        request,
        _("%(new)s nya och %(changed)s ändrade invånarantal är sparade ur %(file)s.")
        % {"new": len(plan.new), "changed": len(plan.changed), "file": source.file_name},
    )
    return see_other("web:population", coop, year)
