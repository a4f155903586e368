"""The OnlyFansAPI blueprint and its success envelope: ``data``, ``_pagination`` where paged, and ``_meta``."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response

from ..http.web import base_url, json_response, request_globals, this_request
from .auth import Caller
from .errors import meta_headers

bp = Blueprint("onlyfansapi", __name__, url_prefix="/api")
CACHE = {"is_cached": False, "note": "Cache disabled for this endpoint"}


def reply(caller: Caller, data: object, next_page: dict[str, Any] | None | bool = False, used: int = 1) -> Response:
    """Charge ``used`` credits (one by default) and wrap ``data``; ``next_page`` (query parameters, or None on the
    last page) adds ``_pagination``."""
    key, now = caller.key, caller.session.clock.now()
    key.credits = max(0, key.credits - used)
    body: dict[str, Any] = {"data": data}
    if next_page is not False:
        body["_pagination"] = {"next_page": page_url(next_page) if next_page else None}
    report = request_globals().key_windows.report(now)
    body["_meta"] = {
        "_credits": {"used": used, "balance": key.credits, "note": "Always"},
        "_cache": CACHE,
        "_rate_limits": report,
    }
    return json_response(body, 200, meta_headers(used, report))


def page_url(parameters: dict[str, Any]) -> str:
    """The URL of the next page: this route on this host, with ``parameters`` as its query."""
    return f"{base_url()}{this_request().path}?{urlencode(parameters)}"
