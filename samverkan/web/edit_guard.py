"""What every edit page of an existing record does so that a save cannot silently overwrite a
newer one: the registers, the plan (focus areas, sub-goals, activities, proposals), a fund's
ledger grid, the budget, the networks and their years, members, fee rules, roles, a person's
name and address and a year's stated inhabitants; and the
confirm pages that delete or cancel one of them (a person removes only what they have seen as
it is stored now).

The form carries, in the hidden field `read_as`, the digest of the record's
state as the page read it (`samverkan.members.conflicts`). The view hands the
posted digest to the record's service, which refuses with EditConflict when
the record changed since; the page then answers 409, shows what is stored now
above the form, keeps what the user typed, and carries the fresh digest, so
that saving again is a decision made after reading. An edit posted without
the digest (an old page, a script) is refused with 400. A new record has no
digest. What a page guards need not be one row: a fund's ledger grid in a year
(its lines), a year's budget, a network's part in a year (`Guarded`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.accounts.models import RoleAssignment
from samverkan.accounts.services import person_state, role_state
from samverkan.consultations.models import ConsultationResponse
from samverkan.consultations.services import consultation_state
from samverkan.finance.models import AccountMapping, CostCategory, Fund
from samverkan.finance.services import budget_state, ledger_grid_state, mapping_state
from samverkan.governance.models import Event, Meeting, Network, NetworkYear
from samverkan.governance.services import event_state, network_state, network_year_state
from samverkan.lib.money import format_amount
from samverkan.members.conflicts import EditConflict, state_digest
from samverkan.members.locking import DomainError
from samverkan.members.models import FeeRule, Member, Year, YearText
from samverkan.members.services import (
    fee_rule_state,
    member_state,
    population_total_state,
    year_text_state,
)
from samverkan.plan.models import Activity, ActivityProposal, FocusArea, SubGoal
from samverkan.plan.services import (
    activity_state,
    focus_area_state,
    proposal_state,
    sub_goal_state,
)
from samverkan.projects.models import Project
from samverkan.projects.services import project_state
from samverkan.web.audit_trail import field_label, field_of, show
from samverkan.web.register_forms import add_service_errors
from samverkan.web.services import meeting_state

DIGEST_FIELD = "read_as"


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


@dataclass(frozen=True, slots=True)
class Guarded:
    """What an edit page guards: the state of its record as the page of a year reads it (the
    one the record's service builds for the audit trail and compares), and how the page shows
    that state when a save is refused (by default: field labels and values)."""

    state: Callable[[Any, Year], dict[str, Any]]
    rows: Callable[[Any, dict[str, Any]], list[StoredRow]] = stored_rows


def _amount(value: str | None) -> str:
    if value is None:
        return "–"
    lang = "en" if (get_language() or "sv").startswith("en") else "sv"
    return format_amount(Decimal(value), lang=lang)


def ledger_grid_rows(fund: Fund, state: dict[str, Any]) -> list[StoredRow]:
    """A fund's stored ledger grid: a row per line (date; category, text, amount), then the
    number of imported lines."""
    names = dict(
        CostCategory.objects.filter(cooperation_id=fund.cooperation_id).values_list("slug", "name")
    )
    rows = [
        StoredRow(
            line["date"] or "–",
            " · ".join(
                part
                for part in (
                    names.get(line["category"], line["category"] or ""),
                    line["text"],
                    _amount(line["amount"]),
                )
                if part
            ),
        )
        for line in state["lines"]
    ]
    if not rows:
        rows.append(StoredRow(_("Rader"), _("inga rader förda för hand")))
    rows.append(StoredRow(_("Importerade rader (SIE)"), str(state["imported"]["lines"])))
    return rows


def budget_rows(year: Year, state: dict[str, Any]) -> list[StoredRow]:
    """The stored budget: an amount per fund and category, then the events' cost caps."""
    funds = dict(
        Fund.objects.filter(cooperation_id=year.cooperation_id).values_list("slug", "name")
    )
    categories = dict(
        CostCategory.objects.filter(cooperation_id=year.cooperation_id).values_list("slug", "name")
    )
    events = dict(Event.objects.filter(year_id=year.pk).values_list("slug", "name"))
    rows = []
    for key, value in state.items():
        if key.startswith("event."):
            slug = key.split(".")[1]
            label = _("Kostnadstak per deltagare, %(event)s") % {"event": events.get(slug, slug)}
        else:
            fund, category = key.split(".", 1)
            label = f"{categories.get(category, category)}, {funds.get(fund, fund)}"
        rows.append(StoredRow(label, _amount(value)))
    return rows or [StoredRow(_("Budget"), _("ingen budget är sparad"))]


def _network_year_of(network: Network, year: Year) -> dict[str, Any]:
    return network_year_state(NetworkYear.objects.filter(year=year, network=network).first())


def network_year_rows(network: Network, state: dict[str, Any]) -> list[StoredRow]:
    if not state:
        return [StoredRow(_("Deltar under året"), _("nej"))]
    return stored_rows(NetworkYear(), state)


# Each guarded record's state in the page's year: the one its service builds for the audit
# trail and compares (a project's: the project, its part in the year and the year's rows; a
# fund's: its ledger grid in the year; a year's: its budget).
GUARDED: dict[type[Model], Guarded] = {
    Meeting: Guarded(lambda meeting, _year: meeting_state(meeting)),
    ConsultationResponse: Guarded(lambda response, _year: consultation_state(response)),
    Event: Guarded(lambda event, _year: event_state(event)),
    YearText: Guarded(lambda text, _year: year_text_state(text)),
    Project: Guarded(project_state),
    AccountMapping: Guarded(lambda mapping, _year: mapping_state(mapping)),
    FocusArea: Guarded(lambda area, _year: focus_area_state(area)),
    SubGoal: Guarded(lambda goal, _year: sub_goal_state(goal)),
    Activity: Guarded(lambda activity, _year: activity_state(activity)),
    ActivityProposal: Guarded(lambda proposal, _year: proposal_state(proposal)),
    Fund: Guarded(lambda fund, year: ledger_grid_state(year.pk, fund), ledger_grid_rows),
    Year: Guarded(lambda year, _year: budget_state(year), budget_rows),
    Network: Guarded(lambda network, _year: network_state(network)),
    Member: Guarded(lambda member, _year: member_state(member)),
    FeeRule: Guarded(lambda rule, _year: fee_rule_state(rule)),
    RoleAssignment: Guarded(lambda assignment, _year: role_state(assignment)),
    get_user_model(): Guarded(lambda person, _year: person_state(person)),
}

# Pages that guard another state of a record than its own edit page: how a network takes
# part in the page's year; the inhabitants a year states (its budget is the year's own).
NETWORK_YEAR = Guarded(_network_year_of, network_year_rows)
POPULATION_TOTAL = Guarded(lambda year, _year: population_total_state(year))


def state_of(record: Model, year: Year, guarded: Guarded | None = None) -> dict[str, Any]:
    return (guarded or GUARDED[type(record)]).state(record, year)


def digest_of(record: Model, year: Year, guarded: Guarded | None = None) -> str:
    """The digest of `record` as stored now (as the page of `year` shows it): what its edit
    form carries."""
    return state_digest(state_of(record, year, guarded))


class Saved(NamedTuple):
    """What a guarded save came to: status 0 when saved, else the page's status and message
    ("" when the form shows the errors itself)."""

    status: int
    error: str = ""


class EditGuard:
    """The digest an edit page carries, and what it shows when a save is refused.

    Use: `guard = EditGuard(request, record, year)` (record None on a page that creates one;
    `posted=False` when a POST's data is not this form's, as for the other forms of a page
    with several; `guarded` when the page edits another state of the record than GUARDED
    names, as NETWORK_YEAR); before
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
        guarded: Guarded | None = None,
    ) -> None:
        self.record = record
        self.year = year
        self.guarded = guarded or (GUARDED[type(record)] if record is not None else None)
        self.stored: list[StoredRow] = []
        if posted is None:
            posted = request.method == "POST"
        if record is None:
            self.digest = ""
        elif posted:
            # A re-rendered form (bad input, a preview) keeps the digest it was read with.
            self.digest = request.POST.get(DIGEST_FIELD, "").strip()
        else:
            self.digest = digest_of(record, year, self.guarded)
        self.field_name = DIGEST_FIELD

    @property
    def read_as(self) -> str | None:
        """What the service compares (None for a new record)."""
        return self.digest if self.record is not None else None

    def missing(self) -> str:
        """The refusal of an edit posted without its digest; "" when it carries one."""
        if self.record is None or self.digest:
            return ""
        assert self.guarded is not None
        state = self.guarded.state(self.record, self.year)
        self.digest = state_digest(state)
        self.stored = self.guarded.rows(self.record, state)
        return _(
            "Formuläret saknar uppgift om vilken version av posten du utgick från, så inget "
            "sparades. Det sparade visas nedan; dina ändringar står kvar i formuläret. Jämför "
            "och spara igen om de ska gälla."
        )

    def shown(self) -> list[StoredRow]:
        """The record as stored now, as the page shows it: what a confirm page asks about."""
        if self.record is None or self.guarded is None:
            return []
        return self.guarded.rows(self.record, self.guarded.state(self.record, self.year))

    def save(self, form: forms.BaseForm, write: Callable[[], object]) -> Saved:
        """The one shape of a guarded save: refuse an edit without its digest (400) and bad
        input (400, on the form), else call `write` (the service, handed `self.read_as`) and
        turn its refusals into the page's answer: a newer save (409, the stored record shown),
        a rule of the record (400, on the form's fields), a domain refusal such as the year
        lock (409). `Saved.status` is 0 when the write went through."""
        if refusal := self.missing():
            return Saved(400, refusal)
        if not form.is_valid():
            return Saved(400)
        try:
            write()
        except EditConflict as exc:
            return Saved(409, self.conflict(exc))
        except ValidationError as exc:
            add_service_errors(exc, form)
            return Saved(400)
        except DomainError as exc:
            return Saved(409, exc.message)
        return Saved(0)

    def conflict(self, exc: EditConflict) -> str:
        """Show what is stored now and carry its digest; the message for the top of the page."""
        self.digest = exc.digest
        rows = self.guarded.rows if self.guarded is not None else stored_rows
        # The page's record shows the state (a fund its grid, a year its budget); the stored
        # record of the refusal may be another (a network's year).
        self.stored = rows(self.record if self.record is not None else exc.current, exc.state)
        return exc.message
