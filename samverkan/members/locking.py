"""The year lock: the one gate between any write and a decided or published year.

A decided or published year is the legal record. Nothing it reads may change
until the secretariat reopens it: not its own records, and not the standing
data (members, population figures, fee rules, networks, funds, ...) that its
report, checks and open data are built from. We refuse such a change, naming
the year, rather than freezing a copy of what the year read (docs/architecture.md
says why).

How it holds for every write path:

- Every model whose rows a year reads mixes in `ReadByYears` and says which
  years read a row (`years_read`). Year-bound records follow `year_path`;
  standing data overrides `years_read` with what the report really reads.
- Receivers of `pre_save`, `pre_delete` and `m2m_changed` send every such
  write through `guard`, so the app's services, the admin, the year-file
  loader, the shell and a queryset's `delete()` all meet the same gate.
  (Receivers, not a `save()` override, because `QuerySet.delete()` and M2M
  changes call no model method.)
- `guard` takes a row lock on each touched year (`SELECT ... FOR UPDATE`) and
  refuses if one is locked, so a write and a decision on the same year cannot
  interleave: on PostgreSQL the second waits for the first, then sees it.
- `bulk_create`, `QuerySet.update()` and raw SQL send no signals: a service
  that uses them calls `lock_year_for_edit` first, inside its transaction.
- The year-file loader replaces a year by deleting and recreating it, and
  undoes the lot when the result equals what was stored. It therefore writes
  under `deferred()`, which collects the touched years instead of refusing, and
  passes them to `lock_years` only when the file really changed something.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import connections, router
from django.db.models import Model
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from samverkan.members.models import Year


class DomainError(Exception):
    """A change the rules refuse; the message is for the user, already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class YearLocked(DomainError):
    """The year is decided or published; nothing it reads may change until it is reopened."""

    def __init__(self, message: str, year: Year) -> None:
        super().__init__(message)
        self.year = year


def locked_message(year: Year) -> str:
    return _(
        "Året %(year)s är %(status)s och därför låst. Kansliet måste öppna året igen innan något kan ändras."
    ) % {"year": year.year, "status": year.status_in_a_sentence}


def follow(obj: Any, path: str) -> Any:
    """The object at the end of a `a__b__c` path from `obj`, or None where a link is empty."""
    for name in path.split("__") if path else []:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


class ReadByYears:
    """A record that the report, checks or open data of some years read.

    `year_path` leads from the record to its `Year` ("" for the year itself);
    standing data has none and overrides `years_read`. `lock_exempt_fields`
    are fields whose change alters nothing a year shows (workflow state,
    optimistic-lock counters).
    """

    year_path: ClassVar[str | None] = None
    lock_exempt_fields: ClassVar[frozenset[str]] = frozenset()

    def years_read(self) -> set[int]:
        """The ids of the years whose figures or texts read this record as it is now."""
        if self.year_path is None:
            return set()
        if self.year_path == "":
            pk = getattr(self, "pk", None)
            return {pk} if pk is not None else set()
        *steps, last = self.year_path.split("__")
        holder = follow(self, "__".join(steps))
        year_id = getattr(holder, f"{last}_id", None) if holder is not None else None
        return {year_id} if year_id is not None else set()

    def years_changed(self, stored: Any) -> set[int]:
        """The years that a change from `stored` (None: a new record) to this record alters."""
        return self.years_read() | (stored.years_read() if stored is not None else set())


# --- the gate -------------------------------------------------------------------------------

_deferred: ContextVar[set[int] | None] = ContextVar("samverkan_deferred_years", default=None)
# Set while a writer has declared up front every year its writes touch (see `deferred`).
_declared: ContextVar[bool] = ContextVar("samverkan_declared_years", default=False)


