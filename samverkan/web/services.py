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

from samverkan.audit.services import diff, record
from samverkan.governance.models import Body, Meeting, Network
from samverkan.members.models import Year
from samverkan.members.services import DomainError, lock_year_for_edit

MEETING_FIELDS = ("date", "month", "format", "kind", "place", "count", "cancelled", "cancel_reason",
                  "guests", "note")


def _state(meeting: Meeting) -> dict[str, Any]:
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
    actor: Any,
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
) -> Meeting:
    """Create a meeting in `year` (meeting=None) or update one of its meetings.

    A meeting belongs to a body or to one or more networks of the year's
    cooperation; a date must fall in the year and then decides the month.
    """
    locked = lock_year_for_edit(year.pk)
    coop_id = locked.cooperation_id
    if meeting is not None and meeting.year_id != locked.pk:
        raise DomainError(_("Mötet hör inte till det här året."))
    if body is None and not networks:
        raise DomainError(_("Ange ett organ eller minst ett nätverk."))
    if (body is not None and body.cooperation_id != coop_id) or any(n.cooperation_id != coop_id for n in networks):
        raise DomainError(_("Organ och nätverk måste höra till samma samverkan."))
    if date is not None:
        if date.year != locked.year:
            raise DomainError(_("Datumet måste ligga inom året %(year)s.") % {"year": locked.year})
        month = date.month
    if count < 1:
        raise DomainError(_("Antalet möten måste vara minst ett."))

    creating = meeting is None
    if meeting is None:
        meeting = Meeting(year=locked)
        before: dict[str, Any] = {}
    else:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = _state(meeting)
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
        last = Meeting.objects.filter(year=locked).order_by("-order").values_list("order", flat=True).first()
        meeting.order = (last or 0) + 1
    meeting.full_clean(exclude=["year", "body"])
    meeting.save()
    meeting.networks.set(networks)
    changes = diff(before, _state(meeting))
    if changes:
        record(actor=actor, action="governance.meeting.create" if creating else "governance.meeting.update",
               cooperation=locked.cooperation, year=locked.year, obj=meeting, changes=changes)
    return meeting
