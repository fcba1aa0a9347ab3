"""app.serve: worker processes with a socket each, connections spread over them, a dead worker
replaced, a clean stop on SIGTERM, and clear refusals of a taken port or a port of 0."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app import serve

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not serve.balances_connections(),
                                reason="SO_REUSEPORT balancing is Linux's")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> set[int]:
    """The worker processes of the server `pid` (not multiprocessing's resource tracker)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"resource_tracker" not in command:
                found.add(int(entry.name))
    return found


def established_per_worker(workers: set[int], port: int) -> dict[int, int]:
    """How many established connections to `port` each worker holds, from /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    counts = {}
    for pid in workers:
        held = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        counts[pid] = sum(f"socket:[{inode}]" in held for inode in inodes)
    return counts


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


@pytest.fixture
def server():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.serve", "--port", str(port), "--workers", "2",
         "--log-level", "warning", "--no-access-log"], cwd=ROOT)
    try:
        wait_until(lambda: answers(port) and len(children(process.pid)) >= 2)
        yield process, port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_connections_are_spread_over_the_workers_and_a_dead_worker_is_replaced(server):
    process, port = server
    workers = children(process.pid)
    connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
    try:
        for connection in connections:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        for connection in connections:
            assert connection.recv(4096).startswith(b"HTTP/1.1 200")
        counts = established_per_worker(workers, port)
        # A hash spreads 40 connections over 2 sockets: fewer than 5 on one has odds of 1e-7.
        # uvicorn's shared socket put all 10 of 10 on one worker in 2 of 3 tries.
        assert sum(counts.values()) == 40 and min(counts.values()) >= 5, counts
    finally:
        for connection in connections:
            connection.close()

    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    replaced = wait_until(lambda: (now := children(process.pid)) - workers and len(now) == 2
                          and now)
    assert victim not in replaced
    wait_until(lambda: answers(port))


def test_sigterm_stops_the_workers_and_the_server(server):
    process, port = server
    workers = children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert not answers(port)


def test_a_port_in_use_is_refused_before_any_worker_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve.main(["--port", str(port), "--workers", "2", "--log-level", "error"]) == 1


def test_several_workers_need_a_fixed_port(capsys):
    with pytest.raises(SystemExit) as stop:
        serve.main(["--port", "0", "--workers", "2"])
    assert stop.value.code == 2
    assert "fixed --port" in capsys.readouterr().err


def test_workers_stop_when_the_server_is_killed(server):
    process, port = server
    workers = children(process.pid)
    process.kill()
    process.wait()
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers))
    assert not answers(port)
