"""YAML in and out: a fast reader, a line finder for messages, and a canonical writer.

A year file can be 50 MB. PyYAML's composer builds a node with two marks for every
scalar before a constructor turns them into values: slow, and several times the
file's size in memory. `parse` instead reads libyaml's event stream and builds the
plain values at once, resolving plain scalars as PyYAML's SafeLoader does (YAML
1.1: null, booleans, integers, timestamps; decimals become `Decimal`, never float).
It keeps no line numbers: only a file with errors needs them, and `locate` finds
them afterwards by reading the events again. The rare file that uses anchors,
aliases, merge keys or explicit tags is read by the composing loader instead, with
the same values.

`dump` writes the canonical text. Every value goes through the same choice of
scalar style that libyaml's emitter makes (`dump_with_pyyaml`, kept as the
reference and for anything unusual); the writer formats the common scalars itself,
which makes a large export some ten times faster. `tests/yearfile/test_yamlio.py`
holds the two to the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

Path = tuple[str | int, ...]


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Unusual(Exception):
    """The file uses a YAML feature the event reader leaves to the composing loader."""


# libyaml's parser when PyYAML was built with it (the wheels are).
_LoaderBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    key: list(value) for key, value in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _resolve(value: str) -> str:
    """The tag SafeLoader gives a plain scalar (the implicit resolvers of YAML 1.1)."""
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _construct(tag: str, value: str) -> Any:
    if tag == _STR:
        return value
    if tag == "tag:yaml.org,2002:float":
        # Amounts must never pass through binary floating point.
        return Decimal(value.replace("_", ""))
    node = yaml.ScalarNode(tag, value)
    if tag == "tag:yaml.org,2002:int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    if tag == "tag:yaml.org,2002:bool":
        return _CONSTRUCTOR.construct_yaml_bool(node)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:timestamp":
        return _CONSTRUCTOR.construct_yaml_timestamp(node)
    raise _Unusual  # merge keys, `=` and the like


def _scalar(event: ScalarEvent) -> Any:
    if event.anchor is not None or event.tag not in (None, "!"):
        raise _Unusual
    if event.implicit[0]:
        return _construct(_resolve(event.value), event.value)
    return event.value


def _line(event: Any) -> int | None:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else None


def _events_value(get: Callable[[], Any], event: Any) -> Any:
    kind = event.__class__
    if kind is ScalarEvent:
        return _scalar(event)
    if event.__class__ is AliasEvent or event.anchor is not None:
        raise _Unusual
    if kind is MappingStartEvent:
        if event.tag not in (None, "!", "tag:yaml.org,2002:map"):
            raise _Unusual
        data: dict[str, Any] = {}
        while True:
            key_event = get()
            if key_event.__class__ is MappingEndEvent:
                return data
            if key_event.__class__ is not ScalarEvent:
                raise _Unusual
            key = _scalar(key_event)
            if key_event.implicit[0] and key == "<<":
                raise _Unusual
            if not isinstance(key, str):
                key = str(key)
            if key in data:
                raise YamlSyntaxError(_line(key_event), f"key {key!r} appears twice")
            data[key] = _events_value(get, get())
    if kind is SequenceStartEvent:
        if event.tag not in (None, "!", "tag:yaml.org,2002:seq"):
            raise _Unusual
        items: list[Any] = []
        while True:
            item_event = get()
            if item_event.__class__ is SequenceEndEvent:
                return items
            items.append(_events_value(get, item_event))
    raise _Unusual


def _read_events(text: str) -> Any:
    loader = _LoaderBase(text)
    try:
        get = loader.get_event
        get()  # stream start
        event = get()
        if event.__class__ is StreamEndEvent:
            return None
        value = _events_value(get, get())
        get()  # document end
        if get().__class__ is not StreamEndEvent:
            # A second document: let the composing loader say so, as it always has.
            raise _Unusual
        return value
    finally:
        loader.dispose()


# -- the composing loader, for unusual files ---------------------------------------------


class _ComposingLoader(_LoaderBase):
    pass


def _construct_map(loader: _ComposingLoader, node: yaml.MappingNode) -> Any:
    data: dict[str, Any] = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in data:
            raise YamlSyntaxError(key_node.start_mark.line + 1, f"key {key!r} appears twice")
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_float(loader: _ComposingLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


_ComposingLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_ComposingLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def parse(text: str) -> Any:
    """Parse YAML text to plain values; syntax errors become YamlSyntaxError with a line."""
    try:
        try:
            return _read_events(text)
        except _Unusual:
            return yaml.load(text, Loader=_ComposingLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(line, f"{exc.problem or exc.context}") from exc
    except (yaml.YAMLError, ValueError, ArithmeticError) as exc:
        raise YamlSyntaxError(None, str(exc)) from exc


# -- lines, for messages -----------------------------------------------------------------


def locate(text: str, wanted: Iterable[Path]) -> dict[Path, int]:
    """The line on which each wanted value starts (paths of keys and list indexes).

    A path that is not in the file is left out; the caller falls back to the line
    of the nearest mapping that is. Reads the events once, keeping only the lines asked for.
    """
    wanted = set(wanted)
    # Only descend where a wanted path leads.
    prefixes = {path[:n] for path in wanted for n in range(len(path) + 1)}
    found: dict[Path, int] = {}
    loader = _LoaderBase(text)
    try:
        get = loader.get_event
        get()
        event = get()
        if event.__class__ is StreamEndEvent:
            return found
        _locate_value(get, get(), (), wanted, prefixes, found)
    except yaml.YAMLError:
        pass  # a file that parsed once parses again; if not, the lines found so far stand
    finally:
        loader.dispose()
    return found


def _locate_value(
    get: Callable[[], Any],
    event: Any,
    path: Path,
    wanted: set[Path],
    prefixes: set[Path],
    found: dict[Path, int],
) -> None:
    if path in wanted:
        found[path] = _line(event) or 0
    kind = event.__class__
    inside = path in prefixes
    if kind is MappingStartEvent:
        while True:
            key_event = get()
            if key_event.__class__ is MappingEndEvent:
                return
            key: Any = key_event.value if key_event.__class__ is ScalarEvent else None
            if key_event.__class__ is not ScalarEvent:
                _skip(get, key_event)
            elif key_event.implicit[0]:
                with contextlib.suppress(_Unusual):
                    key = _construct(_resolve(key), key)
                key = key if isinstance(key, str) else str(key)
            value_event = get()
            if inside and key is not None:
                _locate_value(get, value_event, (*path, key), wanted, prefixes, found)
            else:
                _skip(get, value_event)
    elif kind is SequenceStartEvent:
        index = 0
        while True:
            item_event = get()
            if item_event.__class__ is SequenceEndEvent:
                return
            if inside:
                _locate_value(get, item_event, (*path, index), wanted, prefixes, found)
            else:
                _skip(get, item_event)
            index += 1


def _skip(get: Callable[[], Any], event: Any) -> None:
    """Read past one value's events."""
    if event.__class__ not in (MappingStartEvent, SequenceStartEvent):
        return
    depth = 1
    while depth:
        kind = get().__class__
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            depth += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1


