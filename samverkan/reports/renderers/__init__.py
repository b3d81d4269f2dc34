"""The renderers: one per output format, all behind `base.Renderer`.

Renderer modules are imported only when asked for, so that choosing Markdown
does not load Typst or python-docx.
"""

from __future__ import annotations

from importlib import import_module

from samverkan.reports.renderers.base import Renderer, UnknownFormat

_RENDERERS = {
    "html": ("samverkan.reports.renderers.html", "HtmlRenderer"),
    "pdf": ("samverkan.reports.renderers.pdf", "PdfRenderer"),
    "docx": ("samverkan.reports.renderers.docx", "DocxRenderer"),
    "md": ("samverkan.reports.renderers.markdown", "MarkdownRenderer"),
}


def get_renderer(fmt: str) -> Renderer:
    """The renderer for a format identifier; UnknownFormat (a ValueError) names the known formats."""
    try:
        module_name, class_name = _RENDERERS[fmt]
    except KeyError:
        raise UnknownFormat(
            f"unknown format {fmt!r}; choose one of {', '.join(_RENDERERS)}"
        ) from None
    renderer: Renderer = getattr(import_module(module_name), class_name)()
    return renderer


__all__ = ["Renderer", "UnknownFormat", "get_renderer"]
