"""Load and check a fixture document: the creators, credentials and queue a world starts from."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

PERMISSIONS = ("messages:read", "messages:write", "analytics:read", "lists:read", "lists:write",
               "subscribers:read", "subscribers:write", "profile:read", "vault:read", "vault:write")
SYSTEM_LISTS = ("fans", "following", "recent", "rebill_off", "tagged", "friends", "muted")
# libyaml's loader when PyYAML was built with it: it parses what SafeLoader parses, about ten times faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FixtureError(ValueError):
    """The fixture document is not usable; the message says where."""


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class MediaFixture(_Strict):
    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    type = fields.String(required=True, validate=validate.OneOf(("photo", "video", "gif", "audio")))
    duration = fields.Integer(strict=True, validate=validate.Range(min=1))


class UserListFixture(_Strict):
    id = fields.Raw(required=True)
    name = fields.String(validate=validate.Length(min=1, max=100))
    members = fields.Integer(strict=True, validate=validate.Range(min=0))
    from_ = fields.Raw(data_key="from")
    users = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=2**53)), load_default=list,
                        validate=validate.Length(max=1000))


class PersonFixture(_Strict):
    """A fan a test names: an id of its choosing, optionally a name, and when they first subscribed."""

    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**53))
    name = fields.String(validate=validate.Length(min=1, max=100))
    username = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_.]{1,40}$"))
    days_ago = fields.Float(load_default=1.0, validate=validate.Range(min=0, max=3650))
    active = fields.Boolean(load_default=True, truthy={True}, falsy={False})


class FansFixture(_Strict):
    """A creator's population as rules: how many active and expired fans, subscribed over how many days."""

    active = fields.Integer(strict=True, validate=validate.Range(min=0, max=10_000_000))
    expired = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=10_000_000))
    days = fields.Integer(strict=True, load_default=730, validate=validate.Range(min=31, max=3650))
    price = fields.Float(load_default=10.0, validate=validate.Range(min=0, max=200))
    first_id = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**53))
    people = fields.List(fields.Nested(PersonFixture), load_default=list, validate=validate.Length(max=1000))


class UploadFixture(_Strict):
    ref = fields.String(required=True, validate=validate.Regexp(r"^(upload:[0-9a-fA-F-]{36}|ofapi_media_\w+)$"))
    type = fields.String(load_default="photo", validate=validate.OneOf(("photo", "video", "gif", "audio")))


class VaultListFixture(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    media = fields.List(fields.Integer(strict=True), load_default=list)


class QueueFixture(_Strict):
    text = fields.String(load_default="")
    media = fields.List(fields.Integer(strict=True), load_default=list)
    previews = fields.Integer(strict=True, load_default=0)
    price = fields.Float(load_default=0)
    user_lists = fields.List(fields.Raw(), load_default=list)
    user_ids = fields.List(fields.Integer(strict=True), load_default=list)
    scheduled_in = fields.Integer(strict=True, validate=validate.Range(min=1))
    sent_ago = fields.Integer(strict=True, validate=validate.Range(min=0))
    created_ago = fields.Integer(strict=True, validate=validate.Range(min=0))


class HistoryFixture(_Strict):
    weeks = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=520))
    per_week = fields.Integer(strict=True, load_default=4, validate=validate.Range(min=0, max=500))
    paid_share = fields.Float(load_default=0.4, validate=validate.Range(min=0, max=1))


class CreatorFixture(_Strict):
    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    name = fields.String()
    username = fields.String()
    vault = fields.List(fields.Nested(MediaFixture), load_default=list)
    fans = fields.Nested(FansFixture)
    user_lists = fields.List(fields.Nested(UserListFixture), load_default=list)
    uploads = fields.List(fields.Nested(UploadFixture), load_default=list)
    vault_lists = fields.List(fields.Nested(VaultListFixture), load_default=list)
    queue = fields.List(fields.Nested(QueueFixture), load_default=list)
    history = fields.Nested(HistoryFixture, load_default=lambda: HistoryFixture().load({}))


