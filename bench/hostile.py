"""Hostile load: the real server under heavy, slow and flooding clients at once, and /healthz.

Starts the server as `make run` does (app.serve, 2 workers by default) and measures, in order:
1. a header flood alone: one connection sends a 128 MiB header line to the idle server; the
   workers' CPU time and the time until the server answers or closes;
2. a mixed load for `--seconds`: 64 clients looping on POST /api/v1/train at the work budget
   (after a 503 each waits half a second), 8 clients asking for the largest iteration trace
   and 8 for the same with include_events (the 23.8 MB answers of issue 17), 200 clients
   sending a header a byte a second, 100 sending a body ten bytes a second, and 4 connections
   flooding 128 MiB header lines over and over; meanwhile a liveness probe (a new connection
   each time, as an orchestrator's) asks /healthz every 100 ms and the home page every 500 ms;
3. each worker's resident memory before the load, at its peak, and 10 s after the clients left.
Targets: /healthz p99 under 1 s, and memory back within 20% of where it started.

Every client stops at the end of the load, every wait is bounded, and the server is stopped.
`--baseline PATH` first runs the same against another checkout (e.g. a worktree of the commit
before the hardening) and prints the two side by side.
Run: `.venv/bin/python bench/hostile.py [--workers 2] [--seconds 40] [--baseline PATH]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

import numpy as np
from live_server import (  # bench/live_server.py, beside this script
    ROOT,
    cpu_seconds,
    free_port,
    process_tree,
    start_server,
)

HOST = "127.0.0.1"
FLOOD_BYTES = 128 * 2**20
FLOOD_LIMIT = 90.0   # seconds the lone flood may take, whatever happens
SETTLE = 10.0        # seconds between the clients leaving and the memory read after
CHUNK = b"a" * 2**20
# At the work budget (2.9e9 of 3e9 units): about a second of CPU here.
TRAIN = {"network": {"layer_sizes": [2, 32, 32, 32, 1],
                     "activations": ["tanh", "tanh", "tanh", "sigmoid"],
                     "loss": "binary_cross_entropy"},
         "dataset": {"name": "spiral", "samples": 2000}, "iterations": 1350, "batch_size": 256}


def big_trace(events: bool | None) -> dict:
    """Six layers of 32 and 512 rows: the largest trace the limits allow (11 MB of JSON)."""
    rng = np.random.default_rng(0)
    return {"network": {"layer_sizes": [32] * 7, "activations": ["tanh"] * 6,
                        "loss": "squared_error"},
            "inputs": rng.uniform(-1, 1, (512, 32)).round(3).tolist(),
            "targets": rng.uniform(-1, 1, (512, 32)).round(3).tolist(),
            "include_events": events}


def post(path: str, body: dict) -> bytes:
    data = json.dumps(body).encode()
    return (f"POST {path} HTTP/1.1\r\nhost: {HOST}\r\naccept-encoding: gzip\r\n"
            f"content-type: application/json\r\ncontent-length: {len(data)}\r\n"
            "connection: close\r\n\r\n").encode() + data


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nhost: {HOST}\r\nconnection: close\r\n\r\n".encode()


async def exchange(port: int, request: bytes, timeout: float = 60.0) -> int:
    """Send one request on a new connection and read the whole answer; its status, or 0 for a
    connection that failed or closed early."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                fields = dict(line.lower().split(": ", 1) for line in lines[1:] if line)
                await reader.readexactly(int(fields.get("content-length", 0)))
                return int(lines[0].split()[1])
            finally:
                writer.close()
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
        return 0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_of(pid: int) -> list[int]:
    """The server's worker processes: those below it but multiprocessing's resource tracker,
    or itself when it is the only one."""
    below = [child for child in process_tree(pid)[1:]
             if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()]
    return sorted(below) or [pid]


