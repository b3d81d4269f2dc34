"""Vouchers: #VER, its { } block, the rows #TRANS/#RTRANS/#BTRANS, and the balance rule.

A voucher is held open (:class:`~._state.OpenVoucher`) until its block closes, then checked
(its #TRANS rows must sum to zero) and sent as a :class:`~.records.Voucher`. #RTRANS and
#BTRANS rows go to its history; an #RTRANS without its #TRANS twin counts as a row.

:meth:`VoucherRecords.fast_ver` and :meth:`VoucherRecords.fast_trans` read the common
shapes of #VER and #TRANS lines with the expressions of :mod:`._fast` instead of the
general tokenizer, with the same results. The expressions are looked up on that module at
each use, so that tests can switch them off there and compare.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import cast

from . import _fast
from ._fast import AMOUNT_RE, ELEMENT_RE, field_text, new_voucher, parse_yyyymmdd
from ._fields import FieldReader
from ._state import OpenVoucher, vid
from .records import ObjectList, Transaction, TransactionKind
from .tokenizer import Field, checksum_text, tokenize

_ZERO = Decimal(0)


def _text(quoted: str | None, bare: str | None) -> str:
    """The text field of a fast-path match (its quoted or its bare group) as the general
    tokenizer reads it: a quoted text unescaped, a missing one empty."""
    if quoted is not None:
        return quoted.replace('\\"', '"') if "\\" in quoted else quoted
    return bare or ""


class VoucherRecords(FieldReader):
    """Reads vouchers and their rows."""

    def ver(self, fields: list[Field], lineno: int) -> None:
        # Series and number may be empty in 4I files; the receiving system assigns them.
        if parse_yyyymmdd(field_text(fields, 2)) and not parse_yyyymmdd(field_text(fields, 3)):
            # "#VER  1 20170101 …": an empty series written as nothing, not as "". The date
            # is the second field, so only one field came before it: read it as the number.
            self.tally("ver_without_series", lineno)
            fields = [fields[0], "", *fields[1:]]
        series, number = field_text(fields, 1), field_text(fields, 2)
        self.voucher_started(series, number, lineno)
        self.voucher = OpenVoucher(
            series=series,
            number=number,
            date=self.date_field(fields, 3, lineno, "#VER", required=True),
            text=field_text(fields, 4),
            reg_date=self.date_field(fields, 5, lineno, "#VER"),
            sign=field_text(fields, 6),
            line=lineno,
        )

    def voucher_started(self, series: str, number: str, lineno: int) -> None:
        """What the end of the file reports about voucher ids: numbers given in a file that
        turns out to be of type 4I (the receiver numbers them), and series of several
        characters. The fast paths call this only when it can change something: a voucher
        without a number, the first numbered one, or a series of several characters (most
        vouchers are numbered, in a one-letter series, and skip the call).
        """
        if not number:
            self.unnumbered_vouchers += 1
        elif self.first_numbered is None:
            self.first_numbered = lineno
        if len(series) > 1:
            self.tally("long_series", lineno, series=series)

    def open_brace(self, lineno: int) -> None:
        voucher = self.voucher
        if voucher is not None and not voucher.in_block:
            voucher.in_block = True
            return
        self.diag(
            "error",
            lineno,
            "unexpected_brace",
            f"Line {lineno}: '{{' that does not follow a #VER; ignored.",
        )

    def close_brace(self, lineno: int) -> None:
        voucher = self.voucher
        if voucher is not None and voucher.in_block:
            self.close_voucher()
            return
        self.diag(
            "error",
            lineno,
            "unexpected_brace",
            f"Line {lineno}: '}}' without an open #VER block; ignored.",
        )

    def fast_ver(self, line: str, lineno: int) -> bool:
        """Read an ordinary ``#VER`` line with one regular expression; False if it needs
        the general tokenizer."""
        common = _fast.COMMON_VER_RE.match(line)
        if common is not None:
            series, number, date_text, text, reg_date = common.groups()
            if "\\" in text:
                text = text.replace('\\"', '"')
            if series[0] == '"':
                series = series[1:-1]
            if number[0] == '"':
                number = number[1:-1]
            if len(series) > 1 or not number or self.first_numbered is None:
                self.voucher_started(series, number, lineno)
            self.records_seen += 1
            if self.ks_open and self.ks_compute:
                content = "#VER" + series + number + date_text + text + (reg_date or "")
                self.ks_parts.append(content)
            dates = self.dates
            self.voucher = OpenVoucher(
                series,
                number,
                dates.get(date_text) or self.parse_date(date_text, lineno, "#VER"),
                text,
                (dates.get(reg_date) or self.parse_date(reg_date, lineno, "#VER"))
                if reg_date
                else None,
                "",
                lineno,
            )
            return True
        m = _fast.VER_RE.match(line)
        if m is None:
            return False
        quoted_series, series, quoted_number, number, date_text, quoted_text, text, rest = (
            m.groups()
        )
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
        if len(series) > 1 or not number or self.first_numbered is None:
            self.voucher_started(series, number, lineno)
        self.records_seen += 1
        if self.ks_open and self.ks_compute:
            content = "#VER" + series + number + date_text + text
            if rest_fields:
                content += "".join(cast(list[str], rest_fields))
            self.ks_parts.append(content)
        dates = self.dates
        self.voucher = OpenVoucher(
            series=series,
            number=number,
            date=dates.get(date_text) or self.parse_date(date_text, lineno, "#VER"),
            text=text,
            reg_date=(dates.get(reg_date) or self.parse_date(reg_date, lineno, "#VER"))
            if reg_date
            else None,
            sign=sign,
            line=lineno,
        )
        return True

    def fast_trans(self, voucher: OpenVoucher, m: re.Match[str], lineno: int) -> None:
        """Read a ``#TRANS`` row that the general row expression matched but the hot path
        did not take: a quantity, sign or extra fields, other quoting, an odd object list,
        or a row right after an ``#RTRANS``."""
        account, inner, amount_text, bare_date, quoted_date, quoted_text, text, rest = m.groups()
        quantity = sign = ""
        rest_fields: list[Field] = []
        if rest:
            rest_fields, flags = tokenize(rest)
            if flags:
                self.tokenizer_flags(flags, lineno)
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
        self.records_seen += 1
        if self.ks_open and self.ks_compute:
            content = "#TRANS" + account + "".join(elements) + amount_text + date_text + text
            content += checksum_text(rest_fields)
            self.ks_parts.append(content)
            if elements:
                self.ks_lists = True
        self.add_row(
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

    def row(self, voucher: OpenVoucher, fields: list[Field], lineno: int, kind: str) -> None:
        """Read one #TRANS/#RTRANS/#BTRANS row from its tokenized fields."""
        n = len(fields)
        account = fields[1] if n > 1 else ""
        objects_field = fields[2] if n > 2 else ()
        i = 3
        if isinstance(objects_field, str):
            if objects_field and AMOUNT_RE.fullmatch(objects_field):
                # Some writers leave out the (empty) object list; read on without it.
                self.diag(
                    "warning",
                    lineno,
                    "missing_object_list",
                    f"Line {lineno}: #{kind} has no object list {{…}}; read as empty.",
                )
                i = 2
            elif objects_field:
                self.diag(
                    "warning",
                    lineno,
                    "bad_object_list",
                    f"Line {lineno}: #{kind} has {objects_field[:40]!r} where the object "
                    "list {…} belongs; read as empty.",
                )
            objects_field = ()
        if not account or not isinstance(account, str):
            voucher.unreadable_rows += 1
            self.missing(f"#{kind}", "account number", lineno)
            return
        amount_text = fields[i] if i < n else ""
        if not isinstance(amount_text, str) or not AMOUNT_RE.fullmatch(amount_text):
            voucher.unreadable_rows += 1
            self.bad_amount(amount_text, lineno, f"#{kind}")
            return
        self.add_row(
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
        self,
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
        if account not in self.used_accounts:
            self.account_used(account, lineno, f"#{kind}")
        objects: ObjectList
        if not elements:
            objects = ()
        elif len(elements) == 2:
            objects = ((elements[0], elements[1]),)
        else:
            objects = self.object_pairs(elements, lineno)
        trans_date = None
        if date_text:
            trans_date = self.dates.get(date_text) or self.parse_date(date_text, lineno, f"#{kind}")
        quantity = None
        if quantity_text:
            if AMOUNT_RE.fullmatch(quantity_text):
                quantity = Decimal(quantity_text)
            else:
                self.bad_quantity(quantity_text, lineno, f"#{kind}")
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
                    self.rtrans_without_twin(voucher, pending, differs=True)
            voucher.rows.append(transaction)
            return
        if self.options.rtrans_mode == "ignore":
            return
        if voucher.pending_rtrans is not None:
            self.rtrans_without_twin(voucher, voucher.pending_rtrans, differs=False)
            voucher.pending_rtrans = None
        voucher.history.append(transaction)
        if kind == "RTRANS":
            voucher.pending_rtrans = transaction

    def rtrans_without_twin(
        self, voucher: OpenVoucher, rtrans: Transaction, *, differs: bool
    ) -> None:
        # An #RTRANS is an added row; without its #TRANS twin it is still part of the voucher.
        voucher.rows.append(rtrans)
        what = "is followed by a #TRANS that differs from it" if differs else "has no #TRANS twin"
        self.diag(
            "warning",
            rtrans.line,
            "rtrans_without_twin",
            f"Line {rtrans.line}: #RTRANS in voucher {vid(voucher)} {what}; the #RTRANS row "
            "was counted as part of the voucher.",
        )

    def unbalanced(self, voucher: OpenVoucher, total: Decimal) -> None:
        self.diag(
            self.options.unbalanced_severity(),
            voucher.line,
            "unbalanced_voucher",
            f"Voucher {vid(voucher)} (line {voucher.line}) does not balance: its "
            f"#TRANS rows sum to {total} instead of 0.",
            series=voucher.series,
            number=voucher.number,
            total=total,
        )

    def close_voucher(self) -> None:
        voucher = self.voucher
        if voucher is None:
            return
        self.voucher = None
        if voucher.pending_rtrans is not None:
            self.rtrans_without_twin(voucher, voucher.pending_rtrans, differs=False)
        rows = tuple(voucher.rows)
        if not rows and not voucher.unreadable_rows:
            self.diag(
                "warning",
                voucher.line,
                "empty_voucher",
                f"Voucher {vid(voucher)} (line {voucher.line}) has no #TRANS rows.",
            )
        elif voucher.unreadable_rows:
            self.diag(
                "error",
                voucher.line,
                "unreadable_rows",
                f"Voucher {vid(voucher)} (line {voucher.line}): {voucher.unreadable_rows} "
                "row(s) could not be read, so its balance was not checked.",
            )
        else:
            total = _ZERO
            for t in rows:
                total += t.amount
            if total:
                self.unbalanced(voucher, total)
        self.out.append(
            new_voucher(
                (
                    voucher.series,
                    voucher.number,
                    voucher.date,
                    voucher.text,
                    voucher.reg_date,
                    voucher.sign,
                    rows,
                    tuple(voucher.history),
                    voucher.line,
                    self.voucher_count,
                )
            )
        )
        self.voucher_count += 1
        self.transaction_count += len(rows)
