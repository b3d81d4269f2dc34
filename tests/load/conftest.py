"""Helpers for tests that run the real commands in child processes against the test database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# The web tests' places and personas, for the tests here that drive the app.
from tests.web.conftest import other_cooperation, place, users  # noqa: E402, F401

SAMVERKAN = [sys.executable, "-m", "samverkan.cli"]
HOST = "127.0.0.1"

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: several processes on one database server (CI runs it with DATABASE_URL)",
)


def database_url() -> str:
    """The test database (not the configured one) as a URL for child processes."""
    params = connection.settings_dict
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}"


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SAMVERKAN_DATA_DIR": str(data_dir),
        "SAMVERKAN_TASKS": "database",
        "SAMVERKAN_CONN_MAX_AGE": "0",
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Child processes started by the test, stopped (by their own handles) at its end."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_web(processes: list[subprocess.Popen[bytes]], data_dir: Path) -> int:
    """A web process (gunicorn, as in production) with a data folder of its own; its port."""
    port = free_port()
    processes.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samverkan.wsgi",
                "-b",
                f"{HOST}:{port}",
                "-w",
                "1",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            env=child_env(data_dir),
            stdout=subprocess.DEVNULL,
        )
    )
    wait_for_port(port)
    return port


def start_worker(
    processes: list[subprocess.Popen[bytes]], data_dir: Path
) -> subprocess.Popen[bytes]:
    worker = subprocess.Popen(
        [*SAMVERKAN, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "-v0"],
        env=child_env(data_dir),
    )
    processes.append(worker)
    return worker
