"""Write a SIE file's ledger as beancount text, for comparing with ``bean-check``.

Used by :mod:`sie_bench`; beancount itself is not needed to write the text, only to check it
(``pip install 'beancount>=3'``, a dependency of the benchmark only).

The ledger is the same as the SIE file's: one ``open`` per account (type T → Assets,
S → Liabilities, I → Income, K → Expenses; without ``#KTYP`` the BAS class decides), one
transaction per voucher with one posting per ``#TRANS`` row, amounts in SEK, and the file's
closing balances (``#UB``/``#RES`` of year 0) as ``balance`` assertions on the day after
the year, so that ``bean-check`` verifies what the SIE inspect reconciles. Objects (cost
centres, projects) are left out; beancount has no direct counterpart.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samverkan.finance.sie import (  # noqa: E402
    LENIENT_INSPECT,
    Account,
    Balance,
    Header,
    Voucher,
    iter_sie,
)

_ROOTS = {"T": "Assets", "S": "Liabilities", "I": "Income", "K": "Expenses"}
_CLASS_ROOTS = {"1": "Assets", "2": "Liabilities", "3": "Income"}


def _account_name(number: str, kind: str | None) -> str:
    root = _ROOTS.get(kind or "") or _CLASS_ROOTS.get(number[:1], "Expenses")
    return f"{root}:{number}"


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_beancount(sie_path: str | Path, out_path: str | Path) -> dict[str, int]:
    """Stream ``sie_path`` into a beancount ledger at ``out_path``; returns counts."""
    names: dict[str, str] = {}
    opened = date(1900, 1, 1)
    closing = date(1900, 1, 1)
    balances: list[Balance] = []
    counts = {"transactions": 0, "postings": 0, "accounts": 0, "balances": 0}
    with Path(out_path).open("w", encoding="utf-8") as out:
        write = out.write
        write('option "title" "SIE benchmark ledger"\noption "operating_currency" "SEK"\n\n')

        def account(number: str, kind: str | None = None) -> str:
            name = names.get(number)
            if name is None:
                name = names[number] = _account_name(number, kind)
                write(f"{opened.isoformat()} open {name} SEK\n")
                counts["accounts"] += 1
            return name

        for entry in iter_sie(sie_path, options=LENIENT_INSPECT):
            if isinstance(entry, Voucher):
                day = (entry.date or opened).isoformat()
                lines = [f"\n{day} * {_string(entry.label)} {_string(entry.text)}\n"]
                for trans in entry.transactions:
                    lines.append(f"  {account(trans.account)}  {trans.amount} SEK\n")
                write("".join(lines))
                counts["transactions"] += 1
                counts["postings"] += len(entry.transactions)
            elif isinstance(entry, Balance):
                if entry.kind in ("UB", "RES") and entry.year_index == 0 and not entry.objects:
                    balances.append(entry)
            elif isinstance(entry, Account):
                account(entry.number, entry.type)
            elif isinstance(entry, Header):
                current = entry.fiscal_year(0)
                if current and current.start and current.end:
                    opened, closing = current.start, current.end
        after = (closing + timedelta(days=1)).isoformat()
        write("\n")
        for balance in balances:
            write(f"{after} balance {account(balance.account)}  {balance.amount} SEK\n")
            counts["balances"] += 1
    return counts


if __name__ == "__main__":
    print(write_beancount(sys.argv[1], sys.argv[2]))
