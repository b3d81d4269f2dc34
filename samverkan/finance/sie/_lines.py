"""Decoding the byte stream of a SIE file into lines, and the per-line encoding findings.

Which codec to use and whether lines need looking at comes from :mod:`.encoding`;
:func:`decoded_lines` applies it to the whole stream and :func:`check_characters` reports,
line by line, Latin-1 letters in a CP437 file and U+FFFD replacement characters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from ._state import ReadState
from .encoding import LATIN1_MISREAD_AS_CP437

_CHUNK = 1 << 20
_LATIN1_RE = re.compile(f"[{LATIN1_MISREAD_AS_CP437}]")


def check_characters(state: ReadState, line: str, lineno: int) -> None:
    """Per-line encoding findings, for files where detection said to look."""
    if state.detected.check_latin1 and _LATIN1_RE.search(line):
        latin1_line(state, lineno, line)
    if state.detected.check_replacement and "\ufffd" in line:
        state.lossy_lines += 1
        if state.lossy_first is None:
            state.lossy_first = lineno


def decoded_lines(stream: BinaryIO, codec: str) -> Iterator[list[str]]:
    """Decode the stream in large chunks and yield them as lists of lines.

    Decoding a megabyte at a time instead of line by line saves a codec call per line;
    ASCII chunks (most of a large file) use the fast ASCII codec, which gives the same
    characters as CP437 for them. Line ends: LF, with or without a CR before it.
    """
    decoder = codecs.getincrementaldecoder(codec)("replace")
    stateless = codec != "utf-8"
    pending = ""
    while chunk := stream.read(_CHUNK):
        if stateless and chunk.isascii():
            text = pending + chunk.decode("ascii")
        else:
            text = pending + decoder.decode(chunk)
        lines = text.split("\n")
        pending = lines.pop()
        yield lines
    pending += decoder.decode(b"", final=True)
    if pending:
        yield [pending]


def latin1_line(state: ReadState, lineno: int, line: str) -> None:
    found = "".join(sorted(set(_LATIN1_RE.findall(line))))
    state.diag(
        "warning",
        lineno,
        "encoding_latin1",
        f"Line {lineno} holds Latin-1 byte(s) for Swedish letters in a CP437 file; they "
        f"were read as CP437 {found!r} and are probably meant as Å/Ä/Ö/å/ä/ö.",
    )
