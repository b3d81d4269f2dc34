"""The bridge to the annual report renderers: the only place that imports `samverkan.reports`.

HTML and Markdown are made while the request waits. PDF and Word take a
large cooperation's report tens of seconds, so the request asks for them
instead: the stored file when the data has not changed since it was made,
otherwise a page that says the file is being made and, through a small
script, asks again until it is there and then downloads it (the way pretix
hands out its exports).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from samverkan.members.models import Year

INLINE_FORMATS = ("html",)
# The waiting page asks again this often (seconds).
REFRESH_SECONDS = 3
# A job nobody has started after this long means no worker is running.
WORKER_GRACE = timedelta(seconds=60)


def formats() -> Sequence[str]:
    """The report formats the renderers offer (html, pdf, docx, md, ...); none in a build without them."""
    try:
        from samverkan.reports.api import FORMATS
    except ImportError:
        return []
    return list(FORMATS)


def report_language(request: HttpRequest) -> str:
    """The report's language: `?lang=` when it names a configured language, else Swedish."""
    lang = request.GET.get("lang", "sv")
    return lang if lang in dict(settings.LANGUAGES) else "sv"


_STYLE = re.compile(rb"<style>(.*?)</style>", re.DOTALL)


def _allow_own_styles(response: HttpResponse, content: bytes) -> HttpResponse:
    """Let the Content-Security-Policy admit the report's own style sheets (by their hashes), and nothing else inline.

    The HTML edition stands alone as a file, so its styles are inside it.
    """
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(style).digest()).decode()}'"
        for style in _STYLE.findall(content)
    ]
    if hashes:
        response._csp_update = {"style-src": hashes}  # type: ignore[attr-defined]  # read by django-csp
    return response


_R = TypeVar("_R", HttpResponse, FileResponse)


def _with_disposition(response: _R, fmt: str, filename: str) -> _R:
    disposition = content_disposition_header(fmt not in INLINE_FORMATS, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def _ask_again(request: HttpRequest) -> HttpResponse:
    """See other: the same address, asked for again with GET."""
    again = HttpResponseRedirect(request.get_full_path())
    again.status_code = 303
    return again


def report_response(
    request: HttpRequest, year: Year, fmt: str, *, may_retry: bool = False, document: str = "report"
) -> HttpResponseBase:
    """The rendered report, or the page that waits for it; HTML is shown in the browser, every other format is downloaded.

    A POST (from the failure page's button, when `may_retry`) asks again for an edition that failed.
    """
    from samverkan.reports.api import (
        file_name,
        is_slow,
        media_type,
        prepare_report,
        render_report,
    )

    if fmt not in formats():
        raise Http404
    lang = report_language(request)
    if not is_slow(fmt):
        content, content_type, filename = render_report(year, fmt, lang=lang, document=document)
        response = HttpResponse(content, content_type=content_type)
        if fmt in INLINE_FORMATS:
            _allow_own_styles(response, content)
        return _with_disposition(response, fmt, filename)
    actor = request.user if request.user.is_authenticated else None
    if may_retry and request.method == "POST":
        prepare_report(year, fmt, lang, actor=actor, retry=True, document=document)
        return _ask_again(
            request
        )  # the waiting page is then a GET, which a reload never posts again
    edition = prepare_report(year, fmt, lang, actor=actor, document=document)
    if edition.state == "ready":
        assert edition.content is not None
        # Streamed in blocks, as a file is, with its length.
        stored = FileResponse(io.BytesIO(edition.content), content_type=media_type(fmt))
        return _with_disposition(stored, fmt, file_name(year, fmt, lang, document))
    job = edition.job
    assert job is not None  # only a ready edition comes without its job
    waiting = edition.state in ("queued", "running")
    context = {
        "year": year,
        "cooperation": year.cooperation,
        "fmt": fmt.upper(),
        "state": edition.state,
        "job": job,
        "refresh": REFRESH_SECONDS if waiting else None,
        "no_worker": edition.state == "queued" and timezone.now() - job.requested_at > WORKER_GRACE,
        "may_retry": may_retry,
    }
    # 202: accepted, the file is on its way; 500 for an edition that could not be made.
    response = render(request, "web/report_wait.html", context, status=202 if waiting else 500)
    # For the page's script, which asks with HEAD and updates its status when these change.
    response["X-Report-State"] = edition.state
    response["X-Report-Notice"] = "no-worker" if context["no_worker"] else ""
    return response
