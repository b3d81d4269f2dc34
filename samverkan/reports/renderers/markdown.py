"""The report as GitHub-flavoured Markdown: for diffs between versions and for a web site.

Tables are GFM tables (numbers right-aligned), charts become their data
tables, and the table of contents links to the heading ids GitHub generates.
"""

from __future__ import annotations

import re

from samverkan.lib.commonmark import normalise
from samverkan.reports.document import (
    Block,
    BulletList,
    Cell,
    Document,
    Facts,
    Figure,
    Notes,
    Paragraph,
    RichText,
    Row,
    Section,
    Table,
)
from samverkan.reports.outline import build_document
from samverkan.reports.report import AnnualReport


def github_slug(text: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _cell(cell: Cell) -> str:
    text = _escape(cell.text)
    return f"{text} {cell.footnote})" if cell.footnote else text


class MarkdownRenderer:
    identifier = "md"
    background = False
    media_type = "text/markdown; charset=utf-8"
    extension = "md"

    def render(self, report: AnnualReport) -> bytes:
        return render_document(build_document(report)).encode("utf-8")


def render_document(doc: Document) -> str:
    out: list[str] = []
    cover = doc.cover
    out.append(f"# {cover.cooperation}: {cover.title}")
    out.append(f"*{cover.decided}*")
    out.append(cover.members_label)
    if cover.officer_name or cover.officer_email:
        lines = [f"**{cover.officer_heading}:**"]
        if cover.officer_name:
            lines.append(cover.officer_name)
        if cover.officer_email:
            lines.append(f"[{cover.officer_email}](mailto:{cover.officer_email})")
        out.append("  \n".join(lines))

    seen: dict[str, int] = {}
    github_slug(f"{cover.cooperation}: {cover.title}", seen)
    github_slug(doc.toc_title, seen)
    slugs = {s.anchor: github_slug(s.heading, seen) for s in doc.walk()}
    out.append(f"## {doc.toc_title}")
    toc = []
    for section in doc.toc:
        indent = "  " * (section.level - 1)
        toc.append(f"{indent}- [{section.heading}](#{slugs[section.anchor]})")
    out.append("\n".join(toc))
    for section in doc.sections:
        _section(section, out)
    return "\n\n".join(part.rstrip() for part in out if part.strip()) + "\n"


def _section(section: Section, out: list[str]) -> None:
    out.append(f"{'#' * (section.level + 1)} {section.heading}")
    for block in section.blocks:
        out.append(_block(block))
    for child in section.children:
        _section(child, out)


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"*{block.text}*" if block.style == "note" else block.text
    if isinstance(block, RichText):
        return normalise(block.markdown)
    if isinstance(block, Facts):
        lines = []
        for label, value in block.items:
            if isinstance(value, tuple):
                lines.append(f"**{label}:**\n")
                lines.extend(f"- {item}" for item in value)
                lines.append("")
            else:
                lines.append(f"**{label}:** {value}  ")
        return "\n".join(lines)
    if isinstance(block, BulletList):
        return "\n".join(f"- {item}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return f"*{block.chart.title}.* {block.chart.description}\n\n{_table(block.table, caption=False)}"
    if isinstance(block, Notes):
        return "\n".join(f"- {key}) {text}" for key, text in block.items)
    raise TypeError(f"unknown block {block!r}")


def _row(row: Row, bold: bool = False) -> str:
    cells = [_cell(c) for c in row.cells]
    if bold:
        cells = [f"**{c}**" if c else c for c in cells]
    return "| " + " | ".join(cells) + " |"


def _table(table: Table, caption: bool = True) -> str:
    title = f"{table.caption} {table.footnote})" if table.footnote else table.caption
    lines = [f"**{title}**", ""] if caption else []
    lines.append("| " + " | ".join(_escape(c.title) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in table.columns) + "|")
    width = len(table.columns)
    for body in table.bodies:
        if body.title:
            heading = f"*{_escape(body.title)}*"
            if body.footnote:
                heading += f" {body.footnote})"
            lines.append("| " + " | ".join([heading, *[""] * (width - 1)]) + " |")
        lines.extend(_row(row) for row in body.rows)
    lines.extend(_row(row, bold=True) for row in table.foot)
    return "\n".join(lines)
