"""Benchmark of SIE inspect and import on a large generated SIE 4E file, with comparisons.

Run: ``python bench/sie_bench.py [--rows N] [--keep DIR] [--file PATH] [--skip-beancount]``.
One run prints one table and asserts nothing:

- the file (size, #TRANS rows) and the time of ``wc -l`` on it;
- a bare Python line split of the same file (``for line in f: line.split()``), the floor
  against which each later figure is given as a ratio from the same run;
- streaming inspect (:func:`~samverkan.finance.sie.inspect_path`): wall and CPU time, peak
  RSS, in a child process;
- import into a fresh SQLite database (:mod:`sie_import_bench`, a child process with
  ``DATABASE_URL`` set before Django starts): migrate, a minimal cooperation whose account
  mapping covers every result account of the file, then
  :func:`~samverkan.finance.sie_import.import_sie` of one cost centre (:data:`IMPORT_OBJECT`,
  about half the result-account rows); wall and CPU time, peak RSS;
- beancount: the same ledger as beancount text (:mod:`beancount_ledger`), checked with
  ``bean-check --no-cache``; wall and CPU time, peak RSS. Beancount is a dependency of the
  benchmark only (``pip install 'beancount>=3'``); without ``bean-check`` the row says so.

Targets (this 2-core machine, 1,000,000 #TRANS rows): inspect < 8 s, import < 15 s, peak
RSS < 300 MB each; inspect no slower than 7x the line split. :func:`generate_sie` is meant to be reused by other benchmarks.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samverkan.finance.sie import (  # noqa: E402
    Account,
    Dimension,
    FiscalYear,
    Header,
    Object,
    SieWriter,
    Transaction,
    Voucher,
)
from samverkan.finance.sie.records import AccountType, Balance, BalanceKind  # noqa: E402

_ACCOUNTS: dict[str, tuple[str, AccountType]] = {
    "1930": ("Företagskonto", "T"),
    "1510": ("Kundfordringar", "T"),
    "2440": ("Leverantörsskulder", "S"),
    "2641": ("Ingående moms", "S"),
    "3010": ("Försäljning tjänster", "I"),
    "3041": ("Försäljning, 25 % moms", "I"),
    "4010": ("Inköp material", "K"),
    "5010": ("Lokalhyra", "K"),
    "6110": ("Kontorsmateriel", "K"),
    "7010": ("Löner", "K"),
}
# Two cost centres on every result-account row: importing one (IMPORT_OBJECT) stores about
# half of those rows, as when a cooperation is one cost centre of its host's ledger.
_COST_CENTRES = ["100", "200"]
IMPORT_OBJECT = "1:100"
_PROJECTS = ["P1", "P2", "P3", "2024-IK"]
_TEXTS = ["Hyra januari", "Faktura 1234", 'Kvitto "lunch"', "Löner juni", "Inköp å ä ö"]


def generate_sie(path: str | Path, rows: int, *, seed: int = 4) -> dict[str, int]:
    """Write a balanced SIE 4E file with about ``rows`` #TRANS rows to ``path``.

    Vouchers have 2–4 rows on a handful of accounts; every result-account row (classes 3–8)
    has one of two cost centres (dim 1) and most also a project (dim 6). Swedish texts with
    quotes, and a correct #KSUMMA. The #UB/#RES records make the file reconcile. Returns
    counts: ``vouchers``, ``rows``, ``bytes``, ``result_rows`` (classes 3–8) and
    ``selected_rows`` (those of them on :data:`IMPORT_OBJECT`).
    """
    rng = random.Random(seed)
    year_start = date(2024, 1, 1)
    header = Header(
        program="Samverkan bench",
        program_version="1",
        generated_on=date(2025, 2, 1),
        company_name="Benchmark kommunalförbund",
        org_number="222000-0000",
        fiscal_years=(FiscalYear(index=0, start=year_start, end=date(2024, 12, 31)),),
        kptyp="BAS2024",
    )
    accounts = [Account(number=n, name=name, type=t) for n, (name, t) in _ACCOUNTS.items()]
    numbers = list(_ACCOUNTS)
    totals: dict[str, Decimal] = dict.fromkeys(numbers, Decimal(0))
    vouchers = 0
    written = 0
    result_rows = 0
    selected_rows = 0
    selected = tuple(IMPORT_OBJECT.split(":", 1))
    with Path(path).open("wb") as out:
        writer = SieWriter(out)
        writer.write_header(header)
        writer.write_chart(
            accounts=accounts,
            dimensions=[
                Dimension(number="1", name="Kostnadsställe"),
                Dimension(number="6", name="Projekt"),
            ],
            objects=[Object(dimension="1", id=c, name=f"Enhet {c}") for c in _COST_CENTRES]
            + [Object(dimension="6", id=p, name=f"Projekt {p}") for p in _PROJECTS],
        )
        while written < rows:
            n = min(rng.randint(2, 4), max(rows - written, 2))
            amounts = [Decimal(rng.randint(1, 2_000_000)) / 100 for _ in range(n - 1)]
            amounts.append(-sum(amounts, Decimal(0)))
            day = year_start + timedelta(days=rng.randrange(365))
            text = rng.choice(_TEXTS)
            trans = []
            for account, amount in zip(rng.sample(numbers, n), amounts, strict=True):
                objects: tuple[tuple[str, str], ...] = ()
                if account[0] in "345678":
                    objects = (("1", rng.choice(_COST_CENTRES)),)
                    if rng.random() < 0.7:
                        objects += (("6", rng.choice(_PROJECTS)),)
                    result_rows += 1
                    selected_rows += selected in objects
                trans.append(
                    Transaction(
                        account=account, amount=amount, objects=objects, date=day, text=text
                    )
                )
                totals[account] += amount
            vouchers += 1
            writer.write_voucher(
                Voucher(
                    series="A",
                    number=str(vouchers),
                    date=day,
                    text=text,
                    transactions=tuple(trans),
                )
            )
            written += n
        # Balances and vouchers form one group in which the spec allows any order, so the
        # closing balances (known only now) may follow the vouchers.
        for account in numbers:
            kind: BalanceKind = "UB" if _ACCOUNTS[account][1] in "TS" else "RES"
            writer.write_balance(
                Balance(kind=kind, year_index=0, account=account, amount=totals[account])
            )
        writer.finish()
    return {
        "vouchers": vouchers,
        "rows": written,
        "bytes": Path(path).stat().st_size,
        "result_rows": result_rows,
        "selected_rows": selected_rows,
    }


def count_records(path: Path) -> dict[str, int]:
    """Count #VER and #TRANS lines of an existing file (for --file)."""
    counts = {"vouchers": 0, "rows": 0, "bytes": path.stat().st_size}
    with path.open("rb") as f:
        for line in f:
            stripped = line.lstrip()
            if stripped.startswith(b"#VER"):
                counts["vouchers"] += 1
            elif stripped.startswith(b"#TRANS"):
                counts["rows"] += 1
    return counts


