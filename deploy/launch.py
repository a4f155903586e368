"""Start N emulator processes and nginx in front of them, routing each X-Emulator-Session to one process.

    python deploy/launch.py --processes 2 --port 8080 -- --seed 7

Everything after ``--`` goes to every ``serve``. Prints one line per process, then ``ready: URL`` once nginx
answers; SIGTERM or Ctrl-C stops nginx and then the emulators (each saves its ``--state-file``, if given).
Needs nginx (Debian: ``apt-get install nginx-light``; it is looked for on PATH and in /usr/sbin).
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

HERE = Path(__file__).resolve().parent
READY = re.compile(r"^ready: (http://\S+)$", re.MULTILINE)


def find_nginx() -> str | None:
    """The nginx binary, or None."""
    return shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                          if os.access(path, os.X_OK)), None)


def free_port(host: str) -> int:
    """A port nothing listens on now (nginx cannot report the one it got, so it is picked here)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def nginx_config(template: str, host: str, port: int, backends: list[str]) -> str:
    """The shipped config with its listen address and upstream servers replaced."""
    servers = "".join(f"        server {backend.removeprefix('http://')} max_fails=0;\n" for backend in backends)
    config = re.sub(r"(# upstreams: begin\n).*?(\s*# upstreams: end)", lambda m: m[1] + servers.rstrip("\n") + m[2],
                    template, flags=re.DOTALL)
    return re.sub(r"(# listen: begin\n).*?(\s*# listen: end)",
                  lambda m: f"{m[1]}        listen {host}:{port};{m[2]}", config, flags=re.DOTALL)


def start_emulator(number: int, workdir: Path, serve_args: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    """One ``serve --port 0`` process, its output in ``emulator-N.log``; return it and its URL."""
    log = workdir / f"emulator-{number}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", *serve_args],
                                   stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = READY.search(log.read_text(errors="replace"))
        if found:
            return process, found[1]
        if process.poll() is not None:
            raise RuntimeError(f"emulator {number} exited: {log.read_text(errors='replace')}")
        time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"emulator {number} printed no ready line within 30 s")


def wait_for_http(host: str, port: int, proxy: subprocess.Popen[bytes]) -> None:
    """Poll until nginx answers /_emulator/health."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proxy.poll() is not None:
            raise RuntimeError(f"nginx exited with {proxy.returncode}")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=1)
            connection.request("GET", "/_emulator/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("nginx did not answer within 30 s")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each (nginx first: no request reaches a stopping emulator), then wait."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="emulator processes (default: "
                        "one per core)")
    parser.add_argument("--host", default="127.0.0.1", help="address nginx listens on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port nginx listens on; 0 for a free one")
    parser.add_argument("--workdir", default=None, help="folder for the config and logs (default: a new temporary "
                        "one)")
    parser.add_argument("serve_args", nargs="*", help="options for every serve (after --)")
    args = parser.parse_args(argv)
    nginx = find_nginx()
    if nginx is None:
        print("error: nginx not found (Debian: apt-get install nginx-light)", file=sys.stderr)
        return 2
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="emulator-deploy-"))
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)  # nginx started as root runs its worker as nobody, which needs its temp folders
    port = args.port or free_port(args.host)
    processes: list[subprocess.Popen[bytes]] = []
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        backends = []
        for number in range(1, args.processes + 1):
            process, url = start_emulator(number, workdir, args.serve_args)
            processes.append(process)
            backends.append(url)
            print(f"emulator {number} (pid {process.pid}): {url}", flush=True)
        config = workdir / "nginx.conf"
        config.write_text(nginx_config((HERE / "nginx.conf").read_text(), args.host, port, backends))
        proxy = subprocess.Popen([nginx, "-p", str(workdir), "-c", str(config)])
        processes.insert(0, proxy)
        wait_for_http(args.host, port, proxy)
        print(f"nginx (pid {proxy.pid}): http://{args.host}:{port} -> {len(backends)} emulators, "
              f"by X-Emulator-Session; logs in {workdir}", flush=True)
        print(f"ready: http://{args.host}:{port}", flush=True)
        proxy.wait()
    except KeyboardInterrupt:
        pass
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stop(processes)
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
