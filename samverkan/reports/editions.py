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
web app therefore asks for them with `prepare_edition`: it answers at once,
either with the stored file or with a job that a task (`reports.tasks`, run
by `samverkan db_worker`) works through while the page waits. With the
"immediate" task backend the job runs inside the call instead. A renderer
that is quick for a small report (the PDF: under half a second for the
demo) sets `in_request_limit`: a report whose size (`report_size`) is
within it is made inside the request, which is sooner than any queue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from samverkan.members.models import Year
from samverkan.reports.models import ReportJob, StoredEdition
from samverkan.reports.renderers import Renderer
from samverkan.reports.versions import data_version

log = logging.getLogger(__name__)
LANGUAGES: tuple[str, ...] = ("sv", "en")
# The largest report takes under a minute; a job running far longer lost its worker.
STALLED_AFTER = timedelta(minutes=15)
STALLED = "no background worker finished the file in time"


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
    content = renderer.render(build_annual_report(year, lang=lang, document=document))
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


@dataclass(frozen=True, slots=True)
class Edition:
    """Where an edition asked for stands: "ready" (its `content`), "queued", "running" or "failed"."""

    state: Literal["ready", "queued", "running", "failed"]
    content: bytes | None = None
    job: ReportJob | None = None


def prepare_edition(
    year: Year,
    renderer: Renderer,
    lang: str,
    *,
    actor: AbstractBaseUser | None = None,
    retry: bool = False,
    document: str = "report",
) -> Edition:
    """The stored edition, or the job making it; queues one when none is under way.

    A small report's edition is made right here when its renderer is quick
    for it (`made_in_request`); should that fail, it is queued like any
    other, so that the failure is recorded on a job the page can show (and
    the page's next look does not try it in the request again).
    `retry` queues a failed edition again (the page's "try again" button).
    """
    from samverkan.reports.tasks import make_edition_task

    check_language(lang)
    stamp = data_version(year)
    content = stored_content(year, renderer, lang, stamp, document)
    if content is not None:
        return Edition("ready", content=content)
    asked_before = ReportJob.objects.filter(
        year=year, format=renderer.identifier, language=lang, stamp=stamp
    ).exists()
    if not retry and not asked_before and made_in_request(year, renderer):
        try:
            return Edition("ready", content=make_edition(year, renderer, lang))
        except Exception:
            log.exception("report edition of %s in %s made in the request failed", year, lang)
    with transaction.atomic():
        job, created = ReportJob.objects.get_or_create(
            year=year,
            document=document,
            format=renderer.identifier,
            language=lang,
            stamp=stamp,
            defaults={"requested_by": actor},
        )
        # One request at a time decides whether the job needs a task.
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if _stalled(job):
            job.finished_at, job.error = timezone.now(), STALLED
            job.save(update_fields=["finished_at", "error"])
        lost = job.finished_at is not None and not job.error  # made, but the edition is gone
        needs_task = created or lost or (retry and bool(job.error))
        if needs_task:
            if created:
                # Jobs for older data of this edition have nothing left to say.
                ReportJob.objects.filter(
                    year=year, document=document, format=renderer.identifier, language=lang
                ).exclude(pk=job.pk).delete()
            job.requested_at, job.started_at, job.finished_at, job.error = (
                timezone.now(),
                None,
                None,
                "",
            )
            job.save()
    if needs_task:
        # Queued after the commit: the "immediate" backend renders right here, and a render
        # of tens of seconds must not hold the job's lock or the database's write lock.
        result = make_edition_task.enqueue(job.pk)
        ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
        job.refresh_from_db()
    content = stored_content(year, renderer, lang, stamp, document)
    if content is not None:  # made just now, by the "immediate" backend
        return Edition("ready", content=content, job=job)
    if job.error:
        return Edition("failed", job=job)
    return Edition("running" if job.started_at else "queued", job=job)


def _stalled(job: ReportJob) -> bool:
    """A job that lost its worker, or whose task was never queued (a crash right after the request)."""
    if job.finished_at:
        return False
    since = job.started_at or job.requested_at
    return timezone.now() - since > STALLED_AFTER
