"""Horizontal bar charts as hand-written SVG, with text alternatives.

A chart is data first (BarChart); `render_svg` draws it. The SVG carries a
<title> and a <desc>, and is role="img"; the renderers add the same data as
a table (visually hidden in HTML, a plain table in Word and Markdown), so no
reader depends on the picture. Bars are dark blue on white (contrast above
3:1 for graphics, WCAG 1.4.11) and every bar is labelled with its value, so
nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH = 680
LABEL_WIDTH = 250
VALUE_WIDTH = 110
ROW_HEIGHT = 22
GROUP_HEIGHT = 24
BAR_HEIGHT = 14
PADDING = 8
FONT_SIZE = 12
MAX_LABEL_CHARS = 38
BAR_COLOUR = "#1f4e79"  # 8.6:1 on white
NEGATIVE_COLOUR = "#8b1a1a"  # 8.3:1 on white
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#595959"


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    label: str
    value: Decimal
    display: str  # the value as printed next to the bar ("1 444 300 kr")


@dataclass(frozen=True, slots=True, kw_only=True)
class BarGroup:
    label: str  # "" for an ungrouped chart
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BarChart:
    id: str  # unique in the document; used for the SVG's element ids
    title: str
    description: str
    label_heading: str  # the data table's first column
    value_heading: str  # the data table's value column
    groups: tuple[BarGroup, ...]

    @property
    def bars(self) -> tuple[Bar, ...]:
        return tuple(bar for group in self.groups for bar in group.bars)

    @property
    def height(self) -> int:
        grouped = sum(GROUP_HEIGHT for g in self.groups if g.label)
        return 2 * PADDING + grouped + ROW_HEIGHT * len(self.bars)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def render_svg(chart: BarChart) -> str:
    """The chart as an inline <svg> element (no XML declaration), sized to its rows."""
    values = [bar.value for bar in chart.bars]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    x_zero = LABEL_WIDTH + PADDING + float((0 - low) / span) * plot

    def x(value: Decimal) -> float:
        return LABEL_WIDTH + PADDING + float((value - low) / span) * plot

    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {chart.height}" '
        f'width="{WIDTH}" height="{chart.height}" font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    y = PADDING
    for group in chart.groups:
        if group.label:
            parts.append(
                f'<text x="{PADDING}" y="{y + GROUP_HEIGHT - 7}" font-weight="bold" '
                f'fill="{TEXT_COLOUR}">{escape(group.label)}</text>'
            )
            y += GROUP_HEIGHT
        for bar in group.bars:
            middle = y + ROW_HEIGHT / 2
            left, right = sorted((x_zero, x(bar.value)))
            colour = NEGATIVE_COLOUR if bar.value < 0 else BAR_COLOUR
            parts.append(
                f'<text x="{LABEL_WIDTH}" y="{_number(middle + 4)}" text-anchor="end" '
                f'fill="{TEXT_COLOUR}">{escape(_shorten(bar.label))}</text>'
            )
            parts.append(
                f'<rect class="bar" x="{_number(left)}" y="{_number(middle - BAR_HEIGHT / 2)}" '
                f'width="{_number(max(right - left, 1.0))}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{_number(max(right, x_zero) + 6)}" y="{_number(middle + 4)}" '
                f'fill="{TEXT_COLOUR}">{escape(bar.display)}</text>'
            )
            y += ROW_HEIGHT
    parts.append(
        f'<line x1="{_number(x_zero)}" y1="{PADDING}" x2="{_number(x_zero)}" y2="{chart.height - PADDING}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
