"""Command line: ``onlyfans-emulator serve`` (or ``python -m emulator serve``) runs the emulator over HTTP."""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, NoReturn

from flask import Flask

from . import __version__, config, resources
from .admin.health import LOG_DROPPED
from .app import create_app
from .domain import fixtures
from .domain.clock import parse_instant
from .harness.sessions import DEFAULT, ON_FULL
from .server import access_log
from .server.loop_server import EmbeddedServer, Limits, allow_descriptors, run_loop
from .server.shutdown import DRAIN, Shutdown, capture_output

SERVERS = ("async", "waitress")
RENAMED = {"granian": "async"}  # the default server up to 0.2.0: old scripts keep working


class Parser(argparse.ArgumentParser):
    """argparse, with a refused value reported on one line that names the option, and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print ``error: --option: why`` and exit 2 (argparse's default adds the usage first)."""
        self.exit(2, f"error: {message.removeprefix('argument ')} (see {self.prog} --help)\n")


def parse(argv: list[str] | None, prog: str = "onlyfans-emulator") -> argparse.Namespace:
    """Parse the command line."""
    parser = Parser(prog=prog, description="Local emulator of the OFAuth and OnlyFansAPI mass-messaging APIs.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve both vendors' APIs over HTTP", epilog=ENVIRONMENT_HELP,
                                description="Serve both vendors' APIs, and the emulator's own under /_emulator/.",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_network_options(serve.add_argument_group("network and server"))
    add_world_options(serve.add_argument_group("world and state"))
    add_journal_options(serve.add_argument_group("journal (per session)"))
    add_logging_options(serve.add_argument_group("logging"))
    args = parser.parse_args(argv)
    check_environment(serve, args)
    return args


def check_environment(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Check the ``EMULATOR_*`` variables ``create_app`` will read, as their options are checked."""
    for name, (variable, _) in config.ENVIRONMENT.items():
        text = os.environ.get(variable)
        check = CHECKS.get(name)
        if text and check is not None and getattr(args, name) is None:  # an option given wins over the variable
            try:
                check(text)
            except argparse.ArgumentTypeError as error:
                parser.error(f"{variable}: {error}")


def add_network_options(group: Any) -> None:
    """Where and how ``serve`` listens."""
    group.add_argument("--host", default="127.0.0.1", type=non_empty, metavar="HOST",
                       help="interface to listen on (default 127.0.0.1)")
    group.add_argument("--port", type=whole(0, 65535), default=8080, metavar="N",
                       help="port to listen on, 0 for any free one (default 8080)")
    group.add_argument("--server", choices=SERVERS, default="async", type=lambda name: RENAMED.get(name, name),
                       help="async (default: httptools on an event loop, fastest) or waitress (pure Python, threads)")
    group.add_argument("--threads", type=whole(1, 1024), default=Limits.threads, metavar="N",
                       help=f"threads running the requests that may wait, 1-1024 (default {Limits.threads}); the "
                       "others run on the event loop; a delayed request lends its place")
    group.add_argument("--max-connections", type=whole(1, 1_000_000), default=Limits.max_connections, metavar="N",
                       help=f"connections served at once; more wait to be accepted (default {Limits.max_connections})")
    group.add_argument("--header-timeout", type=seconds, default=Limits.header_timeout, metavar="SECONDS",
                       help="seconds (more than 0) a client has to send a request's headers; an idle keep-alive "
                       f"connection is closed after as long (default {Limits.header_timeout:g})")
    group.add_argument("--write-timeout", type=seconds, default=Limits.write_timeout, metavar="SECONDS",
                       help="seconds a client may leave a long answer unread before it is cut off (async; default "
                       f"{Limits.write_timeout:g})")
    group.add_argument("--admin-token", default=None, type=non_empty, metavar="TOKEN",
                       help="require Authorization: Bearer TOKEN on /_emulator/ (all but /_emulator/health)")
    group.add_argument("--allowed-hosts", type=host_list, default=None, metavar="NAMES",
                       help="comma-separated Host names the admin API answers besides IP addresses and localhost "
                       "(say, a proxy's or a CI service's name; * for any); without --admin-token, other names are "
                       "refused as DNS rebinding")


def add_world_options(group: Any) -> None:
    """What the emulator starts from, and what it keeps."""
    group.add_argument("--seed", type=CHECKS["seed"], default=None, metavar="N",
                       help=f"seed for Faker, ids and faults (default {config.DEFAULT_SEED})")
    group.add_argument("--fixtures", default=None, metavar="PATH|NAME", help="the world to start from: a YAML path or "
                       f"a bundled name ({', '.join(resources.bundled('fixtures'))}; without it, the bundled 'default')")
    group.add_argument("--faults", default=None, metavar="PATH|NAME", help="fault profile to start with: a YAML "
                       f"path or a bundled name ({', '.join(resources.bundled('faults'))})")
    group.add_argument("--clock-start", default=None, type=CHECKS["clock_start"], metavar="ISO",
                       help="start the clock at this ISO-8601 instant (default: now)")
    group.add_argument("--freeze", action="store_true", help="stop the clock; move it over the admin API")
    group.add_argument("--state-file", default=None, metavar="PATH",
                       help="load state from this JSON file if present; save it on shutdown and on request")
    group.add_argument("--max-sessions", type=whole(1, 100_000), default=None, metavar="N",
                       help="named sessions kept, besides the default one "
                       f"(default {config.DEFAULTS['max_sessions']})")
    group.add_argument("--on-full", choices=ON_FULL, default=None,
                       help="a new session past --max-sessions evicts the least recently used (evict, default) or "
                       "is refused with 503 (refuse)")


def add_journal_options(group: Any) -> None:
    """How much each session's journal keeps."""
    group.add_argument("--journal-size", type=whole(1), default=None, metavar="N",
                       help=f"requests kept (default {config.DEFAULTS['journal_size']})")
    group.add_argument("--journal-bytes", type=whole(1), default=None, metavar="N",
                       help=f"bytes kept in all; the oldest go first (default {config.DEFAULTS['journal_bytes']})")
    group.add_argument("--journal-body-bytes", type=whole(0), default=None, metavar="N",
                       help="bytes of each request and response body kept, 0 for none "
                       f"(default {config.DEFAULTS['journal_body_bytes']})")
    group.add_argument("--journal-header-bytes", type=whole(1), default=None, metavar="N",
                       help=f"bytes of each request's headers kept (default {config.DEFAULTS['journal_header_bytes']})")


def add_logging_options(group: Any) -> None:
    """The access log on stdout."""
    group.add_argument("--quiet", action="store_true", help="no access log (one line per request on stdout)")
    group.add_argument("--log-format", choices=access_log.FORMATS, default="text",
                       help="access log as text (default) or JSON lines")


def whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (no upper bound when None)."""
    def check(text: str) -> int:
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number {bounds}, not {text!r:.40}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {bounds}, not {value}")
        return value

    return check


def seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, more than 0 and at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, not {text!r:.40}") from None
    if not 0 < value <= 86_400:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 86400, not {text:.40}")
    return value


def host_list(text: str) -> tuple[str, ...]:
    """``--allowed-hosts``: comma-separated names, for argparse."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("name at least one host")
    return names


def instant(text: str) -> str:
    """An argparse type: an ISO-8601 instant the clock can hold."""
    try:
        parse_instant(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def non_empty(text: str) -> str:
    """An argparse type: any text but an empty one."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


CHECKS: dict[str, Callable[[str], Any]] = {"seed": whole(0, 2**63 - 1), "clock_start": instant}
ENVIRONMENT_HELP = "environment variables (an option given on the command line wins):\n" + "\n".join(
    f"  {variable:<22} as --{name.replace('_', '-')}" for name, (variable, _) in config.ENVIRONMENT.items())


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
        output.drain(DRAIN)
        return 2
    app.extensions[LOG_DROPPED] = output.dropped
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
        output.drain(DRAIN)
        return 2

    def ready() -> None:
        print(banner(server.base_url, app.config["EMULATOR_FIXTURES"]), flush=True)
        threading.Thread(target=warm, args=(app,), name="emulator-warm", daemon=True).start()

    def finish() -> int:
        saved, line = True, ""
        if args.state_file:
            from .harness import snapshot

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


def warm(app: Flask) -> None:
    """Build the default session's world (fans, lists, history, Faker: built on first use) while the client starts,
    so its first vendor request does not wait for it."""
    app.extensions["emulator.sessions"].get(DEFAULT).world  # noqa: B018  (reading it builds it)


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

        run_loop(main())
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
