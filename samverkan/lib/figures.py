"""Figures in a year's narrative texts: `{{ key }}` placeholders filled with derived values.

A text that says "Årets överskott landar på {{ fund.drift-2020.closing }}"
prints the surplus derived from the accounts, so prose can never disagree
with the tables. The keys are those of the year file's `published` list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
