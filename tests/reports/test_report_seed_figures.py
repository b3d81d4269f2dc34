"""Every figure in the accounts tables of the two adopted reports appears in the generated report.

The seeds (tests/data/seeds/arsredovisning-YEAR.txt, copied from
../shared/seeds) are text extracted from the published PDFs; their tables are
tab-separated rows. The generated report prints each figure as adopted;
where the seed's own arithmetic does not hold (the known exceptions below),
a note in the same table gives the figure derived from the parts and the
difference.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"

# (year) -> {printed figure: derived figure}, from the issue and `samverkan check`.
KNOWN_EXCEPTIONS: dict[int, dict[int, int]] = {
    2018: {
        698_998: 705_650,  # Projekt, income and costs: the detail table's sum is 705 650
        106_790: 106_791,  # Södertörns Rådslag: the detail table's sum is 106 791
    },
    2020: {
        1_824_368: 1_824_369,  # drift costs
        188_432: 188_431,  # drift closing balance
        1_825_818: 1_825_819,  # total costs
        110_853: 110_852,  # drift from 2018, opening and closing (2018's closing balance)
        1_143_649: 1_143_648,  # total opening balance
        1_381_130: 1_381_129,  # total closing balance
    },
}
NUMBER = re.compile(r"-?\s*\d[\d\s\u00a0]*")
FIELDS = {
    "ingående": "opening",
    "intäkter": "income",
    "kostnader": "costs",
    "utgående": "closing",
    "balans": "closing",
}


def seed_path(year: int) -> Path:
    return SEEDS / f"arsredovisning-{year}.txt"


def clean(cell: str) -> str:
    return re.sub(r"</?b>|\*", "", cell).strip()


def number(cell: str) -> int | None:
    text = clean(cell)
    if not NUMBER.fullmatch(text):
        return None
    return abs(int(re.sub(r"[\s\u00a0]", "", text)))


def accounts_rows(year: int) -> list[list[str]]:
    """The tab-separated rows after the accounts chapter's heading."""
    lines = seed_path(year).read_text(encoding="utf-8").splitlines()
    start = max(
        i for i, line in enumerate(lines) if re.fullmatch(rf"[#\s]*\d+\.\s+Bokslut {year}\s*", line)
    )
    return [line.split("\t") for line in lines[start:] if "\t" in line]


def seed_figures(year: int) -> list[int]:
    return [n for row in accounts_rows(year) for n in map(number, row[1:]) if n is not None]


def seed_summary(year: int) -> dict[str, dict[str, int]]:
    """The "Sammanställning" table: label -> {field: figure}, empty cells as 0."""
    rows = accounts_rows(year)
    start = next(i for i, row in enumerate(rows) if clean(row[0]).startswith("Sammanställning"))
    header = rows[start + 1]
    fields = [
        next((f for word, f in FIELDS.items() if clean(h).lower().startswith(word)), "")
        for h in header
    ]
    table: dict[str, dict[str, int]] = {}
    for row in rows[start + 2 :]:
        label = label_of(row[0])
        if not label:
            break
        table[label] = {f: number(cell) or 0 for f, cell in zip(fields, row, strict=False) if f}
        if label == "Summa":
            break
    return table


def label_of(cell: str) -> str:
    """A row label without footnote markers ("Kommunikationsprojekt 1)" -> "Kommunikationsprojekt")."""
    return re.sub(r"\s*\d+\)\s*$", "", clean(cell)).strip()


# --- the generated report's tables --------------------------------------------------------


def markdown_tables(text: str) -> dict[str, list[list[str]]]:
    """Caption -> rows of cells, for every GFM table preceded by a bold caption line."""
    tables: dict[str, list[list[str]]] = {}
    caption = ""
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if re.fullmatch(r"\|[-:|]+\|", line):
            continue
        if line.startswith("|"):
            cells = [c.strip().strip("*").strip() for c in line.strip("|").split(" | ")]
            if current is None:
                current = tables.setdefault(caption or f"table {len(tables)}", [])
            current.append(cells)
        else:
            current = None
            if re.fullmatch(r"\*\*[^*].*\*\*", line) or re.fullmatch(r"\*[^*].*\.\*.*", line):
                caption = line.strip("*").split(".*")[0]
    return tables


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._depth += 1
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.cells[-1] += data


def generated_numbers(cells: list[str]) -> set[int]:
    """Whole-kronor figures printed in table cells ("1 824 369", "−1 450", "1 444 300 kr")."""
    found = set()
    for cell in cells:
        text = cell.replace("\u2212", "-").removesuffix(" kr").removesuffix("\u00a0kr").strip()
        value = number(text)
        if value is not None:
            found.add(value)
    return found


def markdown_numbers(rendered, year: int) -> set[int]:
    tables = markdown_tables(rendered(year, "md").decode("utf-8"))
    return generated_numbers([cell for rows in tables.values() for row in rows for cell in row])


def html_numbers(rendered, year: int) -> set[int]:
    parser = _Cells()
    parser.feed(rendered(year, "html").decode("utf-8"))
    return generated_numbers(parser.cells)


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_seed_tables_are_read(year):
    figures = seed_figures(year)

    assert len(figures) == {2018: 68, 2020: 34}[year]
    assert all(printed in figures for printed in KNOWN_EXCEPTIONS[year])
    assert len(seed_summary(year)) == {2018: 5, 2020: 8}[year]


@pytest.mark.parametrize("year", [2018, 2020])
@pytest.mark.parametrize("source", [markdown_numbers, html_numbers], ids=["markdown", "html"])
def test_every_figure_of_the_seed_tables_appears_in_the_report_as_adopted(rendered, year, source):
    shown = source(rendered, year)

    missing = sorted(set(seed_figures(year)) - shown)

    assert missing == []


@pytest.mark.parametrize("year", [2018, 2020])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_printed_figure_that_does_not_add_up_has_a_note_with_the_derived_one(rendered, year, fmt):
    text = rendered(year, fmt).decode("utf-8").replace("\u00a0", " ").replace("\u202f", " ")

    for printed, correct in KNOWN_EXCEPTIONS[year].items():
        difference = abs(correct - printed)
        direction = "mer" if correct > printed else "mindre"
        note = (
            f"{printed:,} kr som i den antagna årsredovisningen. Summan av delarna är "
            f"{correct:,} kr ({difference:,} kr {direction})."
        ).replace(",", " ")
        assert note in text, note


@pytest.mark.parametrize("year", [2018, 2020])
def test_each_row_of_the_summary_table_matches_the_seed_row_of_the_same_fund(rendered, year):
    rows = markdown_tables(rendered(year, "md").decode("utf-8"))[f"Sammanställning {year}"]
    fields = [
        next((f for word, f in FIELDS.items() if h.lower().startswith(word)), "") for h in rows[0]
    ]
    generated = {
        label_of(row[0]): {
            f: number(c.replace("\u2212", "-")) or 0 for f, c in zip(fields, row, strict=True) if f
        }
        for row in rows[1:]
    }

    for label, seed_row in seed_summary(year).items():
        assert label in generated, f"no row {label!r} in the generated summary"
        for field, printed in seed_row.items():
            assert generated[label].get(field, 0) == printed, (label, field)
