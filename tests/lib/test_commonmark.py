"""Markdown texts as the year file and the follow-up form take them (lib.commonmark + reports.richtext)."""

from samverkan.lib import commonmark
from samverkan.reports.richtext import to_blocks, to_html


def test_a_point_indented_two_spaces_nests_under_the_point_above():
    html = to_html("- Kansliet\n  - Hemsidan\n  - Nyhetsbrev\n- Nätverken")
    assert html.count("<ul>") == 2
    assert html.index("Hemsidan") > html.index("Kansliet") and html.index("</ul>") < html.index(
        "Nätverken"
    )


def test_a_numbered_list_right_after_a_paragraph_line_is_a_list():
    # CommonMark lets only a list starting at 1 interrupt a paragraph; richtext.normalise adds the blank line.
    html = to_html("Beslut:\n2. Anta planen\n3. Följa upp")
    assert "<ol>" in html and "<li>Anta planen</li>" in html


def test_raw_html_is_left_to_the_caller_to_clean():
    assert "<script>" in commonmark.to_html("<script>x</script>")
    assert "<script" not in to_html("<script>x</script>\n\ntext")


def test_word_blocks_keep_nesting_and_emphasis():
    blocks = to_blocks("- **Klart** i tid\n  - underpunkt")
    assert [(b.text, b.list_level) for b in blocks] == [("Klart i tid", 1), ("underpunkt", 2)]
    assert blocks[0].runs[0].bold and not blocks[0].runs[1].bold


def test_two_spaces_nest_under_a_numbered_point_too():
    html = commonmark.to_html("1. Första\n  - under\n2. Andra")
    assert html.count("<ol>") == 1 and "<li>Andra</li>" in html
    assert html.index("under") < html.index("</li>\n<li>Andra")


def test_nesting_follows_the_width_of_a_long_number():
    assert commonmark.normalise("10. tio\n  - under\n    - djupare\n11. elva") == (
        "10. tio\n    - under\n      - djupare\n11. elva"
    )


def test_a_line_under_a_point_continues_it_and_text_outside_lists_is_left_alone():
    assert commonmark.normalise("- a\n  fortsättning\n- b") == "- a\n  fortsättning\n- b"
    assert commonmark.normalise("Text\n\n    kod") == "Text\n\n    kod"
