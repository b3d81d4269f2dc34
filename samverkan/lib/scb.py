"""Population figures from SCB (Statistics Sweden), table TAB638 "Folkmängd", without Django.

Two formats are read:

* the CSV that the Statistikdatabasen web page (and PxWebApi 2 with
  `outputFormat=csv`) offers for download: an optional title line, then a
  header row naming the region column and one column per year ("2024", or
  "Folkmängd 2024" when the contents are in the heading), one row per region
  ("0127 Botkyrka"); comma, semicolon or tab separated, UTF-8 or Windows-1252.
  The long layout (region, år, Folkmängd as columns) is read too;
* json-stat2, PxWebApi 2's default output: `id`, `size`, `dimension` and a
  flat row-major `value` array (small enough to read by hand; pyjstat would
  pull in pandas).

A figure is the population at 31 December of its year (content code
BE0101N1). Reading never stops at the first problem: the result lists every
figure read and every problem found, with the file line (CSV) or the cell
(json-stat2) and the column. A problem is fatal unless it is only a note
(a region that is not a municipality, a cell SCB left empty with "..").
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

TABLE = "TAB638"
CONTENTS_CODE = "BE0101N1"
CONTENTS_LABEL = "folkmängd"
# The contents' name as a title or column starts with it, in Swedish or in English.
CONTENTS_LABELS = (CONTENTS_LABEL, "population")
# The names the table has had: TAB638 in PxWebApi 2, BefolkningNy (matrix BE0101N1) in API v1.
TABLE_NAMES = frozenset({TABLE, "BefolkningNy", CONTENTS_CODE})
MAX_JSON_BYTES = 20 * 1024 * 1024
# Twice what all of Sweden has: no municipality comes near it, so a larger figure is a broken
# file (and would not fit the database's column), not a population.
MAX_POPULATION = 20_000_000

_YEAR_HEADER = re.compile(r"^(?:(?P<label>.*?)\s+)?(?P<year>\d{4})$")
_REGION = re.compile(r"^(?P<code>\d+)(?:\s+(?P<name>.+))?$")
_INTEGER = re.compile(r"^\d+$|^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$")
_NEGATIVE = re.compile(r"^[-\u2212]\s*\d[\d \u00a0\u202f]*$")
_MISSING_MARKS = frozenset({"..", "…", "."})
_TIME_HEADERS = frozenset({"år", "tid", "year"})
_REGION_HEADERS = frozenset({"region"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """One municipality's population at 31 December of `year`, and where in the file it stood."""

    code: str
    region: str
    year: int
    population: int
    line: int | None  # the CSV line; None in json-stat2
    field: str  # the column (CSV) or the cell (json-stat2)

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, 12, 31)


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """Something in the file that is not a usable figure.

    `code` is stable for callers to switch on (and to word the message in the
    user's language); `detail` explains it in English for logs and tests.
    """

    code: str
    line: int | None
    field: str
    value: str
    detail: str
    fatal: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class ScbFile:
    title: str
    figures: tuple[Figure, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.fatal)

    @property
    def notes(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.fatal)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Collector:
    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.problems: list[Problem] = []
        self._seen: dict[tuple[str, int], Figure] = {}

    def problem(
        self,
        code: str,
        line: int | None,
        field: str,
        value: str,
        detail: str,
        *,
        fatal: bool = True,
    ) -> None:
        self.problems.append(
            Problem(code=code, line=line, field=field, value=value, detail=detail, fatal=fatal)
        )

    def figure(self, figure: Figure) -> None:
        earlier = self._seen.get((figure.code, figure.year))
        if earlier is not None:
            where = f"line {earlier.line}" if earlier.line is not None else earlier.field
            self.problem(
                "duplicate",
                figure.line,
                figure.field,
                str(figure.population),
                f"a second figure for {figure.code} in {figure.year}; the first is at {where}",
            )
            return
        self._seen[(figure.code, figure.year)] = figure
        self.figures.append(figure)

    def result(self, title: str) -> ScbFile:
        if not self.figures and not any(p.fatal for p in self.problems):
            self.problem(
                "no_figures", None, "", "", "the file holds no population figure of a municipality"
            )
        return ScbFile(title=title, figures=tuple(self.figures), problems=tuple(self.problems))


def parse_population(text: str, *, line: int | None, field: str, out: _Collector) -> int | None:
    """A cell as a number of inhabitants, or None (a problem is recorded) when it is not one."""
    value = text.strip()
    if value in _MISSING_MARKS:
        out.problem("no_value", line, field, value, "SCB gives no figure here", fatal=False)
        return None
    if _INTEGER.match(value):
        population = int(re.sub(r"\D", "", value))
        if population > MAX_POPULATION:
            out.problem("too_many", line, field, value, "more inhabitants than a municipality has")
            return None
        return population
    if _NEGATIVE.match(value):
        out.problem("negative", line, field, value, "a population cannot be negative")
        return None
    out.problem("not_a_number", line, field, value, "not a whole number of inhabitants")
    return None