class ConnectionFixture(_Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^conn_\w+$"))
    creator = fields.Integer(required=True, strict=True)
    status = fields.String(load_default="active", validate=validate.OneOf(("active", "expired")))
    client_reference_id = fields.String(load_default=None, validate=validate.Length(min=1, max=255))


class OFAuthKeyFixture(_Strict):
    key = fields.String(required=True, validate=validate.Length(min=1))
    permissions = fields.List(fields.String(validate=validate.OneOf(PERMISSIONS)), load_default=list)
    connections = fields.List(fields.Nested(ConnectionFixture), load_default=list)
    burst = fields.Integer(strict=True, load_default=90, validate=validate.Range(min=1))
    organization = fields.String(validate=validate.Length(min=1, max=100))
    refill_per_minute = fields.Integer(strict=True, load_default=60, validate=validate.Range(min=1))


class AccountFixture(_Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^acct_[0-9a-f]{32}$"))
    creator = fields.Integer(required=True, strict=True)


class OnlyFansAPIKeyFixture(_Strict):
    key = fields.String(required=True, validate=validate.Length(min=1))
    accounts = fields.List(fields.Nested(AccountFixture), load_default=list)
    credits = fields.Integer(strict=True, load_default=1_000_000, validate=validate.Range(min=0))
    limit_minute = fields.Integer(strict=True, load_default=1000, validate=validate.Range(min=1))
    limit_day = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1))
    name = fields.String(validate=validate.Length(min=1, max=100))
    team = fields.String(validate=validate.Length(min=1, max=100))


class SettingsFixture(_Strict):
    first_queue_id = fields.Integer(strict=True, load_default=3_100_000_001, validate=validate.Range(min=1))
    first_media_id = fields.Integer(strict=True, load_default=4_200_000_001, validate=validate.Range(min=1))
    first_history_id = fields.Integer(strict=True, load_default=3_099_000_001, validate=validate.Range(min=1))
    first_vault_list_id = fields.Integer(strict=True, load_default=7301, validate=validate.Range(min=1))
    max_messages = fields.Integer(strict=True, load_default=200_000, validate=validate.Range(min=1))
    send_rate = fields.Float(load_default=50.0, validate=validate.Range(min=0.001))
    unsend_window = fields.Integer(strict=True, load_default=86_400, validate=validate.Range(min=0))


class FixtureDocument(Schema):
    class Meta:
        unknown = EXCLUDE

    settings = fields.Nested(SettingsFixture, load_default=lambda: SettingsFixture().load({}))
    creators = fields.List(fields.Nested(CreatorFixture), required=True)
    ofauth_keys = fields.List(fields.Nested(OFAuthKeyFixture), load_default=list)
    onlyfansapi_keys = fields.List(fields.Nested(OnlyFansAPIKeyFixture), load_default=list)
    message_texts = fields.List(fields.String(validate=validate.Length(min=1, max=10_000)),
                                load_default=lambda: ["Thank you for being here 💜"])
    banned_words = fields.Dict(keys=fields.String(validate=validate.OneOf(("ban", "risky", "replace_soften"))),
                               values=fields.List(fields.String()), load_default=dict)


def check(document: Any) -> dict[str, Any]:
    """Validate a fixture document and return it with defaults filled in."""
    if not isinstance(document, dict):
        raise FixtureError("a fixture document must be a mapping")
    try:
        loaded = FixtureDocument().load(document)
    except ValidationError as error:
        raise FixtureError(f"invalid fixture: {error.messages}") from error
    _check_references(loaded)
    for creator in loaded["creators"]:
        _check_people(creator)
        _check_queue(creator)
    return loaded


def _check_references(loaded: dict[str, Any]) -> None:
    creators = {creator["id"] for creator in loaded["creators"]}
    settings = loaded["settings"]
    history = sum(creator["history"]["weeks"] * creator["history"]["per_week"] for creator in loaded["creators"])
    if history and settings["first_history_id"] + history > settings["first_queue_id"]:
        raise FixtureError("settings.first_history_id leaves too few ids below first_queue_id for the history")
    if history + sum(len(creator["queue"]) for creator in loaded["creators"]) > settings["max_messages"]:
        raise FixtureError("settings.max_messages is fewer than the messages of the history and the queues")
    for creator in loaded["creators"]:
        media = {entry["id"] for entry in creator["vault"]}
        for folder in creator["vault_lists"]:
            unknown = set(folder["media"]) - media
            if unknown:
                raise FixtureError(f"vault list {folder['name']!r} of creator {creator['id']} names media "
                                   f"{sorted(unknown)} that is not in its vault")
    for key in loaded["ofauth_keys"]:
        for connection in key["connections"]:
            if connection["creator"] not in creators:
                raise FixtureError(f"connection {connection['id']} names unknown creator {connection['creator']}")
    for key in loaded["onlyfansapi_keys"]:
        for account in key["accounts"]:
            if account["creator"] not in creators:
                raise FixtureError(f"account {account['id']} names unknown creator {account['creator']}")


