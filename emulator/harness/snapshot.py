"""Export a session's state as JSON and import it back, refusing a bad document whole."""
from __future__ import annotations

import dataclasses
import functools
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from ..domain import audience, jsongate
from ..domain.clock import EARLIEST, LATEST, OutOfRange, check_instant
from ..domain.fixtures import SYSTEM_LISTS
from ..domain.models import (
    MEDIA_TYPES,
    Creator,
    QueueItem,
    UserList,
    VaultFolder,
    VaultMedia,
)
from ..domain.people import Discount
from ..domain.queue import MAX_ID
from ..domain.world import World
from .session import Session

VERSION = 1
ID = validate.Range(min=1, max=MAX_ID)
INSTANT = validate.Range(min=EARLIEST, max=LATEST, max_inclusive=False,
                         error="must be an instant from 1970-01-01 to 9999-01-01 (epoch seconds)")


HEX = r"^[0-9a-f]{1,2000000}$"  # a bitmap of fans, bit i = fan i (8 million fans at most)


class SnapshotError(ValueError):
    """The state document cannot be imported; nothing was changed."""


class Reference(fields.Field):
    """A list or user reference as the queue keeps it: a positive 64-bit integer or a non-empty string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, str) and value:
            return value
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
            return value
        raise ValidationError("must be a positive integer or a non-empty string")


class ReleaseFormsState(Schema):
    class Meta:
        unknown = EXCLUDE

    users = fields.List(fields.Integer(strict=True, validate=ID), load_default=list)
    partners = fields.List(fields.Integer(strict=True, validate=ID), load_default=list)
    guests = fields.List(fields.Integer(strict=True, validate=ID), load_default=list)


class MediaState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, strict=True, validate=ID)
    type = fields.String(required=True, validate=validate.OneOf(MEDIA_TYPES))
    created_at = fields.String(required=True)
    files = fields.Dict(required=True)
    duration = fields.Integer(allow_none=True, strict=True)
    video_sources = fields.Dict(allow_none=True)
    source = fields.String(load_default="vault")
    ready_at = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=LATEST))
    has_error = fields.Boolean(load_default=False, truthy={True}, falsy={False})
    filename = fields.String(allow_none=True, load_default=None)

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> VaultMedia:
        return VaultMedia(**data)


class FolderState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, strict=True, validate=ID)
    type = fields.String(required=True)
    name = fields.String(required=True)
    media = fields.List(fields.Integer(strict=True, validate=ID), required=True)

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> VaultFolder:
        return VaultFolder(data["id"], data["type"], data["name"], dict.fromkeys(data["media"]))


class Upload(fields.Field):
    """An unused upload reference's target: a media type (fixture references) or the id of its vault item."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | str:
        if value in MEDIA_TYPES or (isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID):
            return value
        raise ValidationError("must be a media type or a vault media id")


class ItemState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, strict=True, validate=ID)
    creator_id = fields.Integer(required=True, strict=True)
    created_at = fields.Float(required=True, validate=INSTANT)
    changed_at = fields.Float(required=True, validate=INSTANT)
    text = fields.String(required=True)
    raw_text = fields.String(allow_none=True, load_default=None)
    media_ids = fields.List(fields.Integer(strict=True, validate=ID), required=True)
    preview_ids = fields.List(fields.Integer(strict=True, validate=ID), required=True)
    price = fields.Float(required=True, validate=validate.Range(min=0, max=200))
    locked_text = fields.Boolean(required=True, truthy={True}, falsy={False})
    is_markdown = fields.Boolean(required=True, truthy={True}, falsy={False})
    is_forwarded = fields.Boolean(required=True, truthy={True}, falsy={False})
    giphy_id = fields.String(allow_none=True)
    reply_to_message_id = fields.String(allow_none=True)
    release_forms = fields.Nested(ReleaseFormsState, allow_none=True)
    user_tags = fields.List(fields.Integer(strict=True, validate=ID), required=True)
    user_ids = fields.List(Reference(), required=True)
    user_lists = fields.List(Reference(), required=True)
    exclude_user_lists = fields.List(Reference(), required=True)
    subscribed_after = fields.Float(allow_none=True, validate=INSTANT)
    subscribed_within_days = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0, max=36500))
    scheduled_at = fields.Float(allow_none=True, validate=INSTANT)
    media_ready_at = fields.Float(allow_none=True, load_default=None, validate=INSTANT)
    failed_at = fields.Float(allow_none=True, load_default=None, validate=INSTANT)
    saved = fields.Boolean(load_default=False, truthy={True}, falsy={False})
    total = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    audience = fields.String(load_default=None, validate=validate.Regexp(HEX))
    view_ratio = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    purchase_ratio = fields.Float(required=True, validate=validate.Range(min=0, max=1))

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> QueueItem:
        for name in ("media_ids", "preview_ids", "user_tags", "user_ids", "user_lists", "exclude_user_lists"):
            data[name] = tuple(data[name])
        hexed = data.pop("audience")
        item = QueueItem(**data)
        item.audience = -1 if hexed is None else int(hexed, 16)  # -1: resolved from the lists once restored
        return item


