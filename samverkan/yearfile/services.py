"""Loading and exporting year files as services: all or nothing, audited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from samverkan.audit.models import AuditEntry
from samverkan.audit.services import record
from samverkan.members import locking
from samverkan.members.models import Cooperation, Year, year_ids
from samverkan.yearfile.export import export_cooperation, export_year
from samverkan.yearfile.fields import Errors, LoadError, Node
from samverkan.yearfile.load_cooperation import load_cooperation
from samverkan.yearfile.load_year import load_year
from samverkan.yearfile.yamlio import YamlSyntaxError, parse


class LoadFailed(Exception):
    """Nothing was loaded; `errors` says where and why."""

    def __init__(self, errors: list[LoadError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class LoadedFile:
    name: str
    kind: str
    label: str
    changed: bool


@dataclass
class LoadResult:
    files: list[LoadedFile] = field(default_factory=list)


@dataclass
class _Parsed:
    name: str
    text: str
    data: Any
    kind: str


def _read(path: Path, errors: Errors) -> _Parsed | None:
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        errors.add(name, None, "", f"cannot be read: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.add(name, line, "", "is not UTF-8 text")
        return None
    try:
        data = parse(text)
    except YamlSyntaxError as exc:
        errors.add(name, exc.line, "", f"YAML syntax: {exc.message}")
        return None
    if not isinstance(data, dict):
        errors.add(name, 1, "", "expected a mapping with `kind: cooperation` or `kind: year`")
        return None
    kind = data.get("kind")
    if kind not in ("cooperation", "year"):
        line = getattr(data, "key_lines", {}).get("kind", 1)
        errors.add(name, line, "kind", f"must be `cooperation` or `year`, found {kind!r}")
        return None
    return _Parsed(name=name, text=text, data=data, kind=kind)


def _snapshot(parsed: _Parsed) -> str | None:
    """The canonical export of what the file would replace, or None if it does not exist yet."""
    data = parsed.data
    coop = Cooperation.objects.filter(
        slug=data.get("slug" if parsed.kind == "cooperation" else "cooperation")
    ).first()
    if coop is None:
        return None
    if parsed.kind == "cooperation":
        return export_cooperation(coop)
    year = Year.objects.filter(cooperation=coop, year=data.get("year")).first()
    return export_year(year) if year else None


def load_files(paths: list[Path], *, actor: Any = None) -> LoadResult:
    """Load year files and standing files in one transaction.

    Standing files go first. If any file has an error, nothing is stored and
    LoadFailed lists every error with file, line and field. A file whose
    content equals what is stored changes nothing (not even the audit trail).
    A decided or published year can only be replaced after it is reopened.
    """
    errors = Errors()
    parsed = [p for p in (_read(path, errors) for path in paths) if p is not None]
    if errors:
        raise LoadFailed(errors.items)
    parsed.sort(key=lambda p: 0 if p.kind == "cooperation" else 1)
    result = LoadResult()
    with transaction.atomic():
        for item in parsed:
            before = _snapshot(item)
            if before is not None and (
                _same_as_last_load(item, before) or parse(before) == item.data
            ):
                # The file says what is stored: it is the file last loaded and nothing changed
                # since, or the stored data exported and read back equal it. Nothing to write,
                # and no need to rewrite the year to find that out.
                result.files.append(
                    LoadedFile(
                        name=item.name, kind=item.kind, label=_label(item.data), changed=False
                    )
                )
                continue
            savepoint = transaction.savepoint()
            errors_before = len(errors.items)
            root = Node(item.data, file=item.name, path="", line=1, errors=errors)
            if item.kind == "cooperation":
                # Standing data: the gate notes exactly the years each changed record feeds.
                with locking.deferred() as touched:
                    coop = load_cooperation(root)
                label = coop.slug if coop else "?"
                # A file with errors of its own is neither exported nor compared: it will not be
                # stored. Errors of earlier files must not make this one look changed.
                own_errors = len(errors.items) > errors_before
                after = export_cooperation(coop) if coop and not own_errors else None
                year_number = None
                held = locking.lock_years(touched, refuse=False) if before != after else []
            else:
                # A year file rewrites its year whole; its lines feed every later year's opening
                # balances. Those years are held as they stood before the file (the file itself
                # may say `status: published`).
                held = _hold_years_from(item.data)
                with locking.deferred(declared=()):
                    year = load_year(root)
                coop = year.cooperation if year else None
                label = f"{coop.slug} {year.year}" if year and coop else "?"
                own_errors = len(errors.items) > errors_before
                after = export_year(year) if year and not own_errors else None
                year_number = year.year if year else None
            locked = next((y for y in held if y.is_locked), None)
            if locked is not None and before != after and not own_errors:
                root.error(
                    "kind" if item.kind == "cooperation" else "year",
                    f"the change alters {locked.year}, which is {locked.status}; "
                    f"reopen {locked.year} before loading this file",
                )
            changed = before != after
            if not changed and not errors:
                # Identical content: undo the rewrite so that ids and the audit trail stay as they were.
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
            result.files.append(
                LoadedFile(name=item.name, kind=item.kind, label=label, changed=changed)
            )
            if changed and not errors and coop is not None:
                record(
                    actor=actor,
                    action=f"yearfile.load.{item.kind}",
                    cooperation=coop,
                    year=year_number,
                    changes={"sha256": _sha256(item.text), "export_sha256": _sha256(after or "")},
                    message=f"{Path(item.name).name} loaded",
                )
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise LoadFailed(errors.items)
    return result


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _same_as_last_load(item: _Parsed, stored_export: str) -> bool:
    """The file is the one last loaded for this cooperation (and year), and what it loaded
    is still what is stored: the export then was the export now."""
    data = item.data
    slug = data.get("slug") if item.kind == "cooperation" else data.get("cooperation")
    last = (
        AuditEntry.objects.filter(
            cooperation__slug=slug,
            year=data.get("year") if item.kind == "year" else None,
            action=f"yearfile.load.{item.kind}",
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return (
        last is not None
        and last.changes.get("sha256") == _sha256(item.text)
        and last.changes.get("export_sha256") == _sha256(stored_export)
    )


def _label(data: Any) -> str:
    if data.get("kind") == "cooperation":
        return str(data.get("slug"))
    return f"{data.get('cooperation')} {data.get('year')}"


def _hold_years_from(data: Any) -> list[Year]:
    """Hold the year a year file describes and every later year of its cooperation, as stored."""
    coop = Cooperation.objects.filter(slug=data.get("cooperation")).first()
    number = data.get("year")
    if coop is None or not isinstance(number, int):
        return []
    return locking.lock_years(year_ids(coop.pk, year__gte=number), refuse=False)
