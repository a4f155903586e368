"""Marshmallow fields that accept exactly what OFAuth's zod schemas accept, with zod's messages."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from ..domain.clock import parse_instant
from ..http.web import ascii_integer


def _kind(value: Any) -> str:
    """Name a JSON value's type the way zod does in 'Expected X, received Y'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _positive_integer(value: Any) -> int:
    if _kind(value) != "number":
        raise ValidationError(f"Expected number, received {_kind(value)}")
    if value != int(value):
        raise ValidationError("Expected integer, received float")
    if value <= 0:
        raise ValidationError("Number must be greater than 0")
    return int(value)


class Boolean(fields.Field):
    """A JSON boolean and nothing else ("true" and 1 are refused, as zod refuses them)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"Expected boolean, received {_kind(value)}")
        return value


class Number(fields.Field):
    """A JSON number within ``[minimum, maximum]``."""

    def __init__(self, minimum: float, maximum: float | None = None, integer: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.integer = minimum, maximum, integer

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float | int:
        if _kind(value) != "number":
            raise ValidationError(f"Expected number, received {_kind(value)}")
        if self.integer and value != int(value):
            raise ValidationError("Expected integer, received float")
        if value < self.minimum:
            raise ValidationError(f"Number must be greater than or equal to {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(f"Number must be less than or equal to {self.maximum}")
        return int(value) if self.integer else value


class PositiveInteger(fields.Field):
    """An OnlyFans id: an integer greater than 0."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        return _positive_integer(value)


class IdOrName(fields.Field):
    """An integer greater than 0, or a non-empty string (list names like ``fans``, numeric strings)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, str):
            if not value:
                raise ValidationError("String must contain at least 1 character(s)")
            return value
        if _kind(value) != "number":
            raise ValidationError(f"Expected number or string, received {_kind(value)}")
        return _positive_integer(value)


class Text(fields.Field):
    """A string at most ``max_length`` UTF-16 code units long, counted as JavaScript counts."""

    def __init__(self, max_length: int | None = None, min_length: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length, self.min_length = max_length, min_length

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"Expected string, received {_kind(value)}")
        length = len(value.encode("utf-16-le")) // 2
        if self.max_length is not None and length > self.max_length:
            raise ValidationError(f"String must contain at most {self.max_length} character(s)")
        if length < self.min_length:
            raise ValidationError(f"String must contain at least {self.min_length} character(s)")
        return value


class Instant(fields.Field):
    """An ISO-8601 date or timestamp, returned as epoch seconds."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if not isinstance(value, str):
            raise ValidationError(f"Expected string, received {_kind(value)}")
        try:
            return parse_instant(value).timestamp()
        except (ValueError, OverflowError) as error:
            raise ValidationError("Invalid date: use ISO-8601, e.g. 2026-12-01T18:00:00Z") from error


class Array(fields.List):
    """A JSON array (zod's message when it is not one)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list):
            raise ValidationError(f"Expected array, received {_kind(value)}")
        return super()._deserialize(value, attr, data, **kwargs)


class QueryInteger(fields.Field):
    """A whole number in a query string (zod's ``coerce.number().int()``), within ``[minimum, maximum]``."""

    def __init__(self, minimum: int, maximum: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        number = ascii_integer(value) if isinstance(value, str) else None
        if number is None:
            raise ValidationError("Expected integer, received string")
        if number < self.minimum:
            raise ValidationError(f"Number must be greater than or equal to {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise ValidationError(f"Number must be less than or equal to {self.maximum}")
        return number


class QueryBoolean(fields.Field):
    """``true`` or ``false`` in a query string, as the SDK sends booleans."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if value not in ("true", "false"):
            raise ValidationError("Expected 'true' or 'false'")
        return value == "true"
