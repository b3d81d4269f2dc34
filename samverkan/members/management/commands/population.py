"""samverkan population fetch|import: SCB population figures (table TAB638) into a cooperation's members."""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.lib import pxweb, scb
from samverkan.members.models import Cooperation
from samverkan.members.population import (
    ImportPlan,
    ImportSource,
    IncomingFigure,
    plan_import,
    problem_message,
)
from samverkan.members.services import DomainError, import_population

ACTOR = "samverkan population"


def opener() -> urllib.request.OpenerDirector:
    """The HTTP layer of the fetch (tests put recorded responses in its place)."""
    return urllib.request.build_opener()


class Command(BaseCommand):
    help = "Fetch members' population at 31 December from SCB's PxWebApi 2, or import a downloaded file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        fetch = sub.add_parser(
            "fetch", help="ask SCB's API for the members' population at 31 December YEAR"
        )
        fetch.add_argument("--cooperation", required=True, metavar="SLUG")
        fetch.add_argument(
            "--year", type=int, required=True, help="the figures' year (the next year's fee basis)"
        )
        fetch.add_argument(
            "--dry-run", action="store_true", help="show what would change; store nothing"
        )
        fetch.add_argument(
            "--base-url", default=pxweb.BASE_URL, help=f"PxWebApi 2 address ({pxweb.BASE_URL})"
        )
        imp = sub.add_parser("import", help="import a TAB638 file downloaded as CSV or json-stat2")
        imp.add_argument("file", type=Path)
        imp.add_argument("--cooperation", required=True, metavar="SLUG")
        imp.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        coop = Cooperation.objects.filter(slug=options["cooperation"]).first()
        if coop is None:
            raise CommandError(f"no cooperation {options['cooperation']!r}")
        if options["action"] == "fetch":
            read, source = self._fetch(coop, options["year"], options["base_url"])
        else:
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            with path.open("rb") as stream:
                read = scb.read_file(stream, path.name)
            source = ImportSource(file_name=path.name)
        for note in read.notes:
            self.stdout.write(f"note: {problem_message(note)}")
        if read.errors:
            for error in read.errors:
                self.stderr.write(f"error: {problem_message(error)}")
            raise CommandError(f"{source.file_name}: nothing imported")
        incoming = [IncomingFigure.from_scb(f) for f in read.figures]
        plan = plan_import(coop, incoming, source)
        self._show(plan)
        if plan.refused:
            raise CommandError(plan.locked_message())
        if options["dry_run"] or not plan.changes:
            self.stdout.write("Nothing stored." if options["dry_run"] else "Nothing to change.")
            return
        try:
            done = import_population(
                coop, incoming, actor=ACTOR, source=source, expected_digest=plan.digest()
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored {len(done.new)} new and {len(done.changed)} changed figure(s) from {source.table}."
            )
        )

    def _fetch(
        self, coop: Cooperation, year: int, base_url: str
    ) -> tuple[scb.ScbFile, ImportSource]:
        codes = sorted(coop.members.values_list("code", flat=True))
        client = pxweb.Client(base_url=base_url, opener=opener())
        try:
            response = client.population(codes, year)
        except pxweb.PxWebError as exc:
            raise CommandError(str(exc)) from exc
        read = scb.read_json_stat2(io.BytesIO(response.body))
        wrong_year = [f for f in read.figures if f.year != year]
        if wrong_year:
            raise CommandError(f"SCB answered with figures for {wrong_year[0].year}, not {year}")
        return read, ImportSource(file_name=response.url)

    def _show(self, plan: ImportPlan) -> None:
        out = self.stdout.write
        out(f"Source: {plan.source.file_name} (SCB table {plan.source.table})")
        out(f"New figures: {len(plan.new)}")
        for p in plan.new:
            out(f"  {p.member.code} {p.member.name} {p.incoming.date}: {p.incoming.population}")
        out(f"Changed figures: {len(plan.changed)}")
        for p in plan.changed:
            old = p.current.population if p.current else None
            out(
                f"  {p.member.code} {p.member.name} {p.incoming.date}: {old} -> {p.incoming.population}"
            )
        out(f"Unchanged figures: {plan.unchanged}")
        if plan.unknown:
            out(f"Unknown municipality codes (not members): {len(plan.unknown)}")
            for u in plan.unknown:
                out(f"  {u.code} {u.region} ({u.where})")
        if plan.left:
            out(f"Not imported, the member had left by the fee year: {len(plan.left)}")
            for p in plan.left:
                out(f"  {p.member.code} {p.member.name} {p.incoming.date} (left {p.member.left})")
