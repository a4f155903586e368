"""Request bodies that are files: read in chunks, counted and digested, never held whole."""
from __future__ import annotations

import hashlib

from werkzeug.exceptions import RequestEntityTooLarge

from ..domain.errors import FileTooLarge
from .web import this_request

CHUNK = 256 * 1024
STREAMED = "emulator.streamed_body"  # the journal records this size instead of re-reading the body


def digest_body(limit: int) -> tuple[int, str]:
    """Read the body in chunks up to ``limit`` bytes; return its length and MD5 (hex). FileTooLarge beyond."""
    current = this_request()
    if current.content_length is not None and current.content_length > limit:
        raise FileTooLarge(f"The body is {current.content_length} bytes; this upload takes at most {limit}.")
    current.max_content_length = limit + 1
    digest, length = hashlib.md5(), 0
    try:
        stream = current.stream
        while chunk := stream.read(CHUNK):
            length += len(chunk)
            if length > limit:
                raise FileTooLarge(f"The body is longer than the {limit} bytes this upload takes.")
            digest.update(chunk)
    except RequestEntityTooLarge as error:
        raise FileTooLarge(f"The body is longer than the {limit} bytes this upload takes.") from error
    finally:
        current.environ[STREAMED] = length
    return length, digest.hexdigest()


class DigestSink:
    """Where Werkzeug's form parser writes an uploaded file: it keeps the length and an MD5, not the bytes."""

    def __init__(self) -> None:
        self.md5 = hashlib.md5()
        self.length = 0

    def write(self, data: bytes) -> int:
        """Count and digest a chunk."""
        self.md5.update(data)
        self.length += len(data)
        return len(data)

    def seek(self, *args: object) -> int:
        """Nothing to rewind to."""
        return 0

    def read(self, *args: object) -> bytes:
        """The bytes are gone."""
        return b""

    def tell(self) -> int:
        """How many bytes went by."""
        return self.length

    def flush(self) -> None:
        """Nothing is buffered."""

    def close(self) -> None:
        """Nothing to release."""


def form_files(limit: int) -> tuple[dict[str, str], dict[str, tuple[str, str, DigestSink]]]:
    """Parse a ``multipart/form-data`` body of at most ``limit`` bytes: its text fields, and each file part as
    ``(filename, content type, DigestSink)``. FileTooLarge beyond the limit."""
    current = this_request()
    if current.content_length is not None and current.content_length > limit:
        raise FileTooLarge(f"The body is {current.content_length} bytes; uploads take at most {limit}.")
    current.max_content_length = limit + 1
    current._get_file_stream = lambda *args, **kwargs: DigestSink()  # each file part streams into a sink
    try:
        form, files = current.form.to_dict(), current.files
    except RequestEntityTooLarge as error:
        raise FileTooLarge(f"The body is longer than the {limit} bytes uploads take.") from error
    parts = {name: (part.filename or "", part.mimetype, part.stream) for name, part in files.items()}
    current.environ[STREAMED] = sum(sink.length for _, _, sink in parts.values())
    return form, parts  # type: ignore[return-value]
