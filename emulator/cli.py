"""Command line: ``onlyfans-emulator serve`` (or ``python -m emulator serve``) runs the emulator over HTTP."""
from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import traceback
from typing import Any

from flask import Flask

from . import __version__, config, resources
from .app import create_app
from .domain import fixtures
from .harness import snapshot
from .harness.sessions import DEFAULT, ON_FULL
from .server import access_log
from .server.granian_server import EmbeddedServer, Limits, allow_descriptors
from .server.shutdown import Shutdown, capture_output

SERVERS = ("granian", "waitress")


def parse(argv: list[str] | None, prog: str = "onlyfans-emulator") -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Local emulator of the OFAuth and OnlyFansAPI mass-messaging APIs.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve both vendors' APIs over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on, 0 for any free one (default 8080)")
    serve.add_argument("--seed", type=int, default=None,
                       help=f"seed for Faker, ids and faults (default {config.DEFAULT_SEED})")
    serve.add_argument("--fixtures", default=None, help="fixture file: a YAML path or a bundled name "
                       f"({', '.join(resources.bundled('fixtures'))}; default: default)")
    serve.add_argument("--faults", default=None, help="fault profile to start with: a YAML path or a bundled name "
                       f"({', '.join(resources.bundled('faults'))})")
    serve.add_argument("--clock-start", default=None, help="start the clock at this ISO-8601 instant")
    serve.add_argument("--freeze", action="store_true", help="stop the clock; move it over the admin API")
    serve.add_argument("--state-file", default=None,
                       help="load state from this JSON file if present; save it on shutdown and on request")
    serve.add_argument("--max-sessions", type=int, default=None,
                       help="named X-Emulator-Session worlds kept, besides the default one (default 64)")
    serve.add_argument("--on-full", choices=ON_FULL, default=None,
                       help="a new session past --max-sessions evicts the least recently used (evict, default) or "
                       "is refused with 503 (refuse)")
    serve.add_argument("--journal-size", type=int, default=None, help="requests kept per session (default 10000)")
    serve.add_argument("--journal-bytes", type=int, default=None,
                       help="bytes the journal keeps per session; the oldest go first (default 4194304, 4 MiB)")
    serve.add_argument("--journal-body-bytes", type=int, default=None,
                       help="bytes of each request and response body journaled (default 16384)")
    serve.add_argument("--journal-header-bytes", type=int, default=None,
                       help="bytes of each request's headers journaled (default 4096)")
    serve.add_argument("--admin-token", default=None, help="require Authorization: Bearer TOKEN on /_emulator/")
    serve.add_argument("--allowed-hosts", type=host_list, default=None, metavar="NAMES",
                       help="comma-separated Host names the admin API answers besides IP addresses and localhost "
                       "(say, a proxy's or a CI service's name; * for any); without --admin-token, other names are "
                       "refused as DNS rebinding")
    serve.add_argument("--server", choices=SERVERS, default="granian",
                       help="granian (default: Rust, fastest) or waitress (pure Python; vendor-shaped JSON even for "
                       "requests it cannot parse)")
    serve.add_argument("--threads", type=positive, default=Limits.threads,
                       help=f"threads running the app (default {Limits.threads}); a delayed request lends its place")
    serve.add_argument("--max-connections", type=positive, default=Limits.max_connections,
                       help=f"connections served at once; more wait to be accepted (default {Limits.max_connections})")
    serve.add_argument("--header-timeout", type=float, default=Limits.header_timeout,
                       help="seconds a client has to send a request's headers; an idle keep-alive connection is "
                       f"closed after as long (default {Limits.header_timeout:g})")
    serve.add_argument("--write-timeout", type=float, default=Limits.write_timeout,
                       help="seconds a client may leave a long answer unread before it is cut off (granian; default "
                       f"{Limits.write_timeout:g})")
    serve.add_argument("--quiet", action="store_true", help="no access log (one line per request on stdout)")
    serve.add_argument("--log-format", choices=access_log.FORMATS, default="text",
                       help="access log as text (default) or JSON lines")
    return parser.parse_args(argv)


