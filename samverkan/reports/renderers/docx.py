"""The report as a Word document (python-docx): real headings, tables, lists and a TOC field.

Chapters are "Heading 1", sections "Heading 2" and so on, so Word's
navigation pane and the TOC field (updated when the file is opened) work.
Tables are Word tables whose first row is a repeating header row; numbers
are right-aligned. Nested points of the year file's texts become "List
Bullet", "List Bullet 2" and "List Bullet 3" paragraphs. Charts are given as
their data tables: Word has no place for inline SVG that every reader opens.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from samverkan.reports.document import (
    Block,
    BulletList,
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
from samverkan.reports.richtext import to_blocks

BRAND = RGBColor(0x1F, 0x4E, 0x79)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)  # A4
TEXT_WIDTH_CM = 17.0
LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}
BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
NUMBER_STYLES = ("List Number", "List Number 2", "List Number 3")


class DocxRenderer:
    identifier = "docx"
    background = True
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extension = "docx"

    def render(self, report: AnnualReport) -> bytes:
        return render_docx(build_document(report))


def render_docx(doc: Document) -> bytes:
    word = docx.Document()
    _setup(word, doc)
    _cover(word, doc)
    _toc(word, doc)
    for section in doc.sections:
        _section(word, section)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- document set-up ------------------------------------------------------------------------


def _setup(word: WordDocument, doc: Document) -> None:
    props = word.core_properties
    props.title = doc.title
    props.subject = doc.description
    props.author = doc.cover.cooperation
    props.language = LANGUAGE_TAGS.get(doc.lang, doc.lang)
    props.keywords = doc.cover.title
    # From the data, not python-docx's template (created 2013, "python-docx"): the decision
    # date for a decided year, else the moment the file is made.
    when = (
        dt.datetime.combine(doc.date, dt.time(12, 0), tzinfo=dt.UTC)
        if doc.date
        else dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    props.created = props.modified = when
    props.last_modified_by = doc.cover.officer_name or doc.cover.cooperation
    props.comments = doc.description
    props.category = doc.cover.title
    props.revision = 1
    normal = word.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(10.5)
    _set_language(word, LANGUAGE_TAGS.get(doc.lang, doc.lang))
    for level in range(1, 5):
        word.styles[f"Heading {level}"].font.color.rgb = BRAND
    # Word refreshes the TOC field (and page numbers) when the document is opened.
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
    header = section.header.paragraphs[0]
    header.text = doc.cover.cooperation
    header.style = word.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.text = f"{doc.cover.title}\t\t{doc.labels.get('page', '')} "
    _field(footer, "PAGE", "1")
    section.different_first_page_header_footer = True


def _set_language(word: WordDocument, tag: str) -> None:
    """The default language of the text (spelling, hyphenation, screen readers)."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _field(paragraph: WordParagraph, instruction: str, placeholder: str) -> None:
    """A complex field (PAGE, TOC, ...) with text shown until Word updates it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


# --- cover and contents ---------------------------------------------------------------------


def _cover(word: WordDocument, doc: Document) -> None:
    cover = doc.cover
    for line in cover.banner:
        p = word.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(line)
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = BRAND
    word.add_paragraph()
    word.add_paragraph(cover.cooperation, style="Subtitle")
    word.add_paragraph(cover.title, style="Title")
    word.add_paragraph(cover.members_label)
    decided = word.add_paragraph()
    decided.add_run(cover.decided).italic = True
    if cover.officer_name or cover.officer_email:
        word.add_paragraph()
        heading = word.add_paragraph()
        heading.add_run(cover.officer_heading).bold = True
        p = word.add_paragraph(cover.officer_name)
        if cover.officer_email:
            p.add_run().add_break()
            p.add_run(cover.officer_email)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_LEVELS = 3  # the headings the field gathers: Heading 1 to 3


def _toc(word: WordDocument, doc: Document) -> None:
    """One TOC field over Heading 1-3, with hyperlinked entries and page numbers filled in by Word.

    The field is marked dirty and the settings ask Word to update fields on
    opening, so Word writes the entries with their page numbers. Until a
    program updates it, the field's result (the text between its separator
    and its end, as Word itself stores a table of contents) lists the
    headings, so the contents are never empty in a viewer that shows fields
    as they were saved.
    """
    word.add_paragraph(doc.toc_title, style="TOC Heading")
    entries = [section for section in doc.walk() if section.level <= TOC_LEVELS]
    paragraphs = []
    for index, section in enumerate(entries or [None]):
        p = word.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        if index == 0:
            _field_char(p, "begin", dirty=True)
            instruction = p.add_run()._r
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {TOC_INSTRUCTION} "
            instruction.append(text)
            _field_char(p, "separate")
        if section is not None:
            p.paragraph_format.left_indent = Pt(14 * (section.level - 1))
            p.add_run(section.heading)
        paragraphs.append(p)
    _field_char(paragraphs[-1], "end")
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field_char(paragraph: WordParagraph, kind: str, *, dirty: bool = False) -> None:
    """A run holding a field character: "begin", "separate" or "end" of a complex field."""
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(char)


# --- sections and blocks --------------------------------------------------------------------


def _section(word: WordDocument, section: Section) -> None:
    word.add_heading(section.heading, level=min(section.level, 9))
    for block in section.blocks:
        _block(word, block, section.level)
    for child in section.children:
        _section(word, child)


def _block(word: WordDocument, block: Block, level: int) -> None:
    if isinstance(block, Paragraph):
        p = word.add_paragraph()
        run = p.add_run(block.text)
        run.bold = block.style == "lead"
        run.italic = block.style == "note"
    elif isinstance(block, RichText):
        _rich_text(word, block.markdown, level)
    elif isinstance(block, Facts):
        for label, value in block.items:
            p = word.add_paragraph()
            p.paragraph_format.space_after = Pt(2)
            p.add_run(f"{label}: ").bold = True
            if isinstance(value, tuple):
                for item in value:
                    word.add_paragraph(item, style=BULLET_STYLES[0])
            else:
                p.add_run(value)
    elif isinstance(block, BulletList):
        for item in block.items:
            word.add_paragraph(item, style=BULLET_STYLES[0])
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, Figure):
        p = word.add_paragraph(style="Caption")
        p.add_run(f"{block.chart.title}. ").bold = True
        p.add_run(block.chart.description)
        _table(word, block.table, caption=False)
    elif isinstance(block, Notes):
        for key, text in block.items:
            p = word.add_paragraph()
            p.add_run(f"{key}) ").bold = True
            p.add_run(text)
    else:
        raise TypeError(f"unknown block {block!r}")


def _rich_text(word: WordDocument, markdown: str, level: int) -> None:
    for item in to_blocks(markdown):
        if item.heading:
            p = word.add_heading(level=min(9, level + 1 + item.heading))
        elif item.list_level:
            styles = NUMBER_STYLES if item.ordered else BULLET_STYLES
            p = word.add_paragraph(style=styles[min(item.list_level, len(styles)) - 1])
        else:
            p = word.add_paragraph(style="Quote" if item.quote else None)
        for run in item.runs:
            if run.text == "\n":
                p.add_run().add_break()
                continue
            r = p.add_run(run.text)
            r.bold = run.bold or None
            r.italic = run.italic or None
            r.font.superscript = run.superscript or None


def _repeat_header(row: object) -> None:
    tr = row._tr  # type: ignore[attr-defined]
    trpr = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _fill_row(
    table: WordTable, row: Row, numeric: list[bool], bold: bool = False, indent: bool = False
) -> None:
    cells = table.add_row().cells
    for index, (cell, source) in enumerate(zip(cells, row.cells, strict=False)):
        p = cell.paragraphs[0]
        run = p.add_run(source.text)
        run.bold = bold or None
        if source.footnote:
            note = p.add_run(f" {source.footnote})")
            note.font.superscript = True
        if numeric[index]:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if index == 0 and indent:
            p.paragraph_format.left_indent = Pt(10)


def _table(word: WordDocument, block: Table, caption: bool = True) -> None:
    if caption:
        p = word.add_paragraph(style="Caption")
        p.add_run(block.caption).bold = True
        if block.footnote:
            p.add_run(f" {block.footnote})").font.superscript = True
        p.paragraph_format.keep_with_next = True
    numeric = [c.numeric for c in block.columns]
    table = word.add_table(rows=1, cols=len(block.columns))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = table.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, block.columns, strict=True):
        p = cell.paragraphs[0]
        p.add_run(column.title).bold = True
        if column.numeric:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _shade(cell, "E9EFF6")
    for body in block.bodies:
        if body.title:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            run = merged.paragraphs[0].add_run(body.title)
            run.italic = True
            run.bold = True
            if body.footnote:
                merged.paragraphs[0].add_run(f"{body.footnote})").font.superscript = True
        for row in body.rows:
            _fill_row(table, row, numeric, indent=bool(body.title))
    for row in block.foot:
        _fill_row(table, row, numeric, bold=True)
    _set_widths(table, numeric)
    word.add_paragraph()


def _set_widths(table: WordTable, numeric: list[bool]) -> None:
    """Numbers get narrow columns; the labels and texts share the rest of the line."""
    count = sum(numeric)
    number_width = min(3.0, TEXT_WIDTH_CM * 0.55 / count) if count else 0.0
    text_width = (TEXT_WIDTH_CM - number_width * count) / max(1, len(numeric) - count)
    widths = [Cm(number_width if is_number else text_width) for is_number in numeric]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width  # the table grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _shade(cell: object, colour: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    tcpr.append(shading)
