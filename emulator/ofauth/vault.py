"""OFAuth's vault routes: ``/v2/access/vault/media``, ``/vault/lists`` and one list's media."""
from __future__ import annotations

import re
from typing import Any

from flask import Response
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from ..domain import vault
from ..domain.models import MEDIA_TYPES
from ..domain.paging import by_offset
from ..render.media import vault_list, vault_media, vault_totals
from .auth import Caller, requires
from .blueprint import bp, reply
from .fields import QueryInteger, Text
from .queries import query

LIST_ID = re.compile(r"([0-9]{1,18})(?:\.0+)?")  # the SDK types vault list ids as floats: 7306.0


class Choice(fields.Field):
    """One of a few strings, with zod's enum message."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if value not in self.choices:
            expected = " | ".join(f"'{choice}'" for choice in self.choices)
            raise ValidationError(f"Invalid enum value. Expected {expected}, received '{value}'")
        return str(value)


class FolderQuery(Schema):
    """``/vault/lists``: limit 1-40 (default 24), offset, and a search text of at most 100 characters."""

    class Meta:
        unknown = EXCLUDE

    limit = QueryInteger(1, 40, load_default=24)
    offset = QueryInteger(0, load_default=0)
    query = Text(max_length=100, load_default=None)


class MediaQuery(FolderQuery):
    """``/vault/media``: SDK 3.1.0's ``sort``/``type`` and the older ``sortBy``/``sortDirection``/``mediaType``."""

    sort = Choice(vault.SORTS, load_default=None)
    sortBy = Choice(("recent", "most-liked", "highest-tips"), load_default=None)
    sortDirection = Choice(("asc", "desc"), load_default=None)
    type = Choice(MEDIA_TYPES, load_default=None)
    mediaType = Choice(MEDIA_TYPES, load_default=None)
    listId = QueryInteger(1, load_default=None)


FOLDERS, MEDIA = FolderQuery(), MediaQuery()


def sort_of(asked: dict[str, Any]) -> str:
    """The sort a request means, whichever SDK generation sent it (3.1.0 maps the old names the same way)."""
    if asked["sort"]:
        return str(asked["sort"])
    if asked["sortBy"] in ("most-liked", "highest-tips"):
        return str(asked["sortBy"]).replace("-", "_")
    return "oldest" if asked["sortDirection"] == "asc" else "recent"


def _media_page(caller: Caller, folder_id: int | None) -> Response:
    asked, world = query(MEDIA), caller.session.world
    found = vault.search(caller.creator, world.seed, asked["type"] or asked["mediaType"], folder_id,
                         asked["query"], sort_of(asked))
    page = by_offset(found, asked["offset"], asked["limit"])
    now = caller.session.clock.now()
    return reply({"list": [vault_media(media, caller.creator, world.seed, now) for media in page.items],
                  "hasMore": page.has_more})


@bp.get("/v2/access/vault/media")
@requires("vault:read")
def list_vault_media(caller: Caller) -> Response:
    """The creator's vault media, newest first unless sorted otherwise; ``listId`` keeps one folder's."""
    return _media_page(caller, query(MEDIA)["listId"])


@bp.get("/v2/access/vault/lists")
@requires("vault:read")
def list_vault_lists(caller: Caller) -> Response:
    """The creator's vault folders, built-in first, with counts over the whole vault in ``all``."""
    asked, creator = query(FOLDERS), caller.creator
    page = by_offset(vault.matching_folders(creator, asked["query"]), asked["offset"], asked["limit"])
    return reply({"list": [vault_list(folder, creator) for folder in page.items], "all": vault_totals(creator),
                  "hasMore": page.has_more, "canCreateVaultLists": True, "order": "desc", "sort": "recent"})


@bp.get("/v2/access/vault/lists/<list_id>/media")
@requires("vault:read")
def list_vault_list_media(caller: Caller, list_id: str) -> Response:
    """The media of one vault folder; an unknown folder is 404."""
    matched = LIST_ID.fullmatch(list_id)
    folder = vault.folder(caller.creator, int(matched.group(1)) if matched else None)
    return _media_page(caller, folder.id)
