"""The real server for tests over a socket: app.serve in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


def answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def sockets_on(port: int, state: str) -> set[str]:
    """The inodes of the local sockets on `port` in `state` ('01' established, '0A' listening)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(fields[9])
    return inodes


def all_listening(process, port: int, workers: int = 2) -> bool:
    """Every worker's socket listens (each does once its app is ready) and /healthz answers."""
    return len(sockets_on(port, "0A")) == workers and answers(port)


@contextmanager
def serving(workers: int = 1, env: dict[str, str] | None = None, ready=None):
    """`python -m app.serve` with `env` added, once `ready(process, port)` (by default: once it
    answers /healthz); yields (process, port) and stops it after."""
    ready = ready or (lambda process, port: answers(port))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.serve", "--port", str(port), "--workers", str(workers),
         "--log-level", "warning", "--no-access-log"], cwd=ROOT, env={**os.environ, **(env or {})})
    try:
        wait_until(lambda: ready(process, port))
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