def positive(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def host_list(text: str) -> tuple[str, ...]:
    """``--allowed-hosts``: comma-separated names, for argparse."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("name at least one host")
    return names


def banner(base_url: str, document: dict[str, Any]) -> str:
    """What a person needs to point a client at the emulator."""
    lines = [f"OnlyFans mass-messaging emulator listening on {base_url}",
             f"  OFAuth       base_url={base_url}   (routes at /v2/access/...)",
             f"  OnlyFansAPI  base_url={base_url}   (routes at /api/...)"]
    for key in document["ofauth_keys"]:
        connections = ", ".join(c["id"] for c in key["connections"])
        lines.append(f"  OFAuth apiKey {key['key']}  [{' '.join(key['permissions'])}]  connections: {connections}")
    for key in document["onlyfansapi_keys"]:
        accounts = ", ".join(a["id"] for a in key["accounts"])
        lines.append(f"  OnlyFansAPI Bearer {key['key']}  accounts: {accounts}")
    lines.append(f"ready: {base_url}")  # one line a script can wait for: the socket is listening
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)


def serve(args: argparse.Namespace) -> int:
    """Run the server until Ctrl-C or SIGTERM; save ``--state-file`` on the way out; never wait on stdout/stderr."""
    output = capture_output()
    try:
        app = create_app({"seed": args.seed, "fixtures": args.fixtures, "faults": args.faults,
                          "clock_start": args.clock_start, "state_file": args.state_file,
                          "max_sessions": args.max_sessions, "on_full": args.on_full, "journal_size": args.journal_size,
                          "journal_bytes": args.journal_bytes, "journal_body_bytes": args.journal_body_bytes,
                          "journal_header_bytes": args.journal_header_bytes,
                          "admin_token": args.admin_token, "host": args.host, "allowed_hosts": args.allowed_hosts,
                          "clock_frozen": args.freeze or None})
    except (fixtures.FixtureError, resources.UnknownName) as error:
        print(f"error: {error}", file=sys.stderr)
        output.drain(1.0)
        return 2
    app.extensions["emulator.log_dropped"] = output.dropped
    if not args.quiet:
        app.wsgi_app = access_log.AccessLog(  # type: ignore[method-assign]
            app.wsgi_app, sys.stdout, args.log_format)
    limits = Limits(threads=args.threads, max_connections=args.max_connections, header_timeout=args.header_timeout,
                    write_timeout=args.write_timeout)
    allow_descriptors(limits.max_connections)
    try:
        server = open_server(args.server, app, args.host, args.port, limits)
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        output.drain(1.0)
        return 2

    def ready() -> None:
        print(banner(server.base_url, app.config["EMULATOR_FIXTURES"]), flush=True)

    def finish() -> int:
        saved, line = True, ""
        if args.state_file:
            saved, line = snapshot.save_on_exit(app.extensions["emulator.sessions"].get(DEFAULT), args.state_file)
            print(line, file=sys.stdout if saved else sys.stderr)
        print("emulator stopped")
        return 0 if saved else 1

    shutdown = Shutdown(output, finish)
    try:
        run(server, ready, shutdown.arm)
    except Exception:  # noqa: BLE001  (said on stderr; the state is still saved on the way out)
        traceback.print_exc()
    shutdown.end()


def open_server(name: str, app: Flask, host: str, port: int, limits: Limits) -> Any:
    """Bind the chosen server to the port (OSError when it is taken); it serves once ``run``."""
    body_limit = config.server_body_limit(app.config["EMULATOR"])
    if name == "waitress":
        # Imported only when chosen: start-up stays short.
        from .server.waitress_server import WaitressServer

        return WaitressServer(app, host, port, limits, body_limit)
    return EmbeddedServer(app, host, port, limits, body_limit)


def run(server: Any, ready: Any, stopping: Any = lambda: None) -> None:
    """Serve in this thread until SIGTERM or SIGINT (which call ``stopping``); the handlers are set before
    ``ready`` prints the banner."""
    if isinstance(server, EmbeddedServer):
        def stop() -> None:
            stopping()
            server.stop()

        async def main() -> None:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop)
            await server.serve(ready)

        asyncio.run(main())
        return

    def interrupt(signum: int, frame: Any) -> None:
        stopping()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    try:
        server.serve(ready)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def main(argv: list[str] | None = None, prog: str = "onlyfans-emulator") -> int:
    """Entry point of the ``onlyfans-emulator`` script and of ``python -m emulator``."""
    args = parse(argv, prog)
    return serve(args)
