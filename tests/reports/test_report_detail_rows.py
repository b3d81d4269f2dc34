"""The rows of a fund's detail table, from its entries (no database)."""

from decimal import Decimal

from samverkan.finance.ledger import Entry
from samverkan.reports.assembly import _detail_rows

CATEGORIES = {"medfinansiering": "Medfinansiering", "avgift": "Intäkt kommunerna", "mat": "Mat"}
MEMBERS = {"0127": "Botkyrka", "0136": "Haninge"}


def rows(*entries: Entry) -> list[tuple[str, Decimal]]:
    return [(r.label, r.amount) for r in _detail_rows(entries, CATEGORIES, MEMBERS, "avgift", {})]


def income(
    amount: int, text: str = "", member: str = "", category: str = "medfinansiering"
) -> Entry:
    return Entry(
        fund="radslag",
        category=category,
        kind="income",
        amount=Decimal(amount),
        text=text,
        member=member,
    )


def test_each_members_co_financing_is_a_row_named_by_the_member():
    assert rows(income(100, member="0127"), income(200, member="0136")) == [
        ("Medfinansiering – Botkyrka", Decimal(100)),
        ("Medfinansiering – Haninge", Decimal(200)),
    ]


def test_lines_that_share_a_text_stay_apart_per_member():
    assert rows(income(100, "Deltagaravgift", "0127"), income(200, "Deltagaravgift", "0136")) == [
        ("Deltagaravgift – Botkyrka", Decimal(100)),
        ("Deltagaravgift – Haninge", Decimal(200)),
    ]


def test_a_text_that_names_the_member_is_printed_as_it_is():
    assert rows(income(16718, "Botkyrka Kommun", "0127")) == [("Botkyrka Kommun", Decimal(16718))]


def test_fees_are_summed_per_category_not_listed_per_member():
    fee = "avgift"
    assert rows(
        income(10, member="0127", category=fee), income(20, member="0136", category=fee)
    ) == [("Intäkt kommunerna", Decimal(30))]
