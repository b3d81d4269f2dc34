"""Regular expressions and fast constructors for the reader's hot path.

Kept apart from :mod:`.reader` so that the state machine there reads as rules; what is here
only makes the common case fast and must give the same results as the general tokenizer
(tests read every sample both ways).
"""

from __future__ import annotations

import codecs
import encodings.cp437
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from .records import ObjectList, Transaction, Voucher
from .tokenizer import Field

AMOUNT_RE = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
INT_RE = re.compile(r"[-+]?\d+")
# An ordinary #TRANS row: bare account, object list (elements bare or quoted, no braces or
# backslashes), a valid amount, then optionally a date (bare, quoted or ""), a text, and the
# rest (quantity, sign, extra fields) for the general tokenizer. In the text a backslash
# before a quote escapes it and any other backslash is literal, as in the tokenizer.
_TEXT_FIELD = r'(?:"((?:[^"\\]++|\\(?!")|\\")*+)"|([^\s"{}\\]++))'
TRANS_RE = re.compile(
    r'#TRANS[ \t]+([^\s"{}]+)[ \t]*\{((?:[^{}"\\]++|"[^"\\]*+")*+)\}[ \t]*'
    r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))"
    r'(?:[ \t]+(?:(\d{8})|"(\d{8})"|"")'
    rf"(?:[ \t]+{_TEXT_FIELD}"
    r"(?:[ \t]+(.*))?)?)?[ \t]*$"
)
# The commonest row shape of all, read by the reader's main loop itself, on a stripped line:
# single spaces, a bare account, an object list of simple elements (bare, or quoted without
# spaces, so that removing the quotes and splitting gives the elements), an amount, a date
# and a quoted text. The text is taken up to the line's last quote; :func:`quoted_field`
# turns it down when the tokenizer would read it otherwise. An expression this plain runs
# about twice as fast as one that also spells out the text's escapes and other separators;
# lines it does not match go to TRANS_RE and then to the tokenizer.
_SIMPLE_ELEMENT = r'(?:"[^"\s{}\\]+"|[^"\s{}\\]+)'
COMMON_TRANS_RE = re.compile(
    rf'#TRANS ([^\s"{{}}]+) \{{({_SIMPLE_ELEMENT}(?: {_SIMPLE_ELEMENT})*+)?\}} '
    r'(-?[0-9]++(?:\.[0-9]++)?) ([0-9]{8}) "(.*)"$'
)
# The commonest #VER, likewise: series and number (bare or quoted), a date, a quoted text
# and optionally a registration date.
_VOUCHER_ID = r'([^\s"{}\\]+|"[^"\\]*")'
COMMON_VER_RE = re.compile(
    rf'#VER {_VOUCHER_ID} {_VOUCHER_ID} ([0-9]{{8}}) "(.*)"(?: ([0-9]{{8}}))?$'
)
# An ordinary #VER: series and number (bare or quoted), a bare date, optionally a text and
# the rest (registration date, sign) for the general tokenizer.
VER_RE = re.compile(
    r'#VER[ \t]+(?:"([^"\\]*)"|([^\s"{}\\]+))[ \t]+(?:"([^"\\]*)"|([^\s"{}\\]+))'
    r"[ \t]+(\d{8})"
    rf"(?:[ \t]+{_TEXT_FIELD}"
    r"(?:[ \t]+(.*))?)?[ \t]*$"
)
# One element of an object list that TRANS_RE matched, as the tokenizer reads it: a quoted
# one, or a bare one (a quote after its first character is part of it).
ELEMENT_RE = re.compile(r'"([^"]*)"|([^\s"]\S*)')


def cp437_bytes(text: str) -> bytes:
    """CP437 bytes of ``text`` for the checksum (unencodable characters become ``?``)."""
    if text.isascii():
        return text.encode("ascii")
    # str.encode("cp437") goes through a Python-level codec wrapper; the C function it
    # ends in is called directly here because this runs for every checksummed record.
    return _charmap_encode(text, "replace", _CP437_MAP)[0]


_charmap_encode = codecs.charmap_encode
_CP437_MAP = codecs.charmap_build(encodings.cp437.decoding_table)


# Field setters of the slotted, frozen records. The generated ``__init__`` of a frozen
# dataclass sets each field through ``object.__setattr__`` by name, which costs about three
# times as much as calling the slot descriptors directly; for a million rows that is
# seconds. The hot path of the reader builds Transactions with these; the results are
# ordinary immutable records.
_T_SLOTS = Transaction.__dict__
set_account = _T_SLOTS["account"].__set__
set_amount = _T_SLOTS["amount"].__set__
set_objects = _T_SLOTS["objects"].__set__
set_date = _T_SLOTS["date"].__set__
set_text = _T_SLOTS["text"].__set__
set_quantity = _T_SLOTS["quantity"].__set__
set_sign = _T_SLOTS["sign"].__set__
set_kind = _T_SLOTS["kind"].__set__
set_line = _T_SLOTS["line"].__set__
new_object = object.__new__


_VOUCHER_SETTERS = tuple(
    Voucher.__dict__[name].__set__
    for name in (
        "series",
        "number",
        "date",
        "text",
        "reg_date",
        "sign",
        "transactions",
        "history",
        "line",
        "index_in_file",
    )
)


def new_voucher(values: tuple[Any, ...]) -> Voucher:
    """Build a Voucher from its field values in declaration order, without the generated
    ``__init__`` (see the setters above for why)."""
    v = new_object(Voucher)
    s = _VOUCHER_SETTERS
    s[0](v, values[0])
    s[1](v, values[1])
    s[2](v, values[2])
    s[3](v, values[3])
    s[4](v, values[4])
    s[5](v, values[5])
    s[6](v, values[6])
    s[7](v, values[7])
    s[8](v, values[8])
    s[9](v, values[9])
    return v


def quoted_field(content: str) -> str | None:
    """The content of a quoted field that an expression took up to the line's last quote,
    unescaped as the tokenizer does; None when the tokenizer would read the line otherwise
    (a quote inside that no backslash escapes, or a last quote that one does)."""
    if "\\" not in content:
        return None if '"' in content else content
    if content.endswith("\\") or content.count('"') != content.count('\\"'):
        return None
    return content.replace('\\"', '"')


def pairs(e: Sequence[str], n: int) -> ObjectList:
    """Pair up the elements of an object list (``n`` is even); short lists, by far the
    most common, without building slices."""
    if n == 0:
        return ()
    if n == 2:
        return ((e[0], e[1]),)
    if n == 4:
        return ((e[0], e[1]), (e[2], e[3]))
    return tuple(zip(e[::2], e[1::2], strict=True))


def field_text(fields: list[Field], i: int) -> str:
    if i >= len(fields):
        return ""
    value = fields[i]
    if isinstance(value, str):
        return value
    # An unquoted text that happened to contain braces: give it back as written.
    return "{" + " ".join(value) + "}"


def parse_yyyymmdd(value: str) -> date | None:
    if len(value) != 8 or not value.isdigit() or not value.isascii():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None
