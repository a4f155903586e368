"""The ceiling: a bare Flask "hello" app, on the emulator's server (granian, embedded) or on waitress.

``python bench/hello.py PORT [granian|waitress]``
"""
from __future__ import annotations

import sys

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello() -> dict[str, str]:
    """Answer a tiny JSON body."""
    return {"hello": "world"}


if __name__ == "__main__":
    port, server = int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "waitress"
    if server == "granian":
        from emulator.server.granian_server import EmbeddedServer, run_loop

        run_loop(EmbeddedServer(app, "127.0.0.1", port, quick=lambda environ: True).serve())
    else:
        from waitress import serve

        serve(app, host="127.0.0.1", port=port, threads=8, ident="hello")
