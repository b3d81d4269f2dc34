"""What a grant has earned and been paid by the end of a year, and a project's cost in a year:
pure records and rules, no database.

`projects.receivables.grant_balances` builds them; the report, its checks and
the start of a new year read the receivable from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class GrantBalance:
    """One grant at the end of a year.

    booked: its income booked up to and including the year; paid: the
    payments made by the year's last day; fund: the fund of its newest income
    line ("" when none is booked).
    """

    pk: int
    slug: str
    name: str  # "grantor (project)", as the findings name it
    grantor: str
    project: str  # the project's name
    project_slug: str
    in_arrears: bool  # paid in arrears (else in advance)
    expected_payment_year: int | None
    booked: Decimal
    paid: Decimal
    fund: str = ""

    @property
    def receivable(self) -> Decimal:
        """What has been booked and not yet paid (negative: paid beyond what was booked)."""
        return self.booked - self.paid

    @property
    def is_open(self) -> bool:
        """An arrears grant with a receivable at the year's end (the report lists it)."""
        return self.in_arrears and self.receivable > 0


def year_cost(booked: Decimal | None, stated: Decimal | None) -> Decimal | None:
    """A project's cost in one year as its report states it: booked where the year has cost lines
    on it (`booked` not None), else the cost its part in the year states."""
    return booked if booked is not None else stated
