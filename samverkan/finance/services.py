"""Changes to the accounts that touch several records: account mappings, ledger lines, the budget.

Each service is atomic, takes a keyword-only ``actor``, checks every record with the
model's own rules (``full_clean``) and writes one audit entry. Services on a year's lines
take the year lock first (:func:`~samverkan.members.services.lock_year_for_edit`). The SIE
import is :func:`samverkan.finance.sie_import.import_sie`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from samverkan.audit.models import AuditEntry
from samverkan.audit.services import Actor, record
from samverkan.finance.models import (
    AccountMapping,
    BudgetLine,
    CostCategory,
    Fund,
    ImportBatch,
    LedgerLine,
    LineSource,
)
from samverkan.governance.models import Event
from samverkan.members.models import Cooperation, Year
from samverkan.members.services import DomainError, lock_year_for_edit, refuse_if_changed
from samverkan.members.year_services import lock_plan_for_edit


class InvalidLine(DomainError):
    """A row of the ledger grid breaks a rule of the line (the model's ``clean``)."""


def mapping_state(mapping: AccountMapping) -> dict[str, Any]:
    """A mapping's state as its audit entries compare it (and its edit form's digest covers it)."""
    return {
        "account": mapping.account,
        "category": mapping.category.slug if mapping.category_id else None,
        "fund": mapping.fund.slug if mapping.fund is not None else None,
        "object_id": mapping.object_id,
        "project": mapping.project,
    }


@transaction.atomic
def save_account_mapping(
    cooperation: Cooperation,
    mapping: AccountMapping,
    *,
    actor: Actor,
    read_as: str | None = None,
) -> AccountMapping:
    """Store a new or changed account mapping of the cooperation (standing data: it
    decides where future imports put an account; stored lines do not change).

    `mapping` carries the new values; `read_as` is the digest of the mapping as the edit form
    read it: EditConflict if the stored mapping changed since.
    """
    if mapping.cooperation_id != cooperation.pk:
        raise DomainError(_("Mappningen hör till ett annat samverkansorgan."))
    before = None
    if mapping.pk:
        stored = AccountMapping.objects.select_for_update().get(pk=mapping.pk)
        before = mapping_state(stored)
        refuse_if_changed(stored, before, read_as, what=_("Kontomappningen"))
    mapping.full_clean()
    mapping.save()
    after = mapping_state(mapping)
    record(
        actor=actor,
        action="finance.account_mapping_saved",
        cooperation=cooperation,
        obj=mapping,
        changes={
            key: {"before": before[key] if before else None, "after": value}
            for key, value in after.items()
            if before is None or before[key] != value
        },
        message=str(mapping),
    )
    return mapping


@transaction.atomic
def delete_account_mapping(
    mapping: AccountMapping, *, actor: Actor, read_as: str | None = None
) -> None:
    """Remove an account mapping; accounts it caught are unmapped in the next import.
    `read_as`: the digest of the mapping as the confirm page showed it; EditConflict, and
    nothing removed, if it changed since (standing data: no year to lock; the row lock
    serialises)."""
    mapping = AccountMapping.objects.select_for_update().get(pk=mapping.pk)
    state = mapping_state(mapping)
    refuse_if_changed(mapping, state, read_as, what=_("Kontomappningen"), removing=True)
    record(
        actor=actor,
        action="finance.account_mapping_deleted",
        cooperation=mapping.cooperation,
        obj=mapping,
        changes={key: {"before": value, "after": None} for key, value in state.items()},
        message=str(mapping),
    )
    mapping.delete()


@dataclass(frozen=True, slots=True, kw_only=True)
class LineRow:
    """One row of the ledger grid: an existing line (``pk``) or a new one, or the deletion
    of an existing line (then only ``pk`` counts)."""

    pk: int | None
    date: date | None
    category: CostCategory | None
    amount: Decimal | None
    text: str = ""
    delete: bool = False


@dataclass(frozen=True, slots=True)
class LinesSaved:
    created: int
    changed: int
    deleted: int


def editable_lines(year_id: int, fund: Fund) -> Any:
    """The lines of a fund in a year that are kept by hand: every line but imported ones."""
    return (
        LedgerLine.objects.filter(year_id=year_id, fund=fund)
        .exclude(source=LineSource.SIE)
        .select_related("category")
        .order_by("date", "order", "id")
    )


def ledger_grid_state(year_id: int, fund: Fund) -> dict[str, Any]:
    """The state of a fund's ledger grid in a year, as its audit entries show the lines (and its
    edit form's digest covers it): every line kept by hand, and the imported ones by the
    import they came from and their number (an SIE import replaces them)."""
    imported = LedgerLine.objects.filter(year_id=year_id, fund=fund, source=LineSource.SIE)
    return {
        "lines": [_line_state(line) for line in editable_lines(year_id, fund)],
        "imported": {
            "lines": imported.count(),
            "imports": sorted(
                ImportBatch.objects.filter(year_id=year_id).values_list("sha256", flat=True)
            ),
        },
    }


def ledger_grid_entries(year: Year, fund: Fund) -> Any:
    """The audit entries that change a fund's ledger grid in a year: its saves and the year's
    SIE imports (who changed it, for a refused save's message)."""
    return AuditEntry.objects.filter(
        Q(
            action="finance.ledger_lines_saved",
            object_type=fund._meta.label_lower,
            object_id=str(fund.pk),
        )
        | Q(action="finance.sie_import"),
        cooperation_id=year.cooperation_id,
        year=year.year,
    )


@transaction.atomic
def save_ledger_lines(
    year_id: int,
    fund: Fund,
    rows: list[LineRow],
    *,
    actor: Actor,
    read_as: str | None = None,
) -> LinesSaved:
    """Save the ledger grid of one fund in one go: new rows added, changed rows updated,
    rows marked for deletion removed. All or nothing; refused in a locked year. A line's
    kind (income or cost) follows its category.

    `read_as`: the digest of the grid (`ledger_grid_state`) as the page read it; EditConflict,
    and nothing saved, if someone saved the grid or imported the year's accounts since."""
    year = lock_year_for_edit(year_id)
    if fund.cooperation_id != year.cooperation_id:
        raise DomainError(_("Fonden hör till ett annat samverkansorgan."))
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    existing = {
        line.pk: line for line in editable_lines(year.pk, fund).select_for_update(of=("self",))
    }
    refuse_if_changed(
        fund,
        ledger_grid_state(year.pk, fund),
        read_as,
        what=_("Fondens bokföringsrader"),
        entries=ledger_grid_entries(year, fund),
    )
    created = changed = deleted = 0
    log: list[dict[str, Any]] = []
    next_order = max((line.order for line in existing.values()), default=0) + 1
    for number, row in enumerate(rows, start=1):
        line = existing.get(row.pk) if row.pk is not None else None
        if row.pk is not None and line is None:
            raise DomainError(_("En rad har tagits bort eller hör inte till fonden."))
        if row.delete:
            if line is not None:
                log.append({"deleted": _line_state(line)})
                line.delete()
                deleted += 1
            continue
        if row.date is None or row.category is None or row.amount is None:
            raise DomainError(_("En rad saknar datum, kostnadsslag eller belopp."))
        if line is None:
            line = LedgerLine(year=year, fund=fund, source=LineSource.MANUAL, order=next_order)
            next_order += 1
            before = None
        else:
            before = _line_state(line)
        line.date, line.category, line.amount, line.text = (
            row.date,
            row.category,
            row.amount,
            row.text,
        )
        line.kind = row.category.kind
        after = _line_state(line)
        if before == after:
            continue
        try:
            line.full_clean()
        except ValidationError as exc:
            problems = "; ".join(m for messages in exc.message_dict.values() for m in messages)
            raise InvalidLine(
                _("Rad %(number)s (%(text)s): %(problems)s")
                % {"number": number, "text": row.text or row.date, "problems": problems}
            ) from None
        line.save()
        if before is None:
            created += 1
            log.append({"created": after})
        else:
            changed += 1
            log.append({"before": before, "after": after})
    if log:
        record(
            actor=actor,
            action="finance.ledger_lines_saved",
            cooperation=year.cooperation,
            year=year.year,
            obj=fund,
            changes={"lines": log},
            message=_("%(fund)s: %(created)d nya, %(changed)d ändrade, %(deleted)d borttagna rader")
            % {"fund": fund.name, "created": created, "changed": changed, "deleted": deleted},
        )
    return LinesSaved(created, changed, deleted)


def _line_state(line: LedgerLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "date": line.date.isoformat() if line.date else None,
        "category": line.category.slug if line.category_id else None,
        "kind": line.kind,
        "amount": str(line.amount) if line.amount is not None else None,
        "text": line.text,
    }


# --- the budget ------------------------------------------------------------------------------


def _cap_key(event: Event) -> str:
    return f"event.{event.slug}.cost_cap_per_participant"


def budget_state(year: Year) -> dict[str, Any]:
    """The year's budget as its audit entries name it (and its page's digest covers it): an
    amount per `fund.category`, and the events' cost caps per participant."""
    state: dict[str, Any] = {
        f"{line.fund.slug}.{line.category.slug}": str(line.amount)
        for line in BudgetLine.objects.filter(year_id=year.pk).select_related("fund", "category")
    }
    for event in Event.objects.filter(year_id=year.pk).exclude(cost_cap_per_participant=None):
        state[_cap_key(event)] = str(event.cost_cap_per_participant)
    return state


@transaction.atomic
def save_budget(
    year: Year,
    *,
    actor: Actor,
    amounts: Mapping[tuple[int, int], Decimal | None],
    caps: Mapping[int, Decimal | None] | None = None,
    read_as: str | None = None,
) -> Year:
    """Set the year's budget: `amounts` maps (fund id, category id) to an amount, None clearing it.

    `caps` sets the events' cost cap per participant (kronor), a budget rule
    that lives on the event, where the event check reads it. Pairs not named
    are left as they are. One audit entry lists what changed. `read_as`: the digest of the
    budget (`budget_state`) as the page read it; EditConflict, and nothing saved, if it
    changed since.
    """
    locked = lock_plan_for_edit(year.pk)
    if read_as is not None:
        # The year row is locked: every budget save waits here for the one before it.
        refuse_if_changed(
            locked,
            budget_state(locked),
            read_as,
            what=_("Budgeten"),
            entries=AuditEntry.objects.filter(
                action="finance.budget.update",
                cooperation_id=locked.cooperation_id,
                year=locked.year,
            ),
        )
    coop = locked.cooperation_id
    funds = {f.pk: f for f in Fund.objects.filter(cooperation_id=coop)}
    categories = {c.pk: c for c in CostCategory.objects.filter(cooperation_id=coop)}
    existing = {(b.fund_id, b.category_id): b for b in BudgetLine.objects.filter(year=locked)}
    changes: dict[str, dict[str, Any]] = {}
    for (fund_id, category_id), amount in amounts.items():
        if fund_id not in funds or category_id not in categories:
            raise DomainError(_("Fonden eller kostnadsslaget hör inte till samverkan."))
        key = f"{funds[fund_id].slug}.{categories[category_id].slug}"
        line = existing.get((fund_id, category_id))
        before = str(line.amount) if line else None
        if amount is None:
            if line is not None:
                line.delete()
                changes[key] = {"before": before, "after": None}
            continue
        if amount < 0:
            raise DomainError(_("Ett budgetbelopp kan inte vara negativt."))
        if line is None:
            line = BudgetLine(
                year=locked, fund=funds[fund_id], category=categories[category_id], amount=amount
            )
        elif line.amount == amount:
            continue
        line.amount = amount
        line.full_clean()
        line.save()
        changes[key] = {"before": before, "after": str(line.amount)}
    for event_id, cap in (caps or {}).items():
        event = Event.objects.select_for_update().filter(pk=event_id, year=locked).first()
        if event is None:
            raise DomainError(_("Arrangemanget hör inte till året."))
        if event.cost_cap_per_participant != cap:
            changes[_cap_key(event)] = {
                "before": str(event.cost_cap_per_participant)
                if event.cost_cap_per_participant is not None
                else None,
                "after": str(cap) if cap is not None else None,
            }
            event.cost_cap_per_participant = cap
            event.full_clean(exclude=["year", "fund"])
            event.save(update_fields=["cost_cap_per_participant"])
    if changes:
        record(
            actor=actor,
            action="finance.budget.update",
            cooperation=locked.cooperation,
            year=locked.year,
            obj=locked,
            changes=changes,
        )
    return locked
