"""The Document as data for the Typst template: plain JSON, never Typst markup.

The PDF's template (`pdf_layout/report.typ`) reads this data and lays it out.
Every string (titles, table cells, follow-ups) reaches Typst as a JSON string,
which Typst shows as text: a follow-up holding `#import`, `$`, `*` or
unbalanced brackets prints those characters and can never run as code.

Blocks are written generically: each dataclass becomes an object with its
class name under "type" and its fields under their own names, so a new block
type in `document.py` arrives with all its data; the template then needs one
function to show it (and refuses the document until it has one).

Three things are prepared here rather than in the template:
- Markdown (RichText) is parsed by a CommonMark parser (markdown-it-py) into
  a tree of nodes ("p", "h", "ul", "strong", ...) whose leaves are plain strings;
- footnote keys in table cells are resolved to the note's text, so the template
  can print real footnotes at the foot of the page;
- chart values become numbers, for the bars' lengths.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from samverkan.lib.commonmark import normalise
from samverkan.reports.document import (
    Cell,
    Document,
    Notes,
    RichText,
    Row,
    Section,
    Table,
    TableBody,
)

Json = dict[str, Any]

# Link targets a reader may follow from the PDF; anything else prints as its text.
LINK_SCHEMES = ("http://", "https://", "mailto:")
MAX_HEADING_LEVEL = 6

# CommonMark with footnotes ("[^1]" and "[^1]: ..."), as lib.commonmark reads them for HTML.
_PARSER = MarkdownIt("commonmark").use(footnote_plugin)


# --- Markdown ----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _parse(text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(_PARSER.parse(normalise(text)))


def markdown_tree(text: str, level: int) -> list[Json]:
    """The blocks of a Markdown text as nodes, its headings placed below a heading of `level`.

    The text's own headings keep their order but never skip a level: the
    first becomes `level + 1`, and each later one at most one deeper than the
    one before, so the PDF's heading structure stays valid (PDF/UA).
    """
    tree = _parse(text)
    notes = {
        int(note.meta["id"]): _inlines(
            [child for paragraph in note.children for child in paragraph.children], {}
        )
        for block in tree.children
        if block.type == "footnote_block"
        for note in block.children
    }
    state = {"previous": level}
    return _blocks(tree.children, level, state, notes)


TextNotes = dict[int, list[Json | str]]  # a text's footnotes by number (from 0), as inline nodes


def _blocks(
    nodes: list[SyntaxTreeNode], level: int, state: dict[str, int], notes: TextNotes
) -> list[Json]:
    out: list[Json] = []
    for node in nodes:
        converted = _block(node, level, state, notes)
        if converted is not None:
            out.append(converted)
    return out


def _block(
    node: SyntaxTreeNode, level: int, state: dict[str, int], notes: TextNotes
) -> Json | None:
    kind = node.type
    if kind == "footnote_block":
        return None  # each note is printed at the foot of the page of its mark
    if kind == "paragraph":
        # A paragraph of a tight list item is "hidden": its text belongs to the item's line.
        return {"t": "p", "c": _inlines(node.children, notes), "tight": bool(node.hidden)}
    if kind == "heading":
        wanted = level + int(node.tag[1:])
        shown = max(level + 1, min(wanted, state["previous"] + 1, MAX_HEADING_LEVEL))
        state["previous"] = shown
        return {"t": "h", "level": shown, "c": _inlines(node.children, notes)}
    if kind in ("bullet_list", "ordered_list"):
        items = [_blocks(item.children, level, state, notes) for item in node.children]
        start = node.attrs.get("start", 1) if kind == "ordered_list" else 1
        return {"t": "ol" if kind == "ordered_list" else "ul", "start": start, "items": items}
    if kind == "blockquote":
        return {"t": "quote", "c": _blocks(node.children, level, state, notes)}
    if kind in ("code_block", "fence", "html_block"):
        # Raw HTML is shown as the characters typed: the PDF runs no markup from a text.
        return {"t": "pre", "v": node.content.rstrip("\n")}
    if kind == "hr":
        return {"t": "hr"}
    if node.children:
        return {"t": "p", "c": _inlines(node.children, notes), "tight": False}
    return None


def _inlines(nodes: list[SyntaxTreeNode], notes: TextNotes) -> list[Json | str]:
    out: list[Json | str] = []
    for node in nodes:
        kind = node.type
        if kind == "inline":
            out.extend(_inlines(node.children, notes))
        elif kind == "footnote_ref":
            # Numbered within its text, as the HTML edition numbers it.
            number = int(node.meta["id"])
            out.append({"t": "fn", "key": str(number + 1), "c": notes.get(number, [])})
        elif kind == "footnote_anchor":
            pass  # the link from a note back to its mark: the PDF's footnotes need none
        elif kind in ("text", "html_inline"):
            _append_text(out, node.content)
        elif kind == "softbreak":
            _append_text(out, " ")
        elif kind == "hardbreak":
            out.append({"t": "br"})
        elif kind == "code_inline":
            out.append({"t": "code", "v": node.content})
        elif kind == "strong":
            out.append({"t": "strong", "c": _inlines(node.children, notes)})
        elif kind == "em":
            out.append({"t": "em", "c": _inlines(node.children, notes)})
        elif kind == "link":
            href = str(node.attrs.get("href", ""))
            children = _inlines(node.children, notes)
            if href.startswith(LINK_SCHEMES):
                out.append({"t": "link", "href": href, "c": children})
            else:
                out.extend(children)
        elif kind == "image":
            # No picture is fetched; its description stands in its place.
            _append_text(out, "".join(_plain_text(child) for child in node.children))
        else:
            _append_text(out, _plain_text(node))
    return out


def _append_text(out: list[Json | str], text: str) -> None:
    """Neighbouring strings are joined: fewer, longer texts for Typst to set."""
    if out and isinstance(out[-1], str):
        out[-1] += text
    else:
        out.append(text)


def _plain_text(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline", "html_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain_text(child) for child in node.children)


# --- the Document ------------------------------------------------------------------------------


def document_data(doc: Document) -> Json:
    """The whole Document as JSON-ready data for the template."""
    data: Json = {
        "type": "Document",
        **{
            name: _plain(getattr(doc, name))
            for name in _field_names(Document)
            if name != "sections"
        },
    }
    chapters = [_section(section) for section in doc.sections]
    data["sections"] = [chapter for chapter in chapters if chapter is not None]
    return data


@lru_cache(maxsize=64)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def _plain(value: Any) -> Any:
    """Dataclasses as objects with their type; tuples as lists; numbers and dates as text."""
    if isinstance(value, str | int | float | bool | None):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: Json = {"type": type(value).__name__}
        for name in _field_names(type(value)):
            out[name] = _plain(getattr(value, name))
        return out
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return float(value)  # only chart values are Decimal; the printed figures are text
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _section(chapter: Section) -> Json | None:
    """A chapter, with its cells' footnotes resolved against the chapter's notes."""
    notes = {
        key: text
        for section in chapter.walk()
        for block in section.blocks
        if isinstance(block, Notes)
        for key, text in block.items
    }
    return _section_data(chapter, _Footnotes(chapter.anchor, notes))


class _Footnotes:
    """Which of a chapter's notes have been printed as footnotes, and their labels."""

    def __init__(self, chapter: str, notes: dict[str, str]) -> None:
        self.chapter = chapter
        self.notes = notes
        self.used: set[str] = set()

    def mark(self, key: str) -> Json | None:
        """The footnote of a mark (a cell's, a caption's, a group heading's); None for no mark."""
        if not key:
            return None
        mark = {
            "key": key,
            "text": self.notes.get(key, ""),
            "label": f"fn-{self.chapter}-{key}",
            "first": key not in self.used,  # later marks refer to the note printed first
        }
        self.used.add(key)
        return mark

    def cell(self, cell: Cell) -> Json:
        return {"type": "Cell", "text": cell.text, "footnote": self.mark(cell.footnote)}