def _region(text: str, *, line: int | None, field: str, out: _Collector) -> tuple[str, str] | None:
    """("0127", "Botkyrka") from "0127 Botkyrka"; None for the country, counties and errors."""
    value = text.strip()
    match = _REGION.match(value)
    if match is None:
        out.problem(
            "no_region_code",
            line,
            field,
            value,
            "the region has no code; download the table with codes and texts",
        )
        return None
    if len(match["code"]) != 4:
        out.problem(
            "not_municipality",
            line,
            field,
            value,
            "not a municipality (four-digit code)",
            fatal=False,
        )
        return None
    return match["code"], (match["name"] or "").strip()


# -- CSV ---------------------------------------------------------------------------------------------


def detect_encoding(stream: IO[bytes], chunk_size: int = 64 * 1024) -> str:
    """utf-8-sig when the whole file is UTF-8 (a byte-order mark or not), else Windows-1252.

    Reads the stream once in chunks (it may be a large temporary file) and
    rewinds it.
    """
    start = stream.read(3)
    if start == codecs.BOM_UTF8:
        stream.seek(0)
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = start
    try:
        while chunk:
            decoder.decode(chunk)
            chunk = stream.read(chunk_size)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _cells(line: str, delimiter: str, number: int, out: _Collector) -> list[str] | None:
    """The cells of one line, or None (a problem at the line) when the csv module cannot read it."""
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except csv.Error as exc:  # a cell over the csv module's field size limit, a stray NUL
        out.problem("unreadable", number, "", line[:80], f"the line cannot be read as CSV: {exc}")
        return None


