"""The reports' public entry points: render one year's annual report in one format.

Other parts of the project (the web views, the `demo` command) import only
this module; the assembly and the renderers behind it are free to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from samverkan.members.models import Year
from samverkan.reports.renderers.base import UnknownFormat

FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "md")
LANGUAGES: tuple[str, ...] = ("sv", "en")

__all__ = ["FORMATS", "LANGUAGES", "UnknownFormat", "file_name", "render_report", "write_reports"]


def file_name(year: Year, fmt: str, lang: str = "sv") -> str:
    """ "sodertorn-arsredovisning-2020.pdf"; the English edition adds "-en"."""
    from samverkan.reports.renderers import get_renderer

    renderer = get_renderer(fmt)
    suffix = "" if lang == "sv" else f"-{lang}"
    return f"{year.cooperation.slug}-arsredovisning-{year.year}{suffix}.{renderer.extension}"


def render_report(year: Year, fmt: str, lang: str = "sv") -> tuple[bytes, str, str]:
    """Build the year's report and render it: (content, content type, file name).

    Raises UnknownFormat for a format outside FORMATS and ValueError for a
    language outside LANGUAGES.
    """
    from samverkan.reports.assembly import build_annual_report
    from samverkan.reports.renderers import get_renderer

    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    renderer = get_renderer(fmt)
    cache = _cache_path(year, renderer.identifier, lang)
    if cache is not None and cache.is_file():
        return cache.read_bytes(), renderer.media_type, file_name(year, fmt, lang)
    content = renderer.render(build_annual_report(year, lang=lang))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(cache)  # atomic: a reader never sees half a file
    return content, renderer.media_type, file_name(year, fmt, lang)


def _cache_path(year: Year, fmt: str, lang: str) -> Path | None:
    """Where the rendered report of a decided or published year is kept, else None.

    A locked year cannot change until it is reopened, and every change to a
    cooperation's data (a reopening included) writes an audit entry, so the
    newest entry's id in the key retires the file the moment anything changes.
    A large report's PDF takes WeasyPrint tens of seconds; it is made once.
    """
    from django.conf import settings

    from samverkan.audit.models import AuditEntry

    if not year.is_locked:
        return None
    latest = (
        AuditEntry.objects.filter(cooperation_id=year.cooperation_id)
        .order_by("-id")
        .values_list("id", "created_at")
        .first()
    )
    if latest is None:
        return None
    # The entry's time as well as its id: a rebuilt database reuses ids.
    stamp = f"{latest[0]}-{latest[1].timestamp():.6f}"
    key = f"{year.cooperation.slug}-{year.year}-{year.status}-{stamp}-{lang}.{fmt}"
    return Path(settings.REPORT_OUTPUT_DIR) / "cache" / key


def write_reports(
    year: Year, out_dir: Path, formats: Iterable[str] = FORMATS, lang: str = "sv"
) -> list[Path]:
    """Write the year's report in each format into `out_dir` (created if missing); the paths written.

    The report object is assembled once and handed to every renderer.
    """
    from samverkan.reports.assembly import build_annual_report
    from samverkan.reports.renderers import get_renderer

    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    renderers = [get_renderer(fmt) for fmt in formats]
    out_dir.mkdir(parents=True, exist_ok=True)
    report = build_annual_report(year, lang=lang)
    written = []
    for renderer in renderers:
        path = out_dir / file_name(year, renderer.identifier, lang)
        path.write_bytes(renderer.render(report))
        written.append(path)
    return written
