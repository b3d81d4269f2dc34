"""Uploaded SIE files waiting between their preview and their import.

An upload is streamed by the web server to a temporary file (never held in memory), then
kept here under the year, named by its SHA-256, with a small JSON note of its original name
and the objects chosen, until the user imports it or cancels. A file that does not look like
SIE is refused before it is kept. Files older than a day are cleared when a new one arrives.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

from samverkan.members.models import Year

_TOKEN = re.compile(r"[0-9a-f]{64}")
_KEEP_SECONDS = 24 * 3600
_LABELS = (b"#FLAGGA", b"#SIETYP", b"#PROGRAM", b"#VER", b"#KONTO", b"#RAR")


class NotSie(Exception):
    """The file is not a SIE file (its first record does not start with #, or no SIE label
    appears in its beginning)."""


@dataclass(frozen=True, slots=True)
class StagedFile:
    """A kept upload: where it is, its token (the SHA-256) and what the user gave with it."""

    token: str
    path: Path
    name: str
    objects: tuple[str, ...]


def _folder(year: Year) -> Path:
    return Path(settings.SIE_UPLOAD_DIR) / year.cooperation.slug / str(year.year)


def looks_like_sie(head: bytes) -> bool:
    """True when the first bytes read as SIE: the first non-blank character is ``#`` and a
    label of the identification, chart or voucher records appears."""
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return stripped.startswith(b"#") and any(label in head.upper() for label in _LABELS)


def stage(upload: IO[bytes], *, year: Year, name: str, objects: list[str]) -> StagedFile:
    """Keep an uploaded file (read from ``upload`` in chunks) for its preview and import.
    Raises :class:`NotSie` for a file that is not SIE; then nothing is kept."""
    upload.seek(0)
    if not looks_like_sie(upload.read(64 * 1024)):
        raise NotSie(name)
    upload.seek(0)
    folder = _folder(year)
    folder.mkdir(parents=True, exist_ok=True)
    _clear_old(folder)
    digest = hashlib.sha256()
    partial = folder / f".{time.time_ns()}.part"
    with partial.open("wb") as out:
        while chunk := upload.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    token = digest.hexdigest()
    path = folder / f"{token}.se"
    partial.replace(path)
    kept_name = Path(name).name[:200] or "sie.se"
    note = {"name": kept_name, "objects": objects}
    (folder / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return StagedFile(token=token, path=path, name=kept_name, objects=tuple(objects))


def staged(year: Year, token: str) -> StagedFile | None:
    """The kept upload with this token in this year, if it is still there."""
    if not _TOKEN.fullmatch(token):
        return None
    folder = _folder(year)
    path, note_path = folder / f"{token}.se", folder / f"{token}.json"
    if not path.is_file() or not note_path.is_file():
        return None
    note = json.loads(note_path.read_text(encoding="utf-8"))
    return StagedFile(token=token, path=path, name=note["name"], objects=tuple(note["objects"]))


def discard(staged_file: StagedFile) -> None:
    """Remove a kept upload (after its import, or when the user cancels)."""
    staged_file.path.unlink(missing_ok=True)
    staged_file.path.with_suffix(".json").unlink(missing_ok=True)


def _clear_old(folder: Path) -> None:
    limit = time.time() - _KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
