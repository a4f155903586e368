"""Uploads: a file received in parts (kept as sizes and digests, never bytes) that becomes a vault item."""
from __future__ import annotations

import hashlib
import math
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from .clock import format_instant
from .errors import (
    BadRequest,
    FileTooLarge,
    MediaNotFound,
    UnsupportedMedia,
    ValidationFailed,
)
from .fakes import Fakes
from .models import Creator, VaultMedia
from .vault import MAX_VAULT, add_media

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_FILENAME = 255
PART_SIZE = 5 * 1024 * 1024  # the guide's example plan: 5 MiB parts
LIFETIME = 24 * 3600  # "Upload sessions expire after a period of inactivity"; the guide's example is about a day
MAX_OPEN = 1000  # upload sessions one world keeps at once; the oldest expired ones go first
CONTENT_TYPES = {"image/jpeg": "photo", "image/jpg": "photo", "image/png": "photo", "image/webp": "photo",
                 "image/gif": "gif", "video/mp4": "video", "video/quicktime": "video", "audio/mpeg": "audio",
                 "audio/mp3": "audio", "audio/mp4": "audio", "audio/x-m4a": "audio", "audio/m4a": "audio"}
SIZE_LIMITS = {"photo": 50 * 1000**2, "gif": 50 * 1000**2, "audio": 50 * 1000**2, "video": 5 * 1000**3}
PROCESSING = {"photo": 2.0, "gif": 4.0, "audio": 4.0, "video": 10.0}  # seconds before any bytes are counted
PROCESSING_RATE = 10 * 1000**2  # bytes a second the converter gets through


@dataclass(slots=True)
class Upload:
    """One upload session: what was promised, what arrived (lengths and digests), and the vault item it made."""

    id: str
    creator_id: int
    filename: str
    content_type: str
    media_type: str
    size: int
    part_size: int
    created_at: float
    expires_at: float
    parts: dict[int, tuple[int, str]] = field(default_factory=dict)
    media_id: int | None = None
    fails: bool = False
    credits: int = 0

    @property
    def total_parts(self) -> int:
        """How many parts the file arrives in (1 for a single-part upload)."""
        return max(1, math.ceil(self.size / self.part_size))

    def part_range(self, number: int) -> tuple[int, int]:
        """The inclusive byte range of part ``number`` (from 1)."""
        start = (number - 1) * self.part_size
        return start, min(start + self.part_size, self.size) - 1

    @property
    def etag(self) -> str:
        """The whole file's digest: of its one part, or S3's digest of the part digests with the count."""
        if len(self.parts) == 1:
            return f'"{self.parts[1][1]}"'
        joined = hashlib.md5(b"".join(bytes.fromhex(self.parts[n][1]) for n in sorted(self.parts)))
        return f'"{joined.hexdigest()}-{len(self.parts)}"'


def media_type_of(content_type: str) -> str:
    """The vault type of a MIME type, or UnsupportedMedia."""
    media_type = CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    if media_type is None:
        raise UnsupportedMedia(f"Unsupported file type {content_type!r}: upload JPEG, PNG, GIF, WebP, MP4, MOV, "
                               "MP3 or M4A.")
    return media_type


def processing_seconds(media: VaultMedia, size: int) -> float:
    """How long the converter takes over a file: a fixed start plus its bytes at PROCESSING_RATE."""
    return PROCESSING[media.type] + size / PROCESSING_RATE


