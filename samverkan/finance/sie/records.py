"""Typed, immutable records produced by the SIE reader and consumed by the writer.

Every record is a frozen, slotted, keyword-only dataclass. Money and quantities are
``Decimal``; account numbers, dimension numbers and object ids are kept as strings because
real files carry leading zeros (``0351``), letters (``DIFF``) and signs (``+00000``).

``line`` fields say where a record came from; they are excluded from equality so that a
record read back from a written file equals the record that was written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Severity = Literal["error", "warning", "info"]
Figure = str | int | Decimal | datetime.date | None
"""One figure of a finding: an account, a count, a line, an amount, a date."""
AccountType = Literal["T", "S", "K", "I"]
BalanceKind = Literal["IB", "UB", "RES", "OIB", "OUB", "PSALDO", "PBUDGET"]
TransactionKind = Literal["TRANS", "RTRANS", "BTRANS"]
ObjectList = tuple[tuple[str, str], ...]

_EMPTY_ID = '""'


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One finding about the input: what is wrong (or notable) and on which line.

    ``code`` is a stable snake_case identifier that callers may switch on (docs/sie.md lists
    every one); ``message`` is a human-readable English sentence. ``line`` is 1-based, or
    ``None`` for findings about the file as a whole. ``figures`` holds what the message
    states as data (the account, the count, the first line, the amounts), keyed by name, so
    that a caller need not parse the message.

    Severities: ``error`` means the file's meaning is lost or wrong there and an import must
    refuse it; ``warning`` means the file was read, leniently, and a person should look;
    ``info`` is a note that never needs action.
    """

    severity: Severity
    line: int | None
    code: str
    message: str
    figures: dict[str, Figure] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FiscalYear:
    """A ``#RAR`` record: year ``index`` 0 is the current year, -1 the one before, …"""

    index: int
    start: datetime.date | None
    end: datetime.date | None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Header:
    """Identification records of a SIE file (``#FLAGGA`` … ``#VALUTA``).

    Empty strings and ``None`` mean "not present in the file". ``currency`` is empty when
    ``#VALUTA`` is absent (the spec then implies SEK, see :attr:`effective_currency`).
    """

    flag: int | None = None
    program: str = ""
    program_version: str = ""
    format: str = ""
    generated_on: datetime.date | None = None
    generated_by: str = ""
    sie_type: int | None = None
    prosa: str = ""
    company_type: str = ""
    company_id: str = ""
    org_number: str = ""
    company_name: str = ""
    address: tuple[str, ...] = ()
    sni_code: str = ""
    fiscal_years: tuple[FiscalYear, ...] = ()
    tax_year: int | None = None
    omfattn: datetime.date | None = None
    kptyp: str = ""
    currency: str = ""

    @property
    def effective_currency(self) -> str:
        """The ISO 4217 code in force: ``#VALUTA`` if given, else SEK (spec default)."""
        return self.currency or "SEK"

    def fiscal_year(self, index: int) -> FiscalYear | None:
        """Return the ``#RAR`` with the given year index, if the file declares one."""
        for year in self.fiscal_years:
            if year.index == index:
                return year
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """A ``#KONTO`` with what ``#KTYP``, ``#ENHET`` and ``#SRU`` add to it.

    ``type`` is T (asset), S (liability/equity), K (cost) or I (income), or ``None`` when the
    file has no ``#KTYP`` for the account.
    """

    number: str
    name: str = ""
    type: AccountType | None = None
    unit: str = ""
    sru: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dimension:
    """A ``#DIM`` (``parent`` is ``None``) or ``#UNDERDIM`` (``parent`` is the super-dimension)."""

    number: str
    name: str = ""
    parent: str | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Object:
    """A ``#OBJEKT``: object ``id`` in ``dimension`` (e.g. cost centre ``"0001"`` in dim ``"1"``)."""

    dimension: str
    id: str
    name: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Balance:
    """A balance record: ``#IB #UB #RES #OIB #OUB #PSALDO #PBUDGET``.

    Debit is positive, credit negative. ``period`` (``YYYYMM``) is set only for PSALDO and
    PBUDGET; ``objects`` only for OIB, OUB and the per-object PSALDO/PBUDGET rows.
    """

    kind: BalanceKind
    year_index: int
    account: str
    amount: Decimal
    objects: ObjectList = ()
    period: str | None = None
    quantity: Decimal | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction:
    """One row of a voucher (``#TRANS``, or ``#RTRANS``/``#BTRANS`` history).

    ``date`` is ``None`` when the row gives none; the voucher date then applies.
    """

    account: str
    amount: Decimal
    objects: ObjectList = ()
    date: datetime.date | None = None
    text: str = ""
    quantity: Decimal | None = None
    sign: str = ""
    kind: TransactionKind = "TRANS"
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Voucher:
    """A ``#VER`` block.

    ``transactions`` is the current content of the voucher: the ``#TRANS`` rows (an
    ``#RTRANS`` whose ``#TRANS`` twin is missing also lands here, since it is an added
    row). ``history`` holds the ``#RTRANS`` (added later) and ``#BTRANS`` (removed later)
    rows in file order; they never count towards sums. ``index_in_file`` is the 0-based
    position among the file's vouchers: ``(series, number)`` is not unique in real files.
    """

    series: str
    number: str
    date: datetime.date | None
    text: str = ""
    reg_date: datetime.date | None = None
    sign: str = ""
    transactions: tuple[Transaction, ...] = ()
    history: tuple[Transaction, ...] = ()
    line: int | None = field(default=None, compare=False)
    index_in_file: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """Series and number as people write them, e.g. ``A 12`` (``"" ""`` for empty ids)."""
        return f"{self.series or _EMPTY_ID} {self.number or _EMPTY_ID}"

    @property
    def total(self) -> Decimal:
        """Sum of the current rows; zero for a balanced voucher."""
        return sum((t.amount for t in self.transactions), Decimal(0))


KsummaState = Literal["absent", "verified", "mismatch", "truncated", "not_checked"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """Facts about the whole read, emitted last by the streaming reader."""

    encoding: str
    line_count: int
    voucher_count: int
    transaction_count: int
    ksumma: KsummaState


@dataclass(frozen=True, slots=True, kw_only=True)
class SieFile:
    """A whole SIE file held in memory, as :func:`read_sie` returns it."""

    header: Header
    accounts: tuple[Account, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    objects: tuple[Object, ...] = ()
    balances: tuple[Balance, ...] = ()
    vouchers: tuple[Voucher, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    summary: Summary | None = field(default=None, compare=False)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def ok(self) -> bool:
        """True when reading produced no error."""
        return not any(d.severity == "error" for d in self.diagnostics)

    def account(self, number: str) -> Account | None:
        """Return the declared account with this number, if any."""
        for account in self.accounts:
            if account.number == number:
                return account
        return None


Entry = Header | Account | Dimension | Object | Balance | Voucher | Diagnostic | Summary
"""What :func:`iter_sie` yields. A later ``Header`` or ``Account`` with the same number
replaces an earlier one (late records in files that break the group order)."""
