"""The ceiling: a bare Flask "hello" app, on the emulator's server (``async``), on waitress, or on uvicorn.

``python bench/hello.py PORT [async|waitress|uvicorn]``. uvicorn (with httptools and uvloop) is not a dependency:
the bench measures it where it is installed, to show what the server itself costs a request. It runs the app on
its event loop through the few lines of ``asgi`` below, as the emulator's server runs a request that cannot wait.
"""
from __future__ import annotations

import io
import sys
from typing import Any

from flask import Flask, request

app = Flask(__name__)


@app.route("/hello", methods=["GET", "PUT"])
def hello() -> dict[str, str]:
    """Answer a tiny JSON body (a PUT's body is read first, as a vendor route reads it)."""
    if request.method == "PUT":
        request.get_json()
    return {"hello": "world"}


async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The WSGI app, called on uvicorn's loop with the whole body in hand."""
    if scope["type"] != "http":
        return
    body, more = b"", True
    while more:
        message = await receive()
        body, more = body + message.get("body", b""), message.get("more_body", False)
    environ = {"REQUEST_METHOD": scope["method"], "SCRIPT_NAME": "", "PATH_INFO": scope["path"],
               "QUERY_STRING": scope["query_string"].decode("latin-1"), "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "0", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
               "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False}
    for name, value in scope["headers"]:
        key = name.decode("latin-1").upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value.decode("latin-1")
    started: list[Any] = []
    answer = b"".join(app(environ, lambda status, headers, exc_info=None: started.extend((status, headers))))
    await send({"type": "http.response.start", "status": int(started[0][:3]),
                "headers": [(name.encode(), value.encode()) for name, value in started[1]]})
    await send({"type": "http.response.body", "body": answer})


if __name__ == "__main__":
    port, server = int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "waitress"
    if server == "async":
        from emulator.server.loop_server import EmbeddedServer, run_loop

        run_loop(EmbeddedServer(app, "127.0.0.1", port, quick=lambda environ: True).serve())
    elif server == "uvicorn":
        import uvicorn

        uvicorn.run(asgi, host="127.0.0.1", port=port, loop="uvloop", http="httptools", lifespan="off",
                    log_level="error", access_log=False)
    else:
        from waitress import serve

        serve(app, host="127.0.0.1", port=port, threads=8, ident="hello")
