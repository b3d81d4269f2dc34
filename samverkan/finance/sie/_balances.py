"""Balance records: #IB, #UB, #RES, #OIB, #OUB, #PSALDO and #PBUDGET, one handler for all."""

from __future__ import annotations

from typing import cast

from ._chart import start_chart_data
from ._fast import AMOUNT_RE, field_text
from ._fields import account_used, amount_field, int_field, missing, object_pairs, quantity_field
from ._state import ReadState
from .records import Balance, BalanceKind, ObjectList
from .tokenizer import Field


def read_balance(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    """One balance record becomes one :class:`~.records.Balance`."""
    start_chart_data(state, lineno)
    kind = cast(BalanceKind, label[1:])
    year = int_field(state, fields, 1, lineno, label)
    if year is None:
        return
    i = 2
    period: str | None = None
    if kind == "PSALDO" or kind == "PBUDGET":
        state.period_balances += 1
        period = field_text(fields, 2)
        if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
            state.diag(
                "error",
                lineno,
                "bad_period",
                f"Line {lineno}: {label} period {period!r} is not a valid YYYYMM.",
                record=label,
                value=str(period)[:40],
            )
            return
        i = 3
    account = field_text(fields, i)
    if not account:
        missing(state, label, "account number", lineno)
        return
    if account not in state.used_accounts:
        account_used(state, account, lineno, label)
    objects: ObjectList = ()
    if kind in ("IB", "UB", "RES"):
        state.account_balances += 1
    elif kind in ("OIB", "OUB", "PSALDO", "PBUDGET"):
        raw = fields[i + 1] if i + 1 < len(fields) else ()
        if isinstance(raw, str) and period is not None and AMOUNT_RE.fullmatch(raw):
            # Period balances of the whole account, written without the object list:
            # legitimate in type 2 files, a harmless slip of writers elsewhere. Read the
            # amount where the list would have been.
            if state.head.get("sie_type") != 2:
                state.tally("period_balance_without_objects", lineno, record=label)
        elif isinstance(raw, str):
            state.diag(
                "error",
                lineno,
                "missing_object_list",
                f"Line {lineno}: {label} has no object list {{…}} after account {account}.",
                account=account,
            )
            return
        else:
            objects = object_pairs(state, raw, lineno)
            i += 1
    amount = amount_field(state, fields, i + 1, lineno, label)
    if amount is None:
        return
    quantity = quantity_field(state, fields, i + 2, lineno, label)
    state.out.append(
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
