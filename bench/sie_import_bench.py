"""Import a generated SIE file into a fresh SQLite database and measure it.

Run by :mod:`sie_bench` as a child process, with ``DATABASE_URL`` (a SQLite file in a
temporary folder) already in its environment, so that Django starts on that database:

    DATABASE_URL=sqlite:////tmp/x/bench.sqlite3 python bench/sie_import_bench.py FILE \\
        [--object 1:100] [--profile OUT.prof]

Migrates, creates a minimal cooperation (year, operating fund, cost categories and one
AccountMapping row per result account of :func:`sie_bench.generate_sie`) with the ORM, then
times :func:`samverkan.finance.sie_import.import_sie`. Prints one JSON object: wall and CPU
seconds of the import, peak RSS of this process before and after it, and what was stored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Every result account the generator writes (classes 1–2 are never imported), and its category.
CATEGORIES: dict[str, tuple[str, str]] = {
    "3010": ("intakter", "income"),
    "3041": ("intakter", "income"),
    "4010": ("material", "cost"),
    "5010": ("lokaler", "cost"),
    "6110": ("kontor", "cost"),
    "7010": ("personal", "cost"),
}


def peak_rss_mb() -> float:
    """Peak resident set of this process (VmHWM, which starts afresh at exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--object", action="append", default=[], metavar="DIM:ID")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the import here")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("sqlite:"):
        sys.exit("set DATABASE_URL=sqlite:////tmp/.../bench.sqlite3 (a fresh database)")

    started = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from samverkan.finance.models import (
        AccountMapping,
        CostCategory,
        Fund,
        FundKind,
        LedgerLine,
    )
    from samverkan.finance.sie_import import import_sie
    from samverkan.members.models import Cooperation, Year

    cooperation = Cooperation.objects.create(slug="bench", name="Benchmark kommunalförbund")
    fund = Fund.objects.create(
        cooperation=cooperation, slug="drift-2024", name="Drift", kind=FundKind.OPERATIONS
    )
    year = Year.objects.create(cooperation=cooperation, year=2024, operating_fund=fund)
    categories = {}
    for order, (slug, kind) in enumerate(dict(CATEGORIES.values()).items()):
        categories[slug] = CostCategory.objects.create(
            cooperation=cooperation, slug=slug, name=slug.title(), kind=kind, order=order
        )
    for account, (slug, _) in CATEGORIES.items():
        AccountMapping.objects.create(
            cooperation=cooperation, account=account, category=categories[slug]
        )
    setup_seconds = time.perf_counter() - started
    before_mb = peak_rss_mb()

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    cpu = time.process_time()
    plan, changed = import_sie(args.file, year, objects=args.object or None, actor="bench")
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    stored = LedgerLine.objects.filter(year=year).count()
    if not changed or stored != plan.line_count:
        sys.exit(f"import stored {stored} lines, the plan said {plan.line_count}")
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "peak_mb": peak_rss_mb(),
                "before_mb": before_mb,
                "setup_seconds": setup_seconds,
                "lines": stored,
                "vouchers": plan.vouchers,
                "skipped_vouchers": plan.skipped_vouchers,
                "db_mb": Path(os.environ["DATABASE_URL"][len("sqlite://") :]).stat().st_size / 1e6,
            }
        )
    )


if __name__ == "__main__":
    main()
