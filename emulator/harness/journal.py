"""The request journal: what each vendor request sent and what its client got back, within a byte budget."""
from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import orjson

from ..domain.jsongate import load_text
from .pattern import compiled

# Names that carry credentials: their values are masked when recorded, so the journal never holds a secret.
SECRET = re.compile(r"auth|key|token|secret|passw|cookie|signature|credential|session-?id", re.IGNORECASE)
# What one entry costs beyond the bytes it stores: the object and its small fields, and per header the tuple
# and two string objects (measured with tracemalloc, and checked against it in tests/test_memory.py).
ENTRY_OVERHEAD = 1024
HEADER_OVERHEAD = 160
CACHED_HEADERS = 8 * 1024  # header sets up to this many bytes are remembered once cut and masked


@dataclass(frozen=True)
class JournalLimits:
    """How much one session's journal keeps: entries, bytes in all, and bytes per body and per header set."""

    size: int = 10_000
    budget: int = 4 * 1024 * 1024
    body_bytes: int = 16 * 1024
    header_bytes: int = 4 * 1024

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> JournalLimits:
        """The limits named by the configuration keys ``journal_size``, ``journal_bytes`` and friends."""
        return cls(settings["journal_size"], settings["journal_bytes"], settings["journal_body_bytes"],
                   settings["journal_header_bytes"])


@dataclass(slots=True)
class Entry:
    """One journaled request; bodies are kept as raw (cut) bytes and decoded only when read back."""

    seq: int
    time: str
    epoch: float
    vendor: str
    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    headers_truncated: bool
    body: bytes | None
    body_type: str | None
    body_size: int
    status: int
    dropped: bool
    handled_status: int
    response: bytes | None
    response_type: str | None
    response_size: int
    duration_ms: float
    fault: str | None
    rate_limit: dict[str, Any] | None
    retry_count: str | None
    request_id: str | None
    cost: int = field(default=0, repr=False)

    def show(self) -> dict[str, Any]:
        """The entry as the admin API shows it, bodies decoded through the JSON gate."""
        return {
            "seq": self.seq, "time": self.time, "epoch": self.epoch, "vendor": self.vendor, "method": self.method,
            "path": self.path, "query": self.query, "headers": dict(self.headers),
            "headers_truncated": self.headers_truncated,
            "body": load_text(self.body), "body_size": self.body_size,
            "body_truncated": self.body is not None and len(self.body) < self.body_size,
            "status": self.status, "dropped": self.dropped, "handled_status": self.handled_status,
            "response": load_text(self.response), "response_size": self.response_size,
            "response_truncated": self.response is not None and len(self.response) < self.response_size,
            "duration_ms": self.duration_ms, "fault": self.fault, "rate_limit": self.rate_limit,
            "retry_count": self.retry_count, "request_id": self.request_id,
        }


@functools.lru_cache(maxsize=64)  # a client sends the same key on every request: hash it once
def mask_value(value: str) -> str:
    """Hide a credential but keep its scheme, first characters and a fingerprint, so keys can be told apart."""
    scheme, space, secret = value.partition(" ")
    if not space or scheme.lower() not in ("bearer", "basic", "token"):
        scheme, secret = "", value
    fingerprint = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    shown = secret[:4] if len(secret) >= 16 else ""
    return f"{scheme} {shown}…{fingerprint}".lstrip()


@functools.lru_cache(maxsize=1024)
def is_secret(name: str) -> bool:
    """Whether a header's name says it carries a credential."""
    return SECRET.search(name) is not None


def recorded_headers(headers: list[tuple[str, str]], limit: int) -> tuple[tuple[tuple[str, str], ...], bool, int]:
    """The headers to keep, secrets masked, cut to ``limit`` bytes in all; whether any were cut; and what keeping
    them costs (their bytes and the overhead of each)."""
    key = tuple(headers)
    if sum(map(len, chain.from_iterable(key))) <= CACHED_HEADERS:
        return _recorded(key, limit)
    return _recorded.__wrapped__(key, limit)


