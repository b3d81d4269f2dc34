"""Reading SCB's population table TAB638 from the CSV download and from json-stat2 (inline inputs)."""

from __future__ import annotations

import io
import json
from typing import Any

from samverkan.lib.scb import ScbFile, parse_csv_lines, read_csv, read_file, read_json_stat2


def csv_text(text: str) -> ScbFile:
    return parse_csv_lines(io.StringIO(text))


def figures(result: ScbFile) -> list[tuple[str, str, int, int, int | None]]:
    return [(f.code, f.region, f.year, f.population, f.line) for f in result.figures]


def problems(result: ScbFile) -> list[tuple[str, int | None, str, str]]:
    return [(p.code, p.line, p.field, p.value) for p in result.problems]


def test_the_web_download_with_title_and_year_columns_is_read_per_region_and_year() -> None:
    result = csv_text(
        '"Folkmängd efter region och år"\n'
        "\n"
        '"region","2023","2024"\n'
        '"0127 Botkyrka",95592,95905\n'
        '"0136 Haninge",99751,100895\n'
    )
    assert result.ok and result.title == "Folkmängd efter region och år"
    assert figures(result) == [
        ("0127", "Botkyrka", 2023, 95592, 4),
        ("0127", "Botkyrka", 2024, 95905, 4),
        ("0136", "Haninge", 2023, 99751, 5),
        ("0136", "Haninge", 2024, 100895, 5),
    ]
    assert str(result.figures[0].date) == "2023-12-31"


def test_semicolons_and_the_contents_in_the_year_heading_are_read_too() -> None:
    result = csv_text('"region";"Folkmängd 2024"\r\n"0127 Botkyrka";95905\r\n')
    assert figures(result) == [("0127", "Botkyrka", 2024, 95905, 2)]


def test_the_long_layout_with_region_year_and_value_columns_is_read() -> None:
    result = csv_text(
        "region\tår\tFolkmängd\n0127 Botkyrka\t2024\t95905\n0136 Haninge\t2024\t100895\n"
    )
    assert figures(result) == [
        ("0127", "Botkyrka", 2024, 95905, 2),
        ("0136", "Haninge", 2024, 100895, 3),
    ]


def test_the_country_and_counties_are_noted_and_skipped_not_refused() -> None:
    result = csv_text(
        '"region","2024"\n"00 Riket",10587710\n"01 Stockholms län",2473307\n"0127 Botkyrka",95905\n'
    )
    assert result.ok
    assert figures(result) == [("0127", "Botkyrka", 2024, 95905, 4)]
    assert [(p.code, p.line) for p in result.notes] == [
        ("not_municipality", 2),
        ("not_municipality", 3),
    ]


def test_a_cell_that_scb_left_empty_is_a_note() -> None:
    result = csv_text('"region","2023","2024"\n"0127 Botkyrka",..,95905\n')
    assert result.ok
    assert problems(result) == [("no_value", 2, "2023", "..")]


def test_a_negative_population_and_a_letter_o_for_a_zero_are_refused_with_line_and_column() -> None:
    result = csv_text(
        '"region","2023","2024"\n"0127 Botkyrka",-3,95905\n"0136 Haninge",99751,"12 5OO"\n'
    )
    assert not result.ok
    assert problems(result) == [
        ("negative", 2, "2023", "-3"),
        ("not_a_number", 3, "2024", "12 5OO"),
    ]


def test_thousands_separated_by_spaces_are_read_as_one_number() -> None:
    result = csv_text('"region","2024"\n"0127 Botkyrka","95 905"\n"0136 Haninge","100\u00a0895"\n')
    assert [f.population for f in result.figures] == [95905, 100895]


def test_another_table_is_refused_by_its_title() -> None:
    result = csv_text('"Folkökning efter region och år"\n\n"region","2024"\n"0127 Botkyrka",313\n')
    assert problems(result) == [("wrong_table", 1, "", "Folkökning efter region och år")]
    assert result.figures == ()


def test_another_contents_in_the_year_heading_is_refused() -> None:
    result = csv_text('"region","Folkökning 2024"\n"0127 Botkyrka",313\n')
    assert problems(result) == [("wrong_table", 1, "Folkökning 2024", "Folkökning 2024")]


def test_a_file_without_a_region_column_is_refused() -> None:
    result = csv_text("konto,belopp\n3010,100\n")
    assert [p.code for p in result.errors] == ["wrong_table"]


def test_figures_split_by_sex_are_refused_rather_than_summed() -> None:
    result = csv_text('"region","kön","2024"\n"0127 Botkyrka","män",48000\n')
    assert problems(result) == [("split", 1, "kön", "kön")]


def test_monthly_periods_are_not_years() -> None:
    result = csv_text('"region","2024M01"\n"0127 Botkyrka",95000\n')
    assert [p.code for p in result.errors] == ["split"]


def test_a_region_given_by_name_only_cannot_be_matched_and_is_refused() -> None:
    result = csv_text('"region","2024"\n"Botkyrka",95905\n')
    assert problems(result) == [("no_region_code", 2, "region", "Botkyrka")]


def test_the_same_municipality_and_year_twice_is_refused_naming_the_second_line() -> None:
    result = csv_text('"region","2024"\n"0127 Botkyrka",95905\n"0127 Botkyrka",95906\n')
    assert problems(result) == [("duplicate", 3, "2024", "95906")]
    assert "line 2" in result.errors[0].detail


def test_a_row_with_too_few_columns_is_refused() -> None:
    result = csv_text('"region","2023","2024"\n"0127 Botkyrka",95592\n')
    assert problems(result) == [("columns", 2, "", '"0127 Botkyrka",95592')]


