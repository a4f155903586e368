"""Render any EmulatorError as OFAuth does: ``{"error", "type", "requestId"}`` plus details."""
from __future__ import annotations

from typing import Any

from flask import Response

from ..domain.errors import (
    EmulatorError,
    InvalidQuery,
    RateLimited,
    ValidationFailed,
)
from ..http.web import json_response, request_globals

MAX_DETAILS = 100


def rate_headers(found: Any) -> dict[str, str]:
    """The X-RateLimit-* headers of the request's connection, when it got that far (``found``: the request's
    ``g``)."""
    state = found.get("bucket_state")
    if state is None:
        return {}
    return {"X-RateLimit-Limit": str(state.limit), "X-RateLimit-Remaining": str(state.remaining),
            "X-RateLimit-Reset": str(state.reset_at)}


def render_error(error: EmulatorError) -> Response:
    """Build the OFAuth error response for ``error``."""
    found = request_globals()
    request_id = found.get("request_id", "req_unknown")
    body: dict[str, object] = {"error": error.message, "type": error.ofauth_type, "requestId": request_id}
    headers = {**rate_headers(found), "X-Request-Id": request_id}
    if isinstance(error, ValidationFailed):
        field, messages = next(iter(error.fields.items()))
        where = "query" if isinstance(error, InvalidQuery) else "request body"
        body["error"] = f"Invalid {where}: {field}: {messages[0]}"
        details = [{"field": field, "message": message}
                   for field, messages in error.fields.items() for message in messages]
        body["details"] = details[:MAX_DETAILS]
    action = error.action_required or ("try_again" if error.status >= 500 else None)
    if action:
        body["actionRequired"] = action
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    return json_response(body, error.status, headers)
