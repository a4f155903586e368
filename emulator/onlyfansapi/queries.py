"""OnlyFansAPI's query strings for the list, overview, engagement and buyers routes, with Laravel's messages."""
from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validates_schema

from ..http.web import loaded_query
from .fields import Date, Integer, String

MAX_RANGE_DAYS = 366


class Bounded(Integer):
    """A Laravel ``integer|min:..|max:..`` query parameter."""

    def __init__(self, minimum: int, maximum: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        number = super()._deserialize(value, attr, data, **kwargs)
        if number < self.minimum:
            raise ValidationError(f"The :attribute field must be at least {self.minimum}.")
        if self.maximum is not None and number > self.maximum:
            raise ValidationError(f"The :attribute field must not be greater than {self.maximum}.")
        return number


class Flag(String):
    """A boolean in a query string: ``true``/``false`` as the SDK sends them, or Laravel's ``1``/``0``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        raise ValidationError("The :attribute field must be true or false.")


class Query(Schema):
    """Base: unknown parameters are ignored, as Laravel ignores them."""

    class Meta:
        unknown = EXCLUDE


class DateRange(Query):
    """``startDate``/``endDate`` (``Y-m-d H:i:s`` or ISO-8601, UTC); the end must come after the start."""

    startDate = Date(load_default=None)
    endDate = Date(load_default=None)

    @validates_schema
    def ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Laravel's ``after:startDate``, and at most a year of daily chart points."""
        start, end = data.get("startDate"), data.get("endDate")
        if start is not None and end is not None:
            if end <= start:
                raise ValidationError("The :attribute field must be a date after start date.", "endDate")
            if end - start > MAX_RANGE_DAYS * 86_400:
                raise ValidationError(f"The :attribute field must be within {MAX_RANGE_DAYS} days of start date.",
                                      "endDate")


class MessageSearch(DateRange):
    """The overview and the engagement list: a date range, a text filter and a page size."""

    limit = Bounded(1, 100, load_default=10)
    query = String(load_default=None)


class ChartQuery(DateRange):
    """The engagement chart: ``withTotal`` is true unless the caller says otherwise."""

    withTotal = Flag(load_default=True)


class BuyersQuery(Query):
    """A message's buyers, sent snake_case as the SDK sends them."""

    limit = Bounded(1, 100, load_default=10)
    marker = Bounded(0, load_default=None)  # given, it wins over offset
    offset = Bounded(0, load_default=0)
    skip_users = String(load_default=None)
    skip_users_dups = Bounded(0, 1, load_default=1)


query = loaded_query  # the request's query string loaded with a schema of this module
