"""Loading and exporting year files as services: all or nothing, audited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from django.db import transaction

from samverkan.audit.models import AuditEntry
from samverkan.audit.services import Actor, record
from samverkan.members import locking
from samverkan.members.models import Cooperation, Year, YearText, year_ids
from samverkan.plan.models import SubGoal
from samverkan.projects.models import Project
from samverkan.yearfile import schema
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
    sha256: str
    data: Any = None
    kind: str = ""
    # The load of this very file that the audit trail holds, if any (see `_still_as_loaded`).
    last_load: AuditEntry | None = None


def _read(path: Path, errors: Errors) -> _Parsed | None:
    """The file's text; parsed unless it is a year file loaded before (that may need no parse)."""
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
    errors.source(name, text)
    item = _Parsed(name=name, text=text, sha256=hashlib.sha256(raw).hexdigest())
    item.last_load = (
        AuditEntry.objects.filter(action="yearfile.load.year", changes__sha256=item.sha256)
        .select_related("cooperation")
        .order_by("-id")
        .first()
    )
    if item.last_load is not None:
        item.kind = "year"
        return item
    return item if _parse(item, errors) else None


def _parse(item: _Parsed, errors: Errors) -> bool:
    name = item.name
    try:
        data = parse(item.text)
    except YamlSyntaxError as exc:
        errors.add(name, exc.line, "", f"YAML syntax: {exc.message}")
        return False
    if not isinstance(data, dict):
        errors.add(name, 1, "", "expected a mapping with `kind: cooperation` or `kind: year`")
        return False
    kind = data.get("kind")
    if kind not in ("cooperation", "year"):
        errors.add(
            name,
            None,
            "kind",
            f"must be `cooperation` or `year`, found {kind!r}",
            at=("kind",) if "kind" in data else (),
        )
        return False
    item.data, item.kind = data, kind
    return True


def _still_as_loaded(item: _Parsed) -> str | None:
    """The year's label if the year file is the one last loaded and the year still holds
    what it loaded; None otherwise.

    Answered without parsing the file: its hash names the load in the audit trail, and
    the year's stored records are compared with the fingerprint taken then. A change of
    standing data since (a renamed slug shows in the file) sends the file the long way.
    """
    entry = item.last_load
    if entry is None or entry.cooperation is None or entry.year is None:
        return None
    year = Year.objects.filter(cooperation=entry.cooperation, year=entry.year).first()
    if year is None or entry.changes.get("fingerprint") != fingerprint(year):
        return None
    standing_changed = (
        AuditEntry.objects.filter(cooperation=entry.cooperation, year=None, id__gt=entry.id)
        .exclude(action__startswith="accounts.")
        .exists()
    )
    return None if standing_changed else f"{entry.cooperation.slug} {entry.year}"


def fingerprint(year: Year) -> str:
    """A hash of everything the year's file holds, as stored: its row and every record of it.

    Cheaper than an export (no YAML, no slugs): the rows' values in id order, table by
    table, for the models the year file's records are declared on (`schema`).
    """
    digest = hashlib.sha256()
    models: list[Any] = [Year, YearText, SubGoal, Project]  # a project, where it starts
    for declared in schema.YEAR_RECORDS:
        if declared.model not in models:
            models.append(declared.model)
    for model in models:
        rows = (
            model._base_manager.filter(pk=year.pk)
            if model is Year
            else model._base_manager.filter(**{model.year_path: year})
        )
        fields = [f.attname for f in model._meta.concrete_fields]
        digest.update(model._meta.label.encode())
        for row in rows.order_by("pk").values_list(*fields).iterator(chunk_size=5000):
            digest.update(repr(row).encode())
    for declared in schema.YEAR_RECORDS:
        for many in declared.fields:
            if many.kind != "refs":
                continue
            relation = getattr(declared.model, many.attr)
            source = relation.field.m2m_field_name()
            target = relation.field.m2m_reverse_field_name()
            digest.update(f"{declared.model._meta.label}.{many.attr}".encode())
            links = relation.through._base_manager.filter(
                **{f"{source}__{cast(Any, declared.model).year_path}": year}
            ).order_by("pk")
            for row in links.values_list("pk", f"{source}_id", f"{target}_id").iterator(
                chunk_size=5000
            ):
                digest.update(repr(row).encode())
    return digest.hexdigest()


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


