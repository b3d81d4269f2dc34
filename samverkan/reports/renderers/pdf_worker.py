"""The Typst compile of one PDF, in a process of its own (run as a script by `pdf.py`).

Why a process: Typst keeps its layout cache for the life of a process, and a
long-lived web server or task worker grew past a gigabyte after a few large
reports. A process per PDF gives all of it back when the PDF is done.

Why two steps: the year file (the PDF's attachment) takes as long to export
as the layout takes. The parent sends the document first; this process lays
it out while the parent exports, then compiles again with the attachments,
reusing the cached layout (a fraction of the first compile's time).

Protocol, over standard input and output, pickled (both ends are this program):
1. parent -> worker: {"files": {name: bytes}, "options": {...}, "more": bool}
2. if "more": parent -> worker: {name: bytes} (the attachments' files)
3. worker -> parent: ("pdf", bytes) or ("error", message, hints)

The script imports nothing of the project (no Django), so it starts fast.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from typing import Any


def main() -> None:
    import typst

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    request: dict[str, Any] = pickle.load(source)
    files: dict[str, bytes] = request["files"]
    options: dict[str, Any] = request["options"]
    if request.get("more"):
        # The layout, cached for the compile below; an error is reported by that compile.
        with contextlib.suppress(typst.TypstError):
            typst.compile(files, **options)
        files.update(pickle.load(source))
    try:
        result: tuple[Any, ...] = ("pdf", typst.compile(files, **options))
    except typst.TypstError as error:
        result = ("error", error.message, list(error.hints))
    pickle.dump(result, sink)
    sink.flush()


if __name__ == "__main__":
    main()
