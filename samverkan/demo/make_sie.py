"""Writes the demo's SIE 4E export of Huddinge's ledger for 2020 (run once; the file is shipped).

The cooperation is cost centre 1:1510 in Huddinge's books; its vouchers sum
exactly to the 2020 accounts lines of the published report. Vouchers of
another cost centre (1:1200) stand beside them, as in a real host
municipality's export, so that the import has something to leave out.

    python -m samverkan.demo.make_sie samverkan/demo/sodertorn/huddinge-2020.se
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from samverkan.finance.sie import (
    Account,
    Balance,
    Dimension,
    FiscalYear,
    Header,
    Object,
    Transaction,
    Voucher,
)
from samverkan.finance.sie.writer import write_sie4e

D = Decimal
COOP = (("1", "1510"),)
OTHER = (("1", "1200"),)

ACCOUNTS = {
    "1930": "Bank",
    "2440": "Leverantörsskulder",
    "2920": "Upplupna löner och sociala avgifter",
    "3460": "Bidrag från andra kommuner",
    "4010": "Förbrukningsmaterial",
    "5110": "Löner",
    "5610": "Sociala avgifter",
    "5810": "Resor",
    "6420": "Konsulttjänster",
    "6441": "Projekt: näringslivsanalys (Great)",
    "6442": "Projekt: Bisnode-analys",
    "6443": "Projekt: kartor över infrastruktur",
    "6510": "IT-tjänster och licenser",
    "6930": "Avgifter",
    "7110": "Representation",
    "7410": "Telefoni och datakommunikation",
}
FEES = {
    "0127": 378424,
    "0136": 368380,
    "0126": 451392,
    "0140": 44056,
    "0192": 114300,
    "0128": 67000,
    "0181": 395916,
    "0138": 193332,
}
MEMBERS = {
    "0127": "Botkyrka",
    "0136": "Haninge",
    "0126": "Huddinge",
    "0140": "Nykvarn",
    "0192": "Nynäshamn",
    "0128": "Salem",
    "0181": "Södertälje",
    "0138": "Tyresö",
}


def vouchers() -> list[Voucher]:
    out: list[Voucher] = []

    def add(
        date: dt.date, text: str, rows: list[tuple[str, Decimal, tuple[tuple[str, str], ...]]]
    ) -> None:
        number = str(len(out) + 1)
        out.append(
            Voucher(
                series="A",
                number=number,
                date=date,
                text=text,
                transactions=tuple(
                    Transaction(account=acc, amount=amount, objects=objs)
                    for acc, amount, objs in rows
                ),
            )
        )

    for code, fee in FEES.items():
        add(
            dt.date(2020, 3, 31),
            f"Medlemsavgift 2020 {MEMBERS[code]}",
            [("1930", D(fee), ()), ("3460", -D(fee), COOP)],
        )
    for month in range(2, 13):
        add(
            dt.date(2020, month, 25),
            f"Lön {month:02d}/2020",
            [("5110", D(93000), COOP), ("5610", D(38300), COOP), ("2920", D(-131300), ())],
        )
    costs = [
        (
            dt.date(2020, 1, 20),
            "Planeringskonferens samarbetskommittén, Balingsholm",
            "7110",
            "10000",
        ),
        (dt.date(2020, 3, 19), "Inställt möte Region Stockholm (Corona)", "7110", "4351"),
        (
            dt.date(2020, 8, 24),
            "Nätverksmöte kommunikation och näringsliv, Balingsholm",
            "7110",
            "5000",
        ),
        (dt.date(2020, 9, 14), "Planeringskonferens ledningsgruppen, Balingsholm", "7110", "12286"),
        (dt.date(2020, 2, 28), "Mobiltelefoni", "7410", "1372.25"),
        (dt.date(2020, 5, 29), "Mobiltelefoni", "7410", "1372.25"),
        (dt.date(2020, 8, 31), "Mobiltelefoni", "7410", "1372.25"),
        (dt.date(2020, 11, 30), "Mobiltelefoni", "7410", "1372.25"),
        (dt.date(2020, 9, 10), "Parkering och resor", "5810", "330"),
        (dt.date(2020, 4, 15), "Licenser webbverktyg", "6510", "1663"),
        (dt.date(2020, 6, 30), "Bankavgifter", "6930", "116"),
        (dt.date(2020, 10, 15), "Tillgänglighetsgranskning webbplats", "6420", "10938"),
        (dt.date(2020, 12, 15), "Kontorsmaterial och trycksaker", "4010", "9596"),
        (dt.date(2020, 6, 30), "Great AB, djupintervjuer omgång 1", "6441", "121400"),
        (dt.date(2020, 10, 30), "Great AB, djupintervjuer omgång 2", "6441", "121400"),
        (dt.date(2020, 11, 30), "Bisnode, analys av näringslivet", "6442", "55000"),
        (dt.date(2020, 9, 30), "Detail Produktion AB, kartor", "6443", "22500"),
    ]
    for date, text, account, amount in costs:
        add(date, text, [(account, D(amount), COOP), ("2440", -D(amount), ())])
    for month in range(1, 13):  # another cost centre in the host municipality's books
        add(
            dt.date(2020, month, 25),
            f"Lön kommunstyrelsens förvaltning {month:02d}/2020",
            [("5110", D(410000), OTHER), ("5610", D(168900), OTHER), ("2920", D(-578900), ())],
        )
        add(
            dt.date(2020, month, 12),
            "Konsulttjänster förvaltningen",
            [("6420", D(25000), OTHER), ("2440", D(-25000), ())],
        )
    return out


def build() -> bytes:
    all_vouchers = vouchers()
    movement: dict[str, Decimal] = {}
    for voucher in all_vouchers:
        for t in voucher.transactions:
            movement[t.account] = movement.get(t.account, D(0)) + t.amount
    opening = {"1930": D("5000000.00"), "2440": D("-800000.00"), "2920": D("-4200000.00")}
    balances = [Balance(kind="IB", year_index=0, account=a, amount=v) for a, v in opening.items()]
    balances += [
        Balance(kind="UB", year_index=0, account=a, amount=v + movement.get(a, D(0)))
        for a, v in opening.items()
    ]
    balances += [
        Balance(kind="RES", year_index=0, account=a, amount=v)
        for a, v in sorted(movement.items())
        if a[0] in "345678"
    ]
    header = Header(
        program="Samverkan demodata",
        program_version="1",
        generated_on=dt.date(2021, 1, 8),
        company_name="Huddinge kommun",
        org_number="212000-0142",
        fiscal_years=(FiscalYear(index=0, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)),),
        currency="SEK",
        kptyp="KOMMUN-BAS",
    )
    return write_sie4e(
        header=header,
        accounts=[Account(number=n, name=name) for n, name in ACCOUNTS.items()],
        dimensions=[Dimension(number="1", name="Ansvar")],
        objects=[
            Object(dimension="1", id="1200", name="Kommunstyrelsens förvaltning"),
            Object(dimension="1", id="1510", name="Södertörnssamverkan"),
        ],
        balances=balances,
        vouchers=all_vouchers,
    )


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(build())
