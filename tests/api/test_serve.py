"""app.serve: worker processes with a socket each, connections spread over them, a dead worker
replaced, a clean stop on SIGTERM, and clear refusals of a taken port or a port of 0."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import time
from pathlib import Path

import pytest

from app import serve
from tests.api.live import all_listening, answers, serving, sockets_on, wait_until

pytestmark = pytest.mark.skipif(not serve.balances_connections(),
                                reason="SO_REUSEPORT balancing is Linux's")


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
    inodes = sockets_on(port, "01")
    counts = {}
    for pid in workers:
        held = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        counts[pid] = sum(f"socket:[{inode}]" in held for inode in inodes)
    return counts


@pytest.fixture
def server():
    with serving(2, ready=all_listening) as started:
        yield started


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
    wait_until(lambda: all_listening(process, port))


def test_a_worker_listens_only_once_its_app_is_loaded(monkeypatch):
    """The replacement of a dead worker took connections for 0.8 s before it could answer
    them: its socket now listens only when uvicorn serves on it, after loading the app."""
    events = []
    monkeypatch.setattr(serve, "stop_with_parent", lambda parent: None)
    monkeypatch.setattr(serve.uvicorn.Config, "load", lambda config: events.append("load"))
    bound = serve.bound_socket

    def bind(host, port, share):
        events.append("bind")
        return bound(host, port, share)

    def run(server, sockets):
        (sock,) = sockets
        listening = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        events.append(f"run on a socket {'listening' if listening else 'not listening'}")
        sock.close()

    monkeypatch.setattr(serve, "bound_socket", bind)
    monkeypatch.setattr(serve.uvicorn.Server, "run", run)
    serve.run_worker("127.0.0.1", 0, "warning", False, os.getpid())
    assert events == ["load", "bind", "run on a socket not listening"]


def test_keep_alive_clients_spread_again_after_a_worker_is_replaced():
    """Connections are recycled after BACKPROP_CONNECTION_SECONDS, so clients that all kept
    their connection to the surviving worker reach the replacement too."""
    clients = [http.client.HTTPConnection("127.0.0.1", 0, timeout=5) for _ in range(20)]

    def ask_all(port: int, asking=clients) -> None:
        for client in asking:
            client.port = port
            for _ in range(2):
                try:
                    client.request("GET", "/healthz")
                    client.getresponse().read()
                    break
                except (OSError, http.client.HTTPException):
                    client.close()   # its worker was killed: connect again

    env = {"BACKPROP_CONNECTION_SECONDS": "1"}
    with serving(2, env, ready=all_listening) as (process, port):
        ask_all(port)
        os.kill(min(children(process.pid)), signal.SIGKILL)
        ask_all(port)   # every client now on the surviving worker
        wait_until(lambda: all_listening(process, port))
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline:
            ask_all(port)
            time.sleep(0.1)
        # A client told `connection: close` by its last answer connects again.
        ask_all(port, [client for client in clients if client.sock is None])
        assert all(client.sock is not None for client in clients)
        counts = established_per_worker(children(process.pid), port)
        for client in clients:
            client.close()
    # Hashing 20 connections over 2 sockets leaves fewer than 2 on one with odds of 4e-5.
    assert sum(counts.values()) == 20 and min(counts.values()) >= 2, counts


def test_sigterm_stops_the_workers_and_the_server(server):
    process, port = server
    workers = children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert not answers(port)


@pytest.fixture
def in_process(monkeypatch):
    """serve.main run in this process sets BACKPROP_WORKERS and caches the settings it reads:
    both are put back after, or every later app here would refuse live sessions."""
    monkeypatch.setenv("BACKPROP_WORKERS", os.environ.get("BACKPROP_WORKERS", "1"))
    yield
    monkeypatch.undo()
    serve.get_settings.cache_clear()


def test_a_port_in_use_is_refused_before_any_worker_starts(in_process):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve.main(["--port", str(port), "--workers", "2", "--log-level", "error"]) == 1


def test_several_workers_need_a_fixed_port(capsys, in_process):
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
