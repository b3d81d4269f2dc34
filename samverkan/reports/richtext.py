"""The year file's Markdown texts: as safe HTML, and as paragraphs and list items for Word.

Texts nest list points by two spaces (docs/yearfile.md); `lib.commonmark`
writes them the way CommonMark reads them before converting. Headings
inside a text are moved below the heading of the place the text is printed,
so the document outline stays in order. The HTML is cleaned with nh3: a text
can hold formatting and links, never scripts or styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import nh3

from samverkan.lib import commonmark

_HEADING = re.compile(r"<(/?)h([1-6])([ >])")
_FOOTNOTE_REF = re.compile(r'<a href="#fn-[^"]*"[^>]*>([^<]*)</a>')
_FOOTNOTE_BACK = re.compile(r'\s*<a href="#fnref-[^"]*"[^>]*>[^<]*</a>')

ALLOWED_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "br",
    "code",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@lru_cache(maxsize=4096)
def to_html(text: str, heading_level: int = 4) -> str:
    """Clean HTML for a Markdown text whose own headings start at `heading_level` (h4 by default).

    Pure, so cached: a server that renders the same year again converts only changed texts.
    """
    html = commonmark.to_html(text)

    def shift(match: re.Match[str]) -> str:
        level = min(6, int(match.group(2)) + heading_level - 1)
        return f"<{match.group(1)}h{level}{match.group(3)}"

    html = _HEADING.sub(shift, html)
    html = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer"
    )
    # A footnote is a superscript mark and a numbered note after the text; its back and forth
    # links would point at ids that several texts of one report share, so they go.
    html = _FOOTNOTE_REF.sub(r"\1", html)
    return _FOOTNOTE_BACK.sub("", html)


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False  # a footnote mark


@dataclass(slots=True)
class TextBlock:
    """A paragraph (list_level 0), a list item (level 1, 2, ...) or a heading (heading > 0)."""

    runs: list[Run] = field(default_factory=list)
    list_level: int = 0
    ordered: bool = False
    heading: int = 0
    quote: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class _BlockParser(HTMLParser):
    """Reads the HTML of a converted text into a flat list of TextBlocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self.lists: list[bool] = []  # ordered? per open list
        self.bold = 0
        self.italic = 0
        self.quote = 0
        self.sup = 0
        self.skip = 0  # inside a footnote's link back to its mark
        self.current: TextBlock | None = None

    def _start_block(self, **kwargs: object) -> None:
        self.current = TextBlock(quote=bool(self.quote), **kwargs)  # type: ignore[arg-type]
        self.blocks.append(self.current)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self.lists.append(tag == "ol")
        elif tag == "li":
            self._start_block(
                list_level=len(self.lists), ordered=self.lists[-1] if self.lists else False
            )
        elif tag == "p":
            # A paragraph inside a list item continues the item (loose lists); outside lists it is a block.
            if not self.lists:
                self._start_block()
        elif re.fullmatch(r"h[1-6]", tag):
            self._start_block(heading=int(tag[1]))
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "sup":
            self.sup += 1
        elif tag == "a" and (dict(attrs).get("href") or "").startswith("#fnref"):
            self.skip += 1
        elif tag == "br" and self.current is not None:
            self.current.runs.append(Run("\n"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.current = None
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag == "sup":
            self.sup = max(0, self.sup - 1)
        elif tag == "a" and self.skip:
            self.skip -= 1
        elif (tag in ("p", "li") or re.fullmatch(r"h[1-6]", tag)) and (
            tag != "p" or not self.lists
        ):
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not data.strip() and (self.current is None or not self.current.runs):
            return
        if self.current is None:
            if not data.strip():
                return
            self._start_block(list_level=len(self.lists))
        assert self.current is not None
        text = data.replace("\n", " ")
        if not self.current.runs:
            text = text.lstrip()
        self.current.runs.append(
            Run(text, bold=self.bold > 0, italic=self.italic > 0, superscript=self.sup > 0)
        )


def to_blocks(text: str) -> list[TextBlock]:
    """Paragraphs, list items (with their nesting level) and headings of a Markdown text, with bold/italic runs."""
    parser = _BlockParser()
    parser.feed(commonmark.to_html(text))
    parser.close()
    for block in parser.blocks:
        # The line break before a nested list ends its item's text as a run of its own.
        while block.runs and not block.runs[-1].text.strip():
            block.runs.pop()
        if block.runs:
            last = block.runs[-1]
            block.runs[-1] = Run(last.text.rstrip(), last.bold, last.italic, last.superscript)
    return [b for b in parser.blocks if b.text.strip()]
