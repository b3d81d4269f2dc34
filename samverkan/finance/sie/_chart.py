"""Chart records: #KONTO, #KTYP, #ENHET, #SRU (accounts), #DIM, #UNDERDIM and #OBJEKT.

The chart is collected until the first balance or voucher and then sent as a whole
(accounts, dimensions, objects); chart records that come later are sent one by one.
"""

from __future__ import annotations

import dataclasses
from typing import cast

from ._fast import field_text
from ._identification import IdentificationRecords
from .records import Account, AccountType, Dimension, Object
from .tokenizer import Field

_ACCOUNT_TYPES = frozenset({"T", "S", "K", "I"})


class ChartRecords(IdentificationRecords):
    """Reads the chart of accounts, dimensions and objects."""

    def chart(self, label: str, fields: list[Field], lineno: int) -> None:
        if self.chart_sent:
            self.late(label, lineno)
        if label == "#DIM" or label == "#UNDERDIM":
            number = field_text(fields, 1)
            if not number:
                self.missing(label, "dimension number", lineno, "warning")
                return
            parent = field_text(fields, 3) or None if label == "#UNDERDIM" else None
            if label == "#UNDERDIM" and parent is None:
                self.missing(label, "super-dimension", lineno, "warning")
            dim = Dimension(number=number, name=field_text(fields, 2), parent=parent, line=lineno)
            self.dimensions[number] = dim
            if self.chart_sent:
                self.out.append(dim)
            return
        if label == "#OBJEKT":
            dimension, obj_id = field_text(fields, 1), field_text(fields, 2)
            if not dimension or not obj_id:
                self.missing(label, "dimension number or object id", lineno, "warning")
                return
            obj = Object(dimension=dimension, id=obj_id, name=field_text(fields, 3), line=lineno)
            first = self.object_lines.setdefault((dimension, obj_id), lineno)
            if first != lineno:
                self.diag(
                    "warning",
                    lineno,
                    "duplicate_object",
                    f"Line {lineno}: object {obj_id} in dimension {dimension} is declared "
                    f"again (first on line {first}); the later one is used.",
                )
            if self.chart_sent:
                self.out.append(obj)
            else:
                self.objects.append(obj)
            return
        number = field_text(fields, 1)
        if not number:
            self.missing(label, "account number", lineno, "warning")
            return
        if number not in self.checked_numbers:
            self.account_number(number, lineno, label)
        account = self.accounts.get(number) or Account(number=number, line=lineno)
        if label == "#KONTO":
            self.declared_accounts.add(number)
            if number in self.accounts and self.accounts[number].name:
                self.diag(
                    "warning",
                    lineno,
                    "duplicate_account",
                    f"Line {lineno}: account {number} is declared again (first on line "
                    f"{self.accounts[number].line}); the later name is used.",
                )
            account = Account(
                number=number,
                name=field_text(fields, 2),
                type=account.type,
                unit=account.unit,
                sru=account.sru,
                line=lineno,
            )
        elif label == "#KTYP":
            value = field_text(fields, 2).upper()
            if value not in _ACCOUNT_TYPES:
                self.diag(
                    "warning",
                    lineno,
                    "bad_account_type",
                    f"Line {lineno}: #KTYP {number} has type {value!r}, not one of T, S, K, I; "
                    "ignored.",
                )
                return
            account = dataclasses.replace(account, type=cast(AccountType, value))
        elif label == "#ENHET":
            account = dataclasses.replace(account, unit=field_text(fields, 2))
        else:  # #SRU: several per account are allowed
            code = field_text(fields, 2)
            if not code:
                self.missing(label, "SRU code", lineno, "warning")
                return
            if number not in self.declared_accounts:
                # Named at the end of the file, if no #KONTO declares the account by then.
                self.sru_lines.setdefault(number, lineno)
            account = dataclasses.replace(account, sru=(*account.sru, code))
        self.accounts[number] = account
        if self.chart_sent:
            self.out.append(account)

    def start_chart_data(self, lineno: int) -> None:
        if self.chart_sent:
            return
        self.ensure_header()
        self.chart_sent = True
        self.out.extend(self.accounts.values())
        self.out.extend(self.dimensions.values())
        self.out.extend(self.objects)
        self.objects = []
