"""Splitting one SIE line into fields.

A record line is a label (``#TRANS``) followed by fields separated by runs of spaces or
tabs. A field is either a bare token, a quoted string (``"a b"``, with ``\\"`` for a quote;
any other backslash is literal) or an object list ``{dim obj dim obj …}`` whose elements
follow the same rules. Outside quotes, ``{`` and ``}`` are always structural.

The tokenizer is on the hot path of a million-row file, so it avoids per-token objects:
lines without quotes (most of a real file) go through ``str.split``; only lines with
quotes use the regular expression.
"""

from __future__ import annotations

import re
from typing import cast

Field = str | tuple[str, ...]
"""A plain field (already unquoted and unescaped) or the elements of an object list."""

UNTERMINATED_QUOTE = 1
"""Flag: a quoted field ran to the end of the line; it was closed there."""
UNTERMINATED_LIST = 2
"""Flag: an object list had no ``}``; it was closed at the end of the line."""
STRAY_BRACE = 4
"""Flag: a ``}`` outside an object list, or a ``{`` inside one, was ignored."""

# One token: separators, then a quoted string (closing quote optional: fixed-width exports
# cut texts mid-field), a brace, or a bare token (a quote inside a bare token is literal).
_TOKEN_RE = re.compile(r'\s*(?:"((?:\\"|[^"])*)("?)|([{}])|([^\s"{}][^\s{}]*))')


def tokenize(line: str) -> tuple[list[Field], int]:
    """Split ``line`` (without its line end) into fields; return them and a flag set.

    ``fields[0]`` is the label when the line is a record. Never raises.
    """
    if '"' not in line:
        if "{" not in line and "}" not in line:
            return cast(list[Field], line.split()), 0
        return _group_unquoted(line.replace("{", " { ").replace("}", " } ").split())
    return _tokenize_quoted(line)


def _group_unquoted(tokens: list[str]) -> tuple[list[Field], int]:
    fields: list[Field] = []
    flags = 0
    current: list[str] | None = None
    for token in tokens:
        if token == "{":
            if current is None:
                current = []
            else:
                flags |= STRAY_BRACE
        elif token == "}":
            if current is None:
                flags |= STRAY_BRACE
            else:
                fields.append(tuple(current))
                current = None
        elif current is None:
            fields.append(token)
        else:
            current.append(token)
    if current is not None:
        fields.append(tuple(current))
        flags |= UNTERMINATED_LIST
    return fields, flags


def _tokenize_quoted(line: str) -> tuple[list[Field], int]:
    fields: list[Field] = []
    flags = 0
    current: list[str] | None = None
    value: str
    for quoted, closing, brace, bare in _TOKEN_RE.findall(line):
        if bare:
            value = bare
        elif brace:
            if brace == "{":
                if current is None:
                    current = []
                else:
                    flags |= STRAY_BRACE
            elif current is None:
                flags |= STRAY_BRACE
            else:
                fields.append(tuple(current))
                current = None
            continue
        else:
            value = quoted.replace('\\"', '"') if "\\" in quoted else quoted
            if not closing:
                flags |= UNTERMINATED_QUOTE
        if current is None:
            fields.append(value)
        else:
            current.append(value)
    if current is not None:
        fields.append(tuple(current))
        flags |= UNTERMINATED_LIST
    return fields, flags


_OBJECT_LIST_RE = re.compile(r"\{([^}]*)\}")


def checksum_text(fields: list[Field]) -> str:
    """The text a record contributes to ``#KSUMMA``: label and field contents, without
    separators, quotes or braces (each object-list element counts as a field)."""
    parts: list[str] = []
    for f in fields:
        if isinstance(f, str):
            parts.append(f)
        else:
            parts.extend(f)
    return "".join(parts)


def checksum_text_raw_lists(fields: list[Field], line: str) -> str:
    """Alternative ``#KSUMMA`` text where an object list contributes its inner text exactly
    as written (quotes and spaces kept). The spec's wording leaves object lists open and no
    checksummed sample has a non-empty one, so the reader tries this reading as well."""
    raw_lists = iter(_OBJECT_LIST_RE.findall(line))
    parts: list[str] = []
    for f in fields:
        if isinstance(f, str):
            parts.append(f)
        else:
            parts.append(next(raw_lists, "".join(f)).strip())
    return "".join(parts)
