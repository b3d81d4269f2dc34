"""The YAML reader and writer: the fast ones give what PyYAML's loader and emitter give."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal

import pytest
import yaml

from samverkan.yearfile.yamlio import YamlSyntaxError, dump, dump_with_pyyaml, locate, parse

# Texts whose YAML form is not plain: quoted, escaped, literal blocks, look-alikes of other types.
AWKWARD_TEXTS = [
    "Kollektivtrafik på Södertörn – plan 2050",
    "Mål: en punkt",
    "a #b",
    "yes",
    "No",
    "null",
    "~",
    "",
    " indrag",
    "slut ",
    "0126",
    "12.5",
    "2020-01-01",
    "- x",
    "#x",
    "a\tb",
    "x\n",
    "rad 1\nrad 2",
    " indrag\nrad",
    "a\n\n",
    "- punkt\n  - underpunkt\n",
    "It's",
    '"citat"',
    "a:",
    "[x]",
    "x, y",
    "x\u00a0y",
    "x\u2028y",
    "@at",
    "%p",
    "On",
    "=",
    "<<",
    ".inf",
    "12:30",
    "a\r\nb",
]


def test_the_writer_gives_pyyamls_bytes_for_awkward_texts_at_every_depth() -> None:
    data = {
        "kind": "year",
        "texts": {"intro": "Text\n- punkt\n  - underpunkt\n"},
        "list": AWKWARD_TEXTS,
        "records": [
            {
                "title": text,
                "n": n,
                "amount": Decimal("4351.50"),
                "whole": Decimal("1472343"),
                "date": dt.date(2020, 1, 16),
                "yes": True,
                "no": False,
                "none": None,
                "inner": {"text": text, "list": [text, text]},
                "empty": [],
                "nothing": {},
            }
            for n, text in enumerate(AWKWARD_TEXTS)
        ],
    }
    assert dump(data) == dump_with_pyyaml(data)


def test_the_reader_gives_what_the_safe_loader_gives() -> None:
    text = dump_with_pyyaml({"list": AWKWARD_TEXTS, "n": 12, "on": "on", "d": dt.date(2020, 1, 2)})
    expected = yaml.safe_load(text)
    assert parse(text) == expected


def test_amounts_are_read_as_decimals_never_floats() -> None:
    assert parse("amount: 4351.50\n") == {"amount": Decimal("4351.50")}


def test_anchors_and_merge_keys_are_read_as_the_safe_loader_reads_them() -> None:
    text = textwrap.dedent(
        """\
        base: &base {format: digital, count: 2}
        meeting:
          <<: *base
          place: Huddinge
        """
    )
    assert parse(text)["meeting"] == {"format": "digital", "count": 2, "place": "Huddinge"}


def test_a_key_twice_is_a_syntax_error_on_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse("kind: year\nyear: 2020\nyear: 2021\n")
    assert caught.value.line == 3 and "appears twice" in caught.value.message


def test_lines_are_found_for_keys_and_list_items() -> None:
    text = textwrap.dedent(
        """\
        kind: year
        lines:
          - {fund: drift, amount: 10}
          - fund: drift
            amount: tio
        """
    )
    found = locate(text, [("lines", 1), ("lines", 1, "amount"), ("kind",)])
    assert found == {("lines", 1): 4, ("lines", 1, "amount"): 5, ("kind",): 1}
