"""Who a mass message goes to, resolved as sets the same way for both vendors.

The audience is the union of the lists and the named users, minus everyone on the excluded lists, narrowed to
the fans who subscribed after a date; only the creator's fans (active or expired) count, so an id of someone
who is not a fan is skipped. The result is a bitmap over the creator's population (see ``people``).
"""
from __future__ import annotations

from .models import Creator, QueueItem
from .people import DAY

INTERNED = 64  # audiences a creator remembers for sharing: repeated campaigns cost one bitmap, not one each


def resolve(creator: Creator, user_lists: tuple[int | str, ...], user_ids: tuple[int | str, ...],
            excluded: tuple[int | str, ...], subscribed_after: float | None = None) -> int:
    """The recipients as a bitmap: ``(lists ∪ ids) ∖ excluded``, subscribed at or after ``subscribed_after``."""
    people = creator.people
    if people is None:
        return 0
    chosen = [creator.user_list(ref) for ref in user_lists]
    if len(chosen) == 1 and chosen[0] is not None and not user_ids and not excluded and subscribed_after is None:
        return chosen[0].members  # the list's own bitmap, shared rather than copied
    audience = 0
    for found in chosen:
        if found is not None:
            audience |= found.members
    for user_id in user_ids:
        index = people.index_of(user_id)
        if index is not None:
            audience |= 1 << index
    for ref in excluded:
        found = creator.user_list(ref)
        if found is not None:
            audience &= ~found.members
    if subscribed_after is not None:
        audience &= people.since(subscribed_after)
    return shared(creator, audience)


def shared(creator: Creator, audience: int) -> int:
    """An equal audience resolved recently, or this one: messages sent the same way share one bitmap."""
    found = creator.audiences.pop(audience, audience)
    creator.audiences[found] = found  # most recent last
    if len(creator.audiences) > INTERNED:
        del creator.audiences[next(iter(creator.audiences))]
    return found


def of_message(creator: Creator, item: QueueItem, now: float) -> int:
    """A message's recipients from its own fields; ``subscribedWithinLastDays`` counts back from ``now``."""
    after = item.subscribed_after
    if item.subscribed_within_days is not None:
        within = now - item.subscribed_within_days * DAY
        after = within if after is None else max(after, within)
    return resolve(creator, item.user_lists, item.user_ids, item.exclude_user_lists, after)
