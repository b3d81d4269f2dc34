"""The report as an archival, accessible PDF: Typst, PDF/A-3a and PDF/UA-1 in one file.

The Document (the report laid out once, every number formatted) is handed
to a fixed Typst template (`pdf_layout/report.typ`) as JSON data
(`pdf_data.document_data`); no Typst markup is generated, so no text from
the data can act as markup or code. Typst compiles it in memory:

- PDF/A-3a and PDF/UA-1 at once: a tagged structure tree (headings in
  order, lists, tables with header cells and one table element across
  pages, figures with alternative text), running headers and footers as
  artifacts, bookmarks and the document language;
- the year file and the cooperation's standing file attached as the
  report's source data (PDF/A-3 allows attachments, relationship "Source"),
  so the published document carries the figures it was made from: the two
  files, loaded into an empty database, give the year back. The report
  object carries them (`AnnualReport.attachments`, built with
  `sources=True`, which `carries_sources` asks for): the renderer reads no
  database;
- fonts shipped with the package (Liberation Sans, `pdf_layout/fonts`) and
  system fonts ignored, so every machine makes the same PDF; no Typst
  package is imported, so nothing is downloaded;
- the timestamp taken from the data (the decision date, else the time the
  edition is made), so a decided year's PDF is the same file every time.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import override

from samverkan.reports.document import Document
from samverkan.reports.outline import build_document
from samverkan.reports.renderers.pdf_data import document_data
from samverkan.reports.report import AnnualReport, Attachment

LAYOUT = Path(__file__).with_name("pdf_layout")
TEMPLATE = LAYOUT / "report.typ"
FONTS = LAYOUT / "fonts"
WORKER = Path(__file__).with_name("pdf_worker.py")
PDF_STANDARDS = ["a-3a", "ua-1"]


class PdfError(RuntimeError):
    """Typst refused the document; the message says where and why."""


def report_timestamp(report: AnnualReport) -> dt.datetime:
    """The PDF's date: the decision date for a decided report, else now (the edition's time)."""
    decided = report.cover.decided_on
    if decided is not None:
        return dt.datetime(decided.year, decided.month, decided.day, tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def template_data(doc: Document) -> bytes:
    """The JSON the template reads: the document, with the labels the PDF adds."""
    with override(doc.lang):
        labels = {"page": _("Sida"), "of": _("av"), **doc.labels}
    data = document_data(doc)
    data["labels"] = labels
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def attachment_files(attachments: Sequence[Attachment]) -> dict[str, bytes]:
    """The attachments as files for the template: their list, and each one's content."""
    listed = [
        {
            "name": attachment.name,
            "file": f"attachment-{index}",
            "mime": attachment.media_type,
            "description": attachment.description,
        }
        for index, attachment in enumerate(attachments)
    ]
    files = {"attachments.json": json.dumps(listed, ensure_ascii=False).encode("utf-8")}
    files.update({item["file"]: a.content for item, a in zip(listed, attachments, strict=True)})
    return files


def compile_options(timestamp: dt.datetime) -> dict[str, object]:
    return {
        "font_paths": [str(FONTS)],
        "ignore_system_fonts": True,
        "pdf_standards": PDF_STANDARDS,
        "timestamp": timestamp,
    }


class CompileProcess:
    """One Typst compile in a process of its own (`pdf_worker.py`), begun before the attachments are known.

    `begin` hands over the document; the process lays it out at once.
    `finish` hands over the attachments and returns the PDF. The process
    ends with the PDF, and with it all the memory Typst held.
    """

    def __init__(self) -> None:
        self.more = False
        # A file, not a pipe, for what the process says on stderr: a pipe nobody reads fills up.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the process, in close()
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )

    def _send(self, message: object) -> None:
        assert self.process.stdin is not None
        pickle.dump(message, self.process.stdin)
        self.process.stdin.flush()

    def begin(
        self, doc: Document, timestamp: dt.datetime, attachments: Sequence[Attachment] | None
    ) -> None:
        """Hand over the document; `attachments` None: they follow in `finish`."""
        files = {"main.typ": TEMPLATE.read_bytes(), "data.json": template_data(doc)}
        files.update(attachment_files(attachments or ()))
        self.more = attachments is None
        self._send({"files": files, "options": compile_options(timestamp), "more": self.more})

    def finish(self, attachments: Sequence[Attachment] = ()) -> bytes:
        """The PDF, with `attachments` if `begin` left them to follow; PdfError if Typst refused it."""
        if self.more:
            self._send(attachment_files(attachments))
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            result = pickle.load(self.process.stdout)
        except EOFError:
            self.process.wait()
            self.errors.seek(0)
            said = self.errors.read().decode(errors="replace").strip()
            raise PdfError(f"the PDF process ended without a PDF: {said}") from None
        self.process.wait()
        if result[0] == "error":
            raise PdfError(" ".join([result[1], *result[2]]))
        pdf: bytes = result[1]
        return pdf

    def __enter__(self) -> CompileProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the process if it is still running (an error on our side)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self.errors.close()


def render_pdf(
    doc: Document, *, attachments: Sequence[Attachment] = (), timestamp: dt.datetime
) -> bytes:
    """The document as PDF/A-3a + PDF/UA-1, carrying `attachments` as its source data."""
    with CompileProcess() as process:
        process.begin(doc, timestamp, attachments)
        return process.finish()


class PdfRenderer:
    identifier = "pdf"
    background = True
    media_type = "application/pdf"
    extension = "pdf"
    # Reports up to this size (accounts lines + activities: the demo's 2020 has 37, the report
    # ten times the demo 20 300) are made inside the web request, in well under a second:
    # sooner than a queued task.
    in_request_limit = 1000
    # The report is built with its source files (the year file, the standing file) to attach.
    carries_sources = True

    def render(self, report: AnnualReport) -> bytes:
        with self.begin(report) as layout:
            return layout.finish(report.attachments)

    def begin(self, report: AnnualReport) -> CompileProcess:
        """Start laying the report out in a process of its own; its source files follow in `finish`.

        The caller may gather them meanwhile (`reports.editions.render_with_sources`
        exports the year file while Typst works).
        """
        process = CompileProcess()
        try:
            process.begin(build_document(report), report_timestamp(report), None)
        except BaseException:
            process.close()
            raise
        return process
