"""Render any EmulatorError as OnlyFansAPI's Laravel app does: ``{"message"}``, 422 ``errors``."""
from __future__ import annotations

import re

from flask import Response, g

from ..errors import AccountNotFound, EmulatorError, Forbidden, RateLimited, Unauthorized, ValidationFailed
from ..web import json_response

FIXED_MESSAGES = {Unauthorized: "Unauthenticated.", Forbidden: "This action is unauthorized.",
                  RateLimited: "Too Many Attempts."}


MAX_FIELDS = 100


def display(path: str) -> str:
    """Laravel's displayable attribute: ``mediaFiles.0`` reads ``media files.0``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", path).lower().replace("_", " ")


def rate_headers() -> dict[str, str]:
    """The throttle headers of the request's key, once it has been identified."""
    windows = g.get("key_windows")
    if windows is None:
        return {}
    now = g.session.clock.now()
    return {"X-RateLimit-Limit": str(windows.minute.limit),
            "X-RateLimit-Remaining": str(windows.minute.remaining(now))}


def render_error(error: EmulatorError) -> Response:
    """Build the OnlyFansAPI error response for ``error``."""
    headers = rate_headers()
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
