"""OFAuth's query strings for the list and analytics routes, with their documented (or chosen) limits."""
from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validates_schema

from ..http.web import loaded_query
from .fields import Instant, QueryBoolean, QueryInteger

MAX_RANGE_DAYS = 366


class Query(Schema):
    """Base: unknown parameters are ignored, as the vendor's zod schemas ignore them."""

    class Meta:
        unknown = EXCLUDE


class PageQuery(Query):
    """``limit``/``offset`` of the queue lists: the bounds of the documented ``/purchased`` list."""

    limit = QueryInteger(1, 100, load_default=20)
    offset = QueryInteger(0, load_default=0)


class DateRange(Query):
    """``startDate``/``endDate``, ISO-8601; the end may not come before the start."""

    startDate = Instant(load_default=None)
    endDate = Instant(load_default=None)

    @validates_schema
    def ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A range runs forwards and spans at most a year (chart points are per day)."""
        start, end = data.get("startDate"), data.get("endDate")
        if start is not None and end is not None:
            if end < start:
                raise ValidationError("endDate must not be before startDate", "endDate")
            if end - start > MAX_RANGE_DAYS * 86_400:
                raise ValidationError(f"The date range may span at most {MAX_RANGE_DAYS} days", "endDate")


class ChartQuery(DateRange):
    """``/analytics/mass-messages/chart``."""

    withTotal = QueryBoolean(load_default=True)


class SentQuery(DateRange):
    """``/analytics/mass-messages/sent``: a date range and a limit, no offset."""

    limit = QueryInteger(1, 100, load_default=20)


class BuyersQuery(Query):
    """``/analytics/mass-messages/{id}/buyers`` (docs-next: limit 1-20, default 10)."""

    limit = QueryInteger(1, 20, load_default=10)
    offset = QueryInteger(0, load_default=0)
    marker = QueryInteger(0, load_default=None)  # given, it wins over offset


query = loaded_query  # the request's query string loaded with a schema of this module
