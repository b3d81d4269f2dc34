"""Shared fixtures: the demo data as shipped, loaded once per test process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from samverkan.demo import DEMO_DIR, demo_files
from tests.demo_rows import Rows, capture

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings) -> None:  # type: ignore[no-untyped-def]
    """Background tasks run inside the call that queues them; tests of the worker ask for the database queue."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}


@pytest.fixture(autouse=True)
def _fresh_year_figures() -> None:
    """Forget the web app's per-process figures, overview and findings before each test.

    They are kept by data version (reports.versions): a test that changes rows without an
    audit entry (a queryset update) would otherwise meet the figures of another test's data.
    """
    from samverkan.web.findings import _year_findings
    from samverkan.web.summaries import _accounts_overview, _year_figures

    _accounts_overview.cache_clear()
    _year_figures.cache_clear()
    _year_findings.cache_clear()


@pytest.fixture
def database_queue(settings) -> None:  # type: ignore[no-untyped-def]
    """Tasks wait in the database queue, as in production, until `run_worker`."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}


def run_worker() -> None:
    """What `samverkan db_worker` does, once: every queued task, then return."""
    from unittest import mock

    from django.core.management import call_command

    # Between tasks the worker closes connections it finds outside autocommit, as Django does
    # after a request; here that is the test's own connection, holding the test's transaction.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.fixture(scope="session")
def demo_rows(django_db_setup: None, django_db_blocker: Any) -> Rows:
    """The demo as the loader leaves it, loaded once per test process (see tests/demo_rows.py)."""
    from django.test import override_settings

    from samverkan.yearfile.services import load_files

    def load() -> None:
        load_files(demo_files(), actor="tests")

    # As in every test: what the load queues runs inside it, and nothing waits in a queue.
    immediate = {"default": {"BACKEND": django_settings.TASK_BACKENDS["immediate"]}}
    with django_db_blocker.unblock(), override_settings(TASKS=immediate):
        return capture(load)


@pytest.fixture
def demo(db: None, demo_rows: Rows) -> None:
    """The Södertörn demo (standing file, 2018, 2019, 2020) in the test database, inside the test's transaction."""
    demo_rows.insert()


@pytest.fixture
def demo_open(demo: None) -> None:
    """The demo with every year back in draft, so a test can change what the years read.

    Arranged with a queryset update, which the year lock's gate does not see: the
    demo's years are published, and a test of a check needs a change they would refuse.
    """
    from samverkan.members.models import Year, YearStatus

    Year.objects.update(status=YearStatus.DRAFT)


@pytest.fixture
def demo_dir() -> Path:
    return DEMO_DIR
