"""The layers of docs/architecture.md hold: import-linter checks the contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_no_import_points_from_a_domain_app_up_to_the_roles_the_reports_or_the_web_app() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _modules_read_by(*names: str) -> set[str]:
    """The project's modules that `names` import, directly or through others (and `names`)."""
    import grimp

    graph = grimp.build_graph("samverkan", cache_dir=None)
    found = set(names)
    for name in names:
        found |= graph.find_upstream_modules(name)
    return found


def _imports_of(module: str) -> set[str]:
    import ast
    import importlib.util

    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_checks_and_the_year_figures_reach_no_model_and_no_database() -> None:
    read = _modules_read_by("samverkan.reports.checks", "samverkan.reports.figures")
    assert not [m for m in read if m.endswith(".models")]
    assert "samverkan.reports.figures_from_db" not in read
    touching = {
        module: sorted(n for n in _imports_of(module) if n.startswith("django.db"))
        for module in read
    }
    assert {m: names for m, names in touching.items() if names} == {}
