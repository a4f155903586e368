"""HTTP plumbing shared by both vendors: strict JSON bodies and JSON responses."""
from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response, current_app, request

from .errors import BadRequest, PayloadTooLarge

MAX_BODY = 1024 * 1024


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise BadRequest(f"Malformed JSON body: the key {key!r} appears more than once.")
        obj[key] = value
    return obj


def _reject_constant(name: str) -> None:
    raise BadRequest(f"Malformed JSON body: {name} is not valid JSON.")


def json_body(limit: int = MAX_BODY) -> dict[str, Any]:
    """Return the request's JSON object, or raise a vendor-neutral 400/413 saying what is wrong."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
    if not raw.strip():
        return {}
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise BadRequest(f"Content-Type must be application/json, not {request.mimetype or 'missing'!r}.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"Request body is not valid UTF-8 (byte {error.start}).") from error
    try:
        body = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise BadRequest(f"Malformed JSON body: {error.msg} at line {error.lineno} column {error.colno}.") from error
    except (RecursionError, ValueError) as error:
        raise BadRequest("Malformed JSON body: it is nested too deeply or has a number too large.") from error
    if not isinstance(body, dict):
        raise BadRequest(f"The request body must be a JSON object, not {type(body).__name__}.")
    return body


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialise ``payload`` compactly with orjson (UTF-8, keys in the order they were built)."""
    return current_app.response_class(orjson.dumps(payload), status=status, headers=headers,
                                      mimetype="application/json")