def _delimiter(line: str) -> str:
    """The separator of a header line: the one of ; tab , that occurs most often outside quotes."""
    counts = {";": 0, "\t": 0, ",": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(counts, key=lambda d: counts[d])


def read_csv(stream: IO[bytes]) -> ScbFile:
    """Read a CSV download of TAB638 from a binary, seekable stream (a temporary file)."""
    encoding = detect_encoding(stream)
    # Windows-1252 leaves five bytes undefined: a file holding them is no text, and is refused
    # for what it lacks (a header, a region) rather than failing to decode.
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        return parse_csv_lines(text)
    finally:
        text.detach()


def parse_csv_lines(lines: Iterable[str]) -> ScbFile:
    """Read the lines of a CSV download (see the module's docstring for the layouts)."""
    out = _Collector()
    numbered = enumerate(lines, start=1)
    title = ""
    for number, raw in numbered:
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        delimiter = _delimiter(line)
        cells = _cells(line, delimiter, number, out)
        if cells is None:
            return out.result(title)
        if len([c for c in cells if c.strip()]) <= 1:
            if title or number > 5:
                out.problem(
                    "no_header",
                    number,
                    "",
                    line[:80],
                    "expected the header row with region and years",
                )
                return out.result(title)
            title = cells[0].strip() if cells else ""
            if not title.lower().startswith(CONTENTS_LABELS):
                out.problem(
                    "wrong_table",
                    number,
                    "",
                    title,
                    f"the title is not that of {TABLE} ({CONTENTS_LABEL} efter region ...)",
                )
                return out.result(title)
            continue
        _read_body(cells, number, numbered, delimiter, out)
        return out.result(title)
    out.problem("empty", None, "", "", "the file holds no header row")
    return out.result(title)


@dataclass(slots=True)
class _Layout:
    region: int
    years: dict[int, int]  # column -> year (wide layout)
    time: int | None = None  # the "år" column (long layout)
    value: int | None = None  # the "Folkmängd" column (long layout)


def _layout(cells: list[str], line: int, out: _Collector) -> _Layout | None:
    region = None
    years: dict[int, int] = {}
    time = value = None
    others = []
    for index, cell in enumerate(cells):
        name = cell.strip()
        lowered = name.lower()
        match = _YEAR_HEADER.match(name)
        if lowered in _REGION_HEADERS:
            region = index
        elif lowered in _TIME_HEADERS:
            time = index
        elif lowered.startswith(CONTENTS_LABELS) and not match:
            value = index
        elif match:
            label = (match["label"] or "").strip().lower()
            if label and label not in CONTENTS_LABELS:
                out.problem(
                    "wrong_table",
                    line,
                    name,
                    name,
                    f"the column holds {label!r}, not {CONTENTS_LABEL}",
                )
                return None
            years[index] = int(match["year"])
        elif name:
            others.append(name)
    if region is None:
        out.problem(
            "wrong_table",
            line,
            cells[0].strip(),
            cells[0].strip(),
            "no column named region: not a download of the population by region",
        )
        return None
    if others:
        out.problem(
            "split",
            line,
            others[0],
            ", ".join(others),
            "the figures are split by more than region and year; choose only the totals",
        )
        return None
    if time is not None and value is not None and not years:
        return _Layout(region=region, years={}, time=time, value=value)
    if not years:
        out.problem(
            "wrong_table",
            line,
            "",
            ", ".join(c.strip() for c in cells),
            "no year columns in the header",
        )
        return None
    return _Layout(region=region, years=years)


def _read_body(
    header: list[str],
    header_line: int,
    numbered: Iterator[tuple[int, str]],
    delimiter: str,
    out: _Collector,
) -> None:
    layout = _layout(header, header_line, out)
    if layout is None:
        return
    names = [cell.strip() for cell in header]
    for number, raw in numbered:
        if not raw.strip():
            continue
        cells = _cells(raw.rstrip("\r\n"), delimiter, number, out)
        if cells is None:
            continue
        if len(cells) != len(header):
            out.problem(
                "columns",
                number,
                "",
                raw.strip()[:80],
                f"{len(cells)} columns where the header has {len(header)}",
            )
            continue
        region = _region(cells[layout.region], line=number, field=names[layout.region], out=out)
        if layout.time is not None and layout.value is not None:
            year_text = cells[layout.time].strip()
            if not re.fullmatch(r"\d{4}", year_text):
                out.problem("not_a_year", number, names[layout.time], year_text, "not a year")
                continue
            columns = {layout.value: int(year_text)}
        else:
            columns = layout.years
        for column, year in columns.items():
            population = parse_population(cells[column], line=number, field=names[column], out=out)
            if region is not None and population is not None:
                out.figure(
                    Figure(
                        code=region[0],
                        region=region[1],
                        year=year,
                        population=population,
                        line=number,
                        field=names[column],
                    )
                )


# -- json-stat2 --------------------------------------------------------------------------------------


def read_json_stat2(stream: IO[bytes], *, max_bytes: int = MAX_JSON_BYTES) -> ScbFile:
    """Read a json-stat2 dataset of TAB638 (PxWebApi 2's default output) from a binary stream."""
    data = stream.read(max_bytes + 1)
    out = _Collector()
    if len(data) > max_bytes:
        out.problem("too_large", None, "", str(max_bytes), "larger than a population table can be")
        return out.result("")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        out.problem("not_json", None, "", "", "not UTF-8 text")
        return out.result("")
    except json.JSONDecodeError as exc:
        out.problem("not_json", exc.lineno, "", exc.msg, f"not JSON: {exc.msg}")
        return out.result("")
    return parse_json_stat2(document, out)


def _category(dimension: Any) -> tuple[list[str], dict[str, str]]:
    """The codes of a dimension in index order, and their labels."""
    category = dimension.get("category", {}) if isinstance(dimension, dict) else {}
    index = category.get("index")
    labels = category.get("label") or {}
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [str(c) for c, _ in sorted(index.items(), key=lambda item: item[1])]
    else:
        codes = [str(c) for c in labels]
    return codes, {str(k): str(v) for k, v in labels.items()}


def parse_json_stat2(document: Any, out: _Collector | None = None) -> ScbFile:
    out = out or _Collector()
    if not isinstance(document, dict) or document.get("class") != "dataset":
        out.problem(
            "not_json_stat",
            None,
            "class",
            str(document.get("class") if isinstance(document, dict) else ""),
            "not a json-stat2 dataset",
        )
        return out.result("")
    title = str(document.get("label", ""))
    ids = document.get("id")
    sizes = document.get("size")
    dimensions = document.get("dimension")
    if not (
        isinstance(ids, list)
        and isinstance(sizes, list)
        and isinstance(dimensions, dict)
        and len(ids) == len(sizes)
        and all(i in dimensions for i in ids)
    ):
        out.problem("not_json_stat", None, "id", "", "id, size and dimension do not agree")
        return out.result(title)
    role = document.get("role") or {}
    px = (document.get("extension") or {}).get("px") or {}
    region_id = (role.get("geo") or ["Region"])[0]
    time_id = (role.get("time") or ["Tid"])[0]
    metric_id = (role.get("metric") or ["ContentsCode"])[0]
    table = str(px.get("tableid") or px.get("matrix") or "")
    contents, _ = _category(dimensions.get(metric_id, {}))
    if CONTENTS_CODE not in contents and table not in TABLE_NAMES:
        out.problem(
            "wrong_table",
            None,
            "extension.px.tableid",
            table or title,
            f"not {TABLE}: no contents {CONTENTS_CODE}",
        )
        return out.result(title)
    if region_id not in ids or time_id not in ids:
        out.problem(
            "wrong_table", None, "id", ", ".join(map(str, ids)), "no region or no time dimension"
        )
        return out.result(title)
    axes = []
    for dim_id, size in zip(ids, sizes, strict=True):
        codes, labels = _category(dimensions[dim_id])
        if len(codes) != size:
            out.problem(
                "not_json_stat",
                None,
                f"dimension.{dim_id}",
                str(size),
                "size does not match the categories",
            )
            return out.result(title)
        if dim_id == metric_id and CONTENTS_CODE in codes:
            keep = [codes.index(CONTENTS_CODE)]
        elif dim_id in (region_id, time_id, metric_id):
            keep = list(range(size))
        elif size == 1 and labels.get(codes[0], codes[0]).lower().startswith(("total", "tot")):
            keep = [0]
        else:
            out.problem(
                "split",
                None,
                f"dimension.{dim_id}",
                str(dimensions[dim_id].get("label", dim_id)),
                "the figures are split by more than region and year; choose only the totals",
            )
            return out.result(title)
        axes.append((dim_id, codes, labels, keep))
    values = document.get("value")
    if not isinstance(values, list | dict):
        out.problem("not_json_stat", None, "value", "", "no value array")
        return out.result(title)
    strides = []
    stride = 1
    for size in reversed(sizes):
        strides.append(stride)
        stride *= size
    strides.reverse()
    _walk(axes, strides, values, region_id, time_id, out)
    return out.result(title)


def _walk(
    axes: list[tuple[str, list[str], dict[str, str], list[int]]],
    strides: list[int],
    values: list[Any] | dict[str, Any],
    region_id: str,
    time_id: str,
    out: _Collector,
) -> None:
    positions: list[list[int]] = [[]]
    for _, _, _, keep in axes:
        positions = [p + [k] for p in positions for k in keep]
    regions: dict[str, tuple[str, str] | None] = {}
    for position in positions:
        flat = sum(i * s for i, s in zip(position, strides, strict=True))
        chosen = {dim_id: codes[i] for (dim_id, codes, _, _), i in zip(axes, position, strict=True)}
        code = chosen[region_id]
        where = f"value[{flat}] ({region_id}={code}, {time_id}={chosen[time_id]})"
        if code not in regions:
            labels = next(lab for dim_id, _, lab, _ in axes if dim_id == region_id)
            label = labels.get(code, "")
            # SCB labels a municipality by its name alone ("Botkyrka"); a code in the label is tolerated.
            name = label[len(code) :].strip() if label.startswith(code) else label
            regions[code] = _region(f"{code} {name}".strip(), line=None, field=where, out=out)
        region = regions[code]
        year_text = chosen[time_id]
        if not re.fullmatch(r"\d{4}", year_text):
            out.problem("not_a_year", None, where, year_text, "not a year")
            continue
        raw = (
            values[flat]
            if isinstance(values, list) and flat < len(values)
            else (values.get(str(flat)) if isinstance(values, dict) else None)
        )
        if raw is None:
            out.problem("no_value", None, where, "", "SCB gives no figure here", fatal=False)
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            out.problem("not_a_number", None, where, str(raw), "not a whole number of inhabitants")
            continue
        if raw != int(raw):
            out.problem("not_a_number", None, where, str(raw), "not a whole number of inhabitants")
            continue
        if raw < 0:
            out.problem("negative", None, where, str(int(raw)), "a population cannot be negative")
            continue
        if raw > MAX_POPULATION:
            out.problem(
                "too_many", None, where, str(int(raw)), "more inhabitants than a municipality has"
            )
            continue
        if region is not None:
            out.figure(
                Figure(
                    code=region[0],
                    region=region[1],
                    year=int(year_text),
                    population=int(raw),
                    line=None,
                    field=where,
                )
            )


def read_file(stream: IO[bytes], file_name: str) -> ScbFile:
    """Read either format, chosen by the file name's ending or, failing that, the first character."""
    lowered = file_name.lower()
    if lowered.endswith(".json"):
        return read_json_stat2(stream)
    if lowered.endswith((".csv", ".txt", ".tsv")):
        return read_csv(stream)
    start = stream.read(64).lstrip(codecs.BOM_UTF8).lstrip()
    stream.seek(0)
    return read_json_stat2(stream) if start.startswith(b"{") else read_csv(stream)
