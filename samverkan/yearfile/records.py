"""Declaring a file's records: `Field` (one key) and `Record` (one kind of record).

A `Record` lists its `Field`s in the file's order. The loader reads a record by walking
its fields (`Record.read`), and the export writes one by walking the same fields
(`Record.write`); `schema` holds the declarations.

Converters (`Field.kind`):

| kind | in the file | in the model |
|---|---|---|
| `str`, `text` | text (`text`: Markdown, trailing newline dropped) | the text |
| `slug`, `code` | a slug / a quoted four-digit member code | the text |
| `int`, `decimal`, `date`, `bool` | number, amount, ISO date, true/false | the value |
| `choice` | one of the model's choices | the value |
| `ref`, `refs` | a slug or member code / a list of them | a foreign key / a many-to-many |
| `lines` | a list of texts | one text, a line each |
| `nested` | a list or mapping of its own records | (loaded by its own record) |
| `datetime` | an ISO date and time | the moment (UTC when no zone is given) |
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model

    from samverkan.yearfile.fields import Node

# The tables of things a year file refers to by slug (or a member by code); see load_year.Refs.
MEMBERS, BODIES, NETWORKS, PROGRAMMES, CATEGORIES, FUNDS = (
    "members",
    "bodies",
    "networks",
    "programmes",
    "categories",
    "funds",
)
AREA_GROUPS, FOCUS_AREAS, PROJECTS, GRANTS = "area_groups", "focus_areas", "projects", "grants"


class Lookups:
    """What a reader needs besides the node: the tables of known slugs (load_year.Refs)."""

    year: int | None = None  # the year of the file being read

    def one(self, table: str, node: Node, key: str, what: str, required: bool = False) -> Any:
        raise NotImplementedError

    def many(self, table: str, node: Node, key: str, what: str) -> list[Any]:
        raise NotImplementedError


Reader = Callable[["Node", "Field", Lookups], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a record: the YAML key, the model field, the converter and its options."""

    key: str
    attr: str
    kind: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: Any = None
    maximum: Any = None
    table: str = ""  # `ref` / `refs`: the table the slugs are looked up in
    what: str = ""  # `ref` / `refs`: the thing's name in messages
    keep: bool = False  # written even when empty (false, 0)
    omit: Any = None  # written only when different from this (besides empty values)
    reader: Reader | None = None  # an unusual reading (a meeting's count)
    path: str = ""  # `code` / `slug` of a related record: the lookup export reads it with

    def read(self, node: Node, refs: Lookups) -> Any:
        """The model value of this key in `node`; problems are reported on the node."""
        if self.reader is not None:
            return self.reader(node, self, refs)
        key, kind = self.key, self.kind
        if kind == "str":
            return node.str(key, required=self.required)
        if kind == "text":
            return node.text(key, required=self.required)
        if kind == "slug":
            return node.slug(key, required=self.required)
        if kind == "code":
            return node.code(key, required=self.required)
        if kind == "datetime":
            return node.datetime(key)
        if kind == "int":
            return node.int(key, required=self.required, minimum=self.minimum, maximum=self.maximum)
        if kind == "decimal":
            return node.decimal(key, required=self.required, minimum=self.minimum)
        if kind == "date":
            return node.date(key, required=self.required)
        if kind == "bool":
            return node.bool(key, default=bool(self.default))
        if kind == "choice":
            return node.choice(
                key, self.choices, required=self.required, default=self.default or ""
            )
        if kind == "ref":
            return refs.one(self.table, node, key, self.what, required=self.required)
        if kind == "refs":
            return refs.many(self.table, node, key, self.what)
        if kind == "lines":
            return "\n".join(node.strings(key))
        raise ValueError(f"{self.key}: {kind} is read by its own record")

    @property
    def lookup(self) -> str:
        """The `values()` lookup that export reads this field with."""
        if self.kind == "ref":
            return f"{self.attr}__{'code' if self.table == MEMBERS else 'slug'}"
        return self.path or self.attr

    def write(self, value: Any) -> Any:
        """The YAML value of the model value (None: left out)."""
        if self.omit is not None and value == self.omit:
            return None
        if self.kind == "lines":
            return [line.strip() for line in (value or "").splitlines() if line.strip()]
        if self.kind == "datetime":
            return value.isoformat() if value else None
        return value


