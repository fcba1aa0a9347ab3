"""Live sessions through Redis: the same contract in one process, and app.serve with two workers
sharing one session (every student on either worker gets every step in order), one of them
killed mid-class (its students reconnect to the other and resume, the session is kept)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from app.main import create_app
from app.settings import Settings
from tests.api.live import all_listening, serving, wait_until
from tests.redis_server import redis_server


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


def test_the_contract_holds_with_redis(redis_url, tmp_path):
    with TestClient(create_app(Settings(redis_url=redis_url, data_dir=str(tmp_path)))) as client:
        made = client.post("/api/v1/sessions", json={"title": "R"}).json()
        code, teacher = made["code"], {"authorization": f"Bearer {made['teacher_token']}"}
        assert client.put(f"/api/v1/sessions/{code}/state", json={"state": {"s": 1}},
                          headers={"authorization": "Bearer x"}).status_code == 403
        with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
            assert ws.receive_json() == {"type": "state", "seq": 0, "state": {}}
            student = ws.receive_json()["student"]
            for n in range(1, 6):
                client.put(f"/api/v1/sessions/{code}/state", json={"state": {"s": n}},
                           headers=teacher)
            assert [ws.receive_json()["seq"] for _ in range(5)] == [1, 2, 3, 4, 5]
            client.post(f"/api/v1/sessions/{code}/polls", headers=teacher,
                        json={"kind": "choice", "prompt": "?", "options": ["a", "b"], "answer": 0})
            assert ws.receive_json()["type"] == "poll"
            ws.send_json({"type": "answer", "poll": 1, "value": 0})
            assert ws.receive_json()["type"] == "ack"
            assert client.get(f"/api/v1/sessions/{code}").json()["students"] == 1
        results = client.post(f"/api/v1/sessions/{code}/polls/1/reveal", headers=teacher).json()
        assert results["counts"] == [1, 0] and results["correct"] == 1
        with client.websocket_connect(f"/api/v1/sessions/{code}/live?student={student}") as ws:
            assert ws.receive_json()["seq"] == 5
        saved = client.post("/api/v1/states", json={"state": {"hash": "seed=9"}}).json()
        assert client.get(f"/api/v1/states/{saved['id']}").json()["state"] == {"hash": "seed=9"}
        client.delete(f"/api/v1/sessions/{code}", headers=teacher)
        assert client.get(f"/api/v1/sessions/{code}").status_code == 404


def worker_pids(server_pid: int) -> list[int]:
    """The supervisor's worker processes (its children running the spawned worker)."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [int(pid) for pid in children
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]


def connections_of(pid: int, port: int) -> int:
    """Established TCP connections process `pid` holds on local port `port`."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state, inode = int(fields[1].split(":")[1], 16), fields[3], fields[9]
            if local_port == port and state == "01" and inode in inodes:
                count += 1
    return count


class Student(threading.Thread):
    """A student's socket, reconnecting (with its id) when its worker goes away; keeps every
    state number it received."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.student, self.seqs, self.reconnects = url, "", [], 0
        self.stop = threading.Event()
        self.connected = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                with connect(f"{self.url}?student={self.student}", open_timeout=5) as ws:
                    while not self.stop.is_set():
                        try:
                            message = json.loads(ws.recv(timeout=0.2))
                        except TimeoutError:
                            continue
                        if message["type"] == "state":
                            self.seqs.append(message["seq"])
                        elif message["type"] == "hello":
                            self.student = message["student"]
                            self.connected.set()
            except (ConnectionClosed, OSError):
                self.reconnects += 1
                self.connected.clear()
                time.sleep(0.2)


def test_two_workers_share_a_class_and_survive_losing_one(redis_url):
    env = {"BACKPROP_REDIS_URL": redis_url}
    with serving(workers=2, env=env, ready=all_listening) as (process, port):
        base = f"http://127.0.0.1:{port}"
        made = httpx.post(f"{base}/api/v1/sessions", json={}).json()
        code, teacher = made["code"], {"authorization": f"Bearer {made['teacher_token']}"}
        students = [Student(f"ws://127.0.0.1:{port}/api/v1/sessions/{code}/live")
                    for _ in range(12)]
        for student in students:
            student.start()
        for student in students:
            assert student.connected.wait(30)
        pids = wait_until(lambda: len(worker_pids(process.pid)) == 2 and worker_pids(process.pid))
        held = {pid: connections_of(pid, port) for pid in pids}
        assert all(n > 0 for n in held.values()), held   # the class is on both workers

        def step(n: int) -> None:
            answer = httpx.put(f"{base}/api/v1/sessions/{code}/state", headers=teacher,
                               json={"state": {"hash": f"stage={n}"}})
            assert answer.json() == {"seq": n}

        for n in range(1, 21):
            step(n)
        wait_until(lambda: all(s.seqs[-1:] == [20] for s in students), timeout=30)
        for student in students:
            assert student.seqs == list(range(0, 21))   # every step, in order

        victim = max(held, key=held.get)
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: sum(s.reconnects for s in students) >= held[victim], timeout=30)
        for n in range(21, 26):
            step(n)
        wait_until(lambda: all(s.seqs[-1:] == [25] for s in students), timeout=30)
        for student in students:
            after = student.seqs[21:]
            assert after == sorted(after) and after[-1] == 25   # resumed at the class's state
        assert httpx.get(f"{base}/api/v1/sessions/{code}").json()["seq"] == 25
        wait_until(lambda: len(worker_pids(process.pid)) == 2)   # the worker was replaced
        for student in students:
            student.stop.set()
        for student in students:
            student.join(timeout=5)


def test_several_workers_without_redis_refuse_live_sessions_clearly():
    with serving(workers=2, env={"BACKPROP_REDIS_URL": ""}) as (_, port):
        refused = httpx.post(f"http://127.0.0.1:{port}/api/v1/sessions", json={})
        assert refused.status_code == 503
        assert "BACKPROP_REDIS_URL" in refused.json()["detail"][0]["msg"]
        assert httpx.get(f"http://127.0.0.1:{port}/playground").status_code == 200


def test_redis_out_of_reach_is_a_503_in_the_one_shape(tmp_path):
    from tests.redis_server import free_port

    settings = Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0", data_dir=str(tmp_path))
    with TestClient(create_app(settings)) as client:
        refused = client.post("/api/v1/sessions", json={})
        assert refused.status_code == 503
        assert refused.json()["detail"][0]["type"] == "store_unavailable"
