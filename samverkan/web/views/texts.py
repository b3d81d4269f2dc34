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
from samverkan.lib.figures import fill, placeholders
from samverkan.members.models import Year, YearText
from samverkan.members.services import DomainError, delete_year_text, save_year_text
from samverkan.web.access import acting_user, get_record_for_user, get_year_for_user, require
from samverkan.web.markup import render_markdown
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


def place_of(key: str) -> str:
    return str(TEXT_PLACES.get(key, _("Vid posten %(key)s") % {"key": key}))


@require_GET
def texts(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    rows = [
        (text, place_of(text.key))
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
    if request.method == "POST":
        form = YearTextForm(request.POST, instance=text)
        if request.POST.get("action") == "preview":
            # Shown, not saved: figures filled and Markdown converted as the report does.
            preview = render_markdown(_filled(found, request.POST.get("body", "")))
        elif form.is_valid():
            try:
                save_year_text(found, text, actor=acting_user(request), **form.cleaned_data)
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
            preview=preview,
            places=sorted(TEXT_PLACES.items()),
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
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
        what=_("texten ”%(place)s”") % {"place": place_of(text.key)},
        back=reverse("web:texts", args=[coop, year]),
        dependents=[],
        delete=lambda: delete_year_text(text, actor=acting_user(request)),
        done=_("Texten är borttagen."),
    )
