"""Dates in Swedish and English, without the framework's locale machinery."""

from __future__ import annotations

import datetime as dt

# The years a record may name (a project's end, a surplus, a grant's payment, a membership):
# wide enough for any cooperation's history and plans, narrow enough to catch a typing error
# (0, 99999) before it reaches a report.
FIRST_YEAR = 1900
LAST_YEAR = 2200


def is_calendar_year(year: int) -> bool:
    """Whether `year` lies between FIRST_YEAR and LAST_YEAR."""
    return FIRST_YEAR <= year <= LAST_YEAR


MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(month: int, lang: str = "sv") -> str:
    return (MONTHS_SV if lang == "sv" else MONTHS_EN)[month - 1]


def format_date(value: dt.date, lang: str = "sv") -> str:
    """ "14 januari 2021" in Swedish, "14 January 2021" in English."""
    return f"{value.day} {month_name(value.month, lang)} {value.year}"


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)
