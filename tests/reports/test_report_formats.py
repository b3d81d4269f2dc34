"""The report renders in every format, through the public API and the `report` command."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverkan.reports.api import FORMATS, UnknownFormat, render_report, write_reports
from samverkan.reports.renderers import get_renderer
from samverkan.reports.renderers.base import Renderer

SIGNATURES = {
    "html": b"<!DOCTYPE html>",
    "pdf": b"%PDF-",
    "docx": b"PK",
    "md": "# Södertörnskommunernas Samarbetskommitté".encode(),
}


@pytest.mark.parametrize("year", [2018, 2020])
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_demo_reports_render_in_every_format(rendered, year, fmt):
    content = rendered(year, fmt)

    assert content.startswith(SIGNATURES[fmt])
    assert len(content) > 10_000


def test_the_word_file_is_a_complete_office_document(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered(2020, "docx"))) as archive:
        assert {"word/document.xml", "word/styles.xml", "[Content_Types].xml"} <= set(
            archive.namelist()
        )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_renderer_implements_the_interface(fmt):
    renderer = get_renderer(fmt)

    assert isinstance(renderer, Renderer)
    assert renderer.identifier == fmt
    assert "/" in renderer.media_type


def test_an_unknown_format_is_refused_with_the_known_ones_named():
    with pytest.raises(UnknownFormat, match="html, pdf, docx, md"):
        get_renderer("rtf")


def test_render_report_returns_content_type_and_file_name(demo_year):
    content, content_type, name = render_report(demo_year(2020), "md")

    assert content_type == "text/markdown; charset=utf-8"
    assert name == "sodertorn-arsredovisning-2020.md"
    assert content.decode().startswith("# ")


def test_the_english_edition_has_its_own_file_name(demo_year):
    _, _, name = render_report(demo_year(2020), "html", lang="en")

    assert name == "sodertorn-arsredovisning-2020-en.html"


def test_render_report_refuses_an_unknown_language(demo_year):
    with pytest.raises(ValueError, match="sv, en"):
        render_report(demo_year(2020), "md", lang="de")


def test_write_reports_writes_one_file_per_format(demo_year, tmp_path):
    paths = write_reports(demo_year(2018), tmp_path / "out", formats=("md", "html"))

    assert [p.name for p in paths] == [
        "sodertorn-arsredovisning-2018.md",
        "sodertorn-arsredovisning-2018.html",
    ]
    assert all(p.stat().st_size > 0 for p in paths)


def test_the_report_command_writes_the_file_into_a_directory(demo, tmp_path):
    call_command(
        "report",
        cooperation="sodertorn",
        year=2020,
        fmt="md",
        out=str(tmp_path),
        stdout=io.StringIO(),
    )

    assert (
        (tmp_path / "sodertorn-arsredovisning-2020.md").read_text(encoding="utf-8").startswith("# ")
    )


def test_the_report_command_writes_to_a_named_file(demo, tmp_path):
    target = tmp_path / "rapport.html"

    call_command(
        "report",
        cooperation="sodertorn",
        year=2018,
        fmt="html",
        out=str(target),
        stdout=io.StringIO(),
    )

    assert target.read_bytes().startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"cooperation": "okand", "year": 2020, "fmt": "md"},
            "unknown cooperation 'okand' \\(known: sodertorn\\)",
        ),
        (
            {"cooperation": "sodertorn", "year": 2017, "fmt": "md"},
            "sodertorn has no year 2017 \\(years: 2018, 2019, 2020\\)",
        ),
        (
            {"cooperation": "sodertorn", "year": 2020, "fmt": "rtf"},
            "unknown format 'rtf'; choose one of html, pdf, docx, md",
        ),
        (
            {"cooperation": "sodertorn", "year": 2020, "fmt": "md", "lang": "fi"},
            "unknown language 'fi'",
        ),
    ],
)
def test_the_report_command_explains_what_it_cannot_find(demo, options, message, tmp_path: Path):
    with pytest.raises(CommandError, match=message):
        call_command("report", out=str(tmp_path), stdout=io.StringIO(), **options)
