"""Live classes under load, on this machine: app.serve with two workers and a real redis-server,
students as WebSocket clients in one asyncio process, the teacher stepping by PUT.

Prints, measured in one run:
- one session of 200 students: teacher's PUT sent -> each student's receipt, p50/p99/max, and
  whether every student got every step in order;
- 10 sessions of 100 students, their teachers stepping at once;
- the workers' memory per connected student (RSS before and after connecting);
- one worker killed mid-class: how long until every student of it is back and has the next step.

Run: `.venv/bin/python bench/live.py` (about a minute). Students' clocks and the teacher's are
this machine's, so latencies are exact; the client process shares the two cores with the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import time
from pathlib import Path

import httpx
import orjson
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_server import free_port, process_tree, start_server  # noqa: E402
from tests.redis_server import redis_server  # noqa: E402

STEPS = 40
STEP_EVERY = 0.1   # seconds between the teacher's steps


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Student:
    """One student's socket: every state's number and how long after it was sent it arrived."""

    def __init__(self, url: str):
        self.url, self.id, self.seqs, self.delays = url, "", [], []
        self.ready = asyncio.Event()
        self.reconnected = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def run(self) -> None:
        attempts = 0
        while True:
            try:
                async with connect(f"{self.url}?student={self.id}", max_queue=None,
                                   compression=None) as ws:
                    if attempts:
                        self.reconnected.set()
                    async for raw in ws:
                        message = orjson.loads(raw)
                        if message["type"] == "state":
                            self.seqs.append(message["seq"])
                            sent = message["state"].get("t")
                            if sent:
                                self.delays.append(time.time() - sent)
                        elif message["type"] == "hello":
                            self.id = message["student"]
                            self.ready.set()
            except (ConnectionClosed, OSError, InvalidHandshake):
                attempts += 1
                await asyncio.sleep(0.2)


async def class_of(client: httpx.AsyncClient, base: str, students: int) -> tuple[str, dict, list]:
    made = (await client.post(f"{base}/api/v1/sessions", json={})).json()
    code = made["code"]
    url = base.replace("http", "ws") + f"/api/v1/sessions/{code}/live"
    members = [Student(url) for _ in range(students)]
    for member in members:
        member.task = asyncio.create_task(member.run())
    await asyncio.wait_for(asyncio.gather(*(m.ready.wait() for m in members)), 60)
    return code, {"authorization": f"Bearer {made['teacher_token']}"}, members


async def teach(client, base, code, teacher, steps: int, first: int = 1) -> None:
    for n in range(first, first + steps):
        await client.put(f"{base}/api/v1/sessions/{code}/state", headers=teacher,
                         json={"state": {"hash": f"stage={n % 6}", "t": time.time()}})
        await asyncio.sleep(STEP_EVERY)


def summary(name: str, members: list[Student], steps: int) -> str:
    delays = sorted(d for m in members for d in m.delays)
    in_order = all(m.seqs == list(range(0, steps + 1)) for m in members)
    q = statistics.quantiles(delays, n=100)
    return (f"| {name} | {len(members)} | {len(delays)} | {q[49] * 1000:.1f} | {q[98] * 1000:.1f} "
            f"| {delays[-1] * 1000:.1f} | {'yes' if in_order else 'NO'} |")


async def stop(members: list[Student]) -> None:
    for member in members:
        member.task.cancel()
    await asyncio.gather(*(m.task for m in members), return_exceptions=True)


async def one_class(client, base, pids) -> tuple[str, str]:
    before = rss_mb(pids)
    code, teacher, members = await class_of(client, base, 200)
    await asyncio.sleep(1)
    per_student = (rss_mb(pids) - before) * 1024 / len(members)
    await teach(client, base, code, teacher, STEPS)
    await asyncio.sleep(1)
    row = summary("1 class", members, STEPS)
    await stop(members)
    return row, (f"{per_student:.0f} kB per connected student (RSS of both workers, "
                 f"{before:.0f} MB before)")


async def ten_classes(client, base) -> str:
    classes = [await class_of(client, base, 100) for _ in range(10)]
    await asyncio.gather(*(teach(client, base, code, teacher, STEPS)
                           for code, teacher, _ in classes))
    await asyncio.sleep(1)
    members = [m for _, _, group in classes for m in group]
    row = summary("10 classes at once", members, STEPS)
    await stop(members)
    return row


async def lose_a_worker(client, base, server_pid) -> str:
    code, teacher, members = await class_of(client, base, 200)
    await teach(client, base, code, teacher, 3)
    workers = [pid for pid in process_tree(server_pid) if pid != server_pid
               and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]
    os.kill(workers[0], signal.SIGKILL)
    killed = time.monotonic()
    await asyncio.sleep(0.5)
    await teach(client, base, code, teacher, 1, first=4)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(m.seqs[-1:] == [4] for m in members):
        await asyncio.sleep(0.02)
    back = time.monotonic() - killed
    moved = [m for m in members if m.reconnected.is_set()]
    everyone = all(m.seqs[-1:] == [4] for m in members)
    kept = all(m.seqs[:4] == [0, 1, 2, 3] for m in members)
    await stop(members)
    return (f"killed 1 of 2 workers: its {len(moved)} of {len(members)} students reconnected to "
            f"the other; {'all' if everyone else 'NOT all'} students had the step sent 0.5 s after "
            f"the kill {back:.2f} s after it; steps before the kill "
            f"{'all received' if kept else 'MISSING'}; the session kept its state in Redis")


async def main() -> None:
    with redis_server() as url:
        os.environ["BACKPROP_REDIS_URL"] = url
        os.environ["BACKPROP_LIVE_MAX_SESSIONS"] = "100"
        port = free_port()
        server = start_server(port, workers=2)
        base = f"http://127.0.0.1:{port}"
        try:
            pids = [p for p in process_tree(server.pid) if p != server.pid]
            async with httpx.AsyncClient(timeout=30) as client:
                one, memory = await one_class(client, base, pids)
                ten = await ten_classes(client, base)
                killed = await lose_a_worker(client, base, server.pid)
        finally:
            server.terminate()
            server.wait(30)
    print(f"Live classes: 2 workers, Redis, {STEPS} steps {STEP_EVERY * 1000:.0f} ms apart; "
          "latency from the teacher's PUT to each student's receipt")
    print("| load | students | receipts | p50 ms | p99 ms | max ms | every step, in order |")
    print("|---|---|---|---|---|---|---|")
    print(one)
    print(ten)
    print(memory)
    print(killed)


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