def _peak_rss_mb() -> float:
    """Peak resident set of this process. VmHWM starts afresh at exec, unlike ru_maxrss,
    which a child inherits from its parent at fork."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_inspect(path: str) -> None:
    """Run in a subprocess: stream-inspect ``path``; print time and peak RSS as JSON."""
    from samverkan.finance.sie import inspect_path

    start = time.perf_counter()
    cpu = time.process_time()
    text, code = inspect_path(path)
    result = {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mb": _peak_rss_mb(),
        "exit": code,
        "chars": len(text),
    }
    print(json.dumps(result))


def _child_split(path: str) -> None:
    """Run in a subprocess: the floor every reader is measured against, a bare Python line
    split of the same file (``for line in f: line.split()``); print its time as JSON."""
    start = time.perf_counter()
    cpu = time.process_time()
    with open(path, encoding="cp437") as f:
        for line in f:
            line.split()
    print(
        json.dumps(
            {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}
        )
    )


def _ratio(result: dict[str, float], split: dict[str, float] | str) -> str:
    """``result``'s wall and CPU time as multiples of the bare line split's, from the same
    run (on a busy machine the CPU ratio is the steadier of the two)."""
    if isinstance(split, str):
        return ""
    wall = result["seconds"] / split["seconds"]
    cpu = result["cpu_seconds"] / split["cpu_seconds"]
    return f"; {wall:.1f}x the split (CPU {cpu:.1f}x)"


def _child_baseline() -> None:
    import samverkan.finance.sie  # noqa: F401

    print(json.dumps({"peak_mb": _peak_rss_mb()}))


def _run_child(*args: str, env: dict[str, str] | None = None) -> dict[str, float] | str:
    """Run this interpreter on ``args``; its last stdout line as JSON, or why it failed."""
    command = [sys.executable, *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        lines = (done.stderr or done.stdout).strip().splitlines() or [f"exit {done.returncode}"]
        return f"failed: {lines[-1]}"
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _measure(command: list[str]) -> dict[str, float]:
    """Run ``command``; wall time, and CPU time and peak RSS from the kernel's rusage.

    ``ru_maxrss`` of a child also counts this process's peak at the moment of the spawn
    (a few tens of MB), so it is exact only for children larger than that, as bean-check is.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    with process.stdout:
        output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "exit": process.returncode,
        "output_lines": len(output.splitlines()),
    }


