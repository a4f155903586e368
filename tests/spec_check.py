"""Check every vendor response a test receives against the specs in openapi/, with openapi-core."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse

SPECS = Path(__file__).resolve().parent.parent / "openapi"
HOSTS = {"ofauth": "https://api.ofauth.com", "onlyfansapi": "https://app.onlyfansapi.com"}
SESSION_PREFIX = re.compile(r"^/s/[^/]+(?=/)")


@cache
def spec(vendor: str) -> OpenAPI:
    """The parsed spec of a vendor."""
    return OpenAPI.from_file_path(str(SPECS / f"{vendor}.yaml"))


def vendor_of(path: str) -> str | None:
    """Which vendor serves ``path``, or None for the emulator's own routes."""
    if path.startswith("/api/"):
        return "onlyfansapi"
    if path.startswith("/v2/"):
        return "ofauth"
    return None


def check_response(method: str, path: str, status: int, content_type: str, body: bytes,
                   fault: str = "") -> bool:
    """Validate one response; return False when there is nothing to check.

    That is a route outside the spec, or a body a fault rule deliberately sent outside it (``X-Emulator-Fault``
    ending in ``raw``).
    """
    path = SESSION_PREFIX.sub("", path, count=1)  # /s/{session}/v2/... is the route /v2/... of one session
    vendor = vendor_of(path)
    if vendor is None or "raw" in fault:
        return False
    request = MockRequest(HOSTS[vendor], method.lower(), path)
    response = MockResponse(body, status_code=status, content_type=content_type.split(";")[0])
    try:
        spec(vendor).validate_response(request, response)
    except (PathNotFound, OperationNotFound):
        return False
    return True


def httpx_hook(response: httpx.Response) -> None:  # noqa: F821 - httpx is imported by callers
    """An httpx response event hook that validates vendor responses as they arrive."""
    response.read()
    check_response(response.request.method, response.request.url.path, response.status_code,
                   response.headers.get("content-type", ""), response.content,
                   response.headers.get("x-emulator-fault", ""))
