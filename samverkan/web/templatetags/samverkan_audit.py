"""The audit trail's entries as people read them (see samverkan.web.audit_trail)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from samverkan.audit.models import AuditEntry
from samverkan.web.audit_trail import ReadableEntry, readable

register = template.Library()


@register.filter
def readable_entries(entries: Iterable[AuditEntry]) -> list[ReadableEntry]:
    return readable(entries)
