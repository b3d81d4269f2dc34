"""Chart records: #KONTO, #KTYP, #ENHET, #SRU (accounts), #DIM, #UNDERDIM and #OBJEKT.

The chart is collected until the first balance or voucher and then sent as a whole
(accounts, dimensions, objects); chart records that come later are sent one by one.
Each record has its handler in :data:`HANDLERS`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import cast

from ._fast import field_text
from ._fields import account_number, missing
from ._identification import ensure_header, late
from ._state import Handler, ReadState
from .records import Account, AccountType, Dimension, Object
from .tokenizer import Field

_ACCOUNT_TYPES = frozenset({"T", "S", "K", "I"})


def _chart_record(state: ReadState, label: str, lineno: int) -> None:
    """What every chart record does first: the header is complete once the chart begins."""
    ensure_header(state)
    if state.chart_sent:
        late(state, label, lineno)


def read_dimension(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    """#DIM and #UNDERDIM (a dimension with its super-dimension)."""
    _chart_record(state, label, lineno)
    number = field_text(fields, 1)
    if not number:
        missing(state, label, "dimension number", lineno, "warning")
        return
    parent = field_text(fields, 3) or None if label == "#UNDERDIM" else None
    if label == "#UNDERDIM" and parent is None:
        missing(state, label, "super-dimension", lineno, "warning")
    dim = Dimension(number=number, name=field_text(fields, 2), parent=parent, line=lineno)
    state.dimensions[number] = dim
    if state.chart_sent:
        state.out.append(dim)


def read_object(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    """#OBJEKT: an object (cost centre, project, …) in a dimension."""
    _chart_record(state, label, lineno)
    dimension, obj_id = field_text(fields, 1), field_text(fields, 2)
    if not dimension or not obj_id:
        missing(state, label, "dimension number or object id", lineno, "warning")
        return
    obj = Object(dimension=dimension, id=obj_id, name=field_text(fields, 3), line=lineno)
    first = state.object_lines.setdefault((dimension, obj_id), lineno)
    if first != lineno:
        state.diag(
            "warning",
            lineno,
            "duplicate_object",
            f"Line {lineno}: object {obj_id} in dimension {dimension} is declared "
            f"again (first on line {first}); the later one is used.",
            object=f"{dimension}:{obj_id}"[:80],
            first_line=first,
        )
    if state.chart_sent:
        state.out.append(obj)
    else:
        state.objects.append(obj)


def read_account_record(state: ReadState, label: str, fields: list[Field], lineno: int) -> None:
    """#KONTO, #KTYP, #ENHET and #SRU: each adds to one account of the chart."""
    _chart_record(state, label, lineno)
    number = field_text(fields, 1)
    if not number:
        missing(state, label, "account number", lineno, "warning")
        return
    if number not in state.checked_numbers:
        account_number(state, number, lineno, label)
    account = state.accounts.get(number) or Account(number=number, line=lineno)
    changed = _ACCOUNT_CHANGES[label](state, account, fields, lineno)
    if changed is None:
        return
    state.accounts[number] = changed
    if state.chart_sent:
        state.out.append(changed)


def _konto(state: ReadState, account: Account, fields: list[Field], lineno: int) -> Account:
    number = account.number
    state.declared_accounts.add(number)
    if number in state.accounts and state.accounts[number].name:
        state.diag(
            "warning",
            lineno,
            "duplicate_account",
            f"Line {lineno}: account {number} is declared again (first on line "
            f"{state.accounts[number].line}); the later name is used.",
            account=number[:40],
            first_line=state.accounts[number].line,
        )
    return Account(
        number=number,
        name=field_text(fields, 2),
        type=account.type,
        unit=account.unit,
        sru=account.sru,
        line=lineno,
    )


def _ktyp(state: ReadState, account: Account, fields: list[Field], lineno: int) -> Account | None:
    value = field_text(fields, 2).upper()
    if value not in _ACCOUNT_TYPES:
        state.diag(
            "warning",
            lineno,
            "bad_account_type",
            f"Line {lineno}: #KTYP {account.number} has type {value!r}, not one of T, S, K, I; "
            "ignored.",
            account=account.number[:40],
            value=str(value)[:40],
        )
        return None
    return dataclasses.replace(account, type=cast(AccountType, value))


def _enhet(state: ReadState, account: Account, fields: list[Field], lineno: int) -> Account:
    return dataclasses.replace(account, unit=field_text(fields, 2))


def _sru(state: ReadState, account: Account, fields: list[Field], lineno: int) -> Account | None:
    """#SRU: a tax-form code; several per account are allowed."""
    code = field_text(fields, 2)
    if not code:
        missing(state, "#SRU", "SRU code", lineno, "warning")
        return None
    if account.number not in state.declared_accounts:
        # Named at the end of the file, if no #KONTO declares the account by then.
        state.sru_lines.setdefault(account.number, lineno)
    return dataclasses.replace(account, sru=(*account.sru, code))


# The change each account record makes (None: the record was ignored).
_ACCOUNT_CHANGES: dict[str, Callable[[ReadState, Account, list[Field], int], Account | None]] = {
    "#KONTO": _konto,
    "#KTYP": _ktyp,
    "#ENHET": _enhet,
    "#SRU": _sru,
}

HANDLERS: dict[str, Handler] = {
    "#DIM": read_dimension,
    "#UNDERDIM": read_dimension,
    "#OBJEKT": read_object,
    **dict.fromkeys(_ACCOUNT_CHANGES, read_account_record),
}
"""The handler of each chart record."""


def start_chart_data(state: ReadState, lineno: int) -> None:
    """Send the chart collected so far, once: balances and vouchers follow."""
    if state.chart_sent:
        return
    ensure_header(state)
    state.chart_sent = True
    state.out.extend(state.accounts.values())
    state.out.extend(state.dimensions.values())
    state.out.extend(state.objects)
    state.objects = []
