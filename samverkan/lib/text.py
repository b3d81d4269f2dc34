"""Text as a reader sees it."""

from __future__ import annotations

import unicodedata

# Spaces and line breaks (Z*), control characters (Cc) and format characters (Cf: zero-width
# space and joiners, direction marks and overrides, the byte-order mark): none of them shows.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def is_blank(text: str | None) -> bool:
    """Whether `text` shows nothing: empty, or only spaces, zero-width characters and marks.

    `str.strip()` keeps a zero-width space or a right-to-left mark, so a name typed
    (or pasted) as only those would pass for given while the report prints nothing.
    """
    return all(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in text or "")
