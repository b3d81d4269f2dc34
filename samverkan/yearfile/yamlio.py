"""YAML in and out: mappings that remember their line numbers, and a canonical dump."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A mapping from the file that knows where it and each of its keys stand."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0
    item_lines: list[int]


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml's parser when PyYAML was built with it (the wheels are): it scans and composes a
# 50 MB year file in C, about ten times faster than the pure-Python parser; the constructors
# below (line numbers, Decimal) stay the same. Its syntax errors carry the same marks.
_LoaderBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_LoaderBase):
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in data:
            raise YamlSyntaxError(key_node.start_mark.line + 1, f"key {key!r} appears twice")
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = value_node.start_mark.line + 1


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Any:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = []
    yield data
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_lines.append(child.start_mark.line + 1)


def _construct_float(loader: _LineLoader, node: yaml.ScalarNode) -> Decimal:
    # Amounts must never pass through binary floating point.
    text = str(loader.construct_scalar(node)).replace("_", "")
    return Decimal(text)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def parse(text: str) -> Any:
    """Parse YAML text; syntax errors become YamlSyntaxError with a line number."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(line, f"{exc.problem or exc.context}") from exc
    except (yaml.YAMLError, ValueError, ArithmeticError) as exc:
        raise YamlSyntaxError(None, str(exc)) from exc


# libyaml's emitter when PyYAML was built with it: exporting a year of 20 000
# lines is then ten times faster. It writes list items level with their key.
_Base: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):
    pass


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        text = value if value.endswith("\n") else value + "\n"
        # Trailing spaces on a line make PyYAML fall back to quoting; strip them for a readable block.
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    if value.isdigit():
        # Codes such as "0126" stay visibly strings, whatever YAML version reads them.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_decimal(dumper: _Dumper, value: Decimal) -> yaml.ScalarNode:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:.2f}")


def _represent_date(dumper: _Dumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(dt.date, _represent_date)
_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)
_Dumper.add_representer(LineList, yaml.representer.SafeRepresenter.represent_list)


def dump(data: Any) -> str:
    """Canonical YAML: keys in the given order, Unicode as is, no line wrapping."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100000,
        default_flow_style=False,
    )
