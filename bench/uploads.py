"""Upload memory for bench/run.py: many large files through both vendors' upload routes, resident memory read
before, after the first tenth and at the end. The files are streamed from a repeated chunk on this side too."""
from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

from memory import ACCOUNT, MB, OFAUTH, ONLYFANSAPI, rss_mb

CHUNK = bytes(range(256)) * 4096  # 1 MiB
BOUNDARY = "benchupload7d3f"


def _chunks(size: int) -> Iterator[bytes]:
    """``size`` bytes, a MiB at a time."""
    while size > 0:
        yield CHUNK[:size]
        size -= len(CHUNK)


def _answer(connection: http.client.HTTPConnection) -> dict[str, Any]:
    response = connection.getresponse()
    body = response.read()
    if response.status >= 300:
        raise RuntimeError(f"upload answered {response.status}: {body[:200]!r}")
    return json.loads(body)


def ofauth_upload(connection: http.client.HTTPConnection, size: int) -> None:
    """One file through init, its part PUTs and complete, as the OFAuth SDK's upload_media sends it."""
    connection.request("POST", "/v2/access/uploads/init", json.dumps(
        {"filename": "bench.mp4", "filesize": size, "mimeType": "video/mp4", "vaultUpload": None}), OFAUTH)
    plan = _answer(connection)
    for part in plan["parts"]:
        length = part["byteRange"]["end"] - part["byteRange"]["start"] + 1
        path = f"/v2/access/uploads/{plan['mediaUploadId']}/parts/{part['partNumber']}"
        if plan["totalParts"] == 1:
            path = f"/v2/access/uploads/{plan['mediaUploadId']}"
        headers = {**OFAUTH, "Content-Type": "video/mp4", "Content-Length": str(length)}
        connection.request("PUT", path, _chunks(length), headers)
        _answer(connection)
    if plan["totalParts"] > 1:
        connection.request("POST", "/v2/access/uploads/complete",
                           json.dumps({"mediaUploadId": plan["mediaUploadId"]}), OFAUTH)
        _answer(connection)


def onlyfansapi_upload(connection: http.client.HTTPConnection, size: int) -> None:
    """One file as a multipart ``file`` in a single POST, as the OnlyFansAPI SDK's media.upload sends it."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.mp4\"\r\n"
            "Content-Type: video/mp4\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    headers = {"Authorization": ONLYFANSAPI["Authorization"], "Content-Length": str(len(head) + size + len(tail)),
               "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    connection.request("POST", f"/api/{ACCOUNT}/media/upload", iter([head, *_chunks(size), tail]), headers)
    _answer(connection)


def measure(port: int, pid: int, count: int, size_mb: float) -> dict[str, float]:
    """Send ``count`` uploads of ``size_mb`` MiB, alternating vendors; resident memory along the way."""
    size = int(size_mb * MB)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    figures = {"before": rss_mb(pid)}
    first = max(1, count // 10)
    for number in range(count):
        (ofauth_upload if number % 2 == 0 else onlyfansapi_upload)(connection, size)
        if number + 1 == first:
            figures["first"] = rss_mb(pid)
    figures["after"] = rss_mb(pid)
    connection.close()
    return figures


def report(figures: dict[str, float], count: int, size_mb: float) -> str:
    """The upload memory line: resident memory stays flat because no upload's bytes are kept."""
    first = max(1, count // 10)
    return (f"{count} uploads of {size_mb:g} MiB (OFAuth parts and OnlyFansAPI multipart, alternating): resident "
            f"{figures['before']:.1f} MB before, {figures['first']:.1f} MB after {first}, {figures['after']:.1f} MB "
            f"after {count} (+{figures['after'] - figures['first']:.1f} MB over the last {count - first}; "
            f"{count * size_mb:g} MiB sent; target: flat, the bytes are not kept: what grows is one vault item and the "
            f"journal entries per upload, within the journal's budget)")
