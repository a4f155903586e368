"""CPU per request of each route with no server: the WSGI app called in-process, best of 5 runs.

``python bench/inprocess.py`` prints, for the routes of ``bench/run.py`` that leave the world as they found it or
only add to it (reads, lists, create, send, upload init and upload), the app's own CPU time per request; with
``--before PATH`` the same for another checkout (in a process of its own), side by side. Without the server,
the kernel and the load generator, the figure moves far less between runs than ``bench/run.py``'s; a request
costs more inside a serving process (its caches are cold between requests), so compare it only with itself.
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("get", "list", "post")  # update and delete change what the next request finds: bench/run.py has them
RUNS = 5


def measure(root: str, requests: int) -> dict[str, float]:
    """Per route, the best of ``RUNS`` runs of ``requests`` requests: µs of this process's CPU per request."""
    sys.path[:0] = [root, str(Path(root) / "bench")]
    import routes
    from run import roomy_fixtures
    from werkzeug.test import EnvironBuilder

    from emulator.app import create_app

    app = create_app({"fixtures": roomy_fixtures()})
    found = {}
    for route in routes.catalog():
        if route.kind not in KINDS:
            continue
        best = float("inf")
        for _ in range(RUNS):  # the route's request made afresh each run: the upload's lands in a session of its own
            method, path, body, headers = route.emulator(0, 0)(0, 0)
            raw = body.encode() if isinstance(body, str) else body or b""
            environ = EnvironBuilder(path=path, method=method, data=raw, headers=headers,
                                     base_url="http://127.0.0.1:8080").get_environ()

            def call(environ: dict[str, Any] = environ, raw: bytes = raw) -> None:
                answer = app({**environ, "wsgi.input": io.BytesIO(raw)}, lambda status, headers, exc_info=None: None)
                b"".join(answer)
                getattr(answer, "close", lambda: None)()

            for _ in range(min(200, requests)):
                call()
            began = time.process_time()
            for _ in range(requests):
                call()
            best = min(best, time.process_time() - began)
        found[f"{route.vendor:<13}{route.name}"] = best / requests * 1e6
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="requests per run and route")
    parser.add_argument("--before", help="another checkout of the emulator, measured the same way")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.requests)))
        return
    columns = {"now": str(ROOT), **({"before": args.before} if args.before else {})}
    figures = {name: json.loads(subprocess.run(
        [sys.executable, __file__, "--child", root, "--requests", str(args.requests)], check=True,
        capture_output=True, text=True).stdout) for name, root in columns.items()}
    print("in-process CPU per request, µs (best of 5 runs of %d)" % args.requests)
    print(f"{'vendor       route':<34}" + "".join(f"{name:>10}" for name in columns))
    for route in figures["now"]:
        print(f"{route:<34}" + "".join(f"{figures[name].get(route, float('nan')):>10.1f}" for name in columns))


if __name__ == "__main__":
    main()
