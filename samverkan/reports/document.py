"""The report laid out as a document: sections, paragraphs, lists, tables and charts.

`outline.build_document` writes an AnnualReport into this form in one
language, with every number already formatted; the renderers only decide how
each kind of block looks in their format. Keeping the layout in one place
means the four formats cannot disagree about content or order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from samverkan.reports.charts import BarChart


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: str = ""  # "" | "lead" | "note"


@dataclass(frozen=True, slots=True)
class RichText:
    """Markdown from the year file (follow-ups, summaries, narrative texts)."""

    markdown: str


@dataclass(frozen=True, slots=True)
class Facts:
    """Labelled values ("Huvudmål: ..."); a value with several items is a list."""

    items: tuple[tuple[str, str | tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    footnote: str = ""  # key of a note in the chapter's Notes block


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]  # the first cell is the row's header


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class TableBody:
    rows: tuple[Row, ...]
    title: str = ""  # a group heading (the project the rows belong to)
    footnote: str = ""  # key of a note on the group heading


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    caption: str
    columns: tuple[Column, ...]
    bodies: tuple[TableBody, ...]
    foot: tuple[Row, ...] = ()  # sum rows
    footnote: str = ""  # key of a note on the caption

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for body in self.bodies for row in body.rows)


@dataclass(frozen=True, slots=True)
class Figure:
    chart: BarChart
    table: Table  # the same data, for readers who cannot see the chart


@dataclass(frozen=True, slots=True)
class Notes:
    title: str
    items: tuple[tuple[str, str], ...]  # (key, text)


Block = Paragraph | RichText | Facts | BulletList | Table | Figure | Notes


@dataclass(frozen=True, slots=True)
class Section:
    level: int  # 1 chapter, 2 section, 3 and 4 below
    title: str
    anchor: str
    number: str = ""  # "1." for chapters, "3.1" for sections; "" when unnumbered
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def in_toc(self) -> bool:
        return self.level == 1 or (self.level == 2 and bool(self.number))

    def walk(self) -> list[Section]:
        """This section and all below it, in document order."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


@dataclass(frozen=True, slots=True)
class CoverPage:
    cooperation: str
    title: str  # "Årsredovisning och bokslut 2020"
    banner: tuple[str, ...]  # the member names in capitals, as lines of the artwork
    members_label: str  # "Medlemskommuner: Botkyrka, Haninge, ..." (the banner's text alternative)
    decided: str  # "Beslutad 14 januari 2021" or the status when not decided
    officer_heading: str
    officer_name: str
    officer_email: str


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    title: str  # for <title> and document properties
    description: str
    cover: CoverPage
    toc_title: str
    sections: tuple[Section, ...]
    footer: str
    labels: dict[str, str] = field(default_factory=dict)  # fixed strings the renderers need
    date: dt.date | None = None  # the decision date (document properties); None for a draft

    def walk(self) -> list[Section]:
        found: list[Section] = []
        for section in self.sections:
            found.extend(section.walk())
        return found

    @property
    def toc(self) -> list[Section]:
        return [s for s in self.walk() if s.in_toc]