def _checked_ids(using: str) -> set[int] | None:
    """Years found open under a row lock in the current transaction (None outside one).

    Kept on the connection (one per thread) with the transaction's outermost
    atomic block: holding the lock, a year stays open until that transaction ends.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        return None
    outer = connection.atomic_blocks[0]
    entry = getattr(connection, "_samverkan_open_years", None)
    if entry is None or entry[0] is not outer:
        entry = (outer, set())
        connection._samverkan_open_years = entry  # type: ignore[attr-defined]
    ids: set[int] = entry[1]
    return ids


def lock_years(
    year_ids: Iterable[int], *, using: str | None = None, refuse: bool = True
) -> list[Year]:
    """Hold the rows of these years for the rest of the transaction; refuse if one is locked.

    The rows are locked in id order, so two writers that touch the same years
    cannot deadlock. Outside a transaction the status is only read. With
    `refuse=False` the years are held and returned for the caller to judge.
    """
    from samverkan.members.models import Year

    alias = using or router.db_for_write(Year)
    wanted = set(year_ids)
    checked = _checked_ids(alias)
    todo = sorted(wanted - checked) if checked is not None else sorted(wanted)
    if not todo:
        return []
    query = (
        Year.objects.using(alias).select_related("cooperation").filter(pk__in=todo).order_by("pk")
    )
    if checked is not None:
        query = query.select_for_update(of=("self",))
    years = list(query)
    if not refuse:
        return years
    for year in years:
        if year.is_locked:
            raise YearLocked(locked_message(year), year)
    if checked is not None:
        checked.update(y.pk for y in years)
    return years


def lock_year_for_edit(year_id: int) -> Year:
    """Lock one year row for the rest of the transaction and refuse if the year is locked.

    Every editing service calls this first inside its transaction, so an edit
    and a decision on the same year cannot interleave.
    """
    from samverkan.members.models import Year

    lock_years([year_id])
    # Read afresh (the lock above may have been taken earlier in this transaction).
    return Year.objects.select_related("cooperation").get(pk=year_id)


def guard(year_ids: Iterable[int], *, using: str | None = None) -> None:
    """Refuse a write that alters a locked year, or note the years while writes are deferred."""
    ids = set(year_ids)
    if not ids:
        return
    pending = _deferred.get()
    if pending is not None:
        pending.update(ids)
        return
    lock_years(ids, using=using)


@contextlib.contextmanager
def deferred(declared: Iterable[int] | None = None) -> Iterator[set[int]]:
    """Collect the years that writes touch instead of refusing them; the caller decides.

    Only for a writer that undoes its writes when they turn out to change
    nothing (the year-file loader); it must pass the set to `lock_years`
    before it keeps anything. A writer that knows every year its writes can
    touch declares them: the set starts with them, and the receivers need not
    work out each record's years (a year file rewrites thousands of rows).
    """
    years = set(declared or ())
    token = _deferred.set(years)
    quiet = _declared.set(declared is not None)
    try:
        yield years
    finally:
        _declared.reset(quiet)
        _deferred.reset(token)


def changed_fields(instance: Model, stored: Model) -> set[str]:
    return {
        field.attname
        for field in instance._meta.concrete_fields
        if field.value_from_object(instance) != field.value_from_object(stored)
    }


def years_touched_by_save(instance: Model, *, using: str | None = None) -> set[int]:
    """The years that saving `instance` as it is now would alter (empty for a no-op save)."""
    assert isinstance(instance, ReadByYears)
    stored = None
    if instance.pk is not None and not instance._state.adding:
        stored = (
            type(instance)._base_manager.using(using or "default").filter(pk=instance.pk).first()
        )
    if stored is not None:
        changed = changed_fields(instance, stored)
        if not changed - instance.lock_exempt_fields:
            return set()
    return instance.years_changed(stored)


def first_locked_year(year_ids: Iterable[int]) -> Year | None:
    """The first decided or published year among these, read afresh; None if all are open."""
    from samverkan.members.models import LOCKED_STATUSES, Year

    ids = set(year_ids)
    if not ids:
        return None
    return (
        Year.objects.select_related("cooperation")
        .filter(pk__in=ids, status__in=LOCKED_STATUSES)
        .order_by("year")
        .first()
    )


# --- receivers (connected in MembersConfig.ready) --------------------------------------------


def on_pre_save(
    sender: type[Model], instance: Model, raw: bool = False, using: str = "default", **kwargs: Any
) -> None:
    if not isinstance(instance, ReadByYears):
        return
    if instance.year_path == "" and instance.pk is not None:
        # A year's own save may decide it: it no longer counts as open in this transaction.
        checked = _checked_ids(using)
        if checked is not None:
            checked.discard(instance.pk)
    if not _declared.get():
        guard(years_touched_by_save(instance, using=using), using=using)


def on_pre_delete(
    sender: type[Model], instance: Model, using: str = "default", **kwargs: Any
) -> None:
    if isinstance(instance, ReadByYears) and not _declared.get():
        guard(instance.years_read(), using=using)


def on_m2m_changed(
    sender: type[Model],
    instance: Model,
    action: str,
    using: str = "default",
    pk_set: set[Any] | None = None,
    **kwargs: Any,
) -> None:
    if action not in ("pre_add", "pre_remove", "pre_clear") or _declared.get():
        return
    if action in ("pre_add", "pre_remove") and not pk_set:
        return
    if isinstance(instance, ReadByYears):
        guard(instance.years_read(), using=using)


def connect_receivers() -> None:
    """Send every write of a record some year reads through `guard`.

    Connected per model, so the models that no year reads keep Django's fast
    bulk delete (a listener on a model makes its deletes go row by row).
    """
    from django.apps import apps
    from django.db.models.signals import m2m_changed, pre_delete, pre_save

    for model in apps.get_models():
        if not issubclass(model, ReadByYears):
            continue
        uid = f"samverkan_year_lock_{model._meta.label_lower}"
        pre_save.connect(on_pre_save, sender=model, dispatch_uid=f"{uid}_save")
        pre_delete.connect(on_pre_delete, sender=model, dispatch_uid=f"{uid}_delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(on_m2m_changed, sender=through, dispatch_uid=f"{uid}_{field.name}")
