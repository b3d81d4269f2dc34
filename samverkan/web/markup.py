"""Markdown from the follow-up texts, rendered and sanitised for the page."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

from samverkan.lib import commonmark

# No h1/h2: the page owns the top of the heading outline. Images and raw HTML
# are dropped; links keep only http(s) and mailto targets.
ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then cleaned by nh3 so the result is safe to include as is."""
    # Two-space indentation nests lists, as people (and the year files) write them.
    html = commonmark.to_html(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # nh3 has removed every tag, attribute and URL scheme that is not allow-listed.
    return mark_safe(clean)
