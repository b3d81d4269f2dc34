"""What every register edit page does so that a save cannot silently overwrite a newer one.

The form carries, in the hidden field `read_as`, the digest of the record's
state as the page read it (`samverkan.members.conflicts`). The view hands the
posted digest to the record's service, which refuses with EditConflict when
the record changed since; the page then answers 409, shows what is stored now
above the form, keeps what the user typed, and carries the fresh digest, so
that saving again is a decision made after reading. An edit posted without
the digest (an old page, a script) is refused with 400. A new record has no
digest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from samverkan.consultations.models import ConsultationResponse
from samverkan.consultations.services import consultation_state
from samverkan.governance.models import Event, Meeting
from samverkan.governance.services import event_state
from samverkan.members.conflicts import EditConflict, state_digest
from samverkan.members.models import YearText
from samverkan.members.services import year_text_state
from samverkan.web.audit_trail import field_label, show
from samverkan.web.services import meeting_state

DIGEST_FIELD = "read_as"

# Each guarded record's state: the one its service builds for the audit trail and compares.
STATES: dict[type[Model], Callable[[Any], dict[str, Any]]] = {
    Meeting: meeting_state,
    ConsultationResponse: consultation_state,
    Event: event_state,
    YearText: year_text_state,
}


def digest_of(record: Model) -> str:
    """The digest of `record` as stored now: what its edit form carries."""
    return state_digest(STATES[type(record)](record))


@dataclass(frozen=True, slots=True)
class StoredRow:
    label: str
    value: str


def stored_rows(record: Model, state: dict[str, Any]) -> list[StoredRow]:
    """The stored state as the page shows it: field labels and values as the audit trail shows them."""
    model = type(record)
    rows = []
    for name, value in state.items():
        try:
            model_field: Any = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
        rows.append(StoredRow(field_label(model, name), show(value, model_field)))
    return rows


class EditGuard:
    """The digest an edit page carries, and what it shows when a save is refused.

    Use: `guard = EditGuard(request, record)` (record None on a page that creates one); before
    saving, `guard.missing()` (a refusal, or ""); pass `guard.read_as` to the service; on
    EditConflict, `guard.conflict(exc)`; render with `edit_guard=guard`, the form including
    `web/_read_as.html` and the page `web/_stored_record.html` under its error.
    """

    def __init__(self, request: HttpRequest, record: Model | None) -> None:
        self.record = record
        self.stored: list[StoredRow] = []
        if record is None:
            self.digest = ""
        elif request.method == "POST":
            # A re-rendered form (bad input, a preview) keeps the digest it was read with.
            self.digest = request.POST.get(DIGEST_FIELD, "").strip()
        else:
            self.digest = digest_of(record)
        self.field_name = DIGEST_FIELD

    @property
    def read_as(self) -> str | None:
        """What the service compares (None for a new record)."""
        return self.digest if self.record is not None else None

    def missing(self) -> str:
        """The refusal of an edit posted without its digest; "" when it carries one."""
        if self.record is None or self.digest:
            return ""
        state = STATES[type(self.record)](self.record)
        self.digest = state_digest(state)
        self.stored = stored_rows(self.record, state)
        return _(
            "Formuläret saknar uppgift om vilken version av posten du utgick från, så inget "
            "sparades. Det sparade visas nedan; dina ändringar står kvar i formuläret. Jämför "
            "och spara igen om de ska gälla."
        )

    def conflict(self, exc: EditConflict) -> str:
        """Show what is stored now and carry its digest; the message for the top of the page."""
        self.digest = exc.digest
        self.stored = stored_rows(exc.current, exc.state)
        return exc.message
