"""SQLite under a long write: pages keep answering and the background worker waits instead of dying.

Each test runs the real commands in child processes on a migrated SQLite file,
while this process holds the database's write lock through a plain sqlite3
connection, as a long SIE import does.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SAMVERKAN = [sys.executable, "-m", "samverkan.cli"]


def env_for(folder: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "SAMVERKAN_DATA_DIR": str(folder),
        "SAMVERKAN_TASKS": "database",
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        **extra,
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("migrated")
    subprocess.run([*SAMVERKAN, "migrate", "-v0"], env=env_for(folder), check=True)
    return folder / "db.sqlite3"


@pytest.fixture
def database(migrated: Path, tmp_path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{migrated}{suffix}").exists():
            shutil.copy(f"{migrated}{suffix}", tmp_path / f"db.sqlite3{suffix}")
    return tmp_path


def hold_the_write_lock(folder: Path) -> sqlite3.Connection:
    """A long write in progress: the lock taken and many rows written but not committed."""
    writer = sqlite3.connect(folder / "db.sqlite3", isolation_level=None)
    writer.execute("PRAGMA cache_size = 10")  # spill to the file early, as a large import does
    writer.execute("BEGIN EXCLUSIVE")
    writer.executemany(
        "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)",
        ((f"k{i:08d}", "x" * 500, "2099-01-01") for i in range(5000)),
    )
    return writer


def test_the_database_runs_in_write_ahead_log_mode(database: Path) -> None:
    with sqlite3.connect(database / "db.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_page_answers_while_a_long_write_holds_the_lock(database: Path) -> None:
    writer = hold_the_write_lock(database)
    try:
        page = subprocess.run(
            [
                *SAMVERKAN,
                "shell",
                "--no-imports",
                "-c",
                "from django.test import Client; print(Client().get('/').status_code)",
            ],
            env=env_for(database, SAMVERKAN_SQLITE_TIMEOUT="1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        writer.execute("ROLLBACK")
    assert page.stdout.strip() == "200", page.stderr[-2000:]


def test_the_worker_waits_out_a_locked_database_and_then_runs_the_job(database: Path) -> None:
    env = env_for(database, SAMVERKAN_SQLITE_TIMEOUT="0.3")
    subprocess.run(
        [
            *SAMVERKAN,
            "shell",
            "--no-imports",
            "-c",
            "from samverkan.reports.tasks import make_edition_task; make_edition_task.enqueue(999)",
        ],
        env=env,
        check=True,
        timeout=120,
    )
    writer = hold_the_write_lock(database)
    worker = subprocess.Popen(
        [*SAMVERKAN, "db_worker", "--batch", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(6)
        assert worker.poll() is None, worker.communicate()[0][-2000:]  # still there, waiting
    finally:
        writer.execute("ROLLBACK")
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output[-2000:]
    with sqlite3.connect(database / "db.sqlite3") as connection:
        assert connection.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult"
        ).fetchall() == [("SUCCESSFUL",)]


SETUP_COOPERATION = """
from samverkan.finance.models import AccountMapping, CostCategory, Fund, FundKind
from samverkan.members.models import Cooperation, Year
from sie_import_bench import CATEGORIES

cooperation = Cooperation.objects.create(slug="stor", name="Stor import")
fund = Fund.objects.create(cooperation=cooperation, slug="drift", name="Drift", kind=FundKind.OPERATIONS)
Year.objects.create(cooperation=cooperation, year=2024, operating_fund=fund)
categories = {
    slug: CostCategory.objects.create(cooperation=cooperation, slug=slug, name=slug, kind=kind, order=n)
    for n, (slug, kind) in enumerate(dict(CATEGORIES.values()).items())
}
for account, (slug, _kind) in CATEGORIES.items():
    AccountMapping.objects.create(cooperation=cooperation, account=account, category=categories[slug])
"""


def test_an_sie_import_holds_the_write_lock_for_a_moment_not_for_the_whole_read(
    database: Path,
) -> None:
    bench = str(Path(__file__).resolve().parents[2] / "bench")
    sys.path.insert(0, bench)
    from sie_bench import generate_sie

    env = env_for(database, PYTHONPATH=os.pathsep.join([bench, os.environ.get("PYTHONPATH", "")]))
    subprocess.run(
        [*SAMVERKAN, "shell", "--no-imports", "-c", SETUP_COOPERATION], env=env, check=True
    )
    generate_sie(database / "stor.se", 150_000)

    started = time.monotonic()
    importing = subprocess.Popen(
        [
            *SAMVERKAN,
            "sie",
            "import",
            str(database / "stor.se"),
            "--cooperation",
            "stor",
            "--year",
            "2024",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Another writer tries to take the lock every few hundredths of a second.
    other = sqlite3.connect(database / "db.sqlite3", isolation_level=None, timeout=0.02)
    blocked_since: float | None = None
    longest = 0.0
    while importing.poll() is None:
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            blocked_since = None
        except sqlite3.OperationalError:
            now = time.monotonic()
            blocked_since = blocked_since or now
            longest = max(longest, now - blocked_since)
        time.sleep(0.03)
    took = time.monotonic() - started
    output = importing.communicate()[0]
    assert importing.returncode == 0, output[-2000:]
    with sqlite3.connect(database / "db.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM finance_ledgerline").fetchone()[0] > 50_000
    assert longest < took / 3, f"the lock was held {longest:.1f} s of the import's {took:.1f} s"
