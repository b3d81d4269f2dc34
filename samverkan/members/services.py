"""The year's workflow: plan, follow-up, draft report, decided (locked), published.

Every function here is atomic, takes the acting user as the keyword-only
`actor` and writes one audit entry. A decided or published year is locked:
`lock_year_for_edit` is the gate every editing service in other apps passes
through, so the lock holds for all of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.services import diff, record
from samverkan.members.locking import (  # noqa: F401  (re-exported: the services' errors and gate)
    DomainError,
    YearLocked,
    lock_year_for_edit,
    locked_message,
)
from samverkan.members.models import LOCKED_STATUSES, Year, YearStatus


class WorkflowError(DomainError):
    """A status change that the year's workflow does not allow from where it stands."""


# The statuses that `set_year_status` may move between; deciding, publishing
# and reopening have their own services because they carry more than a status.
OPEN_STATUSES = (YearStatus.PLANNING, YearStatus.FOLLOW_UP, YearStatus.DRAFT)


def _state(year: Year) -> dict[str, Any]:
    return {
        "status": year.status,
        "decided_on": year.decided_on.isoformat() if year.decided_on else None,
        "published_at": year.published_at.isoformat() if year.published_at else None,
    }


def _save(
    year: Year, before: dict[str, Any], *, actor: Any, action: str, message: str = ""
) -> Year:
    year.save(update_fields=["status", "decided_on", "published_at"])
    record(
        actor=actor,
        action=action,
        cooperation=year.cooperation,
        year=year.year,
        obj=year,
        changes=diff(before, _state(year)),
        message=message,
    )
    return year


@transaction.atomic
def set_year_status(year: Year, status: str, *, actor: Any) -> Year:
    """Move an open year between planning, follow-up and draft report."""
    if status not in OPEN_STATUSES:
        raise WorkflowError(
            _("Använd beslut, publicering eller återöppning för att ändra till den statusen.")
        )
    locked = lock_year_for_edit(year.pk)
    if locked.status == status:
        return locked
    before = _state(locked)
    locked.status = status
    return _save(locked, before, actor=actor, action="year.status")


@transaction.atomic
def decide_year(year: Year, decided_on: dt.date, *, actor: Any) -> Year:
    """Record the committee's decision on the draft report; the year is locked from now on."""
    locked = lock_year_for_edit(year.pk)
    if locked.status != YearStatus.DRAFT:
        raise WorkflowError(
            _("Året måste ha ett utkast till årsredovisning innan det kan beslutas.")
        )
    before = _state(locked)
    locked.status = YearStatus.DECIDED
    locked.decided_on = decided_on
    try:
        locked.clean()  # the decision date's bounds are the model's rule
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None
    return _save(locked, before, actor=actor, action="year.decide")


@transaction.atomic
def publish_year(year: Year, *, actor: Any) -> Year:
    """Publish a decided year: its report and open data become public."""
    locked = Year.objects.select_for_update().select_related("cooperation").get(pk=year.pk)
    if locked.status != YearStatus.DECIDED:
        raise WorkflowError(_("Bara ett beslutat år kan publiceras."))
    before = _state(locked)
    locked.status = YearStatus.PUBLISHED
    locked.published_at = timezone.now()
    return _save(locked, before, actor=actor, action="year.publish")


@transaction.atomic
def reopen_year(year: Year, *, actor: Any, reason: str) -> Year:
    """Unlock a decided or published year for corrections; it returns to draft and leaves the public.

    The decision date and publication time are cleared (the audit entry keeps
    them): the corrected report needs a new decision.
    """
    locked = Year.objects.select_for_update().select_related("cooperation").get(pk=year.pk)
    if locked.status not in LOCKED_STATUSES:
        raise WorkflowError(_("Året är inte låst."))
    if not reason.strip():
        raise WorkflowError(_("Ange varför året öppnas igen."))
    before = _state(locked)
    locked.status = YearStatus.DRAFT
    locked.decided_on = None
    locked.published_at = None
    return _save(locked, before, actor=actor, action="year.reopen", message=reason.strip())