# -- writing -----------------------------------------------------------------------------

# libyaml's emitter when PyYAML was built with it. It writes list items level with their key.
_Base: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):
    pass


def _literal_text(value: str) -> str:
    text = value if value.endswith("\n") else value + "\n"
    # Trailing spaces on a line make the emitter fall back to quoting; strip them for a readable block.
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar(_STR, _literal_text(value), style="|")
    if value.isdigit():
        # Codes such as "0126" stay visibly strings, whatever YAML version reads them.
        return dumper.represent_scalar(_STR, value, style='"')
    return dumper.represent_scalar(_STR, value)


def _decimal_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def _represent_decimal(dumper: _Dumper, value: Decimal) -> yaml.ScalarNode:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:.2f}")


def _represent_date(dumper: _Dumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(dt.date, _represent_date)

_DUMP_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "allow_unicode": True,
    "width": 100000,
    "default_flow_style": False,
}


def dump_with_pyyaml(data: Any) -> str:
    """The canonical text as PyYAML writes it: the reference that `dump` matches byte for byte."""
    return yaml.dump(data, Dumper=_Dumper, **_DUMP_OPTIONS)


# A one-line text the emitter writes plain: it starts with a letter, holds only printable
# characters that are no indicator where they stand, and does not read as another type.
_PLAIN_CHARS = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]*\Z")
_LINE_CHARS = _PLAIN_CHARS


