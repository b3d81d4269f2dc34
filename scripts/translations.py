"""Keep the English catalogues in step with the Swedish source strings.

There are two catalogues, each made from its own sources:

- samverkan/reports/locale/en/LC_MESSAGES/django.po: the annual report, the strings of
  samverkan/reports (files *.html, *.txt, *.py, *.css);
- samverkan/web/locale/en/LC_MESSAGES/django.po: everything else, the strings of every
  other folder of samverkan (web, templates, the apps' models, services and errors,
  settings; files *.html, *.txt, *.py).

Django loads both at run time, so a string belongs to the catalogue of the folder that
holds it.

    python scripts/translations.py update   # what scripts/update-translations.sh runs
    python scripts/translations.py check    # what tests/web/test_language.py runs

`update` extracts the strings with Django's makemessages (in a scratch copy of the
sources, with --add-location file), merges them into django.po (translations of unchanged
strings are kept; new or changed strings come in untranslated, never as a fuzzy guess;
strings gone from the sources are dropped), lists the entries that still need an English
text, and compiles django.mo with msgfmt --check.

`check` changes nothing. It fails when a source string is missing from its catalogue, the
catalogue holds a string no source has, an entry is untranslated or fuzzy, django.mo is
not the compiled django.po, or a string has a different English in the two catalogues
(Django merges them, and samverkan.reports comes first in INSTALLED_APPS, so its English
would win on the web pages too; pgettext with a context keeps them apart). `--root DIR` runs either on another copy of the repository.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib", "msgfmt")


@dataclass(frozen=True)
class Catalogue:
    name: str
    source: str  # folder under the repository whose strings the catalogue holds
    excluded: tuple[str, ...]  # folders directly under `source` that belong elsewhere
    extensions: tuple[str, ...]
    locale: str  # the locale folder, under the repository

    def po(self, root: Path) -> Path:
        return root / self.locale / "en" / "LC_MESSAGES" / "django.po"

    def mo(self, root: Path) -> Path:
        return self.po(root).with_suffix(".mo")


CATALOGUES = (
    Catalogue(
        name="web",
        source="samverkan",
        excluded=("reports",),
        extensions=("html", "txt", "py"),
        locale="samverkan/web/locale",
    ),
    Catalogue(
        name="reports",
        source="samverkan/reports",
        excluded=(),
        extensions=("html", "txt", "py", "css"),
        locale="samverkan/reports/locale",
    ),
)

Key = tuple[str | None, str, str | None]  # msgctxt, msgid, msgid_plural


@dataclass
class Entry:
    key: Key
    translations: list[str]
    fuzzy: bool
    locations: list[str]


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def require_tools() -> None:
    missing = missing_tools()
    if missing:
        sys.exit(
            f"GNU gettext is needed and not on PATH ({', '.join(missing)}): "
            "install it (apt-get install gettext, or scripts/install-test-deps.sh)."
        )


def read_po(path: Path) -> dict[Key, Entry]:
    """The entries of a .po file (not the header, not obsolete ones), by msgctxt/msgid/plural."""
    entries: dict[Key, Entry] = {}
    fields: dict[str, str] = {}
    flags: list[str] = []
    locations: list[str] = []
    field = ""

    def flush() -> None:
        nonlocal fields, flags, locations
        if fields.get("msgid"):
            key = (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
            translations = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries[key] = Entry(key, translations, "fuzzy" in flags, locations)
        fields, flags, locations = {}, [], []

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            continue
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if starts_entry and any(k.startswith("msgstr") for k in fields):
            flush()
        if not line.strip():
            flush()
        elif line.startswith("#,"):
            flags.extend(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#:"):
            locations.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[field] += ast.literal_eval(line)
        else:
            field, value = line.split(" ", 1)
            fields[field] = ast.literal_eval(value)
    flush()
    return entries


def _ignore(catalogue: Catalogue, top: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in ("locale", "__pycache__")}
        if Path(folder) == top:
            skipped |= set(catalogue.excluded) & set(names)
        return skipped

    return ignore


def extract(catalogue: Catalogue, root: Path, scratch: Path) -> Path:
    """A fresh .po of the catalogue's source strings, made by makemessages in `scratch`."""
    top = root / catalogue.source
    src = scratch / catalogue.name
    shutil.copytree(top, src, ignore=_ignore(catalogue, top))
    (src / "locale").mkdir()
    program = (
        "import sys, django\n"
        "from django.conf import settings\n"
        "settings.configure(USE_I18N=True, LOCALE_PATHS=[], INSTALLED_APPS=[],\n"
        "    TEMPLATES=[{'BACKEND': 'django.template.backends.django.DjangoTemplates'}])\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('makemessages', locale=['en'], extensions=sys.argv[1:],\n"
        "             add_location='file', no_obsolete=True, verbosity=0)\n"
    )
    subprocess.run([sys.executable, "-c", program, *catalogue.extensions], cwd=src, check=True)
    return src / "locale" / "en" / "LC_MESSAGES" / "django.po"


