"""Balance records: #IB, #UB, #RES, #OIB, #OUB, #PSALDO and #PBUDGET."""

from __future__ import annotations

from typing import cast

from ._fast import AMOUNT_RE, field_text
from ._fields import FieldReader
from .records import Balance, BalanceKind, ObjectList
from .tokenizer import Field


class BalanceRecords(FieldReader):
    """Reads one balance record into a :class:`~.records.Balance`."""

    def balance(self, label: str, fields: list[Field], lineno: int) -> None:
        kind = cast(BalanceKind, label[1:])
        year = self.int_field(fields, 1, lineno, label)
        if year is None:
            return
        i = 2
        period: str | None = None
        if kind == "PSALDO" or kind == "PBUDGET":
            self.period_balances += 1
            period = field_text(fields, 2)
            if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
                self.diag(
                    "error",
                    lineno,
                    "bad_period",
                    f"Line {lineno}: {label} period {period!r} is not a valid YYYYMM.",
                )
                return
            i = 3
        account = field_text(fields, i)
        if not account:
            self.missing(label, "account number", lineno)
            return
        if account not in self.used_accounts:
            self.account_used(account, lineno, label)
        objects: ObjectList = ()
        if kind in ("IB", "UB", "RES"):
            self.account_balances += 1
        elif kind in ("OIB", "OUB", "PSALDO", "PBUDGET"):
            raw = fields[i + 1] if i + 1 < len(fields) else ()
            if isinstance(raw, str) and period is not None and AMOUNT_RE.fullmatch(raw):
                # Period balances of the whole account, written without the object list:
                # legitimate in type 2 files, a harmless slip of writers elsewhere. Read the
                # amount where the list would have been.
                if self.head.get("sie_type") != 2:
                    self.tally("period_balance_without_objects", lineno, record=label)
            elif isinstance(raw, str):
                self.diag(
                    "error",
                    lineno,
                    "missing_object_list",
                    f"Line {lineno}: {label} has no object list {{…}} after account {account}.",
                    account=account,
                )
                return
            else:
                objects = self.object_pairs(raw, lineno)
                i += 1
        amount = self.amount_field(fields, i + 1, lineno, label)
        if amount is None:
            return
        quantity = self.quantity_field(fields, i + 2, lineno, label)
        self.out.append(
            Balance(
                kind=kind,
                year_index=year,
                account=account,
                objects=objects,
                amount=amount,
                period=period,
                quantity=quantity,
                line=lineno,
            )
        )