class Uploads:
    """Every open and finished upload of a world, by id, with ids drawn from the seed."""

    def __init__(self, fakes: Fakes, seed: int, limit: int = MAX_OPEN) -> None:
        self.fakes = fakes
        self.limit = limit
        self._rng = random.Random(f"{seed}:uploads")
        self.items: dict[str, Upload] = {}
        self.fail_next = False

    def new_id(self, prefix: str) -> str:
        """A fresh reference: ``upload:<uuid>`` (OFAuth) or ``ofapi_media_<32 hex>`` (OnlyFansAPI)."""
        if prefix == "upload":
            return f"upload:{uuid.UUID(int=self._rng.getrandbits(128), version=4)}"
        return f"ofapi_media_{self._rng.getrandbits(128):032x}"

    def start(self, creator: Creator, filename: str, content_type: str, size: int, now: float,
              prefix: str = "upload", part_size: int = PART_SIZE, limit: int | None = None) -> Upload:
        """Open an upload session after checking the file's type and size (``limit``, else the type's own);
        the caller sends its bytes next."""
        if not 0 < len(filename) <= MAX_FILENAME or CONTROL.search(filename):
            rule = f"A file name is 1-{MAX_FILENAME} characters, without control or direction-changing characters."
            raise ValidationFailed({"filename": [rule]})
        media_type = media_type_of(content_type)
        limit = SIZE_LIMITS[media_type] if limit is None else limit
        if size > limit:
            raise FileTooLarge(f"File too large: this {media_type} may be at most {limit} bytes.")
        if len(creator.vault) >= MAX_VAULT:
            raise BadRequest(f"This creator's vault holds {MAX_VAULT} media, the emulator's limit.")
        self._make_room(now)
        upload = Upload(self.new_id(prefix), creator.id, filename, content_type, media_type, size,
                        part_size, now, now + LIFETIME, fails=self.fail_next)
        self.fail_next = False
        self.items[upload.id] = upload
        return upload

    def _make_room(self, now: float) -> None:
        """Forget the expired uploads, then the one idle longest when still full: the items are kept in order of
        expiry (a part moves its upload to the end), so only those forgotten are looked at."""
        while self.items:
            first = next(iter(self.items.values()))
            if first.expires_at > now:
                break
            del self.items[first.id]
        if len(self.items) >= self.limit:
            oldest = next(iter(self.items))
            del self.items[oldest]

    def get(self, creator: Creator, upload_id: str, now: float) -> Upload:
        """The creator's unexpired upload, or MediaNotFound."""
        upload = self.items.get(upload_id)
        if upload is None or upload.creator_id != creator.id or upload.expires_at <= now:
            raise MediaNotFound(f"Upload {upload_id[:80]!r} not found or expired.")
        return upload

    def check_target(self, upload: Upload, number: int, single: bool) -> None:
        """Refuse a part the plan does not have, or one sent to a finished upload, before reading it."""
        if upload.media_id is not None:
            raise BadRequest(f"Upload {upload.id} is already complete.")
        if single != (upload.total_parts == 1):
            how = "the single PUT" if upload.total_parts == 1 else "the part PUTs, then complete"
            raise BadRequest(f"Upload {upload.id} is planned in {upload.total_parts} part(s): use {how}.")
        if not 1 <= number <= upload.total_parts:
            raise ValidationFailed({"partNumber": [f"Part {number} is outside 1-{upload.total_parts}."]})

    def part_length(self, upload: Upload, number: int) -> int:
        """How many bytes part ``number`` holds."""
        start, end = upload.part_range(number)
        return end - start + 1

    def check_length(self, upload: Upload, number: int, length: int) -> None:
        """Refuse a part of the wrong length (every part but the last is exactly ``part_size``)."""
        expected = self.part_length(upload, number)
        if length != expected:
            raise ValidationFailed({"body": [f"Part {number} must be {expected} bytes, got {length}."]})

    def receive_part(self, upload: Upload, number: int, length: int, digest: str, now: float) -> str:
        """Record a checked part (a re-sent part replaces the first); return its ETag."""
        upload.parts[number] = (length, digest)
        upload.expires_at = now + LIFETIME
        self.items[upload.id] = self.items.pop(upload.id)  # the items stay in order of expiry
        return f'"{digest}"'

    def check_complete(self, upload: Upload) -> None:
        """Refuse to finish an upload twice, or with parts missing."""
        if upload.media_id is not None:
            raise BadRequest(f"Upload {upload.id} is already complete.")
        missing = [n for n in range(1, upload.total_parts + 1) if n not in upload.parts]
        if missing:
            raise ValidationFailed({"mediaUploadId": [f"Upload {upload.id} is missing parts {missing[:20]}."]})

    def complete(self, creator: Creator, upload: Upload, now: float, new_id: Callable[[], int],
                 folder: str = "media_stickers", source: str = "upload") -> VaultMedia:
        """Turn an upload with every part into a vault item that finishes processing later on the clock
        (``source="cdn"``: kept out of vault listings until a message uses it)."""
        self.check_complete(upload)
        media = self.fakes.vault_media(new_id(), upload.media_type, created_at=format_instant(now), source=source)
        media.filename = upload.filename
        media.files["full"]["size"] = upload.size
        media.ready_at = now + processing_seconds(media, upload.size)
        media.has_error = upload.fails
        add_media(creator, media, folder)
        upload.media_id = media.id
        creator.uploads[upload.id] = media.id
        return media

    def fail(self, creator: Creator | None, upload_id: str) -> None:
        """Make an upload fail processing: the next one to start, one still open, or a finished one's media."""
        if upload_id == "next":
            self.fail_next = True
            return
        upload = self.items[upload_id]
        upload.fails = True
        if creator is not None and upload.media_id in creator.vault:
            creator.vault[upload.media_id].has_error = True  # type: ignore[index]

    def stage(self, creator: Creator, upload: Upload, now: float) -> str:
        """Where an upload is, for the dashboard: receiving its parts, processing, ready or failed."""
        media = creator.vault.get(upload.media_id) if upload.media_id is not None else None
        if media is None:
            return "failed" if upload.fails and len(upload.parts) == upload.total_parts else "receiving"
        if media.has_error:
            return "failed"
        return "processing" if now < media.ready_at else "ready"

    def status(self, creator: Creator, upload: Upload, now: float) -> str:
        """OnlyFansAPI's upload status: pending for its first second, processing, then completed or failed."""
        media = creator.vault.get(upload.media_id) if upload.media_id is not None else None
        if media is None or now < upload.created_at + 1:
            return "pending"
        if now < media.ready_at:
            return "processing"
        return "failed" if media.has_error else "completed"

    def find(self, creator: Creator, etag: str, size: int) -> VaultMedia | None:
        """The vault item of a finished upload with that ETag and size (``/uploads/check``)."""
        for upload in self.items.values():
            if (upload.creator_id == creator.id and upload.media_id is not None and upload.size == size
                    and etag.strip('"') == upload.etag.strip('"')):
                return creator.vault.get(upload.media_id)
        return None
