"""Dates in Swedish and English, without the framework's locale machinery."""

from __future__ import annotations

import datetime as dt

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
