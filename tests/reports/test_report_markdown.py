"""The Markdown report: chapters in the order of the published report, GFM tables, links that resolve."""

from __future__ import annotations

import re

NBSP = "\u00a0"


def headings(text: str, depth: int) -> list[str]:
    return [line[depth + 1 :] for line in text.splitlines() if line.startswith("#" * depth + " ")]


def test_the_2020_report_has_the_chapters_and_sections_of_the_published_one(rendered):
    text = rendered(2020, "md").decode()

    assert headings(text, 1) == [
        "Södertörnskommunernas Samarbetskommitté: Årsredovisning och bokslut 2020"
    ]
    assert headings(text, 2) == [
        "Innehållsförteckning",
        "1. Inledning",
        "2. Övergripande mål och fokusområden 2020",
        "3. Uppföljning av fokusområdena",
        "4. Gemensamma remissvar",
        "5. Projekt",
        "6. Möten, konferenser och administration",
        "7. Bokslut 2020",
    ]
    assert [h for h in headings(text, 3) if re.match(r"\d", h)] == [
        "3.1 Infrastruktur",
        "3.2 Utbildning",
        "3.3 Näringsliv",
        "3.4 Funktionell samordning",
        "5.1 Extra analyser av näringslivet på Södertörn som följd av Corona",
        "5.2 Kartor över infrastruktur på Södertörn",
    ]


def test_the_2018_report_splits_the_follow_up_by_area_group_as_the_published_one(rendered):
    text = rendered(2018, "md").decode()

    assert headings(text, 2)[2:5] == [
        "2. Samverkansområden och inriktning 2018",
        "3. Uppföljning av regionala utvecklingsfrågor",
        "4. Verksamhetsfrågor",
    ]
    assert [h for h in headings(text, 3) if h.startswith("6.")] == ["6.1 Södertörnsmodellen"]
    assert headings(text, 2)[-1] == "8. Bokslut 2018"
    assert "4.7 Omvärldsbevakning och påverkansarbete" in headings(text, 3)


def test_the_summary_table_is_a_gfm_table_of_the_adopted_figures(rendered):
    text = rendered(2020, "md").decode()
    start = text.index("**Sammanställning 2020**")
    table = text[start:].split("\n\n")[1].replace(NBSP, " ")

    assert table.splitlines() == [
        "| Fond | Ingående balans 2020 | Intäkter | Kostnader | Utgående balans 2020 |",
        "|---|---:|---:|---:|---:|",
        "| Södertörnsamarbetet drift |  | 2 012 800 | 1 824 368 | 188 432 |",
        "| Södertörnsmodellen | 521 307 |  | 1 450 | 519 857 |",
        "| Kommunikationsprojekt 1) |  | 50 500 |  | 50 500 |",
        "| Södertörnskonferensen |  |  |  | 0 |",
        "| Bidrag från Tillväxtverket 2) | 277 793 |  |  | 277 793 |",
        "| Södertörnsamarbetet drift från 2019 | 233 696 |  |  | 233 696 |",
        "| Södertörnsamarbetet drift från 2018 | 110 853 |  |  | 110 853 |",
        "| **Summa** | **1 143 649** | **2 063 300** | **1 825 818** | **1 381 130** |",
    ]


def test_the_table_of_contents_links_to_the_ids_github_gives_the_headings(rendered):
    text = rendered(2020, "md").decode()

    assert "- [1. Inledning](#1-inledning)" in text
    assert "  - [3.1 Infrastruktur](#31-infrastruktur)" in text
    assert "- [7. Bokslut 2020](#7-bokslut-2020)" in text


def test_nested_follow_up_points_keep_their_nesting(rendered):
    text = rendered(2020, "md").decode()

    assert (
        "\n  - Region Stockholm (Irene Svenonius och Gustav Hemming) på mötet den 9 september,\n"
        in text
    )


def test_footnotes_are_listed_under_notes(rendered):
    text = rendered(2018, "md").decode()
    notes = text[text.index("### Noter") :]

    assert '- 1) Projektet "Teknisk försörjning"' in notes
    assert "- 4) Pengarna finns i Nynäshamns kommun" in notes


def test_the_members_co_financing_of_an_event_is_one_row_per_member_in_its_funds_table(rendered):
    text = rendered(2018, "md").decode().replace(NBSP, " ")
    accounts = text[text.index("## 8. Bokslut 2018") :]
    table = accounts[accounts.index("**Södertörns Rådslag**\n\n| Post") :].split("\n\n")[1]

    assert "| Botkyrka Kommun | 16 718 |  |  |" in table.splitlines()
    assert table.splitlines()[-1] == "| **Summa** | **106 791** | **106 791** | **0** |"
    assert accounts.count("16 718") == 1  # printed once, not again in a table of its own


def test_a_year_file_text_cannot_inject_markup_into_the_markdown_edition(demo, demo_year):
    import cmarkgfm
    from cmarkgfm.cmark import Options

    from samverkan.members.models import YearText
    from samverkan.plan.models import Activity
    from samverkan.reports.api import render_report

    year = demo_year(2020)
    YearText.objects.filter(year=year, key="introduction").update(
        body='Hej <script>alert(1)</script> <img src=x onerror="alert(2)"> [länk](javascript:alert(3)) '
        '<strong onclick="alert(4)">fet</strong> `<script>` i kod'
    )
    activity = Activity.objects.filter(focus_area__year=year).first()
    Activity.objects.filter(pk=activity.pk).update(title='Titel <img src=x onerror="alert(5)">')

    text = render_report(year, "md")[0].decode()
    # What a reader of Markdown that passes raw HTML makes of it.
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)

    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert not re.search(r"<[^>]*\bon(error|click)", html)  # no tag carries an event handler
    assert "<strong>fet</strong>" in html  # formatting the HTML edition keeps stays
    assert "<code>&lt;script&gt;</code>" in html  # code is shown as written
    assert "Titel &lt;img" in html  # a title is text, never a tag
