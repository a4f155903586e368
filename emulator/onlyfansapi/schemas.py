"""The OnlyFansAPI update-mass-message body (seed 004), validated the way the vendor's Laravel app does."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validates_schema

from ..errors import ValidationFailed
from ..queue import MediaRef
from .fields import Array, Boolean, FutureDate, Identifier, Integer, MediaFile, String

BANNED_TIERS = {"strict_ban": ("ban", "risky", "replace_soften"), "risky": ("risky", "replace_soften"),
                "replace_soften": ("replace_soften",)}


class UpdateMassMessage(Schema):
    """PUT /api/{account}/mass-messaging/{id}."""

    class Meta:
        unknown = EXCLUDE

    text = String(required=True)
    userLists = Array(Identifier())
    userIds = Array(Identifier())
    lockedText = Boolean()
    price = Integer()
    mediaFiles = Array(MediaFile())
    previews = Array(MediaFile())
    giphyId = String(allow_none=True)
    scheduledDate = FutureDate()
    blockBannedWords = String()

    @validates_schema(skip_on_field_errors=False)
    def cross_field_rules(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Price is 0 or 3-200 and needs media; previews must be among the media files."""
        errors: dict[str, list[str]] = {}
        price = data.get("price")
        if price is not None and price != 0 and not 3 <= price <= 200:
            errors["price"] = ["The :attribute field must be 0 or between 3 and 200."]
        if price and not data.get("mediaFiles"):
            errors["mediaFiles"] = ["The :attribute field is required unless price is in 0."]
        media = data.get("mediaFiles") or []
        for n, preview in enumerate(data.get("previews") or []):
            if preview not in media:
                errors[f"previews.{n}"] = ["The :attribute field must exist in mediaFiles."]
        tiers = data.get("blockBannedWords")
        if tiers is not None and tiers not in BANNED_TIERS:
            errors["blockBannedWords"] = ["The selected :attribute is invalid."]
        if errors:
            raise ValidationError(errors)


def to_changes(data: dict[str, Any]) -> dict[str, Any]:
    """Turn a loaded body into the queue's change set: only what the request names."""
    changes: dict[str, Any] = {"text": data["text"]}
    simple = {"userLists": "user_lists", "userIds": "user_ids", "lockedText": "locked_text",
              "price": "price", "giphyId": "giphy_id", "scheduledDate": "scheduled_at"}
    for name, domain in simple.items():
        if name in data:
            changes[domain] = data[name]
    if "mediaFiles" in data:
        media = data["mediaFiles"]
        changes["media"] = [MediaRef("vault" if ref.isdigit() else "upload", int(ref) if ref.isdigit() else ref,
                                     f"media.{n}") for n, ref in enumerate(media)]
        changes["preview_indexes"] = [media.index(ref) for ref in data.get("previews") or []]
    return changes


def screen_banned_words(text: str, tiers: str | None, banned: dict[str, list[str]]) -> None:
    """Refuse text containing OnlyFans banned words of the tiers ``blockBannedWords`` names."""
    if tiers is None:
        return
    found = [word for tier in BANNED_TIERS[tiers] for word in banned.get(tier, [])
             if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)]
    if found:
        raise ValidationFailed({"text": [f"The :attribute field contains banned words: {', '.join(found)}."]})


FIELD_NAMES = {"media": "mediaFiles", "user_lists": "userLists", "user_ids": "userIds",
               "scheduled_at": "scheduledDate", "exclude_user_lists": "userLists"}
