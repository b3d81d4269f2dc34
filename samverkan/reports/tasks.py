"""The background task that makes a report edition (run by `samverkan db_worker`)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.utils import is_locked_database_exception

from samverkan.reports.models import ReportJob

log = logging.getLogger(__name__)
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
    from samverkan.reports.editions import make_edition
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
        make_edition(job.year, get_renderer(job.format), job.language, job.document)
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
