"""How the report writes numbers, dates and lists in Swedish and English.

Thin wrappers around `lib.money` and `lib.dates` (which know nothing of
Django) plus the few rules the report adds: whole kronor, per cent, month
names, "A, B och C".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from samverkan.lib.dates import format_date, month_name
from samverkan.lib.money import NBSP, format_amount, format_kr


def amount(value: Decimal, lang: str) -> str:
    """1 954 940 (Swedish, no-break spaces, true minus) or 1,954,940."""
    return format_amount(value, lang=lang)


def kronor(value: Decimal, lang: str) -> str:
    """1 954 940 kr, or SEK 1,954,940."""
    return format_kr(value, lang=lang)


def integer(value: int, lang: str) -> str:
    """A count of people grouped like an amount: 507 552 / 507,552."""
    return format_amount(Decimal(value), lang=lang)


def percent(value: Decimal, lang: str) -> str:
    """50 % in Swedish (with a no-break space), 50% in English."""
    text = format_amount(
        value.normalize() if value == value.to_integral_value() else value, lang=lang
    )
    return f"{text}{NBSP}%" if lang == "sv" else f"{text}%"


def date(value: dt.date, lang: str) -> str:
    """14 januari 2021 / 14 January 2021."""
    return format_date(value, lang)


def month(value: int, lang: str) -> str:
    return month_name(value, lang)


def month_or_date(day: dt.date | None, month_number: int | None, lang: str) -> str:
    """The most precise of a date or a month; empty when neither is known."""
    if day is not None:
        return date(day, lang)
    if month_number:
        return month(month_number, lang)
    return ""


def join(items: Sequence[str]) -> str:
    """ "A, B och C" / "A, B and C"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s och %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def period(start: dt.date | None, end: dt.date | None, lang: str) -> str:
    """ "1 maj 2020 – 31 oktober 2020", or an open end on either side."""
    if start and end:
        return f"{date(start, lang)} – {date(end, lang)}"
    if start:
        return _("från %(date)s") % {"date": date(start, lang)}
    if end:
        return _("till %(date)s") % {"date": date(end, lang)}
    return ""
