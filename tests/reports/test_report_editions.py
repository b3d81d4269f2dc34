"""Report editions: each format and language is made once per version of the data, in the background
when the web app asks for a slow one, and served from storage after that."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.audit.services import record
from samverkan.members.models import Year
from samverkan.reports.api import prepare_report, render_report
from samverkan.reports.models import ReportJob, StoredEdition
from tests.conftest import run_worker


def stored(fmt: str = "md") -> list[StoredEdition]:
    return list(StoredEdition.objects.filter(format=fmt))


def replace_stored(content: bytes, fmt: str = "md") -> None:
    """Overwrite the stored edition, so that a test sees whether it is served or made again."""
    StoredEdition.objects.filter(format=fmt).update(content=content)


@pytest.fixture
def year(demo: None) -> Year:
    return Year.objects.select_related("cooperation").get(cooperation__slug="sodertorn", year=2020)


def test_an_edition_is_made_once_and_then_served_from_storage(year: Year) -> None:
    first, _, _ = render_report(year, "md")
    assert first.startswith(b"#") and len(stored()) == 1
    replace_stored(b"from storage")
    assert render_report(year, "md")[0] == b"from storage"


def test_an_audited_change_retires_the_stored_edition_and_removes_it(year: Year) -> None:
    render_report(year, "md")
    replace_stored(b"stale")
    record(actor="tests", action="year.reopen", cooperation=year.cooperation, year=2020, obj=year)
    assert render_report(year, "md")[0] != b"stale"
    assert len(stored()) == 1  # the older edition is gone


def test_a_change_to_users_or_roles_keeps_the_stored_edition(year: Year) -> None:
    Year.objects.filter(pk=year.pk).update(
        status="draft"
    )  # a draft follows every change of its cooperation
    year.refresh_from_db()
    render_report(year, "md")
    replace_stored(b"kept")
    record(actor="tests", action="accounts.role.grant", cooperation=year.cooperation, obj=year)
    assert render_report(year, "md")[0] == b"kept"


def test_a_published_report_does_not_follow_later_edits_of_standing_data(year: Year) -> None:
    render_report(year, "md")
    replace_stored(b"as adopted")
    record(actor="tests", action="admin.change", cooperation=year.cooperation, obj=year.cooperation)
    assert render_report(year, "md")[0] == b"as adopted"
    Year.objects.filter(pk=year.pk).update(status="draft")
    year.refresh_from_db()
    assert render_report(year, "md")[0] != b"as adopted"


def test_a_draft_is_stored_too_and_a_change_of_status_asks_for_a_new_edition(year: Year) -> None:
    Year.objects.filter(pk=year.pk).update(status="draft")
    year.refresh_from_db()
    render_report(year, "md")
    replace_stored(b"draft")
    assert render_report(year, "md")[0] == b"draft"
    Year.objects.filter(pk=year.pk).update(status="decided")
    year.refresh_from_db()
    assert render_report(year, "md")[0] != b"draft"


def test_without_a_worker_queue_a_slow_edition_is_ready_when_asked_for(year: Year) -> None:
    edition = prepare_report(year, "docx")
    assert edition.state == "ready" and edition.content is not None
    assert edition.content[:2] == b"PK"


def test_a_queued_edition_waits_for_the_worker_and_is_asked_for_only_once(
    year: Year, database_queue: None
) -> None:
    first = prepare_report(year, "docx")
    again = prepare_report(year, "docx")
    assert first.state == again.state == "queued"
    assert ReportJob.objects.count() == 1
    run_worker()
    ready = prepare_report(year, "docx")
    assert ready.state == "ready" and ready.content is not None
    job = ReportJob.objects.get()
    assert job.started_at is not None and job.finished_at is not None and job.error == ""


def test_a_failed_edition_says_why_and_is_made_again_only_when_asked(
    year: Year, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.reports.renderers import docx

    def broken(self: object, report: object) -> bytes:
        raise RuntimeError("the template is missing")

    monkeypatch.setattr(docx.DocxRenderer, "render", broken)
    prepare_report(year, "docx")
    run_worker()
    failed = prepare_report(year, "docx")
    assert failed.state == "failed" and failed.job is not None
    assert failed.job.error == "RuntimeError: the template is missing"
    assert prepare_report(year, "docx").state == "failed"  # not queued again by itself
    monkeypatch.undo()
    assert prepare_report(year, "docx", retry=True).state == "queued"
    run_worker()
    assert prepare_report(year, "docx").state == "ready"


def test_an_edition_for_older_data_is_not_served(year: Year, database_queue: None) -> None:
    prepare_report(year, "docx")
    run_worker()
    record(actor="tests", action="year.reopen", cooperation=year.cooperation, year=2020, obj=year)
    assert prepare_report(year, "docx").state == "queued"
    assert ReportJob.objects.count() == 1  # the older data's job is gone with it


def test_a_job_whose_worker_stopped_is_reported_failed_and_can_be_asked_for_again(
    year: Year, database_queue: None
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    prepare_report(year, "docx")
    # A worker took the job and was killed before it finished.
    ReportJob.objects.update(started_at=timezone.now() - timedelta(minutes=20))
    stalled = prepare_report(year, "docx")
    assert stalled.state == "failed" and stalled.job is not None
    assert "no background worker" in stalled.job.error
    assert prepare_report(year, "docx", retry=True).state == "queued"


def test_finished_tasks_older_than_a_month_are_cleared_from_the_queue(
    year: Year, database_queue: None
) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    prepare_report(year, "docx")
    run_worker()
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=40))
    prepare_report(year, "docx", lang="en")
    run_worker()
    assert DBTaskResult.objects.count() == 1  # the new one


def test_a_report_file_that_fails_to_be_written_leaves_no_partial_file(
    year: Year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.reports.api import write_reports

    def disk_full(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", disk_full)
    with pytest.raises(OSError):
        write_reports(year, tmp_path / "out", formats=["md"])
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_two_tasks_for_one_edition_make_it_once(year: Year, database_queue: None) -> None:
    from django_tasks_db.models import DBTaskResult

    from samverkan.reports.tasks import make_edition_task

    prepare_report(year, "docx")
    job = ReportJob.objects.get()
    make_edition_task.enqueue(job.pk)  # a second worker's copy of the same work
    run_worker()
    made = [r.return_value for r in DBTaskResult.objects.all() if r.return_value]
    assert len(made) == 1 and DBTaskResult.objects.count() == 2
    assert prepare_report(year, "docx").state == "ready"


def test_a_locked_database_is_waited_out_and_the_edition_made(
    year: Year, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.utils import OperationalError

    from samverkan.reports import editions, tasks

    real = editions.make_edition
    calls: list[int] = []

    def locked_once(*args: object) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(editions, "make_edition", locked_once)
    monkeypatch.setattr(tasks.time, "sleep", lambda seconds: None)
    prepare_report(year, "docx")
    run_worker()
    job = ReportJob.objects.get()
    assert len(calls) == 2 and job.error == "" and job.finished_at is not None
    assert prepare_report(year, "docx").state == "ready"


def test_a_demo_sized_pdf_is_made_in_the_request_rather_than_queued(
    year: Year, database_queue: None
) -> None:
    edition = prepare_report(year, "pdf")

    assert edition.state == "ready" and edition.content is not None
    assert edition.content.startswith(b"%PDF-")
    assert not ReportJob.objects.exists()


def test_a_pdf_of_a_report_beyond_the_request_limit_is_queued(
    year: Year, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.reports.renderers import pdf

    monkeypatch.setattr(pdf.PdfRenderer, "in_request_limit", 10)  # the demo year has 37

    assert prepare_report(year, "pdf").state == "queued"


def test_a_pdf_that_fails_in_the_request_is_queued_so_that_the_failure_is_recorded(
    year: Year, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.reports.renderers import pdf

    # The layout fails, however the renderer is started (render, or begin and finish).
    monkeypatch.setattr(pdf, "build_document", lambda report: 1 / 0)

    assert prepare_report(year, "pdf").state == "queued"
    run_worker()
    failed = prepare_report(year, "pdf")
    assert failed.state == "failed" and failed.job is not None
    assert "ZeroDivisionError" in failed.job.error
