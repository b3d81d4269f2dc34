"""More than one server: two web processes with separate data folders and two workers share one PostgreSQL.

A report file asked for on one web process is made once, by one of the two
workers, and served by the other web process.
"""

from __future__ import annotations

import http.client
import time
from pathlib import Path
from typing import Any

import pytest

from samverkan.reports.models import ReportJob, StoredEdition
from tests.load.conftest import HOST, postgresql_only, start_web, start_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), postgresql_only]

DOCX = "/sodertorn/2018/rapport/docx/"


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_file_asked_for_on_one_server_is_made_once_and_served_by_the_other(
    demo: None, database_queue: None, processes: list[Any], tmp_path: Path
) -> None:
    from django_tasks_db.models import DBTaskResult

    from samverkan.reports.tasks import make_edition_task

    first = start_web(processes, tmp_path / "machine-a")
    second = start_web(processes, tmp_path / "machine-b")
    status, _ = get(first, DOCX)
    assert status == 202  # queued on the first machine
    job = ReportJob.objects.get(format="docx")
    make_edition_task.enqueue(job.pk)  # a second task for the same file: the workers race for it
    start_worker(processes, tmp_path / "machine-a")
    start_worker(processes, tmp_path / "machine-b")

    deadline = time.monotonic() + 180
    while (answer := get(second, DOCX))[0] == 202 and time.monotonic() < deadline:
        time.sleep(0.5)
    status, content = answer
    assert status == 200 and content[:2] == b"PK"  # served by the second machine
    assert StoredEdition.objects.filter(format="docx").count() == 1
    deadline = time.monotonic() + 60
    while (
        DBTaskResult.objects.filter(finished_at__isnull=True).exists()
        and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    made = [result.return_value for result in DBTaskResult.objects.all() if result.return_value]
    assert len(made) == 1 and DBTaskResult.objects.count() == 2  # two tasks, one file made
    assert not any(
        (tmp_path / machine / "reports").exists() for machine in ("machine-a", "machine-b")
    )