def needs_english(entries: dict[Key, Entry]) -> list[Entry]:
    return [e for e in entries.values() if e.fuzzy or not all(e.translations)]


def _without_date(po: str) -> str:
    return "\n".join(line for line in po.split("\n") if "POT-Creation-Date:" not in line)


def update(root: Path) -> int:
    require_tools()
    total = 0
    with tempfile.TemporaryDirectory() as scratch:
        for catalogue in CATALOGUES:
            po = catalogue.po(root)
            before = po.read_text(encoding="utf-8")
            fresh = extract(catalogue, root, Path(scratch))
            merged = Path(scratch) / f"{catalogue.name}-merged.po"
            subprocess.run(
                ["msgmerge", "--quiet", "--no-fuzzy-matching", "--add-location=file"]
                + ["--output-file", str(merged), str(po), str(fresh)],
                check=True,
            )
            subprocess.run(
                ["msgattrib", "--no-obsolete", "--output-file", str(po), str(merged)], check=True
            )
            if _without_date(po.read_text(encoding="utf-8")) == _without_date(before):
                po.write_text(before, encoding="utf-8")  # no new date in an unchanged catalogue
            todo = needs_english(read_po(po))
            total += len(todo)
            print(f"{po.relative_to(root)}: {len(read_po(po))} entries, {len(todo)} untranslated")
            for entry in todo:
                print(f"    {'(fuzzy) ' if entry.fuzzy else ''}{entry.key[1]!r}")
            subprocess.run(
                ["msgfmt", "--check", "--output-file", str(catalogue.mo(root)), str(po)],
                check=True,
            )
    if total:
        print(f"{total} entries need an English text: translate them, then run this again.")
    return 0


def check(root: Path) -> int:
    require_tools()
    problems: list[str] = []
    english: dict[Key, dict[str, list[str]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for catalogue in CATALOGUES:
            po = catalogue.po(root)
            committed = read_po(po)
            for key, entry in committed.items():
                english.setdefault(key, {})[catalogue.name] = entry.translations
            sources = read_po(extract(catalogue, root, Path(scratch)))
            name = po.relative_to(root)
            for key in sorted(sources.keys() - committed.keys(), key=str):
                where = ", ".join(f"{catalogue.source}/{path}" for path in sources[key].locations)
                problems.append(f"{name}: missing {key[1]!r} (in {where})")
            for key in sorted(committed.keys() - sources.keys(), key=str):
                problems.append(f"{name}: {key[1]!r} is in no source any longer")
            for entry in needs_english(committed):
                state = "fuzzy" if entry.fuzzy else "untranslated"
                problems.append(f"{name}: {state} {entry.key[1]!r}")
            compiled = subprocess.run(
                ["msgfmt", "--check", "--output-file", "-", str(po)], capture_output=True
            )
            if compiled.returncode or compiled.stdout != catalogue.mo(root).read_bytes():
                problems.append(f"{name}: django.mo is not the compiled django.po")
    for key, by_catalogue in english.items():
        if len({tuple(t) for t in by_catalogue.values()}) > 1:
            problems.append(
                f"{key[1]!r} has a different English in each catalogue {by_catalogue}: Django "
                "merges them and the reports' wins on every page; give one of them a msgctxt"
            )
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s): run scripts/update-translations.sh and translate.")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "check"])
    parser.add_argument("--root", type=Path, default=REPO, help="the repository (default: this)")
    args = parser.parse_args()
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    return {"update": update, "check": check}[args.command](args.root.resolve())


if __name__ == "__main__":
    sys.exit(main())
