"""The Word report: headings with Word's heading styles, real tables, a TOC field, nested bullets; LibreOffice opens it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest


def word(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def headings(document: docx.document.Document, level: int) -> list[str]:
    return [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name == f"Heading {level}"
    ]


def test_chapters_are_heading_1_in_the_order_of_the_published_report(rendered):
    document = word(rendered(2020, "docx"))

    assert headings(document, 1) == [
        "1. Inledning",
        "2. Övergripande mål och fokusområden 2020",
        "3. Uppföljning av fokusområdena",
        "4. Gemensamma remissvar",
        "5. Projekt",
        "6. Möten, konferenser och administration",
        "7. Bokslut 2020",
    ]


def test_focus_areas_are_heading_2_and_activities_lie_below_them(rendered):
    document = word(rendered(2018, "docx"))

    assert headings(document, 2)[:4] == [
        "3.1 Infrastruktur",
        "3.2 Klimat",
        "3.3 Näringsliv och Högskola",
        "3.4 Olikhet och mångfald",
    ]
    assert "Uppföljning av aktiviteter i handlingsplanen" in headings(document, 3)
    assert "Förstudie Teknisk försörjning" in headings(document, 4)


def test_the_summary_is_a_real_table_with_a_repeating_header_row(rendered):
    document = word(rendered(2020, "docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Fond")

    assert [c.text for c in table.rows[0].cells] == [
        "Fond",
        "Ingående balans 2020",
        "Intäkter",
        "Kostnader",
        "Utgående balans 2020",
    ]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    assert [c.text for c in table.rows[-1].cells] == [
        "Summa",
        "1\u00a0143\u00a0649",
        "2\u00a0063\u00a0300",
        "1\u00a0825\u00a0818",
        "1\u00a0381\u00a0130",
    ]


def test_the_document_has_a_toc_field(rendered):
    body = word(rendered(2020, "docx")).element.body.xml

    assert 'TOC \\o "1-2"' in body


def test_nested_points_become_nested_bullet_styles(rendered):
    styles = {
        p.text: p.style.name for p in word(rendered(2020, "docx")).paragraphs if p.style is not None
    }

    assert (
        styles["Region Stockholm (Irene Svenonius och Gustav Hemming) på mötet den 9 september,"]
        == "List Bullet 2"
    )
    parent = next(text for text in styles if text.startswith("De övergripande medskicken"))
    assert styles[parent] == "List Bullet"


def test_the_document_language_and_title_are_set(rendered):
    document = word(rendered(2020, "docx", lang="en"))

    assert document.core_properties.language == "en-GB"
    assert document.core_properties.title.endswith("Annual report and accounts 2020")
    assert headings(document, 1)[0] == "1. Introduction"


@pytest.mark.parametrize("year", [2018, 2020])
def test_libreoffice_opens_the_document_and_converts_it_to_pdf(rendered, tmp_path: Path, year):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: run scripts/install-test-deps.sh")
    source = tmp_path / "report.docx"
    source.write_bytes(rendered(year, "docx"))

    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )

    converted = tmp_path / "out" / "report.pdf"
    assert result.returncode == 0, result.stderr
    assert converted.exists() and converted.read_bytes().startswith(b"%PDF")
