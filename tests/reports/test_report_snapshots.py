"""The Markdown of both demo years is pinned: a change to the report shows up as a readable diff.

The snapshots are tests/reports/snapshots/sodertorn-YEAR.md. After an
intended change, write them again with

    SAMVERKAN_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/reports/test_report_snapshots.py

and review the diff (git diff tests/reports/snapshots) like any other change.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("SAMVERKAN_UPDATE_SNAPSHOTS") == "1"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_demo_reports_markdown_is_the_pinned_snapshot(rendered, year):
    path = SNAPSHOTS / f"sodertorn-{year}.md"
    text = rendered(year, "md").decode("utf-8")
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    pinned = path.read_text(encoding="utf-8")

    diff = "".join(
        difflib.unified_diff(
            pinned.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"snapshots/{path.name}",
            tofile="generated",
        )
    )

    assert not diff, f"the report changed (set SAMVERKAN_UPDATE_SNAPSHOTS=1 to accept):\n{diff}"
