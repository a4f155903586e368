"""The default server's HTTP/1.1 connection, byte by byte: framing, order, bounds and timeouts.

Each test talks raw bytes to an embedded server on a loopback port, mostly to the admin API's clock and health
(vendor routes are covered through real clients elsewhere).
"""
from __future__ import annotations

import json
import socket
import types
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from emulator import create_app
from emulator.server.connection import Connection
from emulator.server.loop_server import EmbeddedServer, Limits

from .conftest import NOW
from .spec_check import httpx_hook

CLOCK = b"GET /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\n"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    running = EmbeddedServer(create_app({"clock_start": NOW}), "127.0.0.1", 0,
                             Limits(threads=2, header_timeout=1.0, write_timeout=1.0, max_connections=3),
                             body_limit=1024 * 1024)
    running.start_in_thread()
    yield running
    running.stop()
    running.join(5)


def connect(server: EmbeddedServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def read_all(connection: socket.socket) -> bytes:
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def answers(data: bytes) -> list[tuple[bytes, bytes]]:
    """Split a byte stream into (head, body) pairs by Content-Length."""
    found = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        found.append((head, rest[:length]))
        data = rest[length:]
    return found


def test_pipelined_requests_are_answered_in_order_on_one_connection(server):
    with connect(server) as connection:
        connection.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + CLOCK + b"\r\n"
                           + b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        got = answers(read_all(connection))
    assert [head.split(b"\r\n")[0] for head, _ in got] == [b"HTTP/1.1 200 OK"] * 3
    assert "now" in json.loads(got[1][1]) and json.loads(got[0][1])["status"] == json.loads(got[2][1])["status"]
    assert b"Connection: close" in got[2][0] and b"Connection: close" not in got[0][0]


def test_a_head_request_gets_the_headers_and_no_body(server):
    with connect(server) as connection:
        connection.sendall(b"HEAD /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        received = read_all(connection)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: " in head and body == b""


def test_http_1_0_is_answered_and_closed(server):
    with connect(server) as connection:
        connection.sendall(b"GET /_emulator/health HTTP/1.0\r\n\r\n")
        received = read_all(connection)  # ends: the server closed
    assert received.startswith(b"HTTP/1.1 200") and b"Connection: close" in received


def test_expect_100_continue_gets_its_go_ahead_before_the_answer(server):
    body = b'{"advance": 0}'
    with connect(server) as connection:
        connection.sendall(b"POST /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           b"Connection: close\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
        assert connection.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        connection.sendall(body)
        assert read_all(connection).startswith(b"HTTP/1.1 200")


def test_an_absolute_target_is_served_as_its_path(server):
    with connect(server) as connection:
        connection.sendall(b"GET http://127.0.0.1/_emulator/health?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Connection: close\r\n\r\n")
        assert read_all(connection).startswith(b"HTTP/1.1 200")


def test_headers_sent_a_byte_at_a_time_past_the_limit_are_refused_431(server):
    with connect(server) as connection:
        connection.sendall(CLOCK + b"X-Long: ")
        for _ in range(40):  # 40 KiB of one header, in reads the parser must hold unfinished
            connection.sendall(b"a" * 1024)
            time.sleep(0.005)
        received = read_all(connection)
    assert received.startswith(b"HTTP/1.1 431")
    assert json.loads(received.partition(b"\r\n\r\n")[2])["status"] == 431  # the admin API's shape


def test_a_header_with_an_underscore_is_left_out_so_it_cannot_pose_as_another(server):
    with connect(server) as connection:
        connection.sendall(b"GET /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nX_Emulator_Session: other name\r\n"
                           b"Connection: close\r\n\r\n")
        received = read_all(connection)
    assert received.startswith(b"HTTP/1.1 200")  # the name with a space would be a 400, had it been read


def test_an_idle_keep_alive_connection_is_closed_after_the_header_timeout(server):
    with connect(server) as connection:
        connection.sendall(CLOCK + b"\r\n")
        assert connection.recv(65536).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert read_all(connection) == b""  # the server closed it: 1 s with nothing sent
        assert 0.5 < time.monotonic() - started < 5


def test_a_short_body_that_never_comes_closes_the_connection_after_the_header_timeout(server):
    with connect(server) as connection:
        connection.sendall(b"POST /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
        started = time.monotonic()
        assert read_all(connection) == b""
        assert time.monotonic() - started < 5


def test_a_long_chunked_body_streams_to_the_app(server):
    state = json.dumps({"not": "a state", "pad": "x" * 600_000}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in
                      (state[start:start + 50_000] for start in range(0, len(state), 50_000))) + b"0\r\n\r\n"
    with connect(server) as connection:
        connection.sendall(b"PUT /_emulator/state HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks)
        received = read_all(connection)
    assert received.startswith(b"HTTP/1.1 400")  # read whole, then refused for what it says, not for its framing
    assert "state" in json.loads(received.partition(b"\r\n\r\n")[2])["error"].lower()


def test_past_max_connections_a_new_one_waits_until_one_closes(server):
    held = [connect(server) for _ in range(3)]
    for connection in held:  # each is accepted and served: the limit counts them
        connection.sendall(CLOCK + b"\r\n")
        assert connection.recv(65536).startswith(b"HTTP/1.1 200")
    waiting = connect(server)  # queued by the kernel: not accepted, not answered
    waiting.sendall(CLOCK + b"Connection: close\r\n\r\n")
    waiting.settimeout(0.5)
    with pytest.raises(TimeoutError):
        waiting.recv(65536)
    held.pop().close()
    waiting.settimeout(10)
    assert read_all(waiting).startswith(b"HTTP/1.1 200")
    for connection in [*held, waiting]:
        connection.close()


def test_a_connection_that_never_sends_a_byte_is_closed_after_the_header_timeout(server):
    with connect(server) as connection:
        started = time.monotonic()
        assert read_all(connection) == b""
        assert 0.5 < time.monotonic() - started < 5


@pytest.mark.parametrize("host, reached", [("LOCALHOST:8080", "localhost:8080"), ("[::1]:8080", "[::1]:8080"),
                                           ("127.0.0.1:99999", None), ("127.0.0.1:0080", None), ("a b", None)])
def test_urls_the_emulator_hands_out_use_the_host_or_else_the_servers_address_never_a_500(server, host, reached):
    # urllib refuses to read back a port over 65535: building an upload plan's URLs from it was a 500.
    headers = {"Host": host, "apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"}
    with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", event_hooks={"response": [httpx_hook]}) as http:
        plan = http.post("/v2/access/uploads/init", headers=headers,
                         json={"filename": "clip.mp4", "size": 7340032, "contentType": "video/mp4"})
    assert plan.status_code == 200
    assert plan.json()["completeUrl"] == f"http://{reached or f'127.0.0.1:{server.port}'}/v2/access/uploads/complete"


VENDOR = b"apiKey: ofa_test_main_2f7c9e41\r\nx-connection-id: conn_emulator_main\r\n"


def test_a_declared_body_over_the_limit_is_answered_413_while_the_client_still_sends_it(server):
    body = b"x" * (3 * 1024 * 1024)  # over this server's 1 MiB: refused unread, read and dropped after the answer
    with connect(server) as connection:
        sender = threading.Thread(target=lambda: connection.sendall(
            b"POST /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body))
        sender.start()
        received = read_all(connection)
        sender.join(10)
    assert received.startswith(b"HTTP/1.1 413"), received[:100]  # not a reset, which would lose the answer


def test_pipelined_bodies_never_count_as_unfinished_headers(server):
    body = b'{"advance": 0, "pad": "' + b"x" * 100_000 + b'"}'
    post = (b"POST /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body) + body)
    with connect(server) as connection:  # each read ends inside a request's headers, spanning a whole body
        connection.sendall(post[:20])
        time.sleep(0.2)
        connection.sendall(post[20:] + post[:20])
        time.sleep(0.2)
        connection.sendall(post[20:-1].replace(b"Host: 127.0.0.1", b"Connection: close\r\nHost: 127.0.0.1", 1)
                           + post[-1:])
        got = answers(read_all(connection))
    assert [head.split(b" ")[1] for head, _ in got] == [b"400", b"400"]  # the admin API's own refusal, twice


def test_an_upgrade_request_is_answered_and_the_connection_closed(server):
    with connect(server) as connection:
        connection.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                           b"Upgrade: h2c\r\n\r\n")
        received = read_all(connection)  # ends: no protocol switch, no keep-alive left hanging
    assert received.startswith(b"HTTP/1.1 200") and b"Connection: close" in received


def test_a_body_the_parser_refuses_midway_gets_one_answer(server):
    with connect(server) as connection:
        connection.sendall(b"POST /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n")
        got = answers(read_all(connection))
    assert len(got) == 1 and got[0][0].startswith(b"HTTP/1.1 400")
    assert "stopped coming" in json.loads(got[0][1])["error"]  # never taken for the whole body "{}"


def test_the_go_ahead_for_a_pipelined_body_comes_after_the_answer_before_it(server):
    with connect(server) as connection:
        connection.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                           b"POST /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           b"Expect: 100-continue\r\nConnection: close\r\nContent-Length: 14\r\n\r\n")
        connection.settimeout(5)
        early = b""
        while b"100 Continue" not in early:
            early += connection.recv(65536)
        connection.sendall(b'{"advance": 0}')
        received = early + read_all(connection)
    first, _, rest = received.partition(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 200") and rest.startswith(b"HTTP/1.1 200")


def test_bodies_sent_slowly_never_keep_other_requests_waiting(server):
    slow = []
    for _ in range(2):  # as many as the server's 2 threads (and one connection short of its 3), each a stalled body
        connection = connect(server)
        connection.sendall(b"POST /v2/access/mass-messages HTTP/1.1\r\nHost: 127.0.0.1\r\n" + VENDOR
                           + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
        slow.append(connection)
    dripping = threading.Event()

    def drip() -> None:  # a byte of each body every 0.4 s: within the 1 s the server waits for more
        while not dripping.wait(0.4):
            for connection in slow:
                connection.sendall(b"1\r\n \r\n")

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(0.3)
        with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=4,
                          event_hooks={"response": [httpx_hook]}) as http:
            answer = http.get("/v2/access/mass-messages/3100000001",
                              headers={"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"})
        assert answer.status_code == 200  # neither a thread nor the session's lock is held by the slow bodies
    finally:
        dripping.set()
        dripper.join(5)
        for connection in slow:
            connection.close()


def test_a_client_that_sends_requests_and_never_reads_the_answers_is_cut_off(server):
    request = b"GET /v2/access/mass-messages/3100000001 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + VENDOR + b"\r\n"
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.connect(("127.0.0.1", server.port))
    ended: list[BaseException] = []

    def send() -> None:
        deadline = time.monotonic() + 15
        try:  # answers pile up unread (past the kernel's buffers): the server stops taking requests, then cuts it off
            while time.monotonic() < deadline:
                connection.sendall(request * 10)  # answered as they are read: never too many waiting
        except OSError as error:
            ended.append(error)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join(20)
    connection.close()
    assert ended and isinstance(ended[0], (ConnectionResetError, BrokenPipeError)), ended


def test_answers_made_while_the_client_is_behind_stay_within_the_transports_mark(server):
    # Tiny requests answered at once on the event loop: a read of 256 KiB holds thousands of them.
    request = b"GET /v2/x HTTP/1.1\r\n\r\n"
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.connect(("127.0.0.1", server.port))
    connection.settimeout(0.2)
    held = 0
    deadline = time.monotonic() + 10
    try:
        while time.monotonic() < deadline:
            try:
                connection.sendall(request * 500)
            except TimeoutError:
                pass  # the server stopped reading: it is holding back
            except OSError:
                break  # cut off
            held = max([held, *(each.unsent() for each in list(server.connections))])
    finally:
        connection.close()
    assert 0 < held < 192 * 1024, held  # the transport's mark (64 KiB) and about one answer past it


def test_an_app_failing_midway_through_a_long_answer_ends_the_connection():
    def app(environ, start_response):  # any WSGI app: the emulator's routes return whole bodies
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"x" * 600_000
        raise RuntimeError("the body's generator failed")

    failing = EmbeddedServer(app, "127.0.0.1", 0)
    failing.start_in_thread()
    try:
        with socket.create_connection(("127.0.0.1", failing.port), timeout=10) as connection:
            connection.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
            received = read_all(connection)  # ends: the answer cannot be finished, only cut
    finally:
        failing.stop()
        failing.join(5)
    assert received.count(b"HTTP/1.1 200") == 1 and not received.endswith(b"0\r\n\r\n")


def test_the_write_timeout_counts_from_the_clients_last_progress():
    class Transport:  # holds what the test says, as a client reading slowly leaves it
        held = 100_000
        aborted = False

        def get_write_buffer_size(self) -> int:
            return self.held

        def abort(self) -> None:
            self.aborted = True

    class Loop:
        def call_later(self, delay: float, callback):
            self.due = callback  # the test calls it when the write timeout would have passed
            return types.SimpleNamespace(cancel=lambda: None)

    loop = Loop()
    connection = Connection(types.SimpleNamespace(limits=Limits(write_timeout=1.0), loop=loop))
    connection.transport = transport = Transport()
    connection.pause_writing()
    transport.held = 60_000  # it took 40 kB within the write timeout: another one to go on
    loop.due()
    assert not transport.aborted and connection.behind is not None
    loop.due()  # and nothing in that one: cut off
    assert transport.aborted


def test_reason_phrases_are_rfc_9110s_whichever_python_runs():
    from emulator.server.framing import STATUS_LINES

    assert (STATUS_LINES[413], STATUS_LINES[422]) == ("HTTP/1.1 413 Content Too Large\r\n",
                                                      "HTTP/1.1 422 Unprocessable Content\r\n")
