"""The year's workflow: plan, follow-up, draft report, decided (locked), published.

Every function here is atomic, takes the acting user as the keyword-only
`actor` and writes one audit entry. A decided or published year is locked:
`lock_year_for_edit` is the gate every editing service in other apps passes
through, so the lock holds for all of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.services import diff, record
from samverkan.members.models import LOCKED_STATUSES, Year, YearStatus


class DomainError(Exception):
    """A change the rules refuse; the message is for the user, already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class YearLocked(DomainError):
    """The year is decided or published; nothing in it may change until it is reopened."""


class WorkflowError(DomainError):
    """A status change that the year's workflow does not allow from where it stands."""


# The statuses that `set_year_status` may move between; deciding, publishing
# and reopening have their own services because they carry more than a status.
OPEN_STATUSES = (YearStatus.PLANNING, YearStatus.FOLLOW_UP, YearStatus.DRAFT)


def locked_message(year: Year) -> str:
    return _(
        "Året %(year)s är %(status)s och därför låst. Kansliet måste öppna året igen innan något kan ändras."
    ) % {"year": year.year, "status": year.get_status_display().lower()}


def lock_year_for_edit(year_id: int) -> Year:
    """Lock the year row for the rest of the transaction and refuse if the year is locked.

    Every editing service calls this first inside its transaction, so an edit
    and a decision on the same year cannot interleave (on PostgreSQL the row
    lock makes the second wait for the first).
    """
    year = Year.objects.select_for_update().select_related("cooperation").get(pk=year_id)
    if year.is_locked:
        raise YearLocked(locked_message(year))
    return year


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
    if decided_on.year < locked.year:
        raise WorkflowError(_("Beslutsdatumet kan inte ligga före det år som beslutas."))
    before = _state(locked)
    locked.status = YearStatus.DECIDED
    locked.decided_on = decided_on
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
