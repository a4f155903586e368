"""A creator's user lists: the system lists and the custom ones, built from fixture rules, then edited."""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from .errors import EmulatorError, ValidationFailed
from .fixtures import FixtureError
from .models import Creator, UserList
from .people import PERIOD, Population, draw, newest, salt

SYSTEM_NAMES = {"fans": "Fans", "following": "Following", "recent": "Recent", "rebill_off": "Renew off",
                "tagged": "Tagged", "friends": "Friends", "muted": "Muted"}
FIRST_CUSTOM_ID = 1001
MAX_CUSTOM_LISTS = 1000  # per creator: keeps a session's memory bounded


class UserListNotFound(EmulatorError):
    """No user list with that id for this creator."""

    status = 404
    ofauth_type = "RESOURCE_NOT_FOUND"
    message = "User list not found."


class ListNotEditable(EmulatorError):
    """A system list (``fans``, ``recent``...) cannot be renamed, deleted or have its members changed."""

    status = 400
    ofauth_type = "BAD_REQUEST"


class UserRefused(EmulatorError):
    """A user id that cannot go on a list: nobody by that id is a fan of this creator."""

    status = 400
    ofauth_type = "BAD_REQUEST"


class TooManyLists(EmulatorError):
    """The creator already has as many custom lists as the emulator keeps."""

    status = 400
    ofauth_type = "BAD_REQUEST"
    message = f"A creator can have at most {MAX_CUSTOM_LISTS} custom user lists."


@dataclass(frozen=True, slots=True)
class Change:
    """What adding or removing users did: who was changed, and who was refused (with OnlyFans' reason)."""

    changed: list[int]
    refused: dict[str, str]


def populate(seed: int, creator_id: int, plan: dict[str, Any], now: float) -> Population:
    """The creator's fans from the fixture's rules, then the people it names; expired fans are drawn from those
    who first subscribed more than a month ago."""
    people, older = _population(seed, creator_id, plan, now)
    seeded = people.seeded
    rng = random.Random(f"{seed}:expired:{creator_id}")
    people.active = (1 << seeded) - 1 & ~draw(rng, (1 << older) - 1, plan["expired"])
    for at, person in enumerate(plan["people"]):
        people.active |= int(person["active"]) << (seeded + at)
    return people


def check(seed: int, creator_id: int, plan: dict[str, Any], fixtures: list[dict[str, Any]], now: float) -> None:
    """Raise the FixtureError ``populate`` and ``build`` would for these rules, without drawing anyone."""
    people, _ = _population(seed, creator_id, plan, now)
    for entry in fixtures:
        _named(people, creator_id, entry)


def _population(seed: int, creator_id: int, plan: dict[str, Any], now: float) -> tuple[Population, int]:
    """The creator's population, nobody active yet, and how many of its seeded fans may have expired."""
    seeded = plan["active"] + plan["expired"]
    first_id = plan.get("first_id") or 300_000_000 + salt(seed, creator_id, "first-id") % 400_000_000
    start = now - plan["days"] * 86_400.0
    named = [(person["id"], now - person["days_ago"] * 86_400.0) for person in plan["people"]]
    people = Population(seed, creator_id, seeded, start, now, first_id, 0, 0, plan["price"])
    taken = [user_id for user_id, _ in named if people.index_of(user_id) is not None]
    if taken or len({user_id for user_id, _ in named}) < len(named):
        raise FixtureError(f"creator {creator_id}: fans.people names an id twice, or one a seeded fan has "
                           f"({taken[:3] or 'repeated'})")
    people = Population(seed, creator_id, seeded, start, now, first_id, 0, 0, plan["price"], named)
    older = people.joined_before(now - PERIOD)
    if plan["expired"] > older:
        raise FixtureError(f"creator {creator_id}: {plan['expired']} expired fans, but only {older} subscribed "
                           "more than a month ago; widen fans.days")
    return people, older


def build(seed: int, creator: Creator, fixtures: list[dict[str, Any]]) -> dict[str, UserList]:
    """The creator's lists from fixture rules: system lists first as the fixture orders them, then custom."""
    people = creator.people
    assert people is not None
    pools = {"active": people.active, "expired": people.everyone & ~people.active, "all": people.everyone}
    lists = {"fans": UserList("fans", SYSTEM_NAMES["fans"], people.active, "fans")}
    for entry in fixtures:
        key = str(entry["id"])
        if key == "fans":
            continue
        system = key in SYSTEM_NAMES
        default = "all" if key in ("following", "tagged", "friends", "muted") else "active"
        pool = pools[str(entry.get("from_", default))]
        if key == "recent":
            members = newest(pool, entry["members"])
        else:
            members = draw(random.Random(f"{seed}:list:{creator.id}:{key}"), pool, entry["members"])
        members |= _named(people, creator.id, entry)
        name = entry.get("name") or SYSTEM_NAMES.get(key, f"List {key}")
        lists[key] = UserList(entry["id"], name, members, key if system else "custom")
        pools[key] = members
        if key == "rebill_off":
            people.renewing_off = members
    return lists


