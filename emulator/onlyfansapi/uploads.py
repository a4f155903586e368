"""OnlyFansAPI's uploads: ``POST /media/upload`` (a file, or a ``file_url`` simulated without fetching) and the
async status route."""
from __future__ import annotations

import math
import random
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Response

from ..domain.errors import OutOfCredits, UnsupportedMedia, ValidationFailed
from ..domain.uploads import Upload, media_type_of
from ..http.context import current_session
from ..http.streams import form_files
from ..http.web import base_url, json_body, json_response, this_request
from ..render.media import cdn_upload
from .auth import Caller, authenticate, requires_account
from .blueprint import bp
from .errors import meta_headers

FILE_LIMIT = 100 * 1000**2  # "Maximum file size: 100 MB (limited by Cloudflare)"
URL_LIMIT = 1000**3  # "The maximum file size for both upload methods is 1 GB": reachable through file_url
CREDITS_PER_MB = 3  # "3 credits per MB", decimal, rounded up, at least 1
URL_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif",
             "mp4": "video/mp4", "mov": "video/quicktime", "mp3": "audio/mpeg", "m4a": "audio/mp4"}
KINDS = ("default", "avatar", "header")


def _flag(value: Any) -> bool:
    if value in (True, False):
        return bool(value)
    if value in ("true", "1", 1, "false", "0", 0):
        return value in ("true", "1", 1)
    raise ValidationFailed({"async": ["The :attribute field must be true or false."]})


def _source(fields: dict[str, Any], files: dict[str, Any], seed: int) -> dict[str, Any]:
    """What the request uploads: one file (name, type, size, digest) or one URL; 422 for neither or both.

    A URL is never fetched: its type comes from its extension (a photo when it has none the emulator knows, as
    for URLs in ``mediaFiles``), its size is drawn from the seed and the URL.
    """
    has_file, url = "file" in files, fields.get("file_url")
    if has_file == bool(url):
        raise ValidationFailed({"file": ["Provide exactly one of file or file_url."]})
    kind = fields.get("type") or "default"
    if kind not in KINDS:
        raise ValidationFailed({"type": ["The selected :attribute is invalid."]})
    if has_file:
        filename, content_type, sink = files["file"]
        return {"filename": filename or "upload", "content_type": content_type, "size": sink.length,
                "digest": sink.md5.hexdigest(), "limit": FILE_LIMIT}
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ValidationFailed({"file_url": ["The :attribute field must be a valid URL."]})
    filename = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "upload"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    drawn = random.Random(f"{seed}:file_url:{url}")
    size, digest = drawn.randint(200_000, 20_000_000), f"{drawn.getrandbits(128):032x}"
    return {"filename": filename, "content_type": URL_TYPES.get(extension, "image/jpeg"), "size": size,
            "digest": digest, "limit": URL_LIMIT}


def _read() -> tuple[dict[str, Any], dict[str, Any], bool]:
    """The upload's fields and files, from a multipart form or a JSON body, and whether it is async."""
    current = this_request()
    if current.mimetype == "multipart/form-data":
        fields, files = form_files(FILE_LIMIT + 1024 * 1024)
    else:
        fields, files = json_body(), {}
    wanted = fields.get("async", current.args.get("async", False))
    return fields, files, _flag(wanted)


@bp.post("/<account>/media/upload")
def upload_media(account: str) -> Response:
    """Upload a file for one use in a message; ``async`` answers 202 at once with a polling URL.

    The file streams in without the session's lock (a slow client must not stall the session); the caller is
    checked before and the upload recorded after, each under the lock.
    """
    session = current_session()
    with session.lock:
        caller = authenticate(session, account)
    fields, files, in_background = _read()
    source = _source(fields, files, session.world.seed)
    try:
        media_type_of(source["content_type"])
    except UnsupportedMedia as error:
        raise ValidationFailed({"file": [f"The :attribute must be a photo, video or audio file: {error}"]}) from error
    with session.lock:
        return _record(caller, source, in_background)


def _record(caller: Caller, source: dict[str, Any], in_background: bool) -> Response:
    """Charge the upload, make its (not yet listed) vault item, and answer as the vendor does."""
    cost = max(1, math.ceil(source["size"] * CREDITS_PER_MB / 1000**2))
    if caller.key.credits < cost:
        raise OutOfCredits(f"This upload costs {cost} credits; the balance is {caller.key.credits}.")
    world, now = caller.session.world, caller.session.clock.now()
    upload = world.uploads.start(caller.creator, source["filename"], source["content_type"], source["size"], now,
                                 prefix="ofapi_media", part_size=max(1, source["size"]), limit=source["limit"])
    world.uploads.receive_part(upload, 1, source["size"], source["digest"], now)
    media = world.uploads.complete(caller.creator, upload, now, world.new_media_id, folder="messages", source="cdn")
    caller.key.credits -= cost
    upload.credits = cost
    if in_background:
        polling = f"{base_url()}/api/{caller.account.id}/media/uploads/{upload.id}/status"
        return json_response({"status": "pending", "prefixed_id": upload.id, "polling_url": polling}, 202,
                             meta_headers(used=cost))
    return json_response(cdn_upload(upload.id, upload.filename, media, caller.creator), 200, meta_headers(used=cost))


def _status(caller: Caller, upload: Upload) -> dict[str, Any]:
    world, now = caller.session.world, caller.session.clock.now()
    status = world.uploads.status(caller.creator, upload, now)
    answer: dict[str, Any] = {"status": status, "prefixed_id": upload.id}
    if status == "failed":
        answer["error"] = "OnlyFans could not process the file."
    elif status == "completed":
        media = caller.creator.vault[upload.media_id]  # type: ignore[index]
        answer.update(credits_used=upload.credits, media=cdn_upload(upload.id, upload.filename, media, caller.creator))
    return answer


@bp.get("/<account>/media/uploads/<upload>/status")
@requires_account
def get_upload_status(caller: Caller, upload: str) -> Response:
    """Where an upload is: pending, processing, completed (with its media) or failed. Free: no credit."""
    world = caller.session.world
    found = world.uploads.get(caller.creator, upload, caller.session.clock.now())
    return json_response(_status(caller, found), 200, meta_headers(used=0))
