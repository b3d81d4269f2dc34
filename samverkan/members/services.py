"""The year's workflow: plan, follow-up, draft report, decided (locked), published.

Every function here is atomic, takes the acting user as the keyword-only
`actor` and writes one audit entry. A decided or published year is locked:
`lock_year_for_edit` is the gate every editing service in other apps passes
through, so the lock holds for all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.models import AuditEntry
from samverkan.audit.services import Actor, diff, record
from samverkan.core.validation import check_record
from samverkan.members.conflicts import (  # noqa: F401  (re-exported next to DomainError)
    EditConflict,
    refuse_if_changed,
)
from samverkan.members.locking import (  # noqa: F401  (re-exported: the services' errors and gate)
    DomainError,
    YearLocked,
    lock_year_for_edit,
    lock_years,
    locked_message,
    years_touched_by_save,
)
from samverkan.members.models import (
    LOCKED_STATUSES,
    Cooperation,
    FeeRule,
    Member,
    PopulationFigure,
    Year,
    YearStatus,
    YearText,
)
from samverkan.members.population import ImportPlan, ImportSource, IncomingFigure, plan_import


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
    year: Year, before: dict[str, Any], *, actor: Actor, action: str, message: str = ""
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
def set_year_status(year: Year, status: str, *, actor: Actor) -> Year:
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
def decide_year(
    year: Year,
    decided_on: dt.date,
    *,
    actor: Actor,
    open_errors: Sequence[str] = (),
    reason: str = "",
) -> Year:
    """Record the committee's decision on the draft report; the year is locked from now on.

    `open_errors` are the error-level findings of the consistency checks that
    the caller found (`samverkan check`); deciding despite them needs a
    `reason`, and the audit entry keeps both.
    """
    locked = lock_year_for_edit(year.pk)
    if locked.status != YearStatus.DRAFT:
        raise WorkflowError(
            _("Året måste ha ett utkast till årsredovisning innan det kan beslutas.")
        )
    if open_errors and not reason.strip():
        raise WorkflowError(
            _("Kontrollerna hittar %(count)s fel. Ange varför året ändå beslutas.")
            % {"count": len(open_errors)}
        )
    before = _state(locked)
    locked.status = YearStatus.DECIDED
    locked.decided_on = decided_on
    try:
        locked.clean()  # the decision date's bounds are the model's rule
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None
    locked.save(update_fields=["status", "decided_on", "published_at"])
    changes = diff(before, _state(locked))
    if open_errors:
        changes["open_errors"] = {"before": None, "after": list(open_errors)}
    record(
        actor=actor,
        action="year.decide",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=locked,
        changes=changes,
        message=reason.strip() if open_errors else "",
    )
    return locked


@transaction.atomic
def publish_year(year: Year, *, actor: Actor) -> Year:
    """Publish a decided year: its report and open data become public."""
    locked = Year.objects.select_for_update().select_related("cooperation").get(pk=year.pk)
    if locked.status != YearStatus.DECIDED:
        raise WorkflowError(_("Bara ett beslutat år kan publiceras."))
    before = _state(locked)
    locked.status = YearStatus.PUBLISHED
    locked.published_at = timezone.now()
    return _save(locked, before, actor=actor, action="year.publish")


@transaction.atomic
def reopen_year(year: Year, *, actor: Actor, reason: str) -> Year:
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


# -- members and population figures (standing data) ---------------------------------------------------
#
# Standing data that a decided or published year reads must stay as that year saw
# it. Each service below works out the years its change touches (the models'
# `years_changed`, the same rule the gate in `locking` applies to every save) and
# locks them first, so the change is refused, naming the year, before anything
# is written.


def _lock_change(instance: Any) -> None:
    """Hold the years that saving `instance` as it is now would alter; refuse if one is locked."""
    lock_years(years_touched_by_save(instance))


def member_state(member: Member) -> dict[str, Any]:
    """A member's state as its audit entries compare it (and its rename form's digest covers it)."""
    return {"code": member.code, "name": member.name, "joined": member.joined, "left": member.left}


@transaction.atomic
def add_member(
    cooperation: Cooperation, *, actor: Actor, code: str, name: str, joined: int
) -> Member:
    """Add a member municipality from `joined` on; refused if that reaches into a locked year."""
    member = Member(cooperation=cooperation, code=code.strip(), name=name.strip(), joined=joined)
    _lock_change(member)
    last = (
        Member.objects.filter(cooperation=cooperation)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    member.order = (last or 0) + 1
    member.full_clean()
    member.save()
    record(
        actor=actor,
        action="members.member.create",
        cooperation=cooperation,
        obj=member,
        changes=diff({}, member_state(member)),
    )
    return member


@transaction.atomic
def mark_member_left(member: Member, *, actor: Actor, left: int | None) -> Member:
    """Record the last year of membership (None: a member again with no end).

    Refused, naming the year, when the change would add or remove the member
    in a decided or published year (or in a later one, whose population series
    counts the members of earlier dates).
    """
    stored = Member.objects.select_for_update().get(pk=member.pk)
    before = member_state(stored)
    stored.left = left
    _lock_change(stored)
    stored.full_clean()
    stored.save(update_fields=["left"])
    changes = diff(before, member_state(stored))
    if changes:
        record(
            actor=actor,
            action="members.member.left",
            cooperation=stored.cooperation,
            obj=stored,
            changes=changes,
        )
    return stored


@transaction.atomic
def rename_member(member: Member, *, actor: Actor, name: str, read_as: str | None = None) -> Member:
    """Correct a member's name; refused while a decided or published year shows the member.
    `read_as`: the digest of the member as the form read it; EditConflict, and nothing saved,
    if it changed since."""
    stored = Member.objects.select_for_update().get(pk=member.pk)
    before = member_state(stored)
    refuse_if_changed(stored, before, read_as, what=_("Medlemmen"))
    stored.name = name.strip()
    _lock_change(stored)
    stored.full_clean()
    stored.save(update_fields=["name"])
    changes = diff(before, member_state(stored))
    if changes:
        record(
            actor=actor,
            action="members.member.rename",
            cooperation=stored.cooperation,
            obj=stored,
            changes=changes,
        )
    return stored


def _figure_state(figure: PopulationFigure) -> dict[str, Any]:
    return {"population": figure.population, "source": figure.source_label}


@transaction.atomic
def save_population_figure(
    member: Member, *, actor: Actor, date: dt.date, population: int, source: str
) -> PopulationFigure:
    """Enter a member's population at a date by hand, with its source; replaces a figure at that date.

    The same figure and source entered again (a form sent twice) changes nothing and is not audited.
    """
    figure = PopulationFigure.objects.filter(member=member, date=date).first()
    if figure is None:
        figure = PopulationFigure(member=member, date=date)
    before = _figure_state(figure) if figure.pk else {}
    figure.population = population
    figure.source = source.strip()
    figure.source_file = figure.source_table = ""
    figure.imported_at = None
    changes = diff(before, _figure_state(figure))
    if figure.pk and not changes:
        return figure
    _lock_change(figure)
    figure.full_clean()
    figure.save()
    record(
        actor=actor,
        action="members.population.save",
        cooperation=member.cooperation,
        obj=figure,
        changes=changes,
    )
    return figure


class ImportChanged(DomainError):
    """The figures held changed between the preview and the confirmation: the user must look again."""


@transaction.atomic
def import_population(
    cooperation: Cooperation,
    figures: Sequence[IncomingFigure],
    *,
    actor: Actor,
    source: ImportSource,
    expected_digest: str | None = None,
) -> ImportPlan:
    """Store the new and changed figures of an import, all or nothing, and return what was done.

    The plan is made again inside the transaction; when it no longer matches
    the preview the user saw (`expected_digest`), nothing is stored. Every
    figure keeps the file, the table and the time of the import as its source.
    """
    plan = plan_import(cooperation, figures, source)
    lock_years(plan.touched_year_ids)
    if expected_digest is not None and plan.digest() != expected_digest:
        raise ImportChanged(
            _("Invånarantalen har ändrats sedan förhandsgranskningen. Granska importen igen.")
        )
    now = timezone.now()
    changes: dict[str, dict[str, Any]] = {}
    for planned in plan.changes:
        figure = planned.current or PopulationFigure(
            member=planned.member, date=planned.incoming.date
        )
        before = figure.population if figure.pk else None
        figure.population = planned.incoming.population
        figure.source = ""
        figure.source_file = source.file_name[:500]
        figure.source_table = source.table
        figure.imported_at = now
        figure.full_clean()
        figure.save()
        changes[f"{planned.member.code} {planned.member.name} {figure.date.isoformat()}"] = {
            "before": before,
            "after": figure.population,
        }
    if changes:
        record(
            actor=actor,
            action="members.population.import",
            cooperation=cooperation,
            obj=cooperation,
            changes=changes,
            message=_(
                "SCB-tabell %(table)s ur %(file)s: %(new)s nya och %(changed)s ändrade invånarantal."
            )
            % {
                "table": source.table,
                "file": source.file_name,
                "new": len(plan.new),
                "changed": len(plan.changed),
            },
        )
    return plan


YEAR_TEXT_FIELDS = ("key", "body")


def population_total_state(year: Year) -> dict[str, Any]:
    """The year's stated population total as its audit entries name it (and its page's digest
    covers it)."""
    return {
        "population_total": year.population_total,
        "population_total_date": (
            year.population_total_date.isoformat() if year.population_total_date else None
        ),
        "population_total_note": year.population_total_note,
    }


@transaction.atomic
def set_population_total(
    year: Year,
    *,
    actor: Actor,
    total: int | None,
    date: dt.date | None,
    note: str = "",
    read_as: str | None = None,
) -> Year:
    """Set the inhabitants the year's report states (e.g. "494 358 invånare (30 september)").

    The figure is the year's own, beside the members' figures, so the check
    `stated_population` compares the two. A number and its date, or neither
    (the report then states none); the note says what the figure is. Refused
    for a decided or published year; the same values again change nothing and
    are not audited. `read_as`: the digest of the figure (`population_total_state`) as the
    page read it; EditConflict, and nothing saved, if it changed since.
    """
    locked = lock_year_for_edit(year.pk)
    before = population_total_state(locked)
    refuse_if_changed(
        locked,
        before,
        read_as,
        what=_("Invånarantalet totalt"),
        entries=AuditEntry.objects.filter(
            action="members.year.population_total",
            cooperation_id=locked.cooperation_id,
            year=locked.year,
        ),
    )
    locked.population_total = total
    locked.population_total_date = date
    locked.population_total_note = note.strip()
    check_record(locked)
    changes = diff(before, population_total_state(locked))
    if not changes:
        return locked
    locked.save(
        update_fields=["population_total", "population_total_date", "population_total_note"]
    )
    record(
        actor=actor,
        action="members.year.population_total",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=locked,
        changes=changes,
    )
    return locked


def year_text_state(text: YearText) -> dict[str, Any]:
    """A text's state as its audit entries compare it (and its edit form's digest covers it)."""
    return {name: getattr(text, name) for name in YEAR_TEXT_FIELDS}


@transaction.atomic
def save_year_text(
    year: Year,
    text: YearText | None = None,
    *,
    actor: Actor,
    key: str,
    body: str,
    read_as: str | None = None,
) -> YearText:
    """Write one of the year's texts (Markdown): a new one under `key`, or a change of one.

    `read_as`: the digest of the text as the edit form read it; EditConflict if it changed since.
    """
    locked = lock_year_for_edit(year.pk)
    creating = text is None
    if text is None:
        last = YearText.objects.filter(year=locked).order_by("-order").first()
        text = YearText(year=locked, order=(last.order + 1) if last else 0)
        before: dict[str, Any] = {}
    else:
        text = YearText.objects.select_for_update().get(pk=text.pk)
        if text.year_id != locked.pk:
            raise DomainError(_("Texten hör inte till det här året."))
        before = year_text_state(text)
        refuse_if_changed(text, before, read_as, what=_("Texten"))
    text.key = key.strip()
    text.body = body.replace("\r\n", "\n").rstrip()
    check_record(text, exclude=["year"])
    if YearText.objects.filter(year=locked, key=text.key).exclude(pk=text.pk).exists():
        raise ValidationError({"key": _("Året har redan en text med den nyckeln.")})
    text.save()
    changes = diff(before, year_text_state(text))
    if changes:
        record(
            actor=actor,
            action="members.year_text.create" if creating else "members.year_text.update",
            cooperation=locked.cooperation,
            year=locked.year,
            obj=text,
            changes=changes,
        )
    return text


@transaction.atomic
def delete_year_text(text: YearText, *, actor: Actor) -> None:
    """Remove one of the year's texts; the audit entry keeps it."""
    locked = lock_year_for_edit(text.year_id)
    text = YearText.objects.select_for_update().get(pk=text.pk)
    record(
        actor=actor,
        action="members.year_text.delete",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=text,
        changes=diff(year_text_state(text), {}),
    )
    text.delete()


