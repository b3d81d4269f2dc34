"""Markdown texts to HTML: CommonMark, through GitHub's cmark (C, via cmarkgfm).

The year file's texts and the follow-ups typed on the app's pages are
Markdown. A report converts hundreds of them, and cmark does that some fifty
times faster than a pure-Python parser. CommonMark nests a list point under
the point above when it is indented to that point's text (two spaces after
"- "), as docs/yearfile.md says. Raw HTML is passed through here; every
caller cleans the result with nh3 against its own allow-list, so one place
decides what may reach a page.
"""

from __future__ import annotations

import cmarkgfm
from cmarkgfm.cmark import Options


def to_html(text: str) -> str:
    """The HTML of a Markdown text, not yet cleaned."""
    return str(cmarkgfm.markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE))
