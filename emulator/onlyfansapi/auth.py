"""OnlyFansAPI's auth: a Bearer key, its rate-limit windows, the account it owns, its credits."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.errors import AccountNotFound, Forbidden, OutOfCredits, Unauthorized
from ..domain.models import Account, Creator, OnlyFansAPIKey
from ..harness.session import Session
from ..http.context import locked_session
from ..http.web import request_globals, this_request


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the session, the key, and the account and creator the path names."""

    session: Session
    key: OnlyFansAPIKey
    account: Account
    creator: Creator


def bearer_key() -> str:
    """The token of an ``Authorization: Bearer`` header, or an empty string."""
    scheme, _, token = this_request().environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def identify(session: Session) -> OnlyFansAPIKey:
    """Check the key and count the request against its team's windows (the vendor shares them per team)."""
    session.events.settle(session.world, session.clock.now())
    key = session.world.onlyfansapi_keys.get(bearer_key())
    if key is None:
        raise Unauthorized()
    windows = session.key_windows(key.team, key.limit_minute, key.limit_day)
    found = request_globals()
    found.key_windows, found.onlyfansapi_key = windows, key
    windows.hit(session.clock.now())
    return key


def authenticate(session: Session, account_id: str) -> Caller:
    """Check the key, count the request against its team's windows, then check the account and credits."""
    key = identify(session)
    found = session.world.accounts.get(account_id)
    if found is None:
        raise AccountNotFound(f"Account {account_id} not found.")
    account, owner = found
    if owner.team != key.team:
        raise Forbidden()
    if key.credits <= 0:
        raise OutOfCredits()
    return Caller(session, key, account, session.world.creator(account.creator_id))


def requires_account(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view with a Caller as first argument, holding the session's lock throughout."""
    @functools.wraps(view)
    def wrapper(account: str, *args: Any, **kwargs: Any) -> Any:
        with locked_session() as session:
            return view(authenticate(session, account), *args, **kwargs)
    return wrapper
