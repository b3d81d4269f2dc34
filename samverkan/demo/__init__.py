"""The Södertörn demo: the two published reports transcribed into year files."""

from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "sodertorn"
DEMO_SLUG = "sodertorn"


def demo_files() -> list[Path]:
    """The standing file first, then the years in order."""
    years = sorted(p for p in DEMO_DIR.glob("[0-9][0-9][0-9][0-9].yaml"))
    return [DEMO_DIR / "cooperation.yaml", *years]
