"""Render any EmulatorError as OnlyFansAPI's Laravel app does: ``{"message"}``, 422 ``errors``."""
from __future__ import annotations

import re
from typing import Any

from flask import Response, g

from ..domain.errors import (
    AccountNotFound,
    EmulatorError,
    Forbidden,
    RateLimited,
    Unauthorized,
    ValidationFailed,
)
from ..http.web import json_response, request_globals

FIXED_MESSAGES = {Unauthorized: "Unauthenticated.", Forbidden: "This action is unauthorized.",
                  RateLimited: "Too Many Attempts."}


MAX_FIELDS = 100


def display(path: str) -> str:
    """Laravel's displayable attribute: ``mediaFiles.0`` reads ``media files.0``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", path).lower().replace("_", " ")


def meta_headers(used: int = 0, report: dict[str, Any] | None = None) -> dict[str, str]:
    """The vendor's credit and rate-limit headers for the request's key, once it has been identified (``report``:
    its windows' report, when the caller has it already).

    The daily headers appear only for a key that still has a (legacy) daily window.
    """
    found = request_globals()
    windows, key = found.get("key_windows"), found.get("onlyfansapi_key")
    if windows is None or key is None:
        return {}
    if report is None:
        report = windows.report(found.session.clock.now())
    headers = {"x-ofapi-credits-used": str(used), "x-ofapi-credits-balance": str(key.credits),
               "x-ofapi-is-cached": "false",
               "x-rate-limit-limit-minute": str(report["limit_minute"]),
               "x-rate-limit-remaining-minute": str(report["remaining_minute"]),
               "X-RateLimit-Limit": str(report["limit_minute"]),
               "X-RateLimit-Remaining": str(report["remaining_minute"])}
    if report["limit_day"] is not None:
        headers.update({"x-rate-limit-limit-day": str(report["limit_day"]),
                        "x-rate-limit-remaining-day": str(report["remaining_day"])})
    return headers


def render_error(error: EmulatorError) -> Response:
    """Build the OnlyFansAPI error response for ``error``."""
    headers = meta_headers()
    status = error.status
    body: dict[str, object] = {"message": FIXED_MESSAGES.get(type(error), error.message)}
    if isinstance(error, ValidationFailed):
        status = 422
        errors = {field: [message.replace(":attribute", display(field)) for message in messages]
                  for field, messages in list(error.fields.items())[:MAX_FIELDS]}
        first = next(iter(errors.values()))[0]
        more = sum(len(messages) for messages in error.fields.values()) - 1
        body = {"message": first + (f" (and {more} more error{'s' if more > 1 else ''})" if more else ""),
                "errors": errors}
    if isinstance(error, AccountNotFound):
        body["code"] = "account_not_found"
    if isinstance(error, RateLimited):
        now = g.session.clock.now()
        headers.update({"Retry-After": str(error.retry_after), "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": str(int(now) + error.retry_after)})
    return json_response(body, status, headers)