def _named(people: Population, creator_id: int, entry: dict[str, Any]) -> int:
    """The bitmap of the fans a fixture's list names by id (``users``); FixtureError for a non-fan."""
    members = 0
    for user_id in entry.get("users", []):
        index = people.index_of(user_id)
        if index is None:
            raise FixtureError(f"creator {creator_id}: user list {entry['id']} names {user_id}, who is not a fan; "
                               "name them under fans.people")
        members |= 1 << index
    return members


def find(creator: Creator, list_id: int | str) -> UserList:
    """The creator's list with that id (a number, a digit string or a system slug), or UserListNotFound."""
    found = creator.user_list(list_id)
    if found is None:
        raise UserListNotFound(f"User list {str(list_id)[:100]} not found.")
    return found


def editable(creator: Creator, list_id: int | str, action: str) -> UserList:
    """The creator's custom list with that id; a system list is refused for ``action``."""
    found = find(creator, list_id)
    if not found.is_custom:
        raise ListNotEditable(f"The system list {found.id} cannot be {action}.")
    return found


def search(creator: Creator, text: str | None) -> list[UserList]:
    """The creator's lists in order, those whose name contains ``text`` (any case) when given."""
    wanted = (text or "").casefold()
    return [found for found in creator.user_lists.values() if wanted in found.name.casefold()]


def check_name(name: str) -> str:
    """A list name is one line with something visible on it; control characters are refused."""
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValidationFailed({"name": ["The name must not contain control characters or line breaks."]})
    if not name.strip():
        raise ValidationFailed({"name": ["The name must not be blank."]})
    return name


def create(creator: Creator, name: str) -> UserList:
    """Make an empty custom list; ids only go up, so a deleted list's id is never reused."""
    check_name(name)
    custom = [found.id for found in creator.user_lists.values() if found.is_custom]
    if len(custom) >= MAX_CUSTOM_LISTS:
        raise TooManyLists()
    list_id = max([creator.next_list_id, *[int(found) + 1 for found in custom]])
    creator.next_list_id = list_id + 1
    created = UserList(list_id, name, 0, "custom")
    creator.user_lists[str(list_id)] = created
    return created


def rename(creator: Creator, list_id: int | str, name: str, pinned_to_feed: bool | None = None) -> UserList:
    """Rename a custom list, and pin it to the feed or unpin it when told."""
    found = editable(creator, list_id, "renamed")
    found.name = check_name(name)
    if pinned_to_feed is not None:
        found.pinned_to_feed = pinned_to_feed
    return found


def delete(creator: Creator, list_id: int | str) -> UserList:
    """Delete a custom list; messages already queued to it keep their recipients."""
    found = editable(creator, list_id, "deleted")
    del creator.user_lists[str(found.id)]
    return found


def add(creator: Creator, list_id: int | str, user_ids: list[int | str], skip_refused: bool = False) -> Change:
    """Put fans on a custom list; a non-fan fails the whole call unless ``skip_refused``."""
    found = editable(creator, list_id, "changed")
    indexes, refused = _fans(creator, user_ids)
    if refused and not skip_refused:
        user_id, reason = next(iter(refused.items()))
        raise UserRefused(f"User {user_id} cannot be added to this list: {reason}")
    for index in indexes:
        found.members |= 1 << index
    return Change([_people(creator).id_of(index) for index in indexes], refused)


def remove(creator: Creator, list_id: int | str, user_id: int | str) -> bool:
    """Take a fan off a custom list; return whether they were on it (removing a non-member changes nothing)."""
    found = editable(creator, list_id, "changed")
    index = _people(creator).index_of(user_id)
    if index is None or not found.members >> index & 1:
        return False
    found.members &= ~(1 << index)
    found.pinned &= ~(1 << index)
    return True


def pin(creator: Creator, list_id: int | str, user_id: int | str) -> UserList:
    """Pin a member on any list, system lists included; someone not on the list cannot be pinned."""
    found = find(creator, list_id)
    index = _people(creator).index_of(user_id)
    if index is None or not has(found, index):
        raise UserRefused(f"User {str(user_id)[:40]} is not on the list {found.id}, so cannot be pinned there.")
    found.pinned |= 1 << index
    return found


def clear(creator: Creator, list_id: int | str) -> UserList:
    """Take everyone off a custom list."""
    found = editable(creator, list_id, "changed")
    found.members = found.pinned = 0
    return found


def has(user_list: UserList, index: int) -> bool:
    """Whether fan ``index`` is on the list."""
    return bool(user_list.members >> index & 1)


def lists_of(creator: Creator, index: int) -> list[UserList]:
    """The creator's lists fan ``index`` is on (``has`` written out: this runs for every list of every fan shown)."""
    return [found for found in creator.user_lists.values() if found.members >> index & 1]


def _people(creator: Creator) -> Population:
    assert creator.people is not None
    return creator.people


def _fans(creator: Creator, user_ids: list[int | str]) -> tuple[list[int], dict[str, str]]:
    """Indexes of the fans among ``user_ids`` (each once, in order) and the refused ids with their reason."""
    indexes: dict[int, None] = {}
    refused: dict[str, str] = {}
    for user_id in user_ids:
        index = _people(creator).index_of(user_id)
        if index is None:
            refused[str(user_id)[:40]] = "User not found among this creator's fans"
        else:
            indexes[index] = None
    return list(indexes), refused
