"""Faults: a process killed with `kill -9` in the middle of its work leaves nothing half-written.

On PostgreSQL (the child processes and this test share the test database):
an SIE import killed while it writes its lines, a decision killed between
the year's new status and its audit entry, and a web process killed while
people save follow-ups. Each time the database shows either all of a change
or none of it.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection

from samverkan.audit.models import AuditEntry
from samverkan.members.models import Year, YearStatus
from tests.load.conftest import HOST, SAMVERKAN, child_env, postgresql_only, start_web

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), postgresql_only]

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


def others_hold(table: str) -> bool:
    """Whether another session holds a write lock on `table` (a transaction writing to it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()",
            [table],
        )
        return cursor.fetchone() is not None


def others_connected() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone() is not None


def wait_until(condition: Any, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.05)


def kill_nine(process: subprocess.Popen[Any]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # The server rolls back the dead session's transaction once it notices the lost connection.
    wait_until(lambda: not others_connected(), 30, "the killed session to end")


def test_an_import_killed_while_writing_its_lines_leaves_no_line(tmp_path: Path) -> None:
    from sie_bench import generate_sie
    from sie_import_bench import CATEGORIES

    from samverkan.finance.models import (
        AccountMapping,
        CostCategory,
        Fund,
        FundKind,
        ImportBatch,
        LedgerLine,
    )
    from samverkan.members.models import Cooperation

    cooperation = Cooperation.objects.create(slug="fel", name="Felprov")
    fund = Fund.objects.create(
        cooperation=cooperation, slug="drift", name="Drift", kind=FundKind.OPERATIONS
    )
    Year.objects.create(cooperation=cooperation, year=2024, operating_fund=fund)
    categories = {
        slug: CostCategory.objects.create(
            cooperation=cooperation, slug=slug, name=slug, kind=kind, order=n
        )
        for n, (slug, kind) in enumerate(dict(CATEGORIES.values()).items())
    }
    for account, (slug, _kind) in CATEGORIES.items():
        AccountMapping.objects.create(
            cooperation=cooperation, account=account, category=categories[slug]
        )
    generate_sie(tmp_path / "stor.se", 200_000)

    importing = subprocess.Popen(
        [
            *SAMVERKAN,
            "sie",
            "import",
            str(tmp_path / "stor.se"),
            "--cooperation",
            "fel",
            "--year",
            "2024",
        ],
        env=child_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: others_hold("finance_ledgerline"), 300, "the import to write lines")
    time.sleep(1)  # well into the lines
    assert importing.poll() is None, "the import ended before it could be killed"
    kill_nine(importing)

    assert LedgerLine.objects.filter(year__cooperation=cooperation).count() == 0
    assert ImportBatch.objects.filter(year__cooperation=cooperation).count() == 0
    assert not AuditEntry.objects.filter(action="finance.sie_import").exists()


def test_a_decision_killed_before_its_audit_entry_leaves_the_year_as_it_was(
    demo: None, tmp_path: Path
) -> None:
    from samverkan.members.services import reopen_year

    year = reopen_year(
        Year.objects.get(cooperation__slug="sodertorn", year=2020), actor="tests", reason="prov"
    )
    entries = AuditEntry.objects.count()
    marker = tmp_path / "decided"
    script = f"""
import datetime, time
from samverkan.members import services
from samverkan.members.models import Year

def record_then_hang(*args, **kwargs):
    services_record(*args, **kwargs)
    open({str(marker)!r}, "w").close()  # the status and the entry written, not committed
    time.sleep(600)

services_record, services.record = services.record, record_then_hang
services.decide_year(Year.objects.get(pk={year.pk}), datetime.date(2021, 1, 14), actor="fault test")
"""
    deciding = subprocess.Popen(
        [*SAMVERKAN, "shell", "--no-imports", "-c", script], env=child_env(tmp_path)
    )
    wait_until(marker.exists, 120, "the decision to be written")
    kill_nine(deciding)

    year.refresh_from_db()
    assert year.status == YearStatus.DRAFT and year.decided_on is None
    assert AuditEntry.objects.count() == entries
    assert not AuditEntry.objects.filter(
        action="year.decide", actor_label__contains="fault test"
    ).exists()


class Person:
    """A signed-in browser without JavaScript: the session cookie and the CSRF cookie kept by hand."""

    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.cookies = {"sessionid": session}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        http_connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Host": HOST, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            http_connection.request(method, path, body=data, headers=headers)
            response = http_connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, response.read().decode()
        finally:
            http_connection.close()


def test_a_web_process_killed_while_people_save_loses_or_halves_no_save(
    place: Any, users: Any, processes: list[Any], tmp_path: Path
) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    from samverkan.plan.models import FollowUp
    from tests.web.conftest import SECRETARIAT

    session = SessionStore()
    user = users[SECRETARIAT]
    session.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
    )
    session.create()
    port = start_web(processes, tmp_path)
    master = processes[-1]
    activities = [place.activity_a, place.activity_b]
    before = {a.pk: FollowUp.objects.get(activity=a).version for a in activities}
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    saved: dict[int, list[str]] = {a.pk: [] for a in activities}
    stop = threading.Event()

    def save_repeatedly(activity_pk: int, who: int) -> None:
        person = Person(port, session.session_key)  # type: ignore[arg-type]
        path = f"/app/sodertorn/2020/aktiviteter/{activity_pk}/"
        n = 0
        while not stop.is_set():
            try:
                status, form = person.request("GET", path)
                version = re.search(r'name="version" value="(\d+)"', form)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
                if status != 200 or not (version and token):
                    continue
                n += 1
                text = f"sparning {who}-{n}"
                status, _ = person.request(
                    "POST",
                    path,
                    {
                        "csrfmiddlewaretoken": token.group(1),
                        "version": version.group(1),
                        "status": "ongoing",
                        "status_reason": "",
                        "text": text,
                    },
                )
                if status == 302:
                    saved[activity_pk].append(text)
            except (OSError, http.client.HTTPException):  # its process was killed mid-answer
                time.sleep(0.1)

    people = [
        threading.Thread(target=save_repeatedly, args=(a.pk, n))
        for n, a in enumerate(activities * 2)
    ]
    for thread in people:
        thread.start()
    time.sleep(4)
    workers = subprocess.run(
        ["pgrep", "-P", str(master.pid)], capture_output=True, text=True
    ).stdout.split()
    assert workers, "gunicorn has no worker process"
    for pid in workers:
        os.kill(int(pid), signal.SIGKILL)  # gunicorn's master starts a new one
    time.sleep(4)
    stop.set()
    for thread in people:
        thread.join()

    for activity in activities:
        follow_up = FollowUp.objects.get(activity=activity)
        entries = AuditEntry.objects.filter(
            id__gt=last_entry,
            action="plan.follow_up.update",
            object_id=str(follow_up.pk),
            object_type=FollowUp._meta.label_lower,
        ).order_by("id")
        steps = follow_up.version - before[activity.pk]
        assert saved[activity.pk], "no save was answered"
        # Every committed save moved the version and wrote its entry, together; every answered save
        # was committed (a save cut off by the kill may have been committed without an answer).
        assert entries.count() == steps >= len(saved[activity.pk])
        assert set(saved[activity.pk]) <= {
            e.changes["text"]["after"] for e in entries if "text" in e.changes
        }
        assert follow_up.text == entries.last().changes["text"]["after"]  # type: ignore[union-attr]
