"""Figures in a year's narrative texts: `{{ key }}` placeholders filled with derived values.

A text that says "Årets överskott landar på {{ fund.drift-2020.closing }}"
prints the surplus derived from the accounts, so prose can never disagree
with the tables. The keys are those of the year file's `published` list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from samverkan.lib.money import format_kr

PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_.\-]+)\s*\}\}")


def placeholders(text: str) -> list[str]:
    """The keys a text refers to, in order."""
    return PLACEHOLDER.findall(text)


def fill(text: str, value_of: Callable[[str], Decimal | None], lang: str = "sv") -> str:
    """Replace each placeholder with its derived amount in kronor; an unknown key is left visible."""

    def replace(match: re.Match[str]) -> str:
        value = value_of(match.group(1))
        return match.group(0) if value is None else format_kr(value, lang=lang)

    return PLACEHOLDER.sub(replace, text)


# --- the keys -----------------------------------------------------------------------------------

# A fund's or the total's row: the four columns of the accounts' summary.
ROW_FIELDS = ("opening", "income", "costs", "closing")
# The figures of an event (its fund's income and costs, and the costs per participant).
EVENT_FIELDS = ("cost_per_participant", "income", "costs")
SIMPLE_KEYS = ("fee_income", "fee_basis_date")


@dataclass(frozen=True, slots=True)
class FigureKey:
    """A published-figure key read once: what it names.

    kind      key                              subject       field
    "simple"  fee_income, fee_basis_date       ""            the key
    "total"   total.<field>                    ""            opening | income | costs | closing
    "fund"    fund.<fund>.<field>              the fund      opening | income | costs | closing
    "category" fund.<fund>.category.<cat>      the fund      the category
    "project" project.<project>.cost           the project   "cost"
    "event"   event.<event>.<field>            the event     cost_per_participant | income | costs
    ""        anything else                    ""            ""
    """

    kind: str
    subject: str = ""
    field: str = ""

    @property
    def is_row(self) -> bool:
        """A figure of a row of the accounts' summary (a fund's or the total's)."""
        return self.kind in ("total", "fund")


def parse_key(key: str) -> FigureKey:
    """Read a published-figure key (the year file's `published`, a text's `{{ key }}`)."""
    if key in SIMPLE_KEYS:
        return FigureKey("simple", field=key)
    parts = key.split(".")
    if parts[0] == "total" and len(parts) == 2 and parts[1] in ROW_FIELDS:
        return FigureKey("total", field=parts[1])
    if parts[0] == "fund" and len(parts) == 3 and parts[2] in ROW_FIELDS:
        return FigureKey("fund", parts[1], parts[2])
    if parts[0] == "fund" and len(parts) == 4 and parts[2] == "category":
        return FigureKey("category", parts[1], parts[3])
    if parts[0] == "project" and len(parts) == 3 and parts[2] == "cost":
        return FigureKey("project", parts[1], "cost")
    if parts[0] == "event" and len(parts) == 3 and parts[2] in EVENT_FIELDS:
        return FigureKey("event", parts[1], parts[2])
    return FigureKey("")
