"""The emulator's own admin API under ``/_emulator/``: JSON in, JSON out, per session."""
from __future__ import annotations

from flask import Blueprint, Response

from .clock import format_instant, parse_instant
from .errors import BadRequest, EmulatorError
from .faults import FaultRuleError
from .sessions import current_session
from .web import json_body, json_response

bp = Blueprint("admin", __name__, url_prefix="/_emulator")


class RuleNotFound(EmulatorError):
    """No fault rule with that id in this session."""

    status = 404
    message = "No fault rule with that id."


@bp.get("/faults")
def list_faults() -> Response:
    """List the session's fault rules, in evaluation order, with how often each fired."""
    faults = current_session().faults
    return json_response({"rules": [rule.describe() for rule in faults.rules]})


@bp.post("/faults")
def add_fault() -> Response:
    """Add a fault rule at the end of the list; answer with it (and its id)."""
    try:
        rule = current_session().faults.add(json_body())
    except FaultRuleError as error:
        raise BadRequest(str(error)) from error
    return json_response(rule.describe(), 201)


@bp.delete("/faults/<rule_id>")
def delete_fault(rule_id: str) -> Response:
    """Remove one fault rule."""
    if not current_session().faults.remove(rule_id):
        raise RuleNotFound(f"No fault rule {rule_id!r}.")
    return json_response({"deleted": rule_id})


@bp.delete("/faults")
def clear_faults() -> Response:
    """Remove every fault rule of the session, the start-up profile's included."""
    current_session().faults.clear()
    return json_response({"deleted": "all"})


def clock_state() -> dict[str, object]:
    """The session clock as the admin API shows it."""
    clock = current_session().clock
    now = clock.now()
    return {"now": format_instant(now), "epoch": round(now, 3), "frozen": clock.frozen}


@bp.get("/clock")
def get_clock() -> Response:
    """Show the session's clock."""
    return json_response(clock_state())


@bp.post("/clock")
def move_clock() -> Response:
    """Advance the clock by seconds, set it to an instant, or freeze and unfreeze it."""
    body = json_body()
    clock = current_session().clock
    unknown = set(body) - {"advance", "now", "frozen"}
    if unknown or not body:
        raise BadRequest('Send {"advance": seconds}, {"now": "<ISO-8601>"} or {"frozen": true|false}.')
    advance, moment, frozen = body.get("advance"), body.get("now"), body.get("frozen")
    if advance is not None and (isinstance(advance, bool) or not isinstance(advance, (int, float))):
        raise BadRequest("advance is a number of seconds.")
    if frozen is not None and not isinstance(frozen, bool):
        raise BadRequest("frozen is true or false.")
    try:
        instant = parse_instant(moment).timestamp() if moment is not None else None
    except (TypeError, ValueError, AttributeError) as error:
        raise BadRequest("now is an ISO-8601 instant, e.g. 2026-12-01T18:00:00Z.") from error
    if frozen is not None:
        clock.freeze(frozen)
    if instant is not None:
        clock.set(instant)
    if advance is not None:
        clock.advance(float(advance))
    return json_response(clock_state())
