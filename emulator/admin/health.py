"""``GET /_emulator/health``: a readiness check for scripts and CI, open even under ``--admin-token``."""
from __future__ import annotations

import time

from flask import Blueprint, Flask, Response, current_app

from ..http.context import registry
from ..http.web import json_response

# Its own blueprint: the admin blueprint's token check must not apply to a probe that reveals nothing.
bp = Blueprint("health", __name__, url_prefix="/_emulator")
STARTED = "emulator.started"
VERSION = "emulator.version"
LOG_DROPPED = "emulator.log_dropped"  # set by serve: lines its stdout and stderr dropped (server/log_writer)


@bp.get("/health")
def health() -> Response:
    """Say the emulator is up: status, version, uptime, sessions held and evicted, log lines dropped."""
    uptime = time.monotonic() - current_app.extensions[STARTED]
    dropped = current_app.extensions.get(LOG_DROPPED)
    body = {"status": "ok", "version": current_app.extensions[VERSION], "uptime_seconds": round(uptime, 3),
            "sessions": len(registry().names()), "sessions_evicted": registry().evicted,
            "log_lines_dropped": dropped() if dropped else 0}
    return json_response(body, headers={"Cache-Control": "no-store"})


def install(app: Flask, version: str) -> None:
    """Register the health route, which reports ``version``, and start the uptime count."""
    app.extensions[STARTED] = time.monotonic()
    app.extensions[VERSION] = version
    app.register_blueprint(bp)
