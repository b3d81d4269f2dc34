"""Benchmark of the year file: load, unchanged reload and export of a very large year, and the 10x year.

    .venv/bin/python bench/yearfile_bench.py [--activities N] [--keep DIR]

Data, each in a throwaway SQLite database in a temporary folder:

- the synthetic cooperation ten times the demo (bench/report_bench.py: 80 members,
  300 activities, 20 000 lines), exported as its standing file and its 2020 year file;
- a very large year of the same cooperation: the 10x year with its activities
  repeated, each with its follow-up, until there are `--activities` of them
  (120 000 make a year file of about 50 MB, the size a probe of issue 10 used).

Every measurement runs in a child process of its own and reports wall time and the
process's peak resident memory (getrusage ru_maxrss). Targets (issue 10), on the
2-core development machine: the large load < 60 s and < 500 MB, an unchanged reload
< 10 s, the export < 20 s; the 10x year file loads in < 5 s. The export must give the
loaded file back byte for byte. Prints figures (and, with --check, fails on a miss).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from report_bench import create_large, setup_django  # noqa: E402

TARGETS = {"load": 60.0, "reload": 10.0, "export": 20.0, "load 10x": 5.0}
MEMORY_TARGET_MB = 500


def build(folder: Path, activities: int) -> None:
    """Export the 10x cooperation and write the very large year beside it."""
    slug, year_number = create_large(folder / "build.sqlite3")
    from samverkan.members.models import Cooperation, Year
    from samverkan.yearfile.export import export_cooperation, export_year
    from samverkan.yearfile.yamlio import dump, parse

    coop = Cooperation.objects.get(slug=slug)
    (folder / "standing.yaml").write_text(export_cooperation(coop), encoding="utf-8")
    year_text = export_year(Year.objects.get(cooperation=coop, year=year_number))
    (folder / "year-10x.yaml").write_text(year_text, encoding="utf-8")

    data = parse(year_text)
    areas = data["focus_areas"]
    templates = [copy.deepcopy(a) for area in areas for a in area.get("activities", [])]
    count = sum(len(area.get("activities", [])) for area in areas)
    n = 0
    while count < activities:
        area = areas[n % len(areas)]
        activity = copy.deepcopy(templates[n % len(templates)])
        activity["title"] = f"{activity['title']} ({n})"
        follow_up = activity.get("follow_up")
        if follow_up and follow_up.get("text"):
            # About 400 bytes an activity, as in the probe's 50 MB file of 120 000 activities.
            follow_up["text"] = follow_up["text"].split("\n")[0]
        area.setdefault("activities", []).append(activity)
        count += 1
        n += 1
    (folder / "year-large.yaml").write_text(dump(data), encoding="utf-8")


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path, which: str) -> dict[str, float]:
    db = folder / f"{which}.sqlite3"
    if db.exists():
        db.unlink()
    setup_django(db)
    from django.core.management import call_command

    from samverkan.members.models import Year
    from samverkan.yearfile.export import export_year
    from samverkan.yearfile.services import load_files

    call_command("migrate", verbosity=0)
    load_files([folder / "standing.yaml"], actor="bench")
    year_file = folder / ("year-10x.yaml" if which == "10x" else "year-large.yaml")
    result: dict[str, float] = {"bytes": year_file.stat().st_size, "base_mb": peak_mb()}
    start = time.perf_counter()
    load_files([year_file], actor="bench")
    result["load"] = time.perf_counter() - start
    result["load_mb"] = peak_mb()
    if which == "large":
        start = time.perf_counter()
        unchanged = load_files([year_file], actor="bench")
        result["reload"] = time.perf_counter() - start
        assert not any(f.changed for f in unchanged.files), "the unchanged reload changed the year"
        start = time.perf_counter()
        text = export_year(Year.objects.get(year=2020))
        result["export"] = time.perf_counter() - start
        # The round trip: the export of the loaded file is the file (it was written by export).
        result["round_trip"] = float(text == year_file.read_text(encoding="utf-8"))
        result["export_mb"] = peak_mb()
    return result


def child(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=REPO
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--activities", type=int, default=120_000)
    parser.add_argument("--keep", help="keep the files and databases in this folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a target is missed (a busy machine misses)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(Path(args.build[0]), int(args.build[1]))
        print("{}")
        return
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), args.child[1])))
        return

    with tempfile.TemporaryDirectory(prefix="yearfile-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(
            f"year-file benchmark: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start, "
            f"{args.activities} activities in the large year"
        )
        start = time.perf_counter()
        child(["--build", str(folder), str(args.activities)])
        print(f"# files built in {time.perf_counter() - start:.1f} s")
        small = child(["--child", str(folder), "10x"])
        large = child(["--child", str(folder), "large"])
        print(f"{'measurement':<34}{'seconds':>9}{'target s':>10}{'peak MB':>10}")
        rows = [
            (
                f"load 10x year ({small['bytes'] / 1e6:.1f} MB)",
                small["load"],
                "load 10x",
                small["load_mb"],
            ),
            (
                f"load large year ({large['bytes'] / 1e6:.1f} MB)",
                large["load"],
                "load",
                large["load_mb"],
            ),
            ("reload it unchanged", large["reload"], "reload", None),
            ("export it", large["export"], "export", None),
        ]
        met = True
        for label, seconds, target, mb in rows:
            memory = f"{mb:>10.0f}" if mb is not None else f"{'':>10}"
            ok = seconds < TARGETS[target] and (mb is None or mb < MEMORY_TARGET_MB)
            met &= ok
            print(
                f"{label:<34}{seconds:>9.1f}{TARGETS[target]:>10.1f}{memory}"
                f"{'  ok' if ok else '  OVER'}"
            )
        print(
            f"memory target: < {MEMORY_TARGET_MB} MB for the large load; "
            f"round trip byte-identical: {'yes' if large['round_trip'] else 'NO'}; "
            f"load average {os.getloadavg()[0]:.1f} at the end"
        )
        if args.check and not (met and large["round_trip"]):
            sys.exit(1)


if __name__ == "__main__":
    main()
