"""The hand-written SVG bar charts: labelled, described, one bar per value."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from samverkan.reports.charts import Bar, BarChart, BarGroup, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def chart(*groups: BarGroup) -> BarChart:
    return BarChart(
        id="diagram-test",
        title="Avgift per kommun",
        description="Fyra kronor per invånare.",
        label_heading="Kommun",
        value_heading="Avgift",
        groups=groups,
    )


def bars(*pairs: tuple[str, int]) -> tuple[Bar, ...]:
    return tuple(
        Bar(label=label, value=Decimal(value), display=f"{value} kr") for label, value in pairs
    )


def test_the_chart_has_a_title_and_a_description_that_name_it():
    svg = ET.fromstring(render_svg(chart(BarGroup(label="", bars=bars(("Salem", 67000))))))

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "diagram-test-title diagram-test-desc"
    assert svg.find(f"{SVG}title").text == "Avgift per kommun"
    assert svg.find(f"{SVG}desc").text == "Fyra kronor per invånare."


def test_there_is_one_bar_per_value_and_every_value_is_written_next_to_it():
    data = bars(("Botkyrka", 378424), ("Haninge", 368380), ("Salem", 67000))
    svg = ET.fromstring(render_svg(chart(BarGroup(label="", bars=data))))

    rects = svg.findall(f"{SVG}rect")
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert len(rects) == 3
    assert {"378424 kr", "368380 kr", "67000 kr", "Botkyrka", "Haninge", "Salem"} <= set(texts)


def test_bar_lengths_are_proportional_to_the_values():
    svg = ET.fromstring(
        render_svg(chart(BarGroup(label="", bars=bars(("A", 100), ("B", 50), ("C", 25)))))
    )

    widths = [float(r.get("width")) for r in svg.findall(f"{SVG}rect")]
    assert abs(widths[0] / widths[1] - 2) < 0.01
    assert abs(widths[1] / widths[2] - 2) < 0.02


def test_groups_get_a_heading_and_the_chart_grows_with_its_rows():
    small = chart(BarGroup(label="2018", bars=bars(("A", 1))))
    large = chart(
        BarGroup(label="2018", bars=bars(("A", 1))),
        BarGroup(label="2019", bars=bars(("A", 2), ("B", 3))),
    )

    svg = ET.fromstring(render_svg(large))
    assert [t.text for t in svg.findall(f"{SVG}text")].count("2019") == 1
    assert len(svg.findall(f"{SVG}rect")) == 3
    assert large.height > small.height


def test_a_negative_value_is_drawn_left_of_the_axis_in_another_colour():
    svg = ET.fromstring(
        render_svg(chart(BarGroup(label="", bars=bars(("Vinst", 100), ("Förlust", -100)))))
    )

    positive, negative = svg.findall(f"{SVG}rect")
    axis = float(svg.find(f"{SVG}line").get("x1"))
    assert (
        float(negative.get("x")) + float(negative.get("width"))
        <= axis + 0.1
        <= float(positive.get("x")) + 0.2
    )
    assert negative.get("fill") != positive.get("fill")


def test_text_in_the_chart_is_escaped():
    svg = render_svg(chart(BarGroup(label="", bars=bars(("<Kommun & Co>", 1)))))

    assert "&lt;Kommun &amp; Co&gt;" in svg
    assert ET.fromstring(svg) is not None


def test_long_labels_are_shortened_but_the_data_keep_them():
    label = "Extra analyser av näringslivet på Södertörn som följd av Corona"
    data = chart(BarGroup(label="", bars=bars((label, 1))))

    texts = [t.text or "" for t in ET.fromstring(render_svg(data)).findall(f"{SVG}text")]
    assert any(re.fullmatch(r"Extra analyser.*…", t) for t in texts)
    assert data.bars[0].label == label