async def flood(port: int, stop_at: float) -> tuple[int, bool]:
    """Send one 128 MiB header line; bytes sent and whether the server answered (or closed)
    before the whole line was sent."""
    sent = 0
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError:
        return 0, True
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-flood: ")
        while sent < FLOOD_BYTES and time.monotonic() < stop_at:
            writer.write(CHUNK)
            await asyncio.wait_for(writer.drain(), max(0.01, stop_at - time.monotonic()))
            sent += len(CHUNK)
            if reader.at_eof() or len(reader._buffer):   # an answer already came
                return sent, True
        writer.write(b"\r\n\r\n")
        await asyncio.wait_for(reader.read(1), max(0.01, stop_at - time.monotonic()))
        return sent, False
    except (OSError, TimeoutError):
        return sent, True
    finally:
        writer.close()


async def lone_flood(port: int, workers: list[int]) -> dict:
    before, start = cpu_seconds(workers), time.monotonic()
    sent, cut = await flood(port, start + FLOOD_LIMIT)
    await asyncio.sleep(0.5)
    return {"cpu": cpu_seconds(workers) - before, "wall": time.monotonic() - start,
            "sent_mb": sent / 2**20, "cut": cut}


async def slow_client(port: int, head: bytes, drip: bytes, stop_at: float) -> float | None:
    """Send `head`, then `drip` once a second; seconds until the server closed, None if it
    never did before `stop_at`."""
    start = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(head)
        while time.monotonic() < stop_at:
            try:
                if await asyncio.wait_for(reader.read(65536), 1.0) == b"":
                    return time.monotonic() - start
            except TimeoutError:
                writer.write(drip)
        writer.close()
    except OSError:
        return time.monotonic() - start
    return None


async def looping(port: int, request: bytes, stop_at: float, statuses: list, latencies: list):
    while time.monotonic() < stop_at:
        start = time.monotonic()
        status = await exchange(port, request, timeout=max(1.0, stop_at - start + 5))
        statuses.append(status)
        if status == 200:
            latencies.append(time.monotonic() - start)
        if status in (0, 503):
            await asyncio.sleep(0.5)


async def probe(port: int, path: str, every: float, stop_at: float, latencies: list,
                failures: list):
    while time.monotonic() < stop_at:
        start = time.monotonic()
        status = await exchange(port, get(path), timeout=10.0)
        (latencies if status == 200 else failures).append(time.monotonic() - start)
        await asyncio.sleep(max(0.0, every - (time.monotonic() - start)))


async def flooding(port: int, stop_at: float, floods: list):
    while time.monotonic() < stop_at:
        floods.append(await flood(port, stop_at))


async def sample_memory(workers: list[int], stop_at: float, peak: dict):
    while time.monotonic() < stop_at:
        for pid in workers:
            try:
                peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
            except OSError:
                pass
        await asyncio.sleep(0.5)


async def mixed_load(port: int, workers: list[int], seconds: float) -> dict:
    stop_at = time.monotonic() + seconds
    r: dict = {"train": [], "train_ms": [], "big": [], "events": [], "healthz": [],
               "healthz_failed": [], "home": [], "home_failed": [], "floods": []}
    slow_head = (b"GET / HTTP/1.1\r\nhost: x\r\n", b"x")
    slow_body = (b"POST /api/v1/iterations HTTP/1.1\r\nhost: x\r\ncontent-type: "
                 b"application/json\r\ncontent-length: 100000\r\n\r\n{", b"0000000000")
    tasks = [
        *(looping(port, post("/api/v1/train", TRAIN), stop_at, r["train"], r["train_ms"])
          for _ in range(64)),
        *(looping(port, post("/api/v1/iterations", big_trace(None)), stop_at, r["big"], [])
          for _ in range(8)),
        *(looping(port, post("/api/v1/iterations", big_trace(True)), stop_at, r["events"], [])
          for _ in range(8)),
        probe(port, "/healthz", 0.1, stop_at, r["healthz"], r["healthz_failed"]),
        probe(port, "/", 0.5, stop_at, r["home"], r["home_failed"]),
        *(flooding(port, stop_at, r["floods"]) for _ in range(4)),
    ]
    slow = [slow_client(port, *slow_head, stop_at) for _ in range(200)]
    slow += [slow_client(port, *slow_body, stop_at) for _ in range(100)]
    results = await asyncio.gather(*tasks, *slow)
    held = results[len(tasks):]
    r["slow_head"], r["slow_body"] = held[:200], held[200:]
    return r


