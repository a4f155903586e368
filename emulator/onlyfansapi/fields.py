"""Marshmallow fields that accept what Laravel's validation rules accept, with Laravel's messages.

Messages carry ``:attribute``; the error renderer replaces it with the field's display name.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

from ..domain.clock import parse_instant
from ..http.web import ascii_integer

VAULT_ID = re.compile(r"[0-9]{1,19}")
UPLOAD_ID = re.compile(r"ofapi_media_[A-Za-z0-9_]{1,64}")
NUMERIC = re.compile(r"-?[0-9]{1,18}")  # ASCII digits only; PHP_INT_MAX has 19


class Required(fields.Field):
    """Base: Laravel's ``required`` refuses null and empty strings, with its own message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": "The :attribute field is required.",
                                             "null": "The :attribute field is required."})
        super().__init__(**kwargs)


class String(Required):
    """Laravel ``string``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError("The :attribute field must be a string.")
        if self.required and not value.strip():
            raise ValidationError("The :attribute field is required.")
        return value


class Boolean(Required):
    """Laravel ``boolean``: true, false, 1, 0, "1" and "0"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if value in (True, False, 1, 0, "1", "0") and not isinstance(value, float):
            return bool(int(value))
        raise ValidationError("The :attribute field must be true or false.")


class Integer(Required):
    """Laravel ``integer``: whole numbers, also as numeric strings; never booleans or fractions."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise ValidationError("The :attribute field must be an integer.")
        number = ascii_integer(value) if isinstance(value, str) else None  # not strip(): it takes \x1c-\x1f too
        if number is not None:
            return number
        if isinstance(value, int) and abs(value) < 2**63:
            return value
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
            return int(value)
        raise ValidationError("The :attribute field must be an integer.")


class Identifier(Required):
    """A list or user id: a non-empty string or a positive whole number, kept as sent."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, str) and value.strip():
            return int(value) if NUMERIC.fullmatch(value) and int(value) > 0 else value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        raise ValidationError("The :attribute field must be a string.")


class MediaFile(Required):
    """An upload id ``ofapi_media_...`` or a numeric vault media id."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str) and (VAULT_ID.fullmatch(text) or UPLOAD_ID.fullmatch(text)):
            return text
        raise ValidationError("The :attribute field must be an upload id (ofapi_media_...) or a vault media id.")


class Date(Required):
    """Laravel ``date``; whether it is ``after:now`` is the queue's call, on the emulator's clock."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if not isinstance(value, str):
            raise ValidationError("The :attribute field must be a valid date.")
        try:
            return parse_instant(value).timestamp()
        except (ValueError, OverflowError) as error:
            raise ValidationError("The :attribute field must be a valid date.") from error


class Array(fields.List):
    """Laravel ``array``."""

    def __init__(self, inner: fields.Field, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"null": "The :attribute field must be an array."})
        super().__init__(inner, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list):
            raise ValidationError("The :attribute field must be an array.")
        return super()._deserialize(value, attr, data, **kwargs)


class Preview(MediaFile):
    """A preview: a media file as in ``mediaFiles``, or (newer docs) an integer index into ``mediaFiles``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
            return value
        return super()._deserialize(value, attr, data, **kwargs)


class IdList(Required):
    """Release-form ids: documented as an array of ids, typed a string by the SDK; both are taken."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[int]:
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list):
            raise ValidationError("The :attribute field must be an array of user ids.")
        ids = [Integer()._deserialize(part, attr, data) for part in parts]
        if any(user_id <= 0 for user_id in ids):
            raise ValidationError("The :attribute field must be an array of user ids.")
        return ids
