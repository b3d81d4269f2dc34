"""One way to write the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import models

from samverkan.audit.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Who makes a change: a signed-in user, a label for a command-line or system run
# ("samverkan load", "tests"), or None for the system itself.
Actor: TypeAlias = "User | str | None"


def user_of(actor: Actor) -> User | None:
    """The stored user behind an actor, for the fields that point at one (None for a label)."""
    if actor is None or isinstance(actor, str) or actor.pk is None:
        return None
    return actor


def _label(actor: Actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return str(actor.get_username())


def record(
    *,
    actor: Actor,
    action: str,
    cooperation: Any = None,
    year: int | None = None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    message: str = "",
) -> AuditEntry:
    """Write one audit entry. `actor` is a user, a label for a command-line run, or None.

    `changes` maps a field name to {"before": ..., "after": ...}; values must
    be JSON-serialisable (strings for dates and Decimals).
    """
    return AuditEntry.objects.create(
        actor=user_of(actor),
        actor_label=_label(actor),
        cooperation=cooperation,
        year=year,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes or {},
        message=message,
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields whose value changed, as {"field": {"before": b, "after": a}}."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
