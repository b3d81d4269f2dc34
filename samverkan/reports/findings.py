"""Findings: what a consistency check reports, as data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from samverkan.lib.money import plain

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    check: str
    severity: Severity
    where: str
    message: str
    expected: Decimal | str | None = None
    found: Decimal | str | None = None
    # Where the printed figure stands, so the report can print it there with its note:
    # the published key ("fund.drift-2020.costs"), the place in the adopted report
    # ("summary", "detail", "text"; "" when not a printed figure) and what the figure is
    # ("Södertörnsamarbetet drift, kostnader").
    key: str = ""
    printed_in: str = ""
    subject: str = ""
    # The record to fix, as "kind:key" (event:radslag-2018, grant:…, project:…, member:0126,
    # fund:…, population: for the members' figures); None when the finding is about the
    # accounts as a whole. Not part of the JSON.
    record: str | None = None
    # What `expected` and `found` count: kronor, or people (a year's inhabitants). Not in the JSON.
    unit: Literal["kr", "people"] = "kr"

    @property
    def difference(self) -> Decimal | None:
        if isinstance(self.expected, Decimal) and isinstance(self.found, Decimal):
            return self.found - self.expected
        return None

    def as_json(self) -> dict[str, Any]:
        def text(value: Decimal | str | None) -> str | None:
            if value is None:
                return None
            return plain(value) if isinstance(value, Decimal) else value

        return {
            "check": self.check,
            "severity": self.severity,
            "where": self.where,
            "message": self.message,
            "expected": text(self.expected),
            "found": text(self.found),
            "difference": text(self.difference),
        }
