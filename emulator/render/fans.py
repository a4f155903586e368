"""Render the population: list members, user lists, OFAuth's subscribers and OnlyFansAPI's fans."""
from __future__ import annotations

import functools
import re
from typing import Any

import orjson

from ..domain.clock import format_fleeting, format_instant
from ..domain.fakes import Fakes
from ..domain.kept import keep
from ..domain.models import Creator, UserList
from ..domain.people import Fan, Population, newest_first
from ..domain.user_lists import lists_of
from .people import FULL_USER
from .people import _thumbs as avatar_thumbs
from .people import fan as full_user

PREVIEW = 3  # members a user list shows inline (its ``users``); the members route pages the rest
# Fans whose lasting rendering each population keeps (``_lasting``), the oldest dropped first: more than the
# members route's largest page (100), which a smaller memo would empty before reusing any; about 7 KB each
# (the dicts, and the JSON pieces a page joins), so at most about 900 KB per creator.
KEPT_FANS = 128
SEEN = Fan._fields.index("last_seen")  # the one field of a fan that moves on every request
Drawn = tuple[dict[str, Any], dict[str, Any]]  # a fan's user object and its subscribedOnData
# Stand-ins for what a fan's JSON writes afresh each time (``onlyfans_fan_json``), and the pieces they cut it at.
MARK_SEEN, MARK_LISTS = "@@emulator-last-seen@@", "@@emulator-lists-states@@"
SEEN_MARK, LISTS_MARK = orjson.dumps(MARK_SEEN), orjson.dumps(MARK_LISTS)
FEW_LISTS = 8  # a fan on at most this many lists has its listsStates' JSON looked up, not written again
MARKS = re.compile(b"(" + re.escape(SEEN_MARK) + b"|" + re.escape(LISTS_MARK) + b")")
# OnlyFansAPI's fan: the full user object, then the subscription's keys in the vendor's order. ``onlyfans_fan``
# fills in what varies per fan; the rest is copied from here (immutable values only, as in FULL_USER).
ONLYFANS_FAN: dict[str, Any] = {
    **FULL_USER,
    "view": "x", "displayName": "", "notice": "", "isPaywallRequired": True, "hideChat": False,
    "canReceiveChatMessage": True, "canTrialSend": False, "subscribePrice": 0, "currentSubscribePrice": None,
    "subscriptionBundles": None, "promoOffers": None, "listsStates": None,
    "subscribedByAutoprolong": None, "subscribedByData": None, "subscribedByExpire": None,
    "subscribedIsExpiredNow": None, "subscribedOn": False, "subscribedOnExpiredNow": False,
    "subscribedOnDuration": "", "subscribedOnData": None, "lastReplyAt": None, "isActive": False,
}


def member(fakes: Fakes, user_id: int) -> dict[str, Any]:
    """A member of a user list as both vendors show one: id, names, avatar."""
    person = fakes.person(user_id)
    return {"id": user_id, "username": person["username"], "name": person["name"], "isVerified": False,
            "avatar": person["avatar"], "avatarThumbs": avatar_thumbs(person["avatar"]), "view": "x"}


def user_list(creator: Creator, found: UserList, fakes: Fakes, preview: int = PREVIEW) -> dict[str, Any]:
    """A user list: its flags (a system list cannot be changed), its size and its newest members."""
    custom = found.is_custom
    people = creator.people
    shown = [member(fakes, people.id_of(index)) for index in newest_first(found.members, 0, preview)] if people else []
    return {"id": found.id, "type": found.type, "name": found.name, "usersCount": found.size, "postsCount": 0,
            "order": "default" if custom else "recent", "direction": "asc" if custom else "desc",
            "canUpdate": custom, "canDelete": custom, "canManageUsers": custom, "canAddUsers": custom,
            "canPinnedToFeed": True, "isPinnedToFeed": found.pinned_to_feed, "canPinnedToChat": True,
            "isPinnedToChat": False, "sortList": [{"order": "recent", "direction": "desc"},
                                                  {"order": "name", "direction": "asc"}] if not custom else [],
            "users": shown}


def list_state(found: UserList, has_user: bool, shown_id: int | str | None = None) -> dict[str, Any]:
    """A user's membership of one list (``userState``, ``listsStates``); ``shown_id`` replaces the list's id
    (OnlyFansAPI's ``listsStates`` give it as a string)."""
    custom = found.is_custom
    return {"id": found.id if shown_id is None else shown_id, "type": found.type, "name": found.name,
            "hasUser": has_user, "canAddUser": custom, "cannotAddUserReason": None if custom else "System list"}


def duration(fan: Fan) -> str:
    """How long the fan has been (or was) subscribed, as OnlyFans words it."""
    return f"{fan.periods} month{'s' if fan.periods != 1 else ''}"


