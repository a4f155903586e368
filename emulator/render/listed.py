"""Mass messages as list entries, drawn through the queue's memo of renderings (``domain.renders``): an entry
is encoded once for each progress it is listed in, and its template (what depends on the item alone) once for as
long as the item stays as it is."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from ..domain.lifecycle import Lifecycle, Progress, progress, settles_at
from ..domain.models import Creator, QueueItem
from ..domain.renders import RenderMemo
from .messages import entry_template, fill_entry
from .stats import (
    engagement_template,
    fill_engagement,
    fill_overview,
    fill_sent_message,
    overview_template,
    sent_message_template,
)

Entry = dict[str, Any]


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity: a memo key, looked up often
class Shape:
    """A list entry in two steps: ``template(item, creator, *extra)`` draws the fields that depend on the item
    alone, with those of its progress in their places; ``fill(copy, item, state)`` writes the progress in."""

    template: Callable[..., Entry]
    fill: Callable[[Entry, QueueItem, Progress], Entry]


QUEUE_ENTRY = Shape(entry_template, fill_entry)  # OFAuth's queue lists
SENT_MESSAGE = Shape(sent_message_template, fill_sent_message)  # OFAuth's analytics lists; extra: the fakes
OVERVIEW_ITEM = Shape(overview_template, fill_overview)  # OnlyFansAPI's overview
ENGAGEMENT_ITEM = Shape(engagement_template, fill_engagement)  # OnlyFansAPI's engagement list


def rendered_json(memo: RenderMemo, shape: Shape, item: QueueItem, creator: Creator, state: Progress,
                  *extra: Any) -> orjson.Fragment:
    """The item in ``shape`` and ``state`` as JSON to embed in a response, from ``memo`` when the item has not
    changed since it was last listed in this state. ``memo`` is the queue's, of the same world as ``creator``
    and ``extra``: only the item and its state tell renderings apart."""
    token = memo.token
    kept = memo.recall(item.id, shape)
    if kept is not None and kept[0] == state:
        return kept[1]
    return _encoded(memo, token, shape, item, creator, state, state, extra)


def listed_json(memo: RenderMemo, shape: Shape, item: QueueItem, creator: Creator, now: float,
                lifecycle: Lifecycle, *extra: Any) -> orjson.Fragment:
    """``rendered_json`` with the item's progress at ``now``; kept under the instant it settles at
    (``lifecycle.settles_at``), a rendering serves every later instant without working progress out again."""
    token = memo.token
    kept = memo.recall(item.id, shape)
    if kept is not None and type(kept[0]) is float and kept[0] <= now:
        return kept[1]
    state = progress(item, now, lifecycle)
    if kept is not None and kept[0] == state:
        return kept[1]
    settled = settles_at(item, lifecycle)
    return _encoded(memo, token, shape, item, creator, state, state if now < settled else float(settled), extra)


def _encoded(memo: RenderMemo, token: int, shape: Shape, item: QueueItem, creator: Creator, shown: Progress,
             state: Progress | float, extra: tuple[Any, ...]) -> orjson.Fragment:
    """Fill a copy of the item's template with progress ``shown``, encode it, and keep it under ``state`` (a
    progress, or the instant it settled at), begun at ``token``; the template is kept too (at the entry's size,
    about what it holds beyond what it shares with the item and the vault)."""
    held = memo.recall(item.id, shape.template)
    template = shape.template(item, creator, *extra) if held is None else held[1]
    encoded = orjson.dumps(shape.fill(template.copy(), item, shown))
    if held is None:
        memo.keep(item.id, shape.template, None, template, len(encoded), token)
    fragment = orjson.Fragment(encoded)
    memo.keep(item.id, shape, state, fragment, len(encoded), token)
    return fragment
