"""The HTML report: one standalone, semantic file that meets WCAG 2.1 AA (checked with axe-core)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Outline(HTMLParser):
    """The tags, ids, headings and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "a" and str(attributes.get("href", "")).startswith("#"):
            self.links.append(str(attributes["href"])[1:])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)


def outline(html: bytes) -> Outline:
    parser = Outline()
    parser.feed(html.decode("utf-8"))
    return parser


def test_the_page_declares_its_language(rendered):
    assert rendered(2020, "html").decode().startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert '<html lang="en">' in rendered(2020, "html", lang="en").decode()


def test_the_page_has_one_of_each_landmark_and_one_main_heading(rendered):
    page = outline(rendered(2020, "html"))

    assert [page.count(tag) for tag in ("header", "nav", "main", "footer", "h1")] == [1, 1, 1, 1, 1]


@pytest.mark.parametrize("year", [2018, 2020])
def test_headings_never_skip_a_level_on_the_way_down(rendered, year):
    levels = outline(rendered(year, "html")).headings

    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_every_table_has_a_caption_and_every_header_cell_a_scope(rendered):
    page = outline(rendered(2020, "html"))

    assert page.count("table") == page.count("caption") > 10
    assert all(
        attrs.get("scope") in ("col", "row", "rowgroup") for tag, attrs in page.tags if tag == "th"
    )


def test_every_chart_has_a_title_a_description_and_its_data_as_a_table(rendered):
    html = rendered(2020, "html").decode()
    charts = re.findall(r'<figure class="chart".*?</figure>', html, flags=re.S)

    assert (
        len(charts) == 3
    )  # balances, operating costs, fees (Södertörn prints no population chart)
    for chart in charts:
        assert re.search(r'<svg [^>]*role="img" aria-labelledby="[^"]+-title [^"]+-desc"', chart)
        assert "<title " in chart and "<desc " in chart and "<figcaption>" in chart
        assert '<div class="visually-hidden"><table' in chart


def test_the_file_stands_alone(rendered):
    html = rendered(2020, "html").decode()

    assert "<script" not in html
    assert "<link" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<style>" in html


def test_every_link_inside_the_page_has_a_target(rendered):
    page = outline(rendered(2018, "html"))

    assert page.links
    assert set(page.links) <= page.ids


def test_a_year_file_text_cannot_inject_markup(demo, demo_year):
    from samverkan.members.models import YearText
    from samverkan.reports.api import render_report

    year = demo_year(2020)
    YearText.objects.filter(year=year, key="introduction").update(
        body='Hej <script>alert(1)</script> <img src=x onerror="alert(2)"> [länk](javascript:alert(3))'
    )

    html = render_report(year, "html")[0].decode()

    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


@pytest.mark.browser
@pytest.mark.parametrize(("year", "lang"), [(2018, "sv"), (2020, "sv"), (2020, "en")])
def test_axe_finds_no_wcag_2_1_aa_violations(rendered, year, lang):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run scripts/install-test-deps.sh")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: run scripts/install-test-deps.sh")
    from playwright.sync_api import sync_playwright

    html = rendered(year, "html", lang=lang).decode("utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html)
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                'axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})'
            )
        finally:
            browser.close()

    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
    ]
    assert result["passes"], "axe ran no checks"
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
