"""samverkan load FILE...: load standing and year files, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.yearfile.services import LoadFailed, load_files


class Command(BaseCommand):
    help = "Load cooperation and year files (YAML). Nothing is stored if any file has an error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_files(options["files"], actor="command line")
        except LoadFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was loaded") from None
        for loaded in result.files:
            state = "loaded" if loaded.changed else "unchanged"
            self.stdout.write(f"{loaded.name}: {loaded.label} {state}")
