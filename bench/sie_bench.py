"""Benchmark of the SIE reader on a large generated SIE 4E file.

Run: ``python bench/sie_bench.py [--rows N] [--keep DIR] [--file PATH]``. Prints a table and
asserts nothing. Targets (this 2-core machine, 1,000,000 #TRANS rows): streaming inspect
< 8 s, peak RSS < 300 MB. :func:`generate_sie` is meant to be reused by later benchmarks
(import into SQLite, comparison with other tools).
"""

from __future__ import annotations

import argparse
import json
import random
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
_COST_CENTRES = ["100", "200", "300", "Nord", "Syd"]
_PROJECTS = ["P1", "P2", "P3", "2024-IK"]
_TEXTS = ["Hyra januari", "Faktura 1234", 'Kvitto "lunch"', "Löner juni", "Inköp å ä ö"]


def generate_sie(path: str | Path, rows: int, *, seed: int = 4) -> dict[str, int]:
    """Write a balanced SIE 4E file with about ``rows`` #TRANS rows to ``path``.

    Vouchers have 2–4 rows on a handful of accounts, with cost centres (dim 1) and projects
    (dim 6) on some rows, Swedish texts with quotes, and a correct #KSUMMA. The #UB/#RES
    records make the file reconcile. Returns counts: ``vouchers``, ``rows``, ``bytes``.
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
                if account[0] in "34567" and rng.random() < 0.7:
                    objects = (("1", rng.choice(_COST_CENTRES)), ("6", rng.choice(_PROJECTS)))
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
    return {"vouchers": vouchers, "rows": written, "bytes": Path(path).stat().st_size}


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


def _child_baseline() -> None:
    import samverkan.finance.sie  # noqa: F401

    print(json.dumps({"peak_mb": _peak_rss_mb()}))


def _run_child(*args: str) -> dict[str, float]:
    command = [sys.executable, __file__, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    """Generate (or take) a file, time ``wc -l`` and the streaming inspect, print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="#TRANS rows to generate")
    parser.add_argument("--keep", help="write the file into this directory and keep it")
    parser.add_argument("--file", help="measure this existing file instead of generating one")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        generated = 0.0
        if args.file:
            path = Path(args.file)
            counts = count_records(path)
        else:
            folder = Path(args.keep) if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"bench_{args.rows}.se"
            start = time.perf_counter()
            counts = generate_sie(path, args.rows)
            generated = time.perf_counter() - start

        start = time.perf_counter()
        wc = subprocess.run(["wc", "-l", str(path)], capture_output=True, text=True, check=True)
        wc_seconds = time.perf_counter() - start

        base = _run_child("--child-baseline")
        result = _run_child("--child-inspect", str(path))

        rows = [
            (
                "file",
                f"{counts['bytes'] / 1e6:.1f} MB, {counts['rows']:,} #TRANS, "
                f"{counts['vouchers']:,} #VER",
            ),
            ("generate", f"{generated:.2f} s" if generated else "(existing file)"),
            ("wc -l", f"{wc_seconds:.3f} s ({wc.stdout.split()[0]} lines)"),
            (
                "inspect (streaming)",
                f"{result['seconds']:.2f} s wall, {result['cpu_seconds']:.2f} s CPU "
                f"(target < 8 s), exit {result['exit']:.0f}",
            ),
            ("  rows per second", f"{counts['rows'] / result['seconds']:,.0f}"),
            (
                "  peak RSS",
                f"{result['peak_mb']:.0f} MB (target < 300 MB); "
                f"interpreter + package alone {base['peak_mb']:.0f} MB",
            ),
        ]
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child-inspect":
        _child_inspect(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-baseline":
        _child_baseline()
    else:
        main()
