"""The things a mass message touches, as plain data: creators, media, lists, credentials, queue items."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .people import Population

MEDIA_TYPES = ("photo", "video", "gif", "audio")


@dataclass(slots=True)
class VaultMedia:
    """One item of a creator's vault; ``files`` is rendered once, at creation."""

    id: int
    type: str
    created_at: str
    files: dict[str, Any]
    duration: int | None = None
    video_sources: dict[str, str | None] | None = None
    source: str = "vault"
    ready_at: float = 0.0
    has_error: bool = False
    filename: str | None = None


@dataclass(slots=True)
class VaultFolder:
    """A vault list: a built-in folder (``messages``, ``posts``, ``media_stickers`` …) or a creator's own."""

    id: int
    type: str
    name: str
    media: dict[int, None] = field(default_factory=dict)


@dataclass(slots=True)
class UserList:
    """A set of fans a message can be sent to; ``id`` is a number, or a system list's slug like ``fans``.

    ``members`` is a bitmap over the creator's population (see ``people``): bit ``i`` is fan ``i``.
    """

    id: int | str
    name: str
    members: int = 0
    type: str = "custom"
    pinned_to_feed: bool = False
    pinned: int = 0  # members pinned on the list, a bitmap like ``members``

    @property
    def size(self) -> int:
        """How many fans are on the list."""
        return self.members.bit_count()

    @property
    def is_custom(self) -> bool:
        """Whether the creator made the list (and so may rename it, delete it and change who is on it)."""
        return self.type == "custom"


@dataclass(slots=True)
class Creator:
    """An OnlyFans creator: the owner of a vault, of user lists and of a message queue."""

    id: int
    name: str
    username: str
    avatar: str
    vault: dict[int, VaultMedia] = field(default_factory=dict)
    user_lists: dict[str, UserList] = field(default_factory=dict)
    uploads: dict[str, str | int] = field(default_factory=dict)
    vault_lists: dict[int, VaultFolder] = field(default_factory=dict)
    people: Population | None = None
    next_list_id: int = 1001
    audiences: dict[int, int] = field(default_factory=dict)  # recent audiences, so equal ones share one bitmap

    def user_list(self, reference: int | str) -> UserList | None:
        """Find a user list by its id, given as a number or a string."""
        return self.user_lists.get(str(reference))


@dataclass(slots=True)
class Connection:
    """OFAuth: a creator's OnlyFans session that an API key may act through."""

    id: str
    creator_id: int
    status: str = "active"
    client_reference_id: str | None = None


@dataclass(slots=True)
class OFAuthKey:
    """OFAuth: an API key with its permissions, connections and rate-limit plan."""

    key: str
    permissions: frozenset[str]
    connections: dict[str, Connection]
    burst: int = 90
    refill_per_minute: int = 60
    organization: str | None = None


@dataclass(slots=True)
class Account:
    """OnlyFansAPI: a linked OnlyFans account (``acct_...``) bound to a creator."""

    id: str
    creator_id: int


@dataclass(slots=True)
class OnlyFansAPIKey:
    """OnlyFansAPI: a bearer key with its accounts, credits and rate-limit windows."""

    key: str
    accounts: dict[str, Account]
    credits: int = 1_000_000
    limit_minute: int = 1000
    limit_day: int | None = None
    name: str = "Default"
    team: str = ""


@dataclass(slots=True)
class QueueItem:
    """A mass message in a creator's queue; its progress is derived from the clock, not stored."""

    id: int
    creator_id: int
    created_at: float
    changed_at: float
    text: str = ""
    raw_text: str | None = None
    media_ids: tuple[int, ...] = ()
    preview_ids: tuple[int, ...] = ()
    price: float = 0.0
    locked_text: bool = False
    is_markdown: bool = True
    is_forwarded: bool = False
    giphy_id: str | None = None
    reply_to_message_id: str | None = None
    release_forms: dict[str, list[int]] | None = None
    user_tags: tuple[int, ...] = ()
    user_ids: tuple[int | str, ...] = ()
    user_lists: tuple[int | str, ...] = ()
    exclude_user_lists: tuple[int | str, ...] = ()
    subscribed_after: float | None = None
    subscribed_within_days: int | None = None
    scheduled_at: float | None = None
    media_ready_at: float | None = None
    failed_at: float | None = None
    saved: bool = False
    total: int = 0
    audience: int = 0
    view_ratio: float = 0.3
    purchase_ratio: float = 0.05

    @property
    def starts_at(self) -> float:
        """When sending begins: the scheduled date, or creation for a send-now message, but never before its
        media has finished processing."""
        start = self.scheduled_at if self.scheduled_at is not None else self.created_at
        return start if self.media_ready_at is None else max(start, self.media_ready_at)

    @property
    def for_sale(self) -> bool:
        """Whether fans can buy it: it has a price and media to unlock (a free or text-only message sells
        nothing)."""
        return self.price > 0 and bool(self.media_ids)
