"""Changes to the meetings register: atomic, audited, refused in a locked year.

Meetings are governance records; this module holds their service until the
governance app gets its own `services.py` (the web app is the only writer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.audit.services import Actor, diff, record
from samverkan.core.validation import check_record
from samverkan.governance.models import Body, Meeting, Network
from samverkan.members.models import Year
from samverkan.members.services import DomainError, lock_year_for_edit, refuse_if_changed

MEETING_FIELDS = (
    "date",
    "month",
    "format",
    "kind",
    "place",
    "count",
    "cancelled",
    "cancel_reason",
    "guests",
    "note",
)


def meeting_state(meeting: Meeting) -> dict[str, Any]:
    """A meeting's state as its audit entries compare it (and its edit form's digest covers it)."""
    state: dict[str, Any] = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    state["date"] = meeting.date.isoformat() if meeting.date else None
    state["body"] = meeting.body.slug if meeting.body_id and meeting.body else None
    state["networks"] = sorted(n.slug for n in meeting.networks.all()) if meeting.pk else []
    return state


@transaction.atomic
def save_meeting(
    year: Year,
    meeting: Meeting | None = None,
    *,
    actor: Actor,
    body: Body | None,
    networks: Sequence[Network],
    format: str,
    kind: str,
    date: dt.date | None = None,
    month: int | None = None,
    place: str = "",
    count: int = 1,
    cancelled: bool = False,
    cancel_reason: str = "",
    guests: str = "",
    note: str = "",
    read_as: str | None = None,
) -> Meeting:
    """Create a meeting in `year` (meeting=None) or update one of its meetings.

    The meeting's rules are the model's (`Meeting.clean`, `Meeting.owner_errors`);
    a broken one raises ValidationError keyed by field, and nothing is saved. `read_as`: the
    digest of the meeting as the edit form read it; EditConflict if it changed since.
    """
    locked = lock_year_for_edit(year.pk)
    if meeting is not None and meeting.year_id != locked.pk:
        raise DomainError(_("Mötet hör inte till det här året."))
    creating = meeting is None
    if meeting is None:
        meeting = Meeting(year=locked)
        before: dict[str, Any] = {}
    else:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = meeting_state(meeting)
        refuse_if_changed(meeting, before, read_as, what=_("Mötet"))
    meeting.body = body
    meeting.date = date
    meeting.month = month
    meeting.format = format
    meeting.kind = kind
    meeting.place = place.strip()
    meeting.count = count
    meeting.cancelled = cancelled
    meeting.cancel_reason = cancel_reason.strip() if cancelled else ""
    meeting.guests = guests.strip()
    meeting.note = note.strip()
    if creating:
        last = (
            Meeting.objects.filter(year=locked)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        meeting.order = (last or 0) + 1
    check_record(meeting, extra=Meeting.owner_errors(locked.cooperation_id, body, networks))
    meeting.save()
    meeting.networks.set(networks)
    changes = diff(before, meeting_state(meeting))
    if changes:
        record(
            actor=actor,
            action="governance.meeting.create" if creating else "governance.meeting.update",
            cooperation=locked.cooperation,
            year=locked.year,
            obj=meeting,
            changes=changes,
        )
    return meeting


@transaction.atomic
def delete_meeting(meeting: Meeting, *, actor: Actor, read_as: str | None = None) -> None:
    """Remove a meeting from its year's register; the audit entry keeps what it said.
    `read_as`: the digest of the record as the confirm page showed it; EditConflict, and
    nothing removed, if it changed since."""
    locked = lock_year_for_edit(meeting.year_id)
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    )
    refuse_if_changed(meeting, meeting_state(meeting), read_as, what=_("Mötet"), removing=True)
    record(
        actor=actor,
        action="governance.meeting.delete",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=meeting,
        changes=diff(meeting_state(meeting), {}),
    )
    meeting.delete()
