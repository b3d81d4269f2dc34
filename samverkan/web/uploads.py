"""Uploads go to a temporary file as they arrive, and stop at the size limit (settings.UPLOAD_MAX_BYTES)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler for every upload, whatever its size, with a limit.

    A file over the limit is dropped while it streams in and the request is
    marked (`upload_too_large`), so that the view can say why no file arrived.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.file.close()
            mark_too_large(self.request)
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def mark_too_large(request: HttpRequest | None) -> None:
    if request is not None:
        request.upload_too_large = True  # type: ignore[attr-defined]


def upload_too_large(request: HttpRequest) -> bool:
    return bool(getattr(request, "upload_too_large", False))
