"""Errors raised where a problem is found; each vendor dialect renders them once."""
from __future__ import annotations

from typing import Any


class EmulatorError(Exception):
    """Base error: an HTTP status plus the upstream error type for each vendor."""

    status = 500
    ofauth_type = "UNKNOWN_ERROR"
    message = "An unknown error occurred."
    action_required: str | None = None

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.extra = extra


class ValidationFailed(EmulatorError):
    """The request body broke a documented limit; ``fields`` maps field paths to messages."""

    status = 400
    ofauth_type = "BAD_REQUEST"
    message = "Invalid request body."

    def __init__(self, fields: dict[str, list[str]], message: str | None = None) -> None:
        first = next(iter(fields.values()))[0] if fields else None
        super().__init__(message or first)
        self.fields = fields


class BadRequest(EmulatorError):
    """A request the vendor refuses outright (malformed JSON, wrong content type)."""

    status = 400
    ofauth_type = "BAD_REQUEST"


class PayloadTooLarge(EmulatorError):
    """The body is larger than the emulator accepts."""

    status = 413
    ofauth_type = "PAYLOAD_TOO_LARGE"
    message = "Request body is too large."


class FileTooLarge(PayloadTooLarge):
    """An upload larger than the vendor takes for its type (OFAuth documents no type for 413: BAD_REQUEST)."""

    ofauth_type = "BAD_REQUEST"
    message = "File too large."


class UnsupportedMedia(EmulatorError):
    """An upload of a file type the vendor does not take."""

    status = 415
    ofauth_type = "BAD_REQUEST"
    message = "Unsupported file type."


class UploadFailed(EmulatorError):
    """OFAuth: handing the file to OnlyFans failed (502 ``UPLOAD_ERROR``, "Retry upload")."""

    status = 502
    ofauth_type = "UPLOAD_ERROR"
    message = "Media upload failed."
    action_required = "try_again"


class Unauthorized(EmulatorError):
    """No API key, or one the vendor does not know."""

    status = 401
    ofauth_type = "UNAUTHORIZED"
    message = "Invalid or missing API key."


class SessionNotProvided(EmulatorError):
    """OFAuth: no connection id, or one this key does not own."""

    status = 401
    ofauth_type = "SESSION_NOT_PROVIDED"
    message = "A valid connection is required: send its id in the x-connection-id header."


class SessionExpired(EmulatorError):
    """OFAuth: the connection exists but its OnlyFans session has expired."""

    status = 401
    ofauth_type = "SESSION_EXPIRED"
    message = "Connection expired. Ask the creator to relink it through OFAuth Link."
    action_required = "relink_connection"


class VerifyIdentity(SessionExpired):
    """OFAuth: OnlyFans wants the creator to verify their identity before the connection works again."""

    message = "ID verification required: ask the creator to complete verification on OnlyFans."
    action_required = "verify_identity"


class Forbidden(EmulatorError):
    """The key is known but may not do this."""

    status = 403
    ofauth_type = "FORBIDDEN"
    message = "This action is unauthorized."


class AccountNotFound(EmulatorError):
    """OnlyFansAPI: no account with that id."""

    status = 404
    ofauth_type = "RESOURCE_NOT_FOUND"
    message = "Account not found."


class MessageNotFound(EmulatorError):
    """No queue item with that id for this creator (never existed, or deleted)."""

    status = 404
    ofauth_type = "RESOURCE_NOT_FOUND"
    message = "Mass message not found."


class MediaNotFound(EmulatorError):
    """No vault item, vault list or upload with that id for this creator."""

    status = 404
    ofauth_type = "RESOURCE_NOT_FOUND"
    message = "Media not found."


class RouteNotFound(EmulatorError):
    """No vendor route at that path and method."""

    status = 404
    ofauth_type = "ROUTE_NOT_FOUND"
    message = "Route not found."


class MethodNotAllowed(EmulatorError):
    """The path exists but not with this method."""

    status = 405
    ofauth_type = "ROUTE_NOT_FOUND"
    message = "Method not allowed."


class CannotChange(EmulatorError):
    """The queue item is past the point where this change is allowed."""

    status = 400
    ofauth_type = "BAD_REQUEST"


class RateLimited(EmulatorError):
    """A rate limit is exhausted; ``retry_after`` says for how many seconds."""

    status = 429
    ofauth_type = "RATE_LIMIT_EXCEEDED"
    message = "Rate limit exceeded. Retry after the time in the Retry-After header."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OutOfCredits(EmulatorError):
    """OnlyFansAPI: the key's credit balance is spent."""

    status = 402
    ofauth_type = "FORBIDDEN"
    message = "You have run out of credits. Top up your balance to continue making requests."


INJECTED_TYPES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "RESOURCE_NOT_FOUND",
                  429: "RATE_LIMIT_EXCEEDED"}
INJECTED_MESSAGES = {429: "Too Many Attempts.", 500: "Server Error", 502: "Bad Gateway",
                     503: "Service Unavailable", 504: "Gateway Timeout"}


class InjectedFault(EmulatorError):
    """An error a fault rule asked for, rendered in the vendor's shape like a real one."""

    def __init__(self, status: int) -> None:
        super().__init__(INJECTED_MESSAGES.get(status, f"Injected fault: HTTP {status}."))
        self.status = status
        self.ofauth_type = INJECTED_TYPES.get(status, "UNKNOWN_ERROR")


class QueueFull(EmulatorError):
    """The session already holds as many mass messages as the emulator keeps (``settings.max_messages``)."""

    status = 400
    ofauth_type = "BAD_REQUEST"
    message = "This emulator session holds as many mass messages as it keeps. Delete some, or reset it."


class InvalidQuery(ValidationFailed):
    """A query parameter broke a documented limit; ``fields`` maps parameter names to messages."""
