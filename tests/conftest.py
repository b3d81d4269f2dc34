"""Shared fixtures: the demo data as shipped, and paths to the development-only shared folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.demo import DEMO_DIR, demo_files

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _reports_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Rendered reports (and their cache) go to the test's own folder."""
    settings.REPORT_OUTPUT_DIR = tmp_path / "reports"


@pytest.fixture
def demo(db: None) -> None:
    """The Södertörn demo (standing file, 2018, 2019, 2020) loaded into the test database."""
    from samverkan.yearfile.services import load_files

    load_files(demo_files(), actor="tests")


@pytest.fixture
def demo_dir() -> Path:
    return DEMO_DIR