@functools.lru_cache(maxsize=256)  # a client sends the same headers request after request: cut and mask them once
def _recorded(headers: tuple[tuple[str, str], ...], limit: int) -> tuple[tuple[tuple[str, str], ...], bool, int]:
    kept: list[tuple[str, str]] = []
    room = limit
    cut = False
    for name, value in headers:
        value = mask_value(value) if is_secret(name) else value
        if len(name) + len(value) > room:
            if room > len(name):
                kept.append((name, value[: room - len(name)]))
            cut = True
            break
        room -= len(name) + len(value)
        kept.append((name, value))
    return tuple(kept), cut, sum(len(name) + len(value) + HEADER_OVERHEAD for name, value in kept)


class Journal:
    """The newest requests of one session, oldest first, within ``limits``; thread-safe."""

    def __init__(self, limits: JournalLimits | None = None) -> None:
        self.limits = limits or JournalLimits()
        self.entries: deque[Entry] = deque()
        self.used = 0
        self.evicted = 0
        self._lock = threading.Lock()
        self._sequence = 0

    def record(self, time: str, epoch: float, vendor: str, method: str, path: str, query: str,
               headers: list[tuple[str, str]], body: bytes | None, body_size: int, body_type: str | None,
               fault: str | None, rate_limit: dict[str, Any] | None, retry_count: str | None,
               request_id: str | None, status: int, dropped: bool, handled_status: int, response: bytes | None,
               response_type: str | None, response_size: int, duration_ms: float) -> Entry:
        """Append one request, cutting what it stores to the limits; the oldest fall out past the budget."""
        limits = self.limits
        kept, cut, headers_cost = recorded_headers(headers, limits.header_bytes)
        path, query = path[: limits.header_bytes], query[: limits.header_bytes]
        body = None if body is None else body[: limits.body_bytes]
        response = None if response is None else response[: limits.body_bytes]
        # Entry's fields in their order, positionally (this runs for every request): the seq first, the cost last.
        entry = Entry(0, time, epoch, vendor, method, path, query, kept, cut, body, body_type, body_size, status,
                      dropped, handled_status, response, response_type, response_size, duration_ms, fault,
                      rate_limit, retry_count, request_id,
                      ENTRY_OVERHEAD + len(body or b"") + len(response or b"") + len(path) + len(query)
                      + headers_cost)
        with self._lock:
            self._sequence += 1
            entry.seq = self._sequence
            self.entries.append(entry)
            self.used += entry.cost
            while self.entries and (len(self.entries) > limits.size or self.used > limits.budget):
                self.used -= self.entries.popleft().cost
                self.evicted += 1
        return entry

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self.entries.clear()
            self.used = self.evicted = 0

    def select(self, method: str | None = None, path: str | None = None, status: int | None = None,
               vendor: str | None = None, since: float | None = None, limit: int | None = None) -> list[Entry]:
        """Entries matching every filter given, oldest first; ``limit`` keeps the newest N."""
        pattern = None if path is None else compiled(path)  # linear, never fnmatch's backtracking
        with self._lock:
            entries = list(self.entries)
        found = [entry for entry in entries
                 if (method is None or entry.method == method.upper())
                 and (pattern is None or pattern.matches(entry.path))
                 and (status is None or entry.status == status)
                 and (vendor is None or entry.vendor == vendor)
                 and (since is None or entry.epoch >= since)]
        return found[-limit:] if limit else found

    def query(self, **filters: Any) -> list[dict[str, Any]]:
        """Entries matching the filters of ``select``, as the admin API shows them."""
        return [entry.show() for entry in self.select(**filters)]


def render(entries: list[Entry], evicted: int) -> Iterator[bytes]:
    """Stream ``{"requests": [...], "count": N, "evicted": M}``, decoding one entry at a time."""
    yield b'{"requests":['
    for number, entry in enumerate(entries):
        yield (b"," if number else b"") + orjson.dumps(entry.show())
    yield b'],"count":%d,"evicted":%d}' % (len(entries), evicted)
