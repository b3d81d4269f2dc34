"""samverkan db_worker: django-tasks-db's worker, made to outlast a locked database.

On SQLite a long write (an SIE import, a year file load) holds the database's
write lock; the worker's claim of the next task then waits for the busy
timeout and fails with "database is locked", and django-tasks-db's worker
exits. This worker waits and tries again instead, and a task whose outcome
cannot be written for the same reason goes back to the queue rather than
being lost in the "running" state. The edition task retries its own writes
(`reports.tasks`). Run it under a supervisor that always restarts it all the
same (docs/report.md has a systemd unit).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

log = logging.getLogger("samverkan.worker")


class SteadyWorker(db_worker.Worker):
    def run(self) -> None:
        while True:
            try:
                return super().run()
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                log.warning("the database is locked; the worker tries again")
                self._pause()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            # Neither success nor failure could be written: the task goes back to the queue.
            log.warning("task %s could not record its outcome; queued again", db_task_result.pk)
            while True:
                try:
                    DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                        status=TaskResultStatus.READY, started_at=None
                    )
                    return
                except OperationalError as again:
                    if not is_locked_database_exception(again):
                        raise
                    self._pause()

    def _pause(self) -> None:
        close_old_connections()
        time.sleep(max(self.interval, 0.5))


class Command(db_worker.Command):
    help = db_worker.Command.help + "; waits out a locked database instead of stopping"

    def handle(self, **options: Any) -> None:
        # As django-tasks-db's command does, with the steady worker.
        self.configure_logging(options["verbosity"])
        reload, batch = options["reload"], options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SteadyWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