# --- fee rules (standing data): a change that reaches a decided year is refused naming it ---


def fee_rule_state(rule: FeeRule) -> dict[str, Any]:
    """A fee rule's state as its audit entries compare it (and its edit form's digest covers it)."""
    return {"from_year": rule.from_year, "rate": str(rule.rate), "basis": rule.basis}


def _check_rule(rule: FeeRule) -> None:
    taken = FeeRule.objects.filter(cooperation_id=rule.cooperation_id, from_year=rule.from_year)
    if rule.pk is not None:
        taken = taken.exclude(pk=rule.pk)
    if rule.from_year is not None and taken.exists():
        # Asked before the constraint, which would name no field.
        raise ValidationError(
            {
                "from_year": _("Det finns redan en avgiftsregel från %(year)s.")
                % {"year": rule.from_year}
            }
        )
    check_record(rule)


@transaction.atomic
def add_fee_rule(
    cooperation: Cooperation, *, actor: Actor, from_year: int, rate: Any, basis: str
) -> FeeRule:
    """Add a fee rule from `from_year`: it governs the years until the next rule. Refused,
    naming the year, when one of those years is decided or published."""
    rule = FeeRule(cooperation=cooperation, from_year=from_year, rate=rate, basis=basis)
    _lock_change(rule)
    _check_rule(rule)
    rule.save()
    record(
        actor=actor,
        action="members.fee_rule.create",
        cooperation=cooperation,
        obj=rule,
        changes=diff({}, fee_rule_state(rule)),
    )
    return rule


