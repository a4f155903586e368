"""Whether a vendor request may create the session it names: only when its API key would pass authentication.

A new session's world is built from the fixtures, so its keys are the fixtures' keys: checking them here costs
no world, and a flood of requests with bad keys creates (and evicts) nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request

from ..onlyfansapi.auth import bearer_key
from .errors import dialect_of


def fixture_keys(document: dict[str, Any]) -> Callable[[], bool]:
    """A check of the request's API key (OFAuth ``apiKey``, OnlyFansAPI Bearer) against the fixtures' keys."""
    ofauth = frozenset(key["key"] for key in document["ofauth_keys"])
    onlyfansapi = frozenset(key["key"] for key in document["onlyfansapi_keys"])

    def admits() -> bool:
        if dialect_of(request.path) == "onlyfansapi":
            return bearer_key() in onlyfansapi
        return request.headers.get("apiKey", "") in ofauth

    return admits
