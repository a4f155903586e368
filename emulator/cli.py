"""Command line: ``onlyfans-emulator serve`` (or ``python -m emulator serve``) runs the emulator on waitress."""
from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from waitress.server import create_server

from . import __version__, access_log, config, fixtures, resources, server_errors, snapshot
from .app import create_app
from .sessions import DEFAULT


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
    serve.add_argument("--max-sessions", type=int, default=None, help="X-Emulator-Session worlds kept (default 64)")
    serve.add_argument("--journal-size", type=int, default=None, help="requests kept per session (default 10000)")
    serve.add_argument("--journal-bytes", type=int, default=None,
                       help="bytes the journal keeps per session; the oldest go first (default 4194304, 4 MiB)")
    serve.add_argument("--journal-body-bytes", type=int, default=None,
                       help="bytes of each request and response body journaled (default 16384)")
    serve.add_argument("--journal-header-bytes", type=int, default=None,
                       help="bytes of each request's headers journaled (default 4096)")
    serve.add_argument("--admin-token", default=None, help="require Authorization: Bearer TOKEN on /_emulator/")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.add_argument("--quiet", action="store_true", help="no access log (one line per request on stdout)")
    serve.add_argument("--log-format", choices=access_log.FORMATS, default="text",
                       help="access log as text (default) or JSON lines")
    return parser.parse_args(argv)


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
    """Run the server until Ctrl-C or SIGTERM."""
    try:
        app = create_app({"seed": args.seed, "fixtures": args.fixtures, "faults": args.faults,
                          "clock_start": args.clock_start, "state_file": args.state_file,
                          "max_sessions": args.max_sessions, "journal_size": args.journal_size,
                          "journal_bytes": args.journal_bytes, "journal_body_bytes": args.journal_body_bytes,
                          "journal_header_bytes": args.journal_header_bytes,
                          "admin_token": args.admin_token,
                          "clock_frozen": args.freeze or None})
    except (fixtures.FixtureError, resources.UnknownName) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # log lines reach a file or pipe as they happen
    if not args.quiet:
        app.wsgi_app = access_log.AccessLog(  # type: ignore[method-assign]
            app.wsgi_app, sys.stdout, args.log_format)
    try:
        server = server_errors.install(create_server(
            app, host=args.host, port=args.port, threads=args.threads, ident="emulator",
            clear_untrusted_proxy_headers=True, max_request_body_size=config.server_body_limit(app.config["EMULATOR"])))
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 2
    host, port = server.effective_host, server.effective_port
    shown = f"[{host}]" if ":" in str(host) else host

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # before the ready line: a script may stop us as soon as it reads it
    try:
        print(banner(f"http://{shown}:{port}", app.config["EMULATOR_FIXTURES"]), flush=True)
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        saved, line = True, ""
        if args.state_file:
            saved, line = snapshot.save_on_exit(app.extensions["emulator.sessions"].get(DEFAULT), args.state_file)
            print(line, file=sys.stdout if saved else sys.stderr, flush=True)
        print("emulator stopped", flush=True)
    return 0 if saved else 1


def main(argv: list[str] | None = None, prog: str = "onlyfans-emulator") -> int:
    """Entry point of the ``onlyfans-emulator`` script and of ``python -m emulator``."""
    args = parse(argv, prog)
    return serve(args)