def discount(fan: Fan) -> dict[str, Any]:
    """The discount fields of a subscription: the creator's discount for this fan, or none (zeros and nulls)."""
    given = fan.discount
    if given is None:
        return {"discountPercent": 0, "discountPeriod": 0, "discountStartedAt": None, "discountFinishedAt": None}
    return {"discountPercent": given.percent, "discountPeriod": given.months,
            "discountStartedAt": format_instant(given.started_at), "discountFinishedAt": format_instant(given.finishes_at)}


def subscriber(creator: Creator, fan: Fan, fakes: Fakes) -> dict[str, Any]:
    """OFAuth's subscriber (``GET /v2/access/subscribers``): the person, the subscription, the spending."""
    person = fakes.person(fan.id)
    history = [{"id": fan.id * 100 + period, "startDate": format_instant(fan.subscribed_at + period * 2_592_000),
                "expireDate": format_instant(fan.subscribed_at + (period + 1) * 2_592_000), "price": fan.price,
                "regularPrice": fan.price, "discount": 0, "type": "regular",
                "action": "subscribe" if period == 0 else "renew", "isCurrent": fan.active and period == fan.periods - 1}
               for period in range(max(0, fan.periods - 3), fan.periods)]
    return {
        "id": fan.id, "name": person["name"], "username": person["username"], "displayName": fan.display_name,
        "isVerified": False, "avatar": person["avatar"], "avatarThumbs": avatar_thumbs(person["avatar"]),
        "lastSeen": format_fleeting(fan.last_seen),
        "subscription": {
            "isActive": fan.active, "isExpired": not fan.active, "subscribedAt": format_instant(fan.subscribed_at),
            "expiresAt": format_instant(fan.expires_at),
            "renewedAt": format_instant(fan.renewed_at) if fan.renewed_at is not None else None,
            "price": fan.price, "regularPrice": fan.price, **discount(fan), "history": history},
        "spending": {"total": fan.spent, "tips": fan.tips, "subscriptions": round(fan.periods * fan.price, 2),
                     "messages": fan.messages, "posts": 0, "streams": 0},
        "isRestricted": False, "isBlocked": False,
        "capabilities": {"canRestrict": True, "canBlock": True, "canReport": True, "canUnsubscribe": fan.active,
                         "canReceiveMessages": True, "canSendTrial": not fan.active},
        "lists": [{"id": found.id, "name": found.name} for found in lists_of(creator, fan.index)],
    }


def onlyfans_fan(creator: Creator, fan: Fan, fakes: Fakes, lists: list[UserList] | None = None) -> dict[str, Any]:
    """OnlyFansAPI's fan (``/fans/*``, list members): OnlyFans' user object with the subscription on it
    (``lists``: the lists the fan is on, when the caller has them already).

    Only the last visit and the lists are drawn on every call; the rest is copied from what ``_lasting`` kept."""
    return _fan(_lasting(creator.people, fan, fakes).drawn, format_fleeting(fan.last_seen),
                _states(lists_of(creator, fan.index) if lists is None else lists))


def _states(lists: list[UserList]) -> list[dict[str, Any]]:
    """A fan's ``listsStates``: its membership of each of ``lists``, their ids as strings."""
    return [list_state(found, True, str(found.id)) for found in lists]


def _fan(drawn: Drawn, seen: Any, states: Any) -> dict[str, Any]:
    """The fan of ``onlyfans_fan`` from its lasting rendering, its last visit and its ``listsStates``."""
    user, subscribed = drawn
    return {**user, "avatarThumbs": dict(user["avatarThumbs"]), "lastSeen": seen, "subscriptionBundles": [],
            "promoOffers": [], "listsStates": states,
            "subscribedOnData": {**subscribed, "lastActivity": seen, "subscribes": []}}


def onlyfans_fan_json(creator: Creator, fan: Fan, fakes: Fakes) -> orjson.Fragment:
    """``onlyfans_fan`` as the JSON orjson writes for it, for a page of fans: the lasting rendering is written
    once, in pieces around the last visit and the lists (``_pieces``), and each call joins them."""
    kept = _lasting(creator.people, fan, fakes)
    pieces = kept.pieces
    if pieces is None:
        pieces = kept.pieces = _pieces(kept.drawn)
    lists = lists_of(creator, fan.index)
    if len(pieces) == 1:
        return orjson.Fragment(orjson.dumps(_fan(kept.drawn, format_fleeting(fan.last_seen), _states(lists))))
    seen = orjson.dumps(format_fleeting(fan.last_seen))
    states = (_states_json(tuple([(found.id, found.type, found.name) for found in lists])) if len(lists) <= FEW_LISTS
              else orjson.dumps(_states(lists)))
    return orjson.Fragment(b"".join((pieces[0], seen, pieces[1], states, pieces[2], seen, pieces[3])))


