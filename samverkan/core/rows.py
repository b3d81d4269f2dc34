"""Rows of a record edited together with it (a project's grants, an event's co-financing).

A page shows the rows as one table (a formset); the service gets them as
`RowEdit`s: the stored row or None for a new one, its new values, and
whether it is to go. `apply_rows` checks every row with the model's rules
before it saves any, and reports the broken ones by row and field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _

from samverkan.core.validation import record_errors


@dataclass(frozen=True, slots=True)
class RowEdit:
    instance: Model | None
    values: dict[str, Any] = field(default_factory=dict)
    delete: bool = False
    number: int = 0  # the row's place on the page, to put an error where it belongs


def apply_rows(
    model: type[Model],
    rows: Sequence[RowEdit],
    *,
    prefix: str,
    fixed: dict[str, Any],
    exclude: Sequence[str] = (),
    prepare: Callable[[Model], None] | None = None,
    reorder: bool = True,
) -> tuple[list[Model], list[Model]]:
    """Check, then save and delete the rows; returns (kept rows, deleted rows).

    `fixed` holds the values every row shares (the parent record); an error
    is keyed `"<prefix>-<row number>-<field>"`, the name of the formset's field.
    With `reorder` the kept rows are numbered in the page's order; without it
    (ledger lines, whose order is the year's) `prepare` places a new row.
    """
    errors: dict[str, list[str]] = {}
    kept: list[Model] = []
    deleted: list[Model] = []
    for row in rows:
        if row.delete:
            if row.instance is not None:
                deleted.append(row.instance)
            continue
        instance = row.instance if row.instance is not None else model(**fixed)
        for name, value in {**fixed, **row.values}.items():
            setattr(instance, name, value)
        if prepare is not None:
            prepare(instance)
        for key, messages in record_errors(instance, exclude=exclude).items():
            errors.setdefault(f"{prefix}-{row.number}-{key}", []).extend(messages)
        kept.append(instance)
    if errors:
        raise ValidationError(errors)
    for row in rows:
        if row.delete and row.instance is not None:
            try:
                with transaction.atomic():
                    row.instance.delete()
            except ProtectedError:
                errors[f"{prefix}-{row.number}-DELETE"] = [
                    _(
                        "Raden kan inte tas bort: andra uppgifter (t.ex. utbetalningar eller bokföringsrader) hänger på den."
                    )
                ]
    if errors:
        raise ValidationError(errors)
    for order, instance in enumerate(kept):
        if reorder:
            instance.order = order  # type: ignore[attr-defined]
        instance.save()
    return kept, deleted
