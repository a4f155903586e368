"""The OFAuth blueprint and its success reply: JSON with the connection's rate-limit headers."""
from __future__ import annotations

from flask import Blueprint, Response

from ..http.web import json_response, request_globals
from .errors import rate_headers

bp = Blueprint("ofauth", __name__)


def reply(payload: object) -> Response:
    """A 200 with the connection's rate-limit headers and the request id."""
    found = request_globals()
    return json_response(payload, 200, {**rate_headers(found), "X-Request-Id": found.request_id})