def _pieces(drawn: Drawn) -> tuple[bytes, ...]:
    """The fan's JSON in the four pieces around its last visit, its lists and its last visit again; the whole
    JSON as one piece when a name or a text happens to hold a stand-in."""
    pieces = MARKS.split(orjson.dumps(_fan(drawn, MARK_SEEN, MARK_LISTS)))
    return tuple(pieces[::2]) if pieces[1::2] == [SEEN_MARK, LISTS_MARK, SEEN_MARK] else (b"",)


@functools.lru_cache(maxsize=256)  # fans are on a few combinations of a few lists: at most about 0.5 MB kept
def _states_json(lists: tuple[tuple[int | str, str, str], ...]) -> bytes:
    """A fan's ``listsStates`` as JSON (``list_state`` of each), from each list's id, type and name."""
    return orjson.dumps(_states([UserList(found_id, name, type=kind) for found_id, kind, name in lists]))


class Kept:
    """A fan's lasting rendering as ``_lasting`` keeps it: what it was drawn from, the user object and
    ``subscribedOnData``, and the JSON pieces once a page asked for them."""

    __slots__ = ("lasting", "person", "drawn", "pieces")

    def __init__(self, lasting: tuple[Any, ...], person: dict[str, str], drawn: Drawn) -> None:
        self.lasting, self.person, self.drawn = lasting, person, drawn
        self.pieces: tuple[bytes, ...] | None = None


def _lasting(people: Population | None, fan: Fan, fakes: Fakes) -> Kept:
    """A fan's user object and ``subscribedOnData`` as far as they do not move with the clock (a ``Kept``), kept
    in the population's ``drawn`` for the last ``KEPT_FANS`` fans shown and reused while the fan (its last visit
    aside) and the person are the same; the caller copies them, or joins their JSON pieces, and fills in the
    rest."""
    person, lasting = fakes.person(fan.id), fan[:SEEN] + fan[SEEN + 1:]
    kept: dict[int, Any] = people.drawn if people is not None else {}
    found = kept.get(fan.index)
    if found is not None and found.lasting == lasting and found.person is person:
        return found  # type: ignore[no-any-return]
    user, lasted, active = full_user(fakes, fan.id, fan.last_seen, ONLYFANS_FAN), duration(fan), fan.active
    user.update({
        "displayName": fan.display_name, "notice": fan.notice, "canTrialSend": not active,
        "subscribePrice": fan.price, "subscribedOn": active, "subscribedOnExpiredNow": not active,
        "subscribedOnDuration": lasted, "isActive": active})
    made = Kept(lasting, person, (user, subscription(fan, lasted)))
    keep(kept, fan.index, made, KEPT_FANS)
    return made


# OnlyFansAPI's ``subscribedOnData`` in the vendor's key order: ``subscription`` fills in what lasts per fan, and
# ``_fan`` what does not (``lastActivity``, and ``subscribes``, the one list, made afresh each time).
SUBSCRIBED_ON: dict[str, Any] = {
    "price": 0, "newPrice": 0, "regularPrice": 0, "subscribePrice": 0, "discountPercent": 0, "discountPeriod": 0,
    "discountStartedAt": None, "discountFinishedAt": None, "subscribeAt": "", "expiredAt": "", "renewedAt": None,
    "status": None, "isMuted": False, "unsubscribeReason": None, "duration": "", "hasActivePaidSubscriptions": False,
    "lastActivity": "", "recommendations": 0, "subscribes": None, "tipsSumm": 0, "subscribesSumm": 0,
    "messagesSumm": 0, "postsSumm": 0, "streamsSumm": 0, "totalSumm": 0,
}


def subscription(fan: Fan, lasted: str) -> dict[str, Any]:
    """OnlyFansAPI's ``subscribedOnData`` as far as it lasts: the fan's prices, discount, dates, status and
    spending (``lasted``: the fan's ``duration``); ``_fan`` adds the last visit."""
    price, renewed = fan.price, fan.renewed_at
    rendered = {
        **SUBSCRIBED_ON, "price": price, "newPrice": price, "regularPrice": price, "subscribePrice": price,
        "subscribeAt": format_instant(fan.subscribed_at), "expiredAt": format_instant(fan.expires_at),
        "renewedAt": format_instant(renewed) if renewed is not None else None,
        "status": None if fan.renewing else "cancelled", "duration": lasted,
        "hasActivePaidSubscriptions": fan.active and price > 0,
        "tipsSumm": fan.tips,
        "subscribesSumm": round(fan.periods * price, 2), "messagesSumm": fan.messages, "totalSumm": fan.spent}
    if fan.discount is not None:
        rendered.update(discount(fan))
    return rendered