class DiscountState(Schema):
    class Meta:
        unknown = EXCLUDE

    percent = fields.Integer(required=True, strict=True, validate=validate.Range(min=5, max=60))
    months = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=12))
    started_at = fields.Float(required=True, validate=INSTANT)

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> Discount:
        return Discount(**data)


class SubscribersState(Schema):
    """What the creator set on single fans, by user id: notes, custom names, discounts."""

    class Meta:
        unknown = EXCLUDE

    notices = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.Length(max=1000)),
                          load_default=dict)
    display_names = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.Length(min=1, max=100)),
                                load_default=dict)
    discounts = fields.Dict(keys=fields.String(), values=fields.Nested(DiscountState), load_default=dict)


class UserListState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = Reference(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.OneOf(("custom", *SYSTEM_LISTS)))
    members = fields.String(required=True, validate=validate.Regexp(HEX))
    pinned = fields.String(load_default="0", validate=validate.Regexp(HEX))
    pinned_to_feed = fields.Boolean(load_default=False, truthy={True}, falsy={False})

    @post_load
    def build(self, data: dict[str, Any], **kwargs: Any) -> UserList:
        data["members"] = int(data["members"], 16)
        data["pinned"] = int(data["pinned"], 16) & data["members"]
        return UserList(**data)


class CreatorState(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, strict=True)
    vault = fields.List(fields.Nested(MediaState), required=True)
    uploads = fields.Dict(keys=fields.String(), values=Upload(), required=True)
    vault_lists = fields.List(fields.Nested(FolderState), load_default=None)
    user_lists = fields.List(fields.Nested(UserListState), load_default=None)
    next_list_id = fields.Integer(strict=True, load_default=None, validate=ID)
    subscribers = fields.Nested(SubscribersState, load_default=None)


class StateDocument(Schema):
    class Meta:
        unknown = EXCLUDE

    version = fields.Integer(required=True, validate=validate.Equal(VERSION))
    seed = fields.Integer(strict=True, load_default=None, validate=validate.Range(-(2**63), 2**63 - 1))
    clock = fields.Dict(required=True)
    next_queue_id = fields.Integer(required=True, strict=True, validate=ID)
    next_media_id = fields.Integer(required=True, strict=True, validate=ID)
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
            "creators": [{"id": creator.id, "vault": [_fields(media) for media in creator.vault.values()],
                          "uploads": dict(creator.uploads),
                          "vault_lists": [{"id": folder.id, "type": folder.type, "name": folder.name,
                                           "media": list(folder.media)} for folder in creator.vault_lists.values()],
                          "user_lists": [{**_fields(found), "members": format(found.members, "x"),
                                          "pinned": format(found.pinned, "x")}
                                         for found in creator.user_lists.values()],
                          "next_list_id": creator.next_list_id, "subscribers": _subscribers(creator)}
                         for creator in world.creators.values()],
            "queue": [{**_fields(item), "audience": format(item.audience, "x")} for item in world.queue.items.values()],
            "credits": {key.key: key.credits for key in world.onlyfansapi_keys.values()},
        }


def _fields(record: Any) -> dict[str, Any]:
    """A dataclass's fields, shallow: orjson renders the tuples and dicts inside, and asdict's deep copy is slow."""
    return {name: getattr(record, name) for name in _names(type(record))}


