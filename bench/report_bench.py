"""Benchmark of the annual report: assembly + HTML, assembly + PDF, and peak memory.

    .venv/bin/python bench/report_bench.py [--repeat N] [--keep DIR]

Two data sets, each in a throwaway SQLite database in a temporary folder
(DATABASE_URL is set before Django starts, so var/samverkan.sqlite3 is never
touched):

- the Södertörn demo, year 2020 (8 members, ~30 activities, ~20 lines);
- a synthetic cooperation ten times larger: 80 members, 300 activities with
  follow-ups, 20 000 accounts lines, and registers to match.

Every measurement runs in a child process of its own, which renders the
report `repeat` times and reports the time of the first (cold: templates
compiled, Typst's fonts loaded) and the best later call (warm: a running web
server), and the peak resident memory of the largest process (getrusage
ru_maxrss of the child and of the processes it started: the PDF is compiled
in a process of its own). Targets on the 2-core development machine:
HTML < 0.5 s, PDF < 5 s and at most 8 times the HTML of the same data,
memory < 500 MB. Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"html": 0.5, "pdf": 5.0}
PDF_TO_HTML_TARGET = 8  # the PDF of a data set at most this many times its HTML (cold)
MEMORY_TARGET_MB = 500


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


# --- data --------------------------------------------------------------------------------------


def create_demo(db_path: Path) -> tuple[str, int]:
    setup_django(db_path)
    from django.core.management import call_command

    from samverkan.demo import DEMO_SLUG, demo_files
    from samverkan.yearfile.services import load_files

    call_command("migrate", verbosity=0)
    load_files(demo_files(), actor="bench")
    return DEMO_SLUG, 2020


def create_large(db_path: Path) -> tuple[str, int]:  # noqa: C901 - one linear recipe
    """A cooperation ten times the demo: 80 members, 300 activities, 20 000 lines (year 2020)."""
    setup_django(db_path)
    import datetime as dt
    import random
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import transaction

    from samverkan.consultations.models import ConsultationResponse
    from samverkan.finance.models import CostCategory, Footnote, Fund, FundYear, LedgerLine
    from samverkan.governance.models import (
        Body,
        Chair,
        Event,
        Meeting,
        Network,
        NetworkYear,
        StaffMember,
    )
    from samverkan.members.models import (
        Cooperation,
        FeeRule,
        Member,
        PopulationFigure,
        Year,
        YearText,
    )
    from samverkan.plan.models import Activity, AreaGroup, FocusArea, FollowUp, Programme, SubGoal
    from samverkan.projects.models import Grant, Project, ProjectFinancing, ProjectYear

    call_command("migrate", verbosity=0)
    rng = random.Random(2020)
    words = [
        "samverkan",
        "infrastruktur",
        "kollektivtrafik",
        "näringsliv",
        "kompetens",
        "klimat",
        "remiss",
        "nätverk",
        "möte",
        "planering",
        "utredning",
        "region",
        "kommun",
        "arbete",
        "projekt",
        "uppföljning",
    ]

    def sentence(n: int = 14) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    with transaction.atomic():
        coop = Cooperation.objects.create(
            slug="stor", name="Storregionens samarbetskommitté", short_name="Stor"
        )
        members = Member.objects.bulk_create(
            Member(cooperation=coop, code=f"{1000 + i}", name=f"Kommun {i:02d}", order=i)
            for i in range(1, 81)
        )
        PopulationFigure.objects.bulk_create(
            PopulationFigure(
                member=m, date=dt.date(y, 12, 31), population=rng.randint(8_000, 120_000)
            )
            for m in members
            for y in (2017, 2018, 2019)
        )
        FeeRule.objects.create(cooperation=coop, from_year=2018, rate=Decimal(4))
        programme = Programme.objects.create(
            cooperation=coop,
            slug="program",
            name="Utvecklingsprogram 2035",
            valid_from=2019,
            valid_until=2030,
            overall_goal=sentence(20),
        )
        bodies = [
            Body.objects.create(cooperation=coop, slug=s, kind=k, name=n, order=i)
            for i, (s, k, n) in enumerate(
                [
                    ("kommitte", "committee", "Samarbetskommittén"),
                    ("ledning", "management_group", "Ledningsgruppen"),
                    ("kansli", "secretariat", "Kansliet"),
                ]
            )
        ]
        networks = []
        for i in range(12):
            network = Network.objects.create(
                cooperation=coop,
                slug=f"natverk-{i}",
                name=f"Nätverket för område {i}",
                short_name=f"N{i}",
                order=i,
            )
            if i % 3:
                network.members.set(rng.sample(members, 40))
            networks.append(network)
        categories = [
            CostCategory.objects.create(
                cooperation=coop,
                slug="avgifter",
                name="Intäkt kommunerna",
                kind="income",
                is_fee=True,
                order=0,
            ),
            CostCategory.objects.create(
                cooperation=coop,
                slug="medfinansiering",
                name="Medfinansiering",
                kind="income",
                order=1,
            ),
            CostCategory.objects.create(
                cooperation=coop, slug="bidrag", name="Bidrag", kind="income", order=2
            ),
        ]
        categories += [
            CostCategory.objects.create(
                cooperation=coop,
                slug=f"kostnad-{i}",
                name=f"Kostnadsslag {i}",
                kind="cost",
                order=10 + i,
            )
            for i in range(22)
        ]
        funds = [
            Fund.objects.create(
                cooperation=coop,
                slug=f"drift-{y}",
                name="Drift",
                carried_name=f"Drift från {y}",
                kind="operations",
                order=y,
            )
            for y in (2019, 2020)
        ]
        funds += [
            Fund.objects.create(
                cooperation=coop,
                slug=f"fond-{i}",
                name=f"Fond {i}",
                kind="event" if i < 10 else "project",
                order=100 + i,
            )
            for i in range(28)
        ]
        years = {}
        for y in (2019, 2020):
            years[y] = Year.objects.create(
                cooperation=coop,
                year=y,
                # Drafts while the data go in (the year lock refuses writes to a published
                # year); published at the end, as the demo's years are.
                status="draft",
                officer_name="Handläggare Exempel",
                officer_email="handlaggare@example.se",
                programme=programme,
                operating_fund=funds[0 if y == 2019 else 1],
            )
        year = years[2020]
        for key in (
            "introduction",
            "focus_areas",
            "follow_up",
            "consultations",
            "committee",
            "management_group",
            "secretariat",
            "accounts",
            "administration",
        ):
            YearText.objects.create(
                year=year, key=key, body="\n\n".join(sentence(40) for _ in range(3))
            )
        Chair.objects.create(
            year=year, body=bodies[0], role="chair", person="Ordförande Exempel", member=members[0]
        )
        StaffMember.objects.bulk_create(
            StaffMember(year=year, person=f"Person {i}", role="Strateg", order=i) for i in range(4)
        )
        groups = [
            AreaGroup.objects.create(
                year=year,
                slug=f"grupp-{i}",
                name=f"Grupp {i}",
                kind="regional" if i == 0 else "internal",
                purpose=sentence(),
                order=i,
            )
            for i in range(2)
        ]
        activities = []
        for a in range(10):
            area = FocusArea.objects.create(
                year=year,
                group=groups[a // 5],
                slug=f"omrade-{a}",
                number=f"3.{a + 1}",
                title=f"Fokusområde {a + 1}",
                main_goal=sentence(),
                order=a,
                responsible_text=sentence(6),
            )
            area.responsible_networks.set(networks[a % 12 : a % 12 + 2])
            SubGoal.objects.bulk_create(
                SubGoal(focus_area=area, text=sentence(), order=i) for i in range(3)
            )
            for i in range(30):
                activities.append(Activity(focus_area=area, title=sentence(8), order=i))
        activities = Activity.objects.bulk_create(activities)
        FollowUp.objects.bulk_create(
            FollowUp(
                activity=act,
                status=rng.choice(["done", "ongoing", "postponed", "cancelled", "not_started"]),
                status_reason=sentence(6),
                continues=rng.random() < 0.5,
                text="\n".join(
                    f"- {sentence()}" + "".join(f"\n  - {sentence(8)}" for _ in range(i % 3))
                    for i in range(5)
                ),
            )
            for act in activities
        )
        through = Activity.networks.through
        through.objects.bulk_create(
            through(activity_id=act.pk, network_id=networks[i % 12].pk)
            for i, act in enumerate(activities)
            if i % 2
        )
        areas = list(FocusArea.objects.filter(year=year))
        for i, network in enumerate(networks):
            # In the order a year file gives them: the networks with a participation note first.
            order = i // 4 if i % 4 == 0 else len(networks) + i
            ny = NetworkYear.objects.create(
                year=year,
                network=network,
                summary=sentence(60),
                focus_area=areas[i % 10],
                order=order,
            )
            if i % 4 == 0:
                ny.absent.set(members[:2])
        meetings = Meeting.objects.bulk_create(
            Meeting(
                year=year,
                body=bodies[i % 2] if i < 40 else None,
                format=rng.choice(["digital", "physical", "hybrid"]),
                kind=rng.choice(["ordinary", "extra"]),
                count=1,
                cancelled=i % 37 == 0,
                cancel_reason="Inställt" if i % 37 == 0 else "",
                order=i,
            )
            for i in range(200)
        )
        Meeting.networks.through.objects.bulk_create(
            Meeting.networks.through(meeting_id=m.pk, network_id=networks[i % 12].pk)
            for i, m in enumerate(meetings)
            if i >= 40
        )
        ConsultationResponse.objects.bulk_create(
            ConsultationResponse(
                year=year,
                subject=sentence(8),
                authority="Trafikverket",
                month=1 + i % 12,
                answered=i % 5 != 0,
                order=i,
            )
            for i in range(30)
        )
        projects = []
        for i in range(40):
            project = Project.objects.create(
                cooperation=coop,
                start_year=year,
                slug=f"projekt-{i}",
                name=sentence(6),
                contractor="Konsult AB",
            )
            part = ProjectYear.objects.create(
                project=project, year=year, description=sentence(40), order=i
            )
            ProjectFinancing.objects.create(part=part, source="operating_budget")
            if i % 4 == 0:
                Grant.objects.create(
                    project=project,
                    year=year,
                    slug=f"bidrag-{i}",
                    grantor="Tillväxtverket",
                    rate=Decimal(50),
                    timing="arrears",
                    expected_payment_year=2021,
                )
            projects.append(project)
        events = [
            Event.objects.create(
                year=year,
                slug=f"event-{i}",
                kind="conference",
                name=f"Konferens {i}",
                date=dt.date(2020, 1 + i, 10),
                participants=100 + i,
                cost_cap_per_participant=Decimal(1600),
                fund=funds[2 + i],
                order=i,
            )
            for i in range(10)
        ]
        for fund in funds:
            FundYear.objects.create(year=year, fund=fund, order=fund.order)
        Footnote.objects.create(year=year, key="1", text=sentence())
        texts = [sentence(4) for _ in range(12)]
        lines = []
        for event in events:
            shares = []
            for m in members:
                shares.append(Decimal(rng.randint(500, 5000)))
                lines.append(
                    LedgerLine(
                        year=year,
                        fund=event.fund,
                        category=categories[1],
                        kind="income",
                        amount=shares[-1],
                        date=dt.date(2020, 6, 30),
                        member=m,
                        order=len(lines),
                    )
                )
            # The event's costs are what the members co-finance (the co-financing rule).
            lines.append(
                LedgerLine(
                    year=year,
                    fund=event.fund,
                    category=categories[3],
                    kind="cost",
                    amount=sum(shares, Decimal(0)),
                    date=dt.date(2020, 6, 30),
                    order=len(lines),
                )
            )
        # Each project books on one fund (its own or the operating fund); a tenth of the lines carry one of a
        # few recurring texts, as exported voucher texts do.
        cost_categories = categories[3:]
        project_fund = {p.pk: rng.choice([funds[1], *funds[12:]]) for p in projects}
        while len(lines) < 20_000:
            project = rng.choice(projects) if rng.random() < 0.2 else None
            # Not an event's fund: its costs are the members' co-financing above.
            fund = project_fund[project.pk] if project else rng.choice([funds[1], *funds[12:]])
            lines.append(
                LedgerLine(
                    year=year,
                    fund=fund,
                    category=rng.choice(cost_categories[:8] if project else cost_categories),
                    kind="cost",
                    amount=Decimal(rng.randint(100, 20000)),
                    date=dt.date(2020, rng.randint(1, 12), 1),
                    text=rng.choice(texts) if rng.random() < 0.02 else "",
                    project=project,
                    footnote="1" if rng.random() < 0.001 else "",
                    order=len(lines),
                )
            )
        LedgerLine.objects.bulk_create(lines, batch_size=2000)
        LedgerLine.objects.bulk_create(
            LedgerLine(
                year=years[2019],
                fund=rng.choice(funds),
                category=rng.choice(cost_categories),
                kind="cost",
                amount=Decimal(rng.randint(100, 5000)),
                date=dt.date(2019, 12, 31),
                order=i,
            )
            for i in range(2000)
        )
        for y in (2019, 2020):
            Year.objects.filter(pk=years[y].pk).update(
                status="published", decided_on=dt.date(y + 1, 1, 20)
            )
    return "stor", 2020


# --- one measurement, in a child process -----------------------------------------------------


def measure(db_path: Path, slug: str, year_number: int, fmt: str, repeat: int) -> dict[str, float]:
    setup_django(db_path)
    import resource

    from samverkan.members.models import Year
    from samverkan.reports.assembly import build_annual_report
    from samverkan.reports.editions import render_with_sources
    from samverkan.reports.renderers import get_renderer

    year = Year.objects.get(cooperation__slug=slug, year=year_number)
    renderer = get_renderer(fmt)

    def cpu_seconds() -> float:
        """User and system time of this process and of the processes it started and waited for."""
        own, children = (
            resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    times, cpu, size = [], [], 0
    for _ in range(repeat):
        # Assembly and rendering every time: the cache of decided years' reports
        # (reports.api) is left out, so that "warm" means a warm process, not a stored file.
        start, start_cpu = time.perf_counter(), cpu_seconds()
        # As the web app makes an edition: the PDF gets the year file, exported while Typst works.
        content = render_with_sources(renderer, build_annual_report(year), year)
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
        size = len(content)
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,  # the PDF's compile process
    )
    return {
        "cold": times[0],
        "warm": min(times[1:]) if len(times) > 1 else times[0],
        "cold_cpu": cpu[0],
        "peak_mb": peak_kb / 1024,
        "bytes": size,
    }


def run_child(db_path: Path, slug: str, year: int, fmt: str, repeat: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(db_path), slug, str(year), fmt, str(repeat)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def build_child(kind: str, db_path: Path) -> tuple[str, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--build", kind, str(db_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    slug, year = out.stdout.strip().splitlines()[-1].split()
    return slug, int(year)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="renders per measurement (first is cold)"
    )
    parser.add_argument(
        "--keep", help="keep the databases in this folder instead of a temporary one"
    )
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db, slug, year, fmt, repeat = args.child
        print(json.dumps(measure(Path(db), slug, int(year), fmt, int(repeat))))
        return
    if args.build:
        kind, db = args.build
        slug, year = (create_demo if kind == "demo" else create_large)(Path(db))
        print(slug, year)
        return

    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(
            f"report benchmark: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start, "
            f"repeat {args.repeat} (first call cold, best of the rest warm)"
        )
        print(
            f"{'data set':<28}{'format':<8}{'cold s':>9}{'warm s':>9}{'target s':>10}{'peak MB':>10}{'size kB':>10}"
        )
        ratios: list[str] = []
        cpu_notes: list[str] = []
        for kind, label in (("demo", "demo Södertörn 2020"), ("large", "synthetic 10x (2020)")):
            db = folder / f"{kind}.sqlite3"
            if db.exists():
                db.unlink()
            start = time.perf_counter()
            slug, year = build_child(kind, db)
            print(f"# {label}: database built in {time.perf_counter() - start:.1f} s")
            cold = {}
            for fmt in ("html", "pdf"):
                r = run_child(db, slug, year, fmt, args.repeat)
                cold[fmt] = r["cold"]
                cpu_notes.append(f"{label} {fmt} {r['cold_cpu']:.2f}")
                print(
                    f"{label:<28}{fmt:<8}{r['cold']:>9.2f}{r['warm']:>9.2f}{TARGETS[fmt]:>10.1f}"
                    f"{r['peak_mb']:>10.0f}{r['bytes'] / 1024:>10.0f}"
                )
            ratios.append(f"{label} {cold['pdf'] / cold['html']:.1f}×")
        print(f"PDF / HTML, cold (target ≤ {PDF_TO_HTML_TARGET}×): {', '.join(ratios)}")
        # CPU time does not grow when other work shares the machine (wall time does); the PDF's
        # wall time is below its CPU time on an idle machine, as two processes work at once.
        print(f"CPU s of the cold call (all processes): {', '.join(cpu_notes)}")
        print(
            f"memory target: < {MEMORY_TARGET_MB} MB per process; "
            f"load average {os.getloadavg()[0]:.1f} at the end (other work on the machine slows every figure)"
        )


if __name__ == "__main__":
    main()
