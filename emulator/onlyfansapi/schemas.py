"""OnlyFansAPI's send and update bodies (seed 004 and the send docs), validated as the vendor's Laravel app does."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, validates_schema

from ..domain.errors import ValidationFailed
from ..domain.queue import MediaRef
from ..http.validation import BodySchema
from .fields import (
    Array,
    Boolean,
    Date,
    Identifier,
    IdList,
    Integer,
    MediaFile,
    Preview,
    String,
)

BANNED_TIERS = {"strict_ban": ("ban", "risky", "replace_soften"), "risky": ("risky", "replace_soften"),
                "replace_soften": ("replace_soften",)}


class UpdateMassMessage(BodySchema):
    """PUT /api/{account}/mass-messaging/{id}."""

    text = String(required=True)
    userLists = Array(Identifier())
    userIds = Array(Identifier())
    lockedText = Boolean()
    price = Integer()
    mediaFiles = Array(MediaFile())
    previews = Array(Preview())
    giphyId = String(allow_none=True)
    scheduledDate = Date()
    blockBannedWords = String()

    @validates_schema(skip_on_field_errors=False)
    def cross_field_rules(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Price is 0 or 3-200 and needs media; previews are among the media files, or indexes into them."""
        errors: dict[str, list[str]] = {}
        price = data.get("price")
        if price is not None and price != 0 and not 3 <= price <= 200:
            errors["price"] = ["The :attribute field must be 0 or between 3 and 200."]
        if price and not data.get("mediaFiles"):
            errors["mediaFiles"] = ["The :attribute field is required unless price is in 0."]
        media = data.get("mediaFiles") or []
        for n, preview in enumerate(data.get("previews") or []):
            if preview_index(preview, media) is None:
                errors[f"previews.{n}"] = ["The :attribute field must exist in mediaFiles."]
        tiers = data.get("blockBannedWords")
        if tiers is not None and tiers not in BANNED_TIERS:
            errors["blockBannedWords"] = ["The selected :attribute is invalid."]
        errors.update(self.more_rules(data))
        if errors:
            raise ValidationError(errors)

    def more_rules(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """Rules a subclass adds; none here."""
        return {}


class SendMassMessage(UpdateMassMessage):
    """POST /api/{account}/mass-messaging: the update body plus audience, timing and release-form fields."""

    excludedLists = Array(Identifier())
    saveForLater = Boolean()
    subscribedWithinLastDays = Integer()
    rfGuest = IdList()
    rfPartner = IdList()
    rfTag = IdList()

    def more_rules(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """``subscribedWithinLastDays`` is 1-30 and cannot be combined with a schedule or saving for later."""
        days = data.get("subscribedWithinLastDays")
        if days is None:
            return {}
        if not 1 <= days <= 30:
            return {"subscribedWithinLastDays": ["The :attribute field must be between 1 and 30."]}
        for other, name in (("scheduledDate", "scheduled date"), ("saveForLater", "save for later")):
            if data.get(other):
                return {"subscribedWithinLastDays": [f"The :attribute field prohibits {name} from being present."]}
        return {}


def preview_index(preview: int | str, media: list[str]) -> int | None:
    """Where a preview stands in ``mediaFiles``: an integer index, or the position of the same file."""
    if isinstance(preview, int) and preview < len(media):
        return preview
    return media.index(str(preview)) if str(preview) in media else None


def to_changes(data: dict[str, Any]) -> dict[str, Any]:
    """Turn a loaded update body into the queue's change set: only what the request names."""
    changes: dict[str, Any] = {"text": data["text"]}
    simple = {"userLists": "user_lists", "userIds": "user_ids", "lockedText": "locked_text", "price": "price",
              "giphyId": "giphy_id", "scheduledDate": "scheduled_at", "excludedLists": "exclude_user_lists",
              "saveForLater": "saved", "subscribedWithinLastDays": "subscribed_within_days"}
    for name, domain in simple.items():
        if name in data:
            changes[domain] = data[name]
    if "mediaFiles" in data:
        media = data["mediaFiles"]
        changes["media"] = [MediaRef("vault" if ref.isdigit() else "upload", int(ref) if ref.isdigit() else ref,
                                     f"media.{n}") for n, ref in enumerate(media)]
        changes["preview_indexes"] = [preview_index(preview, media) for preview in data.get("previews") or []]
    return changes


def to_draft(data: dict[str, Any]) -> dict[str, Any]:
    """Turn a loaded send body into a whole new message: the change set plus defaults and release forms."""
    draft = {"media": [], "user_lists": [], "user_ids": [], "exclude_user_lists": [], "price": 0,
             **to_changes(data)}
    forms = {"users": data.get("rfTag", []), "partners": data.get("rfPartner", []),
             "guests": data.get("rfGuest", [])}
    draft["release_forms"] = forms if any(forms.values()) else None
    return draft


def screen_banned_words(text: str, tiers: str | None, banned: dict[str, list[str]]) -> None:
    """Refuse text containing OnlyFans banned words of the tiers ``blockBannedWords`` names."""
    if tiers is None:
        return
    found = [word for tier in BANNED_TIERS[tiers] for word in banned.get(tier, [])
             if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)]
    if found:
        raise ValidationFailed({"text": [f"The :attribute field contains banned words: {', '.join(found)}."]})


FIELD_NAMES = {"media": "mediaFiles", "user_lists": "userLists", "user_ids": "userIds",
               "scheduled_at": "scheduledDate", "exclude_user_lists": "excludedLists"}
