"""Export a session's state as JSON and import it back, refusing a bad document whole."""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from .models import MEDIA_TYPES, QueueItem, VaultMedia
from .session import Session

VERSION = 1


class SnapshotError(ValueError):
    """The state document cannot be imported; nothing was changed."""


class MediaState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    type = fields.String(required=True, validate=validate.OneOf(MEDIA_TYPES))
    created_at = fields.String(required=True)
    files = fields.Dict(required=True)
    duration = fields.Integer(allow_none=True, strict=True)
    video_sources = fields.Dict(allow_none=True)
    source = fields.String(load_default="vault")

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> VaultMedia:
        return VaultMedia(**data)


class ItemState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    creator_id = fields.Integer(required=True, strict=True)
    created_at = fields.Float(required=True)
    changed_at = fields.Float(required=True)
    text = fields.String(required=True)
    media_ids = fields.List(fields.Integer(strict=True), required=True)
    preview_ids = fields.List(fields.Integer(strict=True), required=True)
    price = fields.Float(required=True, validate=validate.Range(min=0, max=200))
    locked_text = fields.Boolean(required=True)
    is_markdown = fields.Boolean(required=True)
    is_forwarded = fields.Boolean(required=True)
    giphy_id = fields.String(allow_none=True)
    reply_to_message_id = fields.String(allow_none=True)
    release_forms = fields.Dict(allow_none=True)
    user_tags = fields.List(fields.Integer(strict=True), required=True)
    user_ids = fields.List(fields.Raw(), required=True)
    user_lists = fields.List(fields.Raw(), required=True)
    exclude_user_lists = fields.List(fields.Raw(), required=True)
    subscribed_after = fields.Float(allow_none=True)
    scheduled_at = fields.Float(allow_none=True)
    total = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    view_ratio = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    purchase_ratio = fields.Float(required=True, validate=validate.Range(min=0, max=1))

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> QueueItem:
        for name in ("media_ids", "preview_ids", "user_tags", "user_ids", "user_lists", "exclude_user_lists"):
            data[name] = tuple(data[name])
        return QueueItem(**data)


class CreatorState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, strict=True)
    vault = fields.List(fields.Nested(MediaState), required=True)
    uploads = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.OneOf(MEDIA_TYPES)),
                          required=True)


class StateDocument(Schema):
    class Meta:
        unknown = EXCLUDE

    version = fields.Integer(required=True, validate=validate.Equal(VERSION))
    clock = fields.Dict(required=True)
    next_queue_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    next_media_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    creators = fields.List(fields.Nested(CreatorState), required=True)
    queue = fields.List(fields.Nested(ItemState), required=True)
    credits = fields.Dict(keys=fields.String(), values=fields.Integer(strict=True), required=True)


def export(session: Session) -> dict[str, Any]:
    """The session's changeable state: clock, ids, vaults, unused uploads, queue and credits."""
    with session.lock:
        world = session.world
        return {
            "version": VERSION,
            "seed": session.seed,
            "clock": {"epoch": session.clock.now(), "frozen": session.clock.frozen,
                      "offset": session.clock.now() - time.time()},
            "next_queue_id": world.queue.next_id,
            "next_media_id": world.queue.next_media_id,
            "creators": [{"id": creator.id, "vault": [dataclasses.asdict(media) for media in creator.vault.values()],
                          "uploads": dict(creator.uploads)} for creator in world.creators.values()],
            "queue": [dataclasses.asdict(item) for item in world.queue.items.values()],
            "credits": {key.key: key.credits for key in world.onlyfansapi_keys.values()},
        }


def restore(session: Session, document: Any) -> None:
    """Replace the session's state with ``document``, or raise SnapshotError and change nothing."""
    try:
        loaded = StateDocument().load(document if isinstance(document, dict) else {})
    except ValidationError as error:
        raise SnapshotError(f"invalid state document: {error.messages}") from error
    world = session.world
    creators = {entry["id"]: entry for entry in loaded["creators"]}
    unknown = set(creators) - set(world.creators)
    unknown |= {item.creator_id for item in loaded["queue"]} - set(world.creators)
    if unknown:
        raise SnapshotError(f"invalid state document: unknown creators {sorted(unknown)}")
    if set(loaded["credits"]) - set(world.onlyfansapi_keys):
        raise SnapshotError("invalid state document: credits name unknown keys")
    epoch = loaded["clock"].get("epoch")
    if isinstance(epoch, bool) or not isinstance(epoch, (int, float)):
        raise SnapshotError("invalid state document: clock.epoch must be a number")
    with session.lock:
        for creator_id, entry in creators.items():
            creator = world.creators[creator_id]
            creator.vault = {media.id: media for media in entry["vault"]}
            creator.uploads = dict(entry["uploads"])
        world.queue.items = {item.id: item for item in loaded["queue"]}
        world.queue.next_id = max([loaded["next_queue_id"], *[item.id + 1 for item in loaded["queue"]]])
        world.queue.next_media_id = loaded["next_media_id"]
        for key, credits in loaded["credits"].items():
            world.onlyfansapi_keys[key].credits = credits
        frozen = bool(loaded["clock"].get("frozen"))
        offset = loaded["clock"].get("offset")
        session.clock.freeze(frozen)
        if frozen or not isinstance(offset, (int, float)):
            session.clock.set(float(epoch))
        else:
            session.clock.set(time.time() + offset)


def save(session: Session, path: str | Path) -> None:
    """Write the state to ``path`` atomically: a temporary file in the same folder, then a rename."""
    target = Path(path)
    payload = json.dumps(export(session), ensure_ascii=False)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_file(session: Session, path: str | Path) -> bool:
    """Restore from ``path`` if it exists; return whether it did."""
    target = Path(path)
    if not target.exists():
        return False
    try:
        document = json.loads(target.read_text(encoding="utf-8"))
    except ValueError as error:
        raise SnapshotError(f"state file {target} is not JSON: {error}") from error
    restore(session, document)
    return True