def load_files(paths: list[Path], *, actor: Actor = None) -> LoadResult:
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
            if item.last_load is not None:
                unchanged = _still_as_loaded(item)
                if unchanged is not None:
                    # The file last loaded, and nothing it holds has changed since: nothing to
                    # write, and no need to read the file to find that out.
                    result.files.append(
                        LoadedFile(name=item.name, kind=item.kind, label=unchanged, changed=False)
                    )
                    continue
                if not _parse(item, errors):
                    continue
            before = _snapshot(item)
            if before is not None and (
                (item.kind == "cooperation" and _same_as_last_load(item, before))
                or parse(before) == item.data
            ):
                # The file says what is stored: nothing to write, and no need to rewrite the
                # year to find that out.
                result.files.append(
                    LoadedFile(
                        name=item.name, kind=item.kind, label=_label(item.data), changed=False
                    )
                )
                continue
            savepoint = transaction.savepoint()
            errors_before = len(errors)
            root = Node(item.data, file=item.name, path="", at=(), errors=errors)
            year: Year | None = None
            if item.kind == "cooperation":
                # Standing data: the gate notes exactly the years each changed record feeds.
                with locking.deferred() as touched:
                    coop = load_cooperation(root)
                label = coop.slug if coop else "?"
                # A file with errors of its own is neither exported nor compared: it will not be
                # stored. Errors of earlier files must not make this one look changed.
                own_errors = len(errors) > errors_before
                after = export_cooperation(coop) if coop and not own_errors else None
                year_number = None
                changed = before != after
                held = locking.lock_years(touched, refuse=False) if changed else []
            else:
                # A year file rewrites its year whole; its lines feed every later year's opening
                # balances. Those years are held as they stood before the file.
                held = _hold_years_from(item.data)
                with locking.deferred(declared=()):
                    year = load_year(root)
                coop = year.cooperation if year else None
                label = f"{coop.slug} {year.year}" if year and coop else "?"
                own_errors = len(errors) > errors_before
                # A new year is a change; an existing one is compared with what it held.
                after = (
                    export_year(year) if year and before is not None and not own_errors else None
                )
                year_number = year.year if year else None
                changed = before is None or before != after
            locked = next((y for y in held if y.is_locked), None)
            if locked is not None and changed and not own_errors:
                root.error(
                    "kind" if item.kind == "cooperation" else "year",
                    f"the change alters {locked.year}, which is {locked.status}; "
                    f"reopen {locked.year} before loading this file",
                )
            if not changed and not errors:
                # Identical content: undo the rewrite so that ids and the audit trail stay as they were.
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
            result.files.append(
                LoadedFile(name=item.name, kind=item.kind, label=label, changed=changed)
            )
            if changed and not errors and coop is not None:
                changes = {"sha256": item.sha256}
                if year is not None:
                    changes["fingerprint"] = fingerprint(year)
                else:
                    changes["export_sha256"] = _sha256(after or "")
                record(
                    actor=actor,
                    action=f"yearfile.load.{item.kind}",
                    cooperation=coop,
                    year=year_number,
                    changes=changes,
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
    """The standing file is the one last loaded for its cooperation, and what it loaded
    is still what is stored: the export then was the export now."""
    data = item.data
    slug = data.get("slug") if item.kind == "cooperation" else data.get("cooperation")
    last = (
        AuditEntry.objects.filter(
            cooperation__slug=slug,
            year=None,
            action="yearfile.load.cooperation",
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return (
        last is not None
        and last.changes.get("sha256") == item.sha256
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
