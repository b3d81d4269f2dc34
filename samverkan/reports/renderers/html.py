"""The report as one standalone, accessible HTML file (inline CSS, no external resources).

The page (head, styles, cover, table of contents, landmarks) is the template
`reports/annual_report.html`; the chapters are written here, block by block,
because a report ten times the demo has tens of thousands of table cells
and the template engine would take seconds over them. Every text is escaped;
the year file's Markdown goes through `richtext.to_html` (cleaned by nh3).

Accessibility: `lang` on <html>; header, nav, main and footer landmarks;
headings in order (h1 title, h2 chapters, h3 sections, ...), each section
labelled by its heading; tables with <caption>, <th scope="col|row|rowgroup">
and a focusable scroll region; charts as role="img" SVG with <title> and
<desc>, a visible caption and the data as a visually hidden table; footnote
references as links to the notes.
"""

from __future__ import annotations

from html import escape

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import override

from samverkan.reports.charts import render_svg
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
from samverkan.reports.richtext import to_html

TEMPLATE = "reports/annual_report.html"


def render_html(doc: Document) -> str:
    """The document as one page (its print stylesheet serves browsers' printing)."""
    body = "".join(_section(section) for section in doc.sections)
    with override(doc.lang):
        return render_to_string(TEMPLATE, {"doc": doc, "body": mark_safe(body)})


class HtmlRenderer:
    identifier = "html"
    background = False
    media_type = "text/html; charset=utf-8"
    extension = "html"

    def render(self, report: AnnualReport) -> bytes:
        return render_html(build_document(report)).encode("utf-8")


def _e(text: str) -> str:
    return escape(text, quote=True)


def note_id(key: str) -> str:
    return f"not-{slugify(key) or 'x'}"


def _section(section: Section) -> str:
    level = section.level + 1
    heading_class = ' class="chapter"' if section.level == 1 else ""
    parts = [
        f'<section class="level-{section.level}" aria-labelledby="{_e(section.anchor)}">\n',
        f'<h{level} id="{_e(section.anchor)}"{heading_class}>{_e(section.heading)}</h{level}>\n',
    ]
    parts.extend(_block(block, section.level) for block in section.blocks)
    parts.extend(_section(child) for child in section.children)
    parts.append("</section>\n")
    return "".join(parts)


def _block(block: Block, level: int) -> str:
    if isinstance(block, Paragraph):
        css = f' class="{_e(block.style)}"' if block.style else ""
        return f"<p{css}>{_e(block.text)}</p>\n"
    if isinstance(block, RichText):
        return f'<div class="text">{to_html(block.markdown, heading_level=level + 2)}</div>\n'
    if isinstance(block, Facts):
        items = []
        for label, value in block.items:
            if isinstance(value, tuple):
                shown = "<ul>" + "".join(f"<li>{_e(v)}</li>" for v in value) + "</ul>"
            else:
                shown = _e(value)
            items.append(f"<dt>{_e(label)}</dt><dd>{shown}</dd>")
        return '<dl class="facts">' + "".join(items) + "</dl>\n"
    if isinstance(block, BulletList):
        return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>\n"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        chart = block.chart
        return (
            f'<figure class="chart" id="{_e(chart.id)}">\n{render_svg(chart)}\n'
            f"<figcaption><strong>{_e(chart.title)}.</strong> {_e(chart.description)}</figcaption>\n"
            f'<div class="visually-hidden">{_table(block.table, scrollable=False)}</div>\n</figure>\n'
        )
    if isinstance(block, Notes):
        notes = "".join(
            f'<li id="{note_id(key)}"><span class="note-key">{_e(key)})</span> {_e(text)}</li>'
            for key, text in block.items
        )
        return f'<ul class="notes">{notes}</ul>\n'
    raise TypeError(f"unknown block {block!r}")


def _cell(cell: Cell) -> str:
    text = _e(cell.text)
    if cell.footnote:
        text += (
            f'<sup class="fn"><a href="#{note_id(cell.footnote)}">{_e(cell.footnote)})</a></sup>'
        )
    return text


def _row(row: Row, numeric: list[bool], indent: bool = False) -> str:
    first, *rest = row.cells
    header_class = ' class="indent"' if indent else ""
    cells = [f'<th scope="row"{header_class}>{_cell(first)}</th>']
    for index, cell in enumerate(rest, start=1):
        css = ' class="num"' if index < len(numeric) and numeric[index] else ""
        cells.append(f"<td{css}>{_cell(cell)}</td>")
    return "<tr>" + "".join(cells) + "</tr>\n"


SHORT_TABLE_ROWS = 30  # a table up to this many rows is kept on one page when printed


def _table(table: Table, *, scrollable: bool = True) -> str:
    numeric = [c.numeric for c in table.columns]
    wide = ' class="wide"' if len(table.columns) > 5 else ""
    caption_id = f"{table.id}-caption"
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if c.numeric else ""}>{_e(c.title)}</th>' for c in table.columns
    )
    parts = [
        f'<table id="{_e(table.id)}"{wide}>\n<caption id="{_e(caption_id)}">{_e(table.caption)}{_note(table.footnote)}</caption>\n',
        f"<thead><tr>{head}</tr></thead>\n",
    ]
    for body in table.bodies:
        parts.append("<tbody>")
        if body.title:
            parts.append(
                f'<tr class="group"><th scope="rowgroup" colspan="{len(table.columns)}">{_e(body.title)}{_note(body.footnote)}</th></tr>\n'
            )
        parts.extend(_row(row, numeric, indent=bool(body.title)) for row in body.rows)
        parts.append("</tbody>\n")
    if table.foot:
        parts.append("<tfoot>" + "".join(_row(row, numeric) for row in table.foot) + "</tfoot>\n")
    parts.append("</table>")
    html = "".join(parts)
    if scrollable:
        # A wide table scrolls on a narrow screen; the region is focusable so keyboards can scroll it.
        rows = sum(len(body.rows) + bool(body.title) for body in table.bodies) + len(table.foot)
        wrap = "table-wrap short" if rows <= SHORT_TABLE_ROWS else "table-wrap"
        return (
            f'<div class="{wrap}" role="region" aria-labelledby="{_e(caption_id)}" tabindex="0">'
            f"{html}</div>\n"
        )
    return html + "\n"


def _note(key: str) -> str:
    """A footnote mark after a caption or group heading ("4)"), as the cells write theirs."""
    return f" <sup>{_e(key)})</sup>" if key else ""
