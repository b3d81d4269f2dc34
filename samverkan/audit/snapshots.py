"""A record's values as JSON-ready data, to compare before and after a change."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models


def json_value(value: Any) -> Any:
    """Dates, times, Decimals and UUIDs as strings; everything else as is."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(obj: models.Model, *, with_m2m: bool = True) -> dict[str, Any]:
    """Every concrete field (foreign keys as ids) and, for a saved record, its many-to-many ids.

    Fields that change by themselves (auto_now timestamps) are left out, so
    that a diff shows only what someone changed.
    """
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        data[field.attname] = json_value(getattr(obj, field.attname))
    if with_m2m and obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def readable_state(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields as a reader of the audit trail wants them: a related record by its
    name, many-to-many as a sorted list of names, dates and Decimals as text.

    Unlike `snapshot` (ids, for exact comparison), the values stay readable after the
    related records are gone; the audit page labels the fields with their verbose names.
    """
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else []
        elif field.is_relation:
            related = getattr(obj, name)
            data[name] = str(related) if related is not None else None
        else:
            data[name] = json_value(getattr(obj, name))
    return data
