"""Vouchers: #VER, its { } block, the rows #TRANS/#RTRANS/#BTRANS, and the balance rule.

A voucher is held open (:class:`~._state.OpenVoucher`) until its block closes, then checked
(its #TRANS rows must sum to zero) and sent as a :class:`~.records.Voucher`. #RTRANS and
#BTRANS rows go to its history; an #RTRANS without its #TRANS twin counts as a row.

:func:`read_ver` and :func:`read_row` are the handlers of tokenized records. The commonest
row shape is read inline by the reader's main loop (:mod:`.reader`); :func:`read_ver_line`
and :func:`read_row_match` read the other ordinary shapes of #VER and #TRANS lines with the
expressions of :mod:`._fast` instead of the general tokenizer, with the same results. The
expressions are looked up on that module at each use, so that tests can switch them off
there and compare.
"""

from __future__ import annotations

import re
from decimal import Decimal
from operator import attrgetter
from typing import cast

from . import _fast
from ._chart import start_chart_data
from ._fast import AMOUNT_RE, ELEMENT_RE, field_text, parse_yyyymmdd, quoted_field, voucher_record
from ._fields import (
    account_used,
    bad_amount,
    bad_quantity,
    date_field,
    missing,
    object_pairs,
    parse_date,
    tokenizer_flags,
)
from ._state import OpenVoucher, ReadState, vid
from .records import ObjectList, Transaction, TransactionKind
from .tokenizer import Field, checksum_text, tokenize

_ZERO = Decimal(0)
_amount_of = attrgetter("amount")


def _text(quoted: str | None, bare: str | None) -> str:
    """The text field of a fast-path match (its quoted or its bare group) as the general
    tokenizer reads it: a quoted text unescaped, a missing one empty."""
    if quoted is not None:
        return quoted.replace('\\"', '"') if "\\" in quoted else quoted
    return bare or ""


