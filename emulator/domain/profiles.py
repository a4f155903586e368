"""Who a user lookup names: the creator themself, or one of their fans (current or expired), by id or username.

Anyone else is not found: the emulator knows no OnlyFans user beyond a creator and that creator's fans. A
username is found without walking the population: the seed's usernames end in the user id modulo 1000
(``Fakes.person``), so only the ids with that ending are tried, about one in 1,000 of the creator's id range.
"""
from __future__ import annotations

import re

from .errors import EmulatorError
from .fakes import ID_ENDINGS, Fakes
from .models import Creator
from .people import ID_STRIDE, Fan, Population

MAX_REFERENCE = 200  # characters of a reference quoted back in an error
ID_ENDING = re.compile(r"(?<![0-9])(0|[1-9][0-9]{0,2})\Z")  # what a seeded username ends with (fakes.ID_ENDINGS)


class UserNotFound(EmulatorError):
    """Nobody by that id or username is the creator or one of their fans."""

    status = 404
    ofauth_type = "RESOURCE_NOT_FOUND"
    message = "User not found."


def find(creator: Creator, fakes: Fakes, reference: str, now: float) -> Creator | Fan:
    """The user ``reference`` names, a numeric id or a username (any case): the creator, or a fan as of ``now``."""
    found = by_id(creator, reference, now) if _numeric(reference) else by_username(creator, fakes, reference, now)
    if found is None:
        raise UserNotFound(f"User {reference[:MAX_REFERENCE]} not found.")
    return found


def by_id(creator: Creator, user_id: int | str, now: float) -> Creator | Fan | None:
    """The creator or the fan with that user id (an int or a string of ASCII digits), or None."""
    if str(user_id) == str(creator.id):
        return creator
    people = creator.people
    if people is None:
        return None
    index = people.index_of(user_id)
    return None if index is None else people.fan(index, now)


def by_username(creator: Creator, fakes: Fakes, username: str, now: float) -> Creator | Fan | None:
    """The creator or the fan with that username (compared without case), or None; the lowest id wins a tie."""
    wanted = username.casefold()
    if creator.username.casefold() == wanted:
        return creator
    people = creator.people
    if people is None:
        return None
    for index in (*_named(people), *_seeded(people, wanted)):
        if fakes.person(people.id_of(index))["username"].casefold() == wanted:
            return people.fan(index, now)
    return None


def _numeric(reference: str) -> bool:
    return reference.isascii() and reference.isdigit()


def _named(people: Population) -> range:
    """The fixture's named people: their usernames may be anything, so each one is compared."""
    return range(people.seeded, people.size)


def _seeded(people: Population, username: str) -> list[int]:
    """The seeded fans whose id ends as ``username`` does (``id % 1000``), lowest id first."""
    ending = ID_ENDING.search(username) if username.isascii() else None
    if ending is None or people.seeded == 0:
        return []
    residue = int(ending.group(1))
    first = people.first_id + (residue - people.first_id) % ID_ENDINGS
    last = people.first_id + people.seeded * ID_STRIDE
    found = (people.index_of(user_id) for user_id in range(first, last, ID_ENDINGS))
    return [index for index in found if index is not None and index < people.seeded]


def find_many(creator: Creator, user_ids: list[int], now: float) -> list[Creator | Fan]:
    """The users those ids name, each once in the order first asked; an id of nobody known is left out."""
    found = (by_id(creator, user_id, now) for user_id in dict.fromkeys(user_ids))
    return [user for user in found if user is not None]
