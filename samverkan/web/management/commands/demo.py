"""samverkan demo: the Södertörn demo in the configured database, its reports, and the web app."""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from samverkan.demo import DEMO_DIR, DEMO_SLUG, demo_files
from samverkan.members.models import LOCKED_STATUSES, Cooperation, Year, YearStatus
from samverkan.members.services import decide_year, publish_year, reopen_year
from samverkan.yearfile.services import LoadFailed, LoadResult, load_files
from samverkan.yearfile.yamlio import parse

DEMO_SIE = DEMO_DIR / "huddinge-2020.se"


class Command(BaseCommand):
    help = "Migrate, load the Södertörn demo, write its annual reports and serve on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="stop before serving")
        parser.add_argument(
            "--out", type=Path, default=Path("out"), help="folder for the generated reports"
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        result = self._load_demo()
        for loaded in result.files:
            self.stdout.write(f"{loaded.label}: {'inläst' if loaded.changed else 'oförändrad'}")
        coop = Cooperation.objects.get(slug=DEMO_SLUG)
        self._import_books(coop)
        self._start_next_year(coop)
        self._write_reports(coop, options["out"])
        self._print_logins(coop)
        if not options["no_serve"]:
            self._serve(options["addrport"])

    def _serve(self, addrport: str) -> None:
        """The web app, with a background worker beside it for the reports' PDF and Word files."""
        _require_free_port(addrport)
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "samverkan.cli",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
            ],
            stdout=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # only sets a signal: safe between fork and exec
        )
        self.stdout.write(f"Bakgrundsprocess för rapportfiler: pid {worker.pid}")
        self.stdout.write(f"Webbappen: http://{addrport}/  (Ctrl-C avslutar)")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    def _load_demo(self) -> LoadResult:
        """Load the shipped demo files. Where a newer version of the project ships changed
        demo data, the demo's decided years are reopened for it (audited) and reloaded;
        any other error stops the command with the loader's messages."""
        try:
            return load_files(demo_files(), actor="demo")
        except LoadFailed as exc:
            if not all(" before loading this file" in e.message for e in exc.errors):
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError("the demo files could not be loaded") from None
        with transaction.atomic():
            for year in Year.objects.filter(
                cooperation__slug=DEMO_SLUG, status__in=LOCKED_STATUSES
            ):
                reopen_year(year, actor="demo", reason="Demodata från den här versionen läses in")
            result = load_files(demo_files(), actor="demo")
            _adopt_as_shipped()
            return result

    def _import_books(self, coop: Cooperation) -> None:
        """Import Huddinge's SIE export of 2020. The published year is reopened for it
        through the workflow service (audited), and decided and published again the same
        way, on the decision date its year file gives."""
        from samverkan.finance.models import ImportBatch
        from samverkan.finance.sie_import import import_sie

        year = Year.objects.get(cooperation=coop, year=2020)
        if ImportBatch.objects.filter(year=year).exists():
            return
        with transaction.atomic():
            if year.is_locked:
                year = reopen_year(
                    year, actor="demo", reason="SIE-import av Huddinges bokföring 2020"
                )
            plan, _ = import_sie(DEMO_SIE, year, objects=["1:1510"], actor="demo")
            _adopt_as_shipped()
        self.stdout.write(
            f"SIE: {plan.line_count} rader från {DEMO_SIE.name} (kostnadsställe 1:1510) inlästa för 2020"
        )

    def _start_next_year(self, coop: Cooperation) -> None:
        """2021 in planning, started from 2020 by the app's own service, so that a newcomer finds a
        year to plan. No budget is entered: the published reports print none."""
        from samverkan.members.year_services import start_year

        if Year.objects.filter(cooperation=coop, year=2021).exists():
            return
        start_year(
            coop, 2021, from_year=Year.objects.get(cooperation=coop, year=2020), actor="demo"
        )
        self.stdout.write("2021 är startat från 2020 och står i planering")

    def _write_reports(self, coop: Cooperation, out: Path) -> None:
        try:
            from samverkan.reports.api import write_reports
        except ImportError:
            self.stdout.write(
                "Rapportgeneratorn finns inte i den här versionen; inga rapporter skrivs."
            )
            return
        for year in Year.objects.filter(cooperation=coop, status="published").order_by("year"):
            for path in write_reports(year, out / coop.slug):
                self.stdout.write(f"Skrev {path}")

    def _print_logins(self, coop: Cooperation) -> None:
        try:
            from samverkan.accounts.demo import create_demo_users
        except ImportError:
            return
        self.stdout.write("Demoinloggningar (nya lösenord vid varje start):")
        for role, username, password in create_demo_users(coop):
            self.stdout.write(f"  {role:<32} användare: {username:<20} lösenord: {password}")


def _adopt_as_shipped() -> None:
    """Decide and publish again, through the workflow services, the demo years that were
    reopened for new demo data or an import: a year file cannot change a stored year's
    status. A year whose file gives no decision date (2019) stays open."""
    for path in demo_files()[1:]:
        head = parse(path.read_text(encoding="utf-8"))
        year = Year.objects.get(cooperation__slug=DEMO_SLUG, year=head["year"])
        status, decided_on = head.get("status"), head.get("decided_on")
        if year.status != YearStatus.DRAFT or status not in LOCKED_STATUSES or not decided_on:
            continue
        year = decide_year(year, decided_on, actor="demo")
        if status == YearStatus.PUBLISHED:
            publish_year(year, actor="demo")


def _require_free_port(addrport: str) -> None:
    """Stop with a clear message when the address is taken (runserver would exit without cleaning up)."""
    host, _, port = addrport.rpartition(":")
    if not port.isdigit():
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host.strip("[]") or "127.0.0.1", int(port)))
        except OSError as error:
            raise CommandError(
                f"{addrport} is taken ({error.strerror}); choose another with --addrport"
            ) from None


def _die_with_parent() -> None:
    """In the worker, before it starts: on Linux, end it when the demo ends, however the demo ends."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
