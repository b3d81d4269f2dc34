"""Which cooperation a record belongs to, and which decided years it feeds.

Each model says it itself: `cooperation_path` leads to its cooperation's id,
and (through `members.locking.ReadByYears`) `years_read` names the years that
read it. A model without `cooperation_path` is not scoped and therefore not
offered to the secretariat. This module knows no domain model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from samverkan.members.locking import ReadByYears, first_locked_year, years_touched_by_save


def cooperation_path(model: type[models.Model]) -> str | None:
    path = getattr(model, "cooperation_path", None)
    return path if isinstance(path, str) else None


def scoped(
    queryset: models.QuerySet[Any], cooperation_ids: Iterable[int] | None
) -> models.QuerySet[Any]:
    """The rows of `queryset` that belong to one of the cooperations (None: no limit)."""
    if cooperation_ids is None:
        return queryset
    path = cooperation_path(queryset.model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": list(cooperation_ids)})


def cooperation_id_of(obj: models.Model) -> int | None:
    """The id of the cooperation `obj` belongs to, following its `cooperation_path`."""
    path = cooperation_path(type(obj))
    if path is None:
        return None
    *steps, last = path.split("__")
    target: Any = obj
    for step in steps:
        target = getattr(target, step, None)
        if target is None:
            return None
    value = getattr(target, last, None)
    return value if isinstance(value, int) else None


def locked_year(obj: models.Model) -> Any:
    """A decided or published year that `obj`, as stored, belongs to or feeds; None if none."""
    if not isinstance(obj, ReadByYears):
        return None
    return first_locked_year(obj.years_read())


def locked_year_of_change(obj: models.Model) -> Any:
    """A decided or published year that saving `obj` as it is now would alter; None if none."""
    if not isinstance(obj, ReadByYears):
        return None
    return first_locked_year(years_touched_by_save(obj))


def audit_year(obj: models.Model) -> int | None:
    """The year number an audit entry of `obj` names: its own year, when it has exactly one."""
    if not isinstance(obj, ReadByYears) or obj.year_path is None:
        return None
    from samverkan.members.locking import follow

    year = follow(obj, obj.year_path) if obj.year_path else obj
    number = getattr(year, "year", None)
    return number if isinstance(number, int) else None
