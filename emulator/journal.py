"""The request journal: a bounded ring of what each vendor request sent and got back."""
from __future__ import annotations

import fnmatch
import json
import threading
from collections import deque
from typing import Any

MASKED = {"apikey", "authorization"}
BODY_LIMIT = 64 * 1024
RAW_FIELDS = ("body", "response")


def decoded(raw: bytes | None, mimetype: str | None) -> Any:
    """A stored body as JSON when it parses, else as (cut) text; None when empty."""
    if not raw:
        return None
    if mimetype and "json" in mimetype:
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            pass
    return raw[:BODY_LIMIT].decode("utf-8", "replace")


def mask(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Hide credentials but keep enough of them to tell keys apart."""
    shown = {}
    for name, value in headers:
        if name.lower() in MASKED:
            value = value[:10] + "…" if len(value) > 10 else "…"
        shown[name] = value
    return shown


class Journal:
    """The last ``size`` requests, oldest first; thread-safe."""

    def __init__(self, size: int = 10_000) -> None:
        self.entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._sequence = 0

    def record(self, entry: dict[str, Any]) -> None:
        """Append one request (the oldest falls out when the ring is full).

        ``body`` and ``response`` are kept as raw ``(bytes, mimetype)`` pairs and decoded only when queried,
        so a full ring stays small and recording stays cheap.
        """
        with self._lock:
            self._sequence += 1
            self.entries.append({"seq": self._sequence, **entry})

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self.entries.clear()

    def query(self, method: str | None = None, path: str | None = None, status: int | None = None,
              vendor: str | None = None, since: float | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Entries matching every filter given, newest last; ``limit`` keeps the newest N."""
        with self._lock:
            entries = list(self.entries)
        found = [entry for entry in entries
                 if (method is None or entry["method"] == method.upper())
                 and (path is None or fnmatch.fnmatchcase(entry["path"], path))
                 and (status is None or entry["status"] == status)
                 and (vendor is None or entry["vendor"] == vendor)
                 and (since is None or entry["epoch"] >= since)]
        chosen = found[-limit:] if limit else found
        return [{**entry, "headers": mask(entry["headers"]), **{name: decoded(*entry[name]) for name in RAW_FIELDS}}
                for entry in chosen]