def _bean_check() -> str | None:
    """The ``bean-check`` next to this interpreter (the venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "bean-check"
    return str(beside) if beside.exists() else shutil.which("bean-check")


def _seconds(result: dict[str, float], target: str = "") -> str:
    wall = f"{result['seconds']:.2f} s wall, {result['cpu_seconds']:.2f} s CPU"
    return f"{wall} (target {target})" if target else wall


def main(argv: list[str] | None = None) -> None:
    """Generate (or take) a file, measure everything, print one table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="#TRANS rows to generate")
    parser.add_argument(
        "--keep", help="write the file, the ledger and the database into DIR and keep them"
    )
    parser.add_argument("--file", help="measure this existing file instead of generating one")
    parser.add_argument("--skip-beancount", action="store_true", help="leave out bean-check")
    args = parser.parse_args(argv)

    table: list[tuple[str, str]] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sie_bench_") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        generated = 0.0
        if args.file:
            path = Path(args.file)
            counts = count_records(path)
        else:
            path = folder / f"bench_{args.rows}.se"
            start = time.perf_counter()
            counts = generate_sie(path, args.rows)
            generated = time.perf_counter() - start
        table += [
            (
                "file",
                f"{counts['bytes'] / 1e6:.1f} MB, {counts['rows']:,} #TRANS, "
                f"{counts['vouchers']:,} #VER",
            ),
            ("generate", f"{generated:.2f} s" if generated else "(existing file)"),
        ]

        start = time.perf_counter()
        wc = subprocess.run(["wc", "-l", str(path)], capture_output=True, text=True, check=True)
        wc_seconds = time.perf_counter() - start
        table.append(("wc -l", f"{wc_seconds:.3f} s ({int(wc.stdout.split()[0]):,} lines)"))

        split = _run_child(__file__, "--child-split", str(path))
        table.append(
            (
                "line split (Python)",
                split if isinstance(split, str) else f"{_seconds(split)}; 1.0x, the floor",
            )
        )
        base = _run_child(__file__, "--child-baseline")
        inspect = _run_child(__file__, "--child-inspect", str(path))
        if isinstance(inspect, str) or isinstance(base, str):
            table.append(
                ("inspect (streaming)", str(inspect if isinstance(inspect, str) else base))
            )
        else:
            table += [
                (
                    "inspect (streaming)",
                    f"{_seconds(inspect, '< 8 s')}, exit {inspect['exit']:.0f}"
                    f"{_ratio(inspect, split)} (target < 7x)",
                ),
                ("  rows per second", f"{counts['rows'] / inspect['seconds']:,.0f}"),
                (
                    "  peak RSS",
                    f"{inspect['peak_mb']:.0f} MB (target < 300 MB); "
                    f"interpreter + package alone {base['peak_mb']:.0f} MB",
                ),
            ]

        table += _import_rows(path, folder, counts, split, generated=not args.file)
        if args.skip_beancount:
            table.append(("bean-check", "skipped (--skip-beancount)"))
        else:
            table += _beancount_rows(path, folder, split)

    load_after = os.getloadavg()
    table.append(
        (
            "machine",
            f"{os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after",
        )
    )
    width = max(len(k) for k, _ in table)
    for key, value in table:
        print(f"{key:<{width}}  {value}")


