"""Record every vendor request in its session's journal, after the response is final."""
from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, request

from .clock import format_instant
from .fault_http import DROP
from .journal import BODY_LIMIT
from .sessions import current_session


def _rate_limit_state() -> dict[str, Any] | None:
    state = g.get("bucket_state")
    if state is not None:
        return {"limit": state.limit, "remaining": state.remaining, "reset": state.reset_at}
    windows = g.get("key_windows")
    if windows is not None:
        return windows.report(current_session().clock.now())
    return None


def install(app: Flask) -> None:
    """Time each vendor request and journal it once its response is final."""
    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def journal(response: Response) -> Response:
        vendor = "onlyfansapi" if request.path.startswith("/api/") else "ofauth"
        if request.path.startswith(("/_emulator", "/openapi")):
            return response
        session = current_session()
        now = session.clock.now()
        rule = g.get("fault")
        dropped = bool(request.environ.get(DROP))
        session.journal.record({
            "time": format_instant(now), "epoch": round(now, 3), "vendor": vendor,
            "method": request.method, "path": request.path, "query": request.query_string.decode("latin-1"),
            "headers": list(request.headers.items()),
            "body": (request.get_data(cache=True)[:BODY_LIMIT], request.mimetype),
            "status": 0 if dropped else response.status_code, "dropped": dropped,
            "handled_status": g.get("handled_status", response.status_code),
            "response": (None, None) if dropped or response.is_streamed else (response.get_data(), response.mimetype),
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 3),
            "fault": rule.id if rule else None,
            "rate_limit": _rate_limit_state(),
            "retry_count": request.headers.get("x-stainless-retry-count"),
            "request_id": g.get("request_id"),
        })
        return response
