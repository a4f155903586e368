"""End a client's connection with no response: what a ``drop`` fault does under the async server."""
from __future__ import annotations

import contextlib
import os
import socket
import stat

# Every open descriptor of this process: Linux's /proc, else the /dev/fd of macOS and the BSDs.
DESCRIPTORS = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
KNOWN = 8192  # clients whose descriptor is remembered (only its number: nothing is held open)
_known: dict[str, int] = {}


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def find_connection(client: str) -> socket.socket | None:
    """A copy of the server's socket whose peer is ``client`` ("host:port"), or None; close it when done.

    granian keeps its sockets to itself, so the socket is found among the process's descriptors by its peer
    address (unique among open connections). Closing the copy leaves granian's own descriptor open.
    """
    found = known_connection(client)
    if found is not None:
        return found
    wanted = _address(client)
    try:
        names = os.listdir(DESCRIPTORS)
    except OSError:  # no descriptor listing (Windows)
        return None
    for name in names:
        try:
            descriptor = int(name)
            if not stat.S_ISSOCK(os.fstat(descriptor).st_mode):
                continue
        except (OSError, ValueError):
            continue  # not a socket, or closed meanwhile
        probe = _probe(descriptor, wanted)
        if probe is not None:
            _known[client] = descriptor
            if len(_known) > KNOWN:
                _known.pop(next(iter(_known)), None)
            return probe
    return None


def known_connection(client: str) -> socket.socket | None:
    """``find_connection`` without the search: the descriptor ``client`` was last found on, when it still
    leads to that client (three system calls, where a search makes a few per open descriptor)."""
    descriptor = _known.get(client)
    if descriptor is None:
        return None
    probe = _probe(descriptor, _address(client))
    if probe is None:
        _known.pop(client, None)  # closed, or reused by another connection
    return probe


def _probe(descriptor: int, wanted: tuple[str, int]) -> socket.socket | None:
    """A copy of ``descriptor`` when it is a stream socket connected to ``wanted``, else None."""
    try:
        probe = socket.socket(fileno=os.dup(descriptor))
    except OSError:
        return None
    try:
        if probe.type == socket.SOCK_STREAM and probe.getpeername()[:2] == wanted:
            return probe
    except OSError:
        pass  # not a connected socket
    probe.close()
    return None


def shut_connection(client: str) -> bool:
    """Shut the server's socket whose peer is ``client``; return whether one was found.

    Shut down, not closed: granian still owns and closes the descriptor, and the client reads the end of the
    stream before any byte of a response.
    """
    connection = find_connection(client)
    if connection is None:
        return False
    with connection, contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    return True
