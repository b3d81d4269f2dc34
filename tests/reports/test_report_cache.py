"""A decided year's rendered report is kept, and any audited change retires it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from samverkan.audit.services import record
from samverkan.members.models import Year
from samverkan.reports.api import render_report


def cached_files() -> list[Path]:
    return sorted((Path(settings.REPORT_OUTPUT_DIR) / "cache").glob("*"))


def test_a_published_years_report_is_rendered_once_and_then_served_from_the_cache(demo: None) -> None:
    year = Year.objects.get(cooperation__slug="sodertorn", year=2020)
    first, _, _ = render_report(year, "md")
    assert len(cached_files()) == 1
    cached_files()[0].write_bytes(b"from the cache")
    assert render_report(year, "md")[0] == b"from the cache"
    assert first.startswith(b"#")


def test_an_audited_change_retires_the_cached_report(demo: None) -> None:
    year = Year.objects.get(cooperation__slug="sodertorn", year=2020)
    render_report(year, "md")
    cached_files()[0].write_bytes(b"stale")
    record(actor="tests", action="year.reopen", cooperation=year.cooperation, year=2020, obj=year)
    assert render_report(year, "md")[0] != b"stale"


def test_a_year_that_is_not_locked_is_never_cached(demo: None) -> None:
    year = Year.objects.get(cooperation__slug="sodertorn", year=2020)
    Year.objects.filter(pk=year.pk).update(status="draft")
    year.refresh_from_db()
    render_report(year, "md")
    assert cached_files() == []
