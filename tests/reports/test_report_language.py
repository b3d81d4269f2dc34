"""The English edition: every fixed string translated through gettext; the data stay as entered."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = (
    Path(__file__).resolve().parents[2] / "samverkan" / "reports" / "locale" / "en" / "LC_MESSAGES"
)
SWEDISH_LABELS = [
    "Innehållsförteckning",
    "Inledning",
    "Huvudmål:",
    "Delmål:",
    "Sammanställning",
    "Ingående balans",
    "Utgående balans",
    "Deltar inte",
    "Kostnad per deltagare",
    "Avgift per medlemskommun",
    "Uppföljning av aktiviteter",
    "Beslutad",
    "Handläggare",
]


def test_lang_en_gives_english_headings(rendered):
    text = rendered(2020, "md", lang="en").decode()
    chapters = [line[3:] for line in text.splitlines() if line.startswith("## ")]

    assert chapters == [
        "Contents",
        "1. Introduction",
        "2. Overall goal and focus areas 2020",
        "3. Follow-up of the focus areas",
        "4. Joint consultation responses",
        "5. Projects",
        "6. Meetings, conferences and administration",
        "7. Accounts 2020",
    ]


def test_the_english_edition_has_no_swedish_fixed_strings(rendered):
    text = rendered(2020, "md", lang="en").decode()

    assert [label for label in SWEDISH_LABELS if label in text] == []


def test_the_english_edition_writes_numbers_and_dates_the_english_way(rendered):
    text = rendered(2020, "md", lang="en").decode()

    assert "| **Total** | **1,143,649** | **2,063,300** | **1,825,818** | **1,381,130** |" in text
    assert "*Decided on 14 January 2021*" in text


def test_the_html_of_the_english_edition_is_english_throughout(rendered):
    html = rendered(2018, "html", lang="en").decode()

    assert '<h2 id="toc-title">Contents</h2>' in html
    assert "Skip to the content" in html
    assert 'counter(page) " of " counter(pages)' in html


def test_every_message_of_the_catalogue_is_translated():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]

    untranslated = [
        entry
        for entry in entries
        for translation in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, flags=re.M)
        if not "".join(re.findall(r'"(.*)"', translation))
    ]

    assert len(entries) > 150
    assert "#, fuzzy" not in po
    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    compiled = tmp_path / "django.mo"

    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )

    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes()
