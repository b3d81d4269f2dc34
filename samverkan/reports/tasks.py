"""The background task that makes a report edition (run by `samverkan db_worker`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from samverkan.reports.models import ReportJob

log = logging.getLogger(__name__)
# Finished tasks are kept this long in the queue table for the admin to look at.
KEEP_FINISHED_TASKS = timedelta(days=30)


@task()
def make_edition_task(job_id: int) -> str:
    """Render the job's edition from the data as it is now; the stored file's name.

    The job records when the work started and finished and, on failure, what
    went wrong, so that the waiting page can say so. A job deleted meanwhile
    (its year deleted, a newer request replacing it) is nothing to do.
    """
    from samverkan.reports.editions import make_edition
    from samverkan.reports.renderers import get_renderer

    job = ReportJob.objects.select_related("year__cooperation").filter(pk=job_id).first()
    if job is None:
        return ""
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
    try:
        path = make_edition(job.year, get_renderer(job.format), job.language)
    except Exception as error:
        log.exception("report edition %s failed", job)
        ReportJob.objects.filter(pk=job.pk).update(
            finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now())
    _prune_finished_tasks()
    return path.name


def _prune_finished_tasks() -> None:
    """Keep the queue table small without a scheduler: each finished edition clears out old tasks."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.finished().filter(
        finished_at__lt=timezone.now() - KEEP_FINISHED_TASKS
    ).delete()