def _plain_ok(value: str) -> bool:
    return (
        value[:1].isalpha()
        and value[-1:] not in (" ", ":")
        and ": " not in value
        and " #" not in value
        and _PLAIN_CHARS.match(value) is not None
        and _resolve(value) == _STR
    )


class _Writer:
    """Block YAML as libyaml lays it out: two-space mappings, list items level with their key."""

    def __init__(self) -> None:
        self.out: list[str] = []

    def scalar(self, value: Any, column: int) -> str | None:
        """The text of a scalar after `key: ` or `- `; None when it is a collection."""
        if value.__class__ is str:
            if "\n" in value:
                return self.literal(value, column)
            if value.isdigit():
                return f'"{value}"'
            if value and _plain_ok(value):
                return value
            return _scalar_by_pyyaml(value, column)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if value.__class__ is int:
            return str(value)
        if value.__class__ is Decimal:
            return _decimal_text(value)
        if value.__class__ is dt.date:
            return value.isoformat()
        if isinstance(value, dict | list):
            return None
        return _scalar_by_pyyaml(value, column)

    def literal(self, value: str, column: int) -> str:
        text = _literal_text(value)
        lines = text.split("\n")
        # A block that starts with a space or a break, keeps more than one final break, or
        # holds a character the emitter escapes: as PyYAML writes it.
        if (
            text[:1] in (" ", "\n")
            or text.endswith("\n\n")
            or _LINE_CHARS.match(text.replace("\n", "")) is None
        ):
            return _scalar_by_pyyaml(value, column)
        indent = " " * (column + 2)
        body = "\n".join(indent + line if line else "" for line in lines[:-1])
        return "|\n" + body

    def mapping(self, data: dict[str, Any], column: int, first_prefix: str) -> None:
        out = self.out
        prefix = first_prefix
        pad = " " * column
        for key, value in data.items():
            key_text = key if _plain_key(key) else _scalar_by_pyyaml(key, column)
            text = self.scalar(value, column)
            if text is not None:
                out.append(f"{prefix}{key_text}: {text}\n")
            elif not value:
                out.append(f"{prefix}{key_text}: {'{}' if isinstance(value, dict) else '[]'}\n")
            elif isinstance(value, dict):
                out.append(f"{prefix}{key_text}:\n")
                self.mapping(value, column + 2, " " * (column + 2))
            else:
                out.append(f"{prefix}{key_text}:\n")
                self.sequence(value, column)
            prefix = pad

    def sequence(self, items: list[Any], column: int) -> None:
        out = self.out
        pad = " " * column
        for item in items:
            text = self.scalar(item, column)
            if text is not None:
                out.append(f"{pad}- {text}\n")
            elif not item:
                out.append(f"{pad}- {'{}' if isinstance(item, dict) else '[]'}\n")
            elif isinstance(item, dict):
                self.mapping(item, column + 2, pad + "- ")
            else:
                raise _Unusual  # a list in a list: never written by the export


def _plain_key(key: str) -> bool:
    return key.__class__ is str and bool(key) and not key.isdigit() and _plain_ok(key)


def _scalar_by_pyyaml(value: Any, column: int) -> str:
    """The emitter's own text for one scalar placed after a key (or a dash) at `column`.

    The scalar is written as the value of a key nested to that column, because the
    emitter indents a scalar's later lines from there.
    """
    nested: Any = value
    for _ in range(column // 2 + 1):
        nested = {"k": nested}
    text = dump_with_pyyaml(nested)
    prefix = "".join(" " * level + "k:\n" for level in range(0, column, 2)) + " " * column + "k: "
    assert text.startswith(prefix)
    text = text[len(prefix) :]
    if text.endswith("\n...\n"):
        # A block that keeps its final breaks ends the document explicitly when it stands last.
        text = text[:-4]
    return text[:-1]


def dump(data: Any) -> str:
    """Canonical YAML: keys in the given order, Unicode as is, no line wrapping."""
    if not isinstance(data, dict) or not data:
        return dump_with_pyyaml(data)
    writer = _Writer()
    try:
        writer.mapping(data, 0, "")
    except _Unusual:
        return dump_with_pyyaml(data)
    return "".join(writer.out)
