"""Running the app under uvicorn: in this process (a thread, for `vanthu demo` and tests) on a
socket bound before the server starts, or as `vanthu serve` processes (tests, benchmarks)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI


def bound_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening-ready TCP socket on host:port (port 0: a free one)."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that name it, and
    # without it every response waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


@contextmanager
def serving(app: FastAPI, host: str = "127.0.0.1", *, log_level: str = "warning") -> Iterator[str]:
    """Serve `app` on a free port in a background thread; yields its base URL."""
    sock = bound_socket(host)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError(f"uvicorn did not start on {host}:{port}")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@contextmanager
def serve_process(
    log: Path,
    env: Mapping[str, str],
    *args: str,
    port: int | None = None,
    cwd: str | Path | None = None,
    timeout: float = 60,
) -> Iterator[str]:
    """A `vanthu serve` process (output to `log`) until /health answers; yields its base URL.

    Stopped (SIGTERM, then SIGKILL) when the block ends. For tests and benchmarks that need
    several real server processes on one database.
    """
    if port is None:
        with bound_socket() as probe:
            port = probe.getsockname()[1]
    vanthu = str(Path(sys.executable).with_name("vanthu"))
    out = log.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [vanthu, "serve", "--port", str(port), "--log-level", "warning", *args],
        cwd=cwd,
        env=dict(env),
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"vanthu serve exited {proc.returncode}: {log.read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"vanthu serve did not answer {base}/health in {timeout} s")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
