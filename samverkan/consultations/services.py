"""Changes to the register of consultation responses: atomic, audited, refused in a locked year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samverkan.audit.services import Actor, diff, record
from samverkan.audit.snapshots import readable_state
from samverkan.consultations.models import ConsultationResponse
from samverkan.core.validation import check_record
from samverkan.members.models import Year
from samverkan.members.services import DomainError, lock_year_for_edit, refuse_if_changed

FIELDS = (
    "subject",
    "authority",
    "received_on",
    "sent_on",
    "month",
    "recipient",
    "answered",
    "link",
    "note",
)


def consultation_state(response: ConsultationResponse) -> dict[str, Any]:
    """A response's state as its audit entries compare it (and its edit form's digest covers it)."""
    return readable_state(response, FIELDS)


@transaction.atomic
def save_consultation_response(
    year: Year,
    response: ConsultationResponse | None = None,
    *,
    actor: Actor,
    subject: str,
    authority: str = "",
    received_on: dt.date | None = None,
    sent_on: dt.date | None = None,
    month: int | None = None,
    recipient: str = "",
    answered: bool = True,
    link: str = "",
    note: str = "",
    read_as: str | None = None,
) -> ConsultationResponse:
    """Register a consultation response in `year` (response=None) or correct one of its responses.

    The record's rules are the model's (`ConsultationResponse.clean`); a broken
    one raises ValidationError keyed by field, and nothing is saved. `read_as`: the digest of
    the response as the edit form read it; EditConflict if it changed since.
    """
    locked = lock_year_for_edit(year.pk)
    creating = response is None
    if response is None:
        response = ConsultationResponse(year=locked)
        last = ConsultationResponse.objects.filter(year=locked).aggregate(m=Max("order"))["m"]
        response.order = (last or 0) + 1
        before: dict[str, Any] = {}
    else:
        response = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
        if response.year_id != locked.pk:
            raise DomainError(_("Remissvaret hör inte till det här året."))
        before = consultation_state(response)
        refuse_if_changed(response, before, read_as, what=_("Remissvaret"))
    response.subject = subject.strip()
    response.authority = authority.strip()
    response.received_on = received_on
    response.sent_on = sent_on
    response.month = month
    response.recipient = recipient.strip()
    response.answered = answered
    response.link = link.strip()
    response.note = note.strip()
    check_record(response)
    response.save()
    changes = diff(before, consultation_state(response))
    if changes:
        record(
            actor=actor,
            action="consultations.response.create" if creating else "consultations.response.update",
            cooperation=locked.cooperation,
            year=locked.year,
            obj=response,
            changes=changes,
        )
    return response


@transaction.atomic
def delete_consultation_response(
    response: ConsultationResponse, *, actor: Actor, read_as: str | None = None
) -> None:
    """Remove a consultation response; the audit entry keeps what it said.
    `read_as`: the digest of the record as the confirm page showed it; EditConflict, and
    nothing removed, if it changed since."""
    locked = lock_year_for_edit(response.year_id)
    response = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
    refuse_if_changed(
        response, consultation_state(response), read_as, what=_("Remissvaret"), removing=True
    )
    record(
        actor=actor,
        action="consultations.response.delete",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=response,
        changes=diff(consultation_state(response), {}),
    )
    response.delete()
