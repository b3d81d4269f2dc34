"""The bridge to the annual report renderers: the only place that imports `samverkan.reports`."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from samverkan.members.models import Year

INLINE_FORMATS = ("html",)


def formats() -> Sequence[str]:
    """The report formats the renderers offer (html, pdf, docx, md, ...)."""
    from samverkan.reports.api import FORMATS

    return list(FORMATS)


def report_language(request: HttpRequest) -> str:
    """The report's language: `?lang=` when it names a configured language, else Swedish."""
    lang = request.GET.get("lang", "sv")
    return lang if lang in dict(settings.LANGUAGES) else "sv"


def report_response(year: Year, fmt: str, lang: str) -> HttpResponse:
    """The rendered report; HTML is shown in the browser, every other format is downloaded."""
    from samverkan.reports.api import render_report

    if fmt not in formats():
        raise Http404
    content, content_type, filename = render_report(year, fmt, lang=lang)
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(fmt not in INLINE_FORMATS, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    return response
