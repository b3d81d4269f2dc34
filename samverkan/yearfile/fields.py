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
from samverkan.yearfile.yamlio import Path, locate

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


@dataclass(slots=True)
class _Pending:
    file: str
    line: int | None
    at: Path | None  # where in the file: the value's keys and list indexes
    field: str
    message: str


class Errors:
    """The errors of one load; every reader appends here instead of raising.

    The reader keeps no line numbers (a large file would carry millions); an error
    names its place in the file, and its line is looked up when the errors are read.
    """

    def __init__(self) -> None:
        self._pending: list[_Pending] = []
        self._sources: dict[str, str] = {}
        self._lines: dict[tuple[str, Path], int] = {}

    def source(self, file: str, text: str) -> None:
        """The text of `file`, where the lines of its errors are looked up."""
        self._sources[file] = text

    def add(
        self, file: str, line: int | None, field: str, message: str, *, at: Path | None = None
    ) -> None:
        self._pending.append(_Pending(file, line, at if line is None else None, field, message))

    def line(self, file: str, at: Path) -> int:
        """The line where the value at `at` starts (or the nearest enclosing one)."""
        self._find_lines(file, [at])
        for end in range(len(at), -1, -1):
            found = self._lines.get((file, at[:end]))
            if found:
                return found
        return 1

    def _find_lines(self, file: str, places: list[Path]) -> None:
        wanted = {
            at[:end]
            for at in places
            for end in range(len(at) + 1)
            if (file, at[:end]) not in self._lines
        }
        text = self._sources.get(file)
        if not wanted or text is None:
            return
        found = locate(text, wanted)
        for at in wanted:
            # Looked up once; 0 marks a place the file does not have.
            self._lines[(file, at)] = found.get(at, 0)

    @property
    def items(self) -> list[LoadError]:
        by_file: dict[str, list[Path]] = {}
        for item in self._pending:
            if item.at is not None:
                by_file.setdefault(item.file, []).append(item.at)
        for file, places in by_file.items():
            self._find_lines(file, places)
        return [
            LoadError(
                file=item.file,
                line=item.line if item.at is None else self.line(item.file, item.at),
                field=item.field,
                message=item.message,
            )
            for item in self._pending
        ]

    def __len__(self) -> int:
        return len(self._pending)

    def __bool__(self) -> bool:
        return bool(self._pending)


_MISSING = object()


class Node:
    """A mapping of the file with its path (`focus_areas[2].activities[0]`) for messages."""

    __slots__ = ("data", "errors", "file", "path", "at", "valid")

    def __init__(self, data: Any, *, file: str, path: str, at: Path, errors: Errors) -> None:
        self.file = file
        self.path = path
        self.at = at
        self.errors = errors
        if isinstance(data, dict):
            self.data: dict[str, Any] = data
            self.valid = True
        else:
            self.data = {}
            self.valid = False
            self.error("", f"expected a mapping (key: value), found {_type_name(data)}")

    # -- helpers ---------------------------------------------------------
    @property
    def line(self) -> int:
        return self.errors.line(self.file, self.at)

    def field_path(self, key: str) -> str:
        if not key:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str) -> None:
        # A key that the mapping does not hold is reported at the mapping's own line.
        at = (*self.at, key) if key in self.data else self.at
        self.errors.add(self.file, None, self.field_path(key), message, at=at)

    def check(
        self,
        instance: Any,
        *,
        extra: Mapping[str, str] | None = None,
        exclude: Iterable[str] = (),
        constraints: builtins.bool = True,
    ) -> builtins.bool:
        """Report the record's rule violations (the model's own) at this node's fields.

        True when it keeps every rule. The messages are the model's, so the
        loader says what the app and the admin say about the same record.
        `constraints=False` leaves the database constraints to the database (a bulk
        writer that asks them again for a batch the database refuses).
        """
        from django.core.exceptions import NON_FIELD_ERRORS

        from samverkan.core.validation import record_errors

        errors = record_errors(instance, extra=extra, exclude=exclude, constraints=constraints)
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

    def datetime(self, key: builtins.str) -> dt.datetime | None:
        """A date and time (ISO); without a time zone it is taken as UTC."""
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError:
            self.error(key, f"expected a date and time YYYY-MM-DDTHH:MM:SS, found {value!r}")
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)

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
        path = self.field_path(key)
        return [
            Node(
                item,
                file=self.file,
                path=f"{path}[{index}]",
                at=(*self.at, key, index),
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
            value, file=self.file, path=self.field_path(key), at=(*self.at, key), errors=self.errors
        )


def _plain(value: Any) -> Any:
    """A copy of the YAML value as plain dicts and lists (for a JSON field)."""
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
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"
