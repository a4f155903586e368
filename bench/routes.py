"""The routes bench/run.py loads, both vendors' hot paths, each as the emulator and as Prism 5 are sent it.

A route is a name, a vendor and a maker of requests. The emulator's makers use ids the bench creates first (a
delete needs a new message each time; an update, one scheduled message per connection); Prism answers every
id from its examples, so it gets fixed ones. On the emulator, the routes that write do it in a session of their
own (``WRITES``), so the reads see the default fixtures, as the targets are set for them.
"""
from __future__ import annotations

import http.client
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from load import Maker
from memory import ACCOUNT, OFAUTH, ONLYFANSAPI

API = f"/api/{ACCOUNT}"
CREATE_BODY = json.dumps({"text": "Benchmark", "userLists": ["fans"], "mediaItems": [4100000001, 4100000004],
                          "previewMediaCount": 1, "price": 9.99, "scheduledDate": "2035-01-01T00:00:00Z"})
SEND_BODY = json.dumps({"text": "Benchmark", "userLists": ["fans"], "mediaFiles": ["4100000001"], "price": 9})
INIT_BODY = json.dumps({"filename": "clip.mp4", "size": 7_340_032, "contentType": "video/mp4"})
MULTIPART = "benchroute7d3f"
UPLOAD_BODY = (f"--{MULTIPART}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
               "Content-Type: image/jpeg\r\n\r\n").encode() + b"\xff\xd8\xff\xe0" + b"\x00" * 1020 + \
    f"\r\n--{MULTIPART}--\r\n".encode()
UPLOAD_HEADERS = {"Authorization": ONLYFANSAPI["Authorization"],
                  "Content-Type": f"multipart/form-data; boundary={MULTIPART}"}
STANDING = 3100000001  # a message of the default fixtures: sent, with media and buyers
WRITES = {"X-Emulator-Session": "bench-writes"}
UPLOAD_SESSIONS = itertools.count(1)


@dataclass(frozen=True)
class Route:
    """One route of the comparison: ``emulator(port, requests)`` and ``prism()`` give its request maker."""

    name: str
    vendor: str
    kind: str  # "get", "put", "list", or another verb: which targets apply
    emulator: Callable[[int, int], Maker]
    prism: Callable[[], Maker]


def _fixed(method: str, path: str, body: str | bytes | None, headers: dict[str, str]) -> Maker:
    return lambda w, n: (method, path, body, headers)


def _both(method: str, path: str, body: str | bytes | None = None, headers: dict[str, str] | None = None
          ) -> tuple[Callable[[int, int], Maker], Callable[[], Maker]]:
    headers = headers if headers is not None else (ONLYFANSAPI if path.startswith("/api") else OFAUTH)
    mine = {**headers, **WRITES} if method != "GET" else headers
    return (lambda port, requests: _fixed(method, path, body, mine)), (lambda: _fixed(method, path, body, headers))


def uploads(port: int, requests: int) -> Maker:
    """The upload route's maker, in a session of its own each time it is made (each round): a creator's vault
    keeps at most 10,000 uploaded media (``domain.vault.MAX_VAULT``), fewer than the rounds upload together, and
    the uploads past it would be refused."""
    headers = {**UPLOAD_HEADERS, "X-Emulator-Session": f"bench-uploads-{next(UPLOAD_SESSIONS)}"}
    return _fixed("POST", API + "/media/upload", UPLOAD_BODY, headers)


def create_ids(port: int, count: int) -> list[int]:
    """Create ``count`` scheduled messages through OFAuth; return their ids."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    ids = []
    for _ in range(count):
        connection.request("POST", "/v2/access/mass-messages", body=CREATE_BODY, headers={**OFAUTH, **WRITES})
        ids.append(json.loads(connection.getresponse().read())["id"])
    connection.close()
    return ids


def _each_new(template: str, headers: dict[str, str]) -> Callable[[int, int], Maker]:
    """A maker deleting a message of its own on every request (created before the load starts)."""
    def make(port: int, requests: int) -> Maker:
        pending: Iterator[int] = iter(create_ids(port, requests * 2 + 400))  # 1 and 8 connections, and warm-up
        return lambda w, n: ("DELETE", template.format(next(pending)), None, {**headers, **WRITES})
    return make


def _per_connection(method: str, template: str, headers: dict[str, str]) -> Callable[[int, int], Maker]:
    """A maker updating one scheduled message per connection, with a new text each time."""
    def make(port: int, requests: int) -> Maker:
        ids = create_ids(port, 8)
        return lambda w, n: (method, template.format(ids[w % 8]), json.dumps({"text": f"Edit {n}"}),
                             {**headers, **WRITES})
    return make


def _updates_prism(method: str, path: str, headers: dict[str, str]) -> Callable[[], Maker]:
    return lambda: (lambda w, n: (method, path, json.dumps({"text": f"Edit {n}"}), headers))


def catalog() -> list[Route]:
    """Every route measured, OFAuth's first."""
    message, ofapi_message = "/v2/access/mass-messages/{}", API + "/mass-messaging/{}"
    return [
        Route("create (POST)", "ofauth", "post", *_both("POST", "/v2/access/mass-messages", CREATE_BODY)),
        Route("get (GET)", "ofauth", "get", *_both("GET", message.format(STANDING))),
        Route("update (PUT)", "ofauth", "put", _per_connection("PUT", message, OFAUTH),
              _updates_prism("PUT", message.format(STANDING), OFAUTH)),
        Route("delete (DELETE)", "ofauth", "delete", _each_new(message, OFAUTH),
              _both("DELETE", message.format(STANDING))[1]),
        Route("list messages", "ofauth", "list", *_both("GET", "/v2/access/mass-messages")),
        Route("list scheduled", "ofauth", "list", *_both("GET", "/v2/access/mass-messages/scheduled")),
        Route("analytics chart", "ofauth", "list", *_both("GET", "/v2/access/analytics/mass-messages/chart")),
        Route("members page", "ofauth", "list", *_both("GET", "/v2/access/users/lists/fans/users")),
        Route("upload init", "ofauth", "post", *_both("POST", "/v2/access/uploads/init", INIT_BODY)),
        Route("send (POST)", "onlyfansapi", "post", *_both("POST", API + "/mass-messaging", SEND_BODY)),
        Route("get (GET)", "onlyfansapi", "get", *_both("GET", ofapi_message.format(STANDING))),
        Route("update (PUT)", "onlyfansapi", "put", _per_connection("PUT", ofapi_message, ONLYFANSAPI),
              _updates_prism("PUT", ofapi_message.format(STANDING), ONLYFANSAPI)),
        Route("delete (DELETE)", "onlyfansapi", "delete", _each_new(ofapi_message, ONLYFANSAPI),
              _both("DELETE", ofapi_message.format(STANDING))[1]),
        Route("list messages", "onlyfansapi", "list", *_both("GET", API + "/mass-messaging")),
        Route("overview", "onlyfansapi", "list", *_both("GET", API + "/mass-messaging/overview")),
        Route("engagement list", "onlyfansapi", "list",
              *_both("GET", API + "/engagement/messages/mass-messages")),
        Route("members page", "onlyfansapi", "list", *_both("GET", API + "/user-lists/fans/users")),
        Route("upload (1 KiB)", "onlyfansapi", "post", uploads,
              lambda: _fixed("POST", API + "/media/upload", UPLOAD_BODY, UPLOAD_HEADERS)),
    ]
