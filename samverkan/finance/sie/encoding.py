"""Choosing how to decode the bytes of a SIE file.

The spec allows only CP437 (``#FORMAT PC8``), but real files arrive as UTF-8 and
Windows-1252 too, and ``#FORMAT`` is not to be trusted. Detection (one pass over the bytes,
in chunks, so it works for large files):

1. a UTF-8 byte-order mark ⇒ UTF-8;
2. a strict UTF-8 decode that succeeds on non-ASCII bytes ⇒ UTF-8;
3. else CP437 – unless the Latin-1 Swedish letters å ä ö Å Ä Ö (0xE5 0xE4 0xF6 0xC5 0xC4
   0xD6) occur and none of their CP437 codes do, in which case the file is Windows-1252.

CP437 files that also hold stray Latin-1 letters (seen in five samples) stay CP437; the
reader then reports each line where the misread letters (``σ Σ ÷ ┼ ─ ╓``) appear.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import BinaryIO

from .options import EncodingChoice
from .records import Diagnostic

_CHUNK = 1 << 20
_LATIN1_LETTERS = (b"\xe5", b"\xe4", b"\xf6", b"\xc5", b"\xc4", b"\xd6")
_CP437_LETTERS = (b"\x84", b"\x86", b"\x94", b"\x8e", b"\x8f", b"\x99")
_UTF8_BOM = codecs.BOM_UTF8

LATIN1_MISREAD_AS_CP437 = "σΣ÷┼─╓"
"""How 0xE5 0xE4 0xF6 0xC5 0xC4 0xD6 (Latin-1 å ä ö Å Ä Ö) look when decoded as CP437."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DetectedEncoding:
    """The codec to decode lines with, and what the reader should watch for per line."""

    codec: str
    diagnostics: tuple[Diagnostic, ...]
    check_latin1: bool = False
    check_replacement: bool = False


def detect_encoding(stream: BinaryIO, choice: EncodingChoice = "auto") -> DetectedEncoding:
    """Scan ``stream`` from its current position to the end and choose a codec.

    The caller must rewind the stream afterwards. Never raises on content.
    """
    has_bom = False
    first = True
    all_ascii = True
    utf8_ok = True
    utf8 = codecs.getincrementaldecoder("utf-8")("strict")
    latin1 = False
    cp437_letters = False
    replacement_bytes = False
    while chunk := stream.read(_CHUNK):
        if first:
            has_bom = chunk.startswith(_UTF8_BOM)
            first = False
        if chunk.isascii():
            continue
        all_ascii = False
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
        latin1 = latin1 or any(letter in chunk for letter in _LATIN1_LETTERS)
        cp437_letters = cp437_letters or any(letter in chunk for letter in _CP437_LETTERS)
        replacement_bytes = replacement_bytes or b"\xef\xbf\xbd" in chunk
    if utf8_ok and not all_ascii:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False

    if choice != "auto":
        return DetectedEncoding(
            codec=choice,
            diagnostics=(
                Diagnostic(
                    severity="info",
                    line=None,
                    code=_code_for(choice),
                    message=f"File read as {_display(choice)}, as the read options require.",
                ),
            ),
            check_replacement=not all_ascii,
        )
    if has_bom:
        return DetectedEncoding(
            codec="utf-8",
            diagnostics=(
                Diagnostic(
                    severity="warning",
                    line=None,
                    code="encoding_utf8",
                    message="File starts with a UTF-8 byte-order mark and was read as UTF-8 "
                    "(the SIE format prescribes CP437).",
                ),
            ),
            check_replacement=True,
        )
    if all_ascii:
        return DetectedEncoding(
            codec="cp437",
            diagnostics=(
                Diagnostic(
                    severity="info",
                    line=None,
                    code="encoding_cp437",
                    message="File holds only ASCII characters; read as CP437.",
                ),
            ),
        )
    if utf8_ok:
        lossy = (
            " Some letters were already lost before export (U+FFFD)." if replacement_bytes else ""
        )
        return DetectedEncoding(
            codec="utf-8",
            diagnostics=(
                Diagnostic(
                    severity="warning",
                    line=None,
                    code="encoding_utf8",
                    message="File is valid UTF-8 with non-ASCII characters and was read as "
                    "UTF-8, although the SIE format (#FORMAT PC8) prescribes CP437." + lossy,
                ),
            ),
            check_replacement=True,
        )
    if latin1 and not cp437_letters:
        return DetectedEncoding(
            codec="cp1252",
            diagnostics=(
                Diagnostic(
                    severity="warning",
                    line=None,
                    code="encoding_cp1252",
                    message="File holds Latin-1 Swedish letters (å ä ö as 0xE5 0xE4 0xF6) and "
                    "no CP437 ones, so it was read as Windows-1252 instead of CP437.",
                ),
            ),
            check_replacement=True,
        )
    return DetectedEncoding(
        codec="cp437",
        diagnostics=(
            Diagnostic(
                severity="info",
                line=None,
                code="encoding_cp437",
                message="File read as CP437, the encoding the SIE format prescribes.",
            ),
        ),
        check_latin1=latin1,
    )


def _code_for(choice: str) -> str:
    return {"cp437": "encoding_cp437", "utf-8": "encoding_utf8"}.get(choice, "encoding_cp1252")


def _display(codec: str) -> str:
    return {"cp437": "CP437", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(codec, codec)


def display_name(codec: str) -> str:
    """Human name of a codec as used in reports (``CP437``, ``UTF-8``, ``Windows-1252``)."""
    return _display(codec)
