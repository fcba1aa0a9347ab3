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
