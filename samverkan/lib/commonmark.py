"""Markdown texts to HTML: CommonMark, through GitHub's cmark (C, via cmarkgfm).

The year file's texts and the follow-ups typed on the app's pages are
Markdown. A report converts hundreds of them, and cmark does that some fifty
times faster than a pure-Python parser. Raw HTML is passed through here;
every caller cleans the result with nh3 against its own allow-list, so one
place decides what may reach a page.

People (and docs/yearfile.md) nest a point under the one above by two
spaces. CommonMark nests a line only when it is indented to the text of the
point above: two spaces under "- ", but three under "1. " and four under
"10. ". `normalise` moves nested lines to where CommonMark needs them, and
puts a blank line before a list that follows a paragraph line (CommonMark
lets only a bullet list or a list starting at 1 interrupt a paragraph).
"""

from __future__ import annotations

import re

import cmarkgfm
from cmarkgfm.cmark import Options

LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap> +|$)")


def normalise(text: str) -> str:
    """The text with its nesting and its lists written the way CommonMark reads them."""
    result: list[str] = []
    # Open list points: (indent of the marker as written, column of the point's text as written out).
    points: list[tuple[int, int]] = []
    for line in text.replace("\r\n", "\n").strip("\n").split("\n"):
        if not line.strip():
            result.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        while points and indent <= points[-1][0]:
            points.pop()
        if points:
            parent_indent, text_column = points[-1]
            # Two spaces (or more) under a point means "inside it"; keep any indent beyond that.
            indent = text_column + max(0, indent - parent_indent - 2)
        item = LIST_ITEM.match(line)
        if item:
            written = indent
            if (
                not points
                and result
                and result[-1].strip()
                and not LIST_ITEM.match(result[-1])
                and not result[-1].startswith(" ")
            ):
                result.append("")
            points.append(
                (len(item["indent"]), written + len(item["marker"]) + max(1, len(item["gap"])))
            )
        result.append(" " * indent + line.lstrip(" "))
    return "\n".join(result)


def to_html(text: str) -> str:
    """The HTML of a Markdown text, not yet cleaned."""
    # Footnotes ("[^1]" and "[^1]: ..."): a superscript mark and the note after the text.
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    return str(cmarkgfm.markdown_to_html(normalise(text), options=options))
