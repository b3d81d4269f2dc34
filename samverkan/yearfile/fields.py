"""Reading a YAML mapping field by field, collecting errors that name file, line and field."""

from __future__ import annotations

import builtins
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from samverkan.lib.money import MoneyError, to_decimal
from samverkan.yearfile.yamlio import LineDict, LineList

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadError:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class Errors:
    """The errors of one load; every reader appends here instead of raising."""

    def __init__(self) -> None:
        self.items: list[LoadError] = []

    def add(self, file: str, line: int | None, field: str, message: str) -> None:
        self.items.append(LoadError(file=file, line=line, field=field, message=message))

    def __bool__(self) -> bool:
        return bool(self.items)


_MISSING = object()


class Node:
    """A mapping of the file with its path (`focus_areas[2].activities[0]`) for messages."""

    def __init__(self, data: Any, *, file: str, path: str, line: int, errors: Errors) -> None:
        self.file = file
        self.path = path
        self.errors = errors
        if isinstance(data, dict):
            self.data: dict[str, Any] = data
            self.line = getattr(data, "line", line) or line
            self.valid = True
        else:
            self.data = {}
            self.line = line
            self.valid = False
            self.error("", f"expected a mapping (key: value), found {_type_name(data)}")

    # -- helpers ---------------------------------------------------------
    def field_path(self, key: str) -> str:
        if not key:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def line_of(self, key: str) -> int:
        lines = getattr(self.data, "key_lines", {})
        return int(lines.get(key, self.line))

    def error(self, key: str, message: str) -> None:
        self.errors.add(
            self.file, self.line_of(key) if key else self.line, self.field_path(key), message
        )

    def check(
        self,
        instance: Any,
        *,
        extra: Mapping[str, str] | None = None,
        exclude: Iterable[str] = (),
    ) -> bool:
        """Report the record's rule violations (the model's own) at this node's fields.

        True when it keeps every rule. The messages are the model's, so the
        loader says what the app and the admin say about the same record.
        """
        from django.core.exceptions import NON_FIELD_ERRORS

        from samverkan.core.validation import record_errors

        errors = record_errors(instance, extra=extra, exclude=exclude)
        for field, messages in errors.items():
            for message in messages:
                self.error("" if field == NON_FIELD_ERRORS else field, message)
        return not errors

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, required: bool = False) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(key, "is required")
            return None
        return value

    def only(self, *keys: str) -> None:
        """Unknown keys are errors: a typo must not silently drop data."""
        for key in self.data:
            if key not in keys:
                self.error(key, f"unknown field (allowed: {', '.join(keys)})")

    # -- typed getters ---------------------------------------------------
    def str(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.raw(key, required)
        if value is None:
            return default
        if isinstance(value, bool | dict | list | dt.date):
            self.error(key, f"expected text, found {_type_name(value)}")
            return default
        return str(value)

    def text(self, key: builtins.str, *, required: builtins.bool = False) -> builtins.str:
        """Multi-line Markdown text; trailing newline normalised away."""
        return self.str(key, required=required).rstrip("\n")

    def slug(self, key: builtins.str, *, required: builtins.bool = False) -> builtins.str:
        value = self.str(key, required=required)
        if value and not SLUG_RE.match(value):
            self.error(key, f"{value!r} is not a slug (a–z, 0–9 and hyphens)")
            return ""
        return value

    def code(self, key: builtins.str, *, required: builtins.bool = False) -> builtins.str:
        value = self.raw(key, required)
        if value is None:
            return ""
        if not isinstance(value, str) or not CODE_RE.match(value):
            self.error(
                key, f'{value!r} is not a four-digit municipality code in quotes, e.g. "0126"'
            )
            return ""
        return value

    def int(
        self,
        key: builtins.str,
        *,
        required: builtins.bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"expected a whole number, found {_type_name(value)} {value!r}")
            return None
        if minimum is not None and value < minimum:
            self.error(key, f"must be at least {minimum}, found {value}")
            return None
        if maximum is not None and value > maximum:
            self.error(key, f"must be at most {maximum}, found {value}")
            return None
        return value

    def decimal(
        self, key: builtins.str, *, required: builtins.bool = False, minimum: Decimal | None = None
    ) -> Decimal | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool | builtins.str | dict | list | dt.date):
            self.error(key, f"expected an amount, found {_type_name(value)} {value!r}")
            return None
        try:
            amount = to_decimal(value)
        except MoneyError as exc:
            self.error(key, str(exc))
            return None
        if minimum is not None and amount < minimum:
            self.error(key, f"must be at least {minimum}, found {amount}")
            return None
        return amount

    def date(self, key: builtins.str, *, required: builtins.bool = False) -> dt.date | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.error(key, f"expected a date YYYY-MM-DD, found {_type_name(value)} {value!r}")
            return None
        return value

    def bool(self, key: builtins.str, *, default: builtins.bool = False) -> builtins.bool:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, found {value!r}")
            return default
        return value

    def choice(
        self,
        key: builtins.str,
        choices: list[builtins.str] | tuple[builtins.str, ...],
        *,
        required: builtins.bool = False,
        default: builtins.str = "",
    ) -> builtins.str:
        value = self.str(key, required=required)
        if not value:
            return str(default)
        if value not in choices:
            self.error(key, f"{value!r} is not one of: {', '.join(choices)}")
            return str(default)
        return value

    def strings(self, key: builtins.str) -> list[builtins.str]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, "expected a list of texts")
            return []
        return [str(v) for v in value]

    def nodes(self, key: builtins.str) -> list[Node]:
        """The list under `key`, each item a Node (non-mappings are reported)."""
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"expected a list, found {_type_name(value)}")
            return []
        lines = getattr(value, "item_lines", [self.line_of(key)] * len(value))
        return [
            Node(
                item,
                file=self.file,
                path=f"{self.field_path(key)}[{index}]",
                line=lines[index],
                errors=self.errors,
            )
            for index, item in enumerate(value)
        ]

    def report_settings(self, key: builtins.str = "report") -> dict[builtins.str, Any]:
        """A `report:` mapping (samverkan.lib.report_settings), validated; {} when absent or wrong."""
        from samverkan.lib.report_settings import validate

        value = self.raw(key)
        if value is None:
            return {}
        problems = validate(value)
        for path, message in problems:
            self.error(f"{key}.{path}" if path else key, message)
        if problems:
            return {}
        return _plain(value)

    def node(self, key: builtins.str) -> Node | None:
        value = self.raw(key)
        if value is None:
            return None
        return Node(
            value,
            file=self.file,
            path=self.field_path(key),
            line=self.line_of(key),
            errors=self.errors,
        )


def _plain(value: Any) -> Any:
    """YAML's line-numbered mappings and lists as plain dicts and lists (for a JSON field)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _type_name(value: Any) -> builtins.str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, Decimal | float):
        return "a decimal number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, LineList | list):
        return "a list"
    if isinstance(value, LineDict | dict):
        return "a mapping"
    return "text"
