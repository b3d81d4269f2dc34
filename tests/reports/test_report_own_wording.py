"""Each cooperation's report reads like its own: its settings word the chapters and labels and choose the blocks.

Nordvik (tests/data/nordvik) is an invented second cooperation whose report
settings differ from Södertörn's in chapter titles, labels, chapter order and
optional blocks. Its report says what its settings say in all four formats,
and none of Södertörn's wording leaks into it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument

from samverkan.members.models import Year
from samverkan.reports.api import render_report
from samverkan.yearfile.services import load_files

DATA = Path(__file__).resolve().parents[1] / "data" / "nordvik"

NORDVIK_WORDING = (
    "Förord",
    "Mål för samarbetet 2023",
    "Vad vi gjorde 2023",
    "Gemensamma satsningar",
    "Yttranden",
    "Ekonomi 2023",
    "Målbild",
    "Drivs av",
    "Insatser under året",
    "Gruppen MG",
    "ses varje månad",
    "Kvar vid årets slut",
)
SODERTORN_WORDING = (
    "Södertörn",
    "Ansvarigt nätverk",
    "handlingsplanen",
    "Nätverkets arbete",
    "Samverkansområden och inriktning",
    "De som besvarats gemensamt",
    "Balans 2024",
    "Uppföljning av regionala utvecklingsfrågor",
)


@pytest.fixture
def nordvik(db: None) -> Year:
    load_files([DATA / "cooperation.yaml", DATA / "2023.yaml"], actor="tests")
    return Year.objects.get(cooperation__slug="nordvik", year=2023)


def text_of(content: bytes, fmt: str) -> str:
    if fmt in ("md", "html"):
        return content.decode("utf-8")
    if fmt == "docx":
        doc = WordDocument(io.BytesIO(content))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join(parts)
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read the PDF"
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_a_second_cooperation_reads_its_own_wording_in_every_format(nordvik, fmt):
    content, _, _ = render_report(nordvik, fmt)
    text = " ".join(text_of(content, fmt).split())

    missing = [w for w in NORDVIK_WORDING if w not in text]

    assert missing == []


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_no_sodertorn_wording_appears_in_another_cooperations_report(nordvik, fmt):
    content, _, _ = render_report(nordvik, fmt)
    text = text_of(content, fmt)

    found = [w for w in SODERTORN_WORDING if w in text]

    assert found == []


def test_its_chapters_follow_its_own_order(nordvik):
    content, _, _ = render_report(nordvik, "md")
    text = content.decode("utf-8")

    assert text.index("## 4. Gemensamma satsningar") < text.index("## 5. Yttranden")


def test_the_blocks_it_turns_off_are_not_printed(nordvik):
    text = render_report(nordvik, "md")[0].decode("utf-8")

    assert "**Status:**" not in text  # activity status
    assert "Invånare i medlemskommunerna" not in text  # population table
    assert "Utgående balans per fond och år" not in text  # charts
    assert "Regional transportplan – Region Västerbotten (april)" in text  # list, not table


def test_a_new_cooperation_without_settings_gets_the_swedish_defaults(nordvik):
    nordvik.cooperation.report_settings = {}
    nordvik.cooperation.save()
    text = render_report(nordvik, "md")[0].decode("utf-8")

    assert "## 1. Inledning" in text
    assert "**Ansvariga:**" in text
    assert "Uppföljning av aktiviteter i verksamhetsplanen" in text
    assert "**Status:** Genomförd" in text


def test_the_word_file_is_still_a_zip_of_office_parts(nordvik):
    content, _, _ = render_report(nordvik, "docx")

    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()
