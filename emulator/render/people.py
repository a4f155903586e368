"""Render OnlyFans users: a message's buyers (OFAuth's short form, OnlyFansAPI's full user) and release forms."""
from __future__ import annotations

from typing import Any

from ..domain.clock import format_fleeting
from ..domain.fakes import Fakes
from ..domain.models import QueueItem

FORM_TYPES = (("users", "user"), ("partners", "partner"), ("guests", "guest"))


def _thumbs(avatar: str) -> dict[str, str]:
    base = avatar.rsplit("/", 1)[0]
    return {"c50": f"{base}/50x50_avatar.jpg", "c144": f"{base}/144x144_avatar.jpg"}


def buyer(fakes: Fakes, user_id: int) -> dict[str, Any]:
    """OFAuth's buyer: id, names and avatar of a fan who bought a message."""
    person = fakes.person(user_id)
    return {"id": user_id, "username": person["username"], "name": person["name"], "isVerified": False,
            "avatar": person["avatar"], "avatarThumbs": _thumbs(person["avatar"])}


# OnlyFans' full user object, in the vendor's key order, with the person's fields and ``lastSeen`` left blank:
# ``fan`` copies it and fills those in, so the constant keys cost one dict copy, not one insertion each.
# Every value here is immutable, so the copies share nothing a caller could change.
FULL_USER: dict[str, Any] = {
    "view": "m", "id": 0, "name": "", "username": "", "avatar": "", "avatarThumbs": None, "header": None,
    "headerSize": None, "headerThumbs": None, "displayName": "", "notice": "", "isVerified": False, "isActive": True,
    "isRestricted": False, "lastSeen": "", "canAddSubscriber": False,
    "canCommentStory": False, "canEarn": False, "canLookStory": True, "canPayInternal": True,
    "canReport": True, "canRestrict": True, "currentSubscribePrice": 0, "subscribePrice": 0,
    "hasNotViewedStory": False, "hasScheduledStream": False, "hasStories": False, "hasStream": False,
    "showMediaCount": True, "subscribedBy": False, "subscribedByAutoprolong": False,
    "subscribedByExpire": False, "subscribedByExpireDate": None, "subscribedIsExpiredNow": False,
    "subscribedOn": True, "subscribedOnDuration": None, "subscribedOnExpiredNow": False,
    "tipsEnabled": False, "tipsMax": 0, "tipsMin": 0, "tipsMinInternal": 0, "tipsTextEnabled": False,
}


def fan(fakes: Fakes, user_id: int, last_seen: float, shape: dict[str, Any] = FULL_USER) -> dict[str, Any]:
    """OnlyFansAPI's buyer: the full OnlyFans user object of a subscribed fan.

    ``shape`` is the object to fill in: ``FULL_USER``, or a longer object that begins with its keys.
    """
    person = fakes.person(user_id)
    avatar = person["avatar"]
    return {**shape, "id": user_id, "name": person["name"], "username": person["username"], "avatar": avatar,
            "avatarThumbs": _thumbs(avatar), "lastSeen": format_fleeting(last_seen)}


def release_forms(item: QueueItem, fakes: Fakes) -> list[dict[str, Any]]:
    """The release forms tagged in a message, one object per tagged user, partner or guest."""
    forms = item.release_forms or {}
    return [{"id": form_id, "name": fakes.person(form_id)["name"], "partnerSource": "tag", "type": kind}
            for key, kind in FORM_TYPES for form_id in forms.get(key, [])]