@functools.cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


def restore(session: Session, document: Any, seed: int | None = None) -> None:
    """Replace the session's state with ``document``, or raise SnapshotError and change nothing.

    The document's seed comes with it (buyers, names and figures follow the seed); ``seed``, when given, is the
    only one accepted.
    """
    try:
        jsongate.check(document)
        loaded = StateDocument().load(document if isinstance(document, dict) else {})
    except jsongate.UnsafeJSON as error:
        raise SnapshotError(f"invalid state document: {error.message}") from error
    except ValidationError as error:
        raise SnapshotError(f"invalid state document: {error.messages}") from error
    saved_seed = session.seed if loaded["seed"] is None else loaded["seed"]
    if seed is not None and saved_seed != seed:
        raise SnapshotError(f"the state was saved under seed {saved_seed}, not {seed}: start with --seed "
                            f"{saved_seed}, or without --seed to take the state's")
    world = session.world if saved_seed == session.seed else World(session.document, saved_seed, session.clock.now())
    creators = {entry["id"]: entry for entry in loaded["creators"]}
    unknown = set(creators) - set(world.creators)
    unknown |= {item.creator_id for item in loaded["queue"]} - set(world.creators)
    if unknown:
        raise SnapshotError(f"invalid state document: unknown creators {sorted(unknown)}")
    if set(loaded["credits"]) - set(world.onlyfansapi_keys):
        raise SnapshotError("invalid state document: credits name unknown keys")
    if len(loaded["queue"]) > world.queue.limit:
        raise SnapshotError(f"invalid state document: more than {world.queue.limit} messages")
    _check_people(world, creators.values(), loaded["queue"])
    frozen, instant = _clock(loaded["clock"])
    with session.lock:  # everything is checked: from here on nothing can fail half-way
        for creator_id, entry in creators.items():
            creator = world.creators[creator_id]
            creator.vault = {media.id: media for media in entry["vault"]}
            creator.uploads = dict(entry["uploads"])
            if entry["vault_lists"] is not None:
                creator.vault_lists = {folder.id: folder for folder in entry["vault_lists"]}
            if entry["user_lists"] is not None:
                creator.user_lists = {str(found.id): found for found in entry["user_lists"]}
            if entry["next_list_id"] is not None:
                creator.next_list_id = entry["next_list_id"]
            if entry["subscribers"] is not None:
                _restore_subscribers(creator, entry["subscribers"])
        for item in loaded["queue"]:
            creator = world.creators[item.creator_id]
            if item.audience < 0:  # a document from before audiences were kept: resolve from its fields
                item.audience = audience.of_message(creator, item, item.changed_at)
            item.audience = audience.shared(creator, item.audience)
        world.queue.items = {item.id: item for item in loaded["queue"]}
        world.queue.next_id = max([loaded["next_queue_id"], *[item.id + 1 for item in loaded["queue"]]])
        world.queue.next_media_id = loaded["next_media_id"]
        for key, credits in loaded["credits"].items():
            world.onlyfansapi_keys[key].credits = credits
        session.clock.move(frozen, instant)
        session.world, session.seed, session.imported = world, saved_seed, True


def _subscribers(creator: Creator) -> dict[str, Any]:
    """The creator's notes, custom names and discounts, keyed by the fan's user id."""
    people = creator.people
    if people is None:
        return {"notices": {}, "display_names": {}, "discounts": {}}
    return {"notices": {str(people.id_of(index)): text for index, text in people.notices.items()},
            "display_names": {str(people.id_of(index)): name for index, name in people.display_names.items()},
            "discounts": {str(people.id_of(index)): _fields(given) for index, given in people.discounts.items()}}


def _restore_subscribers(creator: Creator, saved: dict[str, Any]) -> None:
    """Set the creator's notes, custom names and discounts from ``saved`` (ids checked already)."""
    people = creator.people
    assert people is not None
    for name in ("notices", "display_names", "discounts"):
        setattr(people, name, {people.index_of(user_id): value for user_id, value in saved[name].items()})


