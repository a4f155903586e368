"""The ceiling: a bare Flask "hello" app on the same WSGI server and thread count as the emulator."""
from __future__ import annotations

import sys

from flask import Flask
from waitress import serve

app = Flask(__name__)


@app.get("/hello")
def hello() -> dict[str, str]:
    """Answer a tiny JSON body."""
    return {"hello": "world"}


if __name__ == "__main__":
    serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, ident="hello")
