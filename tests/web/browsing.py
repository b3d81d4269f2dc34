"""What the browser journeys share (tests/web/test_yearly_cycle.py, test_registers_and_money.py).

The fixtures `browser` and `login` are in tests/web/conftest.py; Chromium,
axe-core and the test password come from tests/web/test_browser.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.web.test_browser import axe_violations

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
# The docs' screenshots are made on request (`SAMVERKAN_SCREENSHOTS=1`), so that a test run
# leaves the checkout as it found it (a timestamp on a page changes the image every run).
MAKE_SCREENSHOTS = os.environ.get("SAMVERKAN_SCREENSHOTS") == "1"


def accessible(page: Any, shot: str = "") -> None:
    """No axe violation at desktop and phone width; `shot` saves a screenshot for docs/web.md."""
    assert axe_violations(page) == [], page.url
    if shot and MAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(page) == [], f"{page.url} at phone width"
    page.set_viewport_size(size)
