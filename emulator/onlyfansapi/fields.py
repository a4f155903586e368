"""Marshmallow fields that accept what Laravel's validation rules accept, with Laravel's messages.

Messages carry ``:attribute``; the error renderer replaces it with the field's display name.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

from ..clock import parse_instant

NUMERIC = re.compile(r"^-?\d+$")


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
        if isinstance(value, str) and NUMERIC.match(value.strip()):
            return int(value)
        if isinstance(value, (int, float)) and value == int(value):
            return int(value)
        raise ValidationError("The :attribute field must be an integer.")


class Identifier(Required):
    """A list or user id: a non-empty string or a positive whole number, kept as sent."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, str) and value.strip():
            return int(value) if value.isdigit() else value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        raise ValidationError("The :attribute field must be a string.")


class MediaFile(Required):
    """An upload id ``ofapi_media_...`` or a numeric vault media id."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str) and (text.isdigit() or re.match(r"^ofapi_media_\w+$", text)):
            return text
        raise ValidationError("The :attribute field must be an upload id (ofapi_media_...) or a vault media id.")


class FutureDate(Required):
    """Laravel ``date``; whether it is ``after:now`` is the queue's call, on the emulator's clock."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if not isinstance(value, str):
            raise ValidationError("The :attribute field must be a valid date.")
        try:
            return parse_instant(value).timestamp()
        except ValueError as error:
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