def _check_people(world: World, creators: Any, queue: list[QueueItem]) -> None:
    """Every list and audience names only fans of its creator's population (which the seed rebuilds)."""
    for entry in creators:
        size = _population(world, entry["id"])
        people = world.creators[entry["id"]].people
        for kind, saved in (entry["subscribers"] or {}).items():
            strangers = [user_id for user_id in saved if people is None or people.index_of(user_id) is None]
            if strangers:
                raise SnapshotError(f"invalid state document: subscribers.{kind} names {strangers[0][:40]!r}, "
                                    f"who is not a fan of creator {entry['id']}")
        for found in entry["user_lists"] or []:
            if found.members.bit_length() > size:
                raise SnapshotError(f"invalid state document: list {found.id} names fans creator {entry['id']} "
                                    "does not have")
    for item in queue:
        if item.audience > 0 and item.audience.bit_length() > _population(world, item.creator_id):
            raise SnapshotError(f"invalid state document: message {item.id} goes to fans its creator does not have")


def _population(world: World, creator_id: int) -> int:
    people = world.creators[creator_id].people
    return people.size if people is not None else 0


def _clock(clock: dict[str, Any]) -> tuple[bool, float]:
    """Whether the imported clock is frozen, and the instant it resumes at; checked before anything changes."""
    epoch, frozen, offset = clock.get("epoch"), clock.get("frozen"), clock.get("offset")
    if isinstance(epoch, bool) or not isinstance(epoch, (int, float)):
        raise SnapshotError("invalid state document: clock.epoch must be a number")
    if frozen is not None and not isinstance(frozen, bool):
        raise SnapshotError("invalid state document: clock.frozen must be true or false")
    running = not frozen and isinstance(offset, (int, float)) and not isinstance(offset, bool)
    try:
        return bool(frozen), check_instant(time.time() + offset if running else epoch)
    except OutOfRange as error:
        raise SnapshotError(f"invalid state document: the clock is out of range: {error}") from error


def shown(path: str | Path) -> str:
    """A path as text that renders anywhere (undecodable bytes escaped)."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def temporaries(target: Path) -> list[Path]:
    """Temporary files ``save`` leaves beside ``target`` when the process dies mid-write."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}(\.tmp)?")
    try:
        return [path for path in target.parent.iterdir() if pattern.fullmatch(path.name) and path.is_file()]
    except OSError:
        return []


def prepare(path: str | Path) -> None:
    """Check at start that ``path`` can be written (by writing a temporary file there) and clear stale ones."""
    target = Path(path)
    if target.is_dir():
        raise SnapshotError(f"--state-file {shown(target)} is a directory, not a file")
    if not target.parent.is_dir():
        raise SnapshotError(f"--state-file {shown(target)}: the directory {shown(target.parent)} does not exist")
    for stale in temporaries(target):
        stale.unlink(missing_ok=True)
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        os.unlink(probe)
        if target.exists() and not os.access(target, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as error:
        raise SnapshotError(f"--state-file {shown(target)} cannot be written: {error.strerror or error}") from error


def save(session: Session, path: str | Path) -> None:
    """Write the state to ``path`` atomically: a temporary file in the same folder, then a rename."""
    target = Path(path)
    payload = orjson.dumps(export(session))
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_on_exit(session: Session, path: str | Path) -> tuple[bool, str]:
    """Save at shutdown; return whether it worked and the line to print (never a traceback)."""
    try:
        save(session, path)
    except OSError as error:
        return False, f"error: state NOT saved to {shown(path)}: {error.strerror or error}"
    return True, f"state saved to {shown(path)}"


def load_file(session: Session, path: str | Path, seed: int | None = None) -> bool:
    """Restore from ``path`` if it exists (``seed``: as ``restore`` takes it); return whether it did."""
    target = Path(path)
    if not target.exists():
        return False
    try:
        document = jsongate.parse(target.read_bytes())
    except jsongate.UnsafeJSON as error:
        raise SnapshotError(f"state file {shown(target)} is not usable JSON: {error.message}") from error
    except OSError as error:
        raise SnapshotError(f"state file {shown(target)} cannot be read: {error.strerror or error}") from error
    restore(session, document, seed)
    return True
