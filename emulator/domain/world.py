"""A world: everything one emulator session knows, built from a fixture document and a seed."""
from __future__ import annotations

from itertools import count
from typing import Any

from . import user_lists
from .fakes import Fakes
from .history import history
from .lifecycle import Lifecycle
from .models import (
    Account,
    Connection,
    Creator,
    OFAuthKey,
    OnlyFansAPIKey,
    QueueItem,
)
from .queue import MassMessageQueue, MediaRef
from .uploads import Uploads
from .vault import add_folders, folder_ids


class World:
    """Creators, credentials and the shared mass-message queue, consistent across both vendors."""

    def __init__(self, document: dict[str, Any], seed: int, now: float) -> None:
        settings = document["settings"]
        self.seed = seed
        self.started_at = now
        self.fakes = Fakes(seed)
        self.lifecycle = Lifecycle(settings["send_rate"], settings["unsend_window"])
        self.banned_words: dict[str, list[str]] = document["banned_words"]
        self.folder_ids = folder_ids(settings["first_vault_list_id"])
        self.creators = {entry["id"]: self._creator(entry, now) for entry in document["creators"]}
        self.queue = MassMessageQueue(self.fakes, seed, settings["first_queue_id"], settings["first_media_id"],
                                      settings["max_messages"])
        self.uploads = Uploads(self.fakes, seed)
        self.ofauth_keys = {entry["key"]: _ofauth_key(entry) for entry in document["ofauth_keys"]}
        self.onlyfansapi_keys = {entry["key"]: _onlyfansapi_key(entry) for entry in document["onlyfansapi_keys"]}
        self.accounts = {account.id: (account, key) for key in self.onlyfansapi_keys.values()
                         for account in key.accounts.values()}
        history_ids = count(settings["first_history_id"])
        for entry in document["creators"]:
            creator = self.creators[entry["id"]]
            for draft, sent_at in history(seed, creator, entry["history"], document["message_texts"], now):
                self.queue.create(creator, draft, sent_at, next(history_ids))
            for queued in entry["queue"]:
                self._seed_queue_item(creator, queued, now)

    def _creator(self, entry: dict[str, Any], now: float) -> Creator:
        filler = self.fakes.person(entry["id"])
        creator = Creator(id=entry["id"], name=entry.get("name", filler["name"]),
                          username=entry.get("username", filler["username"]), avatar=filler["avatar"])
        for media in entry["vault"]:
            creator.vault[media["id"]] = self.fakes.vault_media(media["id"], media["type"], media.get("duration"))
        creator.people = user_lists.populate(self.seed, creator.id, entry["fans"], now)
        for person in entry["fans"]["people"]:
            self.fakes.name(person["id"], person.get("name"), person.get("username"))
        creator.user_lists = user_lists.build(self.seed, creator, entry["user_lists"])
        for upload in entry["uploads"]:
            creator.uploads[upload["ref"]] = upload["type"]
        add_folders(creator, entry["vault_lists"], self.folder_ids)
        return creator

    def _seed_queue_item(self, creator: Creator, queued: dict[str, Any], now: float) -> QueueItem:
        if "scheduled_in" in queued:
            created, scheduled = now - queued.get("created_ago", 3600), now + queued["scheduled_in"]
        else:
            created = now - queued.get("sent_ago", 0)
            scheduled = None
        media = [MediaRef("vault", media_id, f"media.{n}") for n, media_id in enumerate(queued["media"])]
        draft = {"text": queued["text"], "media": media, "preview_count": queued["previews"],
                 "price": queued["price"], "user_lists": queued["user_lists"],
                 "user_ids": queued["user_ids"], "scheduled_at": scheduled}
        return self.queue.create(creator, draft, created)

    def new_media_id(self) -> int:
        """The next id for a vault item (made from an upload or a URL); ids only go up."""
        return self.queue.new_media_id()

    def creator(self, creator_id: int) -> Creator:
        """Return the creator with that id (fixture references are checked at load)."""
        return self.creators[creator_id]


def check(document: dict[str, Any], seed: int, now: float) -> None:
    """Raise the FixtureError building this world would raise for its fans and lists, without building it."""
    for entry in document["creators"]:
        user_lists.check(seed, entry["id"], entry["fans"], entry["user_lists"], now)


def _ofauth_key(entry: dict[str, Any]) -> OFAuthKey:
    connections = {c["id"]: Connection(c["id"], c["creator"], c["status"], c["client_reference_id"])
                   for c in entry["connections"]}
    return OFAuthKey(entry["key"], frozenset(entry["permissions"]), connections,
                     entry["burst"], entry["refill_per_minute"], entry.get("organization"))


def _onlyfansapi_key(entry: dict[str, Any]) -> OnlyFansAPIKey:
    accounts = {a["id"]: Account(a["id"], a["creator"]) for a in entry["accounts"]}
    return OnlyFansAPIKey(entry["key"], accounts, entry["credits"], entry["limit_minute"], entry["limit_day"],
                          entry.get("name", "Default"), entry.get("team", entry["key"]))

