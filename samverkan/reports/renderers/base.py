"""The interface every report renderer implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from samverkan.reports.report import AnnualReport


class UnknownFormat(ValueError):
    """Raised for a format no renderer handles."""


@runtime_checkable
class Renderer(Protocol):
    """Turns one AnnualReport into the bytes of one file format."""

    identifier: str  # "html", "pdf", "docx", "md": the --format value
    media_type: str  # the HTTP content type
    extension: str  # the file name extension, without the dot
    background: bool  # slow for a large report: the web app has it made by a background task

    def render(self, report: AnnualReport) -> bytes: ...
