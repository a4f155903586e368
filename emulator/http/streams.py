"""Request bodies that are files: read in chunks, counted and digested, never held whole."""
from __future__ import annotations

import hashlib

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from ..domain.errors import FileTooLarge

CHUNK = 256 * 1024
STREAMED = "emulator.streamed_body"  # the journal records this size instead of re-reading the body


def digest_body(limit: int) -> tuple[int, str]:
    """Read the body in chunks up to ``limit`` bytes; return its length and MD5 (hex). FileTooLarge beyond."""
    if request.content_length is not None and request.content_length > limit:
        raise FileTooLarge(f"The body is {request.content_length} bytes; this upload takes at most {limit}.")
    request.max_content_length = limit + 1
    digest, length = hashlib.md5(), 0
    try:
        stream = request.stream
        while chunk := stream.read(CHUNK):
            length += len(chunk)
            if length > limit:
                raise FileTooLarge(f"The body is longer than the {limit} bytes this upload takes.")
            digest.update(chunk)
    except RequestEntityTooLarge as error:
        raise FileTooLarge(f"The body is longer than the {limit} bytes this upload takes.") from error
    finally:
        request.environ[STREAMED] = length
    return length, digest.hexdigest()