def read_ver(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    """#VER: open a voucher; its rows follow in a { } block."""
    start_chart_data(state, lineno)
    # Series and number may be empty in 4I files; the receiving system assigns them.
    if parse_yyyymmdd(field_text(fields, 2)) and not parse_yyyymmdd(field_text(fields, 3)):
        # "#VER  1 20170101 …": an empty series written as nothing, not as "". The date
        # is the second field, so only one field came before it: read it as the number.
        state.tally("ver_without_series", lineno)
        fields = [fields[0], "", *fields[1:]]
    series, number = field_text(fields, 1), field_text(fields, 2)
    voucher_started(state, series, number, lineno)
    state.voucher = OpenVoucher(
        series=series,
        number=number,
        date=date_field(state, fields, 3, lineno, "#VER", required=True),
        text=field_text(fields, 4),
        reg_date=date_field(state, fields, 5, lineno, "#VER"),
        sign=field_text(fields, 6),
        line=lineno,
    )


def voucher_started(state: ReadState, series: str, number: str, lineno: int) -> None:
    """What the end of the file reports about voucher ids: numbers given in a file that
    turns out to be of type 4I (the receiver numbers them), and series of several
    characters. The fast paths call this only when it can change something: a voucher
    without a number, the first numbered one, or a series of several characters (most
    vouchers are numbered, in a one-letter series, and skip the call).
    """
    if not number:
        state.unnumbered_vouchers += 1
    elif state.first_numbered is None:
        state.first_numbered = lineno
    if len(series) > 1:
        state.tally("long_series", lineno, series=series)


def open_brace(state: ReadState, lineno: int) -> None:
    """A '{' line: opens the block of the voucher just started, if any."""
    voucher = state.voucher
    if voucher is not None and not voucher.in_block:
        voucher.in_block = True
        return
    state.diag(
        "error",
        lineno,
        "unexpected_brace",
        f"Line {lineno}: '{{' that does not follow a #VER; ignored.",
    )


def close_brace(state: ReadState, lineno: int) -> None:
    """A '}' line: closes the open voucher block, if any."""
    voucher = state.voucher
    if voucher is not None and voucher.in_block:
        close_voucher(state)
        return
    state.diag(
        "error",
        lineno,
        "unexpected_brace",
        f"Line {lineno}: '}}' without an open #VER block; ignored.",
    )


def read_ver_line(state: ReadState, line: str, lineno: int) -> bool:
    """Read an ordinary ``#VER`` line with a regular expression instead of the tokenizer;
    False if it needs the tokenizer. Only for a #VER that needs none of the checks of
    :func:`~._dispatch.read_record` (the reader knows when)."""
    common = _fast.COMMON_VER_RE.match(line)
    if common is not None:
        series, number, date_text, text, reg_date = common.groups()
        if "\\" in text or '"' in text:
            text = quoted_field(text)
        if text is not None:
            if series[0] == '"':
                series = series[1:-1]
            if number[0] == '"':
                number = number[1:-1]
            if len(series) > 1 or not number or state.first_numbered is None:
                voucher_started(state, series, number, lineno)
            state.records_seen += 1
            if state.ks_open and state.ks_compute:
                state.ks_parts.append(f"#VER{series}{number}{date_text}{text}{reg_date or ''}")
            dates = state.dates
            state.voucher = OpenVoucher(
                series,
                number,
                dates.get(date_text) or parse_date(state, date_text, lineno, "#VER"),
                text,
                (dates.get(reg_date) or parse_date(state, reg_date, lineno, "#VER"))
                if reg_date
                else None,
                "",
                lineno,
            )
            return True
    m = _fast.VER_RE.match(line)
    if m is None:
        return False
    quoted_series, series, quoted_number, number, date_text, quoted_text, text, rest = m.groups()
    reg_date = sign = ""
    rest_fields: list[Field] = []
    if rest:
        rest_fields, flags = tokenize(rest)
        if flags or any(not isinstance(f, str) for f in rest_fields):
            return False
        reg_date = field_text(rest_fields, 0)
        sign = field_text(rest_fields, 1)
    series = quoted_series if quoted_series is not None else series
    number = quoted_number if quoted_number is not None else number
    text = _text(quoted_text, text)
    if len(series) > 1 or not number or state.first_numbered is None:
        voucher_started(state, series, number, lineno)
    state.records_seen += 1
    if state.ks_open and state.ks_compute:
        content = "#VER" + series + number + date_text + text
        if rest_fields:
            content += "".join(cast(list[str], rest_fields))
        state.ks_parts.append(content)
    dates = state.dates
    state.voucher = OpenVoucher(
        series,
        number,
        dates.get(date_text) or parse_date(state, date_text, lineno, "#VER"),
        text,
        (dates.get(reg_date) or parse_date(state, reg_date, lineno, "#VER")) if reg_date else None,
        sign,
        lineno,
    )
    return True


def read_row_match(state: ReadState, voucher: OpenVoucher, m: re.Match[str], lineno: int) -> None:
    """Read a ``#TRANS`` row that the general row expression (``_fast.TRANS_RE``) matched but
    the reader's inline path did not take: a quantity, sign or extra fields, other quoting, an odd object list,
    or a row right after an ``#RTRANS``."""
    account, inner, amount_text, bare_date, quoted_date, quoted_text, text, rest = m.groups()
    quantity = sign = ""
    rest_fields: list[Field] = []
    if rest:
        rest_fields, flags = tokenize(rest)
        if flags:
            tokenizer_flags(state, flags, lineno)
        quantity = field_text(rest_fields, 0)
        sign = field_text(rest_fields, 1)
    if not inner or inner.isspace():
        elements: tuple[str, ...] = ()
    elif '"' in inner:
        elements = tuple([q or b for q, b in ELEMENT_RE.findall(inner)])
    else:
        elements = tuple(inner.split())
    date_text = bare_date or quoted_date or ""
    text = _text(quoted_text, text)
    state.records_seen += 1
    if state.ks_open and state.ks_compute:
        content = "#TRANS" + account + "".join(elements) + amount_text + date_text + text
        content += checksum_text(rest_fields)
        state.ks_parts.append(content)
        if elements:
            state.ks_lists = True
    add_row(
        state,
        voucher,
        "TRANS",
        account,
        elements,
        Decimal(amount_text),
        date_text,
        text,
        quantity,
        sign,
        lineno,
    )


def read_row(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    """#TRANS, #RTRANS, #BTRANS: a row of the open voucher (:func:`~._dispatch.read_record`
    has closed any voucher a record of another kind ended)."""
    voucher = state.voucher
    if voucher is None:
        state.diag(
            "error",
            lineno,
            "trans_outside_voucher",
            f"Line {lineno}: {label} outside a #VER block; the row was ignored.",
            record=label[:40],
        )
        return
    if not voucher.in_block:
        state.diag(
            "error",
            voucher.line,
            "missing_opening_brace",
            f"Voucher {vid(voucher)} (line {voucher.line}): no '{{' line "
            "before its rows; rows read as if it were there.",
            voucher=vid(voucher),
        )
        voucher.in_block = True
    kind = label[1:]
    n = len(fields)
    account = fields[1] if n > 1 else ""
    objects_field = fields[2] if n > 2 else ()
    i = 3
    if isinstance(objects_field, str):
        if objects_field and AMOUNT_RE.fullmatch(objects_field):
            # Some writers leave out the (empty) object list; read on without it.
            state.diag(
                "warning",
                lineno,
                "missing_object_list",
                f"Line {lineno}: #{kind} has no object list {{…}}; read as empty.",
                record=f"#{kind}",
            )
            i = 2
        elif objects_field:
            state.diag(
                "warning",
                lineno,
                "bad_object_list",
                f"Line {lineno}: #{kind} has {objects_field[:40]!r} where the object "
                "list {…} belongs; read as empty.",
                record=f"#{kind}",
                text=str(objects_field)[:40],
            )
        objects_field = ()
    if not account or not isinstance(account, str):
        voucher.unreadable_rows += 1
        missing(state, f"#{kind}", "account number", lineno)
        return
    amount_text = fields[i] if i < n else ""
    if not isinstance(amount_text, str) or not AMOUNT_RE.fullmatch(amount_text):
        voucher.unreadable_rows += 1
        bad_amount(state, amount_text, lineno, f"#{kind}")
        return
    add_row(
        state,
        voucher,
        kind,
        account,
        objects_field,
        Decimal(amount_text),
        field_text(fields, i + 1),
        field_text(fields, i + 2),
        field_text(fields, i + 3),
        field_text(fields, i + 4),
        lineno,
    )


def add_row(
    state: ReadState,
    voucher: OpenVoucher,
    kind: str,
    account: str,
    elements: tuple[str, ...],
    amount: Decimal,
    date_text: str,
    text: str,
    quantity_text: str,
    sign: str,
    lineno: int,
) -> None:
    """Validate the optional fields of a row and add it to the open voucher."""
    if account not in state.used_accounts:
        account_used(state, account, lineno, f"#{kind}")
    objects: ObjectList
    if not elements:
        objects = ()
    elif len(elements) == 2:
        objects = ((elements[0], elements[1]),)
    else:
        objects = object_pairs(state, elements, lineno)
    trans_date = None
    if date_text:
        trans_date = state.dates.get(date_text) or parse_date(state, date_text, lineno, f"#{kind}")
    quantity = None
    if quantity_text:
        if AMOUNT_RE.fullmatch(quantity_text):
            quantity = Decimal(quantity_text)
        else:
            bad_quantity(state, quantity_text, lineno, f"#{kind}")
    transaction = Transaction(
        account=account,
        objects=objects,
        amount=amount,
        date=trans_date,
        text=text,
        quantity=quantity,
        sign=sign,
        kind=cast(TransactionKind, kind),
        line=lineno,
    )
    if kind == "TRANS":
        pending = voucher.pending_rtrans
        if pending is not None:
            voucher.pending_rtrans = None
            if (pending.account, pending.objects, pending.amount) != (
                account,
                objects,
                amount,
            ):
                rtrans_without_twin(state, voucher, pending, differs=True)
        voucher.rows.append(transaction)
        return
    if state.options.rtrans_mode == "ignore":
        return
    if voucher.pending_rtrans is not None:
        rtrans_without_twin(state, voucher, voucher.pending_rtrans, differs=False)
        voucher.pending_rtrans = None
    voucher.history.append(transaction)
    if kind == "RTRANS":
        voucher.pending_rtrans = transaction


def rtrans_without_twin(
    state: ReadState, voucher: OpenVoucher, rtrans: Transaction, *, differs: bool
) -> None:
    # An #RTRANS is an added row; without its #TRANS twin it is still part of the voucher.
    voucher.rows.append(rtrans)
    what = "is followed by a #TRANS that differs from it" if differs else "has no #TRANS twin"
    state.diag(
        "warning",
        rtrans.line,
        "rtrans_without_twin",
        f"Line {rtrans.line}: #RTRANS in voucher {vid(voucher)} {what}; the #RTRANS row "
        "was counted as part of the voucher.",
        voucher=vid(voucher),
    )


def unbalanced(state: ReadState, voucher: OpenVoucher, total: Decimal) -> None:
    state.diag(
        state.options.unbalanced_severity(),
        voucher.line,
        "unbalanced_voucher",
        f"Voucher {vid(voucher)} (line {voucher.line}) does not balance: its "
        f"#TRANS rows sum to {total} instead of 0.",
        series=voucher.series,
        number=voucher.number,
        total=total,
    )


def close_voucher(state: ReadState) -> None:
    """Check the open voucher and send it (nothing when none is open)."""
    voucher = state.voucher
    if voucher is None:
        return
    state.voucher = None
    if voucher.pending_rtrans is not None:
        rtrans_without_twin(state, voucher, voucher.pending_rtrans, differs=False)
    rows = tuple(voucher.rows)
    if not rows and not voucher.unreadable_rows:
        state.diag(
            "warning",
            voucher.line,
            "empty_voucher",
            f"Voucher {vid(voucher)} (line {voucher.line}) has no #TRANS rows.",
            voucher=vid(voucher),
        )
    elif voucher.unreadable_rows:
        state.diag(
            "error",
            voucher.line,
            "unreadable_rows",
            f"Voucher {vid(voucher)} (line {voucher.line}): {voucher.unreadable_rows} "
            "row(s) could not be read, so its balance was not checked.",
            voucher=vid(voucher),
            count=voucher.unreadable_rows,
        )
    else:
        total = sum(map(_amount_of, rows), _ZERO)
        if total:
            unbalanced(state, voucher, total)
    state.out.append(
        voucher_record(
            voucher.series,
            voucher.number,
            voucher.date,
            voucher.text,
            voucher.reg_date,
            voucher.sign,
            rows,
            tuple(voucher.history),
            voucher.line,
            state.voucher_count,
        )
    )
    state.voucher_count += 1
    state.transaction_count += len(rows)
