"""Template helpers of the yearly cycle, for pages that other views render (dashboard, accounts)."""

from __future__ import annotations

from typing import Any

from django import template

from samverkan.finance.budget import budget_comparison as _comparison
from samverkan.members.models import Year

register = template.Library()


@register.simple_tag
def budget_comparison(year: Year) -> Any:
    """Budget against outcome per fund and category (empty when the year has no budget)."""
    return _comparison(year)


@register.simple_tag
def next_year_to_start(year: Year) -> int | None:
    """The year after `year` when it is not yet in the system (the dashboard offers to start it)."""
    number = year.year + 1
    exists = Year.objects.filter(cooperation_id=year.cooperation_id, year=number).exists()
    return None if exists else number
