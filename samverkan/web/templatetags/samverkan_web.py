"""Template filters of the web app: Markdown, money in the page's language; a create form's token."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy

from samverkan.lib.money import format_amount, format_kr
from samverkan.web.markup import render_markdown
from samverkan.web.once import ONCE_FIELD, form_token

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context: template.Context) -> SafeString:
    """The hidden one-time token of a form that adds a record (samverkan/web/once.py)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', ONCE_FIELD, form_token(context["request"])
    )


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def kr(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return format_kr(value, lang=_lang(), decimals=0)


@register.filter
def amount(value: Decimal | int | None) -> str:
    if value is None:
        return "–"
    return format_amount(Decimal(value), lang=_lang(), decimals=0)


@register.filter
def amount_exact(value: Decimal | int | None) -> str:
    """An amount with its öre when it has any ("4 220,75"), as a file states it."""
    if value is None:
        return "–"
    return format_amount(Decimal(value), lang=_lang())


FILE_KINDS = {
    "docx": gettext_lazy("Word-dokument (DOCX)"),
    "md": gettext_lazy("ren text (Markdown, MD)"),
}


@register.filter
def file_kind(fmt: str) -> str:
    """A report format as a reader knows it: "Word-dokument (DOCX)", "PDF"."""
    return str(FILE_KINDS.get(fmt.lower(), fmt.upper()))


@register.filter
def change_rows(changes: object) -> list[tuple[str, Any, Any]]:
    """An audit entry's changes as (field, before, after); a plain value is shown as "after"."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, change in changes.items():
        if isinstance(change, dict) and set(change) <= {"before", "after"}:
            rows.append((str(name), change.get("before"), change.get("after")))
        else:
            rows.append((str(name), None, change))
    return rows


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """A duration in whole minutes (rounded up), for messages such as the login lock-out."""
    if value is None:
        return 0
    return int(-(-value.total_seconds() // 60))


@register.filter
def month_name(value: int | None) -> str:
    """A month's number as its name in the page's language ("mars"), for records that know only
    the month; an out-of-range number is shown as it is."""
    if value in MONTHS:
        return str(MONTHS[value])
    return "" if value is None else str(value)
