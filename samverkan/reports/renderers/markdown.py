"""The report as GitHub-flavoured Markdown: for diffs between versions and for a web site.

Tables are GFM tables (numbers right-aligned), charts become their data
tables, and the table of contents links to the heading ids GitHub generates.

A reader of Markdown turns raw HTML into HTML, so this edition is cleaned as
the HTML edition is: in the year file's Markdown texts every tag outside the
HTML edition's allow-list is removed (a `<script>` or `<style>` with its
content), allowed tags keep only allowed attributes (nh3 decides), and code
is left alone; in plain texts (names, titles, table cells) a `<` is escaped,
so that nothing in them reads as a tag.
"""

from __future__ import annotations

import re

import nh3

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
from samverkan.reports.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

# CommonMark's raw HTML (spec 6.6): open and closing tags, comments, processing
# instructions, declarations and CDATA sections.
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_RAW_HTML = re.compile(
    rf"<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>"
    r"|</(?P<closing>[A-Za-z][A-Za-z0-9-]*)\s*>"
    r"|<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.DOTALL,
)
# Link destinations that run code or read local files, which nh3 removes from the HTML edition's
# links: in an inline link, a reference definition or an autolink. Their scheme becomes "#", a
# link to nowhere on the same page.
_UNSAFE_LINK = re.compile(
    r"(?P<lead>\]\(\s*<?|^ {0,3}\[[^\]]+\]:\s*<?|<)\s*(?:javascript|vbscript|file|data)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
# Tags removed with everything up to their closing tag, as nh3 removes them.
_CONTENT_TAGS = ("script", "style")
# Code, whose text is shown as written: fenced blocks and inline code spans.
_CODE = re.compile(
    r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}(?P=fence)[`~]*[ \t]*$|\Z)"
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.DOTALL | re.MULTILINE,
)


def github_slug(text: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def _escape(text: str) -> str:
    return _plain(text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " "))


def _plain(text: str) -> str:
    """A plain text (a name, a title) that no reader of Markdown takes for HTML."""
    return text.replace("<", "\\<")


def clean_markdown(text: str) -> str:
    """A Markdown text without the raw HTML that the HTML edition would not print; code untouched."""
    # Removing a tag can join the text around it into a new one ("<scr<img>ipt>"): repeat until none is left.
    while (cleaned := _clean_html(text)) != text:
        text = cleaned
    return text


def _clean_html(text: str) -> str:
    out: list[str] = []
    done = 0
    while True:
        tag, code = _RAW_HTML.search(text, done), _CODE.search(text, done)
        if tag is None:
            break
        if code is not None and code.start() <= tag.start():
            # As in CommonMark, whichever begins first wins: a tag inside a code span is text.
            out.append(text[done : code.end()])
            done = code.end()
            continue
        out.append(text[done : tag.start()])
        done = tag.end()
        name = (tag.group("name") or "").lower()
        if name in _CONTENT_TAGS:
            closing = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, done)
            done = closing.end() if closing else len(text)
        elif name in ALLOWED_TAGS:
            # nh3 closes the tag it is given; the closing tag written in the text stays where it is.
            cleaned = nh3.clean(tag.group(0), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)
            out.append(cleaned.removesuffix(f"</{name}>"))
        elif (tag.group("closing") or "").lower() in ALLOWED_TAGS:
            out.append(f"</{tag.group('closing').lower()}>")
    out.append(text[done:])
    return _UNSAFE_LINK.sub(r"\g<lead>#", "".join(out))


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
    out.append(_plain(f"# {cover.cooperation}: {cover.title}"))
    out.append(_plain(f"*{cover.decided}*"))
    out.append(_plain(cover.members_label))
    if cover.officer_name or cover.officer_email:
        lines = [f"**{_plain(cover.officer_heading)}:**"]
        if cover.officer_name:
            lines.append(_plain(cover.officer_name))
        if cover.officer_email:
            lines.append(f"[{cover.officer_email}](mailto:{cover.officer_email})")
        out.append("  \n".join(lines))

    seen: dict[str, int] = {}
    github_slug(f"{cover.cooperation}: {cover.title}", seen)
    github_slug(doc.toc_title, seen)
    slugs = {s.anchor: github_slug(s.heading, seen) for s in doc.walk()}
    out.append(f"## {_plain(doc.toc_title)}")
    toc = []
    for section in doc.toc:
        indent = "  " * (section.level - 1)
        toc.append(f"{indent}- [{_plain(section.heading)}](#{slugs[section.anchor]})")
    out.append("\n".join(toc))
    for section in doc.sections:
        _section(section, out)
    return "\n\n".join(part.rstrip() for part in out if part.strip()) + "\n"


def _section(section: Section, out: list[str]) -> None:
    out.append(f"{'#' * (section.level + 1)} {_plain(section.heading)}")
    for block in section.blocks:
        out.append(_block(block))
    for child in section.children:
        _section(child, out)


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        text = _plain(block.text)
        return f"*{text}*" if block.style == "note" else text
    if isinstance(block, RichText):
        return clean_markdown(normalise(block.markdown))
    if isinstance(block, Facts):
        lines = []
        for label, value in block.items:
            if isinstance(value, tuple):
                lines.append(f"**{_plain(label)}:**\n")
                lines.extend(f"- {_plain(item)}" for item in value)
                lines.append("")
            else:
                lines.append(f"**{_plain(label)}:** {_plain(value)}  ")
        return "\n".join(lines)
    if isinstance(block, BulletList):
        return "\n".join(f"- {_plain(item)}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        title, description = _plain(block.chart.title), _plain(block.chart.description)
        return f"*{title}.* {description}\n\n{_table(block.table, caption=False)}"
    if isinstance(block, Notes):
        return "\n".join(f"- {key}) {_plain(text)}" for key, text in block.items)
    raise TypeError(f"unknown block {block!r}")


def _row(row: Row, bold: bool = False) -> str:
    cells = [_cell(c) for c in row.cells]
    if bold:
        cells = [f"**{c}**" if c else c for c in cells]
    return "| " + " | ".join(cells) + " |"


def _table(table: Table, caption: bool = True) -> str:
    title = f"{table.caption} {table.footnote})" if table.footnote else table.caption
    lines = [f"**{_plain(title)}**", ""] if caption else []
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
