"""The real server for the benchmarks: uvicorn in a subprocess on a free loopback port, and its
processes' CPU time from /proc."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int = 1, root: Path = ROOT) -> subprocess.Popen:
    """The server as `make run` starts it (app.serve: uvicorn workers with a socket each), with
    one BLAS thread per process, once /healthz answers; `root` may be another checkout."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=root, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start within 30 s")


def process_tree(root: int) -> list[int]:
    """root and every process below it, from /proc (empty where there is no /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = [], [root] if root in parents else []
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