def _import_rows(
    path: Path,
    folder: Path,
    counts: dict[str, int],
    split: dict[str, float] | str,
    *,
    generated: bool,
) -> list[tuple[str, str]]:
    if not generated:
        return [("import (SQLite)", "skipped: its account mapping fits generated files only")]
    database = folder / "bench.sqlite3"
    database.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database.resolve()}",
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        "SAMVERKAN_DATA_DIR": str(folder),
    }
    script = str(Path(__file__).with_name("sie_import_bench.py"))
    result = _run_child(script, str(path), "--object", IMPORT_OBJECT, env=env)
    if isinstance(result, str):
        return [("import (SQLite)", result)]
    check = ""
    if result["lines"] != counts["selected_rows"]:
        check = f" – MISMATCH: the generator put {counts['selected_rows']:,} there"
    return [
        ("import (SQLite)", _seconds(result, "< 15 s") + _ratio(result, split)),
        ("  rows per second", f"{counts['rows'] / result['seconds']:,.0f} #TRANS read"),
        (
            "  stored",
            f"{result['lines']:,.0f} lines: the {result['lines'] / counts['result_rows']:.0%} "
            f"of the {counts['result_rows']:,} result-account rows on {IMPORT_OBJECT} (one of "
            f"two cost centres){check}; database {result['db_mb']:.0f} MB",
        ),
        (
            "  peak RSS",
            f"{result['peak_mb']:.0f} MB (target < 300 MB); "
            f"Django + migrate + setup alone {result['before_mb']:.0f} MB",
        ),
        ("  setup (not timed)", f"{result['setup_seconds']:.2f} s: Django, migrate, mapping"),
    ]


def _beancount_rows(
    path: Path, folder: Path, split: dict[str, float] | str
) -> list[tuple[str, str]]:
    bean_check = _bean_check()
    if bean_check is None:
        message = "beancount not installed: pip install 'beancount>=3'"
        print(message, file=sys.stderr)
        return [("bean-check", message)]
    from beancount_ledger import write_beancount

    ledger = folder / f"{path.stem}.beancount"
    start = time.perf_counter()
    written = write_beancount(path, ledger)
    seconds = time.perf_counter() - start
    version = subprocess.run([bean_check, "--version"], capture_output=True, text=True)
    result = _measure([bean_check, "--no-cache", str(ledger)])
    errors = f", {result['output_lines']:.0f} lines of errors" if result["output_lines"] else ""
    return [
        (
            "beancount ledger",
            f"{ledger.stat().st_size / 1e6:.1f} MB, {written['transactions']:,} transactions, "
            f"{written['postings']:,} postings, {written['balances']} balance assertions "
            f"(written in {seconds:.1f} s, not timed below)",
        ),
        (
            f"bean-check ({version.stdout.strip() or 'beancount'})",
            f"{_seconds(result)}, --no-cache, exit {result['exit']:.0f}{errors}"
            f"{_ratio(result, split)}",
        ),
        ("  peak RSS", f"{result['peak_mb']:.0f} MB"),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child-inspect":
        _child_inspect(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "--child-split":
        _child_split(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-baseline":
        _child_baseline()
    else:
        main()
