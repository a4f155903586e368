"""End a client's connection with no response: what a ``drop`` fault does under the async server."""
from __future__ import annotations

import os
import socket
import stat

# Every open descriptor of this process: Linux's /proc, else the /dev/fd of macOS and the BSDs.
DESCRIPTORS = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def shut_connection(client: str) -> bool:
    """Shut the server's socket whose peer is ``client`` ("host:port"); return whether one was found.

    granian keeps its sockets to itself, so the socket is found among the process's descriptors by its peer
    address (unique among open connections) and shut down, not closed: granian still owns and closes the
    descriptor, and the client reads the end of the stream before any byte of a response.
    """
    wanted = _address(client)
    try:
        names = os.listdir(DESCRIPTORS)
    except OSError:  # no descriptor listing (Windows): the server answers 500 instead
        return False
    for name in names:
        try:
            descriptor = int(name)
            if not stat.S_ISSOCK(os.fstat(descriptor).st_mode):
                continue
            with socket.socket(fileno=os.dup(descriptor)) as probe:  # a copy: closing it leaves granian's open
                if probe.type != socket.SOCK_STREAM or probe.getpeername()[:2] != wanted:
                    continue
                probe.shutdown(socket.SHUT_RDWR)
                return True
        except (OSError, ValueError):
            continue  # not a connected socket, or closed meanwhile
    return False
