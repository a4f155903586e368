"""OnlyFansAPI's key-level routes: ``GET /api/accounts`` and ``GET /api/whoami``, answered bare (no envelope)."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response

from ..domain.clock import format_instant
from ..domain.models import Account, OnlyFansAPIKey
from ..harness.session import Session
from ..http.context import locked_session
from ..http.web import json_response
from ..render.fans import avatar_thumbs
from .auth import identify
from .blueprint import bp
from .errors import meta_headers
from .fields import String
from .queries import Query, query


class AccountsQuery(Query):
    """Route 1's filters, each an exact match, all of them together."""

    onlyfans_email = String(load_default=None)
    onlyfans_id = String(load_default=None)
    onlyfans_username = String(load_default=None)


ACCOUNTS = AccountsQuery()


def requires_key(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view with the session and the Bearer key; counted against the team's window, never charged."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with locked_session() as session:
            return view(session, identify(session), *args, **kwargs)
    return wrapper


def bare(payload: object) -> Response:
    """A body without ``data``/``_meta``, as these routes answer; the credit headers still say 0 used."""
    return json_response(payload, 200, meta_headers(used=0))


@bp.get("/accounts")
@requires_key
def list_accounts(session: Session, key: OnlyFansAPIKey) -> Response:
    """The accounts of the key's team, filtered by e-mail, OnlyFans id or username: a bare array."""
    asked = query(ACCOUNTS)
    found = []
    for account, owner in session.world.accounts.values():
        shown = _account(session, account)
        wanted = all(asked[name] in (None, str(shown[name])) for name in asked)
        if owner.team == key.team and wanted:
            found.append(shown)
    return bare(found)


@bp.get("/whoami")
@requires_key
def whoami(session: Session, key: OnlyFansAPIKey) -> Response:
    """The key's name and dates, and its team."""
    started = session.world.started_at
    team = key.team if key.team != key.key else f"{key.name} team"
    return bare({"api_key": {"name": key.name, "created_at": _laravel(started - 200 * 86_400),
                             "last_used_at": _laravel(session.clock.now())},
                 "team": {"name": team, "slug": _slug(team)}})


def _account(session: Session, account: Account) -> dict[str, Any]:
    creator = session.world.creator(account.creator_id)
    people = creator.people
    email = f"{creator.username}@example.com"
    return {"id": account.id, "display_name": f"Model: {creator.name}", "onlyfans_id": creator.id,
            "onlyfans_username": creator.username, "onlyfans_email": email, "is_authenticated": True,
            "authentication_progress": "completed",
            "onlyfans_user_data": {
                "id": creator.id, "name": creator.name, "username": creator.username, "email": email,
                "avatar": creator.avatar, "avatarThumbs": avatar_thumbs(creator.avatar), "header": None,
                "isPerformer": True, "isVerified": True,
                "subscribersCount": people.active.bit_count() if people else 0,
                "postsCount": len(creator.vault), "canCreateLists": True, "canSendChatToAll": True,
                "joinDate": format_instant(people.start if people else session.world.started_at),
                "lastSeen": format_instant(session.clock.now()), "view": "f"}}


def _laravel(moment: float) -> str:
    """Laravel's default JSON timestamp: microseconds and ``Z``."""
    return format_instant(moment).replace("+00:00", ".000000Z")


def _slug(name: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in name.lower()).split()) or "team"
