"""The OFAuth blueprint and its success reply: JSON with the connection's rate-limit headers."""
from __future__ import annotations

from flask import Blueprint, Response, g

from ..http.web import json_response
from .errors import rate_headers

bp = Blueprint("ofauth", __name__)


def reply(payload: object) -> Response:
    """A 200 with the connection's rate-limit headers and the request id."""
    return json_response(payload, 200, {**rate_headers(), "X-Request-Id": g.request_id})
