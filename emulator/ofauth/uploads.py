"""OFAuth's upload flow: ``init``, the single-part PUT, the part PUTs, ``complete`` and ``check``."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from flask import Response
from marshmallow import ValidationError, fields, validates_schema

from ..domain.clock import format_instant
from ..domain.errors import UploadFailed, ValidationFailed
from ..domain.uploads import Upload
from ..http.context import current_session
from ..http.streams import digest_body
from ..http.web import base_url, loaded_body
from ..render.media import vault_media
from .auth import Caller, authenticate, requires
from .blueprint import bp, reply
from .fields import PositiveInteger, Text
from .schemas import Body


class VaultUpload(Body):
    mode = Text(load_default="message")
    userId = Text(min_length=1, allow_none=True, load_default=None)

    @validates_schema
    def message_mode(self, data: dict[str, Any], **kwargs: Any) -> None:
        """``message`` is the only mode the vendor names (and the default)."""
        if data.get("mode", "message") != "message":
            raise ValidationError("Invalid enum value. Expected 'message'", "mode")


class InitUpload(Body):
    """``POST /uploads/init``: the guide's ``size``/``contentType``, or the SDK helper's ``filesize``/``mimeType``."""

    filename = Text(min_length=1, max_length=255, required=True)
    size = PositiveInteger()
    filesize = PositiveInteger()
    contentType = Text(min_length=1)
    mimeType = Text(min_length=1)
    vaultUpload = fields.Nested(VaultUpload, allow_none=True, load_default=None)

    @validates_schema
    def named_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        """The size and the type are required under one of their two names."""
        if "size" not in data and "filesize" not in data:
            raise ValidationError("Required", "size")
        if "contentType" not in data and "mimeType" not in data:
            raise ValidationError("Required", "contentType")


class UploadId(Body):
    mediaUploadId = Text(min_length=1, required=True)


class CheckUpload(Body):
    etag = Text(min_length=1, required=True)
    size = PositiveInteger(required=True)


INIT, UPLOAD_ID, CHECK = InitUpload(), UploadId(), CheckUpload()
PART_NUMBER = re.compile(r"[0-9]{1,6}")


def plan(upload: Upload) -> dict[str, Any]:
    """The guide's answer to ``init``: the part plan with absolute URLs (the colon percent-encoded)."""
    root = base_url()
    base = f"{root}/v2/access/uploads/{quote(upload.id, safe='')}"
    single = upload.total_parts == 1
    parts = []
    for number in range(1, upload.total_parts + 1):
        start, end = upload.part_range(number)
        parts.append({"partNumber": number, "uploadUrl": base if single else f"{base}/parts/{number}",
                      "byteRange": {"start": start, "end": end}})
    answer: dict[str, Any] = {
        "mediaUploadId": upload.id, "uploadType": "single" if single else "multipart",
        "totalParts": upload.total_parts, "partSize": upload.part_size,
        "expiresAt": format_instant(upload.expires_at), "parts": parts}
    if not single:
        answer["completeUrl"] = f"{root}/v2/access/uploads/complete"
    return answer


@bp.post("/v2/access/uploads/init")
@requires("vault:write")
def init_upload(caller: Caller) -> Response:
    """Open an upload session and plan its parts; the SDK helper reads the plan from two headers."""
    data = loaded_body(INIT)
    session = caller.session
    content_type, size = data.get("contentType", data.get("mimeType")), data.get("size", data.get("filesize"))
    upload = session.world.uploads.start(caller.creator, data["filename"], content_type, size, session.clock.now())
    response = reply(plan(upload))
    response.headers["x-ofauth-upload-total-parts"] = str(upload.total_parts)
    response.headers["x-ofauth-upload-part-size"] = str(upload.part_size)
    return response


def _receive(upload_id: str, number: int, single: bool) -> Response:
    """Stream one part in, check it against the plan, then record it (a single part also finishes the upload).

    The session's lock is held to check the caller and the plan, released while the bytes arrive (a slow
    client must not stall the session), and taken again to check and record the part: the upload may have
    changed meanwhile. Byte transfers spend no token from the connection's bucket.
    """
    session = current_session()
    with session.lock:
        caller = authenticate(session, "vault:write", spend=False)
        upload = session.world.uploads.get(caller.creator, upload_id, session.clock.now())
        session.world.uploads.check_target(upload, number, single)
        expected = session.world.uploads.part_length(upload, number)
    length, digest = digest_body(expected)
    with session.lock:
        world, now = session.world, session.clock.now()
        upload = world.uploads.get(caller.creator, upload_id, now)
        world.uploads.check_target(upload, number, single)
        world.uploads.check_length(upload, number, length)
        if single:
            _check_handover(upload)
        etag = world.uploads.receive_part(upload, number, length, digest, now)
        if single:
            return _finish(caller, upload)
        return reply({"mediaUploadId": upload.id, "partNumber": number, "etag": etag})


def _check_handover(upload: Upload) -> None:
    """A vendor event can make handing the file to OnlyFans fail: 502 ``UPLOAD_ERROR``."""
    if upload.fails:
        raise UploadFailed(f"Upload {upload.id} failed while handing the file to OnlyFans. Retry the upload.")


def _finish(caller: Caller, upload: Upload) -> Response:
    """Make the vault item (processing starts now on the clock) and answer with it."""
    world, now = caller.session.world, caller.session.clock.now()
    media = world.uploads.complete(caller.creator, upload, now, world.new_media_id)
    return reply({"mediaUploadId": upload.id, "media": vault_media(media, caller.creator, world.seed, now)})


@bp.put("/v2/access/uploads/<media_upload_id>")
def upload_single_part(media_upload_id: str) -> Response:
    """Receive a whole small file and finish its upload (no ``complete`` call follows)."""
    return _receive(media_upload_id, 1, single=True)


@bp.put("/v2/access/uploads/<media_upload_id>/parts/<part_number>")
def upload_part(media_upload_id: str, part_number: str) -> Response:
    """Receive one part of a multipart upload; sending a part again replaces it."""
    if not PART_NUMBER.fullmatch(part_number):
        raise ValidationFailed({"partNumber": ["Expected a whole number from 1, in ASCII digits."]})
    return _receive(media_upload_id, int(part_number), single=False)


@bp.post("/v2/access/uploads/complete")
@requires("vault:write")
def complete_upload(caller: Caller) -> Response:
    """Finish a multipart upload once every part has arrived."""
    data = loaded_body(UPLOAD_ID)
    world, now = caller.session.world, caller.session.clock.now()
    upload = world.uploads.get(caller.creator, data["mediaUploadId"], now)
    if upload.media_id is None:
        world.uploads.check_target(upload, 1, single=False)  # a single-part upload completes with its PUT
    world.uploads.check_complete(upload)
    _check_handover(upload)
    return _finish(caller, upload)


@bp.post("/v2/access/uploads/check")
@requires("vault:write")
def check_upload(caller: Caller) -> Response:
    """Whether a file with this ETag and size is already in the vault (an unknown one is ``exists: false``)."""
    data = loaded_body(CHECK)
    world, now = caller.session.world, caller.session.clock.now()
    media = world.uploads.find(caller.creator, data["etag"], data["size"])
    if media is None:
        return reply({"exists": False})
    return reply({"exists": True, "media": vault_media(media, caller.creator, world.seed, now)})