def run(root: Path, workers: int, seconds: float) -> dict:
    port = free_port()
    server = start_server(port, workers, root)
    try:
        pids = workers_of(server.pid)
        # Each kind of request often enough that every worker (a connection's address picks
        # it) has most likely served each before its memory is read.
        warm = [post("/api/v1/iterations", big_trace(None)), post("/api/v1/train", TRAIN),
                get("/"), get("/healthz")]

        async def measure():
            for request in warm * 6:
                await exchange(port, request)
            before, peak = {pid: rss_mb(pid) for pid in pids}, {}
            flooded = await lone_flood(port, pids)
            sampler = asyncio.create_task(sample_memory(pids, float("inf"), peak))
            load = await mixed_load(port, pids, seconds)
            await asyncio.sleep(SETTLE)
            sampler.cancel()
            after = {pid: rss_mb(pid) for pid in pids}
            return {"flood": flooded, "load": load, "before": before, "peak": peak,
                    "after": after}

        return asyncio.run(measure())
    finally:
        server.terminate()
        server.wait(timeout=60)


def quantiles(values: list[float]) -> str:
    if not values:
        return "-"
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return (f"{len(values)}: p50 {statistics.median(values) * 1e3:.0f}, p99 {p99 * 1e3:.0f}, "
            f"max {values[-1] * 1e3:.0f} ms")


def counts(statuses: list[int]) -> str:
    found = sorted(set(statuses))
    return ", ".join(f"{status or 'cut'}: {statuses.count(status)}" for status in found) or "-"


def held(times: list[float | None]) -> str:
    closed = sorted(t for t in times if t is not None)
    if not closed:
        return f"0 of {len(times)} closed"
    return f"{len(closed)} of {len(times)} closed, median after {statistics.median(closed):.1f} s"


def rows(result: dict) -> list[tuple[str, str]]:
    flood, load = result["flood"], result["load"]
    memory = [f"{result['before'][pid]:.0f} / {result['peak'].get(pid, 0):.0f} / "
              f"{result['after'][pid]:.0f} MB" for pid in sorted(result["before"])]
    ratio = max(result["after"][pid] / result["before"][pid] for pid in result["before"])
    cut = sum(1 for _, was_cut in load["floods"] if was_cut)
    return [
        ("lone 128 MiB header: worker CPU", f"{flood['cpu']:.2f} s"),
        ("  wall, sent before the answer", f"{flood['wall']:.2f} s, {flood['sent_mb']:.0f} MiB"
                                           f"{'' if flood['cut'] else ' (all of it)'}"),
        ("/healthz (new connection each)", quantiles(load["healthz"])),
        ("  failed or timed out", str(len(load["healthz_failed"]))),
        ("home page", quantiles(load["home"])),
        ("  failed or timed out", str(len(load["home_failed"]))),
        ("/train at the budget: statuses", counts(load["train"])),
        ("  answered (200) latency", quantiles(load["train_ms"])),
        ("largest trace: statuses", counts(load["big"])),
        ("  with include_events", counts(load["events"])),
        ("slow header clients", held(load["slow_head"])),
        ("slow body clients", held(load["slow_body"])),
        ("header floods (cut early of all)", f"{cut} of {len(load['floods'])}"),
        ("RSS per worker before/peak/after", "; ".join(memory)),
        ("  worst after / before", f"{ratio:.2f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--baseline", type=Path, help="another checkout to run first")
    args = parser.parse_args()
    roots = [args.baseline, ROOT] if args.baseline else [ROOT]
    results = [run(root, args.workers, args.seconds) for root in roots]
    print(f"\napp.serve, {args.workers} workers, {args.seconds:g} s of mixed load "
          "(see the docstring)\n")
    names = ["baseline", "this checkout"] if args.baseline else ["this checkout"]
    print(f"{'':36} " + "  ".join(f"{name:<52}" for name in names))
    for i, (label, _) in enumerate(rows(results[0])):
        print(f"{label:36} " + "  ".join(f"{rows(r)[i][1]:<52}" for r in results))
    print("\ntargets: /healthz p99 < 1000 ms, no failed probe; RSS after within 20% of before")


if __name__ == "__main__":
    main()
