"""Fixtures of the report tests: the demo reports rendered once per test process.

Rendering a PDF takes seconds, so each (year, format, language) is rendered
the first time a test asks for it and kept; the demo data are loaded into
the test database only when something has to be rendered.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from samverkan.demo import DEMO_SLUG
from samverkan.members.models import Year
from samverkan.reports.api import render_report

Render = Callable[..., bytes]
_RENDERED: dict[tuple[int, str, str], bytes] = {}


@pytest.fixture
def rendered(request: pytest.FixtureRequest, db: None) -> Render:
    """rendered(2020, "pdf", lang="sv") -> the demo report's bytes.

    The test database is asked for up front: asked for only from inside the
    test (by `getfixturevalue`), it was at times not switched in, and the demo
    went to the development database.
    """

    def get(year: int, fmt: str, lang: str = "sv") -> bytes:
        key = (year, fmt, lang)
        if key not in _RENDERED:
            request.getfixturevalue("demo")
            content, _, _ = render_report(
                Year.objects.get(cooperation__slug=DEMO_SLUG, year=year), fmt, lang
            )
            _RENDERED[key] = content
        return _RENDERED[key]

    return get


@pytest.fixture
def demo_year(demo: None) -> Callable[[int], Year]:
    def get(year: int) -> Year:
        return Year.objects.select_related("cooperation").get(
            cooperation__slug=DEMO_SLUG, year=year
        )

    return get


@pytest.fixture
def editable_demo_year(demo_open: None) -> Callable[[int], Year]:
    """Like `demo_year`, with the demo's years back in draft so that a test may add to them."""

    def get(year: int) -> Year:
        return Year.objects.select_related("cooperation").get(
            cooperation__slug=DEMO_SLUG, year=year
        )

    return get
