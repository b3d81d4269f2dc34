"""The PDF report: PDF/A-3 with the year file attached, tagged, paginated, and renderable page by page."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from samverkan.yearfile.export import export_year

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def open_pdf(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_pdf_declares_pdf_a_3u_in_its_xmp_metadata(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf, pdf.open_metadata() as xmp:
        assert (xmp.get(f"{PDFAID}part"), xmp.get(f"{PDFAID}conformance")) == ("3", "U")
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_year_file_is_attached_byte_for_byte(rendered, demo_year, year):
    content = rendered(year, "pdf")
    expected = export_year(demo_year(year)).encode("utf-8")

    with open_pdf(content) as pdf:
        attachment = pdf.attachments[f"sodertorn-{year}.yaml"]
        assert attachment.get_file().read_bytes() == expected
        assert str(attachment.obj.get("/AFRelationship")) == "/Source"


def test_the_pdf_is_tagged_and_says_its_language(rendered):
    with open_pdf(rendered(2020, "pdf")) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert len(pdf.Root.StructTreeRoot.K) > 0
        assert str(pdf.Root.Lang) == "sv"


def test_the_english_pdf_says_it_is_english(rendered):
    with open_pdf(rendered(2020, "pdf", lang="en")) as pdf:
        assert str(pdf.Root.Lang) == "en"


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_pdf_has_more_than_five_pages_and_a_document_title(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf, pdf.open_metadata() as xmp:
        assert len(pdf.pages) > 5
        assert xmp.get("{http://purl.org/dc/elements/1.1/}title").endswith(
            f"Årsredovisning och bokslut {year}"
        )


def test_the_table_of_contents_shows_page_numbers(rendered, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(rendered(2020, "pdf"))

    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(source), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "Innehållsförteckning" in text
    entry = next(line for line in text.splitlines() if "7. Bokslut 2020" in line)
    assert entry.rstrip().split()[-1].isdigit(), entry


@pytest.mark.parametrize("year", [2018, 2020])
def test_pdftoppm_renders_every_page(rendered, tmp_path: Path, year):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(rendered(year, "pdf"))
    with open_pdf(source.read_bytes()) as pdf:
        pages = len(pdf.pages)

    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(source), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(list(tmp_path.glob("page-*.png"))) == pages
