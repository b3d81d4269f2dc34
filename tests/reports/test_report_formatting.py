"""How the report writes amounts, dates and lists in Swedish and in English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import override

from samverkan.reports import formatting as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("1954940", "sv", f"1{NBSP}954{NBSP}940"),
        ("1954940", "en", "1,954,940"),
        ("-1450", "sv", f"\u22121{NBSP}450"),
        ("-1450", "en", "-1,450"),
        ("4351.50", "sv", f"4{NBSP}351,50"),
        ("4351.50", "en", "4,351.50"),
        ("0", "sv", "0"),
        ("731.00", "sv", "731"),
    ],
)
def test_amounts_group_thousands_the_way_the_language_does(value, lang, expected):
    assert fmt.amount(Decimal(value), lang) == expected


def test_kronor_are_written_after_the_amount_in_swedish_and_as_sek_in_english():
    assert fmt.kronor(Decimal("2012800"), "sv") == f"2{NBSP}012{NBSP}800{NBSP}kr"
    assert fmt.kronor(Decimal("2012800"), "en") == f"SEK{NBSP}2,012,800"


def test_population_counts_are_grouped_like_amounts():
    assert fmt.integer(507552, "sv") == f"507{NBSP}552"
    assert fmt.integer(507552, "en") == "507,552"


def test_per_cent_has_a_no_break_space_in_swedish_only():
    assert fmt.percent(Decimal("50.00"), "sv") == f"50{NBSP}%"
    assert fmt.percent(Decimal("50.00"), "en") == "50%"
    assert fmt.percent(Decimal("12.5"), "sv") == f"12,50{NBSP}%"


def test_dates_use_the_languages_month_names():
    day = dt.date(2021, 1, 14)

    assert fmt.date(day, "sv") == "14 januari 2021"
    assert fmt.date(day, "en") == "14 January 2021"


def test_a_month_without_a_day_is_written_as_the_month():
    assert fmt.month_or_date(None, 12, "sv") == "december"
    assert fmt.month_or_date(None, 12, "en") == "December"
    assert fmt.month_or_date(dt.date(2020, 12, 14), 12, "sv") == "14 december 2020"
    assert fmt.month_or_date(None, None, "sv") == ""


def test_lists_join_with_the_languages_word_for_and():
    with override("sv"):
        assert fmt.join(["Botkyrka", "Salem", "Tyresö"]) == "Botkyrka, Salem och Tyresö"
    with override("en"):
        assert fmt.join(["Botkyrka", "Salem", "Tyresö"]) == "Botkyrka, Salem and Tyresö"
    assert fmt.join(["Huddinge"]) == "Huddinge"
    assert fmt.join([]) == ""


def test_a_period_open_at_one_end_says_from_or_until():
    with override("sv"):
        assert fmt.period(dt.date(2020, 2, 12), None, "sv") == "från 12 februari 2020"
        assert fmt.period(None, dt.date(2018, 6, 30), "sv") == "till 30 juni 2018"
        assert (
            fmt.period(dt.date(2020, 5, 1), dt.date(2020, 10, 31), "sv")
            == "1 maj 2020 – 31 oktober 2020"
        )
    with override("en"):
        assert fmt.period(dt.date(2020, 2, 12), None, "en") == "from 12 February 2020"
