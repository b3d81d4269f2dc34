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

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from samverkan.consultations.models import ConsultationResponse
from samverkan.consultations.services import consultation_state
from samverkan.finance.models import AccountMapping
from samverkan.finance.services import mapping_state
from samverkan.governance.models import Event, Meeting
from samverkan.governance.services import event_state
from samverkan.members.conflicts import EditConflict, state_digest
from samverkan.members.models import Year, YearText
from samverkan.members.services import year_text_state
from samverkan.projects.models import Project
from samverkan.projects.services import project_state
from samverkan.web.audit_trail import field_label, field_of, show
from samverkan.web.services import meeting_state

DIGEST_FIELD = "read_as"

# Each guarded record's state in the page's year: the one its service builds for the audit
# trail and compares (a project's: the project, its part in the year and the year's rows).
STATES: dict[type[Model], Callable[[Any, Year], dict[str, Any]]] = {
    Meeting: lambda meeting, _year: meeting_state(meeting),
    ConsultationResponse: lambda response, _year: consultation_state(response),
    Event: lambda event, _year: event_state(event),
    YearText: lambda text, _year: year_text_state(text),
    Project: project_state,
    AccountMapping: lambda mapping, _year: mapping_state(mapping),
}


def state_of(record: Model, year: Year) -> dict[str, Any]:
    return STATES[type(record)](record, year)


def digest_of(record: Model, year: Year) -> str:
    """The digest of `record` as stored now (as the page of `year` shows it): what its edit
    form carries."""
    return state_digest(state_of(record, year))


@dataclass(frozen=True, slots=True)
class StoredRow:
    label: str
    value: str


def stored_rows(record: Model, state: dict[str, Any]) -> list[StoredRow]:
    """The stored state as the page shows it: field labels and values as the audit trail shows them."""
    model = type(record)
    return [
        StoredRow(field_label(model, name), show(value, field_of(model, name)))
        for name, value in state.items()
    ]


class EditGuard:
    """The digest an edit page carries, and what it shows when a save is refused.

    Use: `guard = EditGuard(request, record, year)` (record None on a page that creates one;
    `posted=False` when a POST's data is not this form's); before
    saving, `guard.missing()` (a refusal, or ""); pass `guard.read_as` to the service; on
    EditConflict, `guard.conflict(exc)`; render with `edit_guard=guard`, the form including
    `web/_read_as.html` and the page `web/_stored_record.html` under its error.
    """

    def __init__(
        self,
        request: HttpRequest,
        record: Model | None,
        year: Year,
        *,
        posted: bool | None = None,
    ) -> None:
        self.record = record
        self.year = year
        self.stored: list[StoredRow] = []
        if posted is None:
            posted = request.method == "POST"
        if record is None:
            self.digest = ""
        elif posted:
            # A re-rendered form (bad input, a preview) keeps the digest it was read with.
            self.digest = request.POST.get(DIGEST_FIELD, "").strip()
        else:
            self.digest = digest_of(record, year)
        self.field_name = DIGEST_FIELD

    @property
    def read_as(self) -> str | None:
        """What the service compares (None for a new record)."""
        return self.digest if self.record is not None else None

    def missing(self) -> str:
        """The refusal of an edit posted without its digest; "" when it carries one."""
        if self.record is None or self.digest:
            return ""
        state = state_of(self.record, self.year)
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
