"""Regular expressions and fast constructors for the reader's hot path.

Kept apart from the record handlers so that they read as rules; what is here only makes the
common case fast and must give the same results as the general tokenizer (tests read every
sample and generated files both ways).
"""

from __future__ import annotations

import codecs
import encodings.cp437
import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

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
    # A batch of checksum texts is mostly ASCII with a few Swedish letters. Encoding it as
    # Latin-1 and swapping those bytes for their CP437 ones through a table gives the same
    # bytes at a fraction of the cost of the charmap codec, which is kept for texts with
    # characters beyond Latin-1.
    try:
        return text.encode("latin-1").translate(_LATIN1_TO_CP437)
    except UnicodeEncodeError:
        return _charmap_encode(text, "replace", _CP437_MAP)[0]


_charmap_encode = codecs.charmap_encode
_CP437_MAP = codecs.charmap_build(encodings.cp437.decoding_table)
_LATIN1_TO_CP437 = b"".join(_charmap_encode(chr(b), "replace", _CP437_MAP)[0] for b in range(256))


# The reader builds a Transaction for every row and a Voucher for every voucher. The
# generated __init__ of a frozen dataclass sets each field through object.__setattr__, about
# a microsecond for a row; for a million rows that is seconds. The two classes below have
# the same slots as the records they build, filled by plain assignments; once filled, an
# instance takes the record's class, which Python allows between classes of the same slots.
# The result is an ordinary immutable record, built at a fraction of the cost. Outside the
# hot path the records are built with their keyword constructors.


class TransactionSlots:
    """The slots of a :class:`~.records.Transaction`, writable. The reader's main loop
    makes one with ``object.__new__``, sets every slot in place (no call per row beyond
    that) and then gives it the class Transaction."""

    __slots__ = Transaction.__slots__
    account: str
    amount: Decimal
    objects: ObjectList
    date: date | None
    text: str
    quantity: Decimal | None
    sign: str
    kind: str
    line: int


class _VoucherRecord:
    __slots__ = Voucher.__slots__

    def __init__(
        self,
        series: str,
        number: str,
        date: date | None,
        text: str,
        reg_date: date | None,
        sign: str,
        transactions: tuple[Transaction, ...],
        history: tuple[Transaction, ...],
        line: int,
        index_in_file: int,
    ) -> None:
        self.series = series
        self.number = number
        self.date = date
        self.text = text
        self.reg_date = reg_date
        self.sign = sign
        self.transactions = transactions
        self.history = history
        self.line = line
        self.index_in_file = index_in_file
        self.__class__ = Voucher  # type: ignore[assignment]


if TYPE_CHECKING:

    def voucher_record(
        series: str,
        number: str,
        date: date | None,
        text: str,
        reg_date: date | None,
        sign: str,
        transactions: tuple[Transaction, ...],
        history: tuple[Transaction, ...],
        line: int,
        index_in_file: int,
    ) -> Voucher:
        """A Voucher from its fields in declaration order."""

else:
    voucher_record = _VoucherRecord


def quoted_field(content: str) -> str | None:
    """The content of a quoted field that an expression took up to the line's last quote,
    unescaped as the tokenizer does; None when the tokenizer would read the line otherwise
    (a quote inside that no backslash escapes, or a last quote that one does)."""
    if "\\" not in content:
        return None if '"' in content else content
    if content.endswith("\\") or content.count('"') != content.count('\\"'):
        return None
    return content.replace('\\"', '"')


def simple_object_list(inner: str | None) -> tuple[ObjectList, str] | None:
    """The objects of a list that COMMON_TRANS_RE matched (its inner text, None for
    ``{}``) and the text the list adds to the checksum; None for an odd number of elements,
    which the general path reports."""
    if inner is None:
        return (), ""
    elements = (inner.replace('"', "") if '"' in inner else inner).split()
    if len(elements) & 1:
        return None
    it = iter(elements)
    return tuple(zip(it, it, strict=True)), "".join(elements)


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