@transaction.atomic
def change_fee_rule(
    rule: FeeRule, *, actor: Actor, rate: Any, basis: str, read_as: str | None = None
) -> FeeRule:
    """Change a rule's rate (and basis); refused, naming the year, when a decided or published
    year's fees would change. `read_as`: the digest of the rule as the form read it;
    EditConflict, and nothing saved, if it changed since."""
    stored = FeeRule.objects.select_for_update().get(pk=rule.pk)
    before = fee_rule_state(stored)
    refuse_if_changed(stored, before, read_as, what=_("Avgiftsregeln"))
    stored.rate = rate
    stored.basis = basis
    _lock_change(stored)
    _check_rule(stored)
    stored.save()
    changes = diff(before, fee_rule_state(stored))
    if changes:
        record(
            actor=actor,
            action="members.fee_rule.update",
            cooperation=stored.cooperation,
            obj=stored,
            changes=changes,
        )
    return stored


@transaction.atomic
def delete_fee_rule(rule: FeeRule, *, actor: Actor) -> None:
    """Remove a rule (its years fall back on the rule before); refused, naming the year, when a
    decided or published year's fees would change."""
    stored = FeeRule.objects.select_for_update().get(pk=rule.pk)
    lock_years(stored.years_read())
    record(
        actor=actor,
        action="members.fee_rule.delete",
        cooperation=stored.cooperation,
        obj=stored,
        changes=diff(fee_rule_state(stored), {}),
    )
    stored.delete()
