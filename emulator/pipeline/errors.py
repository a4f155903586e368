"""Route every error, from ours to Werkzeug's to a bug, to the right vendor's error shape."""
from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed

from ..domain import errors
from ..http.web import json_response
from ..ofauth.errors import render_error as ofauth_error
from ..onlyfansapi.errors import render_error as onlyfansapi_error

log = logging.getLogger(__name__)


def dialect_of(path: str) -> str:
    """Whose error shape a path gets: ``admin`` (the emulator's own), ``onlyfansapi``, else ``ofauth``."""
    if path.startswith("/_emulator"):
        return "admin"
    if path == "/api" or path.startswith("/api/"):
        return "onlyfansapi"
    return "ofauth"


def vendor_error(error: errors.EmulatorError) -> Response:
    """Render ``error`` in the dialect of the vendor whose path was requested."""
    dialect = dialect_of(request.path)
    if dialect == "admin":
        return json_response({"error": error.message, "status": error.status}, error.status)
    if dialect == "onlyfansapi":
        return onlyfansapi_error(error)
    return ofauth_error(error)


def from_werkzeug(error: HTTPException) -> errors.EmulatorError:
    """Translate Werkzeug's routing and size errors into the emulator's."""
    if isinstance(error, WerkzeugMethodNotAllowed):
        allowed = ", ".join(sorted(set(error.valid_methods or []) - {"OPTIONS"}))
        return errors.MethodNotAllowed(
            f"The {request.method} method is not supported for route {request.path.lstrip('/')}. "
            f"Supported methods: {allowed}.")
    if error.code == 413:
        return errors.PayloadTooLarge()
    if error.code == 404:
        return errors.RouteNotFound(f"The route {request.path.lstrip('/')} could not be found.")
    failure = errors.BadRequest(error.description or "Bad request.")
    failure.status = error.code or 400
    return failure


def install(app: Flask) -> None:
    """Register the handlers that make every error vendor-shaped, never a bare 500 page."""
    @app.errorhandler(errors.EmulatorError)
    def emulator_error(error: errors.EmulatorError) -> Response:
        return vendor_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = vendor_error(from_werkzeug(error))
        if isinstance(error, WerkzeugMethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(set(error.valid_methods) - {"OPTIONS"}))
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return vendor_error(errors.EmulatorError("An unknown error occurred."))
