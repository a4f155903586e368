"""OnlyFansAPI's vault routes: ``/media/vault`` and ``/media/vault/lists``."""
from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Response, request
from marshmallow import ValidationError

from ..domain import vault
from ..domain.models import MEDIA_TYPES
from ..domain.paging import by_offset
from ..render.media import vault_list, vault_list_light, vault_media, vault_totals
from .auth import Caller, requires_account
from .blueprint import bp, reply
from .errors import meta_headers
from .fields import String
from .queries import Bounded, Flag, Query, query

FIELDS = {"recent": "recent", "most-liked": "most_liked", "highest-tips": "highest_tips"}


class Choice(String):
    """Laravel ``in:...``."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if super()._deserialize(value, attr, data, **kwargs) not in self.choices:
            raise ValidationError("The selected :attribute is invalid.")
        return str(value)


class VaultQuery(Query):
    """``/media/vault``: limit 10-100 (default 24) as the SDK documents it."""

    field = Choice(tuple(FIELDS), load_default="recent")
    sort = Choice(("desc", "asc"), load_default="desc")
    type = Choice(MEDIA_TYPES, load_default=None)
    list = Bounded(1, load_default=None)
    query = String(load_default=None)
    limit = Bounded(10, 100, load_default=24)
    offset = Bounded(0, load_default=0)


class VaultListsQuery(Query):
    """``/media/vault/lists``."""

    query = String(load_default=None)
    limit = Bounded(1, 100, load_default=24)
    offset = Bounded(0, load_default=0)
    lightweight = Flag(load_default=False)


MEDIA, LISTS = VaultQuery(), VaultListsQuery()


def sort_of(asked: dict[str, Any]) -> str:
    """The vault's sort for a ``field`` and direction (``recent`` + ``asc`` is oldest first)."""
    chosen = FIELDS[asked["field"]]
    return "oldest" if chosen == "recent" and asked["sort"] == "asc" else chosen


@bp.get("/<account>/media/vault")
@requires_account
def list_vault_media(caller: Caller) -> Response:
    """The account's vault media; ``list`` keeps one vault list's (an unknown list is empty)."""
    asked, world = query(MEDIA), caller.session.world
    found = vault.search(caller.creator, world.seed, asked["type"], asked["list"], asked["query"], sort_of(asked))
    page = by_offset(found, asked["offset"], asked["limit"])
    now = caller.session.clock.now()
    return reply(caller, {"list": [vault_media(media, caller.creator, world.seed, now) for media in page.items],
                          "hasMore": page.has_more})


@bp.get("/<account>/media/vault/lists")
@requires_account
def list_vault_lists(caller: Caller) -> Response:
    """The account's vault lists (categories), full or ``lightweight``."""
    asked, creator = query(LISTS), caller.creator
    page = by_offset(vault.matching_folders(creator, asked["query"]), asked["offset"], asked["limit"])
    if asked["lightweight"]:
        listed, totals = [vault_list_light(folder) for folder in page.items], {"mediaCount": len(creator.vault)}
    else:
        listed, totals = [vault_list(folder, creator) for folder in page.items], vault_totals(creator)
    return tagged(caller, {"list": listed, "all": totals, "hasMore": page.has_more, "canCreateVaultLists": True,
                           "order": "desc", "sort": "recent"})


def tagged(caller: Caller, data: dict[str, Any]) -> Response:
    """``reply`` with an ETag over ``data``; a matching ``If-None-Match`` gets an empty 304, still charged a
    credit, its credit and rate-limit headers the only place to read them (as the SDK documents)."""
    tag = f'"{hashlib.md5(orjson.dumps(data)).hexdigest()}"'
    if tag in [value.strip() for value in request.headers.get("If-None-Match", "").split(",")]:
        caller.key.credits -= 1
        return Response(status=304, headers={**meta_headers(used=1), "ETag": tag})
    response = reply(caller, data)
    response.headers["ETag"] = tag
    return response
