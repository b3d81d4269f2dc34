"""Stored editions of the annual report, and editions made in the background.

An edition is one format in one language, made from one version of the
cooperation's data. Every change to that data (a follow-up saved, a year
file loaded, an admin edit, a year reopened) writes an audit entry, so the
newest entry names the version (`versions.data_version`); an edition is rendered once
per version and served from storage after that, drafts included. The
storage is the database (`StoredEdition`): several web processes and
workers on several machines share nothing else, and a file written in a
transaction is there whole or not at all.

The PDF and Word editions of a large cooperation take seconds (Typst) to
tens of seconds (python-docx), longer than a web request should last. The
web app therefore asks for them with `reports.tasks.prepare_edition`: it
answers at once, either with the stored file or with a job that a task (run
by `samverkan db_worker`) works through while the page waits. With the
"immediate" task backend the job runs inside the call instead. A renderer
that is quick for a small report (the PDF: under half a second for the
demo) sets `in_request_limit`: a report whose size (`report_size`) is
within it is made inside the request, which is sooner than any queue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from django.db import transaction

from samverkan.members.models import Year
from samverkan.reports.models import StoredEdition
from samverkan.reports.renderers import Renderer
from samverkan.reports.report import AnnualReport, Attachment
from samverkan.reports.versions import data_version

LANGUAGES: tuple[str, ...] = ("sv", "en")


class Layout(Protocol):
    """A render begun without the source files (`begin`), finished with them."""

    def __enter__(self) -> Layout: ...
    def __exit__(self, *exc: object) -> None: ...
    def finish(self, attachments: Sequence[Attachment]) -> bytes: ...


def carries_sources(renderer: Renderer) -> bool:
    """Whether the renderer's file carries the report's source files (the year file)."""
    return bool(getattr(renderer, "carries_sources", False))


def render_with_sources(renderer: Renderer, report: AnnualReport, year: Year) -> bytes:
    """Render `report`; a renderer that carries the source files gets them as data.

    They are exported here, not by the renderer; one that can begin without
    them (the PDF: Typst lays the document out in a process of its own) is
    started first, so that the export runs while it works.
    """
    if not carries_sources(renderer) or report.attachments:
        return renderer.render(report)
    from samverkan.reports.assembly import source_files

    begin: Callable[[AnnualReport], Layout] | None = getattr(renderer, "begin", None)
    if begin is None:
        return renderer.render(replace(report, attachments=source_files(year, report.lang)))
    with begin(report) as layout:
        return layout.finish(source_files(year, report.lang))


def check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")


# The documents made from a year's data: the annual report and the activity plan (verksamhetsplan).
DOCUMENTS: tuple[str, ...] = ("report", "plan")


def stored_content(
    year: Year, renderer: Renderer, lang: str, stamp: str, document: str = "report"
) -> bytes | None:
    """The stored edition of the data version `stamp`, if one has been made."""
    content = (
        StoredEdition.objects.filter(
            year=year, document=document, format=renderer.identifier, language=lang, stamp=stamp
        )
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else bytes(content)  # PostgreSQL gives a memoryview


def stored_edition(
    year: Year, renderer: Renderer, lang: str, document: str = "report"
) -> bytes | None:
    """The stored edition for the data as it is now, if one has been made."""
    return stored_content(year, renderer, lang, data_version(year), document)


def make_edition(year: Year, renderer: Renderer, lang: str, document: str = "report") -> bytes:
    """Render the edition from the data as it is now and store it; its content."""
    from samverkan.reports.assembly import build_annual_report

    check_language(lang)
    # The version is read before the data: a change made meanwhile only makes the edition look older.
    stamp = data_version(year)
    content = render_with_sources(renderer, build_annual_report(year, lang, document), year)
    store_edition(year, renderer, lang, stamp, content, document)
    return content


def store_edition(
    year: Year, renderer: Renderer, lang: str, stamp: str, content: bytes, document: str = "report"
) -> None:
    """Keep `content` as the edition of the data version `stamp`.

    Older editions of the same format and language are removed: only the
    newest data's edition is ever served.
    """
    with transaction.atomic():
        # Two processes may store the same edition at once: the first one's row stands.
        StoredEdition.objects.get_or_create(
            year=year,
            document=document,
            format=renderer.identifier,
            language=lang,
            stamp=stamp,
            defaults={"content": content},
        )
        if stamp == data_version(year):
            # Only the current data's edition clears the others: a slow render of older data
            # that finishes last must not remove the newer edition.
            StoredEdition.objects.filter(
                year=year, document=document, format=renderer.identifier, language=lang
            ).exclude(stamp=stamp).delete()


def report_size(year: Year) -> int:
    """How much a report of `year` has to lay out: its accounts lines and activities (two counts)."""
    from samverkan.plan.models import Activity

    return year.lines.count() + Activity.objects.filter(focus_area__year=year).count()


def made_in_request(year: Year, renderer: Renderer) -> bool:
    """Whether the edition is small enough to be made now, quicker than by a queued task."""
    limit: int = getattr(renderer, "in_request_limit", 0)
    return bool(limit) and report_size(year) <= limit
