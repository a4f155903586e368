"""The OFAuth create-mass-message body, with every limit of the vendor's spec (seed 003)."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validates_schema

from ..domain.formatting import markdown_to_html
from ..domain.queue import MediaRef, as_id
from ..http.validation import BodySchema
from .fields import Array, Boolean, IdOrName, Instant, Number, PositiveInteger, Text

UPLOAD = re.compile(r"^upload:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
URL = re.compile(r"^https?://[^\s/]+\S*$")


class Body(BodySchema):
    """Base for request bodies: unknown keys are dropped, as zod's default object does."""


class ReleaseForms(Body):
    users = Array(PositiveInteger(), load_default=list)
    partners = Array(PositiveInteger(), load_default=list)
    guests = Array(PositiveInteger(), load_default=list)


class MediaItem(IdOrName):
    """A vault media id, an ``upload:<uuid>`` reference or an http(s) URL."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> MediaRef:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if isinstance(parsed, int):
            return MediaRef("vault", parsed, "")
        if as_id(parsed) >= 0:  # ASCII digits within 64 bits: "²", "１２" and 5,000 digits are not ids
            return MediaRef("vault", as_id(parsed), "")
        if UPLOAD.match(parsed):
            return MediaRef("upload", parsed, "")
        if URL.match(parsed):
            return MediaRef("url", parsed, "")
        raise ValidationError("Invalid media reference: use a vault media id, upload:<uuid> or an http(s) URL")


class CreateMassMessage(Body):
    """POST /v2/access/mass-messages."""

    isForwardedMessage = Boolean(allow_none=True, load_default=False)
    text = Text(max_length=10000, load_default="")
    replyToMessageId = Text(min_length=1, allow_none=True)
    mediaItems = Array(MediaItem(), load_default=list)
    isLockedText = Boolean(allow_none=True, load_default=False)
    price = Number(0, 200, allow_none=True, load_default=0)
    previewMediaCount = Number(0, integer=True, allow_none=True, load_default=0)
    releaseForms = fields.Nested(ReleaseForms, allow_none=True, load_default=None,
                                 error_messages={"type": "Expected object, received another type"})
    userTags = Array(PositiveInteger(), load_default=list)
    isMarkdown = Boolean(allow_none=True, load_default=True)
    scheduledDate = Instant(allow_none=True, load_default=None)
    userIds = Array(IdOrName(), load_default=list)
    userLists = Array(IdOrName(), load_default=list)
    subscribedAfterDate = Instant(allow_none=True, load_default=None)
    excludeUserLists = Array(IdOrName(), load_default=list)

    @validates_schema
    def previews_fit(self, data: dict[str, Any], **kwargs: Any) -> None:
        """The first N media are previews, so N cannot exceed the number of media."""
        count = data.get("previewMediaCount") or 0
        if count > len(data.get("mediaItems") or []):
            raise ValidationError("previewMediaCount cannot be greater than the number of mediaItems",
                                  "previewMediaCount")

    @validates_schema
    def price_is_free_or_ppv(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A price is 0 (free) or a PPV price of $3-$200, as the mass-message guide says."""
        price = data.get("price") or 0
        if 0 < price < 3:
            raise ValidationError("PPV price must be 0 (free) or from 3 to 200", "price")


def to_draft(data: dict[str, Any]) -> dict[str, Any]:
    """Turn a loaded body into the vendor-neutral draft the queue understands; markdown becomes HTML."""
    media = [MediaRef(ref.kind, ref.value, f"media.{n}") for n, ref in enumerate(data["mediaItems"])]
    markdown = data["isMarkdown"] is not False
    return {
        "text": markdown_to_html(data["text"]) if markdown else data["text"],
        "raw_text": data["text"],
        "media": media,
        "preview_count": data["previewMediaCount"] or 0,
        "price": float(data["price"] or 0),
        "locked_text": bool(data["isLockedText"]),
        "is_markdown": markdown,
        "is_forwarded": bool(data["isForwardedMessage"]),
        "reply_to_message_id": data.get("replyToMessageId"),
        "release_forms": data["releaseForms"],
        "user_tags": data["userTags"],
        "user_ids": data["userIds"],
        "user_lists": data["userLists"],
        "exclude_user_lists": data["excludeUserLists"],
        "subscribed_after": data["subscribedAfterDate"],
        "scheduled_at": data["scheduledDate"],
    }


SOURCES = {"text": "text", "raw_text": "text", "media": "mediaItems", "preview_count": "mediaItems",
           "price": "price", "locked_text": "isLockedText", "is_markdown": "isMarkdown",
           "is_forwarded": "isForwardedMessage", "reply_to_message_id": "replyToMessageId",
           "release_forms": "releaseForms", "user_tags": "userTags", "user_ids": "userIds", "user_lists": "userLists",
           "exclude_user_lists": "excludeUserLists", "subscribed_after": "subscribedAfterDate",
           "scheduled_at": "scheduledDate"}


def to_changes(data: dict[str, Any], named: set[str]) -> dict[str, Any]:
    """The draft's fields whose body keys the request ``named``: the guide's partial update."""
    return {key: value for key, value in to_draft(data).items() if SOURCES[key] in named}


FIELD_NAMES = {"media": "mediaItems", "user_lists": "userLists", "exclude_user_lists": "excludeUserLists",
               "scheduled_at": "scheduledDate", "user_ids": "userIds"}
