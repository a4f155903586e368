"""Render OFAuth's user profiles: the creator behind a connection (``/self``) and one user (``/users/...``).

Both are OnlyFans' own user object, which OFAuth passes through: a fan's profile is the object OnlyFansAPI shows
for the same fan, carrying OFAuth's ``lists`` where OnlyFansAPI has ``listsStates``.
"""
from __future__ import annotations

from typing import Any

from ..domain import vault
from ..domain.clock import format_fleeting, format_instant
from ..domain.fakes import Fakes
from ..domain.models import Creator
from ..domain.people import Fan
from ..domain.user_lists import lists_of
from .fans import avatar_thumbs, onlyfans_fan

ONLYFANSAPI_ONLY = ("listsStates", "subscribedByData")  # OFAuth types subscribedByData as an object, never null


def own_profile(creator: Creator) -> dict[str, Any]:
    """``GET /v2/access/self``: the connection's creator, signed in (``isAuth``), with their counts."""
    return {"id": creator.id, "username": creator.username, "name": creator.name, "isAuth": True,
            "isVerified": True, "avatar": creator.avatar, **_counts(creator, vault.type_counts(creator))}


def user_profile(creator: Creator, user: Creator | Fan, fakes: Fakes, now: float) -> dict[str, Any]:
    """``GET /v2/access/users/{userId}``: the creator's own profile, or a fan's with their subscription."""
    return _creator(creator, now) if isinstance(user, Creator) else _fan(creator, user, fakes)


def _counts(creator: Creator, media: dict[str, int]) -> dict[str, int]:
    """Subscribers are the active fans and posts the vault's items, as OnlyFansAPI's account counts them
    (``media``: the vault's counts per type)."""
    people = creator.people
    return {"subscribersCount": people.active.bit_count() if people else 0, "postsCount": len(creator.vault),
            "photosCount": media["photo"], "videosCount": media["video"]}


def _creator(creator: Creator, now: float) -> dict[str, Any]:
    people, media = creator.people, vault.type_counts(creator)
    return {
        "id": creator.id, "username": creator.username, "name": creator.name, "isVerified": True,
        "avatar": creator.avatar, "avatarThumbs": avatar_thumbs(creator.avatar), "lists": [],
        "displayName": "", "notice": "", "about": None, "header": None, "headerSize": None, "headerThumbs": None,
        **_counts(creator, media), "audiosCount": media["audio"], "mediasCount": sum(media.values()),
        "joinDate": format_instant(people.start if people else now), "lastSeen": format_fleeting(now),
        "subscribedBy": False, "subscribedOn": False, "isPerformer": True, "isRealPerformer": True,
        "canReceiveChatMessage": False, "canChat": False,
    }


def _fan(creator: Creator, fan: Fan, fakes: Fakes) -> dict[str, Any]:
    lists = lists_of(creator, fan.index)
    shown = onlyfans_fan(creator, fan, fakes, lists)
    for name in ONLYFANSAPI_ONLY:
        del shown[name]
    shown["subscribedOnData"]["unsubscribeReason"] = ""  # a string in OFAuth's type; OnlyFansAPI sends null
    shown["lists"] = [{"id": found.id, "type": found.type, "name": found.name} for found in lists]
    return shown
