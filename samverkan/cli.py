"""The `samverkan` console command.

Every Django management command is a subcommand (`samverkan migrate`,
`samverkan createsuperuser`), and the project's own commands live as
management commands in the apps (`load`, `export`, `check`, `report`, `demo`,
`sie`, `createuser`), so nobody needs manage.py.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["samverkan", *args])


if __name__ == "__main__":
    main()
