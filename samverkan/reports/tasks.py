"""Report editions made in the background: the job a page waits on, and the task that makes it.

`prepare_edition` answers a page at once with the stored edition or the job
making it; `make_edition_task` (run by `samverkan db_worker`) does the work.
This module builds on `reports.editions` (storage and rendering), which knows
nothing of jobs and tasks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.utils import is_locked_database_exception

from samverkan.members.models import Year
from samverkan.reports import editions
from samverkan.reports.models import ReportJob
from samverkan.reports.renderers import Renderer
from samverkan.reports.versions import data_version

log = logging.getLogger(__name__)
# The largest report takes under a minute; a job running far longer lost its worker.
STALLED_AFTER = timedelta(minutes=15)
STALLED = "no background worker finished the file in time"
# Finished tasks are kept this long in the queue table for the admin to look at.
KEEP_FINISHED_TASKS = timedelta(days=30)
# A locked database (SQLite during a long import) is waited out this many times, with a pause
# that doubles from one second up to half a minute: some five minutes in all.
LOCKED_ATTEMPTS = 12
LOCKED_PAUSE_MAX = 30.0


@task()
def make_edition_task(job_id: int) -> str:
    """Render the job's edition from the data as it is now; the edition's name, or "" when there was nothing to do.

    The job records when the work started and finished and, on failure, what
    went wrong, so that the waiting page can say so. A job deleted meanwhile
    (its year deleted, a newer request replacing it) is nothing to do, and so
    is a job another worker has claimed: two workers never make the same
    edition at once. A locked database is waited out and the work tried again.
    """
    pause = 1.0
    for attempt in range(1, LOCKED_ATTEMPTS + 1):
        try:
            return _make(job_id)
        except OperationalError as error:
            if not is_locked_database_exception(error) or attempt == LOCKED_ATTEMPTS:
                raise
            log.warning(
                "report job %s: the database is locked; trying again in %.0f s", job_id, pause
            )
            time.sleep(pause)
            pause = min(pause * 2, LOCKED_PAUSE_MAX)
    raise AssertionError("unreachable")


def _make(job_id: int) -> str:
    from samverkan.reports.renderers import get_renderer

    # The claim: only the worker whose update finds the job unstarted makes it. The update is
    # one statement, so of two workers holding the same job exactly one sees a row change.
    claimed = ReportJob.objects.filter(
        pk=job_id, started_at__isnull=True, finished_at__isnull=True
    ).update(started_at=timezone.now())
    job = ReportJob.objects.select_related("year__cooperation").filter(pk=job_id).first()
    if not claimed or job is None:
        return ""
    try:
        editions.make_edition(job.year, get_renderer(job.format), job.language, job.document)
    except OperationalError as error:
        if is_locked_database_exception(error):
            # Unclaimed again, for the next attempt.
            ReportJob.objects.filter(pk=job_id).update(started_at=None)
        raise
    except Exception as error:
        log.exception("report edition %s failed", job)
        ReportJob.objects.filter(pk=job.pk).update(
            finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now())
    _prune_finished_tasks()
    return f"{job.year} {job.format} {job.language}"


def _prune_finished_tasks() -> None:
    """Keep the queue table small without a scheduler: each finished edition clears out old tasks."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.finished().filter(
        finished_at__lt=timezone.now() - KEEP_FINISHED_TASKS
    ).delete()


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
    editions.check_language(lang)
    stamp = data_version(year)
    content = editions.stored_content(year, renderer, lang, stamp, document)
    if content is not None:
        return Edition("ready", content=content)
    asked_before = ReportJob.objects.filter(
        year=year, format=renderer.identifier, language=lang, stamp=stamp
    ).exists()
    if not retry and not asked_before and editions.made_in_request(year, renderer):
        try:
            return Edition("ready", content=editions.make_edition(year, renderer, lang))
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
    content = editions.stored_content(year, renderer, lang, stamp, document)
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
