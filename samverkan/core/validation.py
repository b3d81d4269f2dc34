"""One record's rules, asked the same way by every write path.

A model states its rules in `clean()`, field validators and constraints;
rules that involve a many-to-many field, which is set only after the record
is saved, are static methods that return field errors (for example
`Meeting.owner_errors`). `check_record` asks both and raises one
`ValidationError` keyed by field, so a service, the admin's form, the app's
form and the year-file loader report the same messages at the same fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model


def record_errors(
    instance: Model,
    *,
    extra: Mapping[str, Any] | None = None,
    exclude: Iterable[str] = (),
    constraints: bool = True,
) -> dict[str, list[str]]:
    """The rule violations of `instance` (and of `extra`), as {field or "__all__": [messages]}.

    `constraints=False` asks the fields and `clean()` only, not the database
    constraints (each of which costs a query): for a bulk writer that lets the
    database enforce them and asks again, record by record, when it refuses.
    """
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=constraints
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    for key, value in (extra or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        errors.setdefault(key, []).extend(str(v) for v in values)
    return errors


def check_record(instance: Model, **kwargs: Any) -> None:
    """Raise one ValidationError with every rule `instance` breaks; do nothing if it keeps them."""
    errors = record_errors(instance, **kwargs)
    if errors:
        raise ValidationError(errors)


def first_message(error: ValidationError) -> str:
    """One line for places that show a single message (a command's output, a log)."""
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            if messages:
                return messages[0] if key == NON_FIELD_ERRORS else f"{key}: {messages[0]}"
    return error.messages[0] if error.messages else str(error)
