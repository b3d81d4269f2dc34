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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fields(document: docx.document.Document) -> list[tuple[str, str, bool]]:
    """The complex fields of the body: (instruction, result text, marked dirty), in order."""
    found: list[tuple[str, str, bool]] = []
    instruction, result, part, dirty = "", [], "", False
    for element in document.element.body.iter(f"{W}fldChar", f"{W}instrText", f"{W}t", f"{W}p"):
        if element.tag == f"{W}fldChar":
            kind = element.get(f"{W}fldCharType")
            if kind == "begin":
                instruction, result, part = "", [], "instruction"
                dirty = element.get(f"{W}dirty") == "true"
            elif kind == "separate":
                part = "result"
            elif kind == "end":
                found.append((instruction.strip(), "\n".join(result).strip(), dirty))
                part = ""
        elif element.tag == f"{W}instrText" and part == "instruction":
            instruction += element.text or ""
        elif element.tag == f"{W}p" and part == "result":
            result.append("")
        elif element.tag == f"{W}t" and part == "result":
            if not result:
                result.append("")
            result[-1] += element.text or ""
    return found


def test_the_contents_are_one_toc_field_that_word_updates_on_opening(rendered):
    document = word(rendered(2020, "docx"))

    tocs = [f for f in fields(document) if f[0].startswith("TOC")]

    assert len(tocs) == 1
    instruction, result, dirty = tocs[0]
    assert instruction == 'TOC \\o "1-3" \\h \\z \\u'
    assert dirty
    update = document.settings.element.find(f"{W}updateFields")
    assert update is not None and update.get(f"{W}val") == "true"
    # Until Word updates it, the field's own result lists the chapters (nothing outside the field).
    assert "1. Inledning" in result and "7. Bokslut 2020" in result
    paragraphs = [p.text for p in document.paragraphs]
    contents = paragraphs.index("Innehållsförteckning")
    assert paragraphs.count("1. Inledning") == 2  # the field's entry and the heading
    assert paragraphs[contents + 1] == "1. Inledning"


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
