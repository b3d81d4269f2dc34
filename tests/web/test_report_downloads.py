"""Downloading the report as PDF or Word: the stored file when there is one, else a page that waits for it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.reports.models import ReportJob
from tests.conftest import run_worker
from tests.web.conftest import READER, Place


def docx_url() -> str:
    return reverse("web:report-file", args=["sodertorn", 2020, "docx"])


def test_the_page_waits_for_the_worker_and_then_the_file_downloads(
    place: Place, client_for: Any, database_queue: None
) -> None:
    client = client_for(READER)
    waiting = client.get(docx_url())
    assert waiting.status_code == 202
    html = waiting.content.decode()
    assert 'role="status"' in html and "står i kö" in html
    assert "report_wait.js" in html and "http-equiv" not in html  # polls; never refreshes the page
    head = client.head(docx_url())
    assert head.status_code == 202 and head["X-Report-State"] == "queued"
    assert head["X-Report-Notice"] == ""
    assert "bakgrundsprocess" not in html  # just asked: no reason to suspect the worker yet

    run_worker()
    assert client.head(docx_url()).status_code == 200
    download = client.get(docx_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_job_nobody_starts_points_at_the_worker(
    place: Place, client_for: Any, database_queue: None
) -> None:
    client = client_for(READER)
    client.get(docx_url())
    job = ReportJob.objects.get()
    ReportJob.objects.filter(pk=job.pk).update(requested_at=job.requested_at - timedelta(minutes=2))
    response = client.get(docx_url())
    assert response["X-Report-Notice"] == "no-worker"
    status = response.content.decode().split('role="status"')[1].split("</div>")[0]
    assert "samverkan db_worker" in status  # inside the live region, which the script refreshes


def test_a_failed_file_is_explained_and_can_be_asked_for_again(
    place: Place, client_for: Any, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.reports.renderers import docx

    def broken(self: object, report: object) -> bytes:
        raise RuntimeError("the template is missing")

    monkeypatch.setattr(docx.DocxRenderer, "render", broken)
    client = client_for(READER)
    client.get(docx_url())
    run_worker()
    failed = client.get(docx_url())
    assert failed.status_code == 500
    html = failed.content.decode()
    assert 'role="alert"' in html and "RuntimeError: the template is missing" in html
    assert '<form method="post">' in html and "Försök igen" in html

    monkeypatch.undo()
    again = client.post(docx_url())
    assert (
        again.status_code == 303 and again["Location"] == docx_url()
    )  # a reload never posts again
    assert client.get(docx_url()).status_code == 202
    run_worker()
    assert client.get(docx_url()).status_code == 200


def test_the_public_waits_for_a_published_report_too_but_is_offered_no_retry(
    place: Place, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.reports.renderers import pdf

    # The layout fails, however the renderer is started (render, or begin and finish).
    monkeypatch.setattr(pdf, "build_document", lambda report: 1 / 0)
    url = reverse("web:public-report", args=["sodertorn", 2018, "pdf"])
    assert Client().get(url).status_code == 202
    run_worker()
    failed = Client().get(url)
    html = failed.content.decode()
    assert failed.status_code == 500 and "kunde inte skapas" in html
    assert "division by zero" not in html  # what went wrong inside is for the secretariat
    assert "Försök igen</button>" not in html and "kontakta kansliet" in html
    assert Client().post(url).status_code == 405


def test_the_downloads_are_named_as_a_secretariat_knows_them(place: Place, client_for: Any) -> None:
    report = reverse("web:report", args=["sodertorn", 2020])
    page = client_for(READER).get(report).content.decode()
    assert "Ladda ned som Word-dokument (DOCX)" in page
    assert "Ladda ned som ren text (Markdown, MD)" in page
    assert "Ladda ned som PDF" in page and "Ladda ned som DOCX" not in page