def test_an_empty_file_is_refused() -> None:
    assert [p.code for p in csv_text("\n\n").errors] == ["empty"]


def test_a_figure_larger_than_any_municipality_can_have_is_refused_naming_line_and_column() -> None:
    result = csv_text('"region","2024"\n"0127 Botkyrka",' + "9" * 30 + "\n")
    assert problems(result) == [("too_many", 2, "2024", "9" * 30)]
    assert result.figures == ()


def test_a_line_too_long_for_a_csv_cell_is_refused_naming_the_line() -> None:
    result = csv_text('"region","2024"\n"0127 Botkyrka",1' + "0" * 200_000 + "\n")
    assert [(p.code, p.line) for p in result.problems] == [("unreadable", 2)]


def test_a_header_line_too_long_for_a_csv_cell_is_refused_naming_the_line() -> None:
    result = csv_text('"region' + "x" * 200_000 + '","2024"\n"0127 Botkyrka",1\n')
    assert [(p.code, p.line) for p in result.problems] == [("unreadable", 1)]


def test_a_binary_file_is_refused_as_no_table_not_an_error_of_decoding() -> None:
    data = b"PK\x03\x04" + bytes(range(256)) * 4
    result = read_csv(io.BytesIO(data))
    assert not result.ok and result.figures == ()


def test_a_windows_1252_download_is_decoded() -> None:
    data = '"Folkmängd efter region och år"\n"region","2024"\n"0181 Södertälje",105000\n'.encode(
        "cp1252"
    )
    result = read_csv(io.BytesIO(data))
    assert figures(result) == [("0181", "Södertälje", 2024, 105000, 3)]


def test_a_utf8_download_with_byte_order_mark_is_decoded() -> None:
    data = '\ufeff"region","2024"\n"0138 Tyresö",50000\n'.encode()
    assert figures(read_csv(io.BytesIO(data))) == [("0138", "Tyresö", 2024, 50000, 2)]


def json_stat(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": "Folkmängd efter region och år",
        "source": "SCB",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [2, 1, 2],
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": {"0127": 0, "0136": 1},
                    "label": {"0127": "Botkyrka", "0136": "Haninge"},
                },
            },
            "ContentsCode": {
                "label": "tabellinnehåll",
                "category": {"index": {"BE0101N1": 0}, "label": {"BE0101N1": "Folkmängd"}},
            },
            "Tid": {
                "label": "år",
                "category": {
                    "index": {"2023": 0, "2024": 1},
                    "label": {"2023": "2023", "2024": "2024"},
                },
            },
        },
        "value": [95592, 95905, 99751, 100895],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "extension": {"px": {"tableid": "TAB638", "matrix": "BE0101N1"}},
    }
    document.update(overrides)
    return document


def read_json(document: dict[str, Any]) -> ScbFile:
    return read_json_stat2(io.BytesIO(json.dumps(document).encode()))


def test_json_stat2_values_are_read_in_row_major_order() -> None:
    result = read_json(json_stat())
    assert result.ok
    assert [(f.code, f.region, f.year, f.population) for f in result.figures] == [
        ("0127", "Botkyrka", 2023, 95592),
        ("0127", "Botkyrka", 2024, 95905),
        ("0136", "Haninge", 2023, 99751),
        ("0136", "Haninge", 2024, 100895),
    ]
    assert result.figures[3].field == "value[3] (Region=0136, Tid=2024)"


def test_json_stat2_with_another_table_is_refused() -> None:
    document = json_stat(extension={"px": {"tableid": "TAB1234"}})
    document["dimension"]["ContentsCode"]["category"] = {
        "index": {"BE0101N2": 0},
        "label": {"BE0101N2": "Folkökning"},
    }
    assert [p.code for p in read_json(document).errors] == ["wrong_table"]


def test_json_stat2_with_a_negative_value_names_the_cell() -> None:
    result = read_json(json_stat(value=[95592, -3, 99751, 100895]))
    assert problems(result) == [("negative", None, "value[1] (Region=0127, Tid=2024)", "-3")]


def test_json_stat2_with_a_figure_larger_than_any_municipality_can_have_names_the_cell() -> None:
    result = read_json(json_stat(value=[95592, 10**30, 99751, 100895]))
    assert problems(result) == [("too_many", None, "value[1] (Region=0127, Tid=2024)", str(10**30))]


def test_json_stat2_null_values_are_notes() -> None:
    result = read_json(json_stat(value=[95592, None, 99751, 100895]))
    assert result.ok and len(result.figures) == 3 and [p.code for p in result.notes] == ["no_value"]


def test_json_stat2_split_by_sex_is_refused() -> None:
    document = json_stat(
        id=["Region", "Kon", "ContentsCode", "Tid"], size=[2, 2, 1, 2], value=list(range(8))
    )
    document["dimension"]["Kon"] = {
        "label": "kön",
        "category": {"index": {"1": 0, "2": 1}, "label": {"1": "män", "2": "kvinnor"}},
    }
    assert problems(read_json(document)) == [("split", None, "dimension.Kon", "kön")]


def test_text_that_is_not_json_is_refused() -> None:
    result = read_json_stat2(io.BytesIO(b"region,2024\n"))
    assert [p.code for p in result.errors] == ["not_json"]


def test_the_format_is_chosen_by_the_file_name_or_the_first_character() -> None:
    body = json.dumps(json_stat()).encode()
    assert len(read_file(io.BytesIO(body), "TAB638.json").figures) == 4
    assert len(read_file(io.BytesIO(body), "download").figures) == 4
    assert len(read_file(io.BytesIO(b'"region","2024"\n"0127 Botkyrka",1\n'), "x.csv").figures) == 1
