"""The reports' public entry points: render one year's annual report in one format.

Other parts of the project (the web views, the `demo` command) import only
this module; the assembly and the renderers behind it are free to change.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser

from samverkan.members.models import Year
from samverkan.reports.editions import (
    LANGUAGES,
    check_language,
    make_edition,
    render_with_sources,
    store_edition,
    stored_content,
    stored_edition,
)
from samverkan.reports.renderers.base import UnknownFormat
from samverkan.reports.tasks import Edition, prepare_edition
from samverkan.reports.versions import data_version

FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "md")

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "Edition",
    "UnknownFormat",
    "file_name",
    "is_slow",
    "media_type",
    "prepare_report",
    "render_report",
    "write_reports",
]


def file_name(year: Year, fmt: str, lang: str = "sv", document: str = "report") -> str:
    """ "sodertorn-arsredovisning-2020.pdf", "sodertorn-verksamhetsplan-2021.pdf"; English adds "-en"."""
    from samverkan.reports.renderers import get_renderer

    renderer = get_renderer(fmt)
    suffix = "" if lang == "sv" else f"-{lang}"
    name = "verksamhetsplan" if document == "plan" else "arsredovisning"
    return f"{year.cooperation.slug}-{name}-{year.year}{suffix}.{renderer.extension}"


def render_report(
    year: Year, fmt: str, lang: str = "sv", document: str = "report"
) -> tuple[bytes, str, str]:
    """The year's report in one format, made now if the current data has no stored edition:
    (content, content type, file name).

    Raises UnknownFormat for a format outside FORMATS and ValueError for a
    language outside LANGUAGES.
    """
    from samverkan.reports.renderers import get_renderer

    check_language(lang)
    renderer = get_renderer(fmt)
    content = stored_edition(year, renderer, lang, document)
    if content is None:
        content = make_edition(year, renderer, lang, document)
    return content, renderer.media_type, file_name(year, fmt, lang, document)


def prepare_report(
    year: Year,
    fmt: str,
    lang: str = "sv",
    *,
    actor: AbstractBaseUser | None = None,
    retry: bool = False,
    document: str = "report",
) -> Edition:
    """The stored edition of the year's report (or plan) in one format, or the background job making it."""
    from samverkan.reports.renderers import get_renderer

    return prepare_edition(
        year, get_renderer(fmt), lang, actor=actor, retry=retry, document=document
    )


def media_type(fmt: str) -> str:
    from samverkan.reports.renderers import get_renderer

    return get_renderer(fmt).media_type


def is_slow(fmt: str) -> bool:
    """Whether a format is made in the background (PDF, Word) rather than while the request waits."""
    from samverkan.reports.renderers import get_renderer

    return get_renderer(fmt).background


def write_reports(
    year: Year, out_dir: Path, formats: Iterable[str] = FORMATS, lang: str = "sv"
) -> list[Path]:
    """Write the year's report in each format into `out_dir` (created if missing); the paths written.

    The report object is assembled once and handed to every renderer, and
    each file is stored as the edition the web app serves, so that nobody
    waits for a file the command has just made.
    """
    from samverkan.reports.assembly import build_annual_report
    from samverkan.reports.renderers import get_renderer

    check_language(lang)
    renderers = [get_renderer(fmt) for fmt in formats]
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = data_version(year)
    report = None
    written = []
    for renderer in renderers:
        content = stored_content(year, renderer, lang, stamp)
        if content is None:
            report = report or build_annual_report(year, lang=lang)
            content = render_with_sources(renderer, report, year)
            store_edition(year, renderer, lang, stamp, content)
        path = out_dir / file_name(year, renderer.identifier, lang)
        _write_whole(path, content)
        written.append(path)
    return written


def _write_whole(path: Path, content: bytes) -> None:
    """Write the file whole or not at all: through a temporary file beside it, removed if anything fails."""
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    ) as partial:
        temporary = Path(partial.name)
        try:
            partial.write(content)
            partial.flush()
        except BaseException:
            partial.close()
            temporary.unlink(missing_ok=True)
            raise
    try:
        temporary.replace(path)  # atomic: a reader never sees half a file
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