def _check_people(creator: dict[str, Any]) -> None:
    """Fill in the creator's population from its lists when not given, and check every list can be drawn."""
    where = f"creator {creator['id']}"
    sizes = {str(listed["id"]): listed.get("members") for listed in creator["user_lists"]}
    if "fans" not in creator:
        creator["fans"] = FansFixture().load({})
    fans = creator["fans"]
    if "active" not in fans:
        fans["active"] = sizes.get("fans") or max([size or 0 for size in sizes.values()], default=0)
    pools = {"active": fans["active"], "expired": fans["expired"], "all": fans["active"] + fans["expired"]}
    seen: set[str] = set()
    for listed in creator["user_lists"]:
        name = str(listed["id"])
        _check_list_id(listed["id"], name in seen, where)
        seen.add(name)
        if name == "fans":
            if listed["users"]:
                raise FixtureError(f"{where}: list fans is the active fans; name people under fans.people instead")
            if listed.get("members", fans["active"]) != fans["active"]:
                raise FixtureError(f"{where}: list fans is the active fans, {fans['active']}, not {listed['members']}")
            continue
        if "members" not in listed and not listed["users"]:
            raise FixtureError(f"{where}: user list {name} needs members (how many fans are on it) or users")
        listed.setdefault("members", 0)
        source = str(listed.get("from_", "all" if name in ("following", "tagged", "friends", "muted") else "active"))
        if source not in pools:
            raise FixtureError(f"{where}: user list {name} is drawn from {source}, which is not active, expired, "
                               "all or a list above it")
        if listed["members"] > pools[source]:
            raise FixtureError(f"{where}: user list {name} wants {listed['members']} fans from {source}, "
                               f"which has {pools[source]}")
        pools[name] = listed["members"]


def _check_queue(creator: dict[str, Any]) -> None:
    """Refuse a queued message the queue would refuse: a world is built on first use, and must not fail then."""
    media = {entry["id"] for entry in creator["vault"]}
    lists = {"fans", *(str(listed["id"]) for listed in creator["user_lists"])}
    for number, queued in enumerate(creator["queue"], 1):
        where = f"creator {creator['id']}, queue entry {number}"
        unknown = sorted(set(queued["media"]) - media)
        if unknown:
            raise FixtureError(f"{where}: media {unknown} is not in the creator's vault")
        missing = [ref for ref in queued["user_lists"] if str(ref) not in lists]
        if missing:
            raise FixtureError(f"{where}: the creator has no user list {missing[0]!r}")
        if not queued["user_lists"] and not queued["user_ids"]:
            raise FixtureError(f"{where}: name its recipients (user_lists or user_ids)")
        if not queued["text"].strip() and not queued["media"]:
            raise FixtureError(f"{where}: a message needs text or media")
        if queued["price"] and not queued["media"]:
            raise FixtureError(f"{where}: a paid message needs media")


def _check_list_id(list_id: Any, repeated: bool, where: str) -> None:
    custom = isinstance(list_id, int) and not isinstance(list_id, bool) and 0 < list_id < 2**53
    if not custom and list_id not in SYSTEM_LISTS:
        raise FixtureError(f"{where}: user list id {list_id!r} is neither a positive integer nor one of "
                           f"{', '.join(SYSTEM_LISTS)}")
    if repeated:
        raise FixtureError(f"{where}: user list {list_id} appears twice")


def load(path: str | Path) -> dict[str, Any]:
    """Read a YAML fixture file and check it."""
    source = Path(path)
    try:
        document = parse_yaml(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FixtureError(f"cannot read fixtures {source}: {error}") from error
    return check(document)


def parse_yaml(text: str) -> Any:
    """Parse a YAML document as ``yaml.safe_load`` does (plain data only), with the C loader when there is one."""
    return yaml.load(text, Loader=YAML_LOADER)
