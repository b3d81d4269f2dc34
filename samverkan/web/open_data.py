"""The open data of a year: plan with follow-ups and accounts, as JSON-ready dicts and CSV text.

Amounts are strings with two decimals and a point ("705650.00"): exact, and
the same in every language. Only published years are served to the public;
the functions themselves do not check that.

A spreadsheet opening the CSV reads a cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return as a formula (OWASP "CSV injection"), and the
texts are typed by users: a follow-up that starts with a Markdown bullet
("- ...") or a `=HYPERLINK(...)`. Such a text cell gets a leading single
quote; numbers, negative amounts included, are written as they are.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from samverkan.lib.money import plain
from samverkan.members.models import Year
from samverkan.web.summaries import accounts_overview, plan_overview

PLAN_CSV_COLUMNS = (
    "focus_area_number",
    "focus_area",
    "activity",
    "networks",
    "status",
    "status_reason",
    "continues",
    "follow_up",
)
ACCOUNTS_CSV_COLUMNS = ("fund", "name", "opening", "income", "costs", "closing")


def year_header(year: Year) -> dict[str, Any]:
    return {
        "cooperation": {"slug": year.cooperation.slug, "name": year.cooperation.name},
        "year": year.year,
        "status": year.status,
        "decided_on": year.decided_on.isoformat() if year.decided_on else None,
        "published_at": year.published_at.isoformat() if year.published_at else None,
    }


def plan_data(year: Year) -> dict[str, Any]:
    """Focus areas, activities and their follow-ups."""
    areas = []
    for area in plan_overview(year).areas:
        fa = area.focus_area
        areas.append(
            {
                "slug": fa.slug,
                "number": fa.number,
                "title": fa.title,
                "group": fa.group.name,
                "main_goal": fa.main_goal,
                "responsible_networks": [n.slug for n in fa.responsible_networks.all()],
                "activities": [
                    {
                        "title": row.activity.title,
                        "description": row.activity.description,
                        "networks": [n.slug for n in row.owners],
                        "follow_up": {
                            "status": row.follow_up.status,
                            "status_reason": row.follow_up.status_reason,
                            "continues": row.follow_up.continues,
                            "text": row.follow_up.text,
                        },
                    }
                    for row in area.rows
                ],
            }
        )
    return {
        **year_header(year),
        "programme": str(year.programme) if year.programme_id else None,
        "focus_areas": areas,
    }


def accounts_data(year: Year) -> dict[str, Any]:
    """Balances and category totals per fund, and the members' fees."""
    overview = accounts_overview(year)
    fees = overview.fees
    return {
        **year_header(year),
        "sign_convention": "closing = opening + income - costs; amounts are positive",
        "funds": [
            {
                "slug": row.slug,
                "name": row.name,
                "opening": plain(row.balance.opening),
                "income": plain(row.balance.income),
                "costs": plain(row.balance.costs),
                "closing": plain(row.balance.closing),
                "categories": [
                    {
                        "category": total.category,
                        "name": name,
                        "kind": total.kind,
                        "amount": plain(total.amount),
                    }
                    for name, total in row.categories
                ],
            }
            for row in overview.funds
        ],
        "total": {
            "opening": plain(overview.total.opening),
            "income": plain(overview.total.income),
            "costs": plain(overview.total.costs),
            "closing": plain(overview.total.closing),
        },
        "fees": {
            "rate": plain(fees.rate) if fees.rate is not None else None,
            "basis_date": fees.basis_date.isoformat() if fees.basis_date else None,
            "charges": [
                {
                    "member": c.member_code,
                    "name": c.member_name,
                    "population": c.population,
                    "amount": plain(c.amount) if c.amount is not None else None,
                }
                for c in fees.charges
            ],
            "total": plain(fees.total),
        },
    }


def year_data(year: Year) -> dict[str, Any]:
    plan = plan_data(year)
    accounts = accounts_data(year)
    return {
        **year_header(year),
        "programme": plan["programme"],
        "focus_areas": plan["focus_areas"],
        "accounts": {key: accounts[key] for key in ("sign_convention", "funds", "total", "fees")},
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with a single quote; others as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def plan_csv(year: Year) -> str:
    rows = []
    for area in plan_overview(year).areas:
        for row in area.rows:
            rows.append(
                {
                    "focus_area_number": area.focus_area.number,
                    "focus_area": area.focus_area.title,
                    "activity": row.activity.title,
                    "networks": " ".join(n.slug for n in row.owners),
                    "status": row.follow_up.status,
                    "status_reason": row.follow_up.status_reason,
                    "continues": "true" if row.follow_up.continues else "false",
                    "follow_up": row.follow_up.text,
                }
            )
    return _csv(PLAN_CSV_COLUMNS, rows)


def accounts_csv(year: Year) -> str:
    rows = [
        {
            "fund": row.slug,
            "name": row.name,
            "opening": plain(row.balance.opening),
            "income": plain(row.balance.income),
            "costs": plain(row.balance.costs),
            "closing": plain(row.balance.closing),
        }
        for row in accounts_overview(year).funds
    ]
    return _csv(ACCOUNTS_CSV_COLUMNS, rows)
