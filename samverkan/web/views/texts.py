"""The year's texts (introduction, chapter texts) in Markdown, with a preview rendered by the server."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.governance.models import Body, Event
from samverkan.lib.figures import fill, placeholders
from samverkan.members.models import Year, YearText
from samverkan.members.services import (
    DomainError,
    EditConflict,
    delete_year_text,
    save_year_text,
)
from samverkan.plan.models import FocusArea
from samverkan.projects.models import Project
from samverkan.web.access import acting_user, get_record_for_user, get_year_for_user, require
from samverkan.web.edit_guard import EditGuard
from samverkan.web.markup import render_markdown
from samverkan.web.once import stored_once
from samverkan.web.register_forms import YearTextForm, add_service_errors
from samverkan.web.summaries import year_figures
from samverkan.web.views.editing import confirm_delete, see_other
from samverkan.web.views.plan import year_context

# Where the report places a text with a known key (samverkan/reports/assembly.py); a body's,
# a focus area's, a project's or an event's slug places it with that record.
TEXT_PLACES = {
    "introduction": gettext_lazy("Inledning"),
    "population": gettext_lazy("Inledning: befolkning"),
    "area_groups_intro": gettext_lazy("Mål: inledning till områdena"),
    "focus_areas": gettext_lazy("Mål: fokusområden"),
    "overall_goal": gettext_lazy("Mål: övergripande mål"),
    "goals": gettext_lazy("Mål"),
    "follow_up": gettext_lazy("Uppföljning"),
    "consultations": gettext_lazy("Remissvar"),
    "projects": gettext_lazy("Projekt"),
    "meetings": gettext_lazy("Möten"),
    "committee": gettext_lazy("Samarbetskommittén"),
    "management_group": gettext_lazy("Ledningsgruppen"),
    "secretariat": gettext_lazy("Kansliet"),
    "administration": gettext_lazy("Organisation och administration"),
    "accounts": gettext_lazy("Ekonomi"),
    "fees": gettext_lazy("Ekonomi: avgifter"),
}


def _names(key: str, *candidates: str) -> bool:
    """Whether a text's key places it with a record of these slugs or kinds, as the report's
    `TextPool.take_matching` reads them (a slug also without its year suffix)."""
    for candidate in candidates:
        stem, _sep, suffix = candidate.rpartition("-")
        if key == candidate or (stem and suffix.isdigit() and key == stem):
            return True
    return False


def record_places(year: Year) -> list[tuple[tuple[str, ...], str]]:
    """The year's records a text can stand with, in the report's order: (slugs and kinds, place)."""
    places: list[tuple[tuple[str, ...], str]] = []
    for area in FocusArea.objects.filter(year=year):
        places.append(((area.slug,), _("Vid fokusområdet %(name)s") % {"name": area}))
    for project in Project.objects.filter(years__year=year):
        places.append(((project.slug,), _("Vid projektet %(name)s") % {"name": project.name}))
    for body in Body.objects.filter(cooperation_id=year.cooperation_id).order_by("order", "id"):
        places.append(((body.kind, body.slug), _("Vid %(name)s") % {"name": body.name}))
    for event in Event.objects.filter(year=year):
        places.append(
            ((event.slug, event.kind), _("Vid arrangemanget %(name)s") % {"name": event.name})
        )
    return places


def place_of(key: str, places: list[tuple[tuple[str, ...], str]]) -> str:
    """Where the report prints a text with this key (`places`: `record_places` of its year)."""
    if key in TEXT_PLACES:
        return str(TEXT_PLACES[key])
    for candidates, place in places:
        if _names(key, *candidates):
            return place
    return _("Sist i årsredovisningen: ingen post har nyckeln %(key)s") % {"key": key}


@require_GET
def texts(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    places = record_places(found)
    rows = [
        (text, place_of(text.key, places))
        for text in YearText.objects.filter(year=found).order_by("order", "key")
    ]
    return render(
        request,
        "web/texts.html",
        year_context(
            found,
            standing,
            "texts",
            rows=rows,
            can_edit=standing.can(Capability.EDIT_REGISTERS) and not found.is_locked,
        ),
    )


def _filled(found: Year, body: str) -> str:
    """The text with its {{ key }} placeholders replaced by the figures derived from the accounts."""
    if not placeholders(body):
        return body
    return fill(body, year_figures(found).derived, "sv")


def _text_page(
    request: HttpRequest, found: Year, standing: Standing, text: YearText | None
) -> HttpResponse:
    status, error, preview = 200, "", None
    records = record_places(found)
    guard = EditGuard(request, text, found)
    if request.method == "POST":
        form = YearTextForm(request.POST, instance=text)
        if request.POST.get("action") == "preview":
            # Shown, not saved: figures filled and Markdown converted as the report does.
            preview = render_markdown(_filled(found, request.POST.get("body", "")))
        elif refusal := guard.missing():
            status, error = 400, refusal
        elif form.is_valid():
            try:
                save_year_text(
                    found,
                    text,
                    actor=acting_user(request),
                    read_as=guard.read_as,
                    **form.cleaned_data,
                )
            except EditConflict as exc:
                status, error = 409, guard.conflict(exc)
            except ValidationError as exc:
                add_service_errors(exc, form)
                status = 400
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Texten är sparad."))
                return see_other("web:texts", found.cooperation.slug, found.year)
        else:
            status = 400
    else:
        form = YearTextForm(instance=text)
    return render(
        request,
        "web/text_form.html",
        year_context(
            found,
            standing,
            "texts",
            form=form,
            record=text,
            error=error,
            edit_guard=guard,
            preview=preview,
            places=sorted(TEXT_PLACES.items()),
            record_keys=[(keys[0], place) for keys, place in records],
            place=place_of(text.key, records) if text else "",
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def text_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_REGISTERS)
    return _text_page(request, found, standing, None)


@require_http_methods(["GET", "POST"])
def text_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    text, found, standing = get_record_for_user(
        request, coop, year, YearText.objects.all(), pk, capability=Capability.EDIT_REGISTERS
    )
    return _text_page(request, found, standing, text)


@require_http_methods(["GET", "POST"])
def text_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    text, found, standing = get_record_for_user(
        request, coop, year, YearText.objects.all(), pk, capability=Capability.EDIT_REGISTERS
    )
    return confirm_delete(
        request,
        found,
        standing,
        section="texts",
        what=_("texten ”%(place)s”") % {"place": place_of(text.key, record_places(found))},
        back=reverse("web:texts", args=[coop, year]),
        dependents=[],
        record=text,
        delete=lambda read_as: delete_year_text(text, actor=acting_user(request), read_as=read_as),
        done=_("Texten är borttagen."),
    )
