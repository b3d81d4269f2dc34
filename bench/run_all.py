"""Runs every benchmark in turn and prints their figures (`make bench`).

Each script prints its own table; none asserts anything. The web load test
uses PostgreSQL when DATABASE_URL points at one, else SQLite (it says which).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["sie_bench.py", "report_bench.py", "yearfile_bench.py", "web_load.py"]


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        print(f"\n===== {script} =====", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / script)])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