def _field(kind: str, key: str, attr: str | None = None, **options: Any) -> Field:
    return Field(key=key, attr=attr or key, kind=kind, **options)


def text(key: str, attr: str | None = None, *, required: bool = False) -> Field:
    return _field("text", key, attr, required=required)


def string(key: str, attr: str | None = None, *, required: bool = False, path: str = "") -> Field:
    return _field("str", key, attr, required=required, path=path)


def slug(key: str, attr: str | None = None, *, required: bool = False, path: str = "") -> Field:
    return _field("slug", key, attr, required=required, path=path)


def code(key: str, attr: str | None = None, *, required: bool = False, path: str = "") -> Field:
    """A member's four-digit code; `path` when it names a member of another record."""
    return _field("code", key, attr, required=required, path=path)


def moment(key: str, attr: str | None = None) -> Field:
    return _field("datetime", key, attr)


def integer(key: str, attr: str | None = None, **options: Any) -> Field:
    return _field("int", key, attr, **options)


def amount(key: str, attr: str | None = None, **options: Any) -> Field:
    return _field("decimal", key, attr, **options)


def day(key: str, attr: str | None = None, *, required: bool = False, path: str = "") -> Field:
    return _field("date", key, attr, required=required, path=path)


def flag(key: str, attr: str | None = None, *, default: bool = False, keep: bool = False) -> Field:
    return _field("bool", key, attr, default=default, keep=keep)


def choice(key: str, choices: Iterable[str], *, required: bool = False, default: str = "") -> Field:
    return _field("choice", key, choices=tuple(choices), required=required, default=default)


def ref(
    key: str, table: str, what: str, attr: str | None = None, *, required: bool = False
) -> Field:
    return _field("ref", key, attr, table=table, what=what, required=required)


def refs(key: str, table: str, what: str, attr: str | None = None) -> Field:
    return _field("refs", key, attr, table=table, what=what)


def lines(key: str, attr: str | None = None) -> Field:
    return _field("lines", key, attr)


def nested(key: str) -> Field:
    return _field("nested", key)


@dataclass(frozen=True)
class Record:
    """A kind of record in the year file: the list it stands in, its model and its fields."""

    key: str
    model: type[Model]
    fields: tuple[Field, ...]
    # Fields the file's reader has already judged (choices that fell back to a default,
    # keys required by the file), so the model's check does not say it twice.
    judged: tuple[str, ...] = ()
    # The model's `order` follows the record's place in its list.
    ordered: bool = True
    by_key: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def columns(self) -> list[Field]:
        """The fields stored on the model's own row (not many-to-many, not nested)."""
        return [f for f in self.fields if f.kind not in ("refs", "nested")]

    def only(self, node: Node) -> None:
        node.only(*self.keys)

    def read(
        self, node: Node, refs: Lookups, *, skip: Iterable[str] = (), only: bool = True
    ) -> dict[str, Any]:
        """The record's model values from `node`, by model field name (nested ones left out).

        A key the record does not declare is an error (`only`), so a typo never drops data.
        """
        if only:
            self.only(node)
        left_out = set(skip)
        return {
            f.attr: f.read(node, refs)
            for f in self.fields
            if f.kind != "nested" and f.key not in left_out
        }

    def exclude(self) -> list[str]:
        """What the model's check leaves alone: relations (looked up already) and judged fields."""
        relations = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
        return [*relations, *self.judged]

    def write(self, values: dict[str, Any], nested: dict[str, Any] | None = None) -> dict[str, Any]:
        """The record as the file writes it: its keys in order, empty values left out.

        `values` are the model's, by `Field.lookup`; `nested` holds what other queries
        read: the many-to-many slugs and the nested records, by YAML key.
        """
        nested = nested or {}
        data: dict[str, Any] = {}
        for f in self.fields:
            value = nested.get(f.key) if f.kind in ("nested", "refs") else f.write(values[f.lookup])
            if f.keep or not _empty(value):
                data[f.key] = value
        return data


def _empty(value: Any) -> bool:
    # Identity for False: a zero amount or count is data and must survive the round trip.
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)