def _section_data(section: Section, notes: _Footnotes) -> Json | None:
    """The section's data; None for a section whose every block was printed elsewhere (its notes)."""
    converted = [_block_data(block, section.level, notes) for block in section.blocks]
    blocks = [block for block in converted if block is not None]
    children = [
        child for child in (_section_data(c, notes) for c in section.children) if child is not None
    ]
    if section.blocks and not blocks and not children:
        return None
    return {
        "type": "Section",
        "level": section.level,
        "number": section.number,
        "title": section.title,
        "heading": section.heading,
        "anchor": section.anchor,
        "in_toc": section.in_toc,
        "blocks": blocks,
        "children": children,
    }


def _block_data(block: Any, level: int, notes: _Footnotes) -> Json | None:
    if isinstance(block, RichText):
        return {"type": "RichText", "tree": markdown_tree(block.markdown, level)}
    if isinstance(block, Notes):
        # Notes that a table cell refers to are printed as footnotes on that cell's page.
        left = [(key, text) for key, text in block.items if key not in notes.used]
        if not left:
            return None
        return {"type": "Notes", "title": block.title, "items": [list(item) for item in left]}
    return _with_cells(block, notes)


def _with_cells(value: Any, notes: _Footnotes) -> Any:
    """`_plain`, but every table Cell goes through the chapter's footnotes."""
    if isinstance(value, str | int | float | bool | None):
        return value
    if isinstance(value, Cell):
        return notes.cell(value)
    if isinstance(value, Row):  # the bulk of a large report: straight to its cells
        return {"type": "Row", "cells": [notes.cell(cell) for cell in value.cells]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: Json = {"type": type(value).__name__}
        for name in _field_names(type(value)):
            if name == "footnote" and isinstance(value, Table | TableBody):
                # A mark on a caption or a group heading; the table's order: caption, then bodies.
                out[name] = notes.mark(value.footnote)
            else:
                out[name] = _with_cells(getattr(value, name), notes)
        return out
    if isinstance(value, tuple | list):
        return [_with_cells(item, notes) for item in value]
    return _plain(value)
